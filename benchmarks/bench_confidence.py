"""How far ``Pair.confidence`` can be trusted; prints the tables.

For every development set (clean ``aligned/`` and ``partly_parallel/``), each
document aligned on its own:

* the reliability table: the beads (pairs and 1-0/0-1 together) sorted by
  confidence into 10 equal-count bins, each bin's mean confidence beside the
  share of its beads that are exactly a gold bead, and the expected
  calibration error (ECE: the bins' size-weighted mean gap);
* the keep/drop table: for each ``min_confidence`` threshold, the share of
  correct pairs (both sides non-empty, exactly a gold bead) kept and of wrong
  pairs dropped, beside the same for ``min_score`` (the raw cosine) at the
  thresholds the README used to suggest;
* ``--fit``: the calibration constants (the logistic maps of
  :class:`jp_en_align.aligner.confidence.Calibration`) refitted on these sets
  and the tables with them, to paste into ``confidence.py``.

    .venv/bin/python benchmarks/bench_confidence.py
    .venv/bin/python benchmarks/bench_confidence.py --sets partly.bsd.dev --fit
    .venv/bin/python benchmarks/bench_confidence.py --one-line --fit   # one sentence a side
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.datasets import ALIGNED_SETS, PARTLY_SETS, data_dir, load_aligned  # noqa: E402
from jp_en_align.aligner.aligner import Aligner  # noqa: E402
from jp_en_align.aligner.confidence import CALIBRATION, Calibration, logit, sigmoid  # noqa: E402
from jp_en_align.embed.loading import load_encoder  # noqa: E402
from jp_en_align.evaluation import evaluate  # noqa: E402

CONFIDENCE_THRESHOLDS = (0.1, 0.3, 0.5, 0.7, 0.9)
SCORE_THRESHOLDS = (0.3, 0.5, 0.6)


def collect(aligner: Aligner, problems: list[dict]) -> dict:
    """Per bead of the result: confidence, score, whether it is a deletion
    and whether it is exactly a gold bead; the set's scores; and, for
    ``--fit``, the evidence of the search's own path (before the null)."""
    rows, evidence, scores = [], [], None
    for p in problems:
        corpus = aligner.align(p["ja"], p["en"])
        gold = {(tuple(a), tuple(b)) for a, b in p["gold"]}
        for a, b, score in corpus.beads:
            rows.append((corpus.confidence[(a, b)], score, not a or not b, (a, b) in gold))
        evidence.append((*aligner.last_evidence, gold))
        s = evaluate(corpus, p["gold"])
        scores = s if scores is None else scores + s
    arr = np.array(rows, dtype=np.float64)
    return {"confidence": arr[:, 0], "score": arr[:, 1], "deletion": arr[:, 2].astype(bool),
            "correct": arr[:, 3].astype(bool), "scores": scores, "evidence": evidence}


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-3,
                 iterations: int = 100) -> tuple[float, ...]:
    """``(bias, *weights)`` of ``P(y) = sigmoid(bias + X @ weights)`` by
    Newton's method with a small ridge (so separable data stays finite)."""
    Z = np.concatenate([np.ones((len(X), 1)), X], axis=1)
    w = np.zeros(Z.shape[1])
    for _ in range(iterations):
        p = sigmoid(Z @ w)
        grad = Z.T @ (p - y) + l2 * len(y) * w
        hess = Z.T @ (Z * (p * (1 - p))[:, None]) + l2 * len(y) * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return tuple(round(float(x), 4) for x in w)


def fit(evidence: list[tuple], split_below: float) -> Calibration:
    """The calibration maps fitted on the search's paths (see :class:`Calibration`)."""
    pairs_x, pairs_y, del_x, del_y, pair_rows = [], [], [], [], []
    for beads, X, src_best, tgt_best, gold in evidence:
        for k, (a, b, _) in enumerate(beads):
            if a and b:
                pairs_x.append(X[k, :4])
                pairs_y.append((a, b) in gold)
                pair_rows.append((a, b, src_best, tgt_best, gold))
            else:
                del_x.append(X[k, [0, 4]])
                del_y.append((a, b) in gold)
    pair = fit_logistic(np.array(pairs_x), np.array(pairs_y, float))
    deletion = fit_logistic(np.array(del_x), np.array(del_y, float))
    conf = sigmoid(pair[0] + np.array(pairs_x) @ np.array(pair[1:]))
    split_x, split_y = [], []
    for c, (a, b, src_best, tgt_best, gold) in zip(conf, pair_rows):
        if c < split_below:
            for i in a:
                split_x.append((logit(1 - c), src_best[i]))
                split_y.append(((i,), ()) in gold)
            for j in b:
                split_x.append((logit(1 - c), tgt_best[j]))
                split_y.append(((), (j,)) in gold)
    # with split_below = 0 no pair is undone: the split map keeps its constants
    split = (fit_logistic(np.array(split_x), np.array(split_y, float)) if split_x
             else CALIBRATION.split)
    return Calibration(pair=pair, deletion=deletion, split=split, split_below=split_below)


