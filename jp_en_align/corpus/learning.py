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
5. how many more wrong marks its document got than the aligner's confidence
   expected of the pairs reviewed there (per reviewed pair, smoothed): a
   document that turns out worse aligned than it looked makes its other
   pairs more doubtful;
6. how many of its neighbours (two on each side) were marked wrong.

Example:
    >>> X = np.array([[2.0, 0, 0, 0, 0, 0, 0], [-1.0, 0, 0, 0, 0, 0, 0]])
    >>> w = fit(X[:0], np.zeros(0))   # no marks: the prior
    >>> [round(float(p), 3) for p in predict(X, w)]
    [0.881, 0.269]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

#: how strongly the refit is pulled back to the shipped calibration (the
#: precision of the Gaussian prior on the weights); chosen on the partly
#: parallel dev sets by ``benchmarks/bench_review.py``
PRIOR_STRENGTH = 1.0
#: how many marks the assumption "as wrong as the aligner expected" weighs in
#: a document's surprise (feature 5)
BASE_WEIGHT = 3.0
N_FEATURES = 7
PRIOR_WEIGHTS = np.r_[1.0, np.zeros(N_FEATURES)]  # the last one is the bias

_EDGE = 1e-6


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, np.float64)))


def fit(X: np.ndarray, y: np.ndarray, strength: float | None = None) -> np.ndarray:
    """MAP weights (last one the bias) of a logistic map from ``X`` to ``y``
    (1 right, 0 wrong) under a Gaussian prior centred on :data:`PRIOR_WEIGHTS`.

    The weight of column 0, the logit of the aligner's confidence, stays 1: it
    is an offset that the other features adjust. The reviewed pairs are the
    doubtful ones, so a free slope fitted on them flattens and wrongly lowers
    the confident pairs no one has looked at yet.
    """
    strength = PRIOR_STRENGTH if strength is None else strength
    w = PRIOR_WEIGHTS.copy()
    if len(y) == 0:
        return w
    offset = X[:, 0] * w[0]
    Z = np.c_[X[:, 1:], np.ones(len(X))]
    v = w[1:].copy()
    eye = np.eye(len(v))
    for _ in range(30):  # Newton; the prior keeps the Hessian well conditioned
        p = sigmoid(offset + Z @ v)
        grad = Z.T @ (p - y) + strength * (v - PRIOR_WEIGHTS[1:])
        hess = (Z.T * (p * (1 - p))) @ Z + strength * eye
        step = np.linalg.solve(hess, grad)
        v -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    w[1:] = v
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
    """The feature rows (columns as in the module docstring) of beads ``ks`` of
    ``corpus`` as it is now. Vectorised over all beads: an edit on a corpus of
    10,000 pairs refits in a few milliseconds."""
    beads = corpus.beads
    n = len(beads)
    status, conf, prior = corpus.status, corpus.confidence, corpus.prior
    keys = [b[:2] for b in beads]
    first_ja = np.array([a[0] if a else -1 for a, _ in keys], np.int64)
    n_ja = np.array([len(a) for a, _ in keys], np.int64)
    first_en = np.array([b[0] if b else -1 for _, b in keys], np.int64)
    n_en = np.array([len(b) for _, b in keys], np.int64)
    cum_ja = np.r_[0, np.cumsum([len(s.text) for s in corpus.ja_sentences])]
    cum_en = np.r_[0, np.cumsum([len(s.text) for s in corpus.en_sentences])]
    # beads are runs of consecutive sentences: characters from prefix sums
    lj = np.where(n_ja > 0, cum_ja[np.maximum(first_ja, 0) + n_ja] - cum_ja[np.maximum(first_ja, 0)], 0)
    le = np.where(n_en > 0, cum_en[np.maximum(first_en, 0) + n_en] - cum_en[np.maximum(first_en, 0)], 0)
    pair = (n_ja > 0) & (n_en > 0)
    p = np.array([prior.get(k, conf.get(k, 0.5)) for k in keys], np.float64)
    p = np.clip(np.nan_to_num(p, nan=0.5), _EDGE, 1 - _EDGE)
    score = np.nan_to_num(np.array([b[2] for b in beads], np.float64), nan=0.0)
    st = [status.get(k, "auto") for k in keys]
    reviewed = np.array([x != "auto" for x in st])
    wrong = np.array([x in ("rejected", "corrected") for x in st], np.float64)
    # document of each bead: by the last Japanese sentence seen (a 0-1 bead has none)
    last_ja = np.maximum.accumulate(np.where(first_ja >= 0, first_ja, -1)) if n else first_ja
    starts = np.array([d[1] for d in corpus.documents] or [0], np.int64)
    doc = np.maximum(np.searchsorted(starts, last_ja, side="right") - 1, 0)
    ratio = np.log((le + 1.0) / (lj + 1.0))
    median = float(np.median(ratio[pair])) if pair.any() else 0.0
    null = (~pair).astype(np.float64)
    nulls = np.r_[0.0, null[:-1]] + np.r_[null[1:], 0.0] if n else null
    # wrong marks beyond what the aligner's confidence expected of the pairs
    # reviewed (the queue shows doubtful pairs first: raw shares would be biased)
    seen = np.bincount(doc[reviewed], minlength=len(starts)).astype(np.float64)
    bad = np.bincount(doc[reviewed], weights=wrong[reviewed] - (1.0 - p[reviewed]),
                      minlength=len(starts))
    rate = bad / (seen + BASE_WEIGHT)
    near = np.zeros(n)
    for shift, weight in ((1, 1.0), (2, 0.5)):  # marked-wrong neighbours in the same document
        if n > shift:
            same = doc[shift:] == doc[:-shift]
            near[:-shift] += weight * wrong[shift:] * same
            near[shift:] += weight * wrong[:-shift] * same
    X = np.c_[np.log(p) - np.log1p(-p), score, (n_ja + n_en > 2).astype(np.float64), nulls,
              np.abs(ratio - median), rate[doc], near]
    return X[np.asarray(ks, np.int64)]
