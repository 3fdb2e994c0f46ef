"""Plain text in any of the encodings Japanese files come in.

Without a byte-order mark, bytes do not say their encoding, and several
Japanese encodings decode each other's bytes without error (EUC-JP text is
mostly valid cp932, as half-width katakana and rare kanji). So every
candidate that decodes the whole file strictly is read, and the one whose
text looks most like writing wins: kana, common kanji, ASCII and Japanese
punctuation count for it; half-width katakana, private-use and control
characters, rare CJK blocks and Hangul (what the wrong encoding or the wrong
byte order turns Japanese into) count against it. Order of trial: BOM,
UTF-8, ISO-2022-JP (7-bit with escapes), cp932, EUC-JP, their JIS X 0213
forms, UTF-16 without BOM;
charset-normalizer judges files that none of these fits (Latin-1, GB18030 …).
"""

from __future__ import annotations

import codecs
import re

from .errors import DocumentError

_BOM_CODECS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
               (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
               (codecs.BOM_UTF16_BE, "utf-16"))
# Japanese candidates, in the order ties are broken.
# The JIS X 0213 (2004) forms read what the classic codecs cannot (－, ㈱ as
# encoded by newer converters); classic first, so that they win ties.
_JAPANESE = ("utf-8", "iso-2022-jp", "iso2022_jp_2004", "cp932", "euc-jp", "shift_jis_2004",
             "euc_jis_2004", "utf-16-le", "utf-16-be")
_ISO2022_ESCAPE = re.compile(rb"\x1b[$(][@BJDI]")
# What real Japanese (or English) writing is made of.
_GOOD = re.compile(r"[\t\n\r -~\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e\u00a0-\u00ff"
                   r"\u2010-\u2027\u2030-\u203b\u2190-\u21ff\u2460-\u24ff\u25a0-\u26ff]")
# What a wrong guess produces: half-width katakana, private use, controls,
# CJK extension A / compatibility, Hangul, surrogates' neighbours.
_BAD = re.compile(r"[\uff61-\uff9f\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                  r"\u3400-\u4dbf\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]")


def _plausibility(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    return (len(_GOOD.findall(sample)) - 3 * len(_BAD.findall(sample))) / len(sample)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def canonical(encoding: str) -> str:
    """The name Python's codec registry uses (``Shift_JIS`` → ``shift_jis``);
    raises :class:`DocumentError` for an unknown name."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise DocumentError(f"unknown encoding {encoding!r}: use a Python codec name such as "
                            "utf-8, cp932, shift_jis, euc-jp, iso-2022-jp, utf-16") from None


def decode(data: bytes, encoding: str | None = None, what: str = "file") -> tuple[str, str]:
    """``(text, encoding)`` of ``data``: the given ``encoding``, else the detected one.

    Example:
        >>> decode("両首脳は一致した。".encode("euc-jp"))
        ('両首脳は一致した。', 'euc-jp')
        >>> decode("両首脳は一致した。".encode("cp932"))
        ('両首脳は一致した。', 'cp932')
    """
    if encoding is not None:
        name = canonical(encoding)
        if name == "utf-8":
            name = "utf-8-sig"  # a BOM is never part of the text
        try:
            return data.decode(name), encoding
        except UnicodeDecodeError as e:
            fits = [enc for enc, _ in _candidates(data) if canonical(enc) != canonical(encoding)]
            hint = (f"it reads as {' or '.join(fits[:3])}: pass --encoding {fits[0]} (or leave "
                    "--encoding out to detect it)" if fits else
                    "no Japanese encoding fits it either: is it text? (" + _closest(data) + ")")
            raise DocumentError(f"{what} is not valid {encoding} (byte {e.object[e.start]:#04x} "
                                f"at offset {e.start}): {hint}") from None
    for bom, codec in _BOM_CODECS:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is not None and _plausibility(text) > 0.5:
                return text, {"utf-8-sig": "utf-8 (BOM)"}.get(codec, codec)
            # a BOM the bytes after it do not fit (Shift_JIS saved behind a UTF-16
            # or UTF-8 mark): read what follows it, or refuse; never gibberish
            found = _candidates(data[len(bom):])
            if found:
                return found[0][1], f"{found[0][0]} (after a stray {codec} byte-order mark)"
            raise DocumentError(
                f"{what} starts with a {codec} byte-order mark, but "
                f"{'its text is gibberish' if text is not None else 'is not ' + codec} and no "
                "Japanese encoding fits what follows: re-save it as UTF-8, or pass --encoding "
                "if you know it")
    if b"\x00" not in data and not _ISO2022_ESCAPE.search(data):
        text = _strict(data, "utf-8")
        if text is not None:  # other encodings almost never make valid UTF-8 by chance
            return text, "utf-8"
    found = _candidates(data)
    if found:
        return found[0][1], found[0][0]
    western = _strict(data, "cp1252")  # English with a few accents ("naïve", "café")
    if western is not None and sum(ord(c) > 0x7F for c in western) <= 0.1 * len(western):
        return western, "cp1252"
    import charset_normalizer  # only for files no Japanese encoding fits

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and _plausibility(str(best)) > 0.9:
        return str(best), best.encoding
    raise DocumentError(f"{what} fits no text encoding: {_closest(data)}; if it is a "
                        "document of another kind (PDF, Word, HTML), it is damaged")


def _candidates(data: bytes) -> list[tuple[str, str]]:
    """``(encoding, text)`` for each Japanese encoding that decodes ``data``,
    most plausible first."""
    scored = []
    seven_bit = max(data, default=0) < 0x80
    for rank, enc in enumerate(_JAPANESE):
        if enc.startswith("iso") and not (seven_bit and _ISO2022_ESCAPE.search(data)):
            continue
        if enc.startswith("utf-16") and (len(data) % 2 or b"\x00" not in data
                                         and not _looks_utf16(data)):
            continue
        text = _strict(data, enc)
        if text is not None:
            scored.append((-_plausibility(text), rank, enc, text))
    scored.sort()
    return [(enc, text) for score, _, enc, text in scored if score < -0.9]


def _looks_utf16(data: bytes) -> bool:
    """Japanese UTF-16 has few zero bytes but many 0x30 (kana) bytes on one parity."""
    even, odd = data[0:4000:2], data[1:4000:2]
    return max(even.count(0x30), odd.count(0x30)) > 0.2 * len(even)


def _closest(data: bytes) -> str:
    """Where each likely encoding fails, for an error message."""
    parts = []
    for enc in ("utf-8", "cp932", "euc-jp", "utf-16"):
        try:
            data.decode(enc)
        except UnicodeDecodeError as e:
            parts.append(f"{enc} fails at offset {e.start}")
    return "; ".join(parts)
