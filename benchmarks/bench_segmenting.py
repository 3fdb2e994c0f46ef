"""Segmentation speed and layout robustness on real text.

Run from the repository root::

    .venv/bin/python benchmarks/bench_segmenting.py [--data DIR] [--chars N]

Prints three tables:

1. Speed: ``segment_ja`` / ``segment_en`` on ~1 M characters of each language
   (the wmt21 and bsd documents joined, repeated to size), laid out one
   segment per line and wrapped PDF-style, in characters per second.
2. Layout rebuild: every wmt21/bsd document wrapped PDF-style (lines filled
   to a width, mid-word); the share of sentences that come out exactly as
   from the one-segment-per-line text.
3. English splitter choice: nupunkt against blingfire (when installed) on
   the gold segment boundaries of the wmt21/bsd English documents, each
   document's segments joined with spaces.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.datasets import load_parallel  # noqa: E402
from jp_en_align.text.segment import segment_en, segment_ja  # noqa: E402

SETS = ("wmt21.ja-en", "wmt21.en-ja", "bsd.dev")


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def pdf_wrap(text: str, columns: int) -> list[str]:
    """Fill lines to ``columns`` like a PDF: break between any two characters but
    never inside a Latin word or number; a space at a break hangs at the line end."""
    lines, line = [], ""
    for tok in re.findall(r"[!-~]+|\s+|.", text):
        if not tok.isspace() and line.strip() and width(line.rstrip()) + width(tok) > columns:
            lines.append(line)
            line = ""
        line += tok if line or not tok.isspace() else ""
    return [*lines, line] if line else lines


def documents(lang: str, root) -> list[list[str]]:
    return [[s.strip() for s in d[lang] if s.strip()] for name in SETS
            for d in load_parallel(name, root)]


def layouts(docs: list[list[str]], lang: str) -> dict[str, str]:
    """The documents as one segment per line, and wrapped like a PDF page."""
    if lang == "ja":  # 40 full-width characters a line, a blank line between lines
        wrapped = ["\n\n".join(line for seg in doc for line in pdf_wrap(seg, 80)) for doc in docs]
    else:  # 72 columns, paragraphs apart
        wrapped = ["\n\n".join(textwrap.fill(seg, 72) for seg in doc) for doc in docs]
    return {"one per line": "\n\n".join("\n".join(doc) for doc in docs),
            "PDF-style wrapped": "\n\n\n".join(wrapped)}


def speed_table(root, target_chars: int) -> None:
    print(f"Speed (text repeated to ~{target_chars:,} characters)\n")
    print(f"{'function':<11} {'layout':<18} {'characters':>11} {'MB utf-8':>9} {'units':>8}"
          f" {'seconds':>8} {'chars/s':>10}")
    for lang, func in (("ja", segment_ja), ("en", segment_en)):
        for layout, text in layouts(documents(lang, root), lang).items():
            text = (text + "\n\n") * max(1, round(target_chars / len(text)))
            started = time.perf_counter()
            units = func(text)
            seconds = time.perf_counter() - started
            print(f"{func.__name__:<11} {layout:<18} {len(text):>11,} "
                  f"{len(text.encode()) / 1e6:>9.2f} {len(units):>8,} {seconds:>8.2f} "
                  f"{len(text) / seconds:>10,.0f}")
    print()


def rebuild_table(root) -> None:
    print("Layout rebuild: sentences identical to the one-segment-per-line text\n")
    print(f"{'set':<12} {'wrapped at':<26} {'sentences':>9} {'identical':>9}")
    for name in SETS:
        docs = [[s.strip() for s in d["ja"] if s.strip()] for d in load_parallel(name, root)]
        for columns, joiner, label in ((80, "\n\n", "80 cols, blank lines"), (60, "\n", "60 cols"),
                                       (40, "\n", "40 cols")):
            total = same = 0
            for doc in docs:
                squeeze = lambda sents: [re.sub(r"\s", "", s.text) for s in sents]  # noqa: E731
                want = squeeze(segment_ja("\n".join(doc)))
                got = set(squeeze(segment_ja(joiner.join(
                    line for seg in doc for line in pdf_wrap(seg, columns)))))
                total += len(want)
                same += sum(s in got for s in want)
            print(f"{name:<12} {label:<26} {total:>9,} {same / total:>9.1%}")
    print()


def splitter_table(root) -> None:
    import nupunkt

    splitters = {"nupunkt": lambda t: list(nupunkt.load("default").span_tokenize(t))}
    try:
        import blingfire

        splitters["blingfire"] = lambda t: blingfire.text_to_sentences_and_offsets(t)[1]
    except ImportError:
        print("(blingfire not installed: nupunkt only)")
    print("English splitters on gold segment boundaries (segments joined with spaces)\n")
    print(f"{'set':<12} {'splitter':<10} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name in SETS:
        for label, split in splitters.items():
            hits = predicted = gold = 0
            for d in load_parallel(name, root):
                segs = [s.strip() for s in d["en"] if s.strip()]
                ends, pos = set(), 0
                for s in segs[:-1]:
                    pos += len(s)
                    ends.add(pos)
                    pos += 1
                found = {b for _, b in split(" ".join(segs))[:-1]}
                hits += len(found & ends)
                predicted += len(found)
                gold += len(ends)
            p, r = hits / predicted, hits / gold
            print(f"{name:<12} {label:<10} {p:>9.3f} {r:>7.3f} {2 * p * r / (p + r):>6.3f}")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data folder (default ../shared/data or $JP_EN_ALIGN_DATA)")
    parser.add_argument("--chars", type=int, default=1_000_000, help="characters per speed run")
    args = parser.parse_args(argv)
    speed_table(args.data, args.chars)
    rebuild_table(args.data)
    splitter_table(args.data)


if __name__ == "__main__":
    main()
