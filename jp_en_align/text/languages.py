"""Which language a side is in: the one language check of the package, with
one set of thresholds. The aligner, ``compare``, a collection and the CLI all
call it at their entrance, once per call, before any encoding.

A side is judged by its letters (kana, kanji and Latin; digits and
punctuation say nothing): plainly not Japanese when under 10 % of its kana,
kanji and Latin letters are Japanese, mostly Japanese when over half are, in
neither language when under half of all its letters are kana, kanji or Latin.
Fewer than 20 letters and nothing is concluded.

Example:
    >>> language_problem("I like cats very much, and dogs.", "ja")
    'the ja side is not Japanese (0 of 24 letters are kana or kanji)'
    >>> language_problem("猫が好きです。" * 5, "ja") is None
    True
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator, NamedTuple

from .normalize import letter_counts

#: characters looked at per side: enough to tell, and keeps 10 MB inputs fast
SAMPLE = 100_000
#: fewer kana, kanji and Latin letters than this on a side and nothing is concluded
MIN_LETTERS = 20
#: under this share of Japanese letters a side is plainly not Japanese
NOT_JAPANESE_BELOW = 0.1
#: over this share of Japanese letters a side is mostly Japanese
MOSTLY_JAPANESE_ABOVE = 0.5
#: under this share of kana, kanji and Latin among all letters: neither language
NEITHER_BELOW = 0.5


class SwappedLanguagesError(ValueError):
    """The Japanese side is English and the English side Japanese."""


class LanguageError(ValueError):
    """A side plainly in the other language (a misfiled document)."""


class Shares(NamedTuple):
    """A side's letters: how many are Japanese, Latin, and letters at all."""

    japanese: int
    latin: int
    letters: int

    @property
    def known(self) -> int:
        return self.japanese + self.latin

    @property
    def japanese_share(self) -> float:
        return self.japanese / self.known if self.known else 0.0


def _sample(side: Any) -> str:
    if isinstance(side, str):
        return side[:SAMPLE]
    out, size = [], 0
    for s in side:
        text = str(getattr(s, "normalized", s))
        out.append(text)
        size += len(text)
        if size >= SAMPLE:
            break
    return "\n".join(out)


def shares(side: Any) -> Shares:
    """The letter counts of a side: raw text, or a list of sentences (str or Sentence).

    Example:
        >>> shares("猫 cat")
        Shares(japanese=1, latin=3, letters=4)
    """
    text = _sample(side)
    ja, latin = letter_counts(text)
    return Shares(ja, latin, sum(ch.isalpha() for ch in text))


def _problem(s: Shares, lang: str) -> str | None:
    if s.letters >= MIN_LETTERS and s.known < NEITHER_BELOW * s.letters:
        return (f"the {lang} side is in neither Japanese nor English (only {s.known} of its "
                f"{s.letters} letters are kana, kanji or Latin)")
    if s.known < MIN_LETTERS:
        return None
    if lang == "ja" and s.japanese_share < NOT_JAPANESE_BELOW:
        return (f"the ja side is not Japanese ({s.japanese} of {s.known} letters are kana "
                "or kanji)")
    if lang == "en" and s.japanese_share > MOSTLY_JAPANESE_ABOVE:
        return f"the en side is mostly Japanese ({s.japanese} of {s.known} letters)"
    return None


def language_problem(side: Any, lang: str) -> str | None:
    """What is wrong with the language of one side (``lang`` "ja" or "en"), or
    None when it looks right or is too short to tell. Other languages are not judged.

    Example:
        >>> language_problem("両首脳は協力の強化で一致した。" * 3, "en")
        'the en side is mostly Japanese (42 of 42 letters)'
    """
    if lang not in ("ja", "en"):
        return None
    return _problem(shares(side), lang)


def check_languages(ja: Any, en: Any, *, strict: bool = False,
                    call: str = "align(japanese, english)", stacklevel: int = 3) -> None:
    """Check both sides once: :class:`SwappedLanguagesError` when ``ja`` is
    plainly English and ``en`` mostly Japanese; for any other problem a
    :class:`LanguageError` when ``strict`` (a collection, the CLI: a misfiled
    file is a mistake), else a warning (a notebook may align English to
    English on purpose). ``call`` names the right argument order in the message.

    Example:
        >>> check_languages("猫が好きです。" * 5, "I like cats very much.")
        >>> try:
        ...     check_languages("I like cats and dogs very much.", "猫が好きです。" * 5)
        ... except SwappedLanguagesError as e:
        ...     print(str(e).split("? ")[-1])
        swap them, align(japanese, english)
    """
    a, b = shares(ja), shares(en)
    if (min(a.known, b.known) >= MIN_LETTERS and a.japanese_share < NOT_JAPANESE_BELOW
            and b.japanese_share > MOSTLY_JAPANESE_ABOVE):
        raise SwappedLanguagesError(
            f"the ja side is English and the en side Japanese "
            f"({a.japanese_share:.0%} and {b.japanese_share:.0%} of their letters are "
            f"Japanese): swapped arguments? swap them, {call}")
    for problem in (_problem(a, "ja"), _problem(b, "en")):
        if problem is None:
            continue
        if strict:
            raise LanguageError(f"{problem}: are the files swapped or misfiled?")
        warnings.warn(f"{problem}: the result will be poor; {call} expects Japanese first "
                      "and English second (for other languages pass src_lang= and tgt_lang= "
                      "to Aligner)", stacklevel=stacklevel)


#: set while the entrance segments a side whose caller checks both sides together
_CALLER_CHECKS: ContextVar[bool] = ContextVar("jp_en_align_caller_checks", default=False)


@contextmanager
def checked_by_caller() -> Iterator[None]:
    """Inside this block :func:`warn_if_swapped` stays quiet: the caller checks
    both sides at once with :func:`check_languages` (one check, one message).
    Thread- and task-safe (a context variable, not the global warnings filter)."""
    token = _CALLER_CHECKS.set(True)
    try:
        yield
    finally:
        _CALLER_CHECKS.reset(token)


def warn_if_swapped(text: str, lang: str, func: str) -> None:
    """``segment_ja``/``segment_en`` called directly on text plainly in the
    other language: warn, with the thresholds above.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     warn_if_swapped("This is English text, not Japanese.", "ja", "segment_ja")
        >>> str(caught[0].message).split(";")[0]
        'segment_ja got text with almost no Japanese'
    """
    if _CALLER_CHECKS.get():
        return
    s = shares(text)
    if s.known < MIN_LETTERS:
        return
    if lang == "en" and s.japanese_share > MOSTLY_JAPANESE_ABOVE:
        warnings.warn(f"{func} got text that is mostly Japanese; did you swap the arguments? "
                      f"({s.japanese} of {s.known} letters are Japanese: use segment_ja for them)",
                      stacklevel=3)
    elif lang == "ja" and s.japanese_share < NOT_JAPANESE_BELOW:
        warnings.warn(f"{func} got text with almost no Japanese; did you swap the arguments? "
                      f"({s.japanese} of {s.known} letters are Japanese: use segment_en for "
                      "English)", stacklevel=3)
