"""Confidence: the calibrated probability that a bead is exactly right, and
the honest null built on it.

For each bead of the best path the search's evidence is gathered
(:func:`bead_evidence`): its posterior (:mod:`jp_en_align.aligner.posterior`),
its score, and how much better its two sides match each other than the best
match either side has outside the bead (a sentence that matches another one
better is probably not translated here). A logistic map fitted on the
development sets (:data:`CALIBRATION`) turns that evidence into a confidence.

The honest null: a pair whose confidence is under ``split_below`` is not
made; its sentences become 1-0 / 0-1 beads, with the confidence that each
truly has no counterpart.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from .band import Band
from .scoring import LENGTH_RATIO_PRIORS

#: columns of the evidence matrix (one row per bead)
EVIDENCE = ("logit_posterior", "score", "margin", "multi", "best_elsewhere", "deletion")

_EDGE = 1e-6  # probabilities are clipped to [_EDGE, 1 - _EDGE] before a logit


def logit(p: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))``, ``p`` clipped away from 0 and 1 (never NaN)."""
    p = np.clip(np.nan_to_num(np.asarray(p, np.float64), nan=0.5), _EDGE, 1 - _EDGE)
    return np.log(p) - np.log1p(-p)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, np.float64)))  # no overflow


@numba.njit(cache=True, inline="always")
def _keep_best_two(best, where, second, k, other, s):
    """Sentence ``k`` met cosine ``s`` with sentence ``other`` of the other side."""
    if where[k] < 0 or s > best[k] or (s == best[k] and other < where[k]):
        if where[k] >= 0:
            second[k] = best[k]
        best[k], where[k] = s, other
    elif s > second[k]:
        second[k] = s


@numba.njit(cache=True)
def _band_best_two(S, lo, hi, off, n, m):
    """Per source sentence (row) and per target sentence (column): the best
    cosine in the band ``S``, where it is (the other side's index) and the
    second best (-1 where there is none); ties go to the earlier sentence.
    One walk over the band, no sorted copies of it (on a long document those
    were the search's largest transient arrays)."""
    rb = np.full(n, -1.0)
    rw = np.full(n, -1, np.int64)
    rs = np.full(n, -1.0)
    cb = np.full(m, -1.0)
    cw = np.full(m, -1, np.int64)
    cs = np.full(m, -1.0)
    for i in range(1, len(lo)):
        for j in range(max(lo[i], 1), hi[i] + 1):
            s = np.float64(S[off[i] + j - lo[i]])
            _keep_best_two(rb, rw, rs, i - 1, j - 1, s)
            _keep_best_two(cb, cw, cs, j - 1, i - 1, s)
    return rb, rw, rs, cb, cw, cs


