"""Sentence segmentation (placeholder: being rewritten, see issue 2)."""

from __future__ import annotations

import re
import unicodedata

_JA_CHAR = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"


def normalize(text: str, lang: str) -> str:
    """The form of ``text`` used for embedding and matching.

    NFKC (full-width digits and letters to ASCII), then, for Japanese, the
    spaces a PDF puts between Japanese characters and numbers are removed.

    Example:
        >>> normalize("２０２４ 年 １０ 月", "ja")
        '2024年10月'
    """
    out = unicodedata.normalize("NFKC", text)
    if lang == "ja":
        out = re.sub(rf"(?<=[0-9]) +(?={_JA_CHAR})|(?<={_JA_CHAR}) +(?=[0-9])", "", out)
    return re.sub(r"\s+", " ", out).strip()
