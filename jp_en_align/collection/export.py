"""Exports of a collection, streamed document by document from the output folder.

One document is in memory at a time, so a memory of 100,000 documents
costs what one costs (``dedupe`` adds a 16-byte digest per distinct pair).
Each file is written under a temporary name and renamed when complete. The
text is the same as the merged corpus' own export
(``AlignedCorpus.concat(...).to_tmx()``): the same writers, fed one
document at a time.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from ..corpus.documents import common_meta
from ..corpus.formats.jsonl import jsonl_document, jsonl_header
from ..corpus.formats.tmx import TMX_TAIL, forbidden_count, tmx_head, tmx_unit, warn_forbidden
from ..corpus.formats.tsv import HEADER as TSV_HEADER
from ..corpus.formats.tsv import tsv_line


def _digest(ja: str, en: str) -> bytes:
    return hashlib.blake2b(f"{ja}\0{en}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _write_streaming(path: str | os.PathLike, write: Callable[[IO[str]], None]) -> None:
    """Run ``write`` on a temporary file beside ``path``, then rename it to ``path``.

    The temporary name is this export's own (two exports to one path at once
    each write a whole file; the last rename wins), and the data is on disk
    (fsync) before the rename, so a power cut leaves the old file or the new
    one, never an empty or a half one."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{os.fspath(path)!r} is a directory: give a file name, "
                                "e.g. memory.tmx")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


class CollectionExports:
    """The export methods of :class:`~jp_en_align.collection.many.CollectionResult`
    (which provides ``corpora()``, ``report`` and ``store``)."""

    report: list
    store: Any

    def corpora(self) -> Iterator[tuple[str, Any]]:  # pragma: no cover - provided by the result
        raise NotImplementedError

    def meta(self) -> dict[str, Any]:
        """What every aligned document's meta shares (encoder, parameters, version),
        read from the first line of each document's file."""
        metas = [self.store.read_meta(row.key) for row in self.report if row.status != "failed"]
        return common_meta(metas)

    def _parts(self, min_score: float | None, min_confidence: float | None,
               skip_unaligned: bool) -> Iterator[tuple[str, Any]]:
        for doc, corpus in self.corpora():
            yield doc, corpus.filter(min_score=min_score, min_confidence=min_confidence,
                                     skip_unaligned=skip_unaligned)

    def _counts(self, parts: Iterator[tuple[str, Any]]) -> dict[bytes, int]:
        counts: dict[bytes, int] = {}
        for _, part in parts:
            for pair in part:
                key = _digest(pair.ja, pair.en)
                counts[key] = counts.get(key, 0) + 1
        return counts

    def to_tmx(self, path: str | os.PathLike, *, ja_lang: str = "ja", en_lang: str = "en",
               srclang: str | None = None, min_score: float | None = None,
               min_confidence: float | None = None, skip_unaligned: bool = True,
               dedupe: bool = False, creationdate: datetime | None = None) -> int:
        """Write every aligned document's pairs as one TMX file; return the units written.

        Each unit has its document's id (``x-document``); 1-0/0-1 pairs are left
        out unless ``skip_unaligned=False``. ``dedupe`` keeps the first unit of
        each identical (ja, en) text pair with ``x-count``, how often it occurred.
        """
        filters = (min_score, min_confidence, skip_unaligned)
        counts = self._counts(self._parts(*filters)) if dedupe else None
        written = 0
        bad = 0

        def write(f: IO[str]) -> None:
            nonlocal written, bad
            f.write(tmx_head(self.meta(), ja_lang=ja_lang, srclang=srclang,
                             creationdate=creationdate))
            for doc, part in self._parts(*filters):
                for pair in part:
                    count = None
                    if counts is not None:
                        count = counts.pop(_digest(pair.ja, pair.en), None)
                        if count is None:  # written before: a duplicate
                            continue
                    f.write(tmx_unit(pair, ja_lang=ja_lang, en_lang=en_lang, document=doc,
                                     count=count))
                    bad += forbidden_count(pair.ja + pair.en)
                    written += 1
            f.write(TMX_TAIL)

        _write_streaming(path, write)
        if bad:
            warn_forbidden(bad)
        return written

    def to_tsv(self, path: str | os.PathLike, *, header: bool = True,
               min_score: float | None = None, min_confidence: float | None = None,
               skip_unaligned: bool = False, dedupe: bool = False) -> int:
        """Write ``ja, en, score, confidence, document`` lines; return the lines of pairs.
        ``dedupe`` keeps the first of identical (ja, en) pairs."""
        seen: set[bytes] = set()
        written = 0

        def write(f: IO[str]) -> None:
            nonlocal written
            if header:
                f.write(TSV_HEADER + "\tdocument\n")
            for doc, part in self._parts(min_score, min_confidence, skip_unaligned):
                for pair in part:
                    if dedupe:
                        key = _digest(pair.ja, pair.en)
                        if key in seen:
                            continue
                        seen.add(key)
                    f.write(tsv_line(pair, doc) + "\n")
                    written += 1

        _write_streaming(path, write)
        return written

    def to_jsonl(self, path: str | os.PathLike, *, min_score: float | None = None,
                 min_confidence: float | None = None, skip_unaligned: bool = False) -> int:
        """Write the documents losslessly as one JSONL file (read it back with
        ``AlignedCorpus.from_jsonl``); return the pairs written."""
        written = 0

        def write(f: IO[str]) -> None:
            nonlocal written
            f.write(jsonl_header(self.meta()))
            for doc, part in self._parts(min_score, min_confidence, skip_unaligned):
                f.write(jsonl_document(part, doc))
                written += len(part)

        _write_streaming(path, write)
        return written

    def write(self, path: str | os.PathLike, fmt: str | None = None, **options: Any) -> int:
        """Write ``path`` in ``fmt`` (default: from its extension: .tmx, .tsv, .jsonl)."""
        from ..corpus.formats import guess_format

        fmt = fmt or guess_format(path)
        writers = {"tmx": self.to_tmx, "tsv": self.to_tsv, "jsonl": self.to_jsonl}
        if fmt not in writers:
            raise ValueError(f"a collection is written as tmx, tsv or jsonl, not {fmt!r}")
        return writers[fmt](path, **options)
