"""Document pairing on an unpaired collection: the baseline against
``pair_documents``, precision / recall / F1 and time; prints one table.

The collection is ``unpaired/`` of the data folder: ``ja/`` and ``en/`` files
with random names, ``gold.tsv`` the true pairs (165 pairs; 189 ja and 191 en
files: orphans, shortened versions, files without line breaks).

* ``encode once``: every sentence of every file encoded once, one batched
  call (the reference for the pairing's cost);
* ``baseline``: the mean sentence vector of each file, files that are each
  other's best match, kept if the cosine is >= 0.5 (encoding included);
* ``pair_documents``: the default (mean vectors for the candidate search),
  then with ``vectors="tk-pert"``;
* ``align given pairs``: aligning the gold pairs as if they had been given
  (one Aligner), the reference for "pairing plus aligning the found pairs"
  (pair_documents keeps the alignments of the pairs it chose, so its own time
  already includes them).

Every condition starts with the encoder's memory emptied (same loaded model).
Below the table: the threshold's calibration (the lowest-scoring true pair
against the best-scoring wrong candidate) and the candidate counts.

    .venv/bin/python benchmarks/bench_pairing.py [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.datasets import data_dir  # noqa: E402


def _scores(found: set[tuple[str, str]], gold: dict[str, str]) -> tuple[float, float, float]:
    tp = sum(gold.get(a) == b for a, b in found)
    p = tp / len(found) if found else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def baseline(ja_dir: Path, en_dir: Path, encoder) -> tuple[set[tuple[str, str]], float]:
    """Mean vector per file, mutual best match, cosine >= 0.5; returns the pairs
    and the seconds spent (reading, encoding, matching)."""
    from jp_en_align.readers import read_document

    start = time.perf_counter()
    sides = []
    for folder, lang in ((ja_dir, "ja"), (en_dir, "en")):
        names, texts = [], []
        for path in sorted(folder.iterdir()):
            try:
                texts.append([s.normalized for s in read_document(path).sentences(lang)])
            except ValueError:
                continue
            names.append(path.name)
        sides.append((names, texts))
    flat = [s for _, texts in sides for t in texts for s in t]
    V = encoder.encode(flat, show_progress_bar=False)
    ends = np.cumsum([len(t) for _, texts in sides for t in texts])
    X = np.split(V, ends[:-1])
    n_ja = len(sides[0][0])
    D = np.stack([x.mean(axis=0) / (np.linalg.norm(x.mean(axis=0)) or 1) for x in X])
    S = D[:n_ja] @ D[n_ja:].T
    best_en, best_ja = S.argmax(axis=1), S.argmax(axis=0)
    pairs = {(sides[0][0][i], sides[1][0][j]) for i, j in enumerate(best_en)
             if best_ja[j] == i and S[i, j] >= 0.5}
    return pairs, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default ../shared/data)")
    args = parser.parse_args()
    root = data_dir(args.data) / "unpaired"
    ja_dir, en_dir = root / "ja", root / "en"
    gold = dict(line.split("\t") for line in
                (root / "gold.tsv").read_text(encoding="utf-8").splitlines() if line.strip())
    warnings.simplefilter("ignore")

    from jp_en_align import Aligner, pair_documents
    from jp_en_align.readers import read_document

    aligner = Aligner(show_progress_bar=False)
    encoder = aligner.encoder
    rows = []

    encoder._memory.clear()
    texts = [s.normalized for folder, lang in ((ja_dir, "ja"), (en_dir, "en"))
             for p in sorted(folder.iterdir()) for s in read_document(p).sentences(lang)]
    encoder._memory.clear()
    t0 = time.perf_counter()
    encoder.encode(texts, show_progress_bar=False)
    encode_once = time.perf_counter() - t0
    rows.append(("encode once (every sentence)", None, encode_once))

    encoder._memory.clear()
    pairs, seconds = baseline(ja_dir, en_dir, encoder)
    rows.append(("baseline (mean, mutual best, cos>=0.5)", _scores(pairs, gold), seconds))

    results = {}
    for vectors in ("mean", "tk-pert"):
        encoder._memory.clear()
        t0 = time.perf_counter()
        result = pair_documents(ja_dir, en_dir, aligner=aligner, vectors=vectors,
                                show_progress_bar=False)
        seconds = time.perf_counter() - t0
        results[vectors] = result
        rows.append((f"pair_documents (vectors={vectors})",
                     _scores({(m.ja, m.en) for m in result.pairs}, gold), seconds))

    encoder._memory.clear()
    t0 = time.perf_counter()
    for ja, en in gold.items():
        aligner.align(ja_dir / ja, en_dir / en)
    given = time.perf_counter() - t0
    rows.append(("align the gold pairs, given", None, given))

    print(f"unpaired collection: {len(list(ja_dir.iterdir()))} ja and "
          f"{len(list(en_dir.iterdir()))} en files, {len(gold)} true pairs, "
          f"{len(texts):,} sentences")
    print(f"{'condition':<42} {'precision':>9} {'recall':>7} {'F1':>7} {'seconds':>8}")
    for name, scores, seconds in rows:
        cells = ("", "", "") if scores is None else tuple(f"{x:.3f}" for x in scores)
        print(f"{name:<42} {cells[0]:>9} {cells[1]:>7} {cells[2]:>7} {seconds:>8.1f}")
    main_row = results["mean"]
    pair_seconds = rows[2][2]
    print(f"\npairing (its alignments of the found pairs kept) / aligning the given pairs: "
          f"{pair_seconds / given:.2f}x")
    print(f"pairing / encoding every sentence once: {pair_seconds / encode_once:.2f}x")
    print(f"stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in main_row.timings.items()))
    print(f"candidates proposed {main_row.stats['candidates']}, aligned "
          f"{main_row.stats['aligned_candidates']}")
    true_scores = [m.score for m in main_row.pairs if gold.get(m.ja) == m.en]
    wrong = [u.closest_score for u in main_row.unpaired if u.closest_score is not None]
    wrong += [m.score for m in main_row.pairs if gold.get(m.ja) != m.en]
    print(f"threshold {main_row.threshold}: lowest true pair {min(true_scores):.3f}, "
          f"best wrong candidate {max(wrong) if wrong else float('nan'):.3f}")
    print("unpaired:", main_row.unpaired_by_reason("ja"), "(ja)",
          main_row.unpaired_by_reason("en"), "(en)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
