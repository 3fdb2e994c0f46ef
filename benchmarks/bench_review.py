"""Review: how fast a reviewer finds the wrong pairs, and how fast realigning is.

A simulated reviewer works through the partly parallel dev sets (each set
one collection, one review queue across its documents), marking each pair
right or wrong by the gold beads:

* ``static``: today's order, least confident first by the aligner's own
  confidence, never updated;
* ``learning``: :meth:`AlignedCorpus.review_order` asked again after each
  :meth:`AlignedCorpus.mark`, the unreviewed pairs' confidence refitted from
  the marks (:mod:`jp_en_align.corpus.learning`).

For each it prints the share of the wrong pairs found after reviewing 10, 20
and 30 % of the pairs, and after 20 %: the share of wrong pairs in the
default TMX export and the ECE of the pairs not yet reviewed.

Then realigning around a fix on a long embedded document (dev documents
joined into one): ``realign(window=20)`` (what the review page does),
``realign()`` of every auto pair, and ``align(anchors=...)`` with every
tenth gold bead fixed.

    python benchmarks/bench_review.py [--data DIR] [--sets partly.bsd.dev,...] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.datasets import ALIGNED_SETS, PARTLY_SETS, concatenate, load_aligned  # noqa: E402
from jp_en_align import AlignedCorpus, Aligner  # noqa: E402

BUDGETS = (0.1, 0.2, 0.3)
THRESHOLDS = (0.7, 0.9)  # other export confidences, reported beside the default


def ece(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width confidence bins."""
    which = np.minimum((conf * bins).astype(int), bins - 1)
    return float(sum(abs(conf[which == b].mean() - right[which == b].mean()) * (which == b).mean()
                     for b in range(bins) if (which == b).any()))


def collection(aligner: Aligner, problems: list[dict]) -> tuple[AlignedCorpus, set]:
    """All documents of a set as one corpus, and its gold beads in its numbering."""
    parts, gold = [], set()
    a0 = b0 = 0
    for p in problems:
        c = aligner.align(p["ja"], p["en"])
        parts.append((str(p["id"]), c))
        gold |= {(tuple(i + a0 for i in a), tuple(j + b0 for j in b)) for a, b in p["gold"]}
        a0, b0 = a0 + len(p["ja"]), b0 + len(p["en"])
    return AlignedCorpus.concat(parts), gold


def simulate(corpus: AlignedCorpus, gold: set, learning: bool) -> dict:
    n = sum(1 for a, b, _ in corpus.beads if a and b)
    wrong_total = sum(1 for a, b, _ in corpus.beads if a and b and (a, b) not in gold)
    static = corpus.review_order()
    found, out, c = 0, {}, corpus
    for step in range(1, int(max(BUDGETS) * n) + 1):
        if learning:
            k = c.review_order()[0]
        else:  # the static order names pairs of the first corpus: find each in c
            key = corpus.beads[static[step - 1]][:2]
            k = next(i for i, b in enumerate(c.beads) if b[:2] == key)
        right = c.beads[k][:2] in gold
        found += not right
        c = c.mark(k, right)
        for budget in BUDGETS:
            if step == int(budget * n):
                out[budget] = found / max(wrong_total, 1)
        if step == int(0.2 * n):
            kept = [b for b in c.export_view().beads if b[0] and b[1]]
            out["export_wrong"] = sum(b[:2] not in gold for b in kept) / max(len(kept), 1)
            out["export_kept"] = len(kept) / n
            for t in THRESHOLDS:
                kept_t = [b for b in c.export_view(min_confidence=t).beads if b[0] and b[1]]
                out[t] = (sum(b[:2] not in gold for b in kept_t) / max(len(kept_t), 1),
                          len(kept_t) / n)
            todo = [b for b in c.beads if b[0] and b[1] and c.status.get(b[:2], "auto") == "auto"]
            out["ece"] = ece(np.array([c.confidence[b[:2]] for b in todo]),
                             np.array([b[:2] in gold for b in todo], float))
    out.update(pairs=n, wrong=wrong_total)
    return out


def realign_speed(aligner: Aligner, root: Path | None, quick: bool) -> list[tuple[str, float]]:
    problems = [(p["ja"], p["en"], p["gold"]) for name in ALIGNED_SETS
                for p in load_aligned(name, root)]
    ja, en, gold = concatenate(problems[:60] if quick else problems)
    corpus = aligner.align(ja, en)
    fixed = corpus.reject(len(corpus) // 2)
    rows = [(f"document {len(ja)} x {len(en)} sentences, {len(corpus)} pairs", float("nan"))]
    for label, run in (("realign(window=20) around one fix", lambda: fixed.realign(aligner, window=20)),
                       ("realign() of every auto pair", lambda: fixed.realign(aligner)),
                       ("align(anchors=every 10th gold bead)",
                        lambda: aligner.align(ja, en, anchors=[g for g in gold[::10] if g[0] and g[1]]))):
        best = min(_timed(run) for _ in range(3))
        rows.append((label, best))
    return rows


def _timed(run) -> float:
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default ../shared/data)")
    parser.add_argument("--sets", default=",".join(PARTLY_SETS), help="comma-separated set names")
    parser.add_argument("--quick", action="store_true", help="20 documents per set")
    args = parser.parse_args(argv)
    aligner = Aligner(show_progress_bar=False)
    print("simulated reviewer: share of wrong pairs found after reviewing 10/20/30 % of pairs;"
          "\nafter 20 %: wrong share of the default export, ECE of unreviewed pairs\n")
    print(f"{'set':22} {'order':9} {'pairs':>6} {'wrong':>6} {'10%':>6} {'20%':>6} {'30%':>6} "
          f"{'ECE':>6}  export wrong/kept at confidence 0.5 (default), "
          + ", ".join(str(t) for t in THRESHOLDS))
    import warnings

    for name in args.sets.split(","):
        problems = load_aligned(name, args.data)[:20 if args.quick else None]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # comparable-text warnings on partly parallel text
            corpus, gold = collection(aligner, problems)
        for label, learning in (("static", False), ("learning", True)):
            r = simulate(corpus, gold, learning)
            print(f"{name:22} {label:9} {r['pairs']:6d} {r['wrong']:6d} {r[0.1]:6.3f} {r[0.2]:6.3f} "
                  f"{r[0.3]:6.3f} {r['ece']:6.3f}  {r['export_wrong']:.3f}/{r['export_kept']:.2f}  "
                  + "  ".join(f"{r[t][0]:.3f}/{r[t][1]:.2f}" for t in THRESHOLDS), flush=True)
    print("\nrealigning (best of 3, seconds)")
    for label, seconds in realign_speed(aligner, args.data, args.quick):
        print(f"  {label:45} {'' if np.isnan(seconds) else f'{seconds:8.3f}'}")


if __name__ == "__main__":
    main()
