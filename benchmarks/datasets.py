"""Loading the benchmark data in ../shared/data (or wherever --data points).

Used by the benchmark scripts and by the tests, so there is one loader.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

ALIGNED_SETS = ("wmt21.ja-en", "wmt21.en-ja", "bsd.dev")
#: the same documents made only partly parallel (``partly_parallel/<name>.jsonl``)
PARTLY_SETS = tuple(f"partly.{name}" for name in ALIGNED_SETS)


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
    """Problems of ``aligned/<name>.jsonl`` (``partly_parallel/<rest>.jsonl`` for a name
    ``partly.<rest>``): dicts with ``id``, ``ja``, ``en`` and ``gold`` (a list of
    ``(ja_ids, en_ids)`` tuples)."""
    folder, name = (("partly_parallel", name[len("partly."):]) if name.startswith("partly.")
                    else ("aligned", name))
    docs = read_jsonl(data_dir(root) / folder / f"{name}.jsonl")
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


# ------------------------------------------------------------------ derived problems


def concatenate(probs: list[tuple]) -> tuple:
    """Problems ``(src, tgt, gold)`` joined into one, gold renumbered."""
    src, tgt, gold = [], [], []
    for s, t, g in probs:
        gold += [(tuple(i + len(src) for i in a), tuple(j + len(tgt) for j in b)) for a, b in g]
        src += s
        tgt += t
    return src, tgt, gold


def short_pieces(probs: list[tuple], limit: int = 3) -> list[tuple]:
    """Each problem cut at gold bead boundaries into pieces of at most
    ``limit`` sentences a side (a longer bead stays whole, alone)."""
    out = []
    for src, tgt, gold in probs:
        piece: list[tuple] = []
        for bead in gold + [None]:
            n_src = sum(len(a) for a, _ in piece) + (len(bead[0]) if bead else 0)
            n_tgt = sum(len(b) for _, b in piece) + (len(bead[1]) if bead else 0)
            if piece and (bead is None or n_src > limit or n_tgt > limit):
                ids_src = sorted(i for a, _ in piece for i in a)
                ids_tgt = sorted(j for _, b in piece for j in b)
                # renumber by rank: a gold bead may skip a sentence (Text+Berg)
                rank_src = {i: k for k, i in enumerate(ids_src)}
                rank_tgt = {j: k for k, j in enumerate(ids_tgt)}
                out.append(([src[i] for i in ids_src], [tgt[j] for j in ids_tgt],
                            [(tuple(rank_src[i] for i in a), tuple(rank_tgt[j] for j in b))
                             for a, b in piece]))
                piece = []
            if bead is not None:
                piece.append(bead)
    return out
