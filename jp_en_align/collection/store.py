"""The output folder of a collection run: one file per finished document.

Layout::

    OUT/docs/ab/abcdef...jsonl        an aligned document (JSONL, lossless)
    OUT/docs/ab/abcdef...error.json   a document that failed, and why

A document's file name is its *key*: a hash of its id, its input (the bytes
of its files, or its text) and the settings that shape the result (model,
aligner options, library version). So a rerun with the same folder skips
exactly the documents whose input and settings have not changed, and a
changed file is aligned again even under the same name.

Every file is written to a temporary name in the same folder and then
renamed (``os.replace`` is atomic): a file that exists is complete. A run
killed at any moment leaves only whole files (and maybe a stray ``.tmp``), and
two workers finishing the same document (a Dask retry) write the same name
once. Reading the documents back in input order gives each exactly once.

Example:
    >>> import tempfile
    >>> store = OutputFolder(tempfile.mkdtemp())
    >>> key = input_key("doc-1", "猫。", "Cat.", "settings")
    >>> store.is_done(key), len(key)
    (False, 40)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..corpus.formats import write_whole

#: what the report says of a document
STATUSES = ("aligned", "done before", "failed")


@dataclass
class ReportRow:
    """One document of a run: what went in, what came out, how long it took."""

    document: str
    status: str                 # one of STATUSES
    ja_sentences: int = 0
    en_sentences: int = 0
    pairs: int = 0
    unaligned: int = 0          # sentences in 1-0 / 0-1 pairs
    mean_confidence: float = float("nan")
    seconds: float = 0.0
    error: str = ""
    key: str = field(default="", repr=False)

    @property
    def sentences(self) -> int:
        """Sentences of both sides."""
        return self.ja_sentences + self.en_sentences

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _side_bytes(side: Any) -> bytes:
    """What a side contributes to the key: the file's bytes, the text, or the sentences."""
    if isinstance(side, Path):
        try:
            if not stat.S_ISREG(side.stat().st_mode):  # /dev/zero, a FIFO: never read
                return b"not a file\0" + os.fsencode(side)
            return b"file\0" + side.read_bytes()
        except OSError:  # unreadable: the worker will report it; the key still names it
            return b"unreadable\0" + os.fsencode(side)
    if isinstance(side, str):
        return b"text\0" + side.encode("utf-8", "surrogatepass")
    return b"sentences\0" + "\n".join(map(str, side)).encode("utf-8", "surrogatepass")


def input_key(doc_id: str, ja: Any, en: Any, settings: str) -> str:
    """The hash that names a document's result (hex, 40 characters)."""
    h = hashlib.blake2b(digest_size=20)
    for part in (doc_id.encode("utf-8", "surrogatepass"), _side_bytes(ja), _side_bytes(en),
                 settings.encode("utf-8")):
        h.update(len(part).to_bytes(8, "little"))  # lengths first: no two inputs collide by splicing
        h.update(part)
    return h.hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that ``path`` is either absent or complete.

    No fsync: the guarantee wanted is against a killed process (the kernel
    keeps the data), not a power cut, and syncing 100,000 small files costs
    minutes; a file a power cut damages is rebuilt by the next run."""
    write_whole(path, text, fsync=False)


class OutputFolder:
    """The finished documents of a collection, one file each, keyed by :func:`input_key`."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise NotADirectoryError(f"output folder {os.fspath(self.path)!r} is a file: "
                                     "give a folder (it is created if missing)")
        (self.path / "docs").mkdir(parents=True, exist_ok=True)

    def _file(self, key: str, suffix: str) -> Path:
        return self.path / "docs" / key[:2] / f"{key}{suffix}"

    def is_done(self, key: str) -> bool:
        """True if the document was aligned (by this run or an earlier one)."""
        return self._file(key, ".jsonl").exists()

    def write_result(self, key: str, corpus: Any, row: ReportRow) -> None:
        """Store an aligned document: its corpus as JSONL, the report row in its meta."""
        from ..corpus.formats.jsonl import write_jsonl

        shard = dataclasses.replace(corpus, meta={**corpus.meta, "document": row.document,
                                                  "report": row.as_dict()})
        write_atomically(self._file(key, ".jsonl"), write_jsonl(shard))
        self._file(key, ".error.json").unlink(missing_ok=True)  # an earlier failure is over

    def write_failure(self, key: str, row: ReportRow) -> None:
        """Store why a document failed (a rerun tries it again)."""
        write_atomically(self._file(key, ".error.json"), json.dumps(row.as_dict(), ensure_ascii=False))

    def read_corpus(self, key: str) -> Any:
        """The aligned document (its meta without the report row)."""
        from ..corpus.aligned import AlignedCorpus

        path = self._file(key, ".jsonl")
        try:
            corpus = AlignedCorpus.from_jsonl(path)
        except (ValueError, TypeError, KeyError) as e:  # FormatError is a ValueError
            raise ValueError(f"{os.fspath(path)} is damaged ({e}): delete it and run "
                             "align_many again with the same folder to rebuild it") from None
        corpus.meta.pop("report", None)
        return corpus

    def read_meta(self, key: str) -> dict[str, Any]:
        """The meta of an aligned document, from its first line only (cheap)."""
        with open(self._file(key, ".jsonl"), encoding="utf-8") as f:
            return json.loads(f.readline())["meta"]

    def done_row(self, key: str) -> ReportRow | None:
        """The report row of a document aligned before, or None if it must be
        aligned (again): never aligned, or its file is damaged (empty or cut
        short by a power cut, or not what this library writes), in which case
        the file is removed and the document rebuilt."""
        path = self._file(key, ".jsonl")
        try:
            with open(path, "rb") as f:
                first = f.readline()
                f.seek(max(0, f.seek(0, os.SEEK_END) - 65536))
                last = f.read().rsplit(b"\n", 2)
            row = ReportRow(**json.loads(first)["meta"]["report"])
            if len(last) < 2 or last[-1] != b"" or not isinstance(json.loads(last[-2]), dict):
                raise ValueError("the file does not end with a whole line")
            if not (isinstance(row.document, str) and row.status in STATUSES):
                raise ValueError("not a report row")
            return row
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
            path.unlink(missing_ok=True)  # damaged: aligned again, then written whole
            return None

    def read_row(self, key: str) -> ReportRow | None:
        """The report row of a document stored before, or None if there is none."""
        if self.is_done(key):
            return ReportRow(**self.read_meta(key)["report"])
        error = self._file(key, ".error.json")
        if error.exists():
            return ReportRow(**json.loads(error.read_text(encoding="utf-8")))
        return None
