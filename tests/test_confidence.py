"""Confidence, the honest null, unit kinds, the parallelism check and swapped
languages, with the real default encoder on real and made-up documents."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from benchmarks.datasets import load_aligned
from jp_en_align.aligner.aligner import Aligner, ComparableTextsWarning
from jp_en_align.text.languages import SwappedLanguagesError
from jp_en_align.aligner.scoring import ScoringParams
from jp_en_align.evaluation import check_beads
from jp_en_align.text.segment import segment_en, segment_ja

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

#: press sentences (segment_en of seeds/press_en.txt) about other stories
UNRELATED_PRESS = {
    3: "business roundtable",
    5: "teacher grant headline",
    6: "teacher grant",
    12: "tourism",
    13: "paywall",
    14: "kickboxer",
}


@pytest.fixture(scope="module")
def aligner(encoder):
    return Aligner(encoder, show_progress_bar=False)


@pytest.fixture(scope="module")
def seed_corpus(aligner, seed_statement, seed_press):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = aligner.align(segment_ja(seed_statement), segment_en(seed_press))
    return corpus, caught


def _check_confidence(corpus):
    for a, b, _ in corpus.beads:
        c = corpus.confidence[(a, b)]
        assert not math.isnan(c) and 0.0 <= c <= 1.0, (a, b, c)
    assert all(not math.isnan(p.confidence) for p in corpus)


def test_every_bead_has_a_calibrated_confidence(aligner):
    doc = load_aligned("partly.wmt21.ja-en")[0]
    corpus = aligner.align(doc["ja"], doc["en"])
    check_beads(corpus.beads, len(doc["ja"]), len(doc["en"]))
    _check_confidence(corpus)
    gold = {(tuple(a), tuple(b)) for a, b in doc["gold"]}
    right = [p.confidence for p in corpus if (p.ja_ids, p.en_ids) in gold]
    wrong = [p.confidence for p in corpus if (p.ja_ids, p.en_ids) not in gold]
    assert right and sum(right) / len(right) > 0.8
    if wrong:  # exact beads are more confident than wrong ones
        assert sum(wrong) / len(wrong) < sum(right) / len(right)
    # filtering by confidence keeps a view of the same beads
    kept = corpus.filter(min_confidence=0.5)
    assert all(p.confidence >= 0.5 for p in kept)


@pytest.mark.parametrize("ja, en", [
    (["東京は日本の首都です。"], ["Tokyo is the capital of Japan."]),       # one sentence
    (["同じ文です。"] * 4, ["The same sentence."] * 4),                      # ties everywhere
    (["", "猫が好きです。"], ["I like cats.", ""]),                          # empty sentences
    (["猫が好きです。", "犬も好きです。"], []),                                # nothing to pair with
])
def test_confidence_is_never_nan(aligner, ja, en):
    corpus = aligner.align(ja, en)
    check_beads(corpus.beads, len(ja), len(en))
    _check_confidence(corpus)


def test_ties_break_the_same_way_every_run(aligner):
    ja, en = ["同じ文です。"] * 5 + ["違う文。"], ["The same sentence."] * 4 + ["Another one."]
    runs = [aligner.align(ja, en) for _ in range(3)]
    assert all(r.beads == runs[0].beads and r.confidence == runs[0].confidence for r in runs)


def test_seed_statement_pairs_none_of_the_other_stories(seed_corpus):
    corpus, _ = seed_corpus
    _check_confidence(corpus)
    paired_en = {j for a, b, _ in corpus.beads if a and b for j in b}
    wrongly = {UNRELATED_PRESS[j] for j in paired_en & set(UNRELATED_PRESS)}
    assert not wrongly, f"press sentences about other stories were paired: {wrongly}"


def test_signature_and_headings_never_share_a_bead_with_body(seed_corpus):
    corpus, _ = seed_corpus
    kinds = {s.kind for s in corpus.ja_sentences}
    assert {"signature", "heading", "title"} <= kinds  # the test means something
    for a, b, _ in corpus.beads:
        if a and b:
            bead_kinds = ({corpus.ja_sentences[i].kind for i in a}
                          | {corpus.en_sentences[j].kind for j in b})
            assert len(bead_kinds) == 1, (a, b, bead_kinds)


def test_units_of_one_kind_may_pair(aligner):
    ja = segment_ja("日本の首都\n\n東京は日本の首都です。人口は多い。")
    en = segment_en("The capital of Japan\n\nTokyo is the capital of Japan. It has a large population.")
    corpus = aligner.align(ja, en)
    for a, b, _ in corpus.beads:
        if a and b:
            assert len({ja[i].kind for i in a} | {en[j].kind for j in b}) == 1


def test_comparable_texts_get_one_warning_naming_compare(seed_corpus):
    corpus, caught = seed_corpus
    comparable = [w for w in caught if issubclass(w.category, ComparableTextsWarning)]
    assert len(comparable) == 1
    assert "compare()" in str(comparable[0].message)
    assert corpus.parallelism < 0.4


def test_a_translation_gets_no_warning_and_high_parallelism(aligner):
    doc = load_aligned("wmt21.en-ja")[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ComparableTextsWarning)
        corpus = aligner.align(doc["ja"], doc["en"])
    assert corpus.parallelism > 0.8


def test_swapped_languages_are_an_error_naming_the_fix(aligner):
    ja = "東京は日本の首都です。人口はとても多いです。電車が便利です。"
    en = "Tokyo is the capital of Japan. Its population is very large. Trains are handy."
    with pytest.raises(SwappedLanguagesError, match="swap them"):
        aligner.align(en, ja)
    with pytest.raises(ValueError, match="swap them"):  # a ValueError, for callers catching that
        aligner.align(segment_en(en), segment_ja(ja))


def test_text_in_neither_language_warns(aligner):
    korean = ["서울은 한국의 수도입니다.", "인구가 매우 많습니다."]
    with pytest.warns(UserWarning, match="neither Japanese nor English"):
        aligner.align(korean, ["Seoul is the capital of Korea.", "It has many people."])


def test_cli_exits_2_with_one_line_for_swapped_files(tmp_path):
    (tmp_path / "ja.txt").write_text("東京は日本の首都です。人口はとても多いです。電車が便利です。",
                                     encoding="utf-8")
    (tmp_path / "en.txt").write_text("Tokyo is the capital of Japan. Its population is very "
                                     "large. Trains are handy.", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "jp_en_align.cli", "align", "en.txt", "ja.txt"],
                         cwd=tmp_path, env=ENV, capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "swap them" in lines[0], run.stderr


def test_cli_warns_on_stderr_for_comparable_texts(tmp_path, data_dir):
    seeds = data_dir / "seeds"
    run = subprocess.run([sys.executable, "-m", "jp_en_align.cli", "align", "-q",
                          str(seeds / "statement_ja.txt"), str(seeds / "press_en.txt"),
                          "-o", str(tmp_path / "out.tsv")], env=ENV, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    warned = [line for line in run.stderr.splitlines() if "comparable rather than parallel" in line]
    assert len(warned) == 1 and "compare()" in warned[0]
    assert "confidence" in (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()[0]


def _unrelated_pairs(corpus, gold) -> int:
    """Pairs that share no source and target sentence with one true pair."""
    src = {i: k for k, (a, b) in enumerate(gold) if a and b for i in a}
    tgt = {j: k for k, (a, b) in enumerate(gold) if a and b for j in b}
    return sum(not ({src.get(i) for i in a} & {tgt.get(j) for j in b} - {None})
               for a, b, _ in corpus.beads if a and b)


def test_strays_peeled_and_weak_pairs_undone_in_partly_parallel_documents(aligner, encoder):
    # the same search without the post-search null (peel and split switched off)
    plain = Aligner(encoder, show_progress_bar=False,
                    scoring=ScoringParams(null_peel_unmatched=2.0))
    docs = load_aligned("partly.wmt21.ja-en")[:12]
    with_null = without = 0
    for doc in docs:
        corpus = aligner.align(doc["ja"], doc["en"])
        check_beads(corpus.beads, len(doc["ja"]), len(doc["en"]))
        _check_confidence(corpus)
        with_null += _unrelated_pairs(corpus, doc["gold"])
        without += _unrelated_pairs(plain.align(doc["ja"], doc["en"]), doc["gold"])
    assert with_null < without, (with_null, without)


def test_the_raised_bar_spares_dialogue_that_only_looks_little_parallel(aligner, encoder):
    """Short BSD lines make a translation's parallel share low; the bar rises only
    where a plain first pass leaves sentences unpaired (or the share is very low)."""
    no_null = Aligner(encoder, show_progress_bar=False,
                      scoring=ScoringParams(null_gain=0.0, null_merge_gain=0.0))
    low = [(doc, corpus) for doc in load_aligned("bsd.dev")
           for corpus in [aligner.align(doc["ja"], doc["en"])]
           if corpus.meta["calibration"]["parallel_share"] < 0.7]  # would raise the bar
    spared = [(doc, c) for doc, c in low if not c.meta["calibration"]["null_raised"]]
    assert len(low) >= 10 and len(spared) >= 0.75 * len(low), (len(low), len(spared))
    for doc, corpus in spared[:6]:
        assert corpus.beads == no_null.align(doc["ja"], doc["en"]).beads
    # partly parallel documents that look little parallel still get it
    partly = [aligner.align(d["ja"], d["en"]) for d in load_aligned("partly.wmt21.ja-en")[:20]]
    low_partly = [c for c in partly if c.meta["calibration"]["parallel_share"] < 0.7]
    assert sum(c.meta["calibration"]["null_raised"] for c in low_partly) >= 0.75 * len(low_partly)
