"""Review on the corpus: edits, status, the change log, learning from marks,
anchored alignment and realigning, on real dev documents and the real encoder."""

from __future__ import annotations

import io
import math
import random
import warnings

import pytest

from benchmarks.datasets import load_aligned
from jp_en_align import AlignedCorpus, Aligner


@pytest.fixture(scope="module")
def aligner() -> Aligner:
    return Aligner(show_progress_bar=False)


@pytest.fixture(scope="module")
def problem() -> dict:
    """The longest partly parallel wmt21 document: real errors to fix."""
    return max(load_aligned("partly.wmt21.ja-en"), key=lambda p: len(p["ja"]))


@pytest.fixture(scope="module")
def corpus(aligner: Aligner, problem: dict) -> AlignedCorpus:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return aligner.align(problem["ja"], problem["en"])


def covers_every_sentence_once(c: AlignedCorpus) -> bool:
    ja = sorted(i for a, _, _ in c.beads for i in a)
    en = sorted(j for _, b, _ in c.beads for j in b)
    in_order = all(list(a) == list(range(a[0], a[0] + len(a))) for a, _, _ in c.beads if a)
    return (ja == list(range(len(c.ja_sentences))) and en == list(range(len(c.en_sentences)))
            and in_order)


def random_edit(c: AlignedCorpus, rng: random.Random) -> AlignedCorpus:
    """One edit that is valid here, chosen at random."""
    while True:
        k = rng.randrange(len(c))
        op = rng.choice(["confirm", "reject", "merge", "split", "move"])
        a, b, _ = c.beads[k]
        try:
            if op == "confirm" and a and b:
                return c.confirm(k)
            if op == "reject":
                return c.reject(k)
            if op == "merge":
                return c.merge(k)
            if op == "split":
                return c.split(k)
            if op == "move":
                return c.move(k, rng.choice(["ja", "en"]), rng.choice(["up", "down"]))
        except ValueError:
            continue  # not valid on this pair (a clear error): pick another


def test_every_edit_keeps_every_sentence_once_and_undo_walks_back(corpus: AlignedCorpus) -> None:
    rng = random.Random(7)
    steps = [corpus]
    for _ in range(40):
        steps.append(random_edit(steps[-1], rng))
        assert covers_every_sentence_once(steps[-1])
        assert steps[-1].ja_sentences is corpus.ja_sentences  # same sentences, never copied
        assert len(steps[-1].log) == len(steps) - 1
    # edits never mutate: an older step is as it was
    assert covers_every_sentence_once(steps[10]) and len(steps[10].log) == 10
    back = steps[-1]
    for expected in reversed(steps[:-1]):
        back = back.undo()
        assert back == expected
    again = back
    for expected in steps[1:6]:
        again = again.redo()
        assert again == expected
    with pytest.raises(ValueError, match="nothing to undo"):
        corpus.undo()


def test_statuses_and_clear_errors(corpus: AlignedCorpus) -> None:
    k = next(k for k, p in enumerate(corpus) if p.kind == "1-1")
    assert corpus[k].status == "auto"
    assert corpus.confirm(k)[k].status == "confirmed"
    rejected = corpus.reject(k)
    assert [p.kind for p in rejected[k:k + 2]] == ["1-0", "0-1"]
    assert {p.status for p in rejected[k:k + 2]} == {"rejected"}
    merged = corpus.merge(k)
    assert merged[k].status == "corrected"
    assert merged[k].ja_ids == corpus[k].ja_ids + corpus[k + 1].ja_ids
    with pytest.raises(ValueError, match="cannot be split"):
        corpus.split(k)
    with pytest.raises(ValueError, match="no next pair"):
        corpus.merge(len(corpus) - 1)
    with pytest.raises(ValueError, match="no pair before"):
        corpus.move(0, "ja", "up")
    with pytest.raises(IndexError, match="out of range"):
        corpus.confirm(len(corpus))
    with pytest.raises(ValueError, match="filtered view"):
        corpus.filter(kinds="1-1").reject(0)


def test_status_and_log_survive_jsonl_and_undo_after_reading(corpus: AlignedCorpus,
                                                            tmp_path) -> None:
    edited = corpus.reject(3).merge(3).confirm(0).split(3, 1, 0)
    path = tmp_path / "reviewed.jsonl"
    edited.to_jsonl(path)
    back = AlignedCorpus.from_jsonl(path)
    assert back == edited
    assert [p.status for p in back] == [p.status for p in edited]
    assert back.undo().undo().undo().undo().beads == corpus.beads
    with pytest.raises(Exception, match="status"):
        AlignedCorpus.from_jsonl(io.StringIO(path.read_text(encoding="utf-8")
                                             .replace('"status": "confirmed"', '"status": "sure"')))


def test_tsv_reads_back(corpus: AlignedCorpus) -> None:
    back = AlignedCorpus.from_tsv(io.StringIO(corpus.to_tsv()))
    assert [(p.ja, p.en) for p in back] == [(p.ja, p.en) for p in corpus]
    assert all(math.isclose(p.score, q.score, abs_tol=1e-4) for p, q in zip(back, corpus))


