"""What every format module shares: the :class:`Format` a module declares, the
data readers return, and writing a file whole or not at all.

The format modules import this module, never their package, so that the
package can import :mod:`~jp_en_align.corpus.formats.table` (which imports them).

Example:
    >>> import io
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> from jp_en_align.corpus.formats.tsv import FORMAT
    >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
    >>> f = io.StringIO()
    >>> FORMAT.write_parts(f, [("doc-1", corpus)], corpus.meta, header=False), f.getvalue()
    (1, '猫。\\tCat.\\t0.9000\\t\\tdoc-1\\n')
"""

from __future__ import annotations

import inspect
import io
import json
import os
import sys
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import IO, Any, Callable, Iterable, NamedTuple, TypeVar

from ...text.normalize import check_encodable

#: what a streaming writer gets: ``(document_id, corpus)`` per document of a
#: collection, or one ``(None, corpus)`` for one corpus
Parts = Iterable[tuple[str | None, Any]]
T = TypeVar("T")


@dataclass(frozen=True)
class Format:
    """One export format, as its module declares it (``FORMAT = Format(...)``) and
    :data:`~jp_en_align.corpus.formats.table.FORMATS` lists it.

    * ``write_parts(f, parts, meta, **options) -> int`` writes ``parts``
      (``(document_id, corpus)`` pairs: one ``(None, corpus)`` for a corpus,
      one per document for a collection, streamed one at a time) as one text
      file to the open file ``f``, ``meta`` in its header; it returns the units
      (pairs) written. Its keyword options are its own (:meth:`takes` tells).
      None for a format that is not one text file (Moses: two files from a
      prefix; :func:`~jp_en_align.corpus.formats.moses.write_moses` writes it).
    * ``read(source) -> CorpusData``, or None for a format that is only written.
    * ``skip_unaligned``: 1-0/0-1 pairs are left out by default (a memory for
      CAT tools or MT training, where a unit with one empty side is noise).
    * ``lossless``: every pair is kept and can be read back; such a format
      refuses ``dedupe``. A format that is not lossless can be deduplicated:
      its parts may then be lists of pairs, and if its ``write_parts`` takes a
      ``count`` option it gets how often each written pair occurred.

    Example:
        >>> from jp_en_align.corpus.formats.tmx import FORMAT
        >>> FORMAT.name, FORMAT.extensions, FORMAT.takes("ja_lang"), FORMAT.takes("header")
        ('tmx', ('.tmx',), True, False)
    """

    name: str
    extensions: tuple[str, ...]
    description: str
    write_parts: Callable[..., int] | None
    read: Callable[..., "CorpusData"] | None = None
    skip_unaligned: bool = False
    lossless: bool = False

    @property
    def streams(self) -> bool:
        """True if the format is one text file written part by part (a collection can be exported to it)."""
        return self.write_parts is not None

    def takes(self, option: str) -> bool:
        """True if ``write_parts`` has the keyword option ``option``."""
        if self.write_parts is None:
            return False
        return option in inspect.signature(self.write_parts).parameters


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


def write_corpus(fmt: Format, corpus: Any, target: str | PathLike | IO[str] | None,
                 **options: Any) -> str:
    """Write one corpus in ``fmt`` (its one part ``(None, corpus)``) to ``target``
    (a path, an open text file, or None); return the text. What ``write_tmx``
    and the other single-corpus writers do once they have chosen the pairs.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> from jp_en_align.corpus.formats.tsv import FORMAT
        >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
        >>> write_corpus(FORMAT, corpus, None, header=False)
        '猫。\\tCat.\\t0.9000\\t\\n'
    """
    assert fmt.write_parts is not None, f"{fmt.name} is not one text file"
    buffer = io.StringIO()
    fmt.write_parts(buffer, [(None, corpus)], corpus.meta, **options)
    return emit(buffer.getvalue(), target)


def emit(text: str, target: str | PathLike | IO[str] | None) -> str:
    """Write ``text`` to a path or open text file (UTF-8, '\\n' line ends); return it.

    Text no UTF-8 file can hold (a lone surrogate, e.g. in a Sentence made by
    hand) is refused with a ValueError naming where it is, before anything is written.

    Example:
        >>> emit("猫\\n", None)
        '猫\\n'
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
    """Write ``text`` to ``path`` whole or not at all (see :func:`write_streaming`).
    The one home of this in the package: exports, the CLI, a collection's
    output folder and the review's snapshots all write through it.

    ``fsync`` puts the data on disk before the rename, so a power cut leaves
    the old file or the new one (without it, only a killed process is covered:
    the kernel keeps the data; 100,000 small files skip it). ``sync_folder``
    also syncs the folder, so that the rename itself survives a power cut.

    Example:
        >>> write_whole(tmp / "memory.tsv", "猫。\\tCat.\\n")   # doctest: +SKIP
    """
    write_streaming(path, lambda f: f.write(text), fsync=fsync, sync_folder=sync_folder)


def write_streaming(path: str | PathLike, write: Callable[[IO[str]], T], *,
                    fsync: bool = True, sync_folder: bool = False) -> T:
    """Run ``write`` on a temporary file of this call's own beside ``path``
    (UTF-8, '\\n' line ends), then rename it over ``path`` (``os.replace`` is
    atomic within one file system); return what ``write`` returned. Two writers
    of one path at once each write a whole file (the last rename wins); a
    failure leaves the old file. A path that is not a regular file (/dev/stdout,
    a FIFO) is written directly. ``fsync`` and ``sync_folder`` as in :func:`write_whole`.

    Example:
        >>> write_streaming("pairs.tsv", lambda f: f.write("猫。\\tCat.\\n"))   # doctest: +SKIP
        8
    """
    import uuid

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{os.fspath(path)!r} is a directory: give a file name, "
                                "e.g. memory.tmx")
    if path.exists() and not path.is_file():  # /dev/stdout, a FIFO
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            return write(f)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            result = write(f)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
        if sync_folder:
            _fsync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return result


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
    """A name for error messages: the path, or the open file's name.

    Example:
        >>> source_name(Path("out") / "memory.tmx")
        'out/memory.tmx'
    """
    if isinstance(source, (str, PathLike)):
        return os.fspath(source)
    return str(getattr(source, "name", "<input>"))


def read_source(source: Any) -> bytes | str:
    """What a path or an open file holds: bytes from a path or a binary file,
    text from a text file (decoding is the reader's: it knows its format).

    Example:
        >>> read_source(io.StringIO("猫"))
        '猫'
    """
    if hasattr(source, "read"):
        return source.read()
    with open(source, "rb") as f:
        return f.read()


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    return str(value)


def meta_json(meta: dict[str, Any]) -> str:
    """``meta`` as one line of JSON (numpy values to Python, other objects to their str).

    Example:
        >>> meta_json({"encoder": "usem3", "path": Path("x")})
        '{"encoder": "usem3", "path": "x"}'
    """
    return json.dumps(meta, ensure_ascii=False, default=_jsonable)


def caller_stacklevel() -> int:
    """The ``stacklevel`` of a warning raised by the caller of this function
    that points at the first frame outside this package (the user's call),
    however deep inside the package the warning is raised."""
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    frame, level = sys._getframe(2), 2  # the function that warns is level 1, its caller 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        frame, level = frame.f_back, level + 1
    return level
