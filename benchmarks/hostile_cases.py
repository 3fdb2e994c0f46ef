"""The items of issue 21 (collections, clusters and readers under faults and
hostile input) as cases for ``bench_hostile.py``: each runs in a process of
its own, which reports its time, its peak memory (its own and its children's
resident peak) and what happened."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
JA = "両首脳は、経済協力を一層強化することで一致した。今後も緊密に連携していく。"


def _docs(root: Path, n: int = 12) -> Path:
    from benchmarks.datasets import load_parallel

    (root / "ja").mkdir(parents=True)
    (root / "en").mkdir()
    docs = [d for name in ("wmt21.ja-en", "bsd.dev") for d in load_parallel(name)[:n // 2]]
    for k, d in enumerate(docs):
        (root / "ja" / f"d{k}_ja.txt").write_text("\n".join(d["ja"][:4]), encoding="utf-8")
        (root / "en" / f"d{k}.en.txt").write_text("\n".join(d["en"][:3]), encoding="utf-8")
    return root


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    src, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "word/document.xml":
                text = content.decode()
                a, b = text.index("<w:body>") + 8, text.index("<w:sectPr")
                body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
                content = (text[:a] + body + text[b:]).encode()
            z.writestr(item, content)
    return out.getvalue()


def _refused(call) -> str:
    try:
        call()
    except Exception as e:  # noqa: BLE001 - what happened is the result
        return f"{type(e).__name__}: {str(e)[:60]}"
    return "accepted"


def case_max_bead() -> str:
    from jp_en_align import align

    return _refused(lambda: align(["猫。", "犬。"], ["Cat.", "Dog."], max_bead=10**9))


def case_bad_settings() -> str:
    from jp_en_align import align_many

    bad = [{"max_bead": -1}, {"bead_size": 3}, {"encoding": "nope"}, {"band_width": "8"},
           {"threads": "2"}, {"threads": 0}, {"band_width": float("nan")}, {"batch_size": 0},
           {"scoring": "x"}]
    refused = sum(_refused(lambda o=o: align_many([("a", "猫。", "Cat.")], workers=2, **o))
                  != "accepted" for o in bad)
    return f"{refused} of {len(bad)} refused at the call"


def case_docx_bomb() -> str:
    from jp_en_align.readers.read import read_bytes

    return _refused(lambda: read_bytes(_docx(["a" * 400_000_000]), "bomb.docx"))


def case_docx_paragraphs() -> str:
    from jp_en_align.readers.read import read_bytes

    return f"{len(read_bytes(_docx([f'第{k}段落。' for k in range(66_666)]), 'a.docx').parts):,} parts"


def case_docx_damaged() -> str:
    from jp_en_align.readers.read import read_bytes

    good = _docx([JA])
    return _refused(lambda: read_bytes(good[:len(good) // 2] + os.urandom(200), "d.docx"))


def case_encodings() -> str:
    from jp_en_align.readers.read import read_bytes

    sjis = (JA * 4).encode("shift_jis")
    used = [read_bytes(b"\xff\xfe" + sjis).encoding.split()[0],
            read_bytes(b"\xef\xbb\xbf" + sjis).encoding.split()[0],
            read_bytes(("The naïve café owner’s résumé was rejected by the committee on "
                        "Tuesday. " * 3).encode("cp1252")).encoding]
    return ", ".join(used)


def case_html() -> str:
    from jp_en_align.readers.read import read_bytes

    fragment = read_bytes(b"<div><p>The first paragraph.</p><p>The second one.</p></div>").format
    repeated = "<p>This sentence repeats itself exactly in the page, twice in a row, by design.</p>"
    page = (f"<html><body><article><p>Paragraph one is a long paragraph about the economy and "
            f"trade.</p>{repeated * 2}<p>Closing words that are long enough to be body text "
            "too.</p></article></body></html>")
    return f"fragment: {fragment}, repeated kept: {len(read_bytes(page.encode()).parts) == 4}"


def case_devices() -> str:
    from jp_en_align import align_many

    with tempfile.TemporaryDirectory() as tmp:
        os.mkfifo(Path(tmp) / "pipe")
        (Path(tmp) / "en.txt").write_text("Hello.")
        r = align_many([("zero", Path("/dev/zero"), Path(tmp) / "en.txt"),
                        ("fifo", Path(tmp) / "pipe", Path(tmp) / "en.txt")], workers=1)
        return f"{len(r.failures)} failed at once"


def case_one_line() -> str:
    import numpy as np

    from benchmarks.bench_confidence import one_line_pairs, reliability
    from benchmarks.datasets import data_dir
    from jp_en_align import Aligner

    aligner = Aligner(show_progress_bar=False)
    pairs = one_line_pairs(data_dir(), ["wmt21.ja-en", "wmt21.en-ja", "bsd.dev"])[::10]
    conf = np.array([aligner.align([ja], [en])[0].confidence for ja, en, _, _ in pairs])
    right = np.array([ok for _, _, ok, _ in pairs])
    return (f"{len(pairs)} pairs: ECE {reliability(conf, right)[1]:.3f}, "
            f"max wrong {conf[~right].max():.3f}")


def case_damaged_store() -> str:
    from jp_en_align import align_many, pair_folders

    with tempfile.TemporaryDirectory() as tmp:
        root = _docs(Path(tmp))
        align_many(pair_folders(root / "ja", root / "en"), out_dir=root / "w", workers=1)
        for k, f in enumerate(sorted((root / "w").rglob("*.jsonl"))[:3]):
            f.write_bytes(b"" if k == 0 else f.read_bytes()[:-40] if k == 1 else b'{"a": 1}\n')
        r = align_many(pair_folders(root / "ja", root / "en"), out_dir=root / "w", workers=1)
        return f"{sum(row.status == 'aligned' for row in r.report)} rebuilt"


def case_killed_worker() -> str:
    import psutil

    from jp_en_align import align_many, pair_folders

    with tempfile.TemporaryDirectory() as tmp:
        root = _docs(Path(tmp))
        done: dict = {}
        thread = threading.Thread(target=lambda: done.update(r=align_many(
            pair_folders(root / "ja", root / "en"), out_dir=root / "w", workers=2,
            documents_per_task=1)))
        thread.start()
        while not list((root / "w").rglob("*.jsonl")):
            time.sleep(0.05)
        next(c for c in psutil.Process().children(recursive=True)
             if "spawn_main" in " ".join(c.cmdline())).kill()
        thread.join()
        return f"{sum(row.status == 'aligned' for row in done['r'].report)} of 12 aligned"


def case_killed_driver() -> str:
    import psutil

    with tempfile.TemporaryDirectory() as tmp:
        root = _docs(Path(tmp))
        (root / "d.py").write_text("from jp_en_align import align_many, pair_folders\n"
                                   "docs = [(f'{d.doc_id}-{k}', d.ja, d.en) for k in range(40) "
                                   "for d in pair_folders('ja', 'en')]\n"
                                   "align_many(docs, out_dir='w', workers=2, documents_per_task=1)\n")
        driver = subprocess.Popen([sys.executable, "d.py"], cwd=root,
                                  env={**os.environ, "PYTHONPATH": str(REPO)})
        while len(list((root / "w").rglob("*.jsonl"))) < 2:
            if driver.poll() is not None:
                return f"the driver ended first (exit {driver.returncode})"
            time.sleep(0.05)
        workers = [c for c in psutil.Process(driver.pid).children(recursive=True)
                   if "spawn_main" in " ".join(c.cmdline())]
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        start = time.monotonic()
        _, alive = psutil.wait_procs(workers, timeout=30)
        return f"{len(workers)} workers, {len(alive)} left after {time.monotonic() - start:.1f} s"


def case_two_exports() -> str:
    from jp_en_align.collection.many import CollectionResult
    from jp_en_align.collection.store import OutputFolder, ReportRow
    from jp_en_align.corpus import AlignedCorpus

    with tempfile.TemporaryDirectory() as tmp:
        store, report = OutputFolder(Path(tmp) / "w"), []
        for k in range(40):
            c = AlignedCorpus.from_texts([f"文{k}の{i}。" for i in range(500)],
                                         [f"S {i} of {k}." for i in range(500)],
                                         [((i,), (i,), 0.9) for i in range(500)])
            row = ReportRow(f"d{k}", "aligned", key=f"{k:040d}")
            store.write_result(row.key, c, row)
            report.append(row)
        result, out = CollectionResult(store, report, 0.0), []
        threads = [threading.Thread(target=lambda: out.append(_refused(
            lambda: result.to_tmx(Path(tmp) / "m.tmx")))) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return f"{out}, </tmx> x{(Path(tmp) / 'm.tmx').read_text().count('</tmx>')}"


def case_readme_script() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = _docs(Path(tmp))
        (root / "x.py").write_text("from jp_en_align import align_many, pair_folders\n"
                                   "r = align_many(pair_folders('ja', 'en'), out_dir='w', workers=2)\n"
                                   "r.to_tmx('m.tmx', dedupe=True)\n")
        proc = subprocess.run([sys.executable, "x.py"], cwd=root, capture_output=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
        return f"exit {proc.returncode}"


def case_scheduler() -> str:
    from jp_en_align.collection.cluster import connect

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    threading.Thread(target=lambda: server.accept()[0].sendall(b"SSH-2.0-OpenSSH_9.6\r\n"),
                     daemon=True).start()
    ssh = _refused(lambda: connect(f"tcp://127.0.0.1:{server.getsockname()[1]}"))
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    return f"ssh: {ssh[:40]}; refused: {_refused(lambda: connect(f'127.0.0.1:{port}'))[:30]}"


def case_empty_cluster() -> str:
    import distributed

    from jp_en_align.collection.cluster import wait_for_workers

    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        return _refused(lambda: wait_for_workers(client, 2.0))


def case_dask_relative() -> str:
    import distributed

    from jp_en_align import align_many, pair_folders

    with tempfile.TemporaryDirectory() as tmp:
        root = _docs(Path(tmp) / "here")
        (Path(tmp) / "elsewhere").mkdir()
        with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker",
                                       cluster.scheduler_address, "--nthreads", "1"],
                                      cwd=Path(tmp) / "elsewhere", stderr=subprocess.DEVNULL,
                                      env={**os.environ, "PYTHONPATH": str(REPO)})
            client.wait_for_workers(1, timeout=120)
            os.chdir(root)
            r = align_many(pair_folders("ja", "en"), out_dir="run1", client=client, threads=1)
            worker.terminate()
            worker.wait()
        return f"{sum(row.status == 'aligned' for row in r.report)} of 12 aligned"


#: (issue item, what, case)
CASES = [
    ("1", "align(2 x 2 sentences, max_bead=10**9)", case_max_bead),
    ("2", "Dask worker in another folder, relative paths", case_dask_relative),
    ("3", "a pool worker killed mid-run (12 documents)", case_killed_worker),
    ("4", "driver killed -9: its 2 workers", case_killed_driver),
    ("5", "README example as a script, no __main__ guard", case_readme_script),
    ("6", "two exports of 20,000 units to one path at once", case_two_exports),
    ("7", ".docx bomb: 400 MB of XML", case_docx_bomb),
    ("7", ".docx of 66,666 short paragraphs", case_docx_paragraphs),
    ("7", "damaged .docx", case_docx_damaged),
    ("8", "rerun over 3 damaged store files (12 documents)", case_damaged_store),
    ("9", "/dev/zero and a FIFO as document files", case_devices),
    ("10", "one-line pairs of the dev sets (1 in 10)", case_one_line),
    ("11", "Shift_JIS behind UTF-16/UTF-8 BOMs; cp1252", case_encodings),
    ("12", "SSH-like port; refused port", case_scheduler),
    ("12", "cluster with no workers (2 s wait)", case_empty_cluster),
    ("13", "9 bad align_many settings", case_bad_settings),
    ("13", "HTML fragment; repeated paragraphs", case_html),
]


def run_case(index: int) -> dict:
    """Run case ``index`` here; its time, peak memory (MB) and outcome."""
    import resource

    start = time.perf_counter()
    outcome = CASES[index][2]()
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return {"seconds": seconds, "peak_mb": peak, "outcome": outcome}
