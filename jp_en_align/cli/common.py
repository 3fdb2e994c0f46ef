"""What every subcommand shares: reading input files, one-line errors,
progress on stderr, argument types."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..readers import Document

PROG = "jp-en-align"


class InputError(Exception):
    """Bad input: reported as one line, exit status 1."""


def progress(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def progress_bars(args: argparse.Namespace) -> bool | None:
    """``show_progress_bar`` for the library: bars (when the work is slow) if a
    person watches stderr; none in logs and pipes, nor with ``-q``."""
    return None if sys.stderr.isatty() and not args.quiet else False


def read_document(path: str, encoding: str | None, what: str) -> "Document":
    """``path`` (``-`` for stdin) read as a PDF, .docx, HTML or text file
    (:func:`jp_en_align.readers.read_document`), with one-line errors for
    missing, unreadable, undecodable or empty files. ``encoding`` None: detected."""
    from ..readers import DocumentError
    from ..readers.read import read_bytes, read_file

    name = f"{what} file {path!r}"
    try:
        data = sys.stdin.buffer.read() if path == "-" else read_file(path, name)
        doc = read_bytes(data, name, encoding)
    except DocumentError as e:
        raise InputError(str(e)) from None
    if not doc.text.strip():
        raise InputError(f"{what} file {path!r} is empty: there is nothing to align")
    return doc


def read_text(path: str, encoding: str | None, what: str) -> str:
    """The text of ``path`` (``-`` for stdin): see :func:`read_document`. A byte-order
    mark is dropped; PDF, Word and HTML files give their text."""
    return read_document(path, encoding, what).text


def describe(doc: "Document") -> str:
    """How a file was read, for the progress line: ``pdf, 5 pages``, ``text, cp932``."""
    if doc.format == "pdf":
        return f"pdf, {doc.pages} page{'s' if doc.pages != 1 else ''}"
    if doc.format == "text":
        return f"text, {doc.encoding}"
    return doc.format


def lines_as_sentences(text: str, path: str, what: str) -> list[str]:
    """The lines of ``text``, one sentence each: split at ``\\n`` and ``\\r\\n`` only, so
    that sentence ids are line numbers - not at U+2028, form feeds or other
    characters ``str.splitlines()`` also takes for line ends.

    Example:
        >>> lines_as_sentences("A\\x0cB.\\r\\nC\\u2028D.\\n", "f.txt", "EN")
        ['A\\x0cB.', 'C\\u2028D.']
    """
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and not lines[-1]:
        lines.pop()  # the newline that ends the last line
    for n, line in enumerate(lines, 1):
        if not line.strip():
            raise InputError(f"{what} file {path!r}, line {n} is blank: with --sentences every "
                             "line is one sentence, so remove blank lines (or drop --sentences)")
    return lines


def finite(text: str) -> float:
    """argparse type: a finite number (``nan`` and ``inf`` are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def probability(text: str) -> float:
    """argparse type: a number from 0 to 1."""
    value = finite(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def add_common(p: argparse.ArgumentParser) -> None:
    """Options every subcommand has."""
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress messages on stderr (errors are still shown)")


def add_model(p: Any) -> None:
    """``--model``, as every command that encodes has it."""
    p.add_argument("--model", default=None,
                   help="sentence encoder: a sentence-transformers model name or local folder "
                        "(default: the built-in USE-multilingual v3), "
                        "e.g. --model sentence-transformers/LaBSE")


def add_thresholds(group: Any) -> None:
    """``--min-score`` and ``--min-confidence``, as every exporting command has them."""
    group.add_argument("--min-score", type=finite, metavar="X",
                       help="leave out pairs scoring under X (raw cosine; 1-0/0-1 pairs score "
                            "0; --min-confidence says more), e.g. --min-score 0.3")
    group.add_argument("--min-confidence", type=probability, metavar="P",
                       help="leave out pairs whose calibrated confidence (the probability that "
                            "the pair is exactly right) is under P, e.g. --min-confidence 0.5")


def add_language_codes(group: Any) -> None:
    """``--ja-lang`` and ``--en-lang``: the TMX ``xml:lang`` codes."""
    group.add_argument("--ja-lang", default="ja", metavar="CODE",
                       help="TMX language code of the Japanese side (default ja), "
                            "e.g. --ja-lang ja-JP")
    group.add_argument("--en-lang", default="en", metavar="CODE",
                       help="TMX language code of the English side (default en), "
                            "e.g. --en-lang en-US")


def check_output(output: str | None) -> None:
    """Refuse an output path that cannot be written, before any work is done:
    a directory, or a file in a folder that is not writable."""
    if output in (None, "-"):
        return
    import os

    path = Path(output)
    if path.is_dir():
        raise InputError(f"-o {output!r} is a directory: give a file name in it, "
                         f"e.g. -o {os.path.join(output, 'memory.tmx')}")
    parent = next((p for p in (path.absolute(), *path.absolute().parents) if p.exists()), None)
    if parent is not None and parent != path.absolute() and not (
            parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)):
        raise InputError(f"-o {output!r} cannot be written: {os.fspath(parent)!r} is "
                         f"{'not writable' if parent.is_dir() else 'a file, not a folder'}")


def write_output(text: str, output: str) -> str:
    """Write ``text`` (UTF-8) to the file ``output``, or to stdout for ``-``;
    return where it went, for the progress message."""
    if output == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return "stdout"
    from ..corpus.formats import write_whole

    write_whole(output, text)  # whole or not at all, even with two runs writing it at once
    return output


def add_pairing_options(p: Any) -> None:
    """The options of pairing by content (also offered by ``align-many``)."""
    from ..collection.pairing import CANDIDATES, THRESHOLD

    p.add_argument("--threshold", type=finite, default=THRESHOLD, metavar="X",
                   help=f"score (0-1) a pair needs (default {THRESHOLD}, calibrated so that "
                        "files with no counterpart stay unpaired), e.g. --threshold 0.5")
    p.add_argument("--vectors", choices=("mean", "tk-pert"), default="mean",
                   help="document vectors of the candidate search (default mean; tk-pert is "
                        "order-aware, 4x larger), e.g. --vectors tk-pert")
    p.add_argument("--candidates", type=int, default=CANDIDATES, metavar="K",
                   help=f"nearest documents proposed for each (default {CANDIDATES}), "
                        "e.g. --candidates 20")


def pair_by_content(args: argparse.Namespace, cache_dir: str | None) -> Any:
    """Run :func:`pair_documents` on ``args.ja_dir`` and ``args.en_dir`` with the
    command's options; errors in the arguments become :class:`InputError`."""
    from ..collection.pairing import pair_documents

    if not 0.0 <= args.threshold <= 1.0:
        raise InputError(f"--threshold {args.threshold} is not between 0 and 1")
    if args.candidates < 1:
        raise InputError(f"--candidates {args.candidates}: give 1 or more")
    try:
        return pair_documents(args.ja_dir, args.en_dir, model=args.model,
                              threshold=args.threshold, vectors=args.vectors,
                              candidates=args.candidates, cache_dir=cache_dir,
                              encoding=args.encoding, pattern=args.pattern,
                              keep_alignments=False, show_progress_bar=progress_bars(args))
    except (OSError, ValueError, TypeError) as e:
        raise InputError(str(e).splitlines()[0]) from None
