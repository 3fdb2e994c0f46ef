"""Properties over arbitrary input (hypothesis): segmentation accounts for every
character, alignment puts every sentence in exactly one bead (in order, the
same every time), and every format gives back what it was given.

Example counts are kept small so that the suite stays fast; the strategies
lean on the characters that broke things before (brackets, sentence ends,
line separators, controls)."""

from __future__ import annotations

import io
import math
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jp_en_align.aligner.aligner import align
from jp_en_align.corpus import AlignedCorpus
from jp_en_align.corpus.formats.xml import REPLACEMENT, forbidden_chars as _FORBIDDEN
from jp_en_align.corpus.formats.tsv import read_tsv
from jp_en_align.evaluation import check_beads, format_beads, parse_beads
from jp_en_align.text.layout import _PAGE_NUMBER
from jp_en_align.text.segment import _MARKER, segment_en, segment_ja

FAST = settings(max_examples=60, deadline=None)
# arbitrary text is seldom plainly Japanese or English: the segmenters' language hint is noise here
pytestmark = pytest.mark.filterwarnings("ignore:segment_.. got text:UserWarning")

# Any code point but a lone surrogate (refused at every entrance, see test_hostile.py).
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
TRICKY = st.sampled_from(list("「」『』（）()【】〔〕“”\"。！？!?.、 \u3000\t\n\r\x0c\x1c\x85\u2028\u2029"
                              "猫が好きですAbc1２"))
TEXT = st.text(st.one_of(TRICKY, ANY_CHAR), max_size=80)
LINES = st.lists(st.text(st.one_of(TRICKY, ANY_CHAR), max_size=30), max_size=8).map("\n".join)


def _dense(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _check_segmentation(text: str, sentences: list) -> None:
    last_end = 0
    for k, s in enumerate(sentences):
        a, b = s.span
        assert last_end <= a < b <= len(text), (k, s.span)  # in order, never overlapping
        assert s.index == k and s.text and s.text == s.text.strip()
        # the sentence is its span less the layout's line breaks (and a page number
        # line dropped in the middle of a wrapped sentence)
        assert s.text[0] == text[a] and s.text[-1] == text[b - 1], (s.text, text[a:b])
        assert _is_subsequence(_dense(s.text), _dense(text[a:b])), (s.text, text[a:b])
        last_end = b
    if not re.search(r"[\n\r]", text):  # one line: every visible character is in a sentence
        got, expected = _dense("".join(s.text for s in sentences)), _dense(text)
        marker = _MARKER.match(text.strip())  # "1 " opening a numbered paragraph is not text
        assert got in (expected, _dense(text.strip()[marker.end():]) if marker else expected) \
            or (not got and _PAGE_NUMBER.fullmatch(text.strip())), (text, sentences)


@FAST
@given(st.one_of(TEXT, LINES))
def test_segment_ja_accounts_for_every_character(text):
    _check_segmentation(text, segment_ja(text))


@FAST
@given(st.one_of(TEXT, LINES))
def test_segment_en_accounts_for_every_character(text):
    _check_segmentation(text, segment_en(text))


@settings(max_examples=20, deadline=None)
@given(st.text(st.sampled_from("「」『』（）()【】〔〕“”。！？猫\n"), max_size=3000))
def test_bracket_soup_keeps_every_character(text):
    _check_segmentation(text, segment_ja(text))


# ---- alignment -----------------------------------------------------------------------------------

JA_POOL = ["はい。", "ありがとうございます。", "会議は明日です。", "資料を送ります。", "猫が好きです。", "「はい。」"]
EN_POOL = ["Yes.", "Thank you.", "The meeting is tomorrow.", "I will send the documents.",
           "I like cats.", '"Yes."']


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(JA_POOL), max_size=12), st.lists(st.sampled_from(EN_POOL), max_size=12))
def test_alignment_puts_every_sentence_in_one_bead_in_order_every_time(encoder, ja, en):
    assume(ja or en)
    corpus = align(ja, en, model=encoder)
    check_beads(corpus.beads, len(ja), len(en))  # each sentence once, in order
    assert [s.text for s in corpus.ja_sentences] == ja and [s.text for s in corpus.en_sentences] == en
    encoder.clear_memory()
    assert align(ja, en, model=encoder).beads == corpus.beads  # cold memory, same beads


# ---- format round trips --------------------------------------------------------------------------

SCORES = st.one_of(st.floats(-1, 1, allow_nan=False), st.just(math.nan))
CONFIDENCES = st.one_of(st.floats(0, 1), st.just(math.nan))


