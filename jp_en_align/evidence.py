"""Cheap evidence that two sentences say the same thing: shared numbers and
Latin-script words (names, acronyms). Used by the aligner's scoring and by
press-coverage comparison. Works on ``Sentence.normalized`` text (NFKC).
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")


def numbers(text: str) -> frozenset[str]:
    """The numbers written in digits in ``text``, thousands separators removed.

    Example:
        >>> sorted(numbers("2025年1月21日、1,000人"))
        ['1', '1000', '2025', '21']
    """
    return frozenset(m.replace(",", "") for m in _NUMBER.findall(text))


def latin_words(text: str) -> frozenset[str]:
    """Lower-cased Latin-script words of two or more letters (names, acronyms).

    Example:
        >>> sorted(latin_words("ASEANとFOIP"))
        ['asean', 'foip']
    """
    return frozenset(w.lower() for w in _LATIN_WORD.findall(text))
