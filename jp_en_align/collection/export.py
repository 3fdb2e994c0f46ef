"""Exports of a collection, streamed document by document from the output folder.

One document is in memory at a time, so a memory of 100,000 documents
costs what one costs (``dedupe`` adds a 16-byte digest per distinct pair).
Each file is written under a temporary name and renamed when complete. The
text is the same as the merged corpus' own export
(``AlignedCorpus.concat(...).to_tmx()``): every format of the table
(:data:`~jp_en_align.corpus.formats.table.FORMATS`) that streams is written
by its own ``write_parts``, fed one document at a time.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from typing import Any, Iterator

from ..corpus.documents import common_meta
from ..corpus.formats import FORMATS, guess_format, streaming_formats, write_streaming


def _digest(ja: str, en: str) -> bytes:
    return hashlib.blake2b(f"{ja}\0{en}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Repeats:
    """Identical (ja, en) pairs across the documents: counted in a first pass
    over the parts, then :meth:`first` keeps only the first of each, and
    :meth:`count` says how often the kept pair occurred (TMX's ``x-count``)."""

    def __init__(self, parts: Iterator[tuple[str, Any]]) -> None:
        self._counts: dict[bytes, int] = {}
        for _, part in parts:
            for pair in part:
                key = _digest(pair.ja, pair.en)
                self._counts[key] = self._counts.get(key, 0) + 1
        self._kept: dict[bytes, int] = {}  # the counts of the part being written

    def first(self, parts: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, list]]:
        """Each part as the list of its pairs not seen in an earlier one."""
        for doc, part in parts:
            self._kept = {}
            pairs = []
            for pair in part:
                key = _digest(pair.ja, pair.en)
                count = self._counts.pop(key, None)
                if count is not None:  # else written before: a repeat
                    self._kept[key] = count
                    pairs.append(pair)
            yield doc, pairs

    def count(self, pair: Any) -> int:
        """How often ``pair`` (one :meth:`first` kept) occurred in the collection."""
        return self._kept[_digest(pair.ja, pair.en)]


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

    def to_tmx(self, path: str | os.PathLike, *, ja_lang: str = "ja", en_lang: str = "en",
               srclang: str | None = None, min_score: float | None = None,
               min_confidence: float | None = None, skip_unaligned: bool = True,
               dedupe: bool = False, creationdate: datetime | None = None) -> int:
        """Write every aligned document's pairs as one TMX file; return the units written.

        Each unit has its document's id (``x-document``); 1-0/0-1 pairs are left
        out unless ``skip_unaligned=False``. ``dedupe`` keeps the first unit of
        each identical (ja, en) text pair with ``x-count``, how often it occurred.

        Example:
            >>> result.to_tmx("memory.tmx", ja_lang="ja-JP", dedupe=True)   # doctest: +SKIP
            1250
        """
        return self.write(path, "tmx", ja_lang=ja_lang, en_lang=en_lang, srclang=srclang,
                          min_score=min_score, min_confidence=min_confidence,
                          skip_unaligned=skip_unaligned, dedupe=dedupe, creationdate=creationdate)

    def to_tsv(self, path: str | os.PathLike, *, header: bool = True,
               min_score: float | None = None, min_confidence: float | None = None,
               skip_unaligned: bool = False, dedupe: bool = False) -> int:
        """Write ``ja, en, score, confidence, document`` lines; return the lines of pairs.
        ``dedupe`` keeps the first of identical (ja, en) pairs.

        Example:
            >>> result.to_tsv("pairs.tsv", min_confidence=0.5)   # doctest: +SKIP
            1342
        """
        return self.write(path, "tsv", header=header, min_score=min_score,
                          min_confidence=min_confidence, skip_unaligned=skip_unaligned,
                          dedupe=dedupe)

    def to_jsonl(self, path: str | os.PathLike, *, min_score: float | None = None,
                 min_confidence: float | None = None, skip_unaligned: bool = False) -> int:
        """Write the documents losslessly as one JSONL file (read it back with
        ``AlignedCorpus.from_jsonl``); return the pairs written.

        Example:
            >>> result.to_jsonl("collection.jsonl")   # doctest: +SKIP
            1400
        """
        return self.write(path, "jsonl", min_score=min_score, min_confidence=min_confidence,
                          skip_unaligned=skip_unaligned)

    def write(self, path: str | os.PathLike, fmt: str | None = None, *,
              min_score: float | None = None, min_confidence: float | None = None,
              skip_unaligned: bool | None = None, dedupe: bool = False,
              **options: Any) -> int:
        """Write ``path`` in ``fmt`` (default: from its extension), one of the
        formats of :data:`~jp_en_align.corpus.formats.table.FORMATS` that is one
        file; return the units (pairs) written. ``skip_unaligned`` defaults to
        the format's own (TMX leaves out 1-0/0-1 pairs); ``dedupe`` keeps the
        first of identical (ja, en) pairs (not for a lossless format: JSONL);
        the other ``options`` are the format's (e.g. ``ja_lang`` for TMX).

        Example:
            >>> result.write("memory.tmx", dedupe=True, ja_lang="ja-JP")   # doctest: +SKIP
            1250
        """
        fmt = fmt or guess_format(path)
        spec = FORMATS.get(fmt)
        if spec is None or spec.write_parts is None:
            raise ValueError(f"a collection is written as {', '.join(streaming_formats())}, "
                             f"not {fmt!r}")
        if dedupe and spec.lossless:
            raise ValueError(f"{fmt} keeps every pair: dedupe is for "
                             f"{', '.join(n for n in streaming_formats() if not FORMATS[n].lossless)}")
        filters = (min_score, min_confidence,
                   spec.skip_unaligned if skip_unaligned is None else skip_unaligned)
        parts: Iterator[tuple[str, Any]] = self._parts(*filters)
        if dedupe:
            repeats = _Repeats(self._parts(*filters))
            parts = repeats.first(parts)  # type: ignore[assignment]
            if spec.takes("count"):
                options["count"] = repeats.count
        meta = self.meta()
        write_parts = spec.write_parts
        return write_streaming(path, lambda f: write_parts(f, parts, meta, **options))
