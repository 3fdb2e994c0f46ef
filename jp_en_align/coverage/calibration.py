"""How a raw cosine becomes a calibrated press-coverage score: "standard
deviations above an unrelated pair" for this encoder and these documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Calibration:
    """How a raw cosine becomes a calibrated score for one pair of documents.

    ``score = (cosine - centre) / spread``, where centre and spread are the
    median and the robust standard deviation of *shuffled pairs*: every press
    sentence against every official unit (nearly all of them unrelated), plus
    press sentences against, and official units against, a fixed set of
    unrelated sentences (:mod:`jp_en_align.coverage.background`) so that short documents
    get a null distribution too. A score is thus "standard deviations above an
    unrelated pair, for this encoder and these documents": the same thresholds
    work for an encoder whose unrelated pairs score 0.1 and one whose score 0.8.
    """

    centre: np.ndarray  # per official unit (whole sentences and clauses differ)
    spread: np.ndarray
    typical: np.ndarray  # per official unit: its mean cosine with the press sentences
    n_press: int

    @classmethod
    def fit(cls, press_vecs: np.ndarray, unit_vecs: np.ndarray, is_clause: np.ndarray,
            background_ja: np.ndarray, background_en: np.ndarray, sample: int = 100_000,
            seed: int = 0) -> "Calibration":
        rng = np.random.default_rng(seed)  # fixed: the same answer every run
        centre = np.zeros(len(unit_vecs))
        spread = np.ones(len(unit_vecs))
        # short clauses resemble more things than whole sentences: each kind of
        # unit gets its own null distribution
        for kind in (False, True):
            units = unit_vecs[is_clause == kind]
            if not len(units):
                continue
            groups = [(press_vecs, units), (press_vecs, background_ja), (background_en, units)]
            # all these pairs, or the same share of each group when they are many
            share = min(1.0, sample / sum(len(a) * len(b) for a, b in groups))
            null = np.concatenate([_pair_sample(a, b, share, rng) for a, b in groups])
            centre[is_clause == kind] = np.median(null)
            spread[is_clause == kind] = _robust_spread(null)
        # a unit close to everything the press says (a broad sentence) would
        # attract every press sentence: rank candidates against their typical level
        return cls(centre, spread, press_vecs.mean(0) @ unit_vecs.T, len(press_vecs))

    def scores(self, cosines: np.ndarray) -> np.ndarray:
        """Calibrated scores (what labels are decided on)."""
        return (cosines - self.centre) / self.spread

    def ranking(self, cosines: np.ndarray) -> np.ndarray:
        """Scores minus each unit's hubness (how close it is to everything
        *else* the press says): for ranking a press sentence's candidates
        (``cosines``: rows of press sentences, the comparison's own or clauses
        of them). A press sentence's own cosines are left out of its hubness:
        with few press sentences they would flatten its ranking (with one,
        every unit would rank the same)."""
        n = self.n_press
        if n < 2:
            return self.scores(cosines)
        others = (n * self.typical - cosines) / (n - 1)  # leave-one-out mean
        # less one constant for all rows: a press sentence's clauses and the
        # sentence itself are ranked on the same scale
        return (cosines - self.centre - others + np.median(self.typical)) / self.spread


def _pair_sample(a: np.ndarray, b: np.ndarray, share: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Cosines of all pairs (row of ``a``, row of ``b``), or of a random
    ``share`` of them (at least 1,000) when there are many."""
    n = len(a) * len(b)
    if share >= 1.0 or n <= 1000:
        return (a @ b.T).ravel()
    k = max(1000, int(n * share))
    ii, jj = rng.integers(0, len(a), k), rng.integers(0, len(b), k)
    if n <= 4_000_000:  # every pair at once is faster than gathering (16 MB at most)
        return (a @ b.T)[ii, jj]
    # in chunks: gathering every sampled pair's vectors at once would take 100s of MB
    step = 8192
    return np.concatenate([np.einsum("ij,ij->i", a[ii[s:s + step]], b[jj[s:s + step]])
                           for s in range(0, k, step)])


def _robust_spread(x: np.ndarray) -> float:
    """Standard deviation estimated from the median absolute deviation (ignores
    the few true matches in the tail)."""
    mad = float(np.median(np.abs(x - np.median(x)))) * 1.4826
    return mad if mad > 1e-6 else float(np.std(x)) or 1.0
