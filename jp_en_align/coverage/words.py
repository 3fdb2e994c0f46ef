"""Content words of an English press sentence: what *coverage* counts (the
share of them the matched official sentences explain through glossary
translations, names and numbers)."""

from __future__ import annotations

import re

_EN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")
_EN_STOP = frozenset("""a an the and or but of to in on at by for with from as is are was were be
been being has have had it its this that these those their there they them he she his her we our
you your i not no also which who whom whose will would can could should may might must said says
say into over under about after before between during than then such more most other some any all
each both either mr mrs ms dr h.e do does did so if while when where what how why just only very
us him me my one two new year years time way well even still like get got make made""".split())


def english_words(text: str) -> tuple[str, ...]:
    """Lower-cased content words of an English sentence, each once, in order.

    Example:
        >>> english_words("The leaders agreed to upgrade the relationship.")
        ('leaders', 'agreed', 'upgrade', 'relationship')
    """
    words = (w.lower().strip("-'") for w in _EN_WORD.findall(text))
    return tuple(dict.fromkeys(w for w in words if len(w) >= 3 and w not in _EN_STOP))
