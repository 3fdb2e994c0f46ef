"""Bead scores: how good it is to pair a run of source sentences with a run of
target sentences, computed on a band of the alignment grid.

The grid has a node ``(i, j)`` for "the first ``i`` source and ``j`` target
sentences are aligned"; a bead of type ``(a, b)`` is an edge from node
``(i - a, j - b)`` to ``(i, j)`` covering source sentences ``i-a .. i-1`` and
target sentences ``j-b .. j-1``. A :class:`Band` keeps, for every row ``i``, an
interval of columns, so memory grows linearly with the documents.

A bead's score (higher is better; a deletion, 1-0 or 0-1, scores 0) adds up
evidence calibrated on the document itself (see :class:`ScoringParams`):

* similarity: the cosine of the embeddings of the two runs, less each run's
  mean cosine with unrelated sentences (a sentence close to everything proves
  little), put on the document's own scale (0 = unrelated pairs, 1 = typical
  translations), minus a threshold;
* length: a Gale–Church log-likelihood of the runs' character lengths, with
  the ratio (≈2–3 English characters per Japanese one, ≈1 for German–French)
  and its spread measured on the document;
* anchors: numbers and names that occur on both sides of the document but
  not on both sides of this bead;
* a prior on bead types (merges are rarer than 1-1 beads).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

import numba
import numpy as np

from .evidence import latin_words, numbers

from .band import Band


#: languages written without spaces between words (runs of sentences are
#: joined with no space; only Latin-script words in them can be anchors)
UNSPACED_LANGS = frozenset({"ja", "zh", "th", "lo", "km", "my"})


#: total length ratio.
LENGTH_RATIO_PRIORS = {("ja", "en"): 2.25, ("en", "ja"): 1 / 2.25}
#: the cosine of unrelated sentences for a document whose pairs are all alike (mean of
#: shuffled one-line dev pairs, default encoder: benchmarks/bench_confidence.py --one-line)
UNRELATED_COSINE = 0.07


@dataclass(frozen=True)
class ScoringParams:
    """Weights of the bead score (defaults tuned on the development sets:
    wmt21 ja–en and en–ja, BSD dev, Text+Berg dev).

    A bead of ``a`` + ``b`` sentences with run cosine ``s`` scores::

        similarity_weight * (scaled(s) - threshold) * ((a + b) / 2) ** size_exponent
        - length_weight * min(z², length_cap) / 2
        - anchor_weight * (share of the bead's anchors found on one side only)
        - merge_penalty * (a + b - 2) - many_to_many_penalty * [a > 1 and b > 1]

    where ``scaled(s)`` is 0 for the document's mean cosine of unrelated pairs
    and 1 for its median cosine of mutual best matches, and ``z`` is the
    Gale–Church length deviation. Deletions score 0.

    The length model is measured on the document's confident translation
    pairs, each estimate pulled toward a prior as if the prior were
    ``length_prior_pairs`` more pairs: the variance toward
    ``length_variance``; with fewer than three pairs, the ratio toward the
    language pair's entry in :data:`LENGTH_RATIO_PRIORS` (if any), and then
    the variance is ``short_length_variance`` (a loose model, as the
    document's own ratio is uncertain).

    Example:
        >>> ScoringParams(threshold=0.1).similarity_weight
        9.4
    """

    similarity_weight: float = 9.4
    threshold: float = -0.27
    size_exponent: float = 0.12
    background_weight: float = 0.7
    length_weight: float = 0.8
    length_cap: float = 9.0
    anchor_weight: float = 0.8
    merge_penalty: float = -0.6
    many_to_many_penalty: float = 0.0
    length_variance: float = 4.0
    length_prior_pairs: float = 20.0
    short_length_variance: float = 12.0
    #: the honest null: in a document less parallel than ``null_parallel``
    #: (the share of its sentences that are clear mutual best matches), the
    #: threshold rises by ``null_gain`` per unit of the shortfall, so that
    #: unrelated sentences stay 1-0 / 0-1 instead of pairing up
    null_parallel: float = 0.7
    null_gain: float = 2.0
    #: ... and the merge penalty by ``null_merge_gain`` per unit (an unrelated
    #: sentence must not ride along in a 2-1 bead)
    null_merge_gain: float = 10.0
    #: after the search, in a document of 8+ sentences whose best path leaves
    #: at least ``null_peel_unmatched`` of its sentences unpaired (clean
    #: translations leave under 0.13, partly parallel texts about 0.3; above
    #: 1 switches this off), an end sentence of a 2-1 / 1-2 bead whose own
    #: cosine is under ``null_peel_below`` (on the scaled cosine) is peeled
    #: off into a 1-0 / 0-1 bead when the pair left matches at least as well
    #: as the whole bead less ``null_peel_slack`` (see search.peel_strays)
    null_peel_unmatched: float = 0.13
    #: the raised bar applies only where the plain first pass leaves at least
    #: ``null_gate`` of the sentences unpaired, or where the parallel share is
    #: under ``null_gate_share`` anyway: short dialogue lines ("Yes.", "Thank
    #: you.") make a translation look little parallel (shares of 0.56-0.7 on
    #: BSD dev), but it leaves under 0.08 unpaired
    null_gate: float = 0.08
    null_gate_share: float = 0.55
    null_peel_below: float = 0.1
    null_peel_slack: float = 0.1
    #: ... and a 1-1 bead is undone (1-0 + 0-1) when its scaled cosine less
    #: ``null_split_length`` times its squared length deviation (capped at
    #: ``length_cap``) is under ``null_split_below``: in such a document a
    #: weak pair of the wrong length is mostly a sentence whose translation
    #: is missing beside one that is only partly its translation
    null_split_below: float = 0.1
    null_split_length: float = 0.1

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


# ---------------------------------------------------------------------- anchors

_WORD = re.compile(r"[^\W\d_]{3,}")


def _tokens(text: str, latin_only: bool) -> frozenset[str]:
    # the uncached functions: a long document would fill their caches (kept for
    # compare(), which asks again and again) with sets nobody asks for twice
    words = (latin_words.__wrapped__(text) if latin_only
             else frozenset(w.lower() for w in _WORD.findall(text)))
    return numbers.__wrapped__(text) | words


def anchor_tokens(src_texts: list[str], tgt_texts: list[str], src_lang: str,
                  tgt_lang: str) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Each sentence's *anchors*: numbers and words that occur on both sides
    of the document but in few sentences of each (names, acronyms, figures;
    not the function words two languages happen to share). With Japanese (or
    another unspaced language) on either side only Latin-script words count.

    Example:
        >>> src, tgt = anchor_tokens(["Kato erreichte 1956 den Gipfel."],
        ...                          ["Kato atteignit le sommet en 1956."], "de", "fr")
        >>> sorted(src[0]), sorted(tgt[0])
        (['1956', 'kato'], ['1956', 'kato'])
    """
    latin_only = src_lang in UNSPACED_LANGS or tgt_lang in UNSPACED_LANGS
    src = [_tokens(t, latin_only) for t in src_texts]
    tgt = [_tokens(t, latin_only) for t in tgt_texts]
    src_count = Counter(w for x in src for w in x)
    tgt_count = Counter(w for x in tgt for w in x)
    limit = max(3, (len(src) + len(tgt)) // 100)
    keep = {w for w, c in src_count.items() if c <= limit and 0 < tgt_count.get(w, 0) <= limit}
    return [x & keep for x in src], [x & keep for x in tgt]


def _id_table(sets: list[frozenset[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's tokens as ids, compressed-row style: ``ids[ptr[i]:ptr[i+1]]``."""
    ptr = np.zeros(len(sets) + 1, np.int64)
    ptr[1:] = np.cumsum([len(x) for x in sets])
    ids = np.array([vocab.setdefault(w, len(vocab)) for x in sets for w in sorted(x)], np.int64)
    return ptr, ids


@numba.njit(cache=True)
def _contains(values, k, v):
    for y in range(k):
        if values[y] == v:
            return True
    return False


@numba.njit(cache=True)
def _distinct(ids, start, stop):
    out = np.empty(stop - start, np.int64)
    k = 0
    for x in range(start, stop):
        if not _contains(out, k, ids[x]):
            out[k] = ids[x]
            k += 1
    return out[:k]


@numba.njit(cache=True)
def _one_sided_share(rows, cols, a, b, sptr, sids, tptr, tids, out):
    for k in range(len(rows)):
        i = rows[k]
        j = cols[k]
        if sptr[i - a] == sptr[i] and tptr[j - b] == tptr[j]:
            continue  # no anchors in this bead
        src = _distinct(sids, sptr[i - a], sptr[i])
        tgt = _distinct(tids, tptr[j - b], tptr[j])
        both = 0
        for u in src:
            if _contains(tgt, len(tgt), u):
                both += 1
        union = len(src) + len(tgt) - both
        out[k] = (union - both) / union


# -------------------------------------------------------------- the bead scores


def _sample(X: np.ndarray, rng: np.random.Generator, size: int = 32) -> np.ndarray:
    if len(X) <= size:
        return X
    return X[np.sort(rng.choice(len(X), size, replace=False))]


def _window_sum(x: np.ndarray, window: int) -> np.ndarray:
    """Sum of ``x`` over a window centred on each position."""
    return np.convolve(x, np.ones(window))[window // 2: window // 2 + len(x)]


def _local_median(positions: np.ndarray, values: np.ndarray, n: int, window: int) -> np.ndarray:
    """For each position ``0..n-1``, the median of the ``window`` values
    observed nearest to it (``positions`` sorted ascending)."""
    k = len(values)
    if k <= window:
        return np.full(n, float(np.median(values)))
    medians = np.median(np.lib.stride_tricks.sliding_window_view(values, window), axis=1)
    centres = positions[window // 2: window // 2 + len(medians)]
    return np.interp(np.arange(n), centres, medians)


class DocumentScorer:
    """Bead scores for one document, calibrated on that document.

    Call :meth:`calibrate` with the band's sentence-pair cosines, then
    :meth:`scores` for beads.

    Example:
        >>> sc = DocumentScorer(["猫が好き。"], ["I like cats."], ScoringParams())
        >>> sc.ratio > 1  # English characters per Japanese character
        True
    """

    #: how many translation pairs the local length ratio is the median of: a
    #: long input may be many documents, each with its own ratio
    ratio_window = 61
    #: documents shorter than this (both sides together) get no null (see
    #: ScoringParams.null_parallel): their share of clear matches is noise
    null_min_sentences = 8

    def __init__(self, src_texts: list[str], tgt_texts: list[str], params: ScoringParams,
                 src_vectors: np.ndarray | None = None, tgt_vectors: np.ndarray | None = None,
                 src_lang: str = "ja", tgt_lang: str = "en") -> None:
        self.params = params
        # a fixed random sample of each side stands for "unrelated sentences"
        self.src_sample = self.tgt_sample = self.src_bg = self.tgt_bg = None
        self.bg_mean = 0.0
        if src_vectors is not None and tgt_vectors is not None and params.background_weight:
            rng = np.random.default_rng(0)
            self.src_sample = _sample(src_vectors, rng)
            self.tgt_sample = _sample(tgt_vectors, rng)
            self.src_bg = self.background(src_vectors, "src")
            self.tgt_bg = self.background(tgt_vectors, "tgt")
            if len(self.src_bg) and len(self.tgt_bg):
                self.bg_mean = 0.5 * float(self.src_bg.mean() + self.tgt_bg.mean())
        self.src_chars = np.concatenate([[0.0], np.cumsum([len(t) for t in src_texts])])
        self.tgt_chars = np.concatenate([[0.0], np.cumsum([len(t) for t in tgt_texts])])
        total_src, total_tgt = self.src_chars[-1], self.tgt_chars[-1]
        # calibrated by calibrate(): characters per character, the variance of
        # the length residual per character, and the cosine scale
        self.ratio = float(total_tgt / total_src) if total_src > 0 and total_tgt > 0 else 1.0
        self.ratio_prior = LENGTH_RATIO_PRIORS.get((src_lang, tgt_lang))
        self.local_ratio: np.ndarray | None = None  # per source sentence, see calibrate()
        self.length_var = params.length_variance
        self.bad, self.scale = 0.2, 0.4
        self.parallel_share = 1.0
        self.long_enough = False  # to judge its parallel share, set by calibrate()
        # raised by calibrate() in a partly parallel text
        self.threshold, self.merge_penalty = params.threshold, params.merge_penalty
        self.shortfall = 0.0  # how much less parallel than null_parallel (calibrate)
        self.null_raised = False  # whether the bar is raised by the shortfall
        self.local_bad = self.local_scale = None
        vocab: dict[str, int] = {}
        src_anchors, tgt_anchors = anchor_tokens(src_texts, tgt_texts, src_lang, tgt_lang)
        self.src_anchors = _id_table(src_anchors, vocab)
        self.tgt_anchors = _id_table(tgt_anchors, vocab)

    def background(self, vectors: np.ndarray, side: str) -> np.ndarray:
        """Mean cosine of each vector of ``side`` ("src"/"tgt") with the other
        side's sample."""
        sample = self.tgt_sample if side == "src" else self.src_sample
        if sample is None or len(sample) == 0:
            return np.zeros(len(vectors), np.float32)
        return (vectors @ sample.T).mean(axis=1)

    def calibrate(self, band: Band, S: np.ndarray, near: Band | None = None) -> None:
        """Set the cosine scale and the length model from the band's
        sentence-pair cosines ``S`` (one per node): pairs that are each
        other's best match stand for translations, the mean of the pairs in
        ``near`` (a band around a rough path; default: all) for unrelated
        ones. Measuring unrelated pairs near the path makes the scale the
        same whether a document comes alone or inside a long concatenation."""
        rows, cols = band.coords()
        inner = (rows > 0) & (cols > 0)
        if not inner.any():
            return
        local = inner if near is None else inner & (cols >= near.lo[rows]) & (cols <= near.hi[rows])
        r, c, s = rows[inner] - 1, cols[inner] - 1, S[inner]
        row_best = np.full(band.n, -np.inf, np.float32)
        np.maximum.at(row_best, r, s)
        col_best = np.full(band.m, -np.inf, np.float32)
        np.maximum.at(col_best, c, s)
        mutual = (s == row_best[r]) & (s == col_best[c])
        bad = float(S[local].mean()) if local.any() else float(s.mean())
        good = float(np.median(s[mutual])) if mutual.any() else bad + 0.3
        # all pairs alike (["はい。"] * 5, ["Yes."] * 5): the encoder's usual cosines tell
        alike = good - bad < 0.05
        if alike:
            bad, good = min(bad, UNRELATED_COSINE), max(good, UNRELATED_COSINE + 0.3)
        self.bad, self.scale = bad, max(good - bad, 0.05)
        # how parallel the document looks: the share of its sentences that
        # are a clear mutual best match (near 1 for a translation, lower when
        # either side has sentences the other lacks)
        clear = mutual & (s > bad + 0.5 * (good - bad))
        self.parallel_share = min(1.0, float(2 * clear.sum() / (band.n + band.m)))
        p = self.params
        # a few sentences tell too little to judge the document by
        self.long_enough = band.n + band.m >= self.null_min_sentences
        self.shortfall = (max(0.0, p.null_parallel - self.parallel_share)
                          if self.long_enough else 0.0)
        self.use_null(True)
        # the same, locally (a long input may be many documents)
        w = self.ratio_window
        local_rows = rows[local] - 1
        counts = np.bincount(local_rows, minlength=band.n).astype(np.float64)
        sums = np.bincount(local_rows, weights=S[local], minlength=band.n)
        near_counts = _window_sum(counts, w)
        self.local_bad = np.where(near_counts > 0, _window_sum(sums, w) / np.maximum(near_counts, 1), bad)
        if alike:
            self.local_bad = np.full(band.n, bad)
        if mutual.sum() >= 3 and not alike:
            order = np.argsort(r[mutual], kind="stable")
            local_good = _local_median(r[mutual][order], s[mutual][order], band.n, w)
        else:
            local_good = np.full(band.n, good)
        self.local_scale = np.maximum(local_good - self.local_bad, 0.05)
        l1 = np.diff(self.src_chars)[r[mutual]]
        l2 = np.diff(self.tgt_chars)[c[mutual]]
        keep = (l1 > 0) & (l2 > 0) & (s[mutual] > bad + 0.5 * (good - bad))
        n_pairs = int(keep.sum())
        n0 = self.params.length_prior_pairs
        if n_pairs >= 3:
            pair_rows = r[mutual][keep]
            ratios = l2[keep] / l1[keep]
            self.ratio = float(np.median(ratios))
            self.local_ratio = _local_median(pair_rows, ratios, band.n, self.ratio_window)
            lr = self.local_ratio[pair_rows]
            resid = (l2[keep] - lr * l1[keep]) ** 2 / ((lr * l1[keep] + l2[keep]) / 2)
            # the median of a chi-square with one degree of freedom is 0.455
            own = float(max(np.median(resid) / 0.455, 0.5))
            self.length_var = (n_pairs * own + n0 * self.params.length_variance) / (n_pairs + n0)
        elif self.ratio_prior is not None:
            # too few pairs to measure (the total lengths would count an
            # unmatched sentence as if it were translated): the language
            # pair's prior, moved toward the pairs there are
            logs = np.log(l2[keep] / l1[keep])
            self.ratio = float(np.exp((logs.sum() + n0 * np.log(self.ratio_prior)) / (n_pairs + n0)))
            self.length_var = self.params.short_length_variance

    def length_z2(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """The squared Gale–Church length deviation of the beads of type
        ``(a, b)`` ending at nodes ``(rows, cols)`` (about 1 for a translation)."""
        l1 = self.src_chars[rows] - self.src_chars[rows - a]
        l2 = self.tgt_chars[cols] - self.tgt_chars[cols - b]
        ratio = self.ratio if self.local_ratio is None else self.local_ratio[rows - 1]
        return (l2 - ratio * l1) ** 2 / (self.length_var * np.maximum((ratio * l1 + l2) / 2, 1.0))

    def use_null(self, on: bool) -> None:
        """Raise the pairing threshold and the merge penalty by the document's
        shortfall of parallelism (``on``), or score as in a translation."""
        p, short = self.params, self.shortfall if on else 0.0
        self.null_raised = short > 0
        self.threshold = p.threshold + p.null_gain * short
        self.merge_penalty = p.merge_penalty + p.null_merge_gain * short

    def scores(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int, sims: np.ndarray,
               src_bg: np.ndarray | None = None, tgt_bg: np.ndarray | None = None) -> np.ndarray:
        """Scores of the beads of type ``(a, b)`` ending at nodes ``(rows,
        cols)`` whose runs have cosine ``sims`` (ignored for deletions).
        ``src_bg``/``tgt_bg``: the runs' own background cosines when their
        real embeddings are known (else the mean of their sentences')."""
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
            sims -= p.background_weight * (0.5 * (src_bg + tgt_bg) - self.bg_mean)
        if self.local_bad is not None:
            scaled = (sims - self.local_bad[rows - 1]) / self.local_scale[rows - 1]
        else:
            scaled = (sims - self.bad) / self.scale
        out = p.similarity_weight * (scaled - self.threshold) * (size / 2) ** p.size_exponent
        out -= p.length_weight * 0.5 * np.minimum(self.length_z2(rows, cols, a, b), p.length_cap)
        if p.anchor_weight:
            one_sided = np.zeros(len(rows))
            _one_sided_share(rows, cols, a, b, *self.src_anchors, *self.tgt_anchors, one_sided)
            out -= p.anchor_weight * one_sided
        out -= self.merge_penalty * (size - 2)
        if a > 1 and b > 1:
            out -= p.many_to_many_penalty
        return out.astype(np.float32)