@st.composite
def corpora(draw, chars=ANY_CHAR, chars_ok=lambda c: True):
    """A corpus of arbitrary texts with an arbitrary monotonic bead structure."""
    text = st.text(st.one_of(TRICKY, chars).filter(chars_ok), max_size=25)
    ja, en, beads, conf = [], [], [], []
    for _ in range(draw(st.integers(0, 6))):
        n_ja, n_en = draw(st.sampled_from([(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 2)]))
        ids_ja = tuple(range(len(ja), len(ja) + n_ja))
        ids_en = tuple(range(len(en), len(en) + n_en))
        ja += [draw(text) for _ in range(n_ja)]
        en += [draw(text) for _ in range(n_en)]
        beads.append((ids_ja, ids_en, draw(SCORES)))
        conf.append(draw(CONFIDENCES))
    return AlignedCorpus.from_texts(ja, en, beads, {"note": draw(text)}, conf)


@FAST
@given(corpora())
def test_jsonl_round_trip_is_lossless(corpus):
    assert AlignedCorpus.from_jsonl(io.StringIO(corpus.to_jsonl())) == corpus
    assert AlignedCorpus.from_jsonl(io.BytesIO(corpus.to_jsonl().encode())) == corpus


@FAST
@given(corpora())
def test_tsv_round_trip_keeps_every_text(corpus):
    rows = read_tsv(io.StringIO(corpus.to_tsv()))
    assert [(r[0], r[1]) for r in rows] == [(p.ja, p.en) for p in corpus]
    for r, p in zip(rows, corpus):
        assert (math.isnan(r[2]) and math.isnan(p.score)) or abs(r[2] - p.score) <= 5e-5
        assert (math.isnan(r[3]) and math.isnan(p.confidence)) or \
            math.isclose(r[3], p.confidence, rel_tol=1e-3, abs_tol=1e-12)


XML_CHAR = st.characters(blacklist_categories=("Cs",)).filter(lambda c: not _FORBIDDEN.match(c))


@FAST
@given(corpora(chars=XML_CHAR, chars_ok=lambda c: not _FORBIDDEN.match(c)))
def test_tmx_round_trip_is_lossless_for_text_xml_can_hold(corpus):
    assume(len(corpus) > 0)  # a TMX without units is refused on reading: nothing to read
    # every bead, 1-0 and 0-1 included (a TM leaves them out by default), so it is lossless
    back = AlignedCorpus.from_tmx(io.BytesIO(corpus.to_tmx(skip_unaligned=False).encode()))
    assert back.ja_sentences == corpus.ja_sentences and back.en_sentences == corpus.en_sentences
    assert back.beads == corpus.beads or [b[:2] for b in back.beads] == [b[:2] for b in corpus.beads] \
        and all(x == y or math.isnan(x) and math.isnan(y)
                for (_, _, x), (_, _, y) in zip(back.beads, corpus.beads))
    assert back.meta == corpus.meta
    for key, c in corpus.confidence.items():  # written with 4 significant digits
        assert math.isclose(back.confidence[key], c, rel_tol=1e-3, abs_tol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.text(ANY_CHAR, min_size=1, max_size=40))
def test_tmx_replaces_only_what_xml_cannot_hold(text):
    corpus = AlignedCorpus.from_texts([text], ["x"], [((0,), (0,), 0.5)])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = AlignedCorpus.from_tmx(io.BytesIO(corpus.to_tmx().encode()))
    assert back[0].ja == _FORBIDDEN.sub(REPLACEMENT, text)


BEAD_LISTS = st.lists(st.tuples(st.lists(st.integers(0, 10**6), max_size=4).map(tuple),
                                st.lists(st.integers(0, 10**6), max_size=4).map(tuple)), max_size=10)


@FAST
@given(BEAD_LISTS)
def test_bead_format_round_trip(beads):
    assert parse_beads(format_beads(beads)) == beads


@FAST
@given(TEXT, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), TEXT)
def test_a_lone_surrogate_anywhere_is_refused_with_its_position(before, surrogate, after):
    text = before + surrogate + after
    for call in (segment_ja, segment_en, lambda t: AlignedCorpus.from_texts([t], [], [((0,), (), 0.0)])):
        try:
            call(text)
        except ValueError as e:
            assert f"U+{ord(surrogate):04X} at character {len(before)} " in str(e)
        else:
            raise AssertionError("a lone surrogate was accepted")
