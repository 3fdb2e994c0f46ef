"""Nearest-neighbour libraries for document pairing's candidate search, on
synthetic document vectors (how ``jp_en_align.collection.neighbours`` chose one).

N "Japanese" and N "English" unit vectors (512 dimensions, like USE-multilingual
v3): documents drawn around 2,000 topics, each English vector its Japanese
partner plus noise (so near-duplicate topics compete). For each library, in a
fresh process (so peak RSS is its own): build an index of the English
vectors, query the k=10 nearest for every Japanese vector (``jp_en_align``: the
project's ``nearest`` as pairing calls it, in both directions); report build and
query time, peak RSS and recall (share of Japanese documents whose partner is
among their 10 candidates; the exact search's figure is the ceiling).

    .venv/bin/python benchmarks/bench_pairing_index.py                 # N=20,000, every library
    .venv/bin/python benchmarks/bench_pairing_index.py -n 100000 --only faiss-hnsw
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

LIBRARIES = ("numpy-exact", "faiss-flat", "faiss-hnsw", "faiss-ivf", "usearch", "hnswlib",
             "jp_en_align")
DIM, TOPICS, K = 512, 2000, 10


def _unit(rng: np.random.Generator, m: int) -> np.ndarray:
    x = rng.standard_normal((m, DIM), dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def vectors(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((TOPICS, DIM), dtype=np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    ja = np.empty((n, DIM), np.float32)
    en = np.empty((n, DIM), np.float32)
    for start in range(0, n, 10_000):  # in blocks: no n x DIM temporaries beyond the two arrays
        m = min(10_000, n - start)
        base = topics[rng.integers(0, TOPICS, m)] + _unit(rng, m)  # topic + document: cosine 0.5 within a topic
        base /= np.linalg.norm(base, axis=1, keepdims=True)
        ja[start:start + m] = base
        e = base + 1.2 * _unit(rng, m)  # the translation: cosine ~0.65 to its partner
        en[start:start + m] = e / np.linalg.norm(e, axis=1, keepdims=True)
    return ja, en


def run_one(name: str, n: int) -> dict:
    ja, en = vectors(n)
    t0 = time.perf_counter()
    if name == "numpy-exact":
        build = time.perf_counter() - t0
        ids = np.empty((n, K), np.int64)
        for s in range(0, n, 2048):
            sims = ja[s:s + 2048] @ en.T
            ids[s:s + 2048] = np.argpartition(-sims, K, axis=1)[:, :K]
    elif name.startswith("faiss"):
        import faiss

        if name == "faiss-flat":
            index = faiss.IndexFlatIP(DIM)
        elif name == "faiss-hnsw":
            index = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 64
        else:
            nlist = max(16, int(4 * np.sqrt(n)))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, nlist, faiss.METRIC_INNER_PRODUCT)
            index.train(en[np.random.default_rng(1).choice(n, min(n, 40 * nlist), replace=False)])
            index.nprobe = 32
        index.add(en)
        build = time.perf_counter() - t0
        _, ids = index.search(ja, K)
    elif name == "usearch":
        from usearch.index import Index

        index = Index(ndim=DIM, metric="ip", dtype="f32", connectivity=16, expansion_add=80,
                      expansion_search=64)
        index.add(np.arange(n), en)
        build = time.perf_counter() - t0
        ids = index.search(ja, K).keys
    elif name == "hnswlib":
        import hnswlib

        index = hnswlib.Index(space="ip", dim=DIM)
        index.init_index(max_elements=n, ef_construction=80, M=16)
        index.add_items(en, np.arange(n))
        index.set_ef(64)
        build = time.perf_counter() - t0
        ids, _ = index.knn_query(ja, k=K)
    else:  # the project's wrapper, as pairing uses it: both directions
        from jp_en_align.collection.neighbours import nearest

        build = 0.0
        ids, _ = nearest(ja, en, K)
        nearest(en, ja, K)
    total = time.perf_counter() - t0
    recall = float(np.mean([i in row for i, row in enumerate(np.asarray(ids))]))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"library": name, "n": n, "build_s": build, "query_s": total - build,
            "total_s": total, "recall@10": recall, "peak_rss_mb": rss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="documents a side (default 20,000)")
    parser.add_argument("--only", nargs="*", choices=LIBRARIES, help="these libraries only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.n)))
        return 0
    print(f"{'library':<13} {'n':>8} {'build s':>8} {'query s':>8} {'total s':>8} "
          f"{'recall@10':>9} {'peak MB':>8}")
    for name in args.only or LIBRARIES:
        out = subprocess.run([sys.executable, __file__, "-n", str(args.n), "--child", name],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{name:<13} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['library']:<13} {r['n']:>8,} {r['build_s']:>8.1f} {r['query_s']:>8.1f} "
              f"{r['total_s']:>8.1f} {r['recall@10']:>9.4f} {r['peak_rss_mb']:>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
