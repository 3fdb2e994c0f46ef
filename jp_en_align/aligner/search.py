"""The dynamic programme over a band: forward and backward passes, the
candidate beads near the best path, the traceback, and the coarse band search
that keeps memory linear in the documents (Vecalign's halving idea).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numba
import numpy as np

from .band import NEG_INF, Band, band_similarities
from .scoring import DocumentScorer
from .walk import start_cell, walk_backward, walk_forward

#: bead types before this index are 1-1, 1-0, 0-1 (see scoring.bead_types)
FIRST_MULTI = 3


@dataclass(frozen=True)
class SearchParams:
    """Options of the search (see :class:`Aligner`).

    ``coarse_width`` is the band margin at the halved levels,
    ``full_grid_nodes`` the grid size up to which no band is used, and
    ``calibration_width`` how many columns beside a rough path count as
    "unrelated pairs" when the cosine scale is calibrated.
    """

    max_bead: int = 6
    band_width: int = 8
    coarse_width: int = 6
    full_grid_nodes: int = 250_000
    candidate_margin: float = 3.0
    calibration_width: int = 4


# ------------------------------------------------------------ dynamic programme


def forward(E, lo, hi, off, types):
    """Best score of reaching every node, and the bead type used to get there."""
    return walk_forward(E, lo, hi, off, types, 1.0, False)


def backward(E, lo, hi, off, types):
    """Best score of reaching the end from every node."""
    return walk_backward(E, lo, hi, off, types, 1.0, False)


@numba.njit(cache=True)
def near_best(F, G, E, lo, hi, off, types, first_multi, threshold):
    """Multi-sentence beads (cell, type) on some path scoring >= threshold."""
    count = 0
    cells = np.empty(1024, np.int64)
    tys = np.empty(1024, np.int64)
    for i in range(len(lo)):
        for j in range(lo[i], hi[i] + 1):
            c = off[i] + j - lo[i]
            if G[c] == -np.inf:
                continue
            for t in range(first_multi, types.shape[0]):
                e = E[c, t]
                pc = -1 if e == -np.inf else start_cell(i, j, t, types, lo, hi, off)
                if pc < 0 or not F[pc] + e + G[c] >= threshold:
                    continue
                if count == len(cells):
                    cells = np.concatenate((cells, np.empty(count, np.int64)))
                    tys = np.concatenate((tys, np.empty(count, np.int64)))
                cells[count] = c
                tys[count] = t
                count += 1
    return cells[:count], tys[:count]


def traceback(back: np.ndarray, band: Band, types: np.ndarray) -> list[tuple[int, int, int]]:
    """The best path as (end row, end column, type) per bead, in order."""
    i, j = band.n, band.m
    out = []
    while i > 0 or j > 0:
        t = int(back[band.cell(i, j)])
        if t < 0:
            raise RuntimeError("alignment search found no path (this is a bug; please report it)")
        out.append((i, j, t))
        i, j = i - int(types[t, 0]), j - int(types[t, 1])
    out.reverse()
    return out


def fill_scores(band: Band, types: np.ndarray, sims: np.ndarray,
                 scorer: DocumentScorer, in_place: bool = False) -> np.ndarray:
    """``(cells, types)`` bead scores, -inf where a bead cannot end; with
    ``in_place`` they are written over ``sims`` (float32, the same shape),
    column by column, so the search holds one such array instead of two."""
    rows, cols = band.coords()
    E = sims if in_place else np.full((band.size, len(types)), NEG_INF, np.float32)
    for t, (a, b) in enumerate(types):
        pi, pj = rows - a, cols - b
        ok = pi >= 0
        ok[ok] &= (pj[ok] >= band.lo[pi[ok]]) & (pj[ok] <= band.hi[pi[ok]])
        if a and b:
            ok &= ~np.isnan(sims[:, t])
        idx = np.flatnonzero(ok)
        del pi, pj, ok
        # in slices: the scorer's temporaries (a dozen arrays of float64 per
        # cell) stay small on a long document
        scores = np.concatenate([
            scorer.scores(rows[part], cols[part], int(a), int(b), sims[part, t])
            for part in np.array_split(idx, max(1, len(idx) // _FILL_SLICE))]) \
            if len(idx) else np.zeros(0, np.float32)
        if in_place:
            E[:, t] = NEG_INF
        E[idx, t] = scores
    return E


_FILL_SLICE = 262_144  # cells scored at a time


# ------------------------------------------------------------ the band search


def _pair_means(X: np.ndarray) -> np.ndarray:
    """Halve a side: average the embeddings of sentences 2k and 2k+1."""
    n = len(X)
    half = X[: n - n % 2].reshape(n // 2, 2, -1).sum(axis=1)
    if n % 2:
        half = np.concatenate([half, X[-1:]])
    norms = np.linalg.norm(half, axis=1, keepdims=True)
    return np.divide(half, norms, out=np.zeros_like(half), where=norms > 0)


_SIMPLE_TYPES = np.array([(1, 1), (1, 0), (0, 1)], dtype=np.int64)


def simple_path(A: np.ndarray, B: np.ndarray, band: Band,
                 S: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Nodes of the best 1-1/1-0/0-1 path scoring pairs by cosine above the
    band's mean (so unrelated pairs cost and deletions are free). ``S``: the
    band's sentence-pair cosines, if already known."""
    if S is None:
        S = band_similarities(A, B, band)
    rows, cols = band.coords()
    inner = (rows > 0) & (cols > 0)
    mean = float(S[inner].mean()) if inner.any() else 0.0
    E = np.zeros((band.size, 3), np.float32)
    E[:, 0] = np.where(inner, S - mean, NEG_INF)
    E[rows == 0, 1] = NEG_INF
    E[cols == 0, 2] = NEG_INF
    _, back = forward(E, band.lo, band.hi, band.off, _SIMPLE_TYPES)
    path = traceback(back, band, _SIMPLE_TYPES)
    r = np.array([0] + [p[0] for p in path], np.int64)
    c = np.array([0] + [p[1] for p in path], np.int64)
    return r, c


