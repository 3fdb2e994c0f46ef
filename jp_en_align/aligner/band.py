"""The band of the alignment grid and the similarity kernels over it.

The grid has a node ``(i, j)`` for "the first ``i`` source and ``j`` target
sentences are aligned"; a bead of type ``(a, b)`` is an edge from node
``(i - a, j - b)`` to ``(i, j)``. A :class:`Band` keeps, for every row ``i``,
an interval of columns, so memory grows linearly with the documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np


NEG_INF = np.float32(-np.inf)

#: languages written without spaces between words (runs of sentences are
#: joined with no space; only Latin-script words in them can be anchors)
UNSPACED_LANGS = frozenset({"ja", "zh", "th", "lo", "km", "my"})


def bead_types(max_bead: int) -> np.ndarray:
    """The bead types ``(a, b)`` the search considers: 1-1, 1-0, 0-1, then
    every ``a``-``b`` with ``a, b >= 1`` and ``a + b <= max_bead``.

    Example:
        >>> bead_types(3).tolist()
        [[1, 1], [1, 0], [0, 1], [1, 2], [2, 1]]
    """
    if not isinstance(max_bead, (int, np.integer)) or max_bead < 2:
        raise ValueError(f"max_bead is {max_bead!r}; it must be an int of at least 2 "
                         "(2 allows 1-1 beads, 5 allows up to 4-1 and 2-3)")
    multi = sorted(((a, s - a) for s in range(3, max_bead + 1) for a in range(1, s)),
                   key=lambda t: (t[0] + t[1], max(t), t[0]))
    return np.array([(1, 1), (1, 0), (0, 1), *multi], dtype=np.int64).reshape(-1, 2)


#: characters of the second language per character of the first, for
#: documents too short to measure their own (medians of wmt21 news, 2.26, and
#: BSD dialogue, 2.19; see ScoringParams). Other pairs use the document's

# --------------------------------------------------------------------- the band


@dataclass
class Band:
    """The nodes of the alignment grid the search looks at: for each row
    ``i`` (``0..n``), columns ``lo[i]..hi[i]`` (inclusive), stored row after row.

    Example:
        >>> band = Band.full(2, 3)
        >>> band.size, band.cell(2, 3)
        (12, 11)
    """

    lo: np.ndarray
    hi: np.ndarray
    off: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.lo = np.ascontiguousarray(self.lo, dtype=np.int64)
        self.hi = np.ascontiguousarray(self.hi, dtype=np.int64)
        self.off = np.zeros(len(self.lo) + 1, dtype=np.int64)
        np.cumsum(self.hi - self.lo + 1, out=self.off[1:])

    @classmethod
    def full(cls, n: int, m: int) -> "Band":
        """Every node of an ``(n + 1) x (m + 1)`` grid."""
        return cls(np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64))

    @classmethod
    def around(cls, path_rows: np.ndarray, path_cols: np.ndarray, n: int, m: int,
               width: int) -> "Band":
        """The nodes within ``width`` (in both directions) of a path's nodes."""
        lo = np.full(n + 1, m + 1, np.int64)
        hi = np.full(n + 1, -1, np.int64)
        for dr in range(-width, width + 1):
            r = np.clip(path_rows + dr, 0, n)
            np.minimum.at(lo, r, np.clip(path_cols - width, 0, m))
            np.maximum.at(hi, r, np.clip(path_cols + width, 0, m))
        empty = hi < 0  # rows no path node reaches (not for a connected path)
        lo[empty], hi[empty] = 0, m
        lo[0], hi[n] = 0, m  # the start and the end are always in
        return cls(lo, hi)

    @classmethod
    def beside(cls, path_rows: np.ndarray, path_cols: np.ndarray, n: int, m: int,
               width: int) -> "Band":
        """The nodes at most ``width`` columns away from a path's nodes of the
        same row (the path must visit every row)."""
        lo = np.full(n + 1, m + 1, np.int64)
        hi = np.full(n + 1, -1, np.int64)
        np.minimum.at(lo, path_rows, np.maximum(path_cols - width, 0))
        np.maximum.at(hi, path_rows, np.minimum(path_cols + width, m))
        return cls(lo, hi)

    def dilated(self, k: int) -> "Band":
        """This band grown by ``k`` nodes in every direction (clipped to the grid)."""
        n, m = self.n, self.m
        idx = np.clip(np.arange(n + 1)[:, None] + np.arange(-k, k + 1)[None, :], 0, n)
        return Band(np.maximum(self.lo[idx].min(axis=1) - k, 0),
                    np.minimum(self.hi[idx].max(axis=1) + k, m))

    def lookup(self, inner: "Band", values: np.ndarray) -> np.ndarray:
        """``values`` (one per cell of this band) at the cells of ``inner``, a
        band inside this one."""
        rows, cols = inner.coords()
        return values[self.off[rows] + cols - self.lo[rows]]

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    @property
    def m(self) -> int:
        return int(self.hi[-1])

    @property
    def size(self) -> int:
        return int(self.off[-1])

    def cell(self, i: int, j: int) -> int:
        return int(self.off[i] + j - self.lo[i])

    def coords(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell, in cell order."""
        counts = self.hi - self.lo + 1
        rows = np.repeat(np.arange(len(self.lo), dtype=np.int64), counts)
        cols = np.arange(self.size, dtype=np.int64) - np.repeat(self.off[:-1] - self.lo, counts)
        return rows, cols


# ----------------------------------------------------------------- similarities


@numba.njit(cache=True, fastmath=True)
def _dot(A, B, x, y):
    s = 0.0
    for k in range(A.shape[1]):
        s += A[x, k] * B[y, k]
    return s


@numba.njit(cache=True, fastmath=True)
def _band_dots(A, B, lo, hi, off):
    out = np.zeros(off[-1], np.float32)
    for i in range(1, len(lo)):
        for j in range(max(lo[i], 1), hi[i] + 1):
            out[off[i] + j - lo[i]] = _dot(A, B, i - 1, j - 1)
    return out


def band_similarities(A: np.ndarray, B: np.ndarray, band: Band) -> np.ndarray:
    """Cosine of source sentence ``i-1`` and target sentence ``j-1`` at each
    node ``(i, j)`` of ``band`` (0 on row and column 0)."""
    return _band_dots(A, B, band.lo, band.hi, band.off)


@numba.njit(cache=True, fastmath=True)
def _run_norms(X, max_run):
    n = X.shape[0]
    out = np.zeros((n + 1, max_run + 1), np.float32)
    for i in range(n):
        # |X[i] + ... + X[last]|^2 grows by |X[last]|^2 + 2 X[last].(X[i] + ...)
        total = 0.0
        for last in range(i, min(i + max_run, n)):
            cross = 0.0
            for p in range(i, last):
                cross += _dot(X, X, p, last)
            total += _dot(X, X, last, last) + 2.0 * cross
            out[i, last - i + 1] = np.sqrt(max(total, 0.0))
    return out


def run_norms(X: np.ndarray, max_run: int) -> np.ndarray:
    """``out[i, a]`` = length of the sum of the vectors ``X[i:i+a]`` (0 past
    the end): the denominator of a run's approximate embedding."""
    return _run_norms(np.ascontiguousarray(X, dtype=np.float32), max_run)


@numba.njit(cache=True, fastmath=True)
def _approx_run_sims(S, A, B, lo, hi, off, slo, shi, soff, types, NA, NB):
    T = types.shape[0]
    max_a = 1
    max_b = 1
    for t in range(T):
        max_a = max(max_a, types[t, 0])
        max_b = max(max_b, types[t, 1])
    out = np.full((off[-1], T), np.nan, np.float32)
    # at node (i, j): M[p, q] = cosine of source sentence i-1-p and target
    # sentence j-1-q; C[p, q] = sum of M[:p+1, :q+1] (a (p+1)-(q+1) bead's pairs)
    M = np.zeros((max_a, max_b))
    C = np.zeros((max_a, max_b))
    for i in range(1, len(lo)):
        for j in range(max(lo[i], 1), hi[i] + 1):
            c = off[i] + j - lo[i]
            # one step right along a row shifts M by a column: read only the new one
            fresh = 0 if j > max(lo[i], 1) else max_b - 1
            for q in range(max_b - 1, fresh, -1):
                for p in range(max_a):
                    M[p, q] = M[p, q - 1]
            for q in range(fresh + 1):
                y = j - 1 - q
                for p in range(max_a):
                    x = i - 1 - p
                    if x < 0 or y < 0:
                        M[p, q] = 0.0
                    elif slo[x + 1] <= y + 1 <= shi[x + 1]:
                        M[p, q] = S[soff[x + 1] + y + 1 - slo[x + 1]]
                    else:  # outside the precomputed band (not expected)
                        M[p, q] = _dot(A, B, x, y)
            for p in range(max_a):
                row = 0.0
                for q in range(max_b):
                    row += M[p, q]
                    C[p, q] = row + (C[p - 1, q] if p > 0 else 0.0)
            for t in range(T):
                a = types[t, 0]
                b = types[t, 1]
                if a == 0 or b == 0:
                    continue
                pi = i - a
                pj = j - b
                if pi < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                den = NA[pi, a] * NB[pj, b]
                out[c, t] = C[a - 1, b - 1] / den if den > 0 else 0.0
    return out


def approx_run_similarities(A: np.ndarray, B: np.ndarray, band: Band, outer: Band,
                            S_outer: np.ndarray, types: np.ndarray) -> np.ndarray:
    """``(cells, types)``: for the bead of each type ending at each node, the
    cosine between its runs, each run's embedding approximated by the sum of
    its sentences' embeddings, so that only sentence-pair cosines are needed
    (NaN where the bead would start outside the band or has an empty side).

    ``S_outer`` holds the sentence-pair cosines of ``outer``, a band around
    ``band`` wide enough to hold every pair of every bead.
    """
    max_a, max_b = int(types[:, 0].max()), int(types[:, 1].max())
    return _approx_run_sims(S_outer, A, B, band.lo, band.hi, band.off, outer.lo, outer.hi,
                            outer.off, types, run_norms(A, max_a), run_norms(B, max_b))


