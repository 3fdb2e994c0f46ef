"""Bead scores: how good it is to pair a run of source sentences with a run of
target sentences, computed on a band of the alignment grid.

The grid has a node ``(i, j)`` for "the first ``i`` source and ``j`` target
sentences are aligned"; a bead of type ``(a, b)`` is an edge from node
``(i - a, j - b)`` to ``(i, j)`` covering source sentences ``i-a .. i-1`` and
target sentences ``j-b .. j-1``. A :class:`Band` keeps, for every row ``i``, an
interval of columns: memory is linear in the length of the documents.

A bead's score (higher is better) adds three pieces of evidence:

* similarity: cosine of the embeddings of the two runs, minus a threshold
  calibrated on the document itself, times the number of sentences in the bead
  (so a merge must match at least as well, per sentence, as the pairs it
  replaces);
* length: a Gale–Church style log-likelihood of the runs' character lengths,
  with the characters-per-character ratio and its spread calibrated on the
  document (English runs ~2–3 characters per Japanese character);
* numbers written in digits that appear on one side and not the other.

Deletions (1-0 and 0-1 beads) score 0: everything else is relative to them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numba
import numpy as np

from .evidence import numbers

NEG_INF = np.float32(-np.inf)


def bead_types(max_bead: int) -> np.ndarray:
    """The bead types ``(a, b)`` the search considers: 1-0, 0-1, and every
    ``a``-``b`` with ``a, b >= 1`` and ``a + b <= max_bead``; most common first.

    Example:
        >>> bead_types(3).tolist()
        [[1, 1], [1, 0], [0, 1], [1, 2], [2, 1]]
    """
    if max_bead < 2:
        raise ValueError(f"max_bead is {max_bead}; it must be at least 2 (1-1 beads)")
    multi = sorted(((a, s - a) for s in range(3, max_bead + 1) for a in range(1, s)),
                   key=lambda t: (t[0] + t[1], max(t), t[0]))
    return np.array([(1, 1), (1, 0), (0, 1), *multi], dtype=np.int64).reshape(-1, 2)


@dataclass(frozen=True)
class ScoringParams:
    """Weights of the bead score (defaults tuned on the development sets).

    Similarities are first put on the document's own scale: 0 for the mean
    cosine of unrelated pairs, 1 for the median cosine of sentence pairs that
    are each other's best match. A bead then scores
    ``similarity_weight * (scaled cosine - threshold)`` minus its length and
    number penalties and its prior; a deletion scores 0.

    Attributes:
        similarity_weight: weight of the scaled cosine.
        threshold: scaled cosine at which a 1-1 pair is as good as two deletions.
        length_weight: weight of the length log-likelihood.
        number_weight: penalty when all of a bead's numbers appear on one side
            only (scaled by the share of such numbers).
        merge_penalty: prior cost of each sentence beyond the second in a bead.
        many_to_many_penalty: extra prior cost of beads with two or more
            sentences on both sides (2-2, 2-3, 3-2).
        background_weight: how much of each sentence's own mean cosine with
            unrelated sentences of the other side is subtracted (a sentence
            close to everything proves less when close to its candidate).
        size_exponent: the similarity term is multiplied by ``(sentences / 2)
            ** size_exponent``, so that a bead's evidence grows with its size.
        neighbour_weight: how much of the runs' cosine with the sentences just
            outside the opposite run is subtracted (a bead that leaves out a
            neighbour as similar as its own sentences is probably too short).
    """

    similarity_weight: float = 12.0
    threshold: float = -0.1
    length_weight: float = 0.5
    number_weight: float = 0.5
    merge_penalty: float = -0.5
    many_to_many_penalty: float = 0.5
    background_weight: float = 0.5
    neighbour_weight: float = 0.0
    size_exponent: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


# --------------------------------------------------------------------- the band


@dataclass
class Band:
    """The nodes of the alignment grid the search looks at: for each row
    ``i`` (``0..n``), columns ``lo[i]..hi[i]`` (inclusive).

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
        empty = hi < 0  # rows no path node reaches (cannot happen for a connected path)
        lo[empty], hi[empty] = 0, m
        lo[0], hi[n] = 0, m  # the start and the end are always in
        hi[0] = max(hi[0], 0)
        lo[n] = min(lo[n], m)
        return cls(lo, hi)

    def dilated(self, k: int) -> "Band":
        """This band grown by ``k`` nodes in every direction (clipped to the grid)."""
        n, m = self.n, self.m
        idx = np.clip(np.arange(n + 1)[:, None] + np.arange(-k, k + 1)[None, :], 0, n)
        lo = np.maximum(self.lo[idx].min(axis=1) - k, 0)
        hi = np.minimum(self.hi[idx].max(axis=1) + k, m)
        return Band(lo, hi)

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
    """Cosine of source sentence i-1 and target sentence j-1 at node (i, j)."""
    out = np.zeros(off[-1], np.float32)
    for i in range(1, len(lo)):
        for j in range(max(lo[i], 1), hi[i] + 1):
            out[off[i] + j - lo[i]] = _dot(A, B, i - 1, j - 1)
    return out


