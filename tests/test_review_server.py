"""The review server over real HTTP: its guard (token, Host), conflicts, and
saving (journal + snapshots) through kill -9 and restarts; an align-many
output folder reviewed as one queue and saved back per document.

No mocks: a real uvicorn server on 127.0.0.1 (in this process, or as the
``jp-en-align review`` command in a child process for kill -9), real
corpora from the dev sets, and the real encoder for realign.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jp_en_align.corpus import AlignedCorpus
from jp_en_align.review import serve

from review_helpers import Client, gold_corpus, problems, with_three_errors


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    corpus, _ = with_three_errors(problems()[0])
    path = tmp_path / "dialogue.jsonl"
    corpus.to_jsonl(path)
    return path


@pytest.fixture
def server(corpus_file: Path):
    handle = serve(corpus_file, block=False, quiet=True)
    yield handle
    handle.stop()


def test_requests_without_the_token_are_refused(server) -> None:
    client = Client(server.url)
    assert client.request("GET", "/", token=None)[0] == 401
    assert client.request("GET", "/?token=wrong", token=None)[0] == 403
    assert client.request("GET", "/api/window", token=None)[0] == 401
    assert client.request("GET", "/api/window", token="wrong")[0] == 403
    status, _, data = client.request("POST", "/api/action", {"version": 0, "action": {"op": "undo"}},
                                     token=None)
    assert status == 401 and "token" in data["error"]
    # the page's cookie opens the page, not the API (which wants the header:
    # another site's form or script cannot send it)
    cookie = {"Cookie": f"jpea_review_{server.port}={server.token}"}
    assert client.request("GET", "/", token=None, headers=cookie)[0] == 200
    assert client.request("GET", "/api/window", token=None, headers=cookie)[0] == 401
    status, headers, page = client.request("GET", f"/?token={server.token}", token=None)
    assert status == 200 and "<script nonce=" in page
    assert "script-src 'nonce-" in headers["content-security-policy"]
    assert client.request("GET", "/api/window")[0] == 200
    assert server.session.version == 0  # nothing refused changed anything


def test_a_foreign_host_is_refused(server) -> None:
    client = Client(server.url)
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1", f"localhost.evil:{server.port}"):
        status, _, data = client.request("GET", "/api/window", host=host)
        assert status == 403 and "Host" in data["error"], host
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", f"[::1]:{server.port}"):
        assert client.request("GET", "/api/window", host=host)[0] == 200, host


def test_no_cors(server) -> None:
    client = Client(server.url)
    origin = {"Origin": "http://evil.example"}
    for method, path in (("GET", "/api/window"), ("OPTIONS", "/api/action")):
        _, headers, _ = client.request(method, path, headers=origin)
        assert not any(h.startswith("access-control-") for h in headers), headers


def test_a_stale_edit_gets_409_and_changes_nothing(server) -> None:
    client = Client(server.url)
    assert client.act(0, op="mark", k=0, correct=True)[0] == 200
    status, data = client.act(0, op="merge", k=3)  # a second tab, still at version 0
    assert status == 409 and "version 0" in data["error"] and data["version"] == 1
    assert client.window()["version"] == 1
    assert [p.status for p in server.corpus].count("corrected") == 0


def test_bad_edits_say_why(server) -> None:
    client = Client(server.url)
    last = client.window()["pairs"] - 1
    status, data = client.act(0, op="merge", k=last)
    assert status == 400 and "last" in data["error"]
    assert client.act(0, op="split", k=0)[0] == 400           # a 1-1 pair cannot be split
    assert client.act(0, op="explode", k=0)[1]["error"].startswith("unknown action")
    assert client.act(0, op="move", k=1, side="fr", direction="up")[0] == 400
    assert client.act(0, op="undo")[0] == 400                 # nothing to undo
    assert client.act(0, op="merge", k=10**6)[0] == 400
    assert server.session.version == 0


def test_windows_not_the_whole_corpus(server) -> None:
    client = Client(server.url)
    doubt = client.window("doubt", 0, 5)
    assert len(doubt["rows"]) == 5 and doubt["total"] > 5
    confidences = [r["confidence"] for r in doubt["rows"]]
    assert confidences == sorted(confidences)  # most doubtful first
    row = doubt["rows"][0]
    assert set(row) >= {"k", "ja", "en", "confidence", "status", "before", "after", "document"}
    status, data = client.act(doubt["version"], op="mark", k=row["k"], correct=True)
    assert status == 200 and len(data["window"]["rows"]) <= 60
    assert row["k"] not in [r["k"] for r in client.window("doubt", 0, 500)["rows"]]


def _start_cli(path: Path) -> tuple[subprocess.Popen, Client]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "jp_en_align.cli", "review", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    assert line.startswith("review: http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
    return proc, Client(line.split()[1])


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)  # no goodbye: no last snapshot
    proc.wait(timeout=30)


def test_kill_9_then_restart_loses_nothing(corpus_file: Path) -> None:
    before = corpus_file.read_text(encoding="utf-8")
    proc, client = _start_cli(corpus_file)
    try:
        v = client.window()["version"]
        for action in ({"op": "mark", "k": 0, "correct": True},
                       {"op": "mark", "k": 3, "correct": False},
                       {"op": "merge", "k": 1}, {"op": "undo"}):
            status, data = client.act(v, **action)
            assert status == 200, data
            v = data["version"]
    finally:
        _kill(proc)
    assert corpus_file.read_text(encoding="utf-8") == before  # only the journal has the edits

    proc, client = _start_cli(corpus_file)  # replays the journal, folds it into a snapshot
    try:
        window = client.window()
        statuses = [r["status"] for r in window["rows"]]
        assert window["version"] == 4
        assert statuses[0] == "confirmed" and statuses.count("rejected") == 2
    finally:
        _kill(proc)
    assert AlignedCorpus.from_jsonl(corpus_file)[0].status == "confirmed"

    proc, client = _start_cli(corpus_file)
    try:
        assert client.window()["version"] == 4
        status, data = client.act(4, op="redo")  # the undone merge: redo survives restarts
        assert status == 200, data
    finally:
        proc.send_signal(signal.SIGTERM)  # a clean stop writes the last snapshot
        assert proc.wait(timeout=30) == 0
    saved = AlignedCorpus.from_jsonl(corpus_file)
    assert [p.status for p in saved].count("corrected") == 1

    proc, client = _start_cli(corpus_file)  # nothing is replayed twice
    try:
        assert client.window()["version"] == 5 and client.window()["pairs"] == len(saved)
    finally:
        _kill(proc)


def test_a_torn_journal_line_is_dropped(corpus_file: Path) -> None:
    from jp_en_align.review.journal import Journal, fingerprint

    # the journal as a server killed in the middle of writing its third action leaves it
    journal = Journal(str(corpus_file) + ".journal")
    journal.start(fingerprint(corpus_file.read_text(encoding="utf-8")), 0)
    journal.append(1, {"op": "mark", "k": 0, "correct": True})
    journal.append(2, {"op": "mark", "k": 1, "correct": True})
    journal.close()
    with open(journal.path, "a", encoding="utf-8") as f:
        f.write('{"version": 3, "act')
    with serve(corpus_file, block=False, quiet=True) as handle:
        assert handle.session.version == 2 and handle.session.replayed == 2
        assert [handle.corpus[k].status for k in (0, 1)] == ["confirmed", "confirmed"]
    # the replayed actions went into a snapshot at once; the journal starts over it
    assert AlignedCorpus.from_jsonl(corpus_file)[1].status == "confirmed"
    assert len(journal.path.read_text().strip().split("\n")) == 1


def test_an_output_folder_is_one_queue_saved_per_document(tmp_path: Path) -> None:
    from jp_en_align.collection.store import OutputFolder, ReportRow

    store = OutputFolder(tmp_path / "out")
    docs = problems()[:3]
    for n, p in enumerate(docs):
        store.write_result(f"{n:02d}" + "ab" * 19, gold_corpus(p),
                           ReportRow(document=p["id"], status="aligned"))
    files = sorted((tmp_path / "out" / "docs").glob("*/*.jsonl"))
    with serve(tmp_path / "out", block=False, quiet=True) as handle:
        client = Client(handle.url)
        window = client.window("doubt", 0, 500)
        assert window["pairs"] == sum(len(p["gold"]) for p in docs)
        assert {r["document"] for r in window["rows"]} == {p["id"] for p in docs}
        third = next(r for r in client.window("document", 0, 500)["rows"]
                     if r["document"] == docs[2]["id"])
        assert client.act(0, op="mark", k=third["k"], correct=True)[0] == 200
    third_file = next(f for f in files if json.loads(f.read_text().split("\n")[0])["meta"]["document"]
                      == docs[2]["id"])
    part = AlignedCorpus.from_jsonl(third_file)
    assert part[0].status == "confirmed" and part.meta["report"]["status"] == "aligned"
    assert store.read_corpus(third_file.stem)[0].status == "confirmed"
    others = [AlignedCorpus.from_jsonl(f) for f in files if f != third_file]
    assert all(p.status == "auto" for c in others for p in c)


def test_realign_around_a_fix_with_the_real_encoder(tmp_path: Path) -> None:
    corpus, where = with_three_errors(problems()[0])
    path = tmp_path / "dialogue.jsonl"
    corpus.to_jsonl(path)
    with serve(path, block=False, quiet=True) as handle:
        client = Client(handle.url)
        rows = client.window("document", 0, 500)["rows"]
        k = next(r["k"] for r in rows if r["ja"][0] == where["split"])
        assert client.act(0, op="merge", k=k)[0] == 200
        status, data = client.act(1, op="realign", window=5)
        assert status == 200, data
        fixed = handle.corpus
        assert fixed[k].status == "corrected" and fixed[k].kind == "2-1"
        assert fixed.log[-1]["op"] == "realign"
        # a slow action is in the snapshot at once: a restart need not run it again
        assert AlignedCorpus.from_jsonl(path).log[-1]["op"] == "realign"