def bead_evidence(beads: list[tuple], posteriors: np.ndarray, path_scores: np.ndarray,
                  band: Band, S: np.ndarray, bad: float,
                  scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The evidence matrix (columns :data:`EVIDENCE`), one row per bead, and
    each source and each target sentence's best cosine with any sentence of
    the other side (on the scale below).

    ``path_scores``: each bead's search score; ``S``: the band's sentence-pair
    cosines; ``bad``/``scale``: the document's cosine of unrelated pairs and
    its distance to that of translations (so cosines read the same in every
    document).
    """
    (src_best, src_where, src_second,
     tgt_best, tgt_where, tgt_second) = _band_best_two(S, band.lo, band.hi, band.off, band.n, band.m)
    X = np.zeros((len(beads), len(EVIDENCE)))
    X[:, 0] = logit(posteriors)
    for k, (a, b, score) in enumerate(beads):
        # the best cosine of each sentence with a sentence outside this bead
        outside = [src_second[i] if src_where[i] in b else src_best[i] for i in a]
        outside += [tgt_second[j] if tgt_where[j] in a else tgt_best[j] for j in b]
        elsewhere = (max(outside) - bad) / scale
        if a and b:
            X[k, 1] = path_scores[k]
            X[k, 2] = (score - bad) / scale - elsewhere
            X[k, 3] = float(len(a) + len(b) > 2)
        else:
            X[k, 4] = elsewhere
            X[k, 5] = 1.0
    return X, (src_best - bad) / scale, (tgt_best - bad) / scale


@dataclass(frozen=True)
class Calibration:
    """Logistic maps from evidence to confidence (``sigmoid(bias + w · x)``).

    ``pair``: bias and weights of (logit posterior, score, margin, multi) for
    beads with two sides; ``deletion``: of (logit posterior, best elsewhere)
    for 1-0/0-1 beads of the path; ``split``: of (logit of 1 - the pair's
    confidence, best elsewhere) for the sentences of a pair the null undid.
    ``split_below``: pairs under this confidence are undone (0 keeps all).
    """

    pair: tuple[float, ...] = (0.0, 1.0, 0.0, 0.0, 0.0)
    deletion: tuple[float, ...] = (0.0, 1.0, 0.0)
    split: tuple[float, ...] = (0.0, 1.0, 0.0)
    split_below: float = 0.5


#: fitted on the development sets (aligned/ and partly_parallel/: wmt21 both
#: directions and BSD dev; 7,962 beads of the search's paths, after the
#: stray peel and weak-pair split of search.py) by
#: ``benchmarks/bench_confidence.py --fit``. Undoing pairs under 0.5 after the
#: search cost strict F1 there (0.927 -> 0.902 on partly parallel news): the
#: null is in the search's scores (ScoringParams.null_*), so no pair is undone
CALIBRATION = Calibration(pair=(2.2897, 1.2509, 0.0386, 0.7925, -0.6888),
                          deletion=(2.7871, 0.775, -1.6344),
                          split=(0.7069, 0.5992, -1.9666), split_below=0.0)

#: the search's scores are log-weights at this temperature for the posteriors
#: (chosen with CALIBRATION: lower saturates every posterior at 0 or 1)
TEMPERATURE = 4.0


#: one sentence a side: the document says nothing of its own cosine scale
#: (its one pair is its "translations" and its "unrelated pairs" at once), so
#: the confidence is read from the plain cosine, how far the length ratio is
#: from the language pair's, and the length: ``sigmoid(bias + w · x)`` over
#: :func:`one_line_features`, fitted on one-line pairs of the development sets
#: (the 3,011 gold 1-1 pairs of aligned/ and as many shuffled ones) by
#: ``benchmarks/bench_confidence.py --one-line --fit``. Short dialogue lines
#: ("分かりました。" / "Okay sure.") make some shuffled pairs look like
#: translations, so a one-line pair is at most ``ONE_LINE_CEILING`` sure unless
#: its logit passes ``ONE_LINE_SURE``, above every wrong pair seen in the fit.
ONE_LINE = (0.4852, 2.3013, -1.585, -1.8349, 5.2346)
ONE_LINE_SURE = 3.6741
ONE_LINE_CEILING = 0.9


def one_line_features(cosine: float, src_chars: int, tgt_chars: int, ratio: float) -> np.ndarray:
    """cosine, ``|log length ratio - log expected|``, log shorter length, cosine x log length"""
    deviation = abs(np.log((tgt_chars + 1) / (src_chars + 1)) - np.log(ratio))
    length = np.log1p(min(src_chars, tgt_chars / ratio))
    return np.array([cosine, deviation, length, cosine * length])


def one_line_confidence(x: np.ndarray, weights: tuple[float, ...] = ONE_LINE,
                        sure: float = ONE_LINE_SURE) -> np.ndarray:
    """The confidence of one-line pairs with features ``x`` (rows of :func:`one_line_features`)."""
    w = np.asarray(weights)
    s = w[0] + np.atleast_2d(x) @ w[1:]
    return np.where(s > sure, sigmoid(s), np.minimum(sigmoid(s), ONE_LINE_CEILING))


def one_line_bead(A: np.ndarray, B: np.ndarray, src: str, tgt: str, src_lang: str,
                  tgt_lang: str, weights: tuple[float, ...] = ONE_LINE
                  ) -> tuple[list[tuple], list[float], np.ndarray]:
    """The one bead of a document of one sentence a side: a 1-1 pair whatever
    its score, with a confidence that says whether the two are translations
    (low for unrelated sentences: filter them with ``min_confidence``); and
    its features (for the fit)."""
    norms = float(np.linalg.norm(A[0]) * np.linalg.norm(B[0])) or 1.0
    cosine = float(A[0] @ B[0]) / norms
    x = one_line_features(cosine, len(src), len(tgt), LENGTH_RATIO_PRIORS.get((src_lang, tgt_lang), 1.0))
    return [((0,), (0,), cosine)], [float(one_line_confidence(x, weights)[0])], x


def pair_confidence(X: np.ndarray, cal: Calibration) -> np.ndarray:
    w = np.asarray(cal.pair)
    return sigmoid(w[0] + X[:, :4] @ w[1:])


def deletion_confidence(X: np.ndarray, cal: Calibration) -> np.ndarray:
    w = np.asarray(cal.deletion)
    return sigmoid(w[0] + w[1] * X[:, 0] + w[2] * X[:, 4])


def split_confidence(pair_conf: float, elsewhere: float, cal: Calibration) -> float:
    w = cal.split
    return float(sigmoid(w[0] + w[1] * logit(1.0 - pair_conf) + w[2] * elsewhere))


def confident_beads(beads: list[tuple], X: np.ndarray, src_best: np.ndarray,
                    tgt_best: np.ndarray, cal: Calibration) -> tuple[list[tuple], list[float]]:
    """The beads after the honest null, and each one's confidence.

    ``src_best``/``tgt_best`` (from :func:`bead_evidence`): each sentence's
    best match, for the sentences of undone pairs.
    """
    pair_conf = pair_confidence(X, cal)
    del_conf = deletion_confidence(X, cal)
    out, conf = [], []
    for k, (a, b, score) in enumerate(beads):
        if not a or not b:
            out.append((a, b, score))
            conf.append(float(del_conf[k]))
        elif pair_conf[k] >= cal.split_below:
            out.append((a, b, score))
            conf.append(float(pair_conf[k]))
        else:  # not alike enough to be a pair: each sentence stays unpaired
            for i in a:
                out.append(((i,), (), 0.0))
                conf.append(split_confidence(pair_conf[k], src_best[i], cal))
            for j in b:
                out.append(((), (j,), 0.0))
                conf.append(split_confidence(pair_conf[k], tgt_best[j], cal))
    return out, conf


#: below this :attr:`AlignedCorpus.parallelism` two texts are not translations
#: of each other (the partly parallel dev documents, a quarter of each side
#: missing and unrelated lines added, stay above 0.5)
LOW_PARALLELISM = 0.4
#: ... unless they are this short (a few sentences tell too little)
MIN_SENTENCES_TO_WARN = 8


def warn_if_comparable(corpus: Any) -> None:
    """One warning when the texts look comparable (about the same events)
    rather than parallel (translations), naming the tool for that case."""
    if len(corpus.ja_sentences) + len(corpus.en_sentences) < MIN_SENTENCES_TO_WARN:
        return
    share = corpus.parallelism
    if share < LOW_PARALLELISM:
        warnings.warn(f"these texts look comparable rather than parallel: only {share:.0%} of "
                      "their sentences are in confident pairs; to see which statements of one "
                      "text the other covers, use jp_en_align.compare() (jp-en-align compare)",
                      ComparableTextsWarning, stacklevel=4)


class ComparableTextsWarning(UserWarning):
    """The two texts look comparable (reporting the same events) rather than
    parallel (translations of each other)."""
