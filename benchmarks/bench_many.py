"""Collections: the README's Aligner loop against align_many on one process,
on a process pool and on a Dask LocalCluster; prints one table.

The wmt21 (both directions) and BSD dev documents are written as file pairs
(``ja/ID_ja.txt``, ``en/ID.en.txt``, one sentence a line) and aligned from
the files under each condition, each in a fresh process (so peak memory is
that condition's own, encoder included):

* ``loop``: ``Aligner()`` and a loop over the pairs (the README's recipe),
  the corpora merged with ``AlignedCorpus.concat`` and written as TMX;
* ``many w=1``: ``align_many(workers=1)`` (this process, encoder threads = cores);
* ``many w=1 t=1``: the same, the process kept on one core (so one encoder thread);
* ``many w=2 t=1`` / ``many w=2 t=2``: two processes of 1 (or 2) encoder threads;
* ``dask 2w``: a ``dask.distributed.LocalCluster`` of 2 worker processes.

Columns: documents/s and sentences/s (both sides; wall time including
starting workers and loading encoders), peak RSS of the driver and of the
largest worker (MB), and whether the merged TMX holds the same units (document,
sentence ids, text) in the same order as the loop's, with the largest score
difference (float32 arithmetic in another thread count differs in the 7th digit).

``--synthetic N`` adds a run over N small document pairs (1-3 sentences a
side, drawn from BSD) on 2 processes, reporting the driver's peak memory.

    .venv/bin/python benchmarks/bench_many.py                     # the four conditions and the splits
    .venv/bin/python benchmarks/bench_many.py --synthetic 20000   # plus 20,000 small documents
    .venv/bin/python benchmarks/bench_many.py --quick             # 30 documents
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.datasets import data_dir, load_parallel  # noqa: E402

SETS = ("wmt21.ja-en", "wmt21.en-ja", "bsd.dev")
DATE = datetime(2025, 1, 1, tzinfo=timezone.utc)
CONDITIONS = ("loop", "many w=1", "many w=1 t=1", "many w=2 t=1", "many w=2 t=2", "dask 2w")


def write_files(root: Path, data: Path, limit: int | None) -> int:
    (root / "ja").mkdir(parents=True, exist_ok=True)
    (root / "en").mkdir(parents=True, exist_ok=True)
    n = 0
    for name in SETS:
        for d in load_parallel(name, data):
            doc = f"{name}.{d['id']}".replace("/", "_")
            (root / "ja" / f"{doc}_ja.txt").write_text("\n".join(d["ja"]) + "\n", encoding="utf-8")
            (root / "en" / f"{doc}.en.txt").write_text("\n".join(d["en"]) + "\n", encoding="utf-8")
            n += 1
            if limit and n >= limit:
                return n
    return n


def write_synthetic(root: Path, data: Path, n: int) -> None:
    """N small pairs: 1-3 consecutive sentences of a BSD dialogue, in both languages."""
    rng = random.Random(0)
    docs = load_parallel("bsd.dev", data)
    (root / "ja").mkdir(parents=True, exist_ok=True)
    (root / "en").mkdir(parents=True, exist_ok=True)
    for k in range(n):
        d = docs[rng.randrange(len(docs))]
        i = rng.randrange(len(d["ja"]) - 3)
        m = rng.randint(1, 3)
        (root / "ja" / f"s{k:06d}.ja").write_text("\n".join(d["ja"][i:i + m]) + "\n", encoding="utf-8")
        (root / "en" / f"s{k:06d}.en").write_text("\n".join(d["en"][i:i + m]) + "\n", encoding="utf-8")


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def run_condition(condition: str, files: Path, work: Path) -> dict:
    """One condition in this (fresh) process; returns its figures."""
    from jp_en_align import AlignedCorpus, Aligner, align_many, pair_folders
    from jp_en_align.corpus.formats.tmx import write_tmx

    pairing = pair_folders(files / "ja", files / "en")
    out = work / condition.replace(" ", "_").replace("=", "")
    start = time.perf_counter()
    worker_mb = 0.0
    if condition == "loop":
        aligner = Aligner()
        corpora = [(d.doc_id, aligner.align(d.ja.read_text(encoding="utf-8"),
                                            d.en.read_text(encoding="utf-8"))) for d in pairing]
        merged = AlignedCorpus.concat(corpora)
        write_tmx(merged, f"{out}.tmx", creationdate=DATE)
        sentences = len(merged.ja_sentences) + len(merged.en_sentences)
    else:
        if condition.startswith("dask"):
            import distributed

            with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                          dashboard_address=None) as cluster, \
                    distributed.Client(cluster) as client:
                result = align_many(pairing, out_dir=out, client=client, threads=1,
                                    show_progress_bar=False)
                worker_mb = max(client.run(peak_mb).values())
        else:
            workers = int(condition.split("w=")[1][0])
            threads = int(condition.split("t=")[1]) if "t=" in condition else None
            if workers == 1 and threads:
                from jp_en_align.collection.worker import pin_to_cores

                pin_to_cores(0, threads)  # before the encoder loads: it sizes its threads by the cores
            result = align_many(pairing, out_dir=out, workers=workers, threads=threads,
                                show_progress_bar=False)
            worker_mb = peak_mb(resource.RUSAGE_CHILDREN) if workers > 1 else 0.0
        result.to_tmx(f"{out}.tmx", creationdate=DATE)
        sentences = sum(r.sentences for r in result.report)
        assert not result.failures, result.failures
    seconds = time.perf_counter() - start
    return {"condition": condition, "documents": len(pairing), "sentences": sentences,
            "seconds": seconds, "driver_mb": peak_mb(), "worker_mb": worker_mb,
            "tmx": f"{out}.tmx"}


def run_synthetic(files: Path, work: Path) -> dict:
    from jp_en_align import align_many, pair_folders

    pairing = pair_folders(files / "ja", files / "en")
    start = time.perf_counter()
    result = align_many(pairing, out_dir=work / "synthetic", workers=2, show_progress_bar=False)
    units = result.to_tmx(work / "synthetic.tmx")
    return {"condition": f"synthetic {len(pairing)}", "documents": len(pairing),
            "sentences": sum(r.sentences for r in result.report),
            "seconds": time.perf_counter() - start, "driver_mb": peak_mb(),
            "worker_mb": peak_mb(resource.RUSAGE_CHILDREN), "units": units,
            "failed": len(result.failures)}


def in_fresh_process(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tmx_units(path: str) -> tuple[list, list]:
    from jp_en_align import AlignedCorpus

    corpus = AlignedCorpus.from_tmx(path)
    return ([(p.document, p.ja_ids, p.en_ids, p.ja, p.en) for p in corpus],
            [p.score for p in corpus])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=None, help="data folder (default ../shared/data)")
    parser.add_argument("--quick", action="store_true", help="30 documents only")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="also align N small synthetic document pairs, e.g. 20000")
    parser.add_argument("--conditions", nargs="*", default=list(CONDITIONS))
    parser.add_argument("--run", nargs=3, metavar=("CONDITION", "FILES", "WORK"),
                        help=argparse.SUPPRESS)  # internal: one condition in a fresh process
    args = parser.parse_args()
    if args.run:
        condition, files, work = args.run
        figures = (run_synthetic(Path(files), Path(work)) if condition == "synthetic"
                   else run_condition(condition, Path(files), Path(work)))
        print(json.dumps(figures))
        return

    data = data_dir(args.data)
    with tempfile.TemporaryDirectory(prefix="bench-many-") as tmp:
        root = Path(tmp)
        n = write_files(root / "files", data, 30 if args.quick else None)
        print(f"{n} document pairs from {', '.join(SETS)}; {os.cpu_count()} cores", flush=True)
        rows = []
        for condition in args.conditions:
            rows.append(in_fresh_process(["--run", condition, str(root / "files"), str(root)]))
            print(f"  {condition}: {rows[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
        reference, ref_scores = tmx_units(rows[0]["tmx"])
        print(f"\n{'condition':<16}{'docs':>6}{'sents':>7}{'s':>8}{'docs/s':>8}{'sents/s':>9}"
              f"{'driver MB':>11}{'worker MB':>11}  same units  max |d score|")
        print("-" * 100)
        for row in rows:
            units, scores = tmx_units(row["tmx"])
            diff = max((abs(a - b) for a, b in zip(scores, ref_scores)), default=0.0)
            print(f"{row['condition']:<16}{row['documents']:>6}{row['sentences']:>7}"
                  f"{row['seconds']:>8.1f}{row['documents'] / row['seconds']:>8.2f}"
                  f"{row['sentences'] / row['seconds']:>9.0f}{row['driver_mb']:>11.0f}"
                  f"{row['worker_mb']:>11.0f}  {str(units == reference):<10}  {diff:.1e}")
        print(f"({len(reference)} units in the loop's TMX; 'same units' compares document, "
              "sentence ids and text of every unit, in order)")
        if args.synthetic:
            write_synthetic(root / "synthetic_files", data, args.synthetic)
            row = in_fresh_process(["--run", "synthetic", str(root / "synthetic_files"), str(root)])
            print(f"\n{row['condition']}: {row['seconds']:.0f} s, {row['documents'] / row['seconds']:.0f} "
                  f"documents/s, {row['sentences'] / row['seconds']:.0f} sentences/s, "
                  f"{row['units']} units, {row['failed']} failed; driver peak {row['driver_mb']:.0f} MB, "
                  f"largest worker {row['worker_mb']:.0f} MB")


if __name__ == "__main__":
    main()
