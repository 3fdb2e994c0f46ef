"""Cheap evidence that two sentences say the same thing: shared numbers and
dates, names and loanwords. Used by the aligner's scoring (:func:`numbers`,
:func:`latin_words`) and by press-coverage comparison (:func:`shared_evidence`).
Works on ``Sentence.normalized`` text (NFKC).

Names and loanwords are matched by sound (:mod:`.sounds`: シーパンドン ~
Siphandone).

Example:
    >>> ev = shared_evidence("石破茂総理大臣は2025年1月21日にソーンサイ首相と会談した。",
    ...                      "Shigeru Ishiba met Sonexay Siphandone on January 21, 2025.")
    >>> ev.numbers
    ('1月', '21', '2025')
    >>> [ja for ja, en in ev.names]
    ['ソーンサイ', '石破茂']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .sounds import _alike_any, romanize, sound_key, sounds_alike, spelling_variants

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")


@lru_cache(maxsize=50_000)  # compare() asks again for each candidate of a press sentence
def numbers(text: str) -> frozenset[str]:
    """The numbers written in digits in ``text``, thousands separators removed.

    Example:
        >>> sorted(numbers("2025年1月21日、1,000人"))
        ['1', '1000', '2025', '21']
    """
    return frozenset(m.replace(",", "") for m in _NUMBER.findall(text))


@lru_cache(maxsize=50_000)
def latin_words(text: str) -> frozenset[str]:
    """Lower-cased Latin-script words of two or more letters (names, acronyms).

    Example:
        >>> sorted(latin_words("ASEANとFOIP"))
        ['asean', 'foip']
    """
    return frozenset(map(str.lower, _LATIN_WORD.findall(text)))


# ---------------------------------------------------------------- numbers and dates

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_EN_MONTH = re.compile(r"\b(" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?(?=\s*\d)|\b("
                       + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_JA_MONTH = re.compile(r"(\d{1,2})\s*月")
_EN_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_EN_NUMBER_WORDS.update({w: str(i + 1) for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split())})
_EN_NUMBER_WORD = re.compile(r"\b(" + "|".join(_EN_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_EN_MONTH_LOW, _EN_NUMBER_WORD_LOW = re.compile(_EN_MONTH.pattern), re.compile(
    _EN_NUMBER_WORD.pattern)
_EN_CARDINAL_WORD = re.compile(
    r"\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.IGNORECASE)


# amounts with a magnitude word are one number: 50億円 and "5 billion yen" are
# both 5000000000, and neither is the 5 of 5月 (May)
_JA_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(兆)?\s*(?:(\d+(?:\.\d+)?)\s*)?(億)?\s*"
                        r"(?:(\d+(?:\.\d+)?)\s*)?(万)?(\d+)?")
_JA_SCALE = {"兆": 10 ** 12, "億": 10 ** 8, "万": 10 ** 4}
_EN_AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(thousand|million|billion|trillion|bn)\b",
                        re.IGNORECASE)
_EN_SCALE = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12,
             "bn": 10 ** 9}


def _amount(value: float) -> str:
    """A number as :func:`numbers` writes it (no exponent, no trailing .0)."""
    return str(int(value)) if value == int(value) else f"{value:f}".rstrip("0")


def _ja_amounts(text: str) -> tuple[list[str], str]:
    """Amounts written with 兆, 億 or 万 (1億2000万 = 120000000) and the text
    without them."""
    found: list[str] = []

    def take(m: re.Match) -> str:
        groups = m.groups()  # (number, 兆, number, 億, number, 万, ones: 3万5000)
        if not any(groups[1:6:2]):
            return m.group(0)
        total, pending = 0.0, float(groups[0])
        for number, unit in ((None, groups[1]), (groups[2], groups[3]), (groups[4], groups[5])):
            if number is not None:
                pending = float(number)
            if unit:
                total, pending = total + pending * _JA_SCALE[unit], 0.0
        found.append(_amount(total + pending + float(groups[6] or 0)))
        return " "

    return found, _JA_AMOUNT.sub(take, text)


@lru_cache(maxsize=50_000)
def quantities(text: str, lang: str) -> frozenset[str]:
    """Numbers and months in ``text``, written the same way for both languages.

    Digits as :func:`numbers` finds them (70周年 and 70th both give ``70``;
    15日から30日 and "15 to 30 days" both give ``15`` and ``30``), amounts
    with their magnitude (50億 and "5 billion" both give ``5000000000``),
    months as ``"1月"`` (January, Jan. and 1月 alike; the 1 of 1月 is no
    number of its own), and for English the number words one–twelve and
    first–tenth.

    Example:
        >>> sorted(quantities("the 70th anniversary on Jan. 21 and the first meeting", "en"))
        ['1', '1月', '21', '70']
        >>> sorted(quantities("70周年、1月21日、第1回", "ja"))
        ['1', '1月', '21', '70']
        >>> sorted(quantities("50億円", "ja")) == sorted(quantities("5 billion yen", "en"))
        True
    """
    if lang == "ja":
        found, rest = _ja_amounts(text) if any(u in text for u in _JA_SCALE) else ([], text)
        found += [f"{int(m)}月" for m in _JA_MONTH.findall(rest)]
        return frozenset(found) | numbers(_JA_MONTH.sub(" ", rest))
    # ASCII text: the same matches in lower case without IGNORECASE (faster)
    low, month, word = ((text.lower(), _EN_MONTH_LOW, _EN_NUMBER_WORD_LOW)
                        if text.isascii() else (text, _EN_MONTH, _EN_NUMBER_WORD))
    found = {f"{_month_number(short or full)}月" for short, full in month.findall(low)}
    found.update(_EN_NUMBER_WORDS[w.lower()] for w in word.findall(low))
    rest = text
    if _EN_AMOUNT.search(text):
        found.update(_amount(float(n.replace(",", "")) * _EN_SCALE[unit.lower()])
                     for n, unit in _EN_AMOUNT.findall(text))
        rest = _EN_AMOUNT.sub(" ", text)
    return frozenset(found) | numbers(rest)


def _month_number(name: str) -> int:
    return [m[:3] for m in _MONTHS].index(name[:3].lower()) + 1


# ---------------------------------------------------------------- terms of each side

_KATAKANA_WORD = re.compile(r"[ァ-ヺー]{3,}")
# names whose Japanese reading sounds nothing like their English form (日本 ニッポン)
_EXONYMS = {
    "日本": ("Japan", "Japanese"), "中国": ("China", "Chinese"),
    "韓国": ("Korea", "Korean"), "北朝鮮": ("North", "Korea"), "米国": ("US", "U.S.", "American"),
    "米": ("US", "U.S.", "American"), "英国": ("Britain", "British", "UK"),
    "国連": ("UN", "U.N.", "United", "Nations"), "ラオス": ("Lao", "Laotian", "Laos"),
    "東南アジア": ("Southeast", "Asia", "Asian"), "アジア": ("Asia", "Asian"),
}
_EN_STOP = frozenset("""a an the and or but of to in on at by for with from as is are was were be
been being has have had it its this that these those their there they them he she his her we our
you your i not no also which who whom whose will would can could should may might must said says
into over under about after before between during than then such more most other some any all
each both either mr mrs ms dr h.e""".split())


@dataclass(frozen=True, slots=True)
class _JaTerm:
    surface: str
    keys: tuple[str, ...]  # sound keys of the whole word and of its parts
    is_name: bool


@lru_cache(maxsize=20_000)
def _ja_terms(text: str) -> tuple[_JaTerm, ...]:
    """Names (sudachi's proper nouns) and katakana loanwords of a Japanese sentence."""
    from ..text.tokens import tokenize_ja

    terms = []
    for tok in tokenize_ja(text):
        is_name = tok.pos[1] == "固有名詞" or tok.surface in _EXONYMS
        if tok.surface.isascii() or not (is_name or _KATAKANA_WORD.fullmatch(tok.surface)):
            continue
        # a person's name may appear as its parts (Ishiba for 石破茂); a place's
        # parts (ラオス/人民/民主/…) would only make noise
        person = tok.pos[2] == "人名"
        readings = [tok.reading, *(r for _, r in tok.parts if person)]
        spelt = {romanize(w) for r in readings for w in [r.replace("・", ""), *r.split("・")]}
        spelt.update(w for r in readings for w in romanize(r).split())
        keys = {sound_key(v, "ja") for w in spelt if w for v in spelling_variants(w)}
        terms.append(_JaTerm(tok.surface, tuple(sorted(k for k in keys if len(k) >= 3)),
                             is_name))
    return tuple(terms)


@lru_cache(maxsize=20_000)
def _en_terms(text: str) -> tuple[tuple[str, str, bool], ...]:
    """(word, sound key, capitalised) for the content words of an English sentence."""
    return tuple(t for t in map(_en_term, _LATIN_WORD.findall(text)) if t)


@lru_cache(maxsize=100_000)
def _en_term(word: str) -> tuple[str, str, bool] | None:
    w = word.strip("-'")
    if w.lower() in _EN_STOP or (len(w) < 3 and not w.isupper()):
        return None
    return (w, sound_key(w), w[0].isupper())


# ---------------------------------------------------------------- shared evidence


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a Japanese and an English sentence visibly share.

    Attributes:
        numbers: shared numbers and months (``"70"``, ``"2025"``, ``"1月"``).
        names: ``(japanese, english)`` name pairs that sound alike
            (``("石破茂", "Shigeru Ishiba")``).
        words: shared Latin-script words (ASEAN, ODA) and katakana loanwords
            matched to English (``"パートナーシップ=partnership"``).

    Example:
        >>> str(Evidence(numbers=("70",), names=(("石破茂", "Ishiba"),), words=()))
        '70; 石破茂=Ishiba'
    """

    numbers: tuple[str, ...] = ()
    names: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.numbers or self.names or self.words)

    def items(self) -> list[str]:
        """Every piece of evidence as a short string."""
        return [*self.numbers, *(f"{ja}={en}" for ja, en in self.names), *self.words]

    def keys(self) -> list[str]:
        """The Japanese-side form of each item (for counting how common it is)."""
        return [*self.numbers, *(ja for ja, _ in self.names),
                *(w.split("=")[0] for w in self.words)]

    def __str__(self) -> str:
        return "; ".join(self.items())


def evidence_keys(ja_text: str) -> frozenset[str]:
    """Every item a Japanese sentence could share with an English one, in the form
    :meth:`Evidence.keys` gives (numbers, months, names, loanwords, Latin words).

    Example:
        >>> sorted(evidence_keys("石破総理大臣はASEANの70周年を祝った。"))
        ['70', 'asean', '石破']
    """
    return (quantities(ja_text, "ja") | latin_words(ja_text)
            | {t.surface for t in _ja_terms(ja_text)})


def shared_evidence(ja_text: str, en_text: str) -> Evidence:
    """The numbers, names and words a Japanese and an English sentence share.

    Example:
        >>> shared_evidence("ビザ免除の滞在期間を15日から30日に延長する。",
        ...                 "visa-free stays extended from 15 to 30 days").numbers
        ('15', '30')
    """
    shared_numbers = quantities(ja_text, "ja") & quantities(en_text, "en")
    # a cardinal word alone ("the two countries" ~ 2) is weak: keep it only beside
    # a number written the same way on both sides
    cardinals = {_EN_NUMBER_WORDS[w.lower()] for w in _EN_CARDINAL_WORD.findall(en_text)}
    if shared_numbers and shared_numbers <= cardinals - numbers(en_text) and not (
            numbers(en_text) & numbers(ja_text)):
        shared_numbers = frozenset()
    en_terms = _en_terms(en_text)
    names: dict[str, list[str]] = {}
    words: list[str] = []
    for term in _ja_terms(ja_text):
        exonyms = _EXONYMS.get(term.surface, ())
        hits = list(dict.fromkeys(w for w, key, cap in en_terms if w in exonyms or (
            (cap or not term.is_name) and _alike_any(term.keys, key))))
        if not hits:
            continue
        if term.is_name or all(w[0].isupper() for w in hits):
            names.setdefault(term.surface, [])
            names[term.surface] += [w for w in hits if w not in names[term.surface]]
        else:
            words.append(f"{term.surface}={hits[0].lower()}")
    latin = sorted(latin_words(ja_text) & latin_words(en_text))
    # one press word is one piece of evidence: "management" written in Latin
    # letters in the Japanese text is not shared a second time as マネジメント
    words = [w for w in words if w.split("=")[1] not in latin]
    return Evidence(
        numbers=tuple(sorted(shared_numbers, key=lambda q: (int(re.match(r"\d+", q)[0]), q))),
        names=tuple(sorted((ja, " ".join(en)) for ja, en in names.items())),
        words=tuple(dict.fromkeys([*latin, *words])),
    )


# ---------------------------------------------------------------- names the official text lacks

# weekdays and titles: capitalised, but never what a story is about
_NOT_NAMES = frozenset("""monday tuesday wednesday thursday friday saturday sunday prime minister
president premier king queen prince princess secretary general chief foreign vice deputy
ambassador governor mayor his her excellency""".split())
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][A-Za-z\-']{2,}")


class NameIndex:
    """Every name, loanword, Latin word and number of an official Japanese text,
    to ask which names of a press sentence the text never mentions.

    Example:
        >>> index = NameIndex(["石破総理大臣はラオスを訪問した。"])
        >>> index.foreign_names("PM Ishiba met kickboxer Takeru Segawa in Laos.")
        ['Takeru', 'Segawa']
    """

    def __init__(self, ja_texts: list[str]) -> None:
        self._latin: set[str] = set()
        keys: set[str] = set()
        self._exonyms: set[str] = set()
        for text in ja_texts:
            self._latin |= latin_words(text)
            for term in _ja_terms(text):
                keys.update(term.keys)
                self._exonyms.update(w.lower() for w in _EXONYMS.get(term.surface, ()))
        self._by_initial: dict[str, list[str]] = {}
        for k in keys:
            self._by_initial.setdefault(k[:1], []).append(k)
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        """Whether the official text mentions ``word`` (by spelling or by sound)."""
        if word not in self._known:
            low = word.lower()
            key = sound_key(word)
            self._known[word] = (low in self._latin or low in self._exonyms
                                 or any(sounds_alike(key, k)
                                        for k in self._by_initial.get(key[:1], ())))
        return self._known[word]

    def foreign_names(self, en_text: str,
                      known: Callable[[str], bool] | None = None) -> list[str]:
        """Capitalised words of ``en_text`` (not opening a sentence, not in a
        dateline; not weekdays, months or function words) that the official text
        never mentions. ``known`` may vouch for more words (e.g. a title such as
        "Minister" whose meaning the text has)."""
        out: list[str] = []
        for w in _CAPITALISED.findall(_DATELINE.sub("", en_text)):
            w, low = _name_word(w)
            if low and not self.knows(w) and w not in out and not (known and known(low)):
                out.append(w)
        return out


@lru_cache(maxsize=50_000)
def _name_word(word: str) -> tuple[str, str]:
    """A capitalised word as a name (not its possessive, honorific or cut-off
    number: COVID-19) and in lower case; ``""`` for a word no name is (a weekday,
    a month, a function word)."""
    w = _NAME_TAIL.sub("", word)
    low = w.lower()
    return w, "" if low in _EN_STOP or low in _NOT_NAMES or low[:3] in _MONTH_PREFIXES else low


_MONTH_PREFIXES = frozenset(m[:3] for m in _MONTHS)
_NAME_TAIL = re.compile(r"(?:'s|-(?:san|sama|kun|chan|sensei|senpai|shi|dono))$|-+$")
# "TOKYO (Kyodo) --", "VIENTIANE:": where the story was filed, not what it says
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]+(?:\([^)]*\))?\s*(?:--|—|:)\s*")
