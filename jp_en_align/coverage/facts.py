"""Dates, years, anniversaries and durations read from both languages, so a
press sentence that restates a fact *differently* ("January 20-23" against
1月21日から23日, "45 days" against 30日) is flagged as a conflict rather than
counted as shared evidence; and people named in a role ("Prime Minister X")
whom the official text never mentions where it names someone
(:func:`name_conflicts`).

A fact is ``(kind, value)``: ``("date", (month, first_day, last_day))``,
``("year", 2025)``, ``("anniversary", 70)``, ``("days", 30)`` (and ``weeks``,
``months``, ``years_long``). A press fact *conflicts* when the official side has
facts of the same kind (for dates: in the same month) and none of them agrees
with it, i.e. the two texts talk about the same slot and say different things.

Example:
    >>> [str(c) for c in conflicts(facts_ja("2025年1月21日から23日までの間、日本を訪問した。"),
    ...                            facts_en("a visit to Japan from January 20-23"))]
    ['January 20-23 ≠ 1月21日から23日']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUM = r"(\d+|" + "|".join(_NUMBER_WORDS) + r"|a|an)"
_ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split())}

# "January 20-23", "Jan. 21 to 23", "January 21", "21-23 January", "21 January"
_EN_DATE = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?"
                      r"(?:\s*(?:-|–|to|through|and)\s*(\d{1,2})(?:st|nd|rd|th)?\b)?"
                      r"|\b(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(\d{1,2})(?:st|nd|rd|th)?)?"
                      r"\s+(?:of\s+)?" + _MONTH, re.IGNORECASE)
_EN_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_EN_ANNIVERSARY = re.compile(r"\b(\d+)(?:st|nd|rd|th)\s+anniversar|\b(\d+)\s+years\s+of\b"
                             r"|\b(" + "|".join(_ORDINAL_WORDS) + r")\s+anniversar", re.IGNORECASE)
# "15 to 30 days", "30 days", "a month", "two weeks"
_EN_DURATION = re.compile(r"\b" + _NUM + r"(?:\s*(?:-|–|to)\s*" + _NUM + r")?[\s-]+"
                          r"(day|week|month)s?\b", re.IGNORECASE)

_JA_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日(?:(?:から|~|〜|-)(?:(\d{1,2})月)?(\d{1,2})日)?")
_JA_YEAR = re.compile(r"(\d{4})年(?!間)")
_JA_ANNIVERSARY = re.compile(r"(\d+)周年")
# 30日 not after 月 (not a date), 30日間; 2週間; 3か月
_JA_DURATION = re.compile(r"(?<![月\d])(\d+)(日間?|週間|か月|ヶ月|カ月)")


@dataclass(frozen=True, slots=True)
class Fact:
    """A date, year, anniversary or duration, and how the text wrote it."""

    kind: str
    value: object
    surface: str

    def __str__(self) -> str:
        return self.surface


@dataclass(frozen=True, slots=True)
class Conflict:
    """A press fact and the official facts of the same kind that disagree with it."""

    press: Fact
    official: tuple[Fact, ...]

    def __str__(self) -> str:
        return f"{self.press} ≠ {', '.join(f.surface for f in self.official)}"


def _month(name: str) -> int:
    return [m[:3] for m in _MONTHS].index(name[:3].lower()) + 1


def _count(word: str) -> int:
    w = word.lower()
    return 1 if w in ("a", "an") else _NUMBER_WORDS.get(w, None) or int(w)


@lru_cache(maxsize=20_000)
def facts_en(text: str) -> tuple[Fact, ...]:
    """Facts of an English sentence.

    Example:
        >>> [(f.kind, f.value) for f in facts_en("from 15 to 30 days, the 70th anniversary in 2025")]
        [('year', 2025), ('anniversary', 70), ('days', 15), ('days', 30)]
    """
    out: list[Fact] = []
    for m in _EN_DATE.finditer(text):
        if m.group(1):
            month, first, last = _month(m.group(1)), int(m.group(2)), m.group(3)
        else:
            month, first, last = _month(m.group(6)), int(m.group(4)), m.group(5)
        last = int(last) if last else first
        if 1 <= first <= 31 and first <= last <= 31:
            out.append(Fact("date", (month, first, last), m.group().strip()))
    out += [Fact("year", int(y), y) for y in _EN_YEAR.findall(text)]
    for m in _EN_ANNIVERSARY.finditer(text):
        n = int(m.group(1) or m.group(2)) if (m.group(1) or m.group(2)) else _ORDINAL_WORDS[
            m.group(3).lower()]
        out.append(Fact("anniversary", n, m.group().strip()))
    for m in _EN_DURATION.finditer(text):
        unit = m.group(3).lower() + "s"
        for g in (m.group(1), m.group(2)):
            if g:
                out.append(Fact(unit, _count(g), m.group().strip()))
    return tuple(out)


@lru_cache(maxsize=20_000)
def facts_ja(text: str) -> tuple[Fact, ...]:
    """Facts of a Japanese sentence (NFKC digits).

    Example:
        >>> [(f.kind, f.value) for f in facts_ja("2025年1月21日から23日、70周年、15日から30日に延長")]
        [('date', (1, 21, 23)), ('year', 2025), ('anniversary', 70), ('days', 15), ('days', 30)]
    """
    out: list[Fact] = []
    for m in _JA_DATE.finditer(text):
        month, first = int(m.group(1)), int(m.group(2))
        last = int(m.group(4)) if m.group(4) else first
        out.append(Fact("date", (month, first, last), m.group()))
    out += [Fact("year", int(y), f"{y}年") for y in _JA_YEAR.findall(text)]
    out += [Fact("anniversary", int(n), f"{n}周年") for n in _JA_ANNIVERSARY.findall(text)]
    undated = _JA_DATE.sub(lambda m: "#" * len(m.group()), text)  # 23日 of a date is no duration
    for m in _JA_DURATION.finditer(undated):
        unit = {"日": "days", "日間": "days", "週間": "weeks"}.get(m.group(2), "months")
        out.append(Fact(unit, int(m.group(1)), m.group()))
    return tuple(out)


def _agrees(press: Fact, official: Fact) -> bool:
    if press.kind != official.kind:
        return False
    if press.kind == "date":
        pm, pa, pb = press.value  # type: ignore[misc]
        om, oa, ob = official.value  # type: ignore[misc]
        return pm == om and oa <= pa and pb <= ob  # the press range lies inside
    return press.value == official.value


def _same_slot(press: Fact, official: Fact) -> bool:
    if press.kind != official.kind:
        return False
    return press.kind != "date" or press.value[0] == official.value[0]  # type: ignore[index]


def conflicts(official: tuple[Fact, ...], press: tuple[Fact, ...],
              explained: tuple[Fact, ...] = ()) -> list[Conflict]:
    """Press facts that official facts of the same kind contradict. ``explained``:
    official facts of other matches of the same press sentence (a press fact one
    of them states is no conflict)."""
    out = []
    for p in press:
        rivals = tuple(o for o in official if _same_slot(p, o))
        if not rivals or any(_agrees(p, o) for o in rivals + explained):
            continue
        out.append(Conflict(p, rivals))
    return out


# ---------------------------------------------------------------- people in a role

_TITLED = re.compile(r"\b(Prime Minister|Premier|President|Foreign Minister|Deputy Prime Minister"
                     r"|Minister|Ambassador|Chief Cabinet Secretary)\s+"
                     r"((?:[A-Z][A-Za-z\-']+)(?:\s+[A-Z][A-Za-z\-']+){0,2})")


def titled_names_en(text: str) -> list[tuple[str, str]]:
    """``(title, name)`` for every person an English sentence names by role.

    Example:
        >>> titled_names_en("Prime Minister Fumio Kishida met President Thongloun.")
        [('Prime Minister', 'Fumio Kishida'), ('President', 'Thongloun')]
    """
    return [(m.group(1), m.group(2)) for m in _TITLED.finditer(text)]


@lru_cache(maxsize=20_000)
def persons_ja(text: str) -> tuple[str, ...]:
    """People's names in a Japanese sentence (sudachi 人名, family and given
    names joined: 石破 + 茂 → 石破茂).

    Example:
        >>> persons_ja("石破茂総理大臣はソーンサイ・シーパンドン首相と会談した。")[0]
        '石破茂'
    """
    from ..text.tokens import tokenize_ja

    out: list[str] = []
    last_end = -1
    for tok in tokenize_ja(text):
        if len(tok.pos) > 2 and tok.pos[2] == "人名":
            if out and tok.start == last_end:
                out[-1] += tok.surface
            else:
                out.append(tok.surface)
            last_end = tok.end
    return tuple(dict.fromkeys(out))


def name_conflicts(official: str, press: str, unknown: set[str]) -> list[Conflict]:
    """A person the press names in a role (Prime Minister X) whom the official
    text never mentions, where the official sentence names someone: the same
    role, another person."""
    people = persons_ja(official)
    if not people:
        return []
    return [Conflict(Fact("name", name, f"{title} {name}"),
                     tuple(Fact("name", p, p) for p in people))
            for title, name in titled_names_en(press)
            if all(w in unknown for w in name.split())]
