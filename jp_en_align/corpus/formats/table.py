"""The one list of export formats: one line per format, each the ``FORMAT`` its
module declares. The command line's ``--format`` choices, the extensions
:func:`guess_format` knows and a collection's exports all come from here.

A new format is a module with ``FORMAT = Format(...)`` (see
:class:`~jp_en_align.corpus.formats.common.Format`) and one line below.

Example:
    >>> list(FORMATS)
    ['tmx', 'tsv', 'jsonl', 'moses']
    >>> [name for name, fmt in FORMATS.items() if fmt.streams]
    ['tmx', 'tsv', 'jsonl']
    >>> guess_format("memory.tmx")
    'tmx'
"""

from __future__ import annotations

import os
from os import PathLike
from pathlib import Path

from . import jsonl, moses, tmx, tsv
from .common import Format

FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (
    tmx.FORMAT,
    tsv.FORMAT,
    jsonl.FORMAT,
    moses.FORMAT,
)}

#: file name extension -> format name
EXTENSIONS: dict[str, str] = {ext: fmt.name for fmt in FORMATS.values() for ext in fmt.extensions}


def streaming_formats() -> list[str]:
    """The formats that are one text file written part by part: what a collection exports to.

    Example:
        >>> streaming_formats()
        ['tmx', 'tsv', 'jsonl']
    """
    return [name for name, fmt in FORMATS.items() if fmt.streams]


def guess_format(path: str | PathLike) -> str:
    """The format name for a file name's extension (Moses takes a prefix, so it has none).

    Example:
        >>> guess_format("out/pairs.jsonl")
        'jsonl'
    """
    ext = Path(path).suffix.lower()
    if ext not in EXTENSIONS:
        main = [fmt.extensions[0] for fmt in FORMATS.values() if fmt.extensions]
        raise ValueError(f"cannot tell the format of {os.fspath(path)!r} from its extension: "
                         f"use {', '.join(main[:-1])} or {main[-1]}, or name the format "
                         f"({', '.join(FORMATS)})")
    return EXTENSIONS[ext]
