"""Japanese morphology for press comparison: sudachi tokens, and long sentences
split into clauses.

Official Japanese sentences bundle many facts ("両首脳は、…を歓迎し、…を立ち上げ、
…で一致した。"); a press sentence usually reports one of them. Splitting at the
clause boundaries sudachi's parts of speech show (a verb in its conjunctive
form or a conjunctive particle, followed by 、) gives units a press sentence can
match on its own.
"""

from __future__ import annotations

import re

from ..text.tokens import Token, tokenize_ja


def _ends_clause(prev: Token) -> bool:
    """Whether a 、 right after ``prev`` closes a clause (rather than a list item
    or a topic such as 両首脳は、)."""
    main, sub = prev.pos[0], prev.pos[1]
    if main == "助詞":
        return sub == "接続助詞"  # …して、 …し、 …が、 …つつ、
    if main in ("動詞", "助動詞", "形容詞"):
        return prev.pos[5].startswith("連用形")  # 歓迎し、 強化し、
    return prev.surface in ("ため", "ともに", "上で", "うえで", "一方")


def split_clauses(sentence: str, min_chars: int = 12) -> list[str]:
    """Split a Japanese sentence into clauses at conjunctive 、 boundaries.

    Pieces shorter than ``min_chars`` are joined to the following clause (the
    last one to the previous), so every clause says something on its own. A
    sentence with no boundary comes back as one clause.

    Example:
        >>> split_clauses("両首脳は、安全保障対話の深化を歓迎し、新たに防衛次官級協議を立ち上げることで一致した。")
        ['両首脳は、安全保障対話の深化を歓迎し、', '新たに防衛次官級協議を立ち上げることで一致した。']
    """
    tokens = tokenize_ja(sentence)
    cuts = [tok.end for prev, tok in zip(tokens, tokens[1:])
            if tok.surface == "、" and _ends_clause(prev)]
    pieces, start = [], 0
    for cut in cuts + [len(sentence)]:
        if cut - start >= min_chars or cut == len(sentence):
            pieces.append(sentence[start:cut])
            start = cut
    if len(pieces) > 1 and len(pieces[-1]) < min_chars:
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    return [p for p in pieces if p.strip()] or [sentence]


# where a press sentence turns from the news to its framing or to a second fact:
# "…, as Tokyo tries to …", "…, where they said …", "…; …", "… amid China's rise"
_PRESS_TURN = re.compile(r",\s+(?=(?:as|where|while|amid)\s)|;\s+|\s+(?=amid\s)")


def split_press_clauses(sentence: str, min_words: int = 5) -> list[str]:
    """Split an English press sentence where it turns to another fact or to the
    reporter's framing; pieces under ``min_words`` words are joined to the
    previous one. A sentence with no turn gives ``[]`` (the whole sentence is
    the only unit).

    Example:
        >>> split_press_clauses("The leaders agreed to upgrade their ties, as Tokyo tries "
        ...                     "to court Southeast Asia amid China's rise.")
        ['The leaders agreed to upgrade their ties', 'as Tokyo tries to court Southeast Asia', "amid China's rise."]
    """
    pieces: list[str] = []
    for part in _PRESS_TURN.split(sentence):
        part = part.strip()
        if pieces and len(part.split()) < min_words // 2:
            pieces[-1] += " " + part
        elif part:
            pieces.append(part)
    return pieces if len(pieces) > 1 else []
