"""A view of one aligned pair of an :class:`~jp_en_align.corpus.AlignedCorpus`."""

from __future__ import annotations

import math
import re
from typing import Any

from ..text.sentence import Sentence

# The corpus object sits above this module, which only reads it.
AlignedCorpus = Any

Bead = tuple[tuple[int, ...], tuple[int, ...], float]
"""``(ja_ids, en_ids, score)``: the raw form of one aligned pair."""

_KIND = re.compile(r"\d+-\d+")


class Pair:
    """A view of one aligned pair of an :class:`AlignedCorpus` (no copy).

    Example:
        >>> from jp_en_align import AlignedCorpus
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
    def confidence(self) -> float:
        """Calibrated probability that this pair is exactly right (for 1-0/0-1:
        that the sentence truly has no counterpart); NaN when unknown.
        """
        bead = self._corpus.beads[self._k]
        return self._corpus.confidence.get((bead[0], bead[1]), math.nan)

    @property
    def status(self) -> str:
        """``"auto"``, ``"confirmed"``, ``"corrected"`` or ``"rejected"``
        (see :mod:`jp_en_align.corpus.review`)."""
        bead = self._corpus.beads[self._k]
        return self._corpus.status.get((bead[0], bead[1]), "auto")

    @property
    def document(self) -> str | None:
        """The id of the document this pair comes from (None if the corpus has none)."""
        from .documents import document_of  # a sibling view module

        return document_of(self._corpus, self._k)

    @property
    def ja_sentences(self) -> list[Sentence]:
        """The Japanese :class:`Sentence` objects of this pair."""
        return [self._corpus.ja_sentences[i] for i in self.ja_ids]

    @property
    def en_sentences(self) -> list[Sentence]:
        """The English :class:`Sentence` objects of this pair."""
        return [self._corpus.en_sentences[i] for i in self.en_ids]

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

    @property
    def is_aligned(self) -> bool:
        """False for 1-0 and 0-1 pairs (a sentence with no counterpart)."""
        return bool(self.ja_ids) and bool(self.en_ids)

    def __repr__(self) -> str:
        return (f"Pair({self.kind}, ja={list(self.ja_ids)}, en={list(self.en_ids)}, "
                f"score={self.score:.3f}, confidence={self.confidence:.3f})")


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
