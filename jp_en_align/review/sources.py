"""Where a review reads its corpus and saves its snapshots.

* :class:`FileSource`: one ``CORPUS.jsonl``, which is the snapshot itself;
  the journal is ``CORPUS.jsonl.journal`` beside it.
* :class:`FolderSource`: an ``align_many`` output folder
  (:mod:`jp_en_align.collection.store`). Its documents are reviewed as one
  corpus (one queue across all of them). The snapshot is ``OUT/review.jsonl``
  (one file, so one atomic rename covers every document) and after each
  snapshot the documents that changed are written back to their own files
  ``OUT/docs/ab/<key>.jsonl``, with their report rows kept. A server killed
  while writing them back writes them again on the next start.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> _ = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]).to_jsonl(path)
    >>> source = open_source(path)
    >>> len(source.load()), source.journal_path.name
    (1, 'c.jsonl.journal')
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from ..collection.store import OutputFolder
from .journal import write_atomically

AlignedCorpus = Any


class FileSource:
    """A single corpus file (JSONL): the snapshot is the file itself."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")

    def __str__(self) -> str:
        return os.fspath(self.path)

    def read_snapshot(self) -> str:
        """The snapshot's text as it is on disk."""
        return self.path.read_text(encoding="utf-8")

    def load(self) -> "AlignedCorpus":
        """The corpus of the snapshot on disk."""
        from ..corpus.aligned import AlignedCorpus

        return AlignedCorpus.from_jsonl(self.path)

    def serialize(self, corpus: "AlignedCorpus") -> str:
        return corpus.to_jsonl()

    def write(self, corpus: "AlignedCorpus", text: str) -> None:
        """Replace the snapshot (``text`` is :meth:`serialize` of ``corpus``)."""
        write_atomically(self.path, text)

    def recover(self, corpus: "AlignedCorpus") -> None:
        """Repair what a stop in the middle of :meth:`write` can leave (nothing here)."""


class FolderSource(FileSource):
    """An ``align_many`` output folder, reviewed as one corpus of its documents."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.folder = OutputFolder(path)
        super().__init__(self.folder.path / "review.jsonl")
        self._files: dict[str, Path] = {}     # document id -> its file
        self._meta: dict[str, dict] = {}      # document id -> its meta (report row included)
        self._written: dict[str, str] = {}    # document id -> text last written there

    def __str__(self) -> str:
        return os.fspath(self.folder.path)

    def _scan(self) -> None:
        """Find the documents (sorted by id: the folder does not keep input order)."""
        found = []
        for file in sorted((self.folder.path / "docs").glob("*/*.jsonl")):
            with open(file, encoding="utf-8") as f:
                meta = json.loads(f.readline())["meta"]
            doc = str(meta.get("document", file.stem))
            found.append((doc, file, meta))
        if not found:
            raise ValueError(f"{self.folder.path}: no aligned document in docs/ (is this the "
                             "--out-dir of align-many?)")
        found.sort(key=lambda item: item[0])
        self._files = {doc: file for doc, file, _ in found}
        self._meta = {doc: meta for doc, _, meta in found}

    def read_snapshot(self) -> str:
        self._scan()
        if not self.path.exists():  # first review of this folder: the documents are the snapshot
            write_atomically(self.path, self.serialize(self._from_documents()))
        return super().read_snapshot()

    def _from_documents(self) -> "AlignedCorpus":
        from ..corpus.aligned import AlignedCorpus

        parts = []
        for doc, file in self._files.items():
            part = AlignedCorpus.from_jsonl(file)
            part.meta.pop("report", None)
            parts.append((doc, part))
        return AlignedCorpus.concat(parts)

    def load(self) -> "AlignedCorpus":
        corpus = super().load()
        ids = [doc for doc, _ in corpus.by_document()] if corpus.documents else []
        if sorted(map(str, ids)) != sorted(self._files):
            # align-many ran again and added or dropped documents: start from them
            raise ValueError(f"{self.path} holds documents {sorted(map(str, ids))[:5]}... but "
                             f"docs/ holds {sorted(self._files)[:5]}...: move {self.path.name} "
                             "(and its .journal) away to review the folder as it is now")
        return corpus

    def write(self, corpus: "AlignedCorpus", text: str) -> None:
        super().write(corpus, text)
        self.recover(corpus)

    def recover(self, corpus: "AlignedCorpus") -> None:
        """Write back every document whose file differs from the snapshot's version."""
        for doc, part in corpus.by_document():
            doc = str(doc)
            file = self._files.get(doc)
            if file is None:
                continue
            # a shallow copy keeps whatever the corpus carries (status, log); the
            # document's own meta (its report row, timings) comes back under it
            shard = copy.copy(part)
            shard.meta = {**self._meta[doc], **part.meta}
            text = shard.to_jsonl()
            if self._written.get(doc) == text:
                continue
            if doc not in self._written and file.read_text(encoding="utf-8") == text:
                self._written[doc] = text
                continue
            write_atomically(file, text)
            self._written[doc] = text


def open_source(path: str | os.PathLike) -> FileSource:
    """A :class:`FolderSource` for a folder, else a :class:`FileSource`."""
    p = Path(path)
    if p.is_dir():
        return FolderSource(p)
    if not p.exists():
        raise FileNotFoundError(f"{os.fspath(p)!r} does not exist: give a corpus .jsonl file "
                                "or an align-many --out-dir folder")
    return FileSource(p)
