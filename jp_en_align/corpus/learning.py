"""Learning from a reviewer's marks: the confidence of the pairs not yet
reviewed, refitted from the pairs already marked right or wrong.

The shipped calibration (the aligner's confidence, kept per bead as the
*prior*) is the starting point: with no marks the refit gives it back
exactly. Each mark is a labelled example ``(features, right or wrong)``; a
logistic map from the features below is fitted to them by Newton's method,
with a Gaussian prior that pulls its weights towards "trust the aligner"
(weight 1 on the logit of the prior confidence, 0 on everything else). A few
marks move it a little, many marks from one collection move it more.

Features of an aligned pair (1-0 / 0-1 beads are not in the queue):

0. logit of the aligner's confidence;
1. the pair's cosine score;
2. whether it has more than two sentences;
3. how many of its two neighbours are 1-0 / 0-1 (errors cluster where
   sentences are missing);
4. how far its length ratio is from the corpus' median;
5. the share of wrong marks among the reviewed pairs of its document
   (smoothed towards the base rate): a document that turns out badly
   aligned makes its other pairs more doubtful;
6. how many of its neighbours (two on each side) were marked wrong.

Example:
    >>> import numpy as np
    >>> X = np.array([[2.0, 0, 0, 0, 0, 0, 0], [-1.0, 0, 0, 0, 0, 0, 0]])
    >>> w = fit(X[:0], np.zeros(0))   # no marks: the prior
    >>> [round(float(p), 3) for p in predict(X, w)]
    [0.881, 0.269]
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

#: how strongly the refit is pulled back to the shipped calibration (the
#: precision of the Gaussian prior on the weights); chosen on the partly
#: parallel dev sets by ``benchmarks/bench_review.py``
PRIOR_STRENGTH = 1.0
#: the share of wrong pairs a document is assumed to have before any mark,
#: and how many marks that assumption weighs
BASE_WRONG_RATE, BASE_WEIGHT = 0.16, 3.0
N_FEATURES = 7
PRIOR_WEIGHTS = np.r_[1.0, np.zeros(N_FEATURES)]  # the last one is the bias

_EDGE = 1e-6


def _logit(p: float) -> float:
    p = 0.5 if p is None or math.isnan(p) else min(max(p, _EDGE), 1 - _EDGE)
    return math.log(p) - math.log1p(-p)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, np.float64)))


def features(beads: Sequence[tuple], prior: Sequence[float], ja_len: Sequence[int],
             en_len: Sequence[int], doc_of: Sequence[int], marked_wrong: Sequence[bool],
             reviewed: Sequence[bool], ks: Sequence[int]) -> np.ndarray:
    """The feature rows (columns as in the module docstring) of beads ``ks``.

    ``prior``: the aligner's confidence per bead; ``ja_len``/``en_len``:
    characters per sentence; ``doc_of``: document number per bead;
    ``marked_wrong``/``reviewed``: per bead.
    """
    n = len(beads)
    logs = [math.log((sum(en_len[j] for j in b) + 1) / (sum(ja_len[i] for i in a) + 1))
            for a, b, _ in beads if a and b]
    median = float(np.median(logs)) if logs else 0.0
    wrong_by_doc: dict[int, list[int]] = {}
    for k in range(n):
        if reviewed[k]:
            counts = wrong_by_doc.setdefault(doc_of[k], [0, 0])
            counts[0] += int(marked_wrong[k])
            counts[1] += 1
    X = np.zeros((len(ks), N_FEATURES))
    for row, k in enumerate(ks):
        a, b, score = beads[k]
        lj = sum(ja_len[i] for i in a)
        le = sum(en_len[j] for j in b)
        nulls = sum(1 for q in (k - 1, k + 1) if 0 <= q < n and not (beads[q][0] and beads[q][1]))
        wrong, seen = wrong_by_doc.get(doc_of[k], (0, 0))
        near = sum((1.0 if abs(q - k) == 1 else 0.5) for q in (k - 2, k - 1, k + 1, k + 2)
                   if 0 <= q < n and doc_of[q] == doc_of[k] and marked_wrong[q])
        X[row] = (_logit(prior[k]), 0.0 if math.isnan(score) else score,
                  float(len(a) + len(b) > 2), nulls, abs(math.log((le + 1) / (lj + 1)) - median),
                  (wrong + BASE_WRONG_RATE * BASE_WEIGHT) / (seen + BASE_WEIGHT) - BASE_WRONG_RATE,
                  near)
    return X


def fit(X: np.ndarray, y: np.ndarray, strength: float = PRIOR_STRENGTH) -> np.ndarray:
    """MAP weights (last one the bias) of a logistic map from ``X`` to ``y``
    (1 right, 0 wrong) under a Gaussian prior centred on :data:`PRIOR_WEIGHTS`."""
    w0 = PRIOR_WEIGHTS
    w = w0.copy()
    if len(y) == 0:
        return w
    Xb = np.c_[X, np.ones(len(X))]
    eye = np.eye(len(w))
    for _ in range(30):  # Newton; the prior keeps the Hessian well conditioned
        p = sigmoid(Xb @ w)
        grad = Xb.T @ (p - y) + strength * (w - w0)
        hess = (Xb.T * (p * (1 - p))) @ Xb + strength * eye
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w


def predict(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Probability that each row's pair is right."""
    return sigmoid(np.c_[X, np.ones(len(X))] @ w)


def refit(corpus: Any) -> dict[tuple, float]:
    """The confidence of every unreviewed aligned pair of ``corpus``, refitted
    from its reviewed pairs (confirmed: right; any other review: wrong).

    The labels come from the change log: each entry records the pairs it
    judged, with the features they had then, so undoing an edit takes its
    label back and later edits do not change what was learned.
    """
    rows, labels = [], []
    for entry in corpus.log:
        for features_, right in entry.get("labels", ()):
            rows.append(features_)
            labels.append(float(right))
    ks = [k for k, (a, b, _) in enumerate(corpus.beads)
          if a and b and corpus.status.get((a, b), "auto") == "auto"]
    if not ks:
        return {}
    if not rows:  # nothing learned (yet, or all undone): the aligner's own confidence
        return {corpus.beads[k][:2]: corpus.prior[corpus.beads[k][:2]]
                for k in ks if corpus.beads[k][:2] in corpus.prior}
    X = np.array(rows, np.float64).reshape(len(rows), N_FEATURES)
    w = fit(X, np.array(labels))
    p = predict(feature_rows(corpus, ks), w)
    return {corpus.beads[k][:2]: float(x) for k, x in zip(ks, p)}


def feature_rows(corpus: Any, ks: Sequence[int]) -> np.ndarray:
    """:func:`features` of beads ``ks`` of ``corpus`` as it is now."""
    beads = corpus.beads
    status = corpus.status
    prior = [corpus.prior.get(b[:2], corpus.confidence.get(b[:2], math.nan)) for b in beads]
    starts = [first_ja for _, first_ja, _ in corpus.documents] or [0]
    doc_of = []
    d = 0
    last_ja = -1
    for a, _, _ in beads:  # beads are in document order; a 0-1 bead keeps the last ja seen
        if a:
            last_ja = a[0]
        while d + 1 < len(starts) and last_ja >= starts[d + 1]:
            d += 1
        doc_of.append(d)
    reviewed = [status.get(b[:2], "auto") != "auto" for b in beads]
    wrong = [status.get(b[:2]) in ("rejected", "corrected") for b in beads]
    return features(beads, prior, [len(s.text) for s in corpus.ja_sentences],
                    [len(s.text) for s in corpus.en_sentences], doc_of, wrong, reviewed, ks)
