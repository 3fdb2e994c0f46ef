"""Loading the benchmark data in ../shared/data (or wherever --data points).

Used by the benchmark scripts and by the tests, so there is one loader.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

ALIGNED_SETS = ("wmt21.ja-en", "wmt21.en-ja", "bsd.dev")


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: ``path``, else $JP_EN_ALIGN_DATA, else ../shared/data beside the repo."""
    if path is None:
        path = os.environ.get("JP_EN_ALIGN_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(
            f"data folder {path} not found: pass --data DIR or set JP_EN_ALIGN_DATA")
    return path


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_aligned(name: str, root: Path | None = None) -> list[dict]:
    """Problems of ``aligned/<name>.jsonl``: dicts with ``id``, ``ja``, ``en`` and ``gold``
    (a list of ``(ja_ids, en_ids)`` tuples)."""
    docs = read_jsonl(data_dir(root) / "aligned" / f"{name}.jsonl")
    for d in docs:
        d["gold"] = [(tuple(a), tuple(b)) for a, b in d["gold"]]
    return docs


def load_parallel(name: str, root: Path | None = None) -> list[dict]:
    """Documents of ``wmt21/newstest2021.<dir>.jsonl`` (name ``wmt21.ja-en``/``wmt21.en-ja``)
    or ``bsd/dev.jsonl`` (name ``bsd.dev``): dicts with 1-1 parallel ``ja`` and ``en`` lists."""
    root = data_dir(root)
    if name == "bsd.dev":
        return read_jsonl(root / "bsd" / "dev.jsonl")
    direction = name.split(".", 1)[1]
    return read_jsonl(root / "wmt21" / f"newstest2021.{direction}.jsonl")


_BEAD = re.compile(r"\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]")


def _ids(s: str) -> tuple[int, ...]:
    return tuple(int(x) for x in s.split(",") if x.strip())


def load_textberg(split: str = "test", root: Path | None = None) -> list[dict]:
    """Text+Berg problems (de as ``src``, fr as ``tgt``): ``split`` is ``"dev"`` or ``"test"``
    (the seven test documents)."""
    folder = data_dir(root) / "textberg"
    names = ["dev"] if split == "dev" else sorted(p.stem for p in folder.glob("test*.defr"))
    out = []
    for n in names:
        lines = lambda ext: (folder / f"{n}.{ext}").read_text(encoding="utf-8").splitlines()
        gold = [(_ids(m.group(1)), _ids(m.group(2)))
                for m in map(_BEAD.match, lines("defr")) if m]
        out.append({"id": n, "src": lines("de"), "tgt": lines("fr"), "gold": gold})
    return out
