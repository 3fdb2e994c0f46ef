"""``jp-en-align pair-documents`` (alias ``pair``): which file of a Japanese
folder translates which file of an English one, by content
(:func:`jp_en_align.pair_documents`); writes a manifest for ``align-many``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from .common import (
    PROG,
    add_common,
    add_model,
    add_pairing_options,
    pair_by_content,
    progress,
)

EXAMPLES = """\
examples:
  jp-en-align pair-documents ja/ en/ -o pairs.tsv
  jp-en-align align-many --manifest pairs.tsv -o memory.tmx
  jp-en-align pair-documents ja/ en/ -o pairs.tsv --threshold 0.5 --report pairing.csv
  jp-en-align pair ja/ en/ > pairs.tsv                               # the short name; paths from here
  jp-en-align align-many ja/ en/ --pair-by content -o memory.tmx     # both in one run

pairs.tsv has a 'ja<TAB>en<TAB>score' header and one line per pair (paths relative
to pairs.tsv's folder), then the files left unpaired as '#' comments with the
reason: 'no candidate', 'lost to a better pair', 'empty', 'unreadable',
'wrong language' or 'duplicate'. Every file is in at most one pair.
"""


def run(args: argparse.Namespace) -> int:
    progress(args, f"pairing the files of {args.ja_dir} and {args.en_dir} by content")
    with tempfile.TemporaryDirectory(prefix="jp-en-align-") as tmp:
        result = pair_by_content(args, args.cache_dir or tmp)
    if args.output in (None, "-"):
        sys.stdout.write(result.manifest(Path.cwd()))
        sys.stdout.flush()
    else:
        result.to_tsv(args.output)
        progress(args, f"wrote {len(result.pairs)} pairs to {args.output}")
    if args.report:
        frame = result.to_dataframe()
        if args.report.endswith(".tsv"):
            frame.to_csv(args.report, sep="\t", index=False)
        else:
            frame.to_csv(args.report, index=False)
        progress(args, f"wrote the pairs' evidence and the unpaired files to {args.report}")
    if not args.quiet:
        print(f"{PROG}: {result.summary()}", file=sys.stderr)
    return 0


def add_parser(sub: Any) -> None:
    """The ``pair-documents`` subcommand (alias ``pair``) and its options."""
    p = sub.add_parser("pair-documents", aliases=["pair"],
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES,
                       help="find which files of two folders translate each other",
                       description="Pair the files of a Japanese and an English folder by "
                                   "content (names need not match) and write a manifest.")
    p.add_argument("ja_dir", metavar="JA_DIR", help="folder of Japanese files")
    p.add_argument("en_dir", metavar="EN_DIR", help="folder of English files")
    p.add_argument("-o", "--output", metavar="TSV",
                   help="the manifest (default stdout), e.g. -o pairs.tsv")
    p.add_argument("--report", metavar="CSV",
                   help="every pair with its evidence and every unpaired file with its "
                        "reason, as CSV (or TSV for a .tsv name), e.g. --report pairing.csv")
    add_pairing_options(p)
    p.add_argument("--pattern", default="*",
                   help="which files of the folders to take (default all), e.g. --pattern '*.txt'")
    p.add_argument("--encoding", default=None,
                   help="encoding of text files (default: detected per file), e.g. --encoding cp932")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="keep the sentence vectors here, so that align-many with the same "
                        "--cache-dir does not encode them again, e.g. --cache-dir .cache")
    add_model(p)
    add_common(p)
    p.set_defaults(run=run)
