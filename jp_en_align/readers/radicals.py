"""Undo the look-alike code points that PDF text layers put for ideographs.

A CJK font draws the Kangxi radical ⽇ (U+2F47) and the ideograph 日 (U+65E5)
with one glyph. A PDF stores glyphs; its text layer maps each glyph back to
*one* code point, and browsers and word processors often pick the radical.
Text extracted from such a PDF looks right and is wrong: ``⽇本`` does not
match ``日本``, and a sentence encoder reads it as noise. Measured on the seed
statement printed by Chromium with Noto Sans CJK JP: pypdf and pdfminer.six
give 43 different radicals (⽇ ⼈ ⺠ ⾸ …) and ‧ (U+2027) for ・.

NFKC maps every Kangxi radical (U+2F00–U+2FD5) to its ideograph, but only two
of the 115 CJK Radicals Supplement characters (U+2E80–U+2EF3); ⺠ stays ⺠.
The supplement table below is the glyph sharing of the Noto CJK fonts
(Debian's ``fonts-noto-cjk``, Sans and Serif, JP/KR/SC/TC): a radical that
shares its glyph with an ideograph becomes that ideograph. Radicals with a
glyph of their own (⺀, ⺄, …) never come out of a shared glyph and stay.
"""

from __future__ import annotations

import unicodedata

# radical, ideograph, radical, ideograph, ... (CJK Radicals Supplement)
_SUPPLEMENT = (
    "⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母"
    "⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺩𤣩⺫罒⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹"
    "⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻐钅⻑長⻒镸⻓长⻔门"
    "⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄"
    "⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)


def _table() -> dict[int, str]:
    table = {ord(_SUPPLEMENT[i]): _SUPPLEMENT[i + 1] for i in range(0, len(_SUPPLEMENT), 2)}
    for cp in range(0x2F00, 0x2FD6):  # Kangxi radicals: NFKC knows them all
        table[cp] = unicodedata.normalize("NFKC", chr(cp))
    table[0x2F3E] = "戸"  # ⼾: NFKC says 戶; Japanese fonts share the glyph of 戸
    table[0x2027] = "・"  # ‧ HYPHENATION POINT: the glyph of the katakana middle dot
    for cp in range(0xFB00, 0xFB07):  # ﬁ ﬀ … Latin ligatures of the text layer
        table[cp] = unicodedata.normalize("NFKC", chr(cp))
    return table


_TABLE = _table()


def restore_ideographs(text: str) -> str:
    """``text`` with radical look-alikes (and ‧, ligatures) turned back into
    the characters they stand for; everything else is unchanged.

    Example:
        >>> restore_ideographs("⽇本国⺠の⼈々‧ﬁle")
        '日本国民の人々・file'
    """
    return text.translate(_TABLE)
