"""Segmentation on the real seed files, on re-laid-out copies of them, and on hard cases."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
import time
import unicodedata
import warnings

import pytest

from benchmarks.bench_segmenting import pdf_wrap
from jp_en_align.text import segment as segmenting
from jp_en_align.text.normalize import normalize
from jp_en_align.text.segment import segment_en, segment_ja

HEADER = "日ラオス共同声明（仮訳）"  # a running header for the re-laid-out copies


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def body(sents):
    return [s for s in sents if s.kind == "body"]


# --- re-laid-out copies of the seed statement, built from its raw text ---------

def seed_units(raw: str) -> list[str]:
    """The seed's units with wrapped lines joined. In the seed a line that ends a
    unit (paragraph, heading, title, signature row) carries trailing spaces and a
    wrapped line does not; Latin words split over a wrap would get a space back."""
    units, current = [], []
    for line in raw.split("\n"):
        if line.strip():
            current.append(line.strip())
        if current and line != line.rstrip():
            text = current[0]
            for nxt in current[1:]:
                both_latin = text[-1].isascii() and text[-1].isalnum() and nxt[0].isascii() \
                    and nxt[0].isalnum()
                text += (" " if both_latin else "") + nxt
            units.append(text)
            current = []
    assert not current
    return units


def rewrapped(raw: str, columns: int = 60) -> str:
    """The seed re-wrapped at 60 columns with no blank lines; rows laid out in
    columns (the signature block) are kept as they are."""
    out = []
    for unit in seed_units(raw):
        out += [unit] if re.search(r"\S {3,}\S", unit) else pdf_wrap(unit, columns)
    return "\n".join(out) + "\n"


def with_page_numbers(raw: str, every: int = 25) -> str:
    """Page-number lines in several styles, each inserted after a line that stops
    mid-sentence (so the sentence runs on over the page break)."""
    styles = ["- {} -", "{}", "{} / 12", "－ {} －", "{}"]
    lines, out, page, since = raw.split("\n"), [], 1, 0
    for i, line in enumerate(lines):
        out.append(line)
        since += bool(line.strip())
        nxt = next((x for x in lines[i + 1:] if x.strip()), "")
        mid_sentence = line.strip() and not line.rstrip().endswith("。") and line == line.rstrip() \
            and not re.match(r"[０-９]+ ", nxt)
        if since >= every and mid_sentence:
            number = styles[page % len(styles)].format(page)
            if page % 3 == 0:
                number = unicodedata.normalize("NFKC", number).translate(
                    str.maketrans("0123456789", "０１２３４５６７８９"))
            out += ["", number] if raw.count("\n\n") > 20 else [number]
            page, since = page + 1, 0
    assert page > 5, "the copy needs several page numbers to mean anything"
    return "\n".join(out)


def with_running_header(raw: str, every: int = 40) -> str:
    lines = raw.split("\n")
    for pos in range(every, len(lines) + len(lines) // every, every + 1):
        lines.insert(pos, HEADER)
    assert lines.count(HEADER) >= 5
    return "\n".join(lines)


def stripped(raw: str) -> str:
    return "\n".join(line.rstrip() for line in raw.split("\n"))


VARIANTS = {
    "rewrapped_60_no_blank_lines": rewrapped,
    "page_numbers_mid_sentence": with_page_numbers,
    "running_header_every_40_lines": with_running_header,
    "trailing_spaces_stripped": stripped,
    "windows_line_endings": lambda raw: raw.replace("\n", "\r\n"),
    "no_blank_lines_no_trailing_spaces":
        lambda raw: "\n".join(line.rstrip() for line in raw.split("\n") if line.strip()),
    "rewrapped_with_page_numbers_and_header":
        lambda raw: with_running_header(with_page_numbers(rewrapped(raw), every=20)),
}


@pytest.fixture(scope="module")
def seed_sents(seed_statement):
    return segment_ja(seed_statement)


# --- the seed statement --------------------------------------------------------

def test_seed_has_73_body_sentences_and_14_layout_units(seed_sents):
    kinds = [s.kind for s in seed_sents]
    assert kinds.count("body") == 73
    assert len(seed_sents) - 73 == 14
    assert [s.index for s in seed_sents] == list(range(len(seed_sents)))
    assert all(s.lang == "ja" for s in seed_sents)

    by_kind = lambda k: [s.text for s in seed_sents if s.kind == k]  # noqa: E731
    assert by_kind("title") == [
        "日ラオス外交関係樹立 70 周年に際しての",
        "包括的・戦略的パートナーシップへの格上げに関する共同声明（和文仮訳）",
        "日ラオス間の包括的・戦略的パートナーシップの下での協力分野",
        "（日ラオス共同声明付属文書）"]
    assert by_kind("heading") == ["政治・安全保障", "経済・社会分野の協力", "貿易・投資",
                                  "人的・文化交流、人材育成", "地域・国際社会における協力"]
    assert by_kind("date") == ["2025 年 1 月 21 日 東京にて署名"]
    assert by_kind("signature") == ["石破茂", "ソーンサイ・シーパンドン",
                                    "日本国内閣総理大臣", "ラオス人民民主共和国首相"]


def test_seed_main_text_and_annex_paragraphs(seed_sents):
    sents = body(seed_sents)
    main = [s for s in sents if s.paragraph is None]
    annex = [s for s in sents if s.paragraph is not None]
    assert len(main) == 14 and len(annex) == 59
    assert sents[:14] == main  # the main text comes first, the annex after the signatures
    numbers = [s.paragraph for s in annex]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, 32))
    first_of = {n: next(s for s in annex if s.paragraph == n) for n in (1, 10, 31)}
    assert first_of[1].text.startswith("両首脳は、政府ハイレベル間の")
    assert first_of[10].text.startswith("両首脳は、２０１５年以降")
    assert first_of[31].text.startswith("両首脳は、2024 年 10 月のラオスにおける")
    # paragraph 1 holds three sentences; "第 1 回会合…" opens a sentence, not a paragraph
    assert [s.text[:8] for s in annex if s.paragraph == 1] == [
        "両首脳は、政府ハ", "そのため、両首脳", "第 1 回会合の"]


def test_seed_body_sentences_are_whole_and_unglued(seed_sents):
    layout = [s.text for s in seed_sents if s.kind in ("title", "heading", "date")]
    for s in body(seed_sents):
        assert s.text.endswith("。") and s.text.count("。") == 1 or "「" in s.text, s.text
        assert not re.match(r"[0-9０-９]+\s", s.text), s.text  # no paragraph number glued on
        assert not any(s.text.startswith(unit) for unit in layout), s.text
        assert "\n" not in s.text and s.text == s.text.strip()
    wrapped_across_lines = next(s for s in seed_sents if s.text.startswith("両首脳は、2024 年 10 月のラオス・"))
    assert "第 44・45 回ＡＳＥＡＮ首脳会議" in wrapped_across_lines.text  # "ＡＳＥ" + "ＡＮ" rejoined


def test_seed_spans_point_into_the_input(seed_statement, seed_sents):
    end = 0
    for s in seed_sents:
        a, b = s.span
        assert end <= a < b
        assert squeeze(seed_statement[a:b]) == squeeze(s.text)
        assert seed_statement[a] == s.text[0] and seed_statement[b - 1] == s.text[-1]
        end = b


def test_seed_loses_no_character(seed_statement, seed_sents):
    without_numbers = re.sub(r"(?m)^[０-９]{1,2} ", "", seed_statement)
    assert squeeze("".join(s.text for s in seed_sents)) == squeeze(without_numbers)


def test_seed_normalized_form(seed_sents):
    s = next(s for s in seed_sents if "ＡＳＥＡＮ首脳会議" in s.text)
    assert "2024年10月のラオス・ビエンチャンにおける第44・45回ASEAN首脳会議" in s.normalized
    assert all(s.normalized == normalize(s.text, "ja") for s in seed_sents)


@pytest.mark.parametrize("variant", VARIANTS)
def test_relaid_out_seed_gives_the_same_73_sentences(seed_statement, seed_sents, variant):
    text = VARIANTS[variant](seed_statement)
    assert text != seed_statement
    sents = segment_ja(text)
    got = [(s.text, s.normalized, s.paragraph) for s in body(sents)]
    assert got == [(s.text, s.normalized, s.paragraph) for s in body(seed_sents)]
    for s in sents:
        assert HEADER not in s.text
        inside = squeeze(text[s.span[0]:s.span[1]])
        assert inside.startswith(squeeze(s.text)[:5]) and inside.endswith(squeeze(s.text)[-3:])


def test_page_numbers_and_headers_are_dropped_not_glued(seed_statement):
    text = with_running_header(with_page_numbers(seed_statement))
    sents = segment_ja(text)
    units = "".join(s.text for s in sents)
    assert HEADER not in units and "- 2 -" not in units and "/ 12" not in units
    assert squeeze(units) == squeeze("".join(s.text for s in segment_ja(seed_statement)))


# --- Japanese splitting rules on small made-up text ------------------------------

@pytest.mark.parametrize("text, expected", [
    ("晴れ。雨！本当？はい!? 次へ。", ["晴れ。", "雨！", "本当？", "はい!?", "次へ。"]),
    ("彼は「はい。そうです。」と述べた。次の文。", ["彼は「はい。そうです。」と述べた。", "次の文。"]),
    ("『本。』（注：別途。）(a. b.)本文だ。", ["『本。』（注：別途。）(a. b.)本文だ。"]),
    ("Yahoo!ニュースで読んだ。", ["Yahoo!ニュースで読んだ。"]),
    ("彼は「はい。次の文。", ["彼は「はい。", "次の文。"]),  # an unclosed 「 blocks nothing
    ("良かった。」と言った人。", ["良かった。」", "と言った人。"]),  # a stray 」 stays with its sentence
    ("「はい。」「いいえ。」と答えた。", ["「はい。」", "「いいえ。」と答えた。"]),
])
def test_japanese_split_rules(text, expected):
    assert [s.text for s in segment_ja(text)] == expected


def test_one_sentence_per_line_japanese_keeps_lines_apart():
    text = "首相が来日\n両首脳は会談した。\n記者会見も開いた\n"
    sents = segment_ja(text)
    assert [s.text for s in sents] == ["首相が来日", "両首脳は会談した。", "記者会見も開いた"]
    assert all(s.kind == "body" for s in sents)  # plain lines are not layout units


def test_normalize():
    assert normalize("2024 年 10 月", "ja") == "2024年10月"
    assert normalize("第 ４４・４５ 回ＡＳＥＡＮ", "ja") == "第44・45回ASEAN"
    assert normalize("AOIP で示された 4 つの", "ja") == "AOIPで示された4つの"
    assert normalize("次世代－文化の WA2.0－", "ja") == "次世代-文化のWA2.0-"  # never ー
    assert normalize("１０〜２０日", "ja") == "10〜20日"  # 〜 kept
    assert normalize("東京 大阪", "ja") == "東京 大阪"
    assert normalize(" Japan\u3000and  Laos\n", "en") == "Japan and Laos"


# --- English -------------------------------------------------------------------

def test_press_seed_has_15_sentences(seed_press):
    sents = segment_en(seed_press)
    assert len(sents) == 15
    line_of = lambda pos: seed_press.count("\n", 0, pos) + 1  # noqa: E731
    per_line = [line_of(s.span[0]) for s in sents]
    assert all(line_of(s.span[1] - 1) == line_of(s.span[0]) for s in sents)
    assert {n: per_line.count(n) for n in set(per_line)} == {
        n: 2 if n in (4, 5, 11) else 1 for n in range(1, 13)}
    for s in sents:
        assert seed_press[s.span[0]:s.span[1]] == s.text and s.kind == "body" and s.lang == "en"
    texts = [s.text for s in sents]
    assert texts[6].endswith("Improvement of Provincial Teacher")  # truncated snippet kept whole
    assert texts[1].startswith("VIENTIANE: Laos and Japan")
    assert any(t.startswith("Prime Minister Ishiba held a summit meeting with H.E. Mr. Sonexay")
               and t.endswith("Republic.") for t in texts)


HARD_EN = [
    ("Ishiba met H.E. Mr. Sonexay SIPHANDONE, Prime Minister of the Lao PDR. They agreed.",
     ["Ishiba met H.E. Mr. Sonexay SIPHANDONE, Prime Minister of the Lao PDR.", "They agreed."]),
    ("The U.S. and Japan agreed on Jan. 21 to cooperate. The talks ended.",
     ["The U.S. and Japan agreed on Jan. 21 to cooperate.", "The talks ended."]),
    ("He was ranked No. 1 in Asia. Others followed.",
     ["He was ranked No. 1 in Asia.", "Others followed."]),
    ("TOKYO (Kyodo) -- The leaders agreed Tuesday to upgrade ties. They met again.",
     ["TOKYO (Kyodo) -- The leaders agreed Tuesday to upgrade ties.", "They met again."]),
    ("VIENTIANE: Laos and Japan opened a new chapter. The visit ends Thursday.",
     ["VIENTIANE: Laos and Japan opened a new chapter.", "The visit ends Thursday."]),
    ('They agreed to a "comprehensive strategic partnership." It starts in March.',
     ['They agreed to a "comprehensive strategic partnership."', "It starts in March."]),
    ("He said: “We will deepen ties.” Then he left.",
     ["He said: “We will deepen ties.”", "Then he left."]),
    ("I met Dr. Tanaka. Dr. Tanaka is a surgeon.",
     ["I met Dr. Tanaka.", "Dr. Tanaka is a surgeon."]),
    ("The meeting was held in the U.S. The next one is in Japan.",
     ["The meeting was held in the U.S.", "The next one is in Japan."]),
    ("Mr. Ishiba arrived at 5 p.m. on Friday. He left on Jan. 23.",
     ["Mr. Ishiba arrived at 5 p.m. on Friday.", "He left on Jan. 23."]),
    ("Acme Inc., a U.S. firm, grew 3.5 percent. Is it true? Yes! It is.",
     ["Acme Inc., a U.S. firm, grew 3.5 percent.", "Is it true?", "Yes!", "It is."]),
    ("in his scheduled match in March.The two countries also issued a joint statement ca",
     ["in his scheduled match in March.The two countries also issued a joint statement ca"]),
]


@pytest.mark.parametrize("text, expected", HARD_EN, ids=[t[:25] for t, _ in HARD_EN])
def test_english_hard_cases(text, expected):
    assert [s.text for s in segment_en(text)] == expected


def test_english_line_breaks_in_snippet_lists():
    text = "Japan supports Lao teachers. Laos and Japan exchanged notes on the Project for\n" \
           "The leaders met Tuesday\nto discuss ties.\n"
    assert [s.text for s in segment_en(text)] == [
        "Japan supports Lao teachers.", "Laos and Japan exchanged notes on the Project for",
        "The leaders met Tuesday to discuss ties."]  # a lower-case start continues the line


def test_english_flowing_paragraphs_give_the_same_sentences(seed_press):
    import textwrap

    paragraphs = [textwrap.fill(line, 60) for line in seed_press.splitlines()]
    assert all("\n" in p for p in paragraphs)
    for joiner in ("\n\n", "\n\n\n"):
        text = joiner.join(paragraphs)
        assert [s.text for s in segment_en(text)] == [s.text for s in segment_en(seed_press)]
    pages = []  # the same wrapped text with page numbers and a running header mid-sentence
    for i, line in enumerate("\n\n".join(paragraphs).split("\n")):
        pages += [line] + ([f"- {i // 9 + 1} -"] if i % 9 == 4 else []) \
            + (["Japan-Laos press review"] if i % 13 == 6 else [])
    assert [s.text for s in segment_en("\n".join(pages))] == [s.text for s in segment_en(seed_press)]
    flowing = segment_en(textwrap.fill("They set up vice-ministerial-level dialogues with "
                                       "Laos, the U.S. said on Jan. 21. Talks follow.", 30))
    assert [s.text for s in flowing] == [
        "They set up vice-ministerial-level dialogues with Laos, the U.S. said on Jan. 21.",
        "Talks follow."]


def test_english_splitter_runs_offline_and_imports_lazily():
    code = ("import socket, sys\n"
            "def refuse(*a, **k): raise OSError('network used')\n"
            "socket.socket.connect = refuse; socket.create_connection = refuse\n"
            "import jp_en_align, jp_en_align.text.segment as s\n"
            "assert 'nupunkt' not in sys.modules and 'blingfire' not in sys.modules\n"
            "assert len(s.segment_en('Mr. Ishiba met Mr. Sonexay. They talked.')) == 2\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- bad input -------------------------------------------------------------------

@pytest.mark.parametrize("func", [segment_ja, segment_en])
def test_empty_text_gives_no_sentences(func):
    assert func("") == [] and func(" \n\u3000\n\n") == []


@pytest.mark.parametrize("func", [segment_ja, segment_en])
@pytest.mark.parametrize("bad, hint", [(None, "got NoneType"), (b"abc", "decode"),
                                       (["a", "b"], "Sentence.from_texts"), (42, "got int")])
def test_non_text_raises_type_error(func, bad, hint):
    with pytest.raises(TypeError, match=f"expects text as str.*{hint}"):
        func(bad)


def test_swapped_languages_warn(seed_statement, seed_press):
    with pytest.warns(UserWarning, match="segment_en got text that is mostly Japanese; "
                                         "did you swap the arguments"):
        segment_en(seed_statement)
    with pytest.warns(UserWarning, match="segment_ja got text with almost no Japanese"):
        segment_ja(seed_press)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        segment_ja(seed_statement)
        segment_en(seed_press)
        segment_en("The Japan-Laos summit (日ラオス首脳会談) was held in Tokyo.")


def test_megabytes_of_input_in_linear_time(seed_statement, seed_press):
    # Quadratic work would take minutes here; the bound only catches that.
    started = time.perf_counter()
    sents = segment_ja(seed_statement * 200)  # 1.5 M characters
    assert len(body(sents)) == 73 * 200
    sents = segment_en((seed_press + "\n") * 800)  # 2.1 M characters
    assert len(sents) == 15 * 800
    assert time.perf_counter() - started < 60


def test_docstring_examples():
    assert doctest.testmod(segmenting, raise_on_error=False).failed == 0
