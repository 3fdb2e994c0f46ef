"""What every subcommand shares: reading input files, one-line errors,
progress on stderr, argument types."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROG = "jp-en-align"


class InputError(Exception):
    """Bad input: reported as one line, exit status 1."""


def progress(args: argparse.Namespace, message: str) -> None:
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
