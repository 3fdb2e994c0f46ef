"""Getting a corpus out to files (and back in): one module per format.

=========  ==========================================  =====================
format     module                                      reads back
=========  ==========================================  =====================
TMX 1.4b   :mod:`jp_en_align.corpus.formats.tmx`              ``AlignedCorpus.from_tmx``
TSV        :mod:`jp_en_align.corpus.formats.tsv`              ``read_tsv`` (rows)
JSONL      :mod:`jp_en_align.corpus.formats.jsonl`            ``AlignedCorpus.from_jsonl`` (lossless)
Moses      :mod:`jp_en_align.corpus.formats.moses`            plain lines
=========  ==========================================  =====================

Every writer takes a path, an open text file, or None (then it only returns
the text), and returns the text it wrote.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
    >>> corpus.to_tsv(header=False)
    '猫。\\tCat.\\t0.9000\\t\\n'
    >>> guess_format("memory.tmx")
    'tmx'
"""

from __future__ import annotations

import json
import os
from os import PathLike
from pathlib import Path
from typing import IO, Any, NamedTuple

from ...text.normalize import check_encodable

FORMATS = ("tmx", "tsv", "jsonl", "moses")
_EXTENSIONS = {".tmx": "tmx", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
               ".ndjson": "jsonl"}


class FormatError(ValueError):
    """A file that cannot be read as the format it claims to be; names the line."""


class CorpusData(NamedTuple):
    """What a reader returns: plain data, which ``AlignedCorpus.from_tmx`` and
    friends turn into the corpus object (so formats never import the corpus)."""

    ja_sentences: list[Any]   # list[Sentence]
    en_sentences: list[Any]
    beads: list[tuple[tuple[int, ...], tuple[int, ...], float]]
    meta: dict[str, Any]
    confidence: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}
    documents: list[tuple[str, int, int]] = []  # (id, first ja, first en) per document
    status: dict[tuple[tuple[int, ...], tuple[int, ...]], str] = {}  # review status, not "auto"
    log: list[dict[str, Any]] = []  # the review's change log
    prior: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}  # the aligner's confidence


def guess_format(path: str | PathLike) -> str:
    """The format name for a file name's extension (Moses takes a prefix, so it has none).

    Example:
        >>> guess_format("out/pairs.jsonl")
        'jsonl'
    """
    ext = Path(path).suffix.lower()
    if ext not in _EXTENSIONS:
        raise ValueError(f"cannot tell the format of {os.fspath(path)!r} from its extension: "
                         f"use .tmx, .tsv or .jsonl, or name the format ({', '.join(FORMATS)})")
    return _EXTENSIONS[ext]


def emit(text: str, target: str | PathLike | IO[str] | None) -> str:
    """Write ``text`` to a path or open text file (UTF-8, '\\n' line ends); return it.

    Text no UTF-8 file can hold (a lone surrogate, e.g. in a Sentence made by
    hand) is refused with a ValueError naming where it is, before anything is written.
    """
    check_encodable(text, "the text to write")
    if target is None:
        return text
    if hasattr(target, "write"):
        target.write(text)  # type: ignore[union-attr]
    else:
        write_whole(target, text)
    return text


def write_whole(path: str | PathLike, text: str, *, fsync: bool = True,
                sync_folder: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all: into a temporary file of
    this call's own beside it (``os.replace`` is atomic within one file
    system), then renamed over ``path``. Two writers of one path at once each
    write a whole file (the last rename wins). The one home of this in the
    package: exports, the CLI, a collection's output folder and the review's
    snapshots all write through it.

    ``fsync`` puts the data on disk before the rename, so a power cut leaves
    the old file or the new one (without it, only a killed process is covered:
    the kernel keeps the data; 100,000 small files skip it). ``sync_folder``
    also syncs the folder, so that the rename itself survives a power cut.
    """
    import uuid

    path = Path(path)
    if path.exists() and not (path.is_file() or path.is_dir()):  # /dev/stdout, a FIFO
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
        if sync_folder:
            _fsync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some systems cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def source_name(source: Any) -> str:
    """A name for error messages: the path, or the open file's name."""
    if isinstance(source, (str, PathLike)):
        return os.fspath(source)
    return str(getattr(source, "name", "<input>"))


def read_source(source: Any) -> bytes | str:
    """What a path or an open file holds: bytes from a path or a binary file,
    text from a text file (decoding is the reader's: it knows its format)."""
    if hasattr(source, "read"):
        return source.read()
    with open(source, "rb") as f:
        return f.read()


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    return str(value)


def meta_json(meta: dict[str, Any]) -> str:
    """``meta`` as one line of JSON (numpy values to Python, other objects to their str)."""
    return json.dumps(meta, ensure_ascii=False, default=_jsonable)
