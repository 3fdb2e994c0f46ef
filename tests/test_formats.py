"""Export formats: round trips, TMX validity through translate-toolkit, XML attacks."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

from jp_en_align.corpus import AlignedCorpus
from jp_en_align.corpus.formats import FormatError, guess_format
from jp_en_align.corpus.formats.tmx import XML_LANG, write_tmx, xml_text
from jp_en_align.corpus.formats.tsv import escape, read_tsv, unescape
from jp_en_align.text.sentence import Sentence

# Japanese punctuation, emoji (with ZWJ and flags), every kind of quote, XML
# specials, tabs, line breaks and backslashes: what exports tend to break on.
JA = ["「日本とラオス」の首脳会談が行われた。", "『包括的・戦略的パートナーシップ』へ格上げ！",
      "両国は…合意した？", "首脳は\"AI\"と'DX'で協力〜😀👨‍👩‍👧🇯🇵", "A&B <社> ]]> 第2項\t注：",
      "改行を\n含む\r\n文。", "バックスラッシュ\\nは文字。"]
EN = ["The \u201cJapan\u2013Laos\u201d summit took place.",
      "It was upgraded to a 'Comprehensive Strategic Partnership'!",
      "Did the two sides agree\u2026?", 'They will cooperate on "AI" & <DX> 😀👨‍👩‍👧🇯🇵.',
      "Paragraph 2\tnote: ]]>", "A line\nbreak.", "A backslash\\n is text."]
BEADS = [((0,), (0,), 0.9134567891234567), ((1, 2), (1,), 0.72), ((), (2,), 0.0),
         ((3,), (3,), 0.81), ((4,), (4, 5), 0.6), ((5,), (), 0.0), ((6,), (6,), 0.55)]
META = {"encoder": "usem3", "parameters": {"max_group": 4, "skip": -0.1},
        "version": "0.1.0", "note": "日本語 & <xml>"}


def sentences(texts: list[str], lang: str) -> list[Sentence]:
    """Sentences as a segmenter gives them: real spans in a source text, kinds, paragraphs."""
    out, pos = [], 5
    for i, t in enumerate(texts):
        out.append(Sentence(text=t, normalized=" ".join(t.split()), index=i,
                            span=(pos, pos + len(t)), kind="title" if i == 0 else "body",
                            paragraph=None if i == 0 else i // 2 + 1, lang=lang))
        pos += len(t) + 3
    return out


@pytest.fixture
def corpus() -> AlignedCorpus:
    return AlignedCorpus(sentences(JA, "ja"), sentences(EN, "en"), BEADS, META)


def pair_view(c: AlignedCorpus) -> list[tuple]:
    return [(p.ja_ids, p.en_ids, p.score, p.ja, p.en) for p in c]


# -- JSONL ----------------------------------------------------------------------

def test_jsonl_round_trip_rebuilds_an_equal_corpus(corpus, tmp_path):
    path = tmp_path / "c.jsonl"
    text = corpus.to_jsonl(path)
    assert path.read_text(encoding="utf-8") == text
    back = AlignedCorpus.from_jsonl(path)
    assert back == corpus
    assert [s.span for s in back.ja_sentences] == [s.span for s in corpus.ja_sentences]
    assert [s.kind for s in back.en_sentences][:2] == ["title", "body"]
    assert back.meta == META
    assert all(line.count("\n") == 0 for line in text.splitlines())


def test_jsonl_keeps_sentences_no_pair_uses_and_nan_scores(corpus):
    part = corpus[3:5]
    back = AlignedCorpus.from_jsonl(io.StringIO(part.to_jsonl()))
    assert back == part and len(back.ja_sentences) == len(JA)
    nan = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), math.nan)])
    assert '"score": null' in nan.to_jsonl()
    assert math.isnan(AlignedCorpus.from_jsonl(io.StringIO(nan.to_jsonl()))[0].score)


def test_jsonl_errors_name_the_line(corpus):
    lines = corpus.to_jsonl().splitlines()
    broken = "\n".join(lines[:3] + ['{"type": "sentence", "lang": "ja"'] + lines[3:])
    with pytest.raises(FormatError, match="line 4: not valid JSON"):
        AlignedCorpus.from_jsonl(io.StringIO(broken))
    with pytest.raises(FormatError, match="line 1: the first line must be"):
        AlignedCorpus.from_jsonl(io.StringIO("\n".join(lines[1:])))
    missing = "\n".join(lines[:2] + ['{"type": "pair", "ja_ids": [0], "score": 0.5}'])
    with pytest.raises(FormatError, match="line 3: missing field 'en_ids'"):
        AlignedCorpus.from_jsonl(io.StringIO(missing))
    dangling = "\n".join(lines + ['{"type": "pair", "ja_ids": [99], "en_ids": [], "score": 0}'])
    with pytest.raises(FormatError, match="ja sentence 99"):
        AlignedCorpus.from_jsonl(io.StringIO(dangling))


# -- TMX ------------------------------------------------------------------------

def test_tmx_round_trip_keeps_text_ids_scores_and_meta(corpus, tmp_path):
    path = tmp_path / "c.tmx"
    corpus.to_tmx(path, skip_unaligned=False)
    back = AlignedCorpus.from_tmx(path)
    assert pair_view(back) == pair_view(corpus)
    assert [s.text for s in back.ja_sentences] == JA and [s.text for s in back.en_sentences] == EN
    assert back.meta == META
    plain = AlignedCorpus.from_texts(JA, EN, BEADS, META)
    assert AlignedCorpus.from_tmx(io.BytesIO(plain.to_tmx(skip_unaligned=False).encode())) == plain


def test_tmx_header_and_language_codes(corpus):
    date = datetime(2025, 1, 21, 9, 30, tzinfo=timezone.utc)
    root = ET.fromstring(write_tmx(corpus, ja_lang="ja-JP", en_lang="en-US", creationdate=date,
                                   skip_unaligned=False).encode())
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert {k: header.get(k) for k in ("creationtool", "segtype", "o-tmf", "adminlang",
                                       "srclang", "datatype", "creationdate")} == {
        "creationtool": "jp-en-align", "segtype": "sentence", "o-tmf": "jp-en-align",
        "adminlang": "en", "srclang": "ja-JP", "datatype": "plaintext",
        "creationdate": "20250121T093000Z"}
    from jp_en_align import __version__
    assert header.get("creationtoolversion") == __version__
    tus = root.find("body").findall("tu")
    assert len(tus) == len(corpus)
    assert [[tuv.get(XML_LANG) for tuv in tu.findall("tuv")] for tu in tus] == [["ja-JP", "en-US"]] * len(tus)
    scores = [float(p.text) for tu in tus for p in tu.findall("prop") if p.get("type") == "x-score"]
    assert scores == [b[2] for b in BEADS]
    back = AlignedCorpus.from_tmx(io.BytesIO(corpus.to_tmx(ja_lang="ja-JP", en_lang="en-US",
                                                           skip_unaligned=False).encode()))
    assert pair_view(back) == pair_view(corpus)


def test_tmx_loads_in_translate_toolkit_with_the_same_units(corpus, tmp_path):
    from translate.storage import tmx

    path = tmp_path / "c.tmx"
    corpus.to_tmx(path, ja_lang="ja-JP", en_lang="en-US", skip_unaligned=False)
    store = tmx.tmxfile(open(path, "rb"), sourcelanguage="ja-JP", targetlanguage="en-US")
    assert [(u.source, u.target) for u in store.units] == [(p.ja, p.en) for p in corpus]
    kept = corpus.filter(kinds=["1-1", "2-1", "1-2"])
    store = tmx.tmxfile.parsestring(corpus.to_tmx().encode(),  # unaligned left out by default
                                    sourcelanguage="ja", targetlanguage="en")
    assert [(u.source, u.target) for u in store.units] == [(p.ja, p.en) for p in kept]


def test_tmx_options_leave_out_unaligned_and_low_scores(corpus):
    kept = AlignedCorpus.from_tmx(io.BytesIO(corpus.to_tmx(skip_unaligned=True).encode()))
    assert [p.kind for p in kept] == ["1-1", "2-1", "1-1", "1-2", "1-1"]
    high = AlignedCorpus.from_tmx(io.BytesIO(corpus.to_tmx(min_score=0.7, skip_unaligned=False)
                                             .encode()))
    assert [(p.ja, p.en, p.score) for p in high] == [
        (p.ja, p.en, p.score) for p in corpus if p.score >= 0.7]
    # a filtered export has gaps in the ids, so it is numbered in file order
    assert [p.ja_ids for p in high] == [(0,), (1, 2), (3,)]


def test_tmx_replaces_characters_xml_forbids(tmp_path):
    from translate.storage import tmx

    c = AlignedCorpus.from_texts(["制御\x00文字\x1bと\x7f。"], ["Bell\x07 and form\x0cfeed."],
                                 [((0,), (0,), 0.7)])
    with pytest.warns(UserWarning, match="4 character"):
        text = c.to_tmx()
    ET.fromstring(text.encode("utf-8"))  # well-formed
    back = AlignedCorpus.from_tmx(io.BytesIO(text.encode()))
    assert back[0].ja == "制御\ufffd文字\ufffdと\x7f。"
    assert back[0].en == "Bell\ufffd and form\ufffdfeed."
    store = tmx.tmxfile.parsestring(text.encode(), sourcelanguage="ja", targetlanguage="en")
    assert store.units[0].target == back[0].en


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_xml_escaping_survives_any_text(text):
    expected = "".join(ch if ch in "\t\n\r" or " " <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd"
                       or ch >= "\U00010000" else "\ufffd" for ch in text)
    assert (ET.fromstring(f"<seg>{xml_text(text)}</seg>".encode()).text or "") == expected


CAT_TOOL_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="SomeCAT" creationtoolversion="9" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="EN-US" datatype="rtf"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="EN-US"><seg>Press <bpt i="1">{b}</bpt>here<ept i="1">{/b}</ept>.</seg></tuv>
      <tuv xml:lang="JA-JP"><seg><hi>ここ</hi>を押す。<ph>{tab}</ph></seg></tuv>
    </tu>
    <tu><tuv lang="ja"><seg>訳のない文。</seg></tuv></tu>
    <tu><tuv xml:lang="en"><seg>Untranslated.</seg></tuv><tuv xml:lang="ja"><seg></seg></tuv></tu>
  </body>
</tmx>
"""