def band_similarities(A: np.ndarray, B: np.ndarray, band: Band) -> np.ndarray:
    """Cosine of the sentence pair ending at each node (0 on row/column 0)."""
    return _band_dots(A, B, band.lo, band.hi, band.off)


@numba.njit(cache=True, fastmath=True)
def _run_norms(X, max_run):
    n = X.shape[0]
    out = np.zeros((n + 1, max_run + 1), np.float32)
    near = np.zeros(max_run)  # dot products of sentence i with i+1, i+2, ...
    for i in range(n):
        sq = 0.0
        for k in range(X.shape[1]):
            sq += X[i, k] * X[i, k]
        for d in range(1, max_run):
            near[d] = _dot(X, X, i, i + d) if i + d < n else 0.0
        # |sum of X[i:i+a]|^2 = sum of all pairwise dots in the run
        total = 0.0
        for a in range(1, max_run + 1):
            if i + a > n:
                break
            last = i + a - 1
            inner = 0.0
            for p in range(i, last):
                inner += _dot(X, X, p, last)
            sq_last = 0.0
            for k in range(X.shape[1]):
                sq_last += X[last, k] * X[last, k]
            total += sq_last + 2.0 * inner
            out[i, a] = np.sqrt(max(total, 0.0))
    return out


def run_norms(X: np.ndarray, max_run: int) -> np.ndarray:
    """``out[i, a]`` = length of the sum of the vectors ``X[i:i+a]`` (0 past
    the end): the denominator of a run's approximate embedding."""
    return _run_norms(np.ascontiguousarray(X, dtype=np.float32), max_run)


@numba.njit(cache=True, fastmath=True)
def _pair_sim(S, A, B, lo, hi, off, x, y):
    """Cosine of source sentence x and target sentence y, from the band if there."""
    r = x + 1
    col = y + 1
    if lo[r] <= col <= hi[r]:
        return S[off[r] + col - lo[r]]
    return _dot(A, B, x, y)


