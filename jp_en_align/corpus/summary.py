"""Counts per kind and the score distribution of a corpus."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CorpusSummary:
    """Counts per kind and the score distribution of a corpus (see :meth:`AlignedCorpus.summary`).

    Score statistics are over pairs with both sides (1-0/0-1 pairs have no
    meaningful score); they are NaN when there are none.
    """

    pairs: int
    ja_sentences: int
    en_sentences: int
    kinds: dict[str, int]
    unaligned_ja: int
    unaligned_en: int
    score_min: float
    score_q1: float
    score_median: float
    score_q3: float
    score_max: float
    score_mean: float

    def __str__(self) -> str:
        kinds = ", ".join(f"{k}: {n}" for k, n in self.kinds.items()) or "none"
        return (f"{self.pairs} pairs of {self.ja_sentences} ja / {self.en_sentences} en sentences\n"
                f"kinds: {kinds}\n"
                f"unaligned: {self.unaligned_ja} ja, {self.unaligned_en} en\n"
                f"score: min {self.score_min:.3f}  q1 {self.score_q1:.3f}  "
                f"median {self.score_median:.3f}  q3 {self.score_q3:.3f}  "
                f"max {self.score_max:.3f}  mean {self.score_mean:.3f}")


