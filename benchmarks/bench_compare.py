"""Press-coverage benchmark: can `compare` find the official sentence a press
sentence reports, and tell it from sentences of other stories?

Problems are made from real parallel data (wmt21 both directions, BSD dev).
Per document: "official" = all Japanese sentences; "press" = half of the English
sentences, shuffled, plus as many distractor English sentences taken from other
documents of the same set. Harder variant ("merged"): the press side is built
from pairs of adjacent English sentences joined into one (a hit if the top
match is either source), with merged distractors.

Measured: top-1 accuracy of the official sentence for true press sentences
(ranking only), "found" (top-1 right and not labelled unsupported), and
precision / recall of the `unsupported` label on the distractors. Baseline in
the same run: plain cosine top-1 with one fixed threshold. The "E5-scale" rows
re-run both with the default encoder's cosines squeezed into 0.8-1.0 (as with
E5-style models: cos' = 0.8 + 0.2 cos), which a fixed threshold cannot survive.

    .venv/bin/python benchmarks/bench_compare.py [--data DIR] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.datasets import load_parallel  # noqa: E402
from jp_en_align.coverage.compare import compare  # noqa: E402
from jp_en_align.embed.encoder import Encoder
from jp_en_align.embed.loading import load_encoder  # noqa: E402

SETS = ("wmt21.ja-en", "wmt21.en-ja", "bsd.dev")
BASELINE_THRESHOLD = 0.35  # one fixed cosine threshold for "unsupported"


class SqueezedCosines:
    """The default encoder with every cosine mapped to 0.8 + 0.2 cos: append a
    constant component so that v'.w' = 0.2 v.w + 0.8 (E5-like scale)."""

    def __init__(self, base: Encoder, floor: float = 0.8) -> None:
        self.base, self.a, self.b = base, np.sqrt(1 - floor), np.sqrt(floor)

    def encode(self, sentences, batch_size=64, show_progress_bar=False,
               normalize_embeddings=True):
        v = self.base.encode(sentences, batch_size=batch_size)
        return np.hstack([self.a * v, np.full((len(v), 1), self.b, dtype=np.float32)])


def make_problems(docs: list[dict], rng: np.random.Generator, merged: bool) -> list[dict]:
    """Per document: official Japanese, press = half its English (or merged pairs)
    shuffled + as many distractors from other documents. gold[k] = set of official
    indices press sentence k reports (empty for distractors)."""

    def units(doc: dict) -> list[tuple[str, set[int]]]:
        en = doc["en"]
        if not merged:
            return [(s, {i}) for i, s in enumerate(en)]
        return [(en[i] + " " + en[i + 1], {i, i + 1}) for i in range(0, len(en) - 1, 2)]

    problems = []
    for d, doc in enumerate(docs):
        own = units(doc)
        n = max(1, len(own) // 2)
        true = [own[i] for i in rng.choice(len(own), n, replace=False)]
        others = [k for k in range(len(docs)) if k != d]
        distractors = []
        for k in rng.choice(others, n, replace=True):
            pool = units(docs[k])
            if pool:
                distractors.append((pool[rng.integers(len(pool))][0], set()))
        press = true + distractors
        order = rng.permutation(len(press))
        problems.append({"official": doc["ja"], "press": [press[i][0] for i in order],
                         "gold": [press[i][1] for i in order]})
    return problems


def score(predictions: list[tuple[int | None, bool]], gold: list[set[int]]) -> dict:
    """predictions: (top-1 official index, labelled unsupported) per press sentence."""
    true = [(p, g) for p, g in zip(predictions, gold) if g]
    fake = [p for p, g in zip(predictions, gold) if not g]
    top1 = np.mean([p[0] in g for p, g in true])
    found = np.mean([p[0] in g and not p[1] for p, g in true])
    flagged = sum(p[1] for p in predictions)
    tp = sum(p[1] for p in fake)
    return {"top1": top1, "found": found, "unsup_p": tp / flagged if flagged else float("nan"),
            "unsup_r": tp / len(fake) if fake else float("nan")}


def run_compare(problems: list[dict], model) -> tuple[list, list]:
    preds, gold = [], []
    for prob in problems:
        report = compare(prob["official"], prob["press"], model=model)
        for row in report.rows:
            best = row.nearest.official.index if row.nearest else None
            preds.append((best, row.label == "unsupported"))
        gold += prob["gold"]
    return preds, gold


def run_baseline(problems: list[dict], model, threshold: float) -> tuple[list, list]:
    enc = load_encoder(model)
    preds, gold = [], []
    for prob in problems:
        sims = enc.encode(prob["press"]) @ enc.encode(prob["official"]).T
        for row in sims:
            preds.append((int(row.argmax()), float(row.max()) < threshold))
        gold += prob["gold"]
    return preds, gold


def run_speed(encoder: Encoder, data: str | None) -> str:
    """Every English sentence of wmt21 and BSD dev as press against the seed statement."""
    from benchmarks.datasets import data_dir

    press = [s for name in SETS for doc in load_parallel(name, data) for s in doc["en"]]
    official = (data_dir(data) / "seeds" / "statement_ja.txt").read_text(encoding="utf-8")
    t0 = time.perf_counter()
    encoder.encode(press)
    encoding = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = compare(official, press, model=encoder)
    secs = time.perf_counter() - t0
    return (f"speed: {len(press)} press sentences vs the seed statement "
            f"({len(report.official)} units): compare {secs:.1f} s after {encoding:.1f} s "
            f"encoding the press sentences; {report.counts()['unsupported']} unsupported")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None, help="data folder (default ../shared/data)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    encoder = load_encoder()
    squeezed = load_encoder(SqueezedCosines(encoder))
    rows = []
    for name in SETS:
        docs = load_parallel(name, args.data)
        for variant in ("1 sentence", "merged 2"):
            rng = np.random.default_rng(args.seed)
            problems = make_problems(docs, rng, merged=variant != "1 sentence")
            n_press = sum(len(p["press"]) for p in problems)
            for method, model, fn in (
                    ("compare", encoder, run_compare),
                    ("baseline cos>=%.2f" % BASELINE_THRESHOLD, encoder,
                     lambda p, m: run_baseline(p, m, BASELINE_THRESHOLD)),
                    ("compare, E5-scale", squeezed, run_compare),
                    ("baseline, E5-scale", squeezed,
                     lambda p, m: run_baseline(p, m, BASELINE_THRESHOLD))):
                t0 = time.perf_counter()
                preds, gold = fn(problems, model)
                rows.append((name, variant, method, n_press, score(preds, gold),
                             time.perf_counter() - t0))
                print(f"  {name} {variant} {method}: done", file=sys.stderr)

    speed = run_speed(encoder, args.data)

    print(f"{'set':12} {'press units':17} {'method':22} {'n':>5} {'top-1':>6} {'found':>6} "
          f"{'unsup P':>8} {'unsup R':>8} {'secs':>6}")
    for name, variant, method, n, m, secs in rows:
        print(f"{name:12} {variant:17} {method:22} {n:5d} {m['top1']:6.3f} {m['found']:6.3f} "
              f"{m['unsup_p']:8.3f} {m['unsup_r']:8.3f} {secs:6.1f}")
    print(speed)


if __name__ == "__main__":
    main()
