"""Peak memory and time of aligning one long document, each size in a fresh process.

Documents of N x N sentences are the development sets concatenated and
repeated (every sentence a distinct string, see ``bench_align.big_document``).
Each size runs in its own process from loading the model to the corpus; the
child reads its peak resident memory from /proc (VmHWM), so no other run's
memory counts.

    python benchmarks/bench_memory.py [--sizes 10000,20000,50000] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def child(size: int, data: str | None) -> None:
    import warnings

    from benchmarks.bench_align import big_document
    from benchmarks.datasets import data_dir
    from jp_en_align import Aligner, evaluate

    src, tgt, gold = big_document(data_dir(data), size)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = Aligner(show_progress_bar=False).align(src, tgt)
    seconds = time.perf_counter() - t0
    peak = next(int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith("VmHWM")) / 1024
    print(json.dumps({"size": f"{len(src)}x{len(tgt)}", "seconds": seconds, "peak_mb": peak,
                      "f1": evaluate(corpus, gold, overlapping_gold=True).f1_strict,
                      "timings": corpus.meta["timings"]}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,20000,50000")
    parser.add_argument("--data", default=None)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.data)
        return
    print(f"{'document':>14} {'seconds':>8} {'encode s':>9} {'search s':>9} {'peak MB':>8} "
          f"{'strict F1':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--child", str(size)]
        if args.data:
            cmd += ["--data", args.data]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        t = r["timings"]
        print(f"{r['size']:>14} {r['seconds']:8.1f} {t['encode_sentences'] + t['encode_runs']:9.1f} "
              f"{t['search']:9.1f} {r['peak_mb']:8.0f} {r['f1']:9.3f}", flush=True)


if __name__ == "__main__":
    main()
