"""The HTML views in a real browser under JupyterLab's own CSS.

Each view goes into a notebook as a cell output, is exported with nbconvert's
``lab`` template (JupyterLab's stylesheet, the one Notebook 7 shares, with its
``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td {text-align: right}``),
and is rendered by headless Chromium (Debian's ``chromium``; ``make test``
installs it). A script in the page writes ``getComputedStyle`` of every cell
into the DOM, which ``--dump-dom`` returns. A control table styled the way the
views used to be (``.jpea td {text-align: left}``) must come out right-aligned:
proof that the JupyterLab rule is really in force.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jp_en_align.corpus import AlignedCorpus

nbformat = pytest.importorskip("nbformat")
nbconvert = pytest.importorskip("nbconvert")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

MEASURE = """<script>
const rows = [];
for (const view of document.querySelectorAll("[data-view]")) {
  for (const cell of view.querySelectorAll("td, th, caption")) {
    rows.push({view: view.dataset.view, tag: cell.tagName.toLowerCase(), cls: cell.className,
               lang: cell.lang, align: getComputedStyle(cell).textAlign,
               text: cell.textContent.slice(0, 30)});
  }
}
document.getElementById("computed").textContent = JSON.stringify(rows);
</script>"""


def _corpora():
    short = AlignedCorpus.from_texts(
        ["日本とラオスは首脳会談を行った。", "両国は協力を強化する。", "記者会見も開かれた。"],
        ["Japan and Laos held a summit.", "The two countries will deepen cooperation."],
        [((0,), (0,), 0.82), ((1,), (1,), 0.64), ((2,), (), 0.0)],
        {"encoder": "usem3", "version": "0.1.0", "src_lang": "ja", "tgt_lang": "en",
         "params": {"max_bead": 6, "similarity_weight": 9.4}},
        confidence=[0.97, 0.41, 0.88])
    n = 90
    long = AlignedCorpus.from_texts(
        [f"第{i}文の日本語の文です。" for i in range(n)], [f"English sentence number {i}." for i in range(n - 2)],
        [((i,), (i,), 0.3 + (i % 7) / 10) for i in range(n - 2)] + [((n - 2,), (), 0.0), ((n - 1,), (), 0.0)])
    return short, long


def _render(tmp_path: Path, views: dict[str, str], name: str) -> tuple[list[dict], Path]:
    """Export ``views`` as cell outputs with the lab template, render them in
    Chromium; return the computed style of every cell and a screenshot."""
    assert CHROMIUM, "headless Chromium is needed: apt-get install chromium (make test does)"
    nb = nbformat.v4.new_notebook()
    for view, markup in views.items():
        cell = nbformat.v4.new_code_cell(f"{view}  # the view as a notebook shows it")
        cell.outputs = [nbformat.v4.new_output(
            "execute_result", data={"text/html": f'<div data-view="{view}">{markup}</div>',
                                    "text/plain": view}, execution_count=1)]
        nb.cells.append(cell)
    page, _ = nbconvert.HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert ":not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td" in page  # JupyterLab's CSS
    page = page.replace("</body>", f'<pre id="computed"></pre>{MEASURE}</body>')
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(base + ["--dump-dom", path.as_uri()], capture_output=True,
                         timeout=120, check=True).stdout.decode("utf-8")
    found = re.search(r'<pre id="computed">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), f"the measuring script did not run: {dom[-500:]}"
    shot = tmp_path / f"{name}.png"
    subprocess.run(base + [f"--screenshot={shot}", "--window-size=1200,900", path.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return json.loads(html.unescape(found.group(1))), shot


def test_views_are_left_aligned_under_jupyterlab_css(tmp_path):
    short, long = _corpora()
    # the views' old rule, under another class name (a notebook's styles are page-wide,
    # so the views' own rules would reach a table of class "jpea")
    old_style = ("<style>.old td,.old th{text-align:left}</style><table class=\"old\">"
                 "<tr><td>猫。</td><td>Cat.</td></tr></table>")
    cells, shot = _render(tmp_path, {"corpus": short._repr_html_(),
                                     "long": long._repr_html_(),
                                     "summary": short.summary()._repr_html_(),
                                     "filtered": short.filter(min_score=0.5)._repr_html_(),
                                     "control": old_style}, "lab")
    by_view: dict[str, list[dict]] = {}
    for c in cells:
        by_view.setdefault(c["view"], []).append(c)
    # the control proves the JupyterLab rule is in force: the old CSS loses to it
    assert {c["align"] for c in by_view["control"]} == {"right"}
    for view in ("corpus", "long", "filtered"):
        text = [c for c in by_view[view] if c["lang"] in ("ja", "en")]
        assert text and {c["align"] for c in text} == {"left"}, (view, text[:3])
        numbers = [c for c in by_view[view] if "num" in c["cls"].split()]
        assert numbers and {c["align"] for c in numbers} == {"right"}, view
        captions = [c for c in by_view[view] if c["tag"] == "caption"]
        assert [c["align"] for c in captions] == ["left"], view
        headings = [c for c in by_view[view] if c["tag"] == "th" and "num" not in c["cls"]]
        assert {c["align"] for c in headings} == {"left"}, view
    summary = by_view["summary"]
    assert {c["align"] for c in summary if "num" not in c["cls"].split()} == {"left"}
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_standalone_page_is_left_aligned_in_a_plain_browser(tmp_path):
    assert CHROMIUM, "headless Chromium is needed: apt-get install chromium (make test does)"
    _, long = _corpora()
    page = long.to_html(tmp_path / "corpus.html")
    marked = page.replace('<table class="jpea">', '<div data-view="page"><table class="jpea">', 1)
    marked = marked.replace("</body>", f'</div><pre id="computed"></pre>{MEASURE}</body>')
    path = tmp_path / "page.html"
    path.write_text(marked, encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", path.as_uri()],
                         capture_output=True, timeout=120, check=True).stdout.decode("utf-8")
    cells = json.loads(html.unescape(re.search(r'<pre id="computed">(.*?)</pre>', dom, re.S)[1]))
    text = [c for c in cells if c["lang"] in ("ja", "en")]
    # every pair once in order after the review sections (2 unaligned, 20 least sure)
    assert len(text) == 2 * (len(long) + 2 + 20)
    assert {c["align"] for c in text} == {"left"}
