"""The main job: align a real Japanese news article with its English translation.

Runs the whole pipeline on the built-in encoder (USE-multilingual v3, offline):
raw text -> sentences -> embeddings -> aligned pairs, prints them as a table,
and writes a TMX translation memory to ``out/yamagata.tmx``.

    .venv/bin/python examples/main_job.py          (or: make demo)

The article is from the WMT21 news test set (see examples/data/README.md).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # so it runs from a checkout, installed or not

import jp_en_align  # noqa: E402

DATA = ROOT / "examples" / "data"
OUT = ROOT / "out"


def main() -> None:
    ja = (DATA / "yamagata_ja.txt").read_text(encoding="utf-8")
    en = (DATA / "yamagata_en.txt").read_text(encoding="utf-8")

    start = time.perf_counter()
    corpus = jp_en_align.align(ja, en)  # segments both texts, then aligns
    seconds = time.perf_counter() - start

    print(corpus)
    print()
    print(corpus.summary())

    OUT.mkdir(exist_ok=True)
    tmx = OUT / "yamagata.tmx"
    corpus.to_tmx(tmx, skip_unaligned=True)
    kept = len(corpus.filter(skip_unaligned=True))
    print(f"\naligned in {seconds:.1f} s; wrote {kept} translation units to "
          f"{tmx.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
