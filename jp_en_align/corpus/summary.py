"""Counts per kind and the score distribution of a corpus."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, repr=False)
class CorpusSummary:
    """Counts per kind and the score distribution of a corpus (see :meth:`AlignedCorpus.summary`).

    Score statistics are over pairs with both sides (1-0/0-1 pairs have no
    meaningful score); they are NaN when there are none. ``print`` shows it as
    text, a notebook as a small table.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> c = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dog."],
        ...                              [((0,), (0,), 0.9), ((1,), (1,), 0.7)])
        >>> c.summary()     # doctest: +ELLIPSIS
        CorpusSummary(pairs=2, ja_sentences=2, en_sentences=2, kinds={'1-1': 2}, ..., score_mean=0.8)
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



    def __repr__(self) -> str:
        def short(x: Any) -> str:
            return f"{x:.4g}" if isinstance(x, float) else repr(x)
        values = ", ".join(f"{f.name}={short(getattr(self, f.name))}" for f in fields(self))
        return f"CorpusSummary({values})"

    def _repr_html_(self) -> str:
        from .html import summary_table

        return summary_table(self)

    @classmethod
    def of(cls, corpus: Any) -> "CorpusSummary":
        """The summary of an :class:`~jp_en_align.corpus.aligned.AlignedCorpus`."""
        scores = sorted(s for a, b, s in corpus.beads if a and b and not math.isnan(s))
        if len(scores) >= 2:
            q1, median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
        else:
            q1 = median = q3 = scores[0] if scores else math.nan
        return cls(
            pairs=len(corpus), ja_sentences=len(corpus.ja_sentences),
            en_sentences=len(corpus.en_sentences), kinds=corpus.kind_counts(),
            unaligned_ja=len(corpus.unaligned_ja), unaligned_en=len(corpus.unaligned_en),
            score_min=scores[0] if scores else math.nan, score_q1=q1, score_median=median,
            score_q3=q3, score_max=scores[-1] if scores else math.nan,
            score_mean=statistics.fmean(scores) if scores else math.nan)