def test_tmx_from_a_cat_tool_without_our_props():
    c = AlignedCorpus.from_tmx(io.BytesIO(CAT_TOOL_TMX.encode()))
    assert [(p.ja, p.en, p.kind) for p in c] == [("ここを押す。", "Press here.", "1-1"),
                                                  ("訳のない文。", "", "1-0"),
                                                  ("", "Untranslated.", "0-1")]
    assert all(math.isnan(p.score) for p in c)
    assert c.meta == {"creationtool": "SomeCAT", "creationtoolversion": "9", "srclang": "EN-US"}
    utf16 = AlignedCorpus.from_tmx(io.BytesIO(CAT_TOOL_TMX.replace("UTF-8", "UTF-16").encode("utf-16")))
    assert pair_view(utf16)[:1] == pair_view(c)[:1]


def test_tmx_unit_without_either_language_names_its_line():
    text = CAT_TOOL_TMX.replace('<tu><tuv lang="ja">', '<tu><tuv lang="de">')
    with pytest.raises(FormatError, match=r"line 11: this <tu> has no 'ja' or 'en' variant \(languages: de\)"):
        AlignedCorpus.from_tmx(io.BytesIO(text.encode()))


def test_malformed_tmx_names_the_line(corpus, tmp_path):
    lines = corpus.to_tmx().splitlines()
    bad_line = next(i for i, line in enumerate(lines) if "<seg>" in line) + 1
    lines[bad_line - 1] = lines[bad_line - 1].replace("</seg>", "")
    path = tmp_path / "broken.tmx"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FormatError, match=rf"broken\.tmx, line {bad_line}, column \d+: not well-formed"):
        AlignedCorpus.from_tmx(path)
    with pytest.raises(FormatError, match="root element is <html>"):
        AlignedCorpus.from_tmx(io.BytesIO(b"<html><body/></html>"))
    with pytest.raises(FormatError, match="holds no <tu>"):
        AlignedCorpus.from_tmx(io.BytesIO(b"<tmx version='1.4'><header/><body/></tmx>"))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="ja"><seg>&lol9;</seg></tuv></tu></body></tmx>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE tmx [
  <!ENTITY secret SYSTEM "file://{path}">
]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>&secret;</seg></tuv></tu></body></tmx>
"""


def test_xml_attacks_are_refused(tmp_path):
    with pytest.raises(FormatError, match="line 3: refused to read EntitiesForbidden"):
        AlignedCorpus.from_tmx(io.BytesIO(BILLION_LAUGHS.encode()))
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    attack = EXTERNAL_ENTITY.replace("{path}", str(secret))
    with pytest.raises(FormatError, match="line 3: refused to read") as err:
        AlignedCorpus.from_tmx(io.BytesIO(attack.encode()))
    assert "TOP SECRET" not in str(err.value)


# -- TSV ------------------------------------------------------------------------

def test_tsv_round_trip_keeps_tabs_and_line_breaks_inside_one_line(corpus, tmp_path):
    path = tmp_path / "c.tsv"
    text = corpus.to_tsv(path)
    lines = text.splitlines()
    assert lines[0] == "ja\ten\tscore\tconfidence" and len(lines) == len(corpus) + 1
    assert all(line.count("\t") == 3 for line in lines)
    rows = read_tsv(path)
    assert [(ja, en) for ja, en, _, _ in rows] == [(p.ja, p.en) for p in corpus]
    assert [s for _, _, s, _ in rows] == pytest.approx([p.score for p in corpus], abs=5e-5)
    assert [c for _, _, _, c in rows] == pytest.approx([p.confidence for p in corpus], abs=5e-4,
                                                       nan_ok=True)
    headless = read_tsv(io.StringIO(corpus.to_tsv(header=False, skip_unaligned=True)))
    assert [(ja, en) for ja, en, *_ in headless] == [(p.ja, p.en) for p in corpus if p.is_aligned]


@given(st.text())
def test_tsv_escape_round_trips_any_text(text):
    escaped = escape(text)
    assert unescape(escaped) == text
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped


def test_tsv_errors_name_the_line():
    with pytest.raises(FormatError, match="line 3: expected 4 tab-separated fields"):
        read_tsv(io.StringIO("ja\ten\tscore\n猫。\tCat.\t0.9\n犬。\tDog.\n"))


# -- Moses ----------------------------------------------------------------------

def test_moses_writes_two_line_aligned_files(corpus, tmp_path):
    ja_path, en_path = corpus.to_moses(tmp_path / "train")
    assert (ja_path, en_path) == (str(tmp_path / "train.ja"), str(tmp_path / "train.en"))
    ja_lines = open(ja_path, encoding="utf-8").read().split("\n")[:-1]
    en_lines = open(en_path, encoding="utf-8").read().split("\n")[:-1]
    aligned = [p for p in corpus if p.is_aligned]
    assert len(ja_lines) == len(en_lines) == len(aligned)
    assert ja_lines[3] == JA[4]
    assert en_lines[3] == "Paragraph 2\tnote: ]]> A line break."
    assert ja_lines[0] == JA[0] and en_lines[1] == EN[1]
    corpus.to_moses(tmp_path / "all", skip_unaligned=False)
    all_en = (tmp_path / "all.en").read_text(encoding="utf-8").split("\n")[:-1]
    assert len(all_en) == len(corpus) and all_en[5] == ""


def test_format_from_extension():
    assert [guess_format(p) for p in ("a.tmx", "b.TSV", "c.jsonl")] == ["tmx", "tsv", "jsonl"]
    with pytest.raises(ValueError, match="cannot tell the format"):
        guess_format("pairs.txt")