def reliability(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[list, float]:
    """``[(low, high, mean confidence, accuracy, count)]`` over equal-count
    bins (ties kept in order of a stable sort), and the ECE."""
    order = np.argsort(conf, kind="stable")
    table, ece = [], 0.0
    for chunk in np.array_split(order, bins):
        if not len(chunk):
            continue
        c, k = conf[chunk], correct[chunk]
        table.append((c.min(), c.max(), c.mean(), k.mean(), len(chunk)))
        ece += len(chunk) / len(conf) * abs(c.mean() - k.mean())
    return table, ece


def keep_drop(values: np.ndarray, correct: np.ndarray, threshold: float) -> tuple[float, float]:
    """Share of correct items kept and of wrong items dropped at ``values >= threshold``."""
    kept = values >= threshold
    right = kept[correct].mean() if correct.any() else float("nan")
    wrong = (~kept[~correct]).mean() if (~correct).any() else float("nan")
    return right, wrong


def print_set(name: str, d: dict) -> float:
    table, ece = reliability(d["confidence"], d["correct"])
    s = d["scores"]
    print(f"\n{name}: {len(d['correct'])} beads, strict F1 {s.f1_strict:.3f}, ECE {ece:.4f}")
    print(f"  {'bin':>3s} {'confidence range':>17s} {'mean conf':>9s} {'accuracy':>8s} {'beads':>6s}")
    for k, (lo, hi, c, acc, count) in enumerate(table):
        print(f"  {k + 1:3d} {lo:8.3f}-{hi:8.3f} {c:9.3f} {acc:8.3f} {count:6d}")
    pairs = ~d["deletion"]
    print(f"  keep/drop of the {pairs.sum()} pairs ({d['correct'][pairs].sum()} correct):")
    print(f"  {'filter':>22s} {'correct kept':>12s} {'wrong dropped':>13s}")
    for t in CONFIDENCE_THRESHOLDS:
        kept, dropped = keep_drop(d["confidence"][pairs], d["correct"][pairs], t)
        print(f"  {f'min_confidence={t}':>22s} {kept:12.1%} {dropped:13.1%}")
    for t in SCORE_THRESHOLDS:
        kept, dropped = keep_drop(d["score"][pairs], d["correct"][pairs], t)
        print(f"  {f'min_score={t}':>22s} {kept:12.1%} {dropped:13.1%}")
    return ece


def one_line_pairs(root: Path, names: list[str], seed: int = 0) -> list[tuple[str, str, bool, str]]:
    """One-line documents from the dev sets: every gold 1-1 pair (true), and as
    many shuffled pairs (a Japanese sentence with the English of another pair
    of the same set; pairs whose texts equal a true pair's are left out, as
    they are translations too). ``(ja, en, is_true, set)`` each."""
    rng = np.random.default_rng(seed)
    out = []
    for name in names:
        true = [(p["ja"][a[0]], p["en"][b[0]]) for p in load_aligned(name, root)
                for a, b in p["gold"] if len(a) == 1 and len(b) == 1]
        known = set(true)
        out += [(ja, en, True, name) for ja, en in true]
        perm = rng.permutation(len(true))
        out += [(true[i][0], true[k][1], False, name) for i, k in enumerate(perm)
                if true[k][1] != true[i][1] and true[k][0] != true[i][0]
                and (true[i][0], true[k][1]) not in known]
    return out


def one_line(aligner: Aligner, pairs: list[tuple[str, str, bool, str]], refit: bool) -> None:
    """Align each pair as a document of one sentence a side; print the ECE and
    the highest confidence of a wrong pair (``--fit``: of the map refitted on
    them, and the hold-out figures: fitted on even pairs, judged on odd)."""
    from jp_en_align.aligner.confidence import one_line_confidence, one_line_features

    feats, right, conf = [], [], []
    for ja, en, ok, _ in pairs:
        corpus = aligner.align([ja], [en])
        feats.append(aligner.last_one_line)
        right.append(ok and corpus.beads[0][:2] == ((0,), (0,)))
        conf.append(corpus.confidence[corpus.beads[0][:2]])
    X, y, conf = np.array(feats), np.array(right, float), np.array(conf)
    if refit:
        def fitted(X: np.ndarray, y: np.ndarray) -> tuple[tuple[float, ...], float]:
            w = fit_logistic(X, y)
            return w, round(float((w[0] + X[y == 0] @ np.array(w[1:])).max()) + 1e-4, 4)

        half, half_sure = fitted(X[::2], y[::2])
        held = one_line_confidence(X[1::2], half, half_sure)
        _, ece = reliability(held, y[1::2].astype(bool))
        print(f"one-line hold-out (fit on even pairs, judged on odd): ECE {ece:.4f}, "
              f"max wrong {held[y[1::2] == 0].max():.3f}")
        w, sure = fitted(X, y)
        print(f"fitted ONE_LINE = {w!r}, ONE_LINE_SURE = {sure}  (paste into "
              "jp_en_align/aligner/confidence.py)")
        conf = one_line_confidence(X, w, sure)
    names = sorted({p[3] for p in pairs})
    print(f"\none-line pairs ({one_line_features.__doc__.strip()}):")
    print(f"  {'set':14s} {'true':>5s} {'wrong':>6s} {'ECE':>7s} {'max wrong':>9s} {'min true':>8s}")
    for name in names + ["all"]:
        k = np.array([name in ("all", p[3]) for p in pairs])
        _, ece = reliability(conf[k], y[k].astype(bool))
        print(f"  {name:14s} {int(y[k].sum()):5d} {int((1 - y[k]).sum()):6d} {ece:7.4f} "
              f"{conf[k][y[k] == 0].max():9.3f} {conf[k][y[k] == 1].min():8.3f}")
    print(f"  mean cosine of the wrong pairs: {X[y == 0, 0].mean():.3f} (UNRELATED_COSINE)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default ../shared/data)")
    parser.add_argument("--sets", default=",".join(ALIGNED_SETS + PARTLY_SETS),
                        help="comma-separated data sets (default: the clean and partly parallel "
                             "dev sets)")
    parser.add_argument("--fit", action="store_true",
                        help="refit the calibration map on these sets and print its constants")
    parser.add_argument("--quick", action="store_true", help="8 documents per set")
    parser.add_argument("--one-line", action="store_true",
                        help="documents of one sentence a side instead: the gold 1-1 pairs of "
                             "the clean sets and as many shuffled pairs (with --fit: refit ONE_LINE)")
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    aligner = Aligner(load_encoder(None), show_progress_bar=False)
    if args.one_line:
        names = [s for s in args.sets.split(",") if s and not s.startswith("partly.")]
        pairs = one_line_pairs(root, names)
        one_line(aligner, pairs[::8] if args.quick else pairs, args.fit)
        return
    if args.fit:  # the search's own paths: every pair kept, to learn which to undo
        aligner.calibration = Calibration(CALIBRATION.pair, CALIBRATION.deletion,
                                          CALIBRATION.split, split_below=0.0)
    names = [s for s in args.sets.split(",") if s]
    sets = {name: load_aligned(name, root)[:8 if args.quick else None] for name in names}
    data = {}
    for name, problems in sets.items():
        data[name] = collect(aligner, problems)
        print(f"  done {name}", file=sys.stderr, flush=True)
    if args.fit:
        aligner.calibration = fit([e for d in data.values() for e in d["evidence"]],
                                  CALIBRATION.split_below)
        print(f"fitted on {', '.join(names)}:\n  {aligner.calibration!r}")
        data = {name: collect(aligner, problems) for name, problems in sets.items()}
    worst = max(print_set(name, d) for name, d in data.items())
    print(f"\nworst ECE over the sets: {worst:.4f} (target <= 0.03)")


if __name__ == "__main__":
    main()
