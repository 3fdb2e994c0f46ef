"""The package layout: stages as folders, imports pointing downward only,
modules a newcomer can read in one sitting."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "jp_en_align"


def _lint_imports() -> list[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is part of the dev extra: pip install -e '.[dev]'"
    return [exe, "--no-cache"]


def test_layer_contracts_in_pyproject_hold():
    out = subprocess.run(_lint_imports(), cwd=PACKAGE.parent, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    # A copy of the package with text/ importing corpus/ must fail the check:
    # the contract is live, not a formality.
    shutil.copytree(PACKAGE, tmp_path / "jp_en_align")
    shutil.copy(PACKAGE.parent / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "jp_en_align" / "text" / "normalize.py", "a") as f:
        f.write("\nfrom ..corpus import pair  # an upward import\n")
    out = subprocess.run(_lint_imports(), cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert out.returncode != 0
    assert "jp_en_align.text.normalize -> jp_en_align.corpus.pair" in out.stdout


def test_every_stage_is_a_folder_and_no_module_is_long():
    rooms = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert rooms == ["aligner", "cli", "collection", "corpus", "coverage", "embed", "readers", "review",
                     "text"]
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, f"split these by concept (about 400 lines at most): {long}"
