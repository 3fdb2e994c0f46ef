"""The corpus' conversions to and from files: ``to_tmx``/``from_tmx``,
``to_tsv``, ``to_jsonl``/``from_jsonl``, ``to_moses``.

A mixin of :class:`~jp_en_align.corpus.aligned.AlignedCorpus`, kept apart so
that the object's own module stays about the object. Each method hands the
work to its format module in :mod:`jp_en_align.corpus.formats`; readers there
return plain data, which :meth:`FileConversions._from_data` turns into the
corpus.
"""

from __future__ import annotations

from os import PathLike
from typing import IO, Any


class FileConversions:
    """File exports and imports of :class:`~jp_en_align.corpus.aligned.AlignedCorpus`."""

    def to_tmx(self, path: str | PathLike | IO[str] | None = None, *, ja_lang: str = "ja",
               en_lang: str = "en", min_score: float | None = None,
               skip_unaligned: bool = True, reviewed_only: bool = False,
               min_confidence: float | None = None) -> str:
        """Write a TMX 1.4b translation memory (one ``tu`` per pair, the score as a ``prop``;
        1-0/0-1 pairs left out unless ``skip_unaligned=False``) and return its text;
        see :func:`jp_en_align.corpus.formats.tmx.write_tmx`. ``reviewed_only`` and
        ``min_confidence`` choose pairs by review (:meth:`export_view`): a reviewed
        corpus leaves out its doubtful unreviewed pairs by default.

        Example:
            >>> corpus.to_tmx("memory.tmx", ja_lang="ja-JP", en_lang="en-US")   # doctest: +SKIP
        """
        from .formats.tmx import write_tmx

        return write_tmx(self.export_view(reviewed_only=reviewed_only,  # type: ignore[attr-defined]
                                          min_confidence=min_confidence),
                         path, ja_lang=ja_lang, en_lang=en_lang, min_score=min_score,
                         skip_unaligned=skip_unaligned)

    @classmethod
    def from_tmx(cls, path: str | PathLike | IO[bytes], *, ja: str = "ja",
                 en: str = "en") -> Any:  # an AlignedCorpus (the class that mixes this in)
        """Read a TMX file safely (ours: lossless; a CAT tool's: one sentence per ``seg``);
        see :func:`jp_en_align.corpus.formats.tmx.read_tmx`.

        Example:
            >>> corpus = AlignedCorpus.from_tmx("memory.tmx")   # doctest: +SKIP
        """
        from .formats.tmx import read_tmx

        return cls._from_data(read_tmx(path, ja=ja, en=en), path)

    def to_tsv(self, path: str | PathLike | IO[str] | None = None, *, header: bool = True,
               min_score: float | None = None, skip_unaligned: bool = False,
               reviewed_only: bool = False, min_confidence: float | None = None) -> str:
        """Write ``ja<TAB>en<TAB>score`` lines and return the text; see
        :func:`jp_en_align.corpus.formats.tsv.write_tsv` (and :meth:`to_tmx` for
        ``reviewed_only`` and ``min_confidence``). :meth:`from_tsv` reads it back.

        Example:
            >>> corpus.to_tsv("pairs.tsv", min_score=0.5)   # doctest: +SKIP
        """
        from .formats.tsv import write_tsv

        return write_tsv(self.export_view(reviewed_only=reviewed_only,  # type: ignore[attr-defined]
                                          min_confidence=min_confidence), path, header=header, min_score=min_score,
                         skip_unaligned=skip_unaligned)

    @classmethod
    def from_tsv(cls, path: str | PathLike | IO[str]) -> Any:  # an AlignedCorpus
        """Read a TSV file :meth:`to_tsv` wrote: each line one pair of one
        sentence a side (an empty side makes it 1-0 / 0-1), with its score and
        confidence.

        Example:
            >>> import io
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
            >>> [(p.ja, p.en, p.score) for p in AlignedCorpus.from_tsv(io.StringIO(c.to_tsv()))]
            [('猫。', 'Cat.', 0.9)]
        """
        from .formats.tsv import read_tsv_data

        data = read_tsv_data(path)
        try:
            return cls(*data[:5])
        except ValueError as e:
            from .formats import FormatError, source_name

            raise FormatError(f"{source_name(path)}: {e}") from None

    def to_jsonl(self, path: str | PathLike | IO[str] | None = None) -> str:
        """Write everything needed to rebuild the corpus and return the text; see
        :mod:`jp_en_align.corpus.formats.jsonl`. (``meta`` comes back equal if it holds JSON types.)

        Example:
            >>> corpus.to_jsonl("corpus.jsonl")   # doctest: +SKIP
        """
        from .formats.jsonl import write_jsonl

        return write_jsonl(self, path)

    @classmethod
    def from_jsonl(cls, path: str | PathLike | IO[str]) -> Any:  # an AlignedCorpus
        """Rebuild a corpus written by :meth:`to_jsonl`.

        Example:
            >>> corpus = AlignedCorpus.from_jsonl("corpus.jsonl")   # doctest: +SKIP
        """
        from .formats.jsonl import read_jsonl

        return cls._from_data(read_jsonl(path), path)

    @classmethod
    def _from_data(cls, data: Any, source: Any) -> Any:  # an AlignedCorpus (the class that mixes this in)
        """The corpus a format reader's plain data describes; inconsistent data
        (a sentence in two pairs, an id out of range) is a FormatError naming the file."""
        from .formats import FormatError, source_name

        try:
            corpus = cls(*data[:6], status=data.status, log=data.log)
            corpus.prior = dict(data.prior)
            return corpus
        except ValueError as e:
            raise FormatError(f"{source_name(source)}: the records do not make a consistent "
                              f"corpus: {e}") from None

    def to_moses(self, prefix: str | PathLike, *, min_score: float | None = None,
                 skip_unaligned: bool = True, reviewed_only: bool = False,
                 min_confidence: float | None = None) -> tuple[str, str]:
        """Write ``PREFIX.ja`` and ``PREFIX.en``, line-aligned (1-0/0-1 pairs left out unless
        ``skip_unaligned=False``); return the two paths. See :mod:`jp_en_align.corpus.formats.moses`.

        Example:
            >>> corpus.to_moses("out/train", min_score=0.6)   # doctest: +SKIP
            ('out/train.ja', 'out/train.en')
        """
        from .formats.moses import write_moses

        return write_moses(self.export_view(reviewed_only=reviewed_only,  # type: ignore[attr-defined]
                                            min_confidence=min_confidence), prefix, min_score=min_score, skip_unaligned=skip_unaligned)