def find_band(A: np.ndarray, B: np.ndarray, params: SearchParams) -> Band:
    """A band of the grid that holds the alignment path, built by recursive halving."""
    n, m = len(A), len(B)
    if (n + 1) * (m + 1) <= params.full_grid_nodes:
        return Band.full(n, m)
    A2, B2 = _pair_means(A), _pair_means(B)
    band2 = find_band(A2, B2, replace(params, band_width=params.coarse_width))
    r2, c2 = simple_path(A2, B2, band2)
    # a coarse node (r, c) covers fine nodes 2r-1 .. 2r
    rows = np.minimum(np.concatenate([2 * r2, 2 * r2 - 1]), n)
    cols = np.minimum(np.concatenate([2 * c2, 2 * c2 - 1]), m)
    return Band.around(np.maximum(rows, 0), np.maximum(cols, 0), n, m, params.band_width)




# ------------------------------------------------------------ unit kinds


def _same_kind_runs(codes: np.ndarray) -> np.ndarray:
    """``out[i]``: how many sentences ending at sentence ``i - 1`` share its
    kind (``out[0] = 0``): a run of ``a`` sentences ending there is of one
    kind when ``out[i] >= a``."""
    out = np.zeros(len(codes) + 1, np.int64)
    for k in range(len(codes)):
        out[k + 1] = out[k] + 1 if k and codes[k] == codes[k - 1] else 1
    return out


def forbid_mixed_kinds(E: np.ndarray, band: Band, types: np.ndarray, src_kinds: list[str],
                       tgt_kinds: list[str]) -> None:
    """Set to -inf (in place) the score of every bead whose sentences are not
    all of one kind: a title, heading, date or signature unit pairs only with
    units of its own kind, never with body sentences (1-0 and 0-1 beads are
    always allowed)."""
    if len(set(src_kinds) | set(tgt_kinds)) <= 1:
        return  # one kind (usually all body): nothing to forbid
    names = {k: c for c, k in enumerate(sorted(set(src_kinds) | set(tgt_kinds)))}
    src = np.array([names[k] for k in src_kinds], np.int64)
    tgt = np.array([names[k] for k in tgt_kinds], np.int64)
    src_run, tgt_run = _same_kind_runs(src), _same_kind_runs(tgt)
    rows, cols = band.coords()
    inner = (rows > 0) & (cols > 0)
    same = np.zeros(band.size, bool)
    same[inner] = src[rows[inner] - 1] == tgt[cols[inner] - 1]
    for t, (a, b) in enumerate(types):
        if a and b:
            bad = ~(same & (src_run[rows] >= a) & (tgt_run[cols] >= b))
            E[bad, t] = NEG_INF


# ------------------------------------------------------------ stray sentences


