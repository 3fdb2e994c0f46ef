"""pair_documents and the pair-documents / align-many --pair-by commands, with
the real default encoder on a small part of ../shared/data/unpaired: 20 true
pairs and 3 files without a counterpart on each side (random file names).

Only properties that hold on any machine are asserted: every file in at
most one pair, every file accounted for, orphans unpaired with a reason, bad
input refused or reported by name. Scores are compared with a wide margin
(true pairs score 0.46-0.71 on the whole dev collection, wrong candidates
under 0.4), never ranked by a hair.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jp_en_align.aligner.aligner import Aligner
from jp_en_align.cli import main
from jp_en_align.collection import align_many, pair_documents, read_manifest
from jp_en_align.collection.pairing_result import LOST, NO_CANDIDATE, REASONS, PairingResult

PAIRS, ORPHANS = 20, 3


@pytest.fixture(scope="module")
def collection(data_dir, tmp_path_factory):
    """``(ja_dir, en_dir, gold, orphans)``: 20 gold pairs and 3 orphans a side, copied."""
    src = data_dir / "unpaired"
    gold = dict(line.split("\t") for line in
                (src / "gold.tsv").read_text(encoding="utf-8").splitlines()[:PAIRS])
    all_gold = dict(line.split("\t") for line in
                    (src / "gold.tsv").read_text(encoding="utf-8").splitlines())
    orphans = {"ja": sorted(p.name for p in (src / "ja").iterdir() if p.name not in all_gold)[:ORPHANS],
               "en": sorted(p.name for p in (src / "en").iterdir()
                            if p.name not in set(all_gold.values()))[:ORPHANS]}
    root = tmp_path_factory.mktemp("unpaired")
    for side, names in (("ja", [*gold, *orphans["ja"]]), ("en", [*gold.values(), *orphans["en"]])):
        (root / side).mkdir()
        for name in names:
            shutil.copy(src / side / name, root / side / name)
    return root / "ja", root / "en", gold, orphans


@pytest.fixture(scope="module")
def aligner():
    return Aligner(show_progress_bar=False)


@pytest.fixture(scope="module")
def result(collection, aligner) -> PairingResult:
    ja_dir, en_dir, _, _ = collection
    return pair_documents(ja_dir, en_dir, aligner=aligner)


def test_every_file_at_most_once_and_all_accounted_for(collection, result):
    ja_dir, en_dir, _, _ = collection
    for side, folder in (("ja", ja_dir), ("en", en_dir)):
        paired = [getattr(m, side) for m in result.pairs]
        left = [u.id for u in result.unpaired if u.side == side]
        assert len(paired) == len(set(paired))
        assert sorted(paired + left) == sorted(p.name for p in folder.iterdir())


def test_finds_the_true_pairs_and_leaves_orphans_unpaired_with_a_reason(collection, result):
    _, _, gold, orphans = collection
    found = {(m.ja, m.en) for m in result.pairs}
    assert found <= set(gold.items())  # no wrong pair
    assert len(found) >= PAIRS - 2
    for side in ("ja", "en"):
        reasons = {u.id: u for u in result.unpaired if u.side == side}
        for name in orphans[side]:
            assert name in reasons
            assert reasons[name].reason in (NO_CANDIDATE, LOST)
            assert reasons[name].detail
    for u in result.unpaired:
        assert u.reason in REASONS


def test_pairs_carry_a_score_and_their_evidence(result):
    for m in result.pairs:
        assert result.threshold <= m.score <= 1.0
        assert {"bimax", "aligned", "doc_cosine", "order", "length_ratio"} <= set(m.evidence)
        assert m.score == pytest.approx((m.evidence["bimax"] + m.evidence["aligned"]) / 2, abs=1e-5)
    scores = [m.score for m in result.pairs]
    assert scores == sorted(scores, reverse=True)


def test_dataframe_has_one_row_per_pair_and_per_unpaired_file(result):
    df = result.to_dataframe()
    assert len(df) == len(result.pairs) + len(result.unpaired)
    assert (df.status == "paired").sum() == len(result.pairs)
    assert set(df[df.status == "unpaired"].reason) <= set(REASONS)
    assert {"ja", "en", "score", "reason", "detail", "bimax", "aligned"} <= set(df.columns)


def test_alignments_and_vectors_are_reused(collection, tmp_path):
    """The chosen pairs' alignments are kept; with cache_dir, aligning a pair
    again encodes nothing (sentences and runs are in the cache)."""
    ja_dir, en_dir, gold, _ = collection
    ja_name = next(iter(gold))
    items_ja = [(ja_name, (ja_dir / ja_name).read_text(encoding="utf-8"))]
    en_files = [en_dir / gold[ja_name], *sorted(en_dir.iterdir())[:3]]
    en_files = list(dict.fromkeys(en_files))
    res = pair_documents(items_ja, en_files, cache_dir=tmp_path / "cache")
    assert [(m.ja, m.en) for m in res.pairs] == [(ja_name, gold[ja_name])]
    corpus = res.corpus(ja_name)
    assert len(corpus.ja_sentences) > 0 and corpus.parallelism > 0.5
    again = Aligner(cache_dir=tmp_path / "cache", show_progress_bar=False)
    _ = again.encoder.disk_cache  # open the cache (its fingerprint probe is one call)
    before = again.encoder.calls
    again.align(res.pairs[0].ja_source, en_dir / gold[ja_name])
    assert again.encoder.calls == before


def test_align_many_takes_the_pairs(result, tmp_path):
    run = align_many(result.documents()[:2], workers=1, out_dir=tmp_path / "out")
    assert [row.status for row in run.report] == ["aligned", "aligned"]


def test_bad_documents_are_reported_never_paired(collection, aligner, tmp_path):
    ja_dir, en_dir, gold, _ = collection
    (ja := tmp_path / "ja").mkdir()
    (en := tmp_path / "en").mkdir()
    names = list(gold.items())[:3]
    for a, b in names:
        shutil.copy(ja_dir / a, ja / a)
        shutil.copy(en_dir / b, en / b)
    (ja / "empty.txt").write_text("  \n", encoding="utf-8")
    (ja / "binary.bin").write_bytes(bytes(range(256)) * 8)
    shutil.copy(ja_dir / names[0][0], en / "misfiled_japanese.txt")
    shutil.copy(en_dir / names[1][1], en / "zz_copy.txt")
    res = pair_documents(ja, en, aligner=aligner)
    reasons = {(u.side, u.id): u.reason for u in res.unpaired}
    assert reasons[("ja", "empty.txt")] == "empty"
    assert reasons[("ja", "binary.bin")] == "unreadable"
    assert reasons[("en", "misfiled_japanese.txt")] == "wrong language"
    assert reasons[("en", "zz_copy.txt")] == "duplicate"
    copy = next(u for u in res.unpaired if u.id == "zz_copy.txt")
    assert names[1][1] in copy.detail  # names the file it repeats
    paired = {m.ja for m in res.pairs} | {m.en for m in res.pairs}
    assert not paired & {"empty.txt", "binary.bin", "misfiled_japanese.txt", "zz_copy.txt"}
    assert {(m.ja, m.en) for m in res.pairs} <= set(names)


def test_bad_arguments_are_clear_errors(collection, tmp_path):
    ja_dir, en_dir, _, _ = collection
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="en folder .*nowhere.* does not exist"):
        pair_documents(ja_dir, tmp_path / "nowhere")
    with pytest.raises(ValueError, match="ja folder .*empty.* has no files"):
        pair_documents(tmp_path / "empty", en_dir)
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        pair_documents([ja_dir / "missing.txt"], en_dir)
    with pytest.raises(TypeError, match="ja document 0 is int"):
        pair_documents([3], en_dir)
    with pytest.raises(ValueError, match="appears twice"):
        pair_documents([("a", "猫。"), ("a", "犬。")], en_dir)
    with pytest.raises(ValueError, match="no ja documents"):
        pair_documents([], en_dir)
    with pytest.raises(ValueError, match="threshold"):
        pair_documents(ja_dir, en_dir, threshold=1.5)
    with pytest.raises(ValueError, match="vectors"):
        pair_documents(ja_dir, en_dir, vectors="max")


def test_cli_pair_documents_writes_a_manifest_align_many_reads(collection, tmp_path, capsys):
    ja_dir, en_dir, gold, _ = collection
    out = tmp_path / "pairs.tsv"
    assert main(["pair-documents", str(ja_dir), str(en_dir), "-o", str(out), "-q",
                 "--vectors", "tk-pert"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ja\ten\tscore"
    docs = read_manifest(out)
    assert docs and all(d.ja.is_file() and d.en.is_file() for d in docs)
    assert {(d.ja.name, d.en.name) for d in docs} <= set(gold.items())
    assert any(line.startswith("# unpaired") for line in lines)


def test_cli_align_many_pairs_by_content_when_names_do_not_match(collection, tmp_path, capsys):
    ja_dir, en_dir, gold, _ = collection
    (ja := tmp_path / "ja").mkdir()
    (en := tmp_path / "en").mkdir()
    for a, b in list(gold.items())[:3]:
        shutil.copy(ja_dir / a, ja / a)
        shutil.copy(en_dir / b, en / b)
    memory = tmp_path / "memory.tsv"
    assert main(["align-many", str(ja), str(en), "-o", str(memory), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "pairing the files by content" in err and "3 pairs" in err
    assert len(memory.read_text(encoding="utf-8").splitlines()) > 10


def test_cli_errors_are_one_line(tmp_path, capsys):
    (tmp_path / "ja").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.txt").write_text("Hello.", encoding="utf-8")
    assert main(["pair-documents", str(tmp_path / "ja"), str(tmp_path / "en")]) == 1
    assert "has no files" in capsys.readouterr().err
    assert main(["pair-documents", str(tmp_path / "nope"), str(tmp_path / "en"), "-q"]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_a_shorter_version_loses_to_the_full_one_and_says_so(collection, aligner):
    """Two English versions of one Japanese document (the whole text and its
    first 70 %): one is paired, the other is unpaired as lost to a better pair."""
    from jp_en_align.readers import read_document

    ja_dir, en_dir, gold, _ = collection
    ja_name, en_name = max(gold.items(), key=lambda kv: (en_dir / kv[1]).stat().st_size)
    en = [s.text for s in read_document(en_dir / en_name).sentences("en")]
    ja = [s.text for s in read_document(ja_dir / ja_name).sentences("ja")]
    res = pair_documents([("ja", ja)], [("full", en), ("short", en[:max(3, len(en) * 7 // 10)])],
                         aligner=aligner)
    assert len(res.pairs) == 1 and res.pairs[0].en in ("full", "short")
    [left] = res.unpaired
    assert left.reason == LOST and left.id != res.pairs[0].en
    assert f"went to {res.pairs[0].en}" in left.detail


def test_nothing_usable_on_one_side_pairs_nothing(aligner):
    res = pair_documents([("a", "   ")], [("b", "The council met on Monday. It agreed.")],
                         aligner=aligner)
    assert res.pairs == []
    assert [(u.side, u.reason) for u in res.unpaired] == [("ja", "empty"), ("en", NO_CANDIDATE)]
