"""The candidate search of document pairing: the k nearest documents of the
other side by inner product of unit document vectors, through a faiss index
(faiss-cpu, MIT licence), never a full similarity matrix.

Why faiss (``benchmarks/bench_pairing_index.py``, synthetic 512-d document
vectors, 2 shared cores): its exact index (``IndexFlatIP``) searched 20,000 x
20,000 documents in 3.8 s at 198 MB, faster than every approximate index
tried at that size (faiss HNSW 36 s, usearch 34 s, hnswlib 5.5 s with recall
0.989) and exact; it ships wheels (hnswlib must be compiled) and is kept by a
large team. Beyond :data:`EXACT_LIMIT` documents an inverted-file index
(``IndexIVFFlat``, ``4 sqrt(n)`` lists, :data:`PROBES` probed) keeps the work
per query sublinear. Memory is the two sets of vectors plus a block of
queries: it grows linearly with the collection.

Example:
    >>> import numpy as np
    >>> base = np.eye(4, dtype=np.float32)
    >>> ids, sims = nearest(base[[2, 0]], base, k=1)
    >>> ids.tolist(), sims.round(2).tolist()
    ([[2], [0]], [[1.0], [1.0]])
"""

from __future__ import annotations

import numpy as np

#: up to this many documents on the searched side, search exactly
EXACT_LIMIT = 200_000
#: inverted lists probed per query beyond it
PROBES = 32
#: queries per call to the index (bounds the distance block in memory)
QUERY_BLOCK = 8192


def _index(base: np.ndarray, exact: bool) -> object:
    import faiss

    dim = base.shape[1]
    if exact:
        index = faiss.IndexFlatIP(dim)
    else:
        lists = int(4 * np.sqrt(len(base)))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, lists, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)  # same index for the same vectors
        index.train(base[rng.choice(len(base), min(len(base), 50 * lists), replace=False)])
        index.nprobe = PROBES
    index.add(base)
    return index


def nearest(queries: np.ndarray, base: np.ndarray, k: int,
            exact: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``queries``, the ``k`` rows of ``base`` with the largest
    inner product, best first: ``(ids, similarities)``, each ``(len(queries), k')``
    with ``k' = min(k, len(base))``. ``exact`` None: exact up to
    :data:`EXACT_LIMIT` rows of ``base``. An id of -1 (approximate search
    only) means fewer than ``k`` were found."""
    if k < 1:
        raise ValueError(f"k is {k}; give 1 or more")
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    base = np.ascontiguousarray(base, dtype=np.float32)
    k = min(k, len(base))
    if len(queries) == 0 or k == 0:
        return np.zeros((len(queries), k), np.int64), np.zeros((len(queries), k), np.float32)
    if queries.shape[1] != base.shape[1]:
        raise ValueError(f"queries have {queries.shape[1]} dimensions, the base {base.shape[1]}")
    index = _index(base, len(base) <= EXACT_LIMIT if exact is None else exact)
    ids = np.empty((len(queries), k), np.int64)
    sims = np.empty((len(queries), k), np.float32)
    for start in range(0, len(queries), QUERY_BLOCK):
        block = queries[start:start + QUERY_BLOCK]
        sims[start:start + len(block)], ids[start:start + len(block)] = index.search(block, k)
    return ids, sims
