"""Scoring an alignment against gold beads, and the ``[i, j]:[k]`` bead format.

The definitions are exactly those of Vecalign's ``score.py`` (Thompson & Koehn
2019, after Véronis & Langlais), the scorer behind the published Text+Berg
figures:

* **precision** is measured over the predicted beads, leaving out only beads
  empty on both sides: a predicted 1-0 or 0-1 bead counts, and is right when
  the gold has the same deletion;
* **recall** is measured over the gold beads with both sides non-empty: a
  missed deletion costs precision only;
* **strict**: a bead is right only if it is exactly a gold bead;
* **lax**: a bead that is not exactly right still counts if it overlaps a gold
  bead on both sides (some of its source sentences belong to gold beads that
  share a target sentence with it).

Counts, not ratios, are kept, so that scores of several documents add up the
way Vecalign's ``score_multiple`` does (micro-average): ``sum(evaluate(p, g)
for p, g in ...)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

from .corpus.formats.beads import (BeadIds, check_beads, format_beads, parse_beads,  # noqa: F401
                                   read_beads, write_beads)


@dataclass(frozen=True)
class AlignmentScores:
    """Strict and lax counts of one or more documents; ratios are properties.

    Add scores of several documents with ``+`` or ``sum()`` to get Vecalign's
    corpus-level (micro-averaged) figures. A ratio whose denominator is zero
    is 0.0, as in Vecalign.

    Example:
        >>> s = evaluate([((0,), (0,)), ((1,), (1,))], [((0,), (0,)), ((1,), (1,))])
        >>> s.f1_strict, s.precision_lax
        (1.0, 1.0)
        >>> (s + s).f1_strict
        1.0
    """

    #: precision side: predicted beads that are / are not gold (strict, lax)
    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0
    #: recall side: gold non-deletion beads found / not found (strict, lax)
    found_strict: int = 0
    missed_strict: int = 0
    found_lax: int = 0
    missed_lax: int = 0

    @property
    def precision_strict(self) -> float:
        return _ratio(self.tp_strict, self.tp_strict + self.fp_strict)

    @property
    def recall_strict(self) -> float:
        return _ratio(self.found_strict, self.found_strict + self.missed_strict)

    @property
    def f1_strict(self) -> float:
        return _f1(self.precision_strict, self.recall_strict)

    @property
    def precision_lax(self) -> float:
        return _ratio(self.tp_lax, self.tp_lax + self.fp_lax)

    @property
    def recall_lax(self) -> float:
        return _ratio(self.found_lax, self.found_lax + self.missed_lax)

    @property
    def f1_lax(self) -> float:
        return _f1(self.precision_lax, self.recall_lax)

    def as_dict(self) -> dict[str, float]:
        """The six ratios, named as in Vecalign's ``score_multiple``."""
        names = ("precision_strict", "recall_strict", "f1_strict",
                 "precision_lax", "recall_lax", "f1_lax")
        return {k: getattr(self, k) for k in names}

    def __add__(self, other: "AlignmentScores") -> "AlignmentScores":
        if not isinstance(other, AlignmentScores):
            return NotImplemented
        return AlignmentScores(*(getattr(self, f.name) + getattr(other, f.name)
                                 for f in fields(self)))

    def __radd__(self, other: Any) -> "AlignmentScores":
        if other == 0:  # so that sum() works
            return self
        return self.__add__(other)

    def __str__(self) -> str:
        return (f"strict P/R/F1 {self.precision_strict:.3f}/{self.recall_strict:.3f}/"
                f"{self.f1_strict:.3f}  lax P/R/F1 {self.precision_lax:.3f}/"
                f"{self.recall_lax:.3f}/{self.f1_lax:.3f}")


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(predicted: Any, gold: Any, *, overlapping_gold: bool = False) -> AlignmentScores:
    """Score ``predicted`` beads of one document against ``gold`` beads.

    Both may be an :class:`~jp_en_align.corpus.AlignedCorpus` or a list of
    ``(source_ids, target_ids)`` pairs (extra items such as a score are
    ignored). For several documents, add the results (``sum(...)``).

    Both must be alignments (each sentence in one bead), or a ValueError names
    the sentence. ``overlapping_gold=True`` accepts gold that repeats a
    sentence, as Vecalign's scorer does: published gold has such slips
    (Text+Berg ``test1.defr`` puts source sentence 218 in two beads), and the
    published figures count them as they stand.

    Example:
        >>> gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
        >>> pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())]
        >>> s = evaluate(pred, gold)
        >>> s.precision_strict, s.recall_strict  # 2 of 4 predicted; 1 of 2 gold
        (0.5, 0.5)
        >>> s.precision_lax, s.recall_lax  # (1,)-(1,) overlaps the gold 2-1
        (0.75, 1.0)
    """
    test = _bead_set(predicted, "predicted")
    ref = _bead_set(gold, "gold", check=not overlapping_gold)
    tp_s, fp_s, tp_l, fp_l = _precision_counts(ref, test)
    # recall is precision with the roles swapped and deletions left out
    f_s, m_s, f_l, m_l = _precision_counts({b for b in test if b[0] and b[1]},
                                           {b for b in ref if b[0] and b[1]})
    return AlignmentScores(tp_s, fp_s, tp_l, fp_l, f_s, m_s, f_l, m_l)


def _bead_set(beads: Any, what: str, check: bool = True) -> set[BeadIds]:
    """Beads as a set of id tuples, dropping beads empty on both sides.

    Raises ValueError unless the beads are an alignment: each sentence in at
    most one bead (a sentence in two beads would be counted twice), ids from 0.
    """
    if hasattr(beads, "beads"):  # an AlignedCorpus
        beads = beads.beads
    out = set()
    seen: tuple[dict[int, int], dict[int, int]] = ({}, {})  # sentence -> the bead holding it
    for k, bead in enumerate(beads):
        try:
            src, tgt = tuple(_id(x) for x in bead[0]), tuple(_id(x) for x in bead[1])
        except (TypeError, ValueError, IndexError):
            raise TypeError(f"{what} bead {k} is {bead!r}; expected (source_ids, target_ids), "
                            "e.g. ((0, 1), (0,)), with sentence numbers from 0") from None
        for side, ids, name in ((0, src, "source"), (1, tgt, "target")):
            for x in ids:
                if check and x in seen[side]:
                    raise ValueError(f"{what} beads are not an alignment: {name} sentence {x} "
                                     f"is in bead {seen[side][x]} and in bead {k}; each "
                                     "sentence belongs to one bead")
                seen[side][x] = k
        if src or tgt:
            out.add((src, tgt))
    return out


def _id(x: Any) -> int:
    """A sentence number: an integer from 0 (0.7 or True is not one)."""
    if isinstance(x, bool) or int(x) != x or x < 0:
        raise ValueError(x)
    return int(x)


def _precision_counts(gold: set[BeadIds], test: set[BeadIds]) -> tuple[int, int, int, int]:
    """(strict tp, strict fp, lax tp, lax fp) of ``test`` beads against ``gold``."""
    gold_targets_of_source = defaultdict(set)
    for src, tgt in gold:
        for s in src:
            gold_targets_of_source[s].update(tgt)
    tp_s = fp_s = tp_l = fp_l = 0
    for src, tgt in test:
        if (src, tgt) in gold:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        reachable = set()
        for s in src:
            reachable |= gold_targets_of_source.get(s, set())
        if reachable.intersection(tgt):
            tp_l += 1
        else:
            fp_l += 1
    return tp_s, fp_s, tp_l, fp_l
