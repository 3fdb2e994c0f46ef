"""Bead posteriors: how sure the search is of each bead it chose.

The best path (:mod:`jp_en_align.aligner.search`) takes the maximum over
paths; the same band read as a probabilistic model, ``P(path) ∝
exp(score(path) / temperature)``, gives every bead a posterior probability by
the forward–backward (sum-product) algorithm: the total weight of the paths
through the bead over the total weight of all paths. For a 1-0 or 0-1 bead
the event is "this sentence has no counterpart", wherever the path passes
it, so its posterior sums the deletion edges of the sentence's row (column).

The raw posterior is then calibrated (:mod:`~jp_en_align.aligner.confidence`) into the probability
that the bead is exactly right, as measured on the development sets.
"""

from __future__ import annotations

import numba
import numpy as np

from .band import Band
from .walk import walk_backward, walk_forward


def forward_sum(E, lo, hi, off, types, inv_temp):
    """Log of the total weight of the paths reaching every node."""
    return walk_forward(E, lo, hi, off, types, inv_temp, True)[0]


def backward_sum(E, lo, hi, off, types, inv_temp):
    """Log of the total weight of the paths from every node to the end."""
    return walk_backward(E, lo, hi, off, types, inv_temp, True)


@numba.njit(cache=True)
def _deletion_marginals(F, G, E, lo, hi, off, inv_temp, n, m):
    """P(source sentence i-1 has no counterpart) per row i, and the same per
    target column: the sum of the posteriors of the deletion edges (types 1
    and 2: 1-0 and 0-1) of that row or column."""
    Z = G[0]
    src = np.zeros(n + 1)
    tgt = np.zeros(m + 1)
    for i in range(len(lo)):
        for j in range(lo[i], hi[i] + 1):
            c = off[i] + j - lo[i]
            if G[c] == -np.inf:
                continue
            e = E[c, 1]  # 1-0: from (i-1, j)
            if e != -np.inf and i >= 1 and lo[i - 1] <= j <= hi[i - 1]:
                src[i] += np.exp(F[off[i - 1] + j - lo[i - 1]] + e * inv_temp + G[c] - Z)
            e = E[c, 2]  # 0-1: from (i, j-1)
            if e != -np.inf and j - 1 >= lo[i]:
                tgt[j] += np.exp(F[c - 1] + e * inv_temp + G[c] - Z)
    return src, tgt


def path_posteriors(E: np.ndarray, band: Band, types: np.ndarray,
                    path: list[tuple[int, int, int]], temperature: float) -> np.ndarray:
    """The posterior of each bead of ``path`` (``(end row, end column,
    type)`` per bead) under ``P(path) ∝ exp(score / temperature)``."""
    inv = 1.0 / temperature
    F = forward_sum(E, band.lo, band.hi, band.off, types, inv)
    G = backward_sum(E, band.lo, band.hi, band.off, types, inv)
    Z = G[0]
    src_del, tgt_del = _deletion_marginals(F, G, E, band.lo, band.hi, band.off, inv,
                                           band.n, band.m)
    out = np.empty(len(path))
    for k, (i, j, t) in enumerate(path):
        a, b = int(types[t, 0]), int(types[t, 1])
        if b == 0:
            out[k] = src_del[i]
        elif a == 0:
            out[k] = tgt_del[j]
        else:
            c = band.cell(i, j)
            out[k] = np.exp(F[band.cell(i - a, j - b)] + float(E[c, t]) * inv + G[c] - Z)
    # rounding can push a sum of posteriors a hair past 1; a degenerate band
    # (every path -inf) would give NaN: the search found a path, so 0 is honest
    return np.clip(np.nan_to_num(out, nan=0.0), 0.0, 1.0)
