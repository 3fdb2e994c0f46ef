"""Japanese morphology: sudachi tokens (split mode C, with the mode-A pieces of names).

Used by press comparison (clauses, content words) and by the evidence of the
aligner (readings of katakana names).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

# sudachipy refuses inputs over ~49 KB (UTF-8); Japanese is 3 bytes a character.
_MAX_CHARS_PER_CALL = 12_000


@dataclass(frozen=True, slots=True)
class Token:
    """One sudachi morpheme (split mode C: the longest units, e.g. 石破茂)."""

    surface: str
    pos: tuple[str, ...]
    reading: str  # katakana reading form
    start: int  # character offsets into the tokenised text
    end: int
    parts: tuple[tuple[str, str], ...] = ()  # (surface, reading) of the mode-A pieces
    normalized: str = ""  # sudachi's normalised form (受入れ → 受け入れ, 為る for し)
    lemma: str = ""  # dictionary form (する for し)


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import Dictionary

    return Dictionary(dict="core").tokenizer()


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """``text`` in pieces sudachi accepts, cut after 、。 where possible."""
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + _MAX_CHARS_PER_CALL)
        if end < len(text):
            cut = max(text.rfind("。", pos, end), text.rfind("、", pos, end))
            if cut > pos:
                end = cut + 1
        yield pos, text[pos:end]
        pos = end


@lru_cache(maxsize=20_000)
def tokenize_ja(text: str) -> tuple[Token, ...]:
    """Sudachi tokens of one Japanese sentence (cached; long text is cut into
    pieces sudachi accepts).

    Example:
        >>> [t.surface for t in tokenize_ja("石破茂首相が訪問した。")][:2]
        ['石破茂', '首相']
    """
    from sudachipy import SplitMode

    out = []
    for offset, chunk in _chunks(text):
        for m in _tokenizer().tokenize(chunk, SplitMode.C):
            pos = tuple(m.part_of_speech())
            parts: tuple[tuple[str, str], ...] = ()
            if pos[1] == "固有名詞":  # names: keep the pieces (石破 / 茂) for matching
                parts = tuple((p.surface(), p.reading_form()) for p in m.split(SplitMode.A))
            out.append(Token(m.surface(), pos, m.reading_form(),
                             offset + m.begin(), offset + m.end(), parts,
                             m.normalized_form(), m.dictionary_form()))
    return tuple(out)
