"""Document vectors and document similarity from sentence vectors, for pairing
documents (:mod:`.pairing`).

* :func:`mean_vector`: the normalised mean of a document's sentence vectors
  (the plain baseline, and the default for the candidate search: 512
  numbers a document, the smallest index).
* :func:`tk_pert_vector`: Thompson & Koehn's order-aware document vector
  ("Exploiting Sentence Order in Document Alignment", EMNLP 2020): the
  document is read through ``windows`` overlapping windows, each a PERT
  (scaled beta) weighting of the sentences centred at a different position;
  each window's weighted mean is normalised and the windows are
  concatenated. Two documents whose content comes in the same order score
  higher than two with the same content shuffled.
* :func:`bimax`: BiMax (2025), the mean over the sentences of each side of
  their best cosine on the other side, averaged over both directions: a
  sentence-level similarity that a shortened version of a page still scores
  well on, computed only for the few candidates the index proposes.

Sentence vectors are expected unit-length (the encoder normalises them).

Example:
    >>> import numpy as np
    >>> X = np.eye(3, dtype=np.float32)           # three orthogonal "sentences"
    >>> [round(float(x), 3) for x in mean_vector(X)]
    [0.577, 0.577, 0.577]
    >>> tk_pert_vector(X, windows=2).shape
    (6,)
    >>> round(bimax(X, X), 3), round(bimax(X, X[:2]), 3)   # itself; a shortened version
    (1.0, 0.833)
"""

from __future__ import annotations

import numpy as np

#: windows and shape of the TK-PERT vectors (Thompson & Koehn used 16 windows
#: of 1024-d LASER vectors; 4 keep the index 4x the mean's size and were as good
#: on the dev collection, see benchmarks/bench_pairing.py)
TK_WINDOWS = 4
TK_SHAPE = 20.0


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return (v / np.where(norm > 0, norm, 1.0)).astype(np.float32)


def mean_vector(X: np.ndarray) -> np.ndarray:
    """The normalised mean of the rows of ``X`` (a zero vector for no rows)."""
    if len(X) == 0:
        return np.zeros(X.shape[1], np.float32)
    return _unit(X.mean(axis=0))


def pert_weights(n: int, windows: int = TK_WINDOWS, shape: float = TK_SHAPE) -> np.ndarray:
    """``(windows, n)`` weights: row ``j`` is a PERT density with its mode at
    ``(j + 0.5) / windows`` of the document, read at each sentence's middle,
    normalised to sum 1.

    Example:
        >>> pert_weights(4, windows=2).argmax(axis=1).tolist()   # first half, second half
        [1, 2]
    """
    if n < 1 or windows < 1:
        raise ValueError(f"need at least one sentence and one window, not {n} and {windows}")
    pos = (np.arange(n) + 0.5) / n
    mode = (np.arange(windows) + 0.5) / windows
    alpha = 1.0 + shape * mode[:, None]
    beta = 1.0 + shape * (1.0 - mode[:, None])
    log_w = (alpha - 1.0) * np.log(pos) + (beta - 1.0) * np.log1p(-pos)  # beta pdf, unscaled
    w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


def tk_pert_vector(X: np.ndarray, windows: int = TK_WINDOWS, shape: float = TK_SHAPE) -> np.ndarray:
    """The TK-PERT vector of a document whose sentence vectors are the rows of
    ``X``: ``windows`` normalised PERT-weighted means, concatenated, unit length
    (so the dot product of two is the mean cosine of their windows)."""
    if len(X) == 0:
        return np.zeros(X.shape[1] * windows, np.float32)
    parts = _unit(pert_weights(len(X), windows, shape) @ X)
    return (parts.reshape(-1) / np.sqrt(windows)).astype(np.float32)


def document_vectors(docs: list[np.ndarray], method: str = "mean") -> np.ndarray:
    """One row per document: ``"mean"`` or ``"tk-pert"`` vectors of each
    document's sentence vectors."""
    if method == "mean":
        make = mean_vector
    elif method == "tk-pert":
        make = tk_pert_vector
    else:
        raise ValueError(f"vectors is {method!r}; give 'mean' or 'tk-pert'")
    return np.stack([make(X) for X in docs]) if docs else np.zeros((0, 0), np.float32)


def bimax(A: np.ndarray, B: np.ndarray) -> float:
    """BiMax: ``(mean_i max_j cos(a_i, b_j) + mean_j max_i cos(a_i, b_j)) / 2``;
    0.0 when a side has no sentences."""
    if len(A) == 0 or len(B) == 0:
        return 0.0
    S = A @ B.T
    return float(0.5 * (S.max(axis=1).mean() + S.max(axis=0).mean()))


def bimax_many(A: np.ndarray, Bs: list[np.ndarray]) -> list[float]:
    """:func:`bimax` of ``A`` with each of ``Bs``, in one matrix product.

    Example:
        >>> X = np.eye(3, dtype=np.float32)
        >>> [round(s, 3) for s in bimax_many(X, [X, X[:2], X[:0]])]
        [1.0, 0.833, 0.0]
    """
    sizes = [len(B) for B in Bs]
    if len(A) == 0 or not any(sizes):
        return [0.0] * len(Bs)
    S = A @ np.concatenate([B for B in Bs if len(B)]).T
    starts = np.cumsum([0] + [n for n in sizes if n])[:-1]
    row_best = np.maximum.reduceat(S, starts, axis=1).mean(axis=0)  # A's sentences, per B
    col_best = S.max(axis=0)
    col_mean = np.add.reduceat(col_best, starts) / np.array([n for n in sizes if n])
    out, k = [], 0
    for n in sizes:
        if n:
            out.append(float(0.5 * (row_best[k] + col_mean[k])))
            k += 1
        else:
            out.append(0.0)
    return out
