"""The one normaliser of the pipeline, the input checks of the segmenters and
the letter counts that tell which language a text is in.

Lives below :class:`~jp_en_align.text.sentence.Sentence` so that a sentence
can normalise itself without importing the segmenters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Set

# --- normalisation -----------------------------------------------------------

# Japanese characters as they stand after NFKC: punctuation, kana, kanji.
_JA_CHAR = r"[\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_PDF_SPACE = re.compile(rf"(?<=[0-9A-Za-z]) +(?={_JA_CHAR})|(?<={_JA_CHAR}) +(?=[0-9A-Za-z])")


def normalize(text: str, lang: str) -> str:
    """The form of ``text`` used for embedding and matching.

    NFKC (full-width digits and letters to ASCII; it keeps 〜 and turns － into
    an ASCII hyphen, never into ー), runs of whitespace to one space, and, for
    Japanese, no spaces between Japanese characters and digits or Latin
    letters (a PDF puts them there: ``2024 年 10 月``).

    Example:
        >>> normalize("２０２４ 年 １０ 月の AOIP", "ja")
        '2024年10月のAOIP'
        >>> normalize("  Japan  and Laos ", "en")
        'Japan and Laos'
    """
    out = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    if lang == "ja":
        out = _PDF_SPACE.sub("", out)
    return out


# --- input checks ------------------------------------------------------------

_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_encodable(text: str, what: str) -> None:
    """Raise ValueError if ``text`` holds a lone surrogate (U+D800-U+DFFF).

    Such a code point is not a character: no encoder, file or UTF-8 writer can
    take it, so it is refused once, at the entrance of every public function
    that takes text (segmenters, ``Sentence.from_texts``, ``align``,
    ``compare``, format readers and writers), with its position, rather than
    failing deep inside. It usually comes from decoding bytes with
    ``errors="surrogateescape"`` or from a JSON ``"\\ud800"`` escape.

    Example:
        >>> check_encodable("猫が好き", "ja text")
        >>> check_encodable("猫が\\ud800好き", "ja text")
        Traceback (most recent call last):
        ...
        ValueError: ja text holds a lone surrogate U+D800 at character 2 ('猫が'): ...
    """
    m = _SURROGATE.search(text)
    if m is not None:
        k = m.start()
        raise ValueError(
            f"{what} holds a lone surrogate U+{ord(m.group()):04X} at character {k} "
            f"({text[max(0, k - 20):k]!r}): it is not a character and cannot be encoded; "
            "decode the input with errors='replace' or remove it")


def check_sentence_list(x: object, what: str) -> None:
    """Raise TypeError for a mapping or a set where a list of sentences belongs:
    iterating it would give its keys (``{"a": 1}`` as ``["a"]``) or no order.

    Example:
        >>> check_sentence_list(["Cat."], "en")
        >>> check_sentence_list({"a": 1}, "en")
        Traceback (most recent call last):
        ...
        TypeError: en is a dict, not a list of sentences: ...
    """
    if isinstance(x, (Mapping, Set)):
        raise TypeError(f"{what} is a {type(x).__name__}, not a list of sentences: pass the "
                        "sentences in document order, e.g. list(d.values()) or sorted(...)")


def _check_text(text: object, func: str) -> None:
    if isinstance(text, str):
        check_encodable(text, f"the text given to {func}")
        return
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(f"{func} expects text as str, got {type(text).__name__}: "
                        "decode it first, e.g. data.decode('utf-8')")
    hint = (": to use sentences you already split, pass the list to the aligner "
            "or to Sentence.from_texts" if isinstance(text, (list, tuple)) else "")
    raise TypeError(f"{func} expects text as str, got {type(text).__name__}{hint}")


def letter_counts(text: str) -> tuple[int, int]:
    """``(Japanese, Latin)`` letters in ``text``: kana and kanji, and A-Z/a-z
    (full width too). Used to tell which language a text is in.

    Example:
        >>> letter_counts("日本 Japan")
        (2, 5)
    """
    return len(_KANA_KANJI.findall(text)), len(_LATIN.findall(text))
