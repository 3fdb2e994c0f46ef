"""``jp-en-align align-many``: two folders (or a manifest) in, one translation
memory out (:func:`jp_en_align.align_many` and its streamed exports)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..corpus.formats import FORMATS, guess_format, streaming_formats
from .common import (
    PROG,
    InputError,
    add_common,
    add_language_codes,
    add_model,
    add_pairing_options,
    add_thresholds,
    check_output,
    pair_by_content,
    progress,
    progress_bars,
)

#: the formats a collection is written in (one file, streamed) and their extensions
OUTPUT_FORMATS = tuple(streaming_formats())
_EXTENSIONS = ", ".join(ext for name in OUTPUT_FORMATS for ext in FORMATS[name].extensions)
#: those that can keep one of identical pairs (--dedupe): all but the lossless
DEDUPE_FORMATS = tuple(name for name in OUTPUT_FORMATS if not FORMATS[name].lossless)

EXAMPLES = """\
examples:
  jp-en-align align-many ja/ en/ -o memory.tmx
  jp-en-align align-many ja/ en/ -o memory.tmx --out-dir work/ --workers 2 --dedupe
  jp-en-align align-many --manifest pairs.tsv -o pairs.tsv --min-confidence 0.5
  jp-en-align align-many ja/ en/ -o memory.tmx --scheduler tcp://10.0.0.5:8786 --out-dir /shared/run1
  jp-en-align align-many ja/ en/ --pair-by content -o memory.tmx

