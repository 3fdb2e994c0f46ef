"""The aligned corpus: the one object the aligner produces and everything else reads.

(Minimal core; issue 5 grows it: filter, statistics, DataFrame, HTML, plot, formats.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from .sentence import Sentence

Bead = tuple[tuple[int, ...], tuple[int, ...], float]
"""``(ja_ids, en_ids, score)``: the raw form of one aligned pair."""


class Pair:
    """A view of one aligned pair of an :class:`AlignedCorpus` (no copy).

    Example:
        >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
        >>> pair = corpus[0]
        >>> pair.ja, pair.en, pair.kind, pair.score
        ('猫。', 'Cat.', '1-1', 0.9)
    """

    __slots__ = ("_corpus", "_k")

    def __init__(self, corpus: "AlignedCorpus", k: int) -> None:
        self._corpus = corpus
        self._k = k

    @property
    def ja_ids(self) -> tuple[int, ...]:
        """0-based indices of the Japanese sentences of this pair (may be empty)."""
        return self._corpus.beads[self._k][0]

    @property
    def en_ids(self) -> tuple[int, ...]:
        """0-based indices of the English sentences of this pair (may be empty)."""
        return self._corpus.beads[self._k][1]

    @property
    def score(self) -> float:
        """How well the two sides match (cosine of the sides' embeddings; 0 for 1-0/0-1)."""
        return self._corpus.beads[self._k][2]

    @property
    def ja(self) -> str:
        """The Japanese text of the pair, sentences joined with no space."""
        return "".join(self._corpus.ja_sentences[i].text for i in self.ja_ids)

    @property
    def en(self) -> str:
        """The English text of the pair, sentences joined with one space."""
        return " ".join(self._corpus.en_sentences[i].text for i in self.en_ids)

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"``, ``"0-1"`` …: sentences on each side."""
        return f"{len(self.ja_ids)}-{len(self.en_ids)}"

    def __repr__(self) -> str:
        return f"Pair({self.kind}, ja={list(self.ja_ids)}, en={list(self.en_ids)}, score={self.score:.3f})"


@dataclass
class AlignedCorpus:
    """Sentences of both sides and an ordered list of aligned pairs.

    Example:
        >>> corpus = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dog."],
        ...                                   [((0,), (0,), 0.9), ((1,), (1,), 0.8)])
        >>> len(corpus), [p.kind for p in corpus]
        (2, ['1-1', '1-1'])
    """

    ja_sentences: list[Sentence]
    en_sentences: list[Sentence]
    beads: list[Bead]
    meta: dict[str, Any] = field(default_factory=dict)
    #: single-sentence embeddings ``(ja, en)`` kept by the aligner for plots;
    #: not part of equality, repr or serialisation.
    embeddings: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_texts(cls, ja: Sequence[str], en: Sequence[str], beads: Sequence[Bead],
                   meta: dict[str, Any] | None = None) -> "AlignedCorpus":
        """Build a corpus from sentence strings and beads."""
        return cls(Sentence.from_texts(list(ja), "ja"), Sentence.from_texts(list(en), "en"),
                   [(tuple(a), tuple(b), float(s)) for a, b, s in beads], dict(meta or {}))

    def __len__(self) -> int:
        return len(self.beads)

    def __iter__(self) -> Iterator[Pair]:
        return (Pair(self, k) for k in range(len(self.beads)))

    def __getitem__(self, k: int | slice) -> "Pair | AlignedCorpus":
        if isinstance(k, slice):
            return AlignedCorpus(self.ja_sentences, self.en_sentences, self.beads[k], self.meta,
                                 self.embeddings)
        if k < 0:
            k += len(self.beads)
        if not 0 <= k < len(self.beads):
            raise IndexError(f"pair index {k} out of range for a corpus of {len(self)} pairs")
        return Pair(self, k)