def test_exports_keep_reviewed_pairs(corpus: AlignedCorpus) -> None:
    order = corpus.review_order()
    reviewed = corpus.confirm(order[-1]).reject(order[0])
    only = AlignedCorpus.from_tmx(io.BytesIO(reviewed.to_tmx(reviewed_only=True).encode()))
    confirmed = [p for p in reviewed if p.status == "confirmed"]
    assert len(only) == 1 and only[0].ja == confirmed[0].ja
    default = reviewed.to_tsv(skip_unaligned=True).splitlines()[1:]
    kept = reviewed.export_view().filter(skip_unaligned=True)
    assert len(default) == len(kept)
    assert all(p.status in ("confirmed", "corrected") or p.confidence >= 0.5 for p in kept)
    # an unreviewed corpus exports as before
    assert corpus.to_tsv() == corpus.export_view().to_tsv()


def test_marks_refit_the_unreviewed_pairs(corpus: AlignedCorpus) -> None:
    # with no marks, the aligner's own confidence, exactly
    unmarked = corpus.confirm(0).undo()
    assert unmarked.confidence == corpus.confidence
    order = corpus.review_order()
    assert order == sorted(order, key=lambda k: (corpus[k].confidence, k))
    assert all(corpus[k].is_aligned for k in order)
    # many wrong marks in one document make its other pairs more doubtful
    c = corpus
    for _ in range(6):
        c = c.reject(c.review_order()[0])
    todo = c.review_order()
    before = {corpus.beads[k][:2]: corpus.confidence[corpus.beads[k][:2]] for k in order}
    lowered = [c.confidence[c.beads[k][:2]] < before[c.beads[k][:2]] for k in todo
               if c.beads[k][:2] in before]
    assert sum(lowered) > len(lowered) / 2
    assert c.undo().undo().undo().undo().undo().undo().confidence == corpus.confidence


def test_one_queue_across_a_collection(corpus: AlignedCorpus, tmp_path) -> None:
    both = AlignedCorpus.concat([("a", corpus), ("b", corpus.confirm(0))])
    order = both.review_order()
    assert {both[k].document for k in order} == {"a", "b"}
    fixed = both.reject(order[0])
    parts = dict(fixed.by_document())
    n = len(both[order[0]].ja_ids) + len(both[order[0]].en_ids)
    assert sum(p.status == "rejected" for part in parts.values() for p in part) == n
    assert parts["b"][0].status == "confirmed"


def test_anchors_stay_and_only_gaps_are_aligned(aligner: Aligner, problem: dict) -> None:
    gold = [g for g in problem["gold"] if g[0] and g[1]]
    anchors = [gold[2], gold[len(gold) // 2], gold[-1]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = aligner.align(problem["ja"], problem["en"], anchors=anchors)
    assert covers_every_sentence_once(c)
    for a, b in anchors:
        k = [p.ja_ids for p in c].index(tuple(a))
        assert c[k].en_ids == tuple(b) and c[k].status == "confirmed" and c[k].confidence == 1.0
    # a sentence fixed as having no counterpart stays alone
    free = next(i for i in range(len(problem["ja"])) if all(i not in a for a, _ in anchors))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c2 = aligner.align(problem["ja"], problem["en"], anchors=[((free,), ())])
    assert ((free,), ()) in [b[:2] for b in c2.beads] and covers_every_sentence_once(c2)
    with pytest.raises(ValueError, match="overlap"):
        aligner.align(problem["ja"], problem["en"], anchors=[gold[2], gold[2]])
    with pytest.raises(ValueError, match="document order"):
        aligner.align(problem["ja"], problem["en"], anchors=[gold[5], gold[2]])
    with pytest.raises(ValueError, match="out of range"):
        aligner.align(problem["ja"], problem["en"], anchors=[((999,), (0,))])
    with pytest.raises(ValueError, match="consecutive"):
        aligner.align(problem["ja"], problem["en"], anchors=[((1, 3), (0,))])


def test_realign_keeps_reviewed_pairs_and_touches_only_the_window(aligner: Aligner,
                                                                 corpus: AlignedCorpus) -> None:
    mid = len(corpus) // 2
    k = next(k for k in range(mid, len(corpus)) if corpus[k].is_aligned)
    fixed = corpus.confirm(1).reject(k)
    out = fixed.realign(aligner, window=3)
    assert covers_every_sentence_once(out)
    assert out.log[-1]["op"] == "realign" and out.undo() == fixed
    reviewed = {b[:2]: fixed.status[b[:2]] for b in fixed.beads if b[:2] in fixed.status}
    assert all(out.status.get(key) == st for key, st in reviewed.items())
    # far from the fix nothing moves
    assert out.beads[:max(0, k - 3)] == fixed.beads[:max(0, k - 3)]
    assert out.beads[-5:] == fixed.beads[-5:] or len(fixed) - k < 10
    everything = fixed.realign(aligner)
    assert covers_every_sentence_once(everything)
    assert all(everything.status.get(key) == st for key, st in reviewed.items())
