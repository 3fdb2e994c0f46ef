"""Collections and clusters under faults (issue 21): real processes killed, a
real Dask scheduler and workers, real files damaged. Each test replays the
small script that found the fault and failed before its fix."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import psutil
import pytest

from benchmarks.datasets import load_parallel
from jp_en_align import AlignedCorpus, align_many, pair_folders, read_manifest
from jp_en_align.collection.many import CollectionResult
from jp_en_align.collection.store import OutputFolder, ReportRow

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


@pytest.fixture(scope="module")
def documents(data_dir):
    """Twelve short real documents (wmt21 and BSD), 3-4 sentences a side."""
    docs = []
    for name in ("wmt21.ja-en", "bsd.dev"):
        for d in load_parallel(name, data_dir)[:6]:
            docs.append((f"{name}-{len(docs)}", d["ja"][:4], d["en"][:3]))
    return docs


def wait_for(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def pool_workers(pid: int) -> list[psutil.Process]:
    """The spawned pool processes under ``pid`` (not its resource tracker)."""
    out = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.NoSuchProcess:
            pass
    return out


# ---- 3. one dead worker does not abort the run --------------------------------------------

def test_a_killed_pool_worker_costs_nothing_and_the_run_writes_its_memory(folders, tmp_path):
    out = tmp_path / "work"
    done: dict = {}

    def run() -> None:
        try:
            done["result"] = align_many(pair_folders(folders / "ja", folders / "en"), out_dir=out,
                                        workers=2, documents_per_task=1)
        except BaseException as e:  # noqa: BLE001 - the test reports it
            done["error"] = e

    thread = threading.Thread(target=run)
    thread.start()
    wait_for(lambda: list(out.rglob("*.jsonl")) or "error" in done)
    victim = pool_workers(os.getpid())[0]
    victim.send_signal(signal.SIGKILL)
    thread.join(300)
    assert "error" not in done, repr(done.get("error"))  # was BrokenProcessPool
    result = done["result"]
    assert [r.status for r in result.report] == ["aligned"] * 12
    assert result.to_tmx(tmp_path / "memory.tmx") > 0
    assert not pool_workers(os.getpid())


def test_on_dask_a_document_whose_worker_dies_is_its_failure_and_the_run_goes_on(folders, tmp_path):
    distributed = pytest.importorskip("distributed")
    import dask

    out = tmp_path / "work"
    pairing = pair_folders(folders / "ja", folders / "en")
    # one death and Dask gives up on the task (KilledWorker), as after repeated deaths
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                     host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        done: dict = {}

        def run() -> None:
            try:
                done["result"] = align_many(pairing, out_dir=out, client=client, threads=1,
                                            documents_per_task=1)
            except BaseException as e:  # noqa: BLE001
                done["error"] = e

        thread = threading.Thread(target=run)
        thread.start()
        wait_for(lambda: list(out.rglob("*.jsonl")) and client.processing() and
                 any(client.processing().values()))
        pid = next(iter(client.run(os.getpid).values()))
        os.kill(pid, signal.SIGKILL)  # the nanny starts a new worker
        thread.join(300)
    assert "error" not in done, repr(done.get("error"))  # was KilledWorker, no report
    result = done["result"]
    statuses = [r.status for r in result.report]
    assert set(statuses) <= {"aligned", "failed"} and statuses.count("aligned") >= 10
    assert all("lost on the cluster (KilledWorker" in r.error for r in result.failures)
    assert result.to_tmx(tmp_path / "memory.tmx") > 0


# ---- 4. workers die with their driver -------------------------------------------------------

DRIVER = """
import sys
from jp_en_align import align_many, pair_folders
docs = list(pair_folders("ja", "en")) * 1
docs = [(f"{d.doc_id}-{k}", d.ja, d.en) for k in range(40) for d in docs]
align_many(docs, out_dir="work", workers=2, documents_per_task=1)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_driver_leaves_no_worker_behind(folders, sig):
    (folders / "driver.py").write_text(DRIVER)
    driver = subprocess.Popen([sys.executable, "driver.py"], cwd=folders, env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(list((folders / "work").rglob("*.jsonl"))) >= 2)
        workers = pool_workers(driver.pid)
        assert len(workers) == 2
        driver.send_signal(sig)
        driver.wait(30)
        gone, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive, [p.pid for p in alive]  # were orphans under pid 1 for 10+ minutes
        assert driver.stdout.read() == b""  # nobody holds the pipe: `| grep` ends
    finally:
        driver.kill()
        for p in pool_workers(driver.pid) if driver.poll() is None else []:
            p.kill()


# ---- 5. the README's Collections example works as a script, guard or not --------------------

def test_the_readme_collections_example_runs_as_a_script_without_the_main_guard(folders):
    (folders / "example.py").write_text(textwrap.dedent("""\
        from jp_en_align import align_many, pair_folders

        result = align_many(pair_folders("ja", "en"), out_dir="work", workers=2)
        result.to_tmx("memory.tmx", dedupe=True)
        print(len(result.failures), "failed")
        """))
    proc = subprocess.run([sys.executable, "example.py"], cwd=folders, env=ENV,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]  # was RuntimeError, BrokenProcessPool
    assert proc.stdout.decode().strip().endswith("0 failed")
    assert len(AlignedCorpus.from_tmx(folders / "memory.tmx")) > 0


# ---- 6. two exports to one path --------------------------------------------------------------

