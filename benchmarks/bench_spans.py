"""Multi-sentence spans: how many the aligner embeds, and what a cheaper span
vector would cost in accuracy.

The aligner embeds a run of sentences (joined text) only for beads near the
likely path. This compares, on the dev sets, strict and lax F1 with those real
run embeddings against the normalised sum of the run's sentence vectors used
in their place (no run encoded at all), and prints the runs embedded, the
time spent encoding them and the share of the set's encoding time.

    python benchmarks/bench_spans.py [--data DIR] [--sets wmt21.ja-en,...] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.datasets import ALIGNED_SETS, PARTLY_SETS, load_aligned  # noqa: E402
from jp_en_align import Aligner, evaluate  # noqa: E402
from jp_en_align.aligner import aligner as aligner_module  # noqa: E402

REAL_RUN_VECTORS = aligner_module._run_vectors


def summed_run_vectors(spans, singles: np.ndarray, starts: np.ndarray,
                       ends: np.ndarray) -> np.ndarray:
    """The normalised sum of each run's sentence vectors (what the first pass uses)."""
    cum = np.vstack([np.zeros((1, singles.shape[1]), singles.dtype), np.cumsum(singles, axis=0)])
    out = cum[ends] - cum[starts]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms > 0, norms, 1)).astype(np.float32)


def run(name: str, problems: list[dict], summed: bool) -> tuple:
    aligner_module._run_vectors = summed_run_vectors if summed else REAL_RUN_VECTORS
    try:
        aligner = Aligner(show_progress_bar=False)
        aligner.encoder.clear_memory()  # cold: every sentence and run encoded in this run
        scores, runs, run_s, enc_s = None, 0, 0.0, 0.0
        for p in problems:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                c = aligner.align(p["ja"], p["en"])
            s = evaluate(c, p["gold"])
            scores = s if scores is None else scores + s
            runs += c.meta["calibration"]["runs_embedded"]
            run_s += c.meta["timings"]["encode_runs"]
            enc_s += c.meta["timings"]["encode_sentences"] + c.meta["timings"]["encode_runs"]
        return scores, runs, run_s, enc_s
    finally:
        aligner_module._run_vectors = REAL_RUN_VECTORS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default ../shared/data)")
    parser.add_argument("--sets", default=",".join(ALIGNED_SETS + PARTLY_SETS))
    parser.add_argument("--quick", action="store_true", help="10 documents per set")
    args = parser.parse_args(argv)
    print(f"{'set':22} {'run vectors':12} {'strict F1':>9} {'lax F1':>7} {'runs':>6} "
          f"{'runs s':>7} {'share of encoding':>18}")
    for name in args.sets.split(","):
        problems = load_aligned(name, args.data)[:10 if args.quick else None]
        for label, summed in (("real", False), ("summed", True)):
            scores, runs, run_s, enc_s = run(name, problems, summed)
            share = run_s / enc_s if enc_s else 0.0
            print(f"{name:22} {label:12} {scores.f1_strict:9.3f} {scores.f1_lax:7.3f} "
                  f"{runs:6d} {run_s:7.2f} {share:18.1%}", flush=True)


if __name__ == "__main__":
    main()
