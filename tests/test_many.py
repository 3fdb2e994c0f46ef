"""Collections: align_many on real documents with the real encoder, in this
process, on a process pool and on a real Dask LocalCluster; the output
folder, reruns, failures, merged corpora and their exports."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

from benchmarks.datasets import load_parallel
from jp_en_align import AlignedCorpus, Aligner, align_many, pair_folders, read_manifest
from jp_en_align.collection.sources import document_key
from jp_en_align.collection.store import OutputFolder
from jp_en_align.collection.worker import Settings, Task, align_batch
from jp_en_align.corpus.formats.tmx import write_tmx

REPO = Path(__file__).resolve().parents[1]
DATE = datetime(2025, 1, 21, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def documents(data_dir):
    """Six short real documents (wmt21 both directions, BSD), 6-8 sentences a side."""
    docs = []
    for name in ("wmt21.ja-en", "wmt21.en-ja", "bsd.dev"):
        for d in load_parallel(name, data_dir)[:2]:
            docs.append((f"{name}-{len(docs)}", d["ja"][:8], d["en"][:7]))
    return docs


def units(corpus):
    """What a translation memory holds, per pair: document, ids and texts."""
    return [(p.document, p.ja_ids, p.en_ids, p.ja, p.en) for p in corpus]


def test_align_many_gives_what_the_aligner_loop_gives(documents, encoder, tmp_path):
    aligner = Aligner()
    loop = AlignedCorpus.concat([(doc_id, aligner.align(ja, en)) for doc_id, ja, en in documents])
    result = align_many(documents, out_dir=tmp_path / "out", workers=1)
    assert [r.status for r in result.report] == ["aligned"] * len(documents)
    merged = result.corpus()
    assert units(merged) == units(loop)
    assert [p.score for p in merged] == pytest.approx([p.score for p in loop], abs=1e-5)
    assert merged.documents == loop.documents and len(merged.documents) == len(documents)
    row = result.report[0]
    assert (row.document, row.ja_sentences, row.en_sentences) == (documents[0][0], 8, 7)
    assert row.pairs == len(next(c for d, c in loop.by_document() if d == row.document))
    assert row.seconds > 0 and row.error == ""
    # the streamed exports are the merged corpus' own exports, byte for byte
    result.to_tmx(tmp_path / "m.tmx", creationdate=DATE)
    assert (tmp_path / "m.tmx").read_text(encoding="utf-8") == write_tmx(merged, creationdate=DATE)
    result.to_jsonl(tmp_path / "m.jsonl")
    assert (tmp_path / "m.jsonl").read_text(encoding="utf-8") == merged.to_jsonl()
    result.to_tsv(tmp_path / "m.tsv")
    assert (tmp_path / "m.tsv").read_text(encoding="utf-8") == merged.to_tsv()
    assert AlignedCorpus.from_jsonl(tmp_path / "m.jsonl") == merged


def test_concat_keeps_documents_and_every_format_reads_them_back(documents, encoder):
    a = Aligner().align(documents[0][1], documents[0][2])
    b = Aligner().align(documents[1][1], documents[1][2])
    both = a + b
    assert [d for d, _, _ in both.documents] == ["0", "1"]
    assert len(both) == len(a) + len(b)
    assert len(both.ja_sentences) == len(a.ja_sentences) + len(b.ja_sentences)
    named = AlignedCorpus.concat([("x", a), ("y", b)])
    assert [c.beads for _, c in named.by_document()] == [a.beads, b.beads]
    assert AlignedCorpus.concat([named, ("z", a)]).documents[2][0] == "z"
    back = AlignedCorpus.from_tmx(io.BytesIO(named.to_tmx(skip_unaligned=False).encode()))
    assert units(back) == units(named) and back.documents == named.documents
    assert AlignedCorpus.from_jsonl(io.StringIO(named.to_jsonl())) == named
    assert named.to_tsv().splitlines()[0].endswith("\tdocument")
    with pytest.raises(ValueError, match="same id"):
        AlignedCorpus.concat([("x", a), ("x", b)])


def test_tmx_for_cat_tools_reads_in_translate_toolkit(documents, tmp_path):
    from translate.storage import tmx

    repeated = [documents[0], ("again", documents[0][1], documents[0][2]), documents[1]]
    result = align_many(repeated, workers=1)
    path = tmp_path / "m.tmx"
    written = result.to_tmx(path, ja_lang="ja-JP", en_lang="en-US")
    root = ET.parse(path).getroot()
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                 "srclang", "datatype"):
        assert header.get(attr), attr
    assert header.get("segtype") == "sentence" and header.get("datatype") == "plaintext"
    tus = root.find("body").findall("tu")
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in tus]
    assert {p["x-document"] for p in props} == {documents[0][0], "again", documents[1][0]}
    with open(path, "rb") as f:
        store = tmx.tmxfile(f, sourcelanguage="ja-JP", targetlanguage="en-US")
    corpus = result.corpus()
    aligned = corpus.filter(skip_unaligned=True)  # 1-0/0-1 are left out by default
    assert [(u.source, u.target) for u in store.units] == [(p.ja, p.en) for p in aligned]
    assert written == len(tus) == len(aligned)
    # --dedupe: the repeated document's units collapse, each with its count
    deduped = result.to_tmx(tmp_path / "d.tmx", dedupe=True)
    counts = [int(p.text) for p in ET.parse(tmp_path / "d.tmx").iter("prop")
              if p.get("type") == "x-count"]
    distinct = {(p.ja, p.en) for p in aligned}
    assert deduped == len(distinct) and sum(counts) == len(aligned)
    with_unaligned = result.to_tmx(tmp_path / "k.tmx", skip_unaligned=False)
    assert with_unaligned == len(corpus)


def test_failures_are_recorded_and_the_run_goes_on(folders, tmp_path):
    (folders / "ja" / "empty.txt").write_text("  \n", encoding="utf-8")
    (folders / "en" / "empty.txt").write_text("Nothing on the other side.", encoding="utf-8")
    (folders / "ja" / "swapped.txt").write_text("This is English text, not Japanese at all.",
                                                encoding="utf-8")
    (folders / "en" / "swapped.txt").write_text("これは日本語の文章です。英語ではありません。",
                                                encoding="utf-8")
    # a Shift_JIS file is read (its encoding detected); a Word 97 .doc cannot be
    (folders / "ja" / "sjis.txt").write_bytes("日本語の文です。猫が好きです。".encode("cp932"))
    (folders / "en" / "sjis.txt").write_text("This is a Japanese sentence. I like cats.",
                                             encoding="utf-8")
    (folders / "ja" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (folders / "en" / "old.txt").write_text("A sentence.", encoding="utf-8")
    result = align_many(pair_folders(folders / "ja", folders / "en"), workers=1)
    errors = {r.document: r.error for r in result.failures}
    assert set(errors) == {"empty", "swapped", "old"}
    assert "empty" in errors["empty"] and "swap them" in errors["swapped"]
    assert "libreoffice" in errors["old"]
    assert sum(r.status == "aligned" for r in result.report) == 7
    assert "failed documents (3)" in result.summary()


def test_rerun_skips_what_is_done_and_a_killed_run_gives_every_document_once(folders, tmp_path):
    out = tmp_path / "out"
    pairing = pair_folders(folders / "ja", folders / "en")
    first = align_many(pairing, out_dir=out, workers=1)
    first.to_tmx(tmp_path / "first.tmx", creationdate=DATE)
    # a changed file is aligned again, under the same name; the others are skipped
    changed = folders / "en" / f"{pairing.documents[2].doc_id}.en.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "One more sentence.\n",
                       encoding="utf-8")
    second = align_many(pairing, out_dir=out, workers=1)
    statuses = [r.status for r in second.report]
    assert statuses[2] == "aligned" and statuses.count("done before") == len(statuses) - 1
    changed.write_text(changed.read_text(encoding="utf-8").replace("One more sentence.\n", ""),
                       encoding="utf-8")
    # a run killed mid-way: some results missing, a half-written temporary file left behind
    store = OutputFolder(out)
    lost, half = (out / "docs" / k[:2] / f"{k}.jsonl" for k in (first.report[0].key,
                                                                  first.report[1].key))
    lost.unlink()
    (half.parent / f".{half.name}.dead.tmp").write_text('{"type": "hea')
    third = align_many(pairing, out_dir=out, workers=1)
    assert [r.status for r in third.report] == ["aligned"] + ["done before"] * (len(pairing) - 1)
    third.to_tmx(tmp_path / "third.tmx", creationdate=DATE)
    assert units(AlignedCorpus.from_tmx(tmp_path / "third.tmx")) == \
        units(AlignedCorpus.from_tmx(tmp_path / "first.tmx"))
    assert all(store.is_done(r.key) for r in third.report)


def test_a_batch_run_twice_writes_each_document_once(documents, tmp_path):
    # What a Dask retry of a lost worker's batch does: the same work again.
    settings = Settings()
    result = align_many(documents[:2], out_dir=tmp_path, workers=1)
    tasks = [Task(r.key, doc) for r, doc in zip(result.report, result_docs(documents[:2]))]
    align_batch(tasks, settings, os.fspath(tmp_path))
    assert len(list((tmp_path / "docs").rglob("*.jsonl"))) == 2
    assert [d for d, _ in result.corpora()] == [documents[0][0], documents[1][0]]


def result_docs(documents):
    from jp_en_align.collection.sources import as_documents

    return as_documents(documents)


def test_folder_pairing_and_manifest(tmp_path):
    assert {document_key(Path(n), "ja") for n in ("a_ja.txt", "a.ja.txt", "a.ja", "a.txt",
                                                   "a-JPN.txt")} == {"a"}
    assert document_key(Path("a.en.txt"), "en") == "a" == document_key(Path("a_english"), "en")
    for lang, names in (("ja", ["a_ja.txt", "b.txt", "spare1.txt"]),
                        ("en", ["a.en.txt", "b_en.txt", "spare2.txt"])):
        (tmp_path / lang).mkdir()
        for n in names:
            (tmp_path / lang / n).write_text("x", encoding="utf-8")
    pairing = pair_folders(tmp_path / "ja", tmp_path / "en")
    assert [d.doc_id for d in pairing] == ["a", "b"]
    assert [p.name for p in pairing.unmatched_ja] == ["spare1.txt"]
    assert [p.name for p in pairing.unmatched_en] == ["spare2.txt"]
    (tmp_path / "ja" / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="both stand for document 'a'"):
        pair_folders(tmp_path / "ja", tmp_path / "en")
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("id\tja\ten\n# a comment\n\nfirst\tja/b.txt\ten/b_en.txt\n",
                        encoding="utf-8")
    [doc] = read_manifest(manifest)
    assert (doc.doc_id, doc.ja, doc.en) == ("first", tmp_path / "ja" / "b.txt",
                                            tmp_path / "en" / "b_en.txt")
    manifest.write_text("ja/b.txt\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        read_manifest(manifest)
    with pytest.raises(ValueError, match="appears twice"):
        align_many([("d", "猫。", "Cat."), ("d", "犬。", "Dog.")])


def test_process_pool_and_dask_local_cluster_give_the_single_process_output(folders, tmp_path):
    distributed = pytest.importorskip("distributed")
    pairing = pair_folders(folders / "ja", folders / "en")
    single = align_many(pairing, out_dir=tmp_path / "one", workers=1).corpus()
    pooled = align_many(pairing, out_dir=tmp_path / "pool", workers=2)
    assert units(pooled.corpus()) == units(single)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        # the workers run this worktree's code, not another installed copy
        where = client.run(lambda: __import__("jp_en_align").__file__)
        assert set(where.values()) == {str(REPO / "jp_en_align" / "__init__.py")}
        on_dask = align_many(pairing, out_dir=tmp_path / "dask", client=client, threads=1)
    merged = on_dask.corpus()
    assert units(merged) == units(single)
    assert [p.score for p in merged] == pytest.approx([p.score for p in single], abs=1e-5)
    assert [r.status for r in on_dask.report] == ["aligned"] * len(pairing)


def test_a_worker_killed_mid_run_costs_its_batch_and_nothing_is_duplicated(folders, tmp_path):
    distributed = pytest.importorskip("distributed")
    import signal
    import threading
    import time

    pairing = pair_folders(folders / "ja", folders / "en")
    single = align_many(pairing, out_dir=tmp_path / "one", workers=1).corpus()
    out = tmp_path / "dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        done: dict = {}
        run = threading.Thread(target=lambda: done.update(result=align_many(
            pairing, out_dir=out, client=client, threads=1, documents_per_task=1)))
        run.start()
        deadline = time.monotonic() + 120
        while not list(out.rglob("*.jsonl")) and time.monotonic() < deadline:
            time.sleep(0.05)
        nanny = next(iter(cluster.workers.values()))
        os.kill(nanny.process.process.pid, signal.SIGKILL)  # the nanny starts a new worker
        finished_at_kill = len(list(out.rglob("*.jsonl")))
        run.join(240)
    assert 0 < finished_at_kill < len(pairing)  # killed mid-run
    result = done["result"]
    assert [r.status for r in result.report] == ["aligned"] * len(pairing)
    assert len(list((out / "docs").rglob("*.jsonl"))) == len(pairing)
    assert units(result.corpus()) == units(single)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "jp_en_align.cli", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def test_cli_align_many_writes_the_memory_and_lists_failures(folders):
    (folders / "ja" / "lonely_ja.txt").write_text("一人。", encoding="utf-8")
    (folders / "ja" / "broken.txt").write_text("", encoding="utf-8")
    (folders / "en" / "broken.txt").write_text("Some text.", encoding="utf-8")
    proc = run_cli("align-many", "ja", "en", "-o", "out/memory.tmx", "--out-dir", "work",
                   "--workers", "1", "--ja-lang", "ja-JP", cwd=folders)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "lonely_ja.txt" in err and "no partner" in err
    assert "failed documents (1)" in err and "broken: the ja side is empty" in err
    memory = AlignedCorpus.from_tmx(folders / "out" / "memory.tmx", ja="ja-JP")
    assert len({p.document for p in memory}) == 6
    (folders / "ja" / "broken.txt").unlink()
    (folders / "manifest.tsv").write_text("".join(
        f"{p.name}\tja/{p.name}\ten/{document_key(p, 'ja')}.en.txt\n"
        for p in sorted((folders / "ja").glob("*_ja.txt")) if "lonely" not in p.name))
    proc = run_cli("align-many", "--manifest", "manifest.tsv", "-o", "pairs.tsv", "--workers",
                   "1", "-q", cwd=folders)
    assert proc.returncode == 0, proc.stderr.decode()
    assert (folders / "pairs.tsv").read_text(encoding="utf-8").startswith(
        "ja\ten\tscore\tconfidence\tdocument\n")