@numba.njit(cache=True, fastmath=True)
def _approx_run_sims(S, A, B, lo, hi, off, slo, shi, soff, types, NA, NB, missing):
    """Cosine between runs, approximating a run's embedding by the normalised
    sum of its sentences' embeddings (so only sentence-pair cosines are
    needed), and the mean cosine of each run with the sentences just outside
    the other run (``missing`` where there are none)."""
    T = types.shape[0]
    n = A.shape[0]
    m = B.shape[0]
    max_a = 0
    max_b = 0
    for t in range(T):
        max_a = max(max_a, types[t, 0])
        max_b = max(max_b, types[t, 1])
    sims = np.full((off[-1], T), np.nan, np.float32)
    nbs = np.full((off[-1], T), np.nan, np.float32)
    # M[p, q]: cosine of source sentence i-p and target sentence j-q, for the
    # node (i, j) at hand; p = 0 and q = 0 are the sentences after the bead
    M = np.zeros((max_a + 2, max_b + 2))
    # C[a, b]: sum of M[1..a, 1..b] (the bead's own pairs)
    C = np.zeros((max_a + 2, max_b + 2))
    for i in range(len(lo)):
        for j in range(lo[i], hi[i] + 1):
            c = off[i] + j - lo[i]
            # moving right along a row shifts M by one column: only the new
            # column q = 0 needs reading
            fresh = 0 if j > lo[i] else max_b + 1
            for q in range(max_b + 1, fresh, -1):
                for p in range(max_a + 2):
                    M[p, q] = M[p, q - 1]
            for q in range(fresh + 1):
                y = j - q
                for p in range(max_a + 2):
                    x = i - p
                    if 0 <= x < n and 0 <= y < m:
                        M[p, q] = _pair_sim(S, A, B, slo, shi, soff, x, y)
                    else:
                        M[p, q] = 0.0
            for p in range(1, max_a + 2):
                row = 0.0
                for q in range(1, max_b + 2):
                    row += M[p, q]
                    C[p, q] = C[p - 1, q] + row if p > 1 else row
            for t in range(T):
                a = types[t, 0]
                b = types[t, 1]
                if a == 0 or b == 0:
                    continue
                pi = i - a
                pj = j - b
                if pi < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                na = NA[pi, a]
                nb = NB[pj, b]
                sims[c, t] = C[a, b] / (na * nb) if na * nb > 0 else 0.0
                # neighbours: target sentences pj-1 (q = b+1) and j (q = 0)
                # against the source run; source sentences pi-1 and i against
                # the target run
                total = 0.0
                count = 0
                if na > 0:
                    for q in (0, b + 1):
                        y = j - q
                        if 0 <= y < m:
                            acc = 0.0
                            for p in range(1, a + 1):
                                acc += M[p, q]
                            total += acc / na
                            count += 1
                if nb > 0:
                    for p in (0, a + 1):
                        x = i - p
                        if 0 <= x < n:
                            acc = 0.0
                            for q in range(1, b + 1):
                                acc += M[p, q]
                            total += acc / nb
                            count += 1
                nbs[c, t] = total / count if count else missing
    return sims, nbs


def approx_run_similarities(A: np.ndarray, B: np.ndarray, band: Band, outer: Band,
                            S_outer: np.ndarray, types: np.ndarray,
                            missing: float) -> tuple[np.ndarray, np.ndarray]:
    """``(cells, types)`` approximate cosines of each bead's two runs, and of
    the runs with their neighbours (NaN where the bead would start outside the
    band or has an empty side). ``S_outer``: sentence-pair cosines on
    ``outer``, a band around ``band`` wide enough for every pair a bead and
    its neighbours touch (else they are computed, slowly)."""
    max_a, max_b = int(types[:, 0].max()), int(types[:, 1].max())
    return _approx_run_sims(S_outer, A, B, band.lo, band.hi, band.off, outer.lo, outer.hi,
                            outer.off, types, run_norms(A, max_a), run_norms(B, max_b), missing)


def neighbour_similarities(U: np.ndarray, V: np.ndarray, A: np.ndarray, B: np.ndarray,
                           starts_a: np.ndarray, ends_a: np.ndarray, starts_b: np.ndarray,
                           ends_b: np.ndarray, missing: float) -> np.ndarray:
    """Mean cosine of run embeddings ``U`` (source) and ``V`` (target) with the
    sentences just outside the opposite run, as in :func:`approx_run_similarities`."""
    total = np.zeros(len(U))
    count = np.zeros(len(U))
    for vecs, other, idx in ((U, B, starts_b - 1), (U, B, ends_b), (V, A, starts_a - 1),
                             (V, A, ends_a)):
        ok = (idx >= 0) & (idx < len(other))
        if ok.any():
            total[ok] += np.einsum("kd,kd->k", vecs[ok], other[idx[ok]])
            count[ok] += 1
    return np.where(count > 0, total / np.maximum(count, 1), missing)


# -------------------------------------------------------------- the bead scores


def _numbers(text: str, lang: str) -> frozenset[str]:
    """Numbers written in digits (language-independent and cheap)."""
    return numbers(text)


