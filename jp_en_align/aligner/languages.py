"""Which language each side is in: swapped arguments are an error, text in
neither language a warning, both found before any work is done."""

from __future__ import annotations

import warnings
from typing import Any

from ..text.normalize import letter_counts

#: letters looked at per side: enough to tell, and keeps 10 MB inputs fast
_SAMPLE = 100_000
#: fewer letters than this on a side and nothing is concluded
_MIN_LETTERS = 20


class SwappedLanguagesError(ValueError):
    """The Japanese side is English and the English side Japanese."""


def _sample(x: Any) -> str:
    if isinstance(x, str):
        return x[:_SAMPLE]
    out, size = [], 0
    for s in x:
        text = str(getattr(s, "normalized", s))
        out.append(text)
        size += len(text)
        if size >= _SAMPLE:
            break
    return "\n".join(out)


def _shares(text: str) -> tuple[float, float, int]:
    """(Japanese share, Latin share) of the letters of ``text``, and how many letters."""
    letters = sum(ch.isalpha() for ch in text)
    ja, latin = letter_counts(text)
    return ja / max(letters, 1), latin / max(letters, 1), letters


def check_languages(ja: Any, en: Any) -> None:
    """Raise :class:`SwappedLanguagesError` when ``ja`` is plainly English and
    ``en`` plainly Japanese; warn when a side is in neither language. ``ja``
    and ``en``: raw text or lists of sentences.

    Example:
        >>> check_languages("猫が好きです。" * 5, "I like cats very much.")
        >>> try:
        ...     check_languages("I like cats and dogs very much.", "猫が好きです。" * 5)
        ... except SwappedLanguagesError as e:
        ...     print(str(e).split(": ")[-1])
        swap them, align(japanese, english)
    """
    if not all(isinstance(x, str) or hasattr(x, "__iter__") and not isinstance(x, (bytes, bytearray))
               for x in (ja, en)):
        return  # the aligner's own type checks say what is wrong
    ja_ja, ja_latin, ja_n = _shares(_sample(ja))
    en_ja, en_latin, en_n = _shares(_sample(en))
    if ja_n >= _MIN_LETTERS and en_n >= _MIN_LETTERS and ja_ja < 0.1 and en_ja > 0.5:
        raise SwappedLanguagesError(
            f"the Japanese argument is English and the English one Japanese ({ja_ja:.0%} and "
            f"{en_ja:.0%} of their letters are Japanese): swap them, align(japanese, english)")
    for side, n, share in (("ja", ja_n, ja_ja + ja_latin), ("en", en_n, en_ja + en_latin)):
        if n >= _MIN_LETTERS and share < 0.5:
            warnings.warn(f"the {side} side is in neither Japanese nor English (only {share:.0%} "
                          "of its letters are kana, kanji or Latin): the alignment will be poor; "
                          "for other languages pass src_lang= and tgt_lang= to Aligner",
                          stacklevel=3)
