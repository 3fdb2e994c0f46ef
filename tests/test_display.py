"""The corpus shown to people: signature and settings, summary, the review-first
HTML view of long corpora, the standalone page, and the heatmap."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from jp_en_align.corpus import AlignedCorpus
from jp_en_align.corpus.html import REVIEW_SHOWN
from jp_en_align.corpus.plot import BOXES_UP_TO


@pytest.fixture(scope="module")
def aligned(encoder):
    """A real alignment of a short news article (the README's quickstart)."""
    from pathlib import Path

    from jp_en_align import align

    data = Path(__file__).resolve().parents[1] / "examples" / "data"
    return align((data / "yamagata_ja.txt").read_text(encoding="utf-8"),
                 (data / "yamagata_en.txt").read_text(encoding="utf-8"), model=encoder)


@pytest.fixture(scope="module")
def long_corpus(data_dir, encoder):
    """Twenty partly parallel WMT21 documents end to end with their gold pairs, scored
    by the real encoder; every other pair carries a confidence, the rest do not."""
    docs = [json.loads(line) for line in
            (data_dir / "partly_parallel" / "wmt21.ja-en.jsonl").open(encoding="utf-8")][:20]
    ja, en, beads = [], [], []
    for d in docs:
        for a, b in d["gold"]:
            beads.append((tuple(i + len(ja) for i in a), tuple(j + len(en) for j in b)))
        ja += d["ja"]
        en += d["en"]
    A, B = encoder.encode(ja), encoder.encode(en)
    scored = [(a, b, float(A[list(a)].mean(0) @ B[list(b)].mean(0)) if a and b else 0.0)
              for a, b in beads]
    confidence = [min(max(s, 0.0), 1.0) if k % 2 else math.nan
                  for k, (_, _, s) in enumerate(scored)]
    corpus = AlignedCorpus.from_texts(ja, en, scored, {"encoder": encoder.name},
                                      confidence=confidence)
    corpus.embeddings = (A, B)
    return corpus


def test_signature_is_one_line_and_settings_hold_the_rest(aligned):
    sig = aligned.signature
    assert re.fullmatch(r"enc:usem3\|ja-en\|max_bead:6\|v\d+\.\d+\.\d+\|h:[0-9a-f]{6}", sig), sig
    head = str(aligned).splitlines()[1]
    assert sig in head and "similarity_weight" not in str(aligned)
    assert aligned.settings["params"]["max_bead"] == 6
    assert "timings" in aligned.meta and "timings" not in aligned.settings
    # views share it; another setting gives another hash, the same settings the same
    assert aligned.filter(min_score=0.5).signature == sig
    other = dict(aligned.meta, params={**aligned.meta["params"], "band_width": 99})
    changed = AlignedCorpus(aligned.ja_sentences, aligned.en_sentences, aligned.beads, other)
    assert changed.signature != sig and changed.signature.split("|")[:4] == sig.split("|")[:4]
    assert AlignedCorpus(aligned.ja_sentences, aligned.en_sentences, aligned.beads,
                         json.loads(json.dumps(aligned.meta))).signature == sig


def test_summary_prints_as_text_and_shows_as_a_table(aligned):
    s = aligned.summary()
    for text in (str(s), repr(s)):
        assert not re.search(r"\d\.\d{5,}", text), text  # no 16-digit floats
    assert f"median {s.score_median:.3f}" in str(s)
    html = s._repr_html_()
    assert html.count("<tr>") == 5 and f"{s.score_median:.3f}" in html
    assert f"{s.pairs} ({', '.join(f'{k}: {n}' for k, n in s.kinds.items())})" in html


def test_long_corpus_view_puts_unaligned_and_least_confident_first(long_corpus):
    c = long_corpus
    html = c._repr_html_()
    unaligned = [k for k, p in enumerate(c) if not p.is_aligned]
    aligned = [k for k, p in enumerate(c) if p.is_aligned]
    sure = lambda k: c[k].score if math.isnan(c[k].confidence) else c[k].confidence
    least = sorted(aligned, key=lambda k: (sure(k), k))[:REVIEW_SHOWN]
    assert f"unaligned pairs: {len(unaligned)}" in html
    assert f"lowest confidence: {REVIEW_SHOWN} of {len(aligned)} aligned pairs" in html
    shown = [int(k) for k in re.findall(r'<tr(?: class="unaligned"[^>]*)?><td class="num">(\d+)<', html)]
    assert shown[:REVIEW_SHOWN] == unaligned[:REVIEW_SHOWN]
    assert shown[REVIEW_SHOWN:2 * REVIEW_SHOWN] == sorted(least)
    assert len(shown) == 60 and len(set(shown)) == 60
    assert shown[2 * REVIEW_SHOWN:] == [k for k in range(len(c)) if k not in set(shown[:40])][:20]
    assert '<th class="num">conf.</th>' in html


def test_to_html_writes_a_page_with_every_pair(long_corpus, tmp_path):
    path = tmp_path / "corpus.html"
    text = long_corpus.to_html(path)
    assert path.read_text(encoding="utf-8") == text and text.startswith("<!DOCTYPE html>")
    assert f"all {len(long_corpus)} pairs in order" in text
    for p in list(long_corpus)[::25]:  # escaped text of pairs all through the corpus
        if p.ja_ids:
            assert p.ja.replace("&", "&amp;").replace("<", "&lt;")[:20] in text


def test_plot_returns_the_figure_closed_in_pyplot(aligned):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = aligned.plot()
    assert plt.get_fignums() == before  # nothing left for pyplot (or a notebook) to draw again
    ax = fig.axes[0]
    assert len(ax.patches) == sum(1 for p in aligned if p.is_aligned)  # one box per pair
    zoomed = aligned.plot(window=(2, 5))
    rows = zoomed.axes[0].images[0].get_array().shape[0]
    assert rows == 3 or rows > 3 and any(len(p.ja_ids) > 1 for p in aligned)
    with pytest.raises(ValueError, match="window must be"):
        aligned.plot(window=(5, 2))


def test_plot_of_a_long_corpus_draws_the_path_and_marks_doubtful_pairs(long_corpus):
    import matplotlib

    matplotlib.use("Agg")

    c = long_corpus
    assert max(len(c.ja_sentences), len(c.en_sentences)) > BOXES_UP_TO
    fig = c.plot(low_confidence=0.5)
    ax = fig.axes[0]
    assert len(ax.patches) == 0  # no boxes merging into one red line
    path = [line for line in ax.lines if line.get_label() == "alignment path"]
    assert len(path) == 1 and len(path[0].get_xdata()) == sum(p.is_aligned for p in c)
    doubtful = [p for p in c if p.is_aligned and
                (p.score if math.isnan(p.confidence) else p.confidence) < 0.5]
    assert doubtful and len(ax.collections[0].get_offsets()) == len(doubtful)
    image = ax.images[0].get_array()
    assert image.shape == (len(c.ja_sentences), len(c.en_sentences))
    assert np.isfinite(image).all()
    # zoomed in, the pairs are boxes again
    zoomed = c.plot(window=(0, 40))
    assert len(zoomed.axes[0].patches) > 0
