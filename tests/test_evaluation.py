"""Vecalign's strict/lax precision and recall, on cases worked out by hand,
and the ``[i, j]:[k]`` bead format."""

from __future__ import annotations

import io

import pytest

from jp_en_align.corpus import AlignedCorpus
from jp_en_align.evaluation import (AlignmentScores, check_beads, evaluate, format_beads,
                                    parse_beads, read_beads, write_beads)

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2,)), ((4,), (3, 4))]


def test_perfect_alignment_scores_one():
    s = evaluate(GOLD, GOLD)
    assert s.as_dict() == {k: 1.0 for k in s.as_dict()}
    # precision counts all 5 beads (deletions included), recall only the 3 with both sides
    assert (s.tp_strict, s.fp_strict, s.found_strict, s.missed_strict) == (5, 0, 3, 0)


def test_split_merge_and_missed_deletion_by_hand():
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((4,), (3,)), ((), (4,))]
    s = evaluate(pred, GOLD)
    # precision over the 6 predicted beads: only 0-0 is a gold bead.
    # lax: 1-1 overlaps gold (1,2)-(1); (2,)-() has no target; (3,)-(2,): gold gives
    # source 3 no target; (4,)-(3,) overlaps gold (4,)-(3,4); ()-(4,) has no source.
    assert (s.tp_strict, s.fp_strict) == (1, 5)
    assert (s.tp_lax, s.fp_lax) == (3, 3)
    # recall over gold beads with both sides: 0-0 found, (1,2)-(1) and (4,)-(3,4) not,
    # but both overlap predicted beads (lax)
    assert (s.found_strict, s.missed_strict) == (1, 2)
    assert (s.found_lax, s.missed_lax) == (3, 0)
    assert s.precision_strict == pytest.approx(1 / 6)
    assert s.recall_strict == pytest.approx(1 / 3)
    assert s.f1_strict == pytest.approx(2 * (1 / 6) * (1 / 3) / (1 / 6 + 1 / 3))
    assert s.precision_lax == pytest.approx(0.5)
    assert s.recall_lax == 1.0


def test_predicted_deletion_that_gold_lacks_costs_precision_only():
    gold = [((0,), (0,)), ((1,), (1,))]
    pred = [((0,), (0,)), ((1,), ()), ((), (1,))]
    s = evaluate(pred, gold)
    assert (s.precision_strict, s.recall_strict) == (pytest.approx(1 / 3), 0.5)
    assert s.precision_lax == pytest.approx(1 / 3)  # deletions never overlap on both sides


def test_beads_empty_on_both_sides_are_ignored():
    pred = [((), ()), ((0,), (0,)), ((), ())]
    s = evaluate(pred, [((0,), (0,))])
    assert (s.tp_strict, s.fp_strict) == (1, 0)


@pytest.mark.parametrize("beads", [
    [((0,), (0,)), ((0,), (0,))],          # the same bead twice (was silently one)
    [((0,), (0,)), ((0, 1), (1,))],        # one source sentence in two beads
    [((0,), (0,)), ((1,), (0,))],          # one target sentence in two beads
])
def test_a_sentence_in_two_beads_is_not_an_alignment(beads):
    gold = [((0,), (0,)), ((1,), (1,))]
    with pytest.raises(ValueError, match=r"predicted beads are not an alignment: \w+ sentence 0 "
                                         r"is in bead 0 and in bead 1"):
        evaluate(beads, gold)
    with pytest.raises(ValueError, match="gold beads are not an alignment"):
        evaluate(gold, beads)


@pytest.mark.parametrize("bad", [((0.7,), (0,)), ((-1,), (0,)), ((True,), (0,))])
def test_sentence_numbers_must_be_integers_from_0(bad):
    with pytest.raises(TypeError, match="predicted bead 0 is"):
        evaluate([bad], [((0,), (0,))])


def test_documents_add_up_as_micro_average():
    a = evaluate([((0,), (0,))], [((0,), (0,))])                     # 1/1
    b = evaluate([((0,), ()), ((), (0,))], [((0,), (0,))])           # 0/2, recall 0/1
    total = sum([a, b])
    assert isinstance(total, AlignmentScores)
    assert total.precision_strict == pytest.approx(1 / 3)
    assert total.recall_strict == pytest.approx(1 / 2)


def test_zero_denominators_give_zero():
    s = evaluate([], [])
    assert s.f1_strict == 0.0 and s.precision_lax == 0.0


def test_accepts_an_aligned_corpus_and_scored_beads():
    corpus = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dog."],
                                      [((0,), (0,), 0.9), ((1,), (1,), 0.8)])
    assert evaluate(corpus, [((0,), (0,)), ((1,), (1,))]).f1_strict == 1.0
    assert evaluate([((0,), (0,), 0.5)], corpus).precision_strict == 1.0


def test_malformed_bead_is_a_clear_error():
    with pytest.raises(TypeError, match="predicted bead 1"):
        evaluate([((0,), (0,)), 5], GOLD)


def test_bead_format_round_trip(tmp_path):
    path = tmp_path / "gold.txt"
    write_beads(GOLD, path)
    assert path.read_text() == "[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[]:[2]\n[4]:[3, 4]\n"
    assert read_beads(path) == GOLD
    buf = io.StringIO()
    write_beads(AlignedCorpus.from_texts(["a"], ["b"], [((0,), (0,), 0.5)]), buf)
    assert buf.getvalue() == "[0]:[0]\n"


def test_parse_accepts_vecalign_scores_and_blank_lines():
    assert parse_beads("[0]:[0]:0.25\n\n[1,2]:[]\n") == [((0,), (0,)), ((1, 2), ())]
    assert format_beads([((0, 1), ())]) == "[0, 1]:[]\n"


@pytest.mark.parametrize("line", ["[0]:", "[a]:[1]", "0:1", "[1,]:[2]"])
def test_parse_errors_name_the_line(line):
    with pytest.raises(ValueError, match="line 2"):
        parse_beads("[0]:[0]\n" + line)


def test_read_beads_of_textberg_gold_matches_the_dataset_loader(data_dir):
    from benchmarks.datasets import load_aligned, load_textberg

    doc = load_textberg("test")[0]
    assert read_beads(data_dir / "textberg" / "test0.defr") == doc["gold"]
    # (Text+Berg's gold leaves a few sentences out; the aligned sets cover all)
    problem = load_aligned("bsd.dev")[0]
    check_beads(problem["gold"], len(problem["ja"]), len(problem["en"]))


def test_check_beads_rejects_gaps_and_crossings():
    check_beads(GOLD, 5, 5)
    with pytest.raises(ValueError, match="target sentence 1 where 0"):
        check_beads([((0,), (1,)), ((1,), (0,))], 2, 2)
    with pytest.raises(ValueError, match="cover 1 source sentences of 2"):
        check_beads([((0,), (0,))], 2, 1)


def test_gold_that_repeats_a_sentence_is_refused_unless_told_it_is_published_gold():
    # Text+Berg test1.defr has [218, 219]:[191] and [227, 218]:[198]
    gold = [((0, 1), (0,)), ((2, 0), (1,))]
    pred = [((0, 1), (0,)), ((2,), (1,))]
    with pytest.raises(ValueError, match="source sentence 0 is in bead 0 and in bead 1"):
        evaluate(pred, gold)
    scores = evaluate(pred, gold, overlapping_gold=True)
    assert scores.precision_strict == 0.5 and scores.recall_strict == 0.5