def test_two_exports_to_one_path_at_once_each_write_a_whole_file(tmp_path):
    store = OutputFolder(tmp_path / "work")
    report = []
    for k in range(40):
        ja = [f"文{k}の{i}。" for i in range(500)]
        en = [f"Sentence {i} of {k}." for i in range(500)]
        corpus = AlignedCorpus.from_texts(ja, en, [((i,), (i,), 0.9) for i in range(500)])
        row = ReportRow(f"doc-{k}", "aligned", 500, 500, 500, key=f"{k:040d}")
        store.write_result(row.key, corpus, row)
        report.append(row)
    result = CollectionResult(store, report, 0.0)
    target = tmp_path / "memory.tmx"
    start = threading.Barrier(2)
    outcomes: list = []

    def export() -> None:
        start.wait()
        try:
            outcomes.append(result.to_tmx(target))
        except Exception as e:  # noqa: BLE001
            outcomes.append(e)

    threads = [threading.Thread(target=export) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [20_000, 20_000]  # was a FileNotFoundError in one of them
    text = target.read_text(encoding="utf-8")
    assert text.count("</tmx>") == 1
    assert len(ET.fromstring(text.encode()).findall(".//tu")) == 20_000
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# ---- 8. a damaged per-document file is rebuilt ---------------------------------------------

def test_a_damaged_document_file_in_the_output_folder_is_rebuilt(folders, tmp_path):
    pairing = pair_folders(folders / "ja", folders / "en")
    first = align_many(pairing, out_dir=tmp_path / "work", workers=1)
    files = sorted((tmp_path / "work" / "docs").rglob("*.jsonl"))
    files[0].write_bytes(b"")                                # a power cut
    files[1].write_bytes(files[1].read_bytes()[:-40])       # cut short
    files[2].write_text('{"type": "header", "meta": {"report": {"document": 5, "status": []}}}\n')
    again = align_many(pairing, out_dir=tmp_path / "work", workers=1)  # was JSONDecodeError
    statuses = [r.status for r in again.report]
    assert statuses.count("aligned") == 3 and statuses.count("done before") == 9
    assert [(p.document, p.ja, p.en) for p in again.corpus()] == \
        [(p.document, p.ja, p.en) for p in first.corpus()]


# ---- 9. manifests name regular files only --------------------------------------------------

def test_a_manifest_naming_a_device_or_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "en.txt").write_text("Hello.", encoding="utf-8")
    for name in ("/dev/zero", str(fifo)):
        (tmp_path / "m.tsv").write_text(f"{name}\ten.txt\n")
        with pytest.raises(ValueError, match=r"m\.tsv, line 1: .* is a (device|FIFO)"):
            read_manifest(tmp_path / "m.tsv")
    # given directly, they are that document's failure, never read (was: MemoryError, a hang)
    code = f"""if True:
        from pathlib import Path
        from jp_en_align import align_many
        r = align_many([("zero", Path("/dev/zero"), Path("{tmp_path / 'en.txt'}")),
                        ("fifo", Path("{fifo}"), Path("{tmp_path / 'en.txt'}"))], workers=1)
        print([row.error for row in r.report])
    """
    proc = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert proc.stdout.decode().count("is not a regular file") == 2


# ---- 2. Dask with relative paths, a worker started elsewhere ---------------------------------

def test_relative_paths_work_on_a_worker_started_in_another_folder(folders, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker",
                                   cluster.scheduler_address, "--nthreads", "1", "--no-dashboard"],
                                  cwd=elsewhere, env=ENV, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            client.wait_for_workers(1, timeout=120)
            monkeypatch.chdir(folders)
            result = align_many(pair_folders("ja", "en"), out_dir="run1", client=client, threads=1)
        finally:
            worker.terminate()
            worker.wait(60)
    assert [r.status for r in result.report] == ["aligned"] * 12  # was "ja/... does not exist"
    assert result.out_dir == folders / "run1" and not (elsewhere / "run1").exists()
    assert len(result.corpus()) > 0


# ---- 12. scheduler addresses -----------------------------------------------------------------

def _listener(banner: bytes | None) -> tuple[socket.socket, int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        try:
            conn, _ = server.accept()
            if banner:
                conn.sendall(banner)
            time.sleep(10)
            conn.close()
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    return server, server.getsockname()[1]


def test_a_port_that_is_not_a_dask_scheduler_is_told_at_once():
    pytest.importorskip("distributed")
    from jp_en_align.collection.cluster import connect

    server, port = _listener(b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n")
    start = time.monotonic()
    with pytest.raises(OSError, match="is not a Dask scheduler \\(it answered 'SSH-2.0-OpenSSH_9.6p"):
        connect(f"tcp://127.0.0.1:{port}")  # was numpy's "Unable to allocate 2.82 EiB"
    server.close()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with pytest.raises(OSError, match="cannot reach the Dask scheduler at .*is it running"):
        connect(f"127.0.0.1:{port}")  # refused: was 21 s
    assert time.monotonic() - start < 5


def test_a_cluster_without_workers_is_a_clear_error(folders, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from jp_en_align.collection import cluster as dask_cluster

    monkeypatch.setattr(dask_cluster, "WORKER_WAIT_SECONDS", 1.0)
    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with pytest.raises(RuntimeError, match="has no workers .*start some, e.g. dask worker"):
            align_many(pair_folders(folders / "ja", folders / "en"), out_dir=folders / "w",
                       client=client)  # was: waits forever, no message
    proc = subprocess.run([sys.executable, "-m", "jp_en_align.cli", "align-many", "ja", "en",
                           "-o", "m.tmx", "--out-dir", "w", "--scheduler", "tcp://127.0.0.1:1"],
                          cwd=folders, env=ENV, capture_output=True, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and err.count("\n") == 1 and "cannot reach the Dask" in err, err
