"""Names and loanwords matched by sound: sudachi's katakana reading of a
Japanese name (石破茂 → イシバ・シゲル) is romanised (ishiba, shigeru) and both
sides are reduced to a loose key that forgets the usual differences between
Japanese and Latin spellings (l/r, v/b, long vowels, the vowels katakana adds
after consonants, Lao/Thai "ph", "x"), so シーパンドン matches Siphandone.
Used by :mod:`.evidence`.

Example:
    >>> sounds_alike(sound_key(romanize("シーパンドン"), "ja"), sound_key("Siphandone"))
    True
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_KANA = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de "
    "do ba bi bu be bo pa pi pu pe po vu a i u e o ya yu yo".split()))


def romanize(kana: str) -> str:
    """Hepburn romanisation of katakana or hiragana (other characters become spaces).

    Example:
        >>> romanize("イシバ・シゲル"), romanize("シーパンドン"), romanize("ビエンチャン")
        ('ishiba shigeru', 'shiipandon', 'bienchan')
    """
    out: list[str] = []
    double_next = False
    for ch in kana:
        if "ぁ" <= ch <= "ゖ":
            ch = chr(ord(ch) + 0x60)  # hiragana -> katakana
        if ch == "ッ":
            double_next = True
            continue
        if ch == "ー":
            if out and out[-1] and out[-1][-1] in "aeiou":
                out.append(out[-1][-1])
            continue
        roma = _KANA.get(ch)
        if roma is None:
            out.append(" ")
            continue
        if ch in "ャュョァィゥェォ" and out and out[-1].strip():
            # キャ kya, シャ sha, ティ ti, ファ fa, ウィ wi: the small kana replaces the vowel
            stem = out.pop()[:-1] or "w"
            if ch in "ャュョ" and stem.endswith(("sh", "ch", "j")):
                roma = roma[1:]
            roma = stem + roma
        if double_next:
            roma = roma[0] + roma
            double_next = False
        out.append(roma)
    return re.sub(r" +", " ", "".join(out)).strip()


# the vowel katakana adds after a consonant: スタジアム sutajiamu, シップ shippu
_JA_EPENTHESIS = re.compile(
    r"(?<=[kgszpbmf])u(?=[^aeiouyn]|n[aeiouy])|(?<=[td])o(?=[^aeiouyn]|n[aeiouy])")
# the rules in order: letters, digraphs and letters as katakana hears them, then
# r after a vowel (silent in katakana), ou, ei, doubled and final vowels
_NOT_LETTER = re.compile(r"[^a-z]")
_DIGRAPHS = (("ph", "p"), ("th", "t"), ("kh", "k"), ("ck", "k"), ("x", "s"), ("sh", "s"),
             ("ch", "t"), ("ts", "t"))
_LETTERS = str.maketrans("cqlvfjzyw", "kkrbhddiu")  # one after another: none feeds another
_SILENT_R = re.compile(r"(?<=[aeiou])r(?![aeiou])")
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_VOWELS = re.compile(r"(?<=..)[aeiou]+$")


def spelling_variants(romaji: str) -> set[str]:
    """A romanised katakana word as English may spell it: as it is, and with
    アイ as an English long i (ワイリー Wiley, カイル Kyle, マイク Mike).

    Example:
        >>> sorted(spelling_variants("wairii"))
        ['wairii', 'wirii']
    """
    return {romaji, romaji.replace("ai", "i")}


@lru_cache(maxsize=50_000)
def sound_key(word: str, lang: str = "en") -> str:
    """A loose key for comparing a romanised Japanese word (``lang="ja"``) with a
    Latin spelling (``lang="en"``).

    Example:
        >>> sound_key("shiipandon", "ja") == sound_key("Siphandone")
        True
    """
    key = word.lower()
    if lang == "ja":
        key = _JA_EPENTHESIS.sub("", key)
    if not (key.isascii() and key.isalpha()):
        key = _NOT_LETTER.sub("", key)
    for pair in _DIGRAPHS:  # str.replace: what re.sub does with a plain pattern
        if pair[0] in key:
            key = key.replace(*pair)
    key = key.translate(_LETTERS)
    if "r" in key:
        key = _SILENT_R.sub("", key)
    key = _DOUBLED.sub(r"\1", key.replace("ou", "o").replace("ei", "e"))
    return _FINAL_VOWELS.sub("", key) if key[-1:] in ("a", "e", "i", "o", "u") else key


@lru_cache(maxsize=200_000)
def sounds_alike(a: str, b: str) -> bool:
    """Whether two sound keys are close enough to be the same name or loanword."""
    shorter, both = min(len(a), len(b)), len(a) + len(b)
    if shorter <= 3:
        return a == b and shorter == 3
    # short keys may differ by one letter at most (sons ~ sones), longer ones by 20 %
    least = 0.88 if shorter <= 5 else 0.8
    if 2 * shorter < least * both:
        return False  # the lengths alone bound the ratio below `least`
    # the letters both have (as a multiset) bound ratio() from above: most pairs
    # fail this, without building a SequenceMatcher
    left = dict.fromkeys(b, 0)
    for c in b:
        left[c] += 1
    common = 0
    for c in a:
        if left.get(c):
            left[c] -= 1
            common += 1
    if 2 * common < least * both:
        return False
    return SequenceMatcher(None, a, b).ratio() >= least


@lru_cache(maxsize=500_000)
def _alike_any(keys: tuple[str, ...], key: str) -> bool:
    """Whether ``key`` sounds like one of ``keys`` (cached: a press text repeats
    its words against the same official terms)."""
    return any(sounds_alike(k, key) for k in keys)
