"""The aligned corpus: the one object the aligner produces and everything else reads.

An :class:`AlignedCorpus` holds the sentences of both sides and an ordered
list of *beads* ``(ja_ids, en_ids, score)``; iterating, indexing and
filtering give :class:`Pair` views. Exports live in :mod:`jp_en_align.corpus.formats`,
the text table in :mod:`~jp_en_align.corpus.display`, the HTML views in
:mod:`~jp_en_align.corpus.html`, the heatmap in :mod:`~jp_en_align.corpus.plot`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Iterable, Iterator, Sequence, overload

from ..text.sentence import Sentence
from . import display, html as html_views
from .files import FileConversions
from .pair import Bead, Pair, _KIND, _check_beads  # noqa: F401
from .review import STATUSES, Review
from .summary import CorpusSummary


@dataclass
class AlignedCorpus(FileConversions, Review):
    """Sentences of both sides and an ordered list of aligned pairs.

    ``meta`` records how the corpus was made (encoder, parameters, library
    version, timings); ``str(corpus)`` and the notebook view show its one-line
    :attr:`signature` above a table of the pairs, :attr:`settings` all of it.

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
    #: for a corpus of several documents, ``(document_id, first_ja, first_en)``
    #: per document in order (see :mod:`jp_en_align.corpus.documents`); empty
    #: for one document, whose id (if any) is ``meta["document"]``.
    documents: list[tuple[str, int, int]] = field(default_factory=list)
    #: single-sentence embeddings ``(ja, en)`` kept by the aligner for plots;
    #: not part of equality, repr or serialisation.
    embeddings: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)
    #: review status of each bead that is not ``"auto"``, keyed like
    #: :attr:`confidence` (see :mod:`jp_en_align.corpus.review`)
    status: dict[tuple[tuple[int, ...], tuple[int, ...]], str] = field(default_factory=dict)
    #: the change log: one dict per edit (``op``, ``at``, the beads ``before``
    #: and ``after``, and the ``labels`` learning reads); :meth:`undo` pops it
    log: list[dict[str, Any]] = field(default_factory=list)
    #: the aligner's own confidence of beads whose :attr:`confidence` was
    #: refitted from a reviewer's marks (derived state: not part of equality)
    prior: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = field(
        default_factory=dict, repr=False, compare=False)
    #: edits undone since the last edit, for :meth:`redo` (not saved)
    undone: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)

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
        self.status = {(tuple(int(i) for i in a), tuple(int(j) for j in b)): str(v)
                       for (a, b), v in dict(self.status).items()}
        keys = {(a, b) for a, b, _ in self.beads}
        for key, v in self.status.items():
            if v not in STATUSES:
                raise ValueError(f"status of bead {key} is {v!r}; it must be one of "
                                 f"{', '.join(STATUSES)}")
            if key not in keys:
                raise ValueError(f"a status is given for bead {key}, which is not in the corpus")
        self.status = {k: v for k, v in self.status.items() if v != "auto"}
        self.log = list(self.log)
        from .documents import check_documents

        self.documents = check_documents(self.documents, len(self.ja_sentences),
                                         len(self.en_sentences))

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
                             documents=self.documents, embeddings=self.embeddings,
                             status=self.status, log=self.log, prior=self.prior,
                             undone=self.undone)
        return view

    def _replace(self, **changes: Any) -> "AlignedCorpus":
        """A new corpus with the same sentences and ``changes`` (edits keep the
        beads consistent themselves: no checks, no copies of text)."""
        new = object.__new__(AlignedCorpus)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def _index(self, k: int) -> int:
        """``k`` as a pair index from 0 (negative counts from the end)."""
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"a pair index is an int, not {type(k).__name__}")
        n = len(self.beads)
        if not -n <= k < n:
            raise IndexError(f"pair index {k} out of range for a corpus of {n} pairs")
        return k + n if k < 0 else k

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

    def __add__(self, other: "AlignedCorpus") -> "AlignedCorpus":
        if not isinstance(other, AlignedCorpus):
            return NotImplemented
        return AlignedCorpus.concat([self, other])

    # -- documents ------------------------------------------------------------

    @classmethod
    def concat(cls, corpora: Iterable["AlignedCorpus | tuple[str, AlignedCorpus]"]) -> "AlignedCorpus":
        """One corpus of several, in order, each remembering its document id
        (given as ``(id, corpus)``, else its ``meta["document"]``, else its position).
        ``a + b`` is ``concat([a, b])``. See :mod:`jp_en_align.corpus.documents`.

        Example:
            >>> a = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
            >>> both = AlignedCorpus.concat([("doc-a", a), ("doc-b", a)])
            >>> [(p.document, p.ja_ids, p.ja) for p in both]
            [('doc-a', (0,), '猫。'), ('doc-b', (1,), '猫。')]
        """
        from .documents import concat

        return concat(cls, corpora)

    def by_document(self) -> Iterator[tuple[str | None, "AlignedCorpus"]]:
        """``(document_id, corpus)`` per document, each numbered from 0 (the inverse
        of :meth:`concat`; a single document gives itself).

        Example:
            >>> a = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
            >>> [(doc, len(c)) for doc, c in (a + a).by_document()]
            [('0', 1), ('1', 1)]
        """
        from .documents import by_document

        return by_document(self)

    def __repr__(self) -> str:
        encoder = f", encoder={self.meta['encoder']!r}" if "encoder" in self.meta else ""
        return (f"AlignedCorpus({len(self)} pairs, {len(self.ja_sentences)} ja / "
                f"{len(self.en_sentences)} en sentences{encoder})")

    def __str__(self) -> str:
        return display.text_table(self)

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
        return CorpusSummary.of(self)

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

    @property
    def settings(self) -> dict[str, Any]:
        """Every setting the corpus was made with (``meta`` without timings and
        the document's calibration), e.g. ``corpus.settings["params"]``."""
        return display.settings_of(self.meta)

    @property
    def signature(self) -> str:
        """The settings in one line, sacrebleu style, e.g.
        ``enc:usem3|ja-en|max_bead:6|v0.1.0|h:1a2b3c`` (h: a hash of the rest)."""
        return display.signature(self.meta)

    def _repr_html_(self) -> str:
        return html_views.html_table(self)

    def to_html(self, path: str | PathLike | None = None) -> str:
        """A standalone HTML page (summary, then every pair, the unaligned and
        least confident first in long corpora); written to ``path`` if given.

        Example:
            >>> corpus.to_html("corpus.html")   # doctest: +SKIP
        """
        text = html_views.page(self)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def embed(self, model: Any = None, *,
              show_progress_bar: bool | None = None) -> "AlignedCorpus":
        """Compute the single-sentence embeddings :meth:`plot` needs; returns ``self``.

        Corpora from :func:`jp_en_align.align` already have them; corpora read
        from files do not.

        Example:
            >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]).embed()
            >>> corpus.embeddings[0].shape
            (1, 512)
        """
        from .. import progress
        from ..embed.loading import load_encoder

        encoder = load_encoder(model)
        ja, en = ([s.normalized for s in side] for side in (self.ja_sentences, self.en_sentences))
        with progress.bar(f"embedding corpus ({encoder.name})", unit="sent",
                          show=show_progress_bar):  # both sides in one call: one bar
            vectors = encoder.encode(ja + en, show_progress_bar=show_progress_bar)
        self.embeddings = (vectors[:len(ja)], vectors[len(ja):])
        return self

    def plot(self, path: str | PathLike | None = None, **options: Any) -> Any:
        """Heatmap of the ja × en similarity matrix with the chosen pairs drawn over it.

        Saves the figure to ``path`` if given; returns the matplotlib Figure (shown
        once in a notebook). Options (``window=(ja_start, ja_end)`` to zoom, ``ax``,
        ``low_confidence`` …) are those of :func:`jp_en_align.corpus.plot.plot`.

        Example:
            >>> fig = corpus.plot("alignment.png")   # doctest: +SKIP
        """
        from .plot import plot

        return plot(self, path, **options)
