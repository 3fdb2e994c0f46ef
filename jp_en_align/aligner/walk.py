"""The walk over the band, written once for the best path
(:mod:`~jp_en_align.aligner.search`, the maximum over paths) and the
posteriors (:mod:`~jp_en_align.aligner.posterior`, the sum over paths).

A node is a cell ``c = off[i] + j - lo[i]`` of the band (row ``i``, column
``j``); a bead of type ``t`` ending there starts at ``(i - types[t, 0],
j - types[t, 1])``, its score ``E[c, t]`` (-inf where it cannot end).
``total=False`` keeps the best incoming (outgoing) score, ``total=True`` adds
the weights up in log space; ``scale`` multiplies every bead score (1 / the
temperature for the posteriors, 1 for the best path, which leaves the scores
exactly as they are).

Example:
    >>> import numpy as np
    >>> lo, hi, off = np.array([0, 0]), np.array([1, 1]), np.array([0, 2, 4])
    >>> types = np.array([[1, 1], [1, 0], [0, 1]])
    >>> E = np.array([[-np.inf] * 3, [-np.inf, -np.inf, -1.0],
    ...               [-np.inf, -1.0, -np.inf], [2.0, -1.0, -1.0]])
    >>> F, back = walk_forward(E, lo, hi, off, types, 1.0, False)
    >>> float(F[-1]), int(back[-1])
    (2.0, 0)
    >>> float(walk_backward(E, lo, hi, off, types, 1.0, False)[0])
    2.0
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def logaddexp(x, y):
    """``log(exp(x) + exp(y))``, exact at -inf."""
    if x == -np.inf:
        return y
    if y == -np.inf:
        return x
    if x > y:
        return x + np.log1p(np.exp(y - x))
    return y + np.log1p(np.exp(x - y))


@numba.njit(cache=True)
def start_cell(i, j, t, types, lo, hi, off):
    """The cell where a bead of type ``t`` ending at ``(i, j)`` starts, or -1
    when that start lies outside the band."""
    pi = i - types[t, 0]
    pj = j - types[t, 1]
    if pi < 0 or pj < lo[pi] or pj > hi[pi]:
        return -1
    return off[pi] + pj - lo[pi]


@numba.njit(cache=True)
def walk_forward(E, lo, hi, off, types, scale, total):
    """Every node's best (``total``: log of the summed) score of the paths
    from the start, and the bead type that gives the best (-1 for none)."""
    F = np.full(off[-1], -np.inf)
    back = np.full(off[-1], -1, np.int8)
    F[0] = 0.0
    for i in range(len(lo)):
        for j in range(lo[i], hi[i] + 1):
            c = off[i] + j - lo[i]
            acc = -np.inf
            for t in range(types.shape[0]):
                e = E[c, t]
                pc = -1 if e == -np.inf else start_cell(i, j, t, types, lo, hi, off)
                if pc < 0:
                    continue
                v = F[pc] + e * scale
                if total:
                    acc = logaddexp(acc, v)
                elif v > acc:
                    acc = v
                    back[c] = t
            if c > 0:
                F[c] = acc
    return F, back


@numba.njit(cache=True)
def walk_backward(E, lo, hi, off, types, scale, total):
    """Every node's best (``total``: log of the summed) score of the paths
    from it to the end, pushed from each node to where its beads start."""
    G = np.full(off[-1], -np.inf)
    G[off[-1] - 1] = 0.0
    for i in range(len(lo) - 1, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            c = off[i] + j - lo[i]
            g = G[c]
            if g == -np.inf:
                continue
            for t in range(types.shape[0]):
                e = E[c, t]
                pc = -1 if e == -np.inf else start_cell(i, j, t, types, lo, hi, off)
                if pc < 0:
                    continue
                v = g + e * scale
                if total:
                    G[pc] = logaddexp(G[pc], v)
                elif v > G[pc]:
                    G[pc] = v
    return G