def peel_strays(path: list[tuple[int, int, int]], types: np.ndarray, band: Band, E: np.ndarray,
                S: np.ndarray, bead_cosine: dict, bad: float, scale: float, below: float,
                slack: float) -> list[tuple[int, int, int]]:
    """The path with stray sentences peeled off its 2-1 and 1-2 beads.

    In a partly parallel text a sentence with no counterpart tends to ride
    along in a merge next to a true pair (the merge's joined run reads
    about as well as the pair alone). An end sentence of a 2-1 or 1-2 bead
    is peeled into a 1-0 / 0-1 bead when its own cosine with the other side
    is under ``below`` on the document's scale (0 = unrelated pairs, 1 =
    translations; ``bad`` and ``scale``) and the pair left behind matches at
    least as well as the whole bead less ``slack``: the stray adds nothing.
    ``bead_cosine`` maps ``(cell, type)`` to the cosine of a multi bead's
    runs; ``S`` holds the sentence-pair cosines per cell. A peel is made only
    where both new beads are allowed in ``E`` (in the band, kinds not mixed).

    Example:
        >>> band = Band.full(2, 1)
        >>> types = np.array([(1, 1), (1, 0), (0, 1), (1, 2), (2, 1)])
        >>> E = np.zeros((band.size, 5), np.float32)
        >>> S = np.array([0, 0, 0, 0.9, 0, 0.05], np.float32)  # nodes (1, 1) and (2, 1)
        >>> peel_strays([(2, 1, 4)], types, band, E, S, {(band.cell(2, 1), 4): 0.85},
        ...             bad=0.2, scale=0.5, below=-0.2, slack=0.05)
        [(1, 1, 0), (2, 1, 1)]
    """
    out: list[tuple[int, int, int]] = []

    def edge(i: int, j: int, t: int) -> bool:  # the bead ending at (i, j) is allowed
        return band.lo[i] <= j <= band.hi[i] and E[band.cell(i, j), t] > NEG_INF

    def single(i: int, j: int) -> float:  # cosine of source i-1 and target j-1, if known
        return float(S[band.cell(i, j)]) if band.lo[i] <= j <= band.hi[i] else -1.0

    for i, j, t in path:
        a, b = int(types[t, 0]), int(types[t, 1])
        if (a, b) not in ((2, 1), (1, 2)):
            out.append((i, j, t))
            continue
        whole = bead_cosine[(band.cell(i, j), t)]
        # (the stray's own cosine, the pair left, the two new beads)
        if a == 2:  # sources i-2, i-1 with target j-1
            options = [(single(i - 1, j), single(i, j), [(i - 1, j - 1, 1), (i, j, 0)]),
                       (single(i, j), single(i - 1, j), [(i - 1, j, 0), (i, j, 1)])]
        else:  # source i-1 with targets j-2, j-1
            options = [(single(i, j - 1), single(i, j), [(i - 1, j - 1, 2), (i, j, 0)]),
                       (single(i, j), single(i, j - 1), [(i, j - 1, 0), (i, j, 2)])]
        best = None
        for stray, left, beads in options:
            if ((stray - bad) / scale < below and left >= whole - slack
                    and all(edge(*bead) for bead in beads)
                    and (best is None or left > best[0])):
                best = (left, beads)
        out.extend(best[1] if best else [(i, j, t)])
    return out


def weak_pairs(path: list[tuple[int, int, int]], types: np.ndarray, band: Band, S: np.ndarray,
                scorer: DocumentScorer) -> np.ndarray:
    """Per bead of ``path``: a 1-1 bead too weak to keep in a partly parallel
    document: its scaled cosine less ``null_split_length`` times its squared
    length deviation is under ``null_split_below`` (see ScoringParams)."""
    p = scorer.params
    ends = np.array([(i, j) for i, j, _ in path], np.int64).reshape(-1, 2)
    one = np.array([t == 0 for _, _, t in path], bool)
    weak = np.zeros(len(path), bool)
    if one.any():
        i, j = ends[one, 0], ends[one, 1]
        cos = np.array([S[band.cell(int(x), int(y))] for x, y in zip(i, j)], np.float64)
        evidence = ((cos - scorer.bad) / scorer.scale
                    - p.null_split_length * np.minimum(scorer.length_z2(i, j, 1, 1), p.length_cap))
        weak[one] = evidence < p.null_split_below
    return weak


def split_weak_pairs(path: list[tuple[int, int, int]], band: Band, E: np.ndarray,
                     weak: np.ndarray) -> list[tuple[int, int, int]]:
    """The path with each 1-1 bead flagged in ``weak`` (one flag per bead of
    ``path``) undone into a 1-0 and a 0-1 bead, where the band allows one of
    the two orders (1-0 first if both).

    Example:
        >>> band = Band.full(1, 1)
        >>> E = np.zeros((band.size, 3), np.float32)
        >>> split_weak_pairs([(1, 1, 0)], band, E, np.array([True]))
        [(1, 0, 1), (1, 1, 2)]
    """
    out: list[tuple[int, int, int]] = []

    def edge(i: int, j: int, t: int) -> bool:
        return band.lo[i] <= j <= band.hi[i] and E[band.cell(i, j), t] > NEG_INF

    for (i, j, t), flag in zip(path, weak):
        if t == 0 and flag:
            for beads in ([(i, j - 1, 1), (i, j, 2)], [(i - 1, j, 2), (i, j, 1)]):
                if all(edge(*bead) for bead in beads):
                    out.extend(beads)
                    break
            else:
                out.append((i, j, t))
        else:
            out.append((i, j, t))
    return out