def _sample(X: np.ndarray, rng: np.random.Generator, size: int = 32) -> np.ndarray:
    if len(X) <= size:
        return X
    return X[np.sort(rng.choice(len(X), size, replace=False))]



class DocumentScorer:
    """Bead scores for one document, calibrated on that document.

    Call :meth:`calibrate` with the band's sentence-pair similarities, then
    :meth:`scores`.

    Example:
        >>> sc = DocumentScorer(["猫が好き。"], ["I like cats."], ScoringParams())
        >>> sc.ratio > 1  # English characters per Japanese character
        True
    """

    def __init__(self, src_texts: list[str], tgt_texts: list[str], params: ScoringParams,
                 src_vectors: np.ndarray | None = None, tgt_vectors: np.ndarray | None = None,
                 src_lang: str = "ja", tgt_lang: str = "en") -> None:
        self.params = params
        self.src_sample = self.tgt_sample = None
        self.src_bg = self.tgt_bg = None
        if src_vectors is not None and tgt_vectors is not None and params.background_weight:
            # a fixed random sample of each side stands for "unrelated sentences"
            rng = np.random.default_rng(0)
            self.src_sample = _sample(src_vectors, rng)
            self.tgt_sample = _sample(tgt_vectors, rng)
            self.src_bg = self.background(src_vectors, "src")
            self.tgt_bg = self.background(tgt_vectors, "tgt")
        src_len = np.array([len(t) for t in src_texts], dtype=np.float64)
        tgt_len = np.array([len(t) for t in tgt_texts], dtype=np.float64)
        self.src_chars = np.concatenate([[0.0], np.cumsum(src_len)])
        self.tgt_chars = np.concatenate([[0.0], np.cumsum(tgt_len)])
        total_src, total_tgt = self.src_chars[-1], self.tgt_chars[-1]
        self.ratio = float(total_tgt / total_src) if total_src > 0 and total_tgt > 0 else 1.0
        self.length_var = 4.0  # variance of the length residual per character; calibrated
        self.bad, self.scale = 0.2, 0.4  # cosine of unrelated pairs, and of translations minus it
        self.mutual_pairs = 0
        self.bg_mean = 0.0
        vocab: dict[str, int] = {}
        self.src_numbers = _number_table([_numbers(t, src_lang) for t in src_texts], vocab)
        self.tgt_numbers = _number_table([_numbers(t, tgt_lang) for t in tgt_texts], vocab)

    def background(self, vectors: np.ndarray, side: str) -> np.ndarray:
        """Mean cosine of each vector (of ``side``) with the other side's sample."""
        sample = self.tgt_sample if side == "src" else self.src_sample
        if sample is None or len(sample) == 0:
            return np.zeros(len(vectors), np.float32)
        return (vectors @ sample.T).mean(axis=1)

    def calibrate(self, band: "Band", S: np.ndarray) -> None:
        """Set the similarity scale and the length model from the band's
        sentence-pair cosines ``S`` (one per node): pairs that are each other's
        best match stand for translations, the mean for unrelated pairs."""
        rows, cols = band.coords()
        inner = (rows > 0) & (cols > 0)
        if not inner.any():
            return
        r, c, s = rows[inner] - 1, cols[inner] - 1, S[inner]
        n, m = band.n, band.m
        row_best = np.full(n, -np.inf, np.float32)
        np.maximum.at(row_best, r, s)
        col_best = np.full(m, -np.inf, np.float32)
        np.maximum.at(col_best, c, s)
        mutual = (s == row_best[r]) & (s == col_best[c])
        bad = float(s.mean())
        if self.src_bg is not None:
            self.bg_mean = 0.5 * float(self.src_bg.mean() + self.tgt_bg.mean())
        good = float(np.median(s[mutual])) if mutual.any() else bad + 0.3
        self.bad, self.scale = bad, max(good - bad, 0.05)
        l1 = np.diff(self.src_chars)[r[mutual]]
        l2 = np.diff(self.tgt_chars)[c[mutual]]
        keep = (l1 > 0) & (l2 > 0) & (s[mutual] > bad + 0.5 * (good - bad))
        if keep.sum() >= 3:
            self.ratio = float(np.median(l2[keep] / l1[keep]))
            resid = (l2[keep] - self.ratio * l1[keep]) ** 2 / (
                (self.ratio * l1[keep] + l2[keep]) / 2)
            # the median of a chi-square with one degree of freedom is 0.455
            self.length_var = float(max(np.median(resid) / 0.455, 0.5))
        self.mutual_pairs = int(mutual.sum())

    def scores(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int,
               sims: np.ndarray, nbs: np.ndarray | None = None,
               src_bg: np.ndarray | None = None,
               tgt_bg: np.ndarray | None = None) -> np.ndarray:
        """Scores of beads of type ``(a, b)`` ending at nodes ``(rows, cols)``
        with run similarities ``sims`` (for 1-0/0-1 beads ``sims`` is ignored).
        ``src_bg``/``tgt_bg``: the runs' background cosines, if known (else the
        mean of their sentences')."""
        if a == 0 or b == 0:
            return np.zeros(len(rows), np.float32)
        p = self.params
        size = a + b
        sims = sims.astype(np.float64)
        if self.src_bg is not None:
            if src_bg is None:
                src_bg = sum(self.src_bg[rows - 1 - k] for k in range(a)) / a
            if tgt_bg is None:
                tgt_bg = sum(self.tgt_bg[cols - 1 - k] for k in range(b)) / b
            sims = sims - p.background_weight * (0.5 * (src_bg + tgt_bg) - self.bg_mean)
        if nbs is not None and p.neighbour_weight:
            sims = sims - p.neighbour_weight * (nbs - self.bad)
        scaled = (sims - self.bad) / self.scale
        out = p.similarity_weight * (scaled - p.threshold) * (size / 2) ** p.size_exponent
        l1 = self.src_chars[rows] - self.src_chars[rows - a]
        l2 = self.tgt_chars[cols] - self.tgt_chars[cols - b]
        z2 = (l2 - self.ratio * l1) ** 2 / (
            self.length_var * np.maximum((self.ratio * l1 + l2) / 2, 1.0))
        out -= p.length_weight * 0.5 * np.minimum(z2, 25.0)
        out -= p.merge_penalty * max(size - 2, 0)
        if a > 1 and b > 1:
            out -= p.many_to_many_penalty
        if p.number_weight:
            out -= p.number_weight * self._number_mismatch(rows, cols, a, b)
        return out.astype(np.float32)

    def _number_mismatch(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """Share of the bead's numbers that appear on one side only."""
        out = np.zeros(len(rows))
        _number_mismatch(rows, cols, a, b, *self.src_numbers, *self.tgt_numbers, out)
        return out


def _number_table(sets: list[frozenset[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's numbers as ids, compressed-row style: ids[ptr[i]:ptr[i+1]]."""
    ptr = np.zeros(len(sets) + 1, np.int64)
    ptr[1:] = np.cumsum([len(x) for x in sets])
    ids = np.array([vocab.setdefault(w, len(vocab)) for x in sets for w in sorted(x)], np.int64)
    return ptr, ids


@numba.njit(cache=True)
def _distinct(ids, start, stop):
    out = np.empty(stop - start, np.int64)
    k = 0
    for x in range(start, stop):
        v = ids[x]
        seen = False
        for y in range(k):
            if out[y] == v:
                seen = True
                break
        if not seen:
            out[k] = v
            k += 1
    return out[:k]


@numba.njit(cache=True)
def _number_mismatch(rows, cols, a, b, sptr, sids, tptr, tids, out):
    for k in range(len(rows)):
        i = rows[k]
        j = cols[k]
        if sptr[i - a] == sptr[i] and tptr[j - b] == tptr[j]:
            continue
        src = _distinct(sids, sptr[i - a], sptr[i])
        tgt = _distinct(tids, tptr[j - b], tptr[j])
        both = 0
        for u in src:
            for v in tgt:
                if u == v:
                    both += 1
                    break
        union = len(src) + len(tgt) - both
        out[k] = (union - both) / union
