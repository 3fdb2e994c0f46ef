"""Evidence between Japanese and English sentences: numbers, dates, names, clauses."""

from __future__ import annotations

import pytest

from jp_en_align.coverage.clauses import split_clauses
from jp_en_align.text.tokens import tokenize_ja
from jp_en_align.aligner.evidence import (NameIndex, latin_words, numbers, quantities, romanize,
                                  shared_evidence, sound_key, sounds_alike)
from jp_en_align.text.segment import segment_ja


def test_numbers_and_latin_words_keep_their_semantics():
    assert numbers("2025年1月21日、1,000人、3.5%") == {"2025", "1", "21", "1000", "3.5"}
    assert latin_words("ASEANとFOIP、AOIPの a") == {"asean", "foip", "aoip"}


@pytest.mark.parametrize("ja, en, shared", [
    ("外交関係樹立70周年を記念して", "to mark the 70th anniversary of diplomatic ties", {"70"}),
    ("滞在期間を15日から30日に延長する", "extend visa-free stays from 15 to 30 days", {"15", "30"}),
    ("2025年1月21日に署名", "signed on January 21, 2025", {"2025", "1月", "21"}),
    ("1月20日から23日まで", "from Jan. 20-23", {"1月", "20", "23"}),
    ("第1回会合を開催する", "the first meeting will be held", {"1"}),
])
def test_dates_and_numbers_are_shared_across_languages(ja, en, shared):
    assert set(shared_evidence(ja, en).numbers) == shared


def test_month_names_and_number_words_become_the_same_tokens():
    assert quantities("in March and on Dec. 3, two", "en") == {"3月", "3", "12月", "2"}
    # the 3 of 3月 is a month, not a number; the 3 of 3日 is a day
    assert quantities("3月と12月3日", "ja") == {"3月", "3", "12月"}
    # a bare number word shared with nothing numeric is not evidence
    assert shared_evidence("二つの国", "the two countries").numbers == ()


@pytest.mark.parametrize("ja, en, amount", [
    ("50億円を投じる", "to invest 5 billion yen", "5000000000"),
    ("人口は約1億2000万人", "a population of about 120 million", "120000000"),
    ("3万5000人が参加した", "35,000 people took part", "35000"),
    ("1.5兆円の予算", "a $1.5 trillion budget", "1500000000000"),
])
def test_amounts_with_a_magnitude_are_one_number_in_both_languages(ja, en, amount):
    assert quantities(ja, "ja") == quantities(en, "en") == {amount}
    assert shared_evidence(ja, en).numbers == (amount,)


def test_an_amount_is_not_the_month_that_shares_its_digit():
    # 5 billion yen is not May (昨年5月): the two share no number
    assert shared_evidence("同社は昨年5月にロケットを打ち上げた。",
                           "The company will raise 5 billion yen for a rocket.").numbers == ()


def test_a_latin_word_is_not_shared_again_as_its_loanword():
    ev = shared_evidence("マネジメント会社、A-List Managementは関係を断った。",
                         "He cut ties with his management.")
    assert ev.words == ("management",)


@pytest.mark.parametrize("ja, en, name", [
    ("ワイリーは自分の方がマネジメント側と手を切ったと言った。", "Wiley said he cut ties with his management.",
     "ワイリー"),
    ("マイク・タイソン氏が来日した。", "Mike Tyson visited Japan.", "マイク"),
    ("カイル氏が会見した。", "Kyle spoke to reporters.", "カイル"),
])
def test_katakana_ai_is_also_an_english_long_i(ja, en, name):
    assert name in dict(shared_evidence(ja, en).names)


def test_romanisation_of_katakana_and_hiragana():
    assert romanize("イシバ・シゲル") == "ishiba shigeru"
    assert romanize("ビエンチャン") == "bienchan"
    assert romanize("ティー") == "tii"
    assert romanize("がっこう") == "gakkou"


@pytest.mark.parametrize("ja, en, name", [
    ("石破茂日本国内閣総理大臣は訪問した。", "Prime Minister Shigeru Ishiba visited.", "石破茂"),
    ("ソーンサイ・シーパンドン首相が来日した。", "Sonexay Siphandone arrived in Japan.",
     "ソーンサイ・シーパンドン"),
    ("ビエンチャンで会議が開かれた。", "A meeting was held in Vientiane.", "ビエンチャン"),
    ("大阪・関西万博を成功させる", "make the Osaka Expo a success", "大阪"),
])
def test_names_match_through_their_reading(ja, en, name):
    names = dict(shared_evidence(ja, en).names)
    assert name in names


def test_unrelated_names_do_not_match():
    ev = shared_evidence("石破茂総理大臣はソーンサイ首相と会談した。",
                         "Kickboxer Takeru Segawa visited schoolchildren in Vientiane.")
    assert ev.names == ()
    assert not sounds_alike(sound_key("segawa"), sound_key("ishiba", "ja"))


def test_loanwords_and_latin_words_are_shared_words():
    ev = shared_evidence("包括的・戦略的パートナーシップとASEANの協力",
                         "a comprehensive strategic partnership with ASEAN")
    assert "asean" in ev.words
    assert any(w.startswith("パートナーシップ=") for w in ev.items())


def test_name_index_finds_names_the_official_text_never_mentions(seed_statement):
    index = NameIndex([s.normalized for s in segment_ja(seed_statement)])
    assert index.foreign_names(
        "Japanese kickboxing legend Takeru Segawa brought holiday cheer to Laos.") == [
        "Takeru", "Segawa"]
    # datelines, weekdays, titles and names the statement has are not foreign
    assert index.foreign_names("TOKYO (Kyodo) -- On Tuesday Prime Minister Shigeru Ishiba "
                               "met Sonexay Siphandone in Vientiane.") == []


def test_clauses_split_long_sentences_and_rejoin_to_them(seed_statement):
    body = [s.normalized for s in segment_ja(seed_statement) if s.is_body]
    long_ones = [s for s in body if len(s) >= 150]
    assert long_ones
    for sent in body:
        parts = split_clauses(sent)
        assert "".join(parts) == sent
        assert all(p.strip() for p in parts)
    assert any(len(split_clauses(s)) > 1 for s in long_ones)
    # a topic marker (両首脳は、) or a list comma is not a clause boundary
    assert split_clauses("両首脳は、政治・安全保障、経済協力を含む分野で成果を挙げたことを評価した。") == [
        "両首脳は、政治・安全保障、経済協力を含む分野で成果を挙げたことを評価した。"]


def test_tokenizer_accepts_text_beyond_sudachis_input_limit():
    text = "両首脳は協力を強化することで一致した。" * 4000  # ~76,000 chars, ~228 KB
    tokens = tokenize_ja(text)
    assert tokens[-1].end == len(text)
    assert "".join(t.surface for t in tokens) == text