Files are paired by name: ja/report-1_ja.txt, ja/report-1.ja.txt and ja/report-1.txt
all pair with en/report-1.en.txt. When no names match (--pair-by auto, the default),
or with --pair-by content, they are paired by what they say (as pair-documents does):
files with no counterpart are listed with the reason and left out. A manifest has one 'ja_file<TAB>en_file' or
'id<TAB>ja_file<TAB>en_file' line per document. Rerunning with the same --out-dir
aligns only documents not done before (changed files are aligned again).
"""


def _documents(args: argparse.Namespace) -> list[Any]:
    from ..collection.sources import pair_folders, read_manifest

    if args.manifest:
        if args.ja_dir or args.en_dir:
            raise InputError("give either JA_DIR EN_DIR or --manifest, not both")
        try:
            return read_manifest(args.manifest)
        except (OSError, ValueError) as e:
            raise InputError(str(e)) from None
    if not (args.ja_dir and args.en_dir):
        raise InputError("give two folders, JA_DIR EN_DIR (files paired by name or content), "
                         "or --manifest pairs.tsv")
    if args.pair_by != "content":
        try:
            pairing = pair_folders(args.ja_dir, args.en_dir, pattern=args.pattern)
        except OSError as e:
            raise InputError(str(e)) from None
        if pairing.documents or args.pair_by == "name":
            _report_unmatched(pairing, args)
            if not pairing.documents:
                raise InputError(f"no file of {args.ja_dir!r} has a partner of the same name in "
                                 f"{args.en_dir!r}: try --pair-by content")
            return pairing.documents
        progress(args, "no file names match: pairing the files by content")
    if args.cache_dir is None:  # the vectors pairing computes, reused by the aligning
        args.cache_dir = (str(Path(args.out_dir) / ".vectors") if args.out_dir
                          else args.temporary_cache)
    result = pair_by_content(args, args.cache_dir)
    if not args.quiet or not result.pairs:
        print(f"{PROG}: {result.summary()}", file=sys.stderr)
    if not result.pairs:
        raise InputError(f"no file of {args.ja_dir!r} was found to translate one of {args.en_dir!r}")
    return result.documents()


def _report_unmatched(pairing: Any, args: argparse.Namespace) -> None:
    for lang, unmatched in (("ja", pairing.unmatched_ja), ("en", pairing.unmatched_en)):
        if unmatched:
            names = ", ".join(p.name for p in unmatched[:10])
            more = f" and {len(unmatched) - 10} more" if len(unmatched) > 10 else ""
            print(f"{PROG}: {len(unmatched)} {lang} file(s) with no partner, left out: "
                  f"{names}{more}", file=sys.stderr)


def _output_format(args: argparse.Namespace) -> str | None:
    if args.output is None:
        if args.out_dir is None:
            raise InputError("say where the results go: -o memory.tmx, --out-dir DIR, or both")
        return None
    try:
        fmt = args.format or guess_format(args.output)
    except ValueError:
        fmt = None
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"cannot tell the output format from {args.output!r}: end it in "
                         f"{_EXTENSIONS}, or pass --format")
    if args.dedupe and fmt not in DEDUPE_FORMATS:
        raise InputError(f"--dedupe is for {' and '.join(DEDUPE_FORMATS)} output "
                         f"({fmt} keeps every pair)")
    return fmt


def run(args: argparse.Namespace) -> int:
    fmt = _output_format(args)
    check_output(args.output)
    if args.out_dir is not None and Path(args.out_dir).exists() and not Path(args.out_dir).is_dir():
        raise InputError(f"--out-dir {args.out_dir!r} is a file: give a folder (it is "
                         "created if missing)")
    options = {} if args.max_bead is None else {"max_bead": args.max_bead}
    from ..aligner.options import check_options

    try:
        check_options(options, "align-many")
        if args.encoding is not None:
            import codecs

            codecs.lookup(args.encoding)
    except (TypeError, ValueError) as e:
        raise InputError(str(e).replace("max_bead", "--max-bead")) from None
    except LookupError:
        raise InputError(f"--encoding {args.encoding!r} is unknown: use a Python codec name "
                         "such as utf-8, cp932, euc-jp") from None
    with tempfile.TemporaryDirectory(prefix="jp-en-align-") as tmp:
        args.temporary_cache = tmp
        return _align(args, fmt)


def _align(args: argparse.Namespace, fmt: str | None) -> int:
    documents = _documents(args)
    from ..collection.many import align_many

    client = None
    if args.scheduler:
        if args.out_dir is None:
            raise InputError("--scheduler needs --out-dir on storage every worker shares")
        from ..collection.cluster import connect, wait_for_workers

        client = connect(args.scheduler)
        try:
            wait_for_workers(client)
        except RuntimeError as e:
            client.close()
            raise InputError(str(e)) from None
    options = {} if args.max_bead is None else {"max_bead": args.max_bead}
    progress(args, f"{len(documents)} documents; aligning with "
                    f"{'the cluster at ' + args.scheduler if client else 'this machine'}")
    try:
        result = align_many(documents, out_dir=args.out_dir, model=args.model,
                            workers=args.workers, client=client, encoding=args.encoding,
                            cache_dir=args.cache_dir,
                            show_progress_bar=progress_bars(args), **options)
    finally:
        if client is not None:
            client.close()
    if fmt is not None:
        spec = FORMATS[fmt]
        filters: dict[str, Any] = {"min_score": args.min_score,
                                   "min_confidence": args.min_confidence}
        if not spec.lossless:  # a memory: 1-0/0-1 pairs left out unless --keep-unaligned
            filters.update(skip_unaligned=not args.keep_unaligned, dedupe=args.dedupe)
        filters.update({name: getattr(args, name) for name in ("ja_lang", "en_lang")
                        if spec.takes(name)})
        units = result.write(args.output, fmt, **filters)
        progress(args, f"wrote {units:,} {'units' if fmt == 'tmx' else 'pairs'} to {args.output}")
    if not args.quiet or result.failures:
        print(result.summary(), file=sys.stderr)
    return 1 if result.failures else 0


def add_parser(sub: Any) -> None:
    """The ``align-many`` subcommand and its options."""
    a = sub.add_parser("align-many", formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog=EXAMPLES, help="align folders of document pairs into one memory",
                       description="Align every document pair of two folders (or a manifest) "
                                   "and write one translation memory.")
    a.add_argument("ja_dir", metavar="JA_DIR", nargs="?", help="folder of Japanese files")
    a.add_argument("en_dir", metavar="EN_DIR", nargs="?", help="folder of English files")
    a.add_argument("--manifest", metavar="TSV",
                   help="explicit pairs instead of folders, one 'ja_file<TAB>en_file' line "
                        "each (paths relative to the manifest), e.g. --manifest pairs.tsv")
    a.add_argument("-o", "--output", metavar="OUT",
                   help=f"the memory, its format from the extension ({_EXTENSIONS}), "
                        "e.g. -o memory.tmx")
    a.add_argument("-f", "--format", choices=OUTPUT_FORMATS,
                   help="output format when the extension does not say: "
                        + "; ".join(f"{name}: {FORMATS[name].description}" for name in OUTPUT_FORMATS)
                        + ", e.g. --format tsv")
    a.add_argument("--out-dir", metavar="DIR",
                   help="keep one file per finished document here; rerunning skips those "
                        "done (default: a temporary folder), e.g. --out-dir work/run1")
    a.add_argument("--pattern", default="*",
                   help="which files of the folders to take (default all), e.g. --pattern '*.txt'")
    a.add_argument("--encoding", default=None,
                   help="encoding of text input files (default: detected per file; PDF, "
                        ".docx and HTML files are read by their format), e.g. --encoding cp932")
    add_model(a)
    a.add_argument("--cache-dir", metavar="DIR",
                   help="the encoders' vector cache, reused by later runs (with --pair-by "
                        "content, default: DIR/.vectors under --out-dir), e.g. --cache-dir .cache")
    a.add_argument("--max-bead", type=int, metavar="N",
                   help="most sentences of both sides in one pair, e.g. --max-bead 3")
    g = a.add_argument_group("pairing the files of two folders")
    g.add_argument("--pair-by", choices=("auto", "name", "content"), default="auto",
                   help="name: files of the same name (ja/a_ja.txt with en/a.en.txt); content: "
                        "by what they say, names ignored; auto (default): by name, by content "
                        "when no names match, e.g. --pair-by content")
    add_pairing_options(g)
    r = a.add_argument_group("where it runs")
    r.add_argument("--workers", type=int, metavar="N",
                   help="processes on this machine, each with its own encoder (default: "
                        "one per core), e.g. --workers 2")
    r.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (needs jp-en-align[dask] and --out-dir on "
                        "shared storage), e.g. --scheduler tcp://10.0.0.5:8786")
    e = a.add_argument_group("export options")
    add_thresholds(e)
    e.add_argument("--dedupe", action="store_true",
                   help="one unit per identical (ja, en) pair; TMX units say how often "
                        "(x-count), e.g. -o memory.tmx --dedupe")
    e.add_argument("--keep-unaligned", action="store_true",
                   help="keep 1-0/0-1 pairs (one side empty), which CAT tools do not expect, "
                        "e.g. -o all.tsv --keep-unaligned")
    add_language_codes(e)
    add_common(a)
    a.set_defaults(run=run)
