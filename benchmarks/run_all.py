"""Run every benchmark script in turn (``make bench``); each prints its own table.

    .venv/bin/python benchmarks/run_all.py [--data DIR]

Passes ``--data`` on to each script. The aligner benchmark runs with
``--speed --scale`` (the 10,000-sentence end-to-end row and the
20,000-sentence search row), so the whole run takes several minutes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("bench_segmenting.py", []),
    ("bench_embedding.py", []),
    ("bench_align.py", ["--speed", "--scale"]),
    ("bench_compare.py", []),
    ("bench_readers.py", []),
    ("bench_spans.py", []),
    ("bench_memory.py", []),
    ("bench_review.py", []),
    ("bench_pairing.py", []),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default ../shared/data)")
    args = parser.parse_args()
    extra = ["--data", args.data] if args.data else []
    failed = []
    for script, options in SCRIPTS:
        print(f"\n=== {script} {' '.join(options)}", flush=True)
        if subprocess.call([sys.executable, str(HERE / script), *options, *extra]) != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
