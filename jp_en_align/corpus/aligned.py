"""The aligned corpus: the one object the aligner produces and everything else reads.

An :class:`AlignedCorpus` holds the sentences of both sides and an ordered
list of *beads* ``(ja_ids, en_ids, score)``; iterating, indexing and
filtering give :class:`Pair` views. Exports live in :mod:`jp_en_align.corpus.formats`,
the text/HTML tables and the heatmap in :mod:`jp_en_align.corpus.display`.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from os import PathLike
from typing import IO, Any, Iterable, Iterator, Sequence, overload

from ..text.sentence import Sentence
from .pair import Bead, Pair, _KIND  # noqa: F401
from .summary import CorpusSummary

@dataclass
class AlignedCorpus:
    """Sentences of both sides and an ordered list of aligned pairs.

    ``meta`` records how the corpus was made (encoder, parameters, library
    version); ``str(corpus)`` prints it above a table of the pairs.

    Example:
        >>> corpus = AlignedCorpus.from_texts(["猫。", "犬。", "鳥。"], ["Cat.", "Dog."],
        ...     [((0,), (0,), 0.9), ((1,), (1,), 0.8), ((2,), (), 0.0)])
        >>> len(corpus), [p.kind for p in corpus]
        (3, ['1-1', '1-1', '1-0'])
        >>> len(corpus.filter(min_score=0.85)), [s.text for s in corpus.unaligned_ja]
        (1, ['鳥。'])
        >>> print(corpus.to_beads(), end="")
        [0]:[0]
        [1]:[1]
        [2]:[]
    """

    ja_sentences: list[Sentence]
    en_sentences: list[Sentence]
    beads: list[Bead]
    meta: dict[str, Any] = field(default_factory=dict)
    #: calibrated probability that each bead is exactly right, keyed by
    #: ``(ja_ids, en_ids)`` (a sentence is in one bead only, so the key is
    #: unique); views share it. Beads missing from it have confidence NaN.
    confidence: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = field(default_factory=dict)
    #: single-sentence embeddings ``(ja, en)`` kept by the aligner for plots;
    #: not part of equality, repr or serialisation.
    embeddings: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Lists of ids and numpy scores become tuples and floats, so corpora
        # built from any source compare equal; then check nothing is dangling.
        self.beads = [(tuple(int(i) for i in a), tuple(int(j) for j in b), float(s))
                      for a, b, s in self.beads]
        for side, sentences in (("ja", self.ja_sentences), ("en", self.en_sentences)):
            for i, s in enumerate(sentences):
                if s.index != i:
                    raise ValueError(f"{side} sentence at position {i} has index {s.index}: "
                                     "sentence lists must be in index order (use Sentence.from_texts)")
        _check_beads(self.beads, len(self.ja_sentences), len(self.en_sentences))
        self.confidence = {(tuple(int(i) for i in a), tuple(int(j) for j in b)): float(c)
                           for (a, b), c in dict(self.confidence).items()}
        for key, c in self.confidence.items():
            if not 0.0 <= c <= 1.0:  # NaN fails this too: unknown is a missing key
                raise ValueError(f"confidence of bead {key} is {c!r}; it must be in [0, 1]")

    @classmethod
    def from_texts(cls, ja: Sequence[str], en: Sequence[str], beads: Sequence[Bead],
                   meta: dict[str, Any] | None = None,
                   confidence: Sequence[float] | None = None) -> "AlignedCorpus":
        """Build a corpus from sentence strings and beads (and, optionally, one
        confidence per bead).

        Example:
            >>> AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
            AlignedCorpus(1 pairs, 1 ja / 1 en sentences)
        """
        beads = [(tuple(a), tuple(b), float(s)) for a, b, s in beads]
        if confidence is not None and len(confidence) != len(beads):
            raise ValueError(f"{len(confidence)} confidences for {len(beads)} beads: "
                             "give one per bead")
        conf = {} if confidence is None else {
            (a, b): float(c) for (a, b, _), c in zip(beads, confidence) if not math.isnan(c)}
        return cls(Sentence.from_texts(list(ja), "ja"), Sentence.from_texts(list(en), "en"),
                   beads, dict(meta or {}), conf)

    # -- sequence behaviour ---------------------------------------------------

    def _view(self, beads: list[Bead]) -> "AlignedCorpus":
        """A corpus sharing this one's sentences, meta and embeddings (no checks, no copies)."""
        view = object.__new__(AlignedCorpus)
        view.__dict__.update(ja_sentences=self.ja_sentences, en_sentences=self.en_sentences,
                             beads=beads, meta=self.meta, confidence=self.confidence,
                             embeddings=self.embeddings)
        return view

    def __len__(self) -> int:
        return len(self.beads)

    def __iter__(self) -> Iterator[Pair]:
        return (Pair(self, k) for k in range(len(self.beads)))

    @overload
    def __getitem__(self, k: int) -> Pair: ...
    @overload
    def __getitem__(self, k: slice) -> "AlignedCorpus": ...

    def __getitem__(self, k: int | slice) -> "Pair | AlignedCorpus":
        if isinstance(k, slice):
            return self._view(self.beads[k])
        if k < 0:
            k += len(self.beads)
        if not 0 <= k < len(self.beads):
            raise IndexError(f"pair index {k} out of range for a corpus of {len(self)} pairs")
        return Pair(self, k)

    def __repr__(self) -> str:
        encoder = f", encoder={self.meta['encoder']!r}" if "encoder" in self.meta else ""
        return (f"AlignedCorpus({len(self)} pairs, {len(self.ja_sentences)} ja / "
                f"{len(self.en_sentences)} en sentences{encoder})")

    def __str__(self) -> str:
        from .display import text_table

        return text_table(self)

    # -- selecting ------------------------------------------------------------

    def filter(self, min_score: float | None = None, kinds: str | Iterable[str] | None = None,
               skip_unaligned: bool = False, *,
               min_confidence: float | None = None) -> "AlignedCorpus":
        """The pairs scoring at least ``min_score``, with confidence at least
        ``min_confidence`` and of one of ``kinds``, as a corpus (a view, no copy);
        ``skip_unaligned`` leaves out 1-0 and 0-1 pairs.

        1-0 and 0-1 pairs score 0, so any positive ``min_score`` leaves them out
        too; their confidence is that the sentence truly has no counterpart, so
        ``min_confidence`` alone keeps confident ones (add ``skip_unaligned``
        for a translation memory). A pair of unknown confidence (NaN: a corpus
        read from a CAT tool's file) fails any ``min_confidence``.

        Example:
            >>> c = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dogs."],
            ...                              [((0,), (0,), 0.9), ((1,), (), 0.0), ((), (1,), 0.0)])
            >>> [p.kind for p in c.filter(kinds=["1-0", "0-1"])], len(c.filter(min_score=0.5))
            (['1-0', '0-1'], 1)
            >>> [p.kind for p in c.filter(skip_unaligned=True)]
            ['1-1']
        """
        wanted = None
        if kinds is not None:
            wanted = {kinds} if isinstance(kinds, str) else set(kinds)
            bad = [k for k in wanted if not isinstance(k, str) or not _KIND.fullmatch(k)]
            if bad:
                raise ValueError(f"kinds must look like '1-1', '2-1', '0-1'; got {bad}")
        for name, x in (("min_score", min_score), ("min_confidence", min_confidence)):
            if x is not None and (not isinstance(x, (int, float)) or not math.isfinite(x)):
                raise ValueError(f"{name} must be a finite number, got {x!r}")
        conf = self.confidence
        return self._view([b for b in self.beads
                           if (min_score is None or b[2] >= min_score)
                           and (min_confidence is None
                                or conf.get((b[0], b[1]), -1.0) >= min_confidence)
                           and (wanted is None or f"{len(b[0])}-{len(b[1])}" in wanted)
                           and (not skip_unaligned or (b[0] and b[1]))])

    @property
    def unaligned_ja(self) -> list[Sentence]:
        """Japanese sentences of 1-0 pairs (no English counterpart), in order."""
        return [self.ja_sentences[i] for a, b, _ in self.beads if not b for i in a]

    @property
    def unaligned_en(self) -> list[Sentence]:
        """English sentences of 0-1 pairs (no Japanese counterpart), in order."""
        return [self.en_sentences[j] for a, b, _ in self.beads if not a for j in b]

    # -- statistics -----------------------------------------------------------

    #: pairs at least this confident count as parallel in :attr:`parallelism`
    PARALLEL_CONFIDENCE = 0.5

    @property
    def parallelism(self) -> float:
        """Share of the sentences (both sides) that are in confident pairs
        (confidence >= 0.5; any pair where the confidence is unknown): near 1
        for a translation, low for texts that only report on each other
        (:func:`jp_en_align.compare` is made for those). 0.0 for no sentences.

        Example:
            >>> c = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat."],
            ...     [((0,), (0,), 0.9), ((1,), (), 0.0)], confidence=[0.9, 0.8])
            >>> round(c.parallelism, 3)
            0.667
        """
        total = len(self.ja_sentences) + len(self.en_sentences)
        paired = sum(len(a) + len(b) for a, b, _ in self.beads
                     if a and b and self.confidence.get((a, b), 1.0) >= self.PARALLEL_CONFIDENCE)
        return paired / total if total else 0.0

    def kind_counts(self) -> dict[str, int]:
        """Pairs per kind, most frequent first.

        Example:
            >>> AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]).kind_counts()
            {'1-1': 1}
        """
        return dict(Counter(f"{len(a)}-{len(b)}" for a, b, _ in self.beads).most_common())

    def summary(self) -> CorpusSummary:
        """Counts per kind, unaligned sentences and the score distribution.

        Example:
            >>> c = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dog."],
            ...                              [((0,), (0,), 0.9), ((1,), (1,), 0.7)])
            >>> s = c.summary()
            >>> s.kinds, round(s.score_mean, 2)
            ({'1-1': 2}, 0.8)
        """
        scores = sorted(s for a, b, s in self.beads if a and b and not math.isnan(s))
        if len(scores) >= 2:
            q1, median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
        else:
            q1 = median = q3 = scores[0] if scores else math.nan
        return CorpusSummary(
            pairs=len(self), ja_sentences=len(self.ja_sentences),
            en_sentences=len(self.en_sentences), kinds=self.kind_counts(),
            unaligned_ja=len(self.unaligned_ja), unaligned_en=len(self.unaligned_en),
            score_min=scores[0] if scores else math.nan, score_q1=q1, score_median=median,
            score_q3=q3, score_max=scores[-1] if scores else math.nan,
            score_mean=statistics.fmean(scores) if scores else math.nan)

    # -- views for people -----------------------------------------------------

    def to_beads(self, path: str | PathLike | None = None) -> str:
        """The beads as ``[i, j]:[k]`` lines (the format of Vecalign, Bertalign, Text+Berg).

        Writes them to ``path`` too if given.

        Example:
            >>> AlignedCorpus.from_texts(["猫。", "犬。"], ["Cats and dogs."],
            ...                          [((0, 1), (0,), 0.9)]).to_beads()
            '[0, 1]:[0]\\n'
        """
        from .formats.beads import format_beads, write_beads  # the one home of the bead format

        if path is not None:
            write_beads(self, path)
        return format_beads(self)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one row per pair: ja_ids, en_ids, kind, score,
        confidence, ja, en.

        Example:
            >>> df = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]).to_dataframe()
            >>> list(df.columns)
            ['ja_ids', 'en_ids', 'kind', 'score', 'confidence', 'ja', 'en']
        """
        import pandas as pd

        columns = ["ja_ids", "en_ids", "kind", "score", "confidence", "ja", "en"]
        return pd.DataFrame([{"ja_ids": p.ja_ids, "en_ids": p.en_ids, "kind": p.kind,
                              "score": p.score, "confidence": p.confidence, "ja": p.ja,
                              "en": p.en} for p in self], columns=columns)

    def _repr_html_(self) -> str:
        from .display import html_table

        return html_table(self)

    def embed(self, model: Any = None) -> "AlignedCorpus":
        """Compute the single-sentence embeddings :meth:`plot` needs; returns ``self``.

        Corpora from :func:`jp_en_align.align` already have them; corpora read
        from files do not.

        Example:
            >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]).embed()
            >>> corpus.embeddings[0].shape
            (1, 512)
        """
        from ..embed.loading import load_encoder

        encoder = load_encoder(model)
        self.embeddings = (encoder.encode([s.normalized for s in self.ja_sentences]),
                           encoder.encode([s.normalized for s in self.en_sentences]))
        return self

    def plot(self, path: str | PathLike | None = None, **options: Any) -> Any:
        """Heatmap of the ja × en similarity matrix with the chosen pairs drawn over it.

        Saves the figure to ``path`` if given; returns the matplotlib Figure.
        Options are those of :func:`jp_en_align.corpus.display.plot`.

        Example:
            >>> fig = corpus.plot("alignment.png")   # doctest: +SKIP
        """
        from .display import plot

        return plot(self, path, **options)

    # -- files ----------------------------------------------------------------

    def to_tmx(self, path: str | PathLike | IO[str] | None = None, *, ja_lang: str = "ja",
               en_lang: str = "en", min_score: float | None = None,
               skip_unaligned: bool = False) -> str:
        """Write a TMX 1.4b translation memory (one ``tu`` per pair, the score as a ``prop``)
        and return its text; see :func:`jp_en_align.corpus.formats.tmx.write_tmx`.

        Example:
            >>> corpus.to_tmx("memory.tmx", ja_lang="ja-JP", en_lang="en-US",
            ...               skip_unaligned=True)   # doctest: +SKIP
        """
        from .formats.tmx import write_tmx

        return write_tmx(self, path, ja_lang=ja_lang, en_lang=en_lang, min_score=min_score,
                         skip_unaligned=skip_unaligned)

    @classmethod
    def from_tmx(cls, path: str | PathLike | IO[bytes], *, ja: str = "ja",
                 en: str = "en") -> "AlignedCorpus":
        """Read a TMX file safely (ours: lossless; a CAT tool's: one sentence per ``seg``);
        see :func:`jp_en_align.corpus.formats.tmx.read_tmx`.

        Example:
            >>> corpus = AlignedCorpus.from_tmx("memory.tmx")   # doctest: +SKIP
        """
        from .formats.tmx import read_tmx

        return cls._from_data(read_tmx(path, ja=ja, en=en), path)

    def to_tsv(self, path: str | PathLike | IO[str] | None = None, *, header: bool = True,
               min_score: float | None = None, skip_unaligned: bool = False) -> str:
        """Write ``ja<TAB>en<TAB>score`` lines and return the text; see
        :func:`jp_en_align.corpus.formats.tsv.write_tsv`.

        Example:
            >>> corpus.to_tsv("pairs.tsv", min_score=0.5)   # doctest: +SKIP
        """
        from .formats.tsv import write_tsv

        return write_tsv(self, path, header=header, min_score=min_score,
                         skip_unaligned=skip_unaligned)

    def to_jsonl(self, path: str | PathLike | IO[str] | None = None) -> str:
        """Write everything needed to rebuild the corpus and return the text; see
        :mod:`jp_en_align.corpus.formats.jsonl`. (``meta`` comes back equal if it holds JSON types.)

        Example:
            >>> corpus.to_jsonl("corpus.jsonl")   # doctest: +SKIP
        """
        from .formats.jsonl import write_jsonl

        return write_jsonl(self, path)

    @classmethod
    def from_jsonl(cls, path: str | PathLike | IO[str]) -> "AlignedCorpus":
        """Rebuild a corpus written by :meth:`to_jsonl`.

        Example:
            >>> corpus = AlignedCorpus.from_jsonl("corpus.jsonl")   # doctest: +SKIP
        """
        from .formats.jsonl import read_jsonl

        return cls._from_data(read_jsonl(path), path)

    @classmethod
    def _from_data(cls, data: Any, source: Any) -> "AlignedCorpus":
        """The corpus a format reader's plain data describes; inconsistent data
        (a sentence in two pairs, an id out of range) is a FormatError naming the file."""
        from .formats import FormatError, source_name

        try:
            return cls(*data)
        except ValueError as e:
            raise FormatError(f"{source_name(source)}: the records do not make a consistent "
                              f"corpus: {e}") from None

    def to_moses(self, prefix: str | PathLike, *, min_score: float | None = None,
                 skip_unaligned: bool = True) -> tuple[str, str]:
        """Write ``PREFIX.ja`` and ``PREFIX.en``, line-aligned (1-0/0-1 pairs left out unless
        ``skip_unaligned=False``); return the two paths. See :mod:`jp_en_align.corpus.formats.moses`.

        Example:
            >>> corpus.to_moses("out/train", min_score=0.6)   # doctest: +SKIP
            ('out/train.ja', 'out/train.en')
        """
        from .formats.moses import write_moses

        return write_moses(self, prefix, min_score=min_score, skip_unaligned=skip_unaligned)


def _check_beads(beads: list[Bead], n_ja: int, n_en: int) -> None:
    """Every id in range and no sentence in two pairs (never silently duplicate)."""
    for side, n, pos in (("ja", n_ja, 0), ("en", n_en, 1)):
        seen: set[int] = set()
        for k, bead in enumerate(beads):
            for i in bead[pos]:
                if not 0 <= i < n:
                    raise ValueError(f"pair {k} refers to {side} sentence {i}, but there are "
                                     f"only {n} {side} sentences (ids are 0-based)")
                if i in seen:
                    raise ValueError(f"{side} sentence {i} is in more than one pair (pair {k} "
                                     "again): each sentence may belong to one pair only")
                seen.add(i)
    for k, (a, b, _) in enumerate(beads):
        if not a and not b:
            raise ValueError(f"pair {k} has no sentence on either side")
