"""Names of the official text and how the press spells them: JMnedict's English
forms (石破 → Ishiba, ビエンチャン → Vientiane) and, for katakana names no
dictionary has (アヌウォン, ソーンサイ), the romanisation of ``cutlet``
compared by sound, with the spellings Lao, Thai and Vietnamese names take in
English (ウォ ~ vo: アヌウォン ~ Anouvong; final ng ~ ン: Vong).

A name is a sudachi proper noun, or a run of katakana words joined by ・ that
JMdict does not list as common words (チャオ・アヌウォン in
チャオ・アヌウォン・スタジアム; スタジアム is a word, not a name).

Example:
    >>> names = OfficialNames(["チャオ・アヌウォン・スタジアムを改修する。"])
    >>> names.shared("チャオ・アヌウォン・スタジアムを改修する。",
    ...              "The Chao Anouvong Stadium will be rebuilt.")
    (('チャオ・アヌウォン', 'Chao Anouvong'),)
    >>> names.knows("Anouvong"), names.knows("Segawa")
    (True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import numpy as np

from ..aligner.evidence import romanize, sound_key, sounds_alike
from ..aligner.sounds import spelling_variants
from .dictionary import glosses, name_forms

_KATAKANA_RUN = re.compile(r"[ァ-ヺー]{2,}(?:・[ァ-ヺー]{2,})*")
_EN_NAME = re.compile(r"\b[A-Z][A-Za-z\-']+")
_WORD = re.compile(r"[a-z]+")
_FINAL_NG = re.compile(r"ng$")


@lru_cache(maxsize=1)
def _cutlet():
    import cutlet

    return cutlet.Cutlet(use_foreign_spelling=False)


def _hiragana(kana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


@lru_cache(maxsize=20_000)
def name_keys(kana: str) -> frozenset[str]:
    """Sound keys of a katakana name part: cutlet's romanisation, this
    library's, and the Lao/Thai-style spellings (ウォ, ヴォ ~ vo, v ~ w).

    Example:
        >>> name_keys("アヌウォン") & en_keys("Anouvong") != set()
        True
    """
    spellings = {romanize(kana)}
    try:
        spellings.add(_cutlet().map_kana(_hiragana(kana)))
    except (KeyError, IndexError):  # a character cutlet's table lacks
        pass
    keys = set()
    for s in spellings:
        s = s.replace(" ", "")
        for variant in spelling_variants(s) | {s.replace("w", "v"), re.sub(r"u(?=o)", "v", s)}:
            key = sound_key(variant, "ja")
            if len(key) >= 3:
                keys.add(key)
    return frozenset(keys)


@lru_cache(maxsize=50_000)
def en_keys(word: str) -> frozenset[str]:
    """Sound keys of an English spelling of a name: as it is, and with a final
    "ng" heard as ン and "ou" as u (French-style Lao spellings)."""
    low = word.lower()
    final_n = _FINAL_NG.sub("n", low)
    variants = {low, final_n, final_n.replace("ou", "u")}
    return frozenset(k for k in (sound_key(v) for v in variants) if k)


class SoundKeys:
    """Sound keys (:func:`~jp_en_align.aligner.evidence.sound_key`), to ask
    which of them sound like a given key. The letters two keys share (as a
    multiset) bound how alike they are, so one vector operation rules out
    nearly all of them before :func:`~jp_en_align.aligner.evidence.sounds_alike`
    is asked about the rest: the same answer as asking about every key, at a
    fraction of the cost.

    Example:
        >>> keys = SoundKeys(sorted(name_keys("アヌウォン") | name_keys("ビエンチャン")))
        >>> keys.alike("anobon")  # en_keys("Anouvong") has it
        ['anbon', 'anubon']
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = list(dict.fromkeys(keys))
        self._counts = np.zeros((len(self.keys), 26), dtype=np.int32)
        for i, key in enumerate(self.keys):
            self._counts[i] = _letter_counts(key)
        self._lengths = np.array([len(k) for k in self.keys], dtype=np.int32)

    def alike(self, key: str) -> list[str]:
        """The keys ``k`` with ``sounds_alike(k, key)``, in their order."""
        return self.alike_many([key])[key]

    def alike_many(self, keys: list[str]) -> dict[str, list[str]]:
        """``{key: self.alike(key)}`` for many keys at once (one vector
        operation per block of keys instead of one per key)."""
        out: dict[str, list[str]] = {}
        plain = [k for k in dict.fromkeys(keys) if k.isascii() and k.isalpha() and k.islower()]
        for k in dict.fromkeys(keys).keys() - set(plain):  # a letter outside a-z: ask every key
            out[k] = [x for x in self.keys if sounds_alike(x, k)]
        block = max(1, 1_000_000 // max(1, 26 * len(self.keys)))  # 4 MB of counts at most
        for start in range(0, len(plain), block):
            part = plain[start:start + block]
            lengths = np.fromiter(map(len, part), dtype=np.int32, count=len(part))
            codes = np.frombuffer("".join(part).encode("ascii"), dtype=np.uint8) - 97
            counts = np.bincount(np.repeat(np.arange(len(part)), lengths) * 26 + codes,
                                 minlength=26 * len(part)).astype(np.int32).reshape(-1, 26)
            common = np.minimum(counts[:, None, :], self._counts[None, :, :]).sum(axis=2)
            # sounds_alike needs 2 * common >= 0.8 * (both lengths) at the least
            maybe = 2 * common >= 0.8 * (lengths[:, None] + self._lengths[None, :]) - 1e-9
            found: dict[str, list[str]] = {key: [] for key in part}
            for i, j in zip(*(ix.tolist() for ix in np.nonzero(maybe))):  # row by row
                if sounds_alike(self.keys[j], part[i]):
                    found[part[i]].append(self.keys[j])
            out.update(found)
        return out


def _letter_counts(key: str) -> np.ndarray | None:
    out = np.zeros(26, dtype=np.int32)
    for c in key:
        i = ord(c) - 97
        if not 0 <= i < 26:
            return None
        out[i] += 1
    return out


@dataclass(frozen=True)
class _Name:
    surface: str  # as the official text writes it
    forms: frozenset[str]  # lower-cased English words of its JMnedict spellings
    keys: frozenset[str]  # sound keys of its parts


@lru_cache(maxsize=20_000)
def _press_spellings(kana: str) -> set[str]:
    """How English press writes a Japanese name read ``kana``: Hepburn, with
    and without long vowels (ムトウ: mutou, muto).

    Example:
        >>> sorted(_press_spellings("ムトウ"))
        ['muto', 'mutou']
    """
    spelled = romanize(kana).lower()
    return {spelled, spelled.replace("ou", "o").replace("uu", "u")}


def _names_in(ja_text: str) -> tuple[_Name, ...]:
    from ..text.tokens import tokenize_ja

    out: list[_Name] = []
    for tok in tokenize_ja(ja_text):
        if tok.pos[1] != "固有名詞" or tok.surface.isascii():
            continue
        # the whole name's spellings; a person's family and given names (石破, 茂)
        # by themselves only when two characters or more (茂 alone has dozens)
        parts = [tok.surface, *(p for p, _ in tok.parts if len(p) >= 2)]
        forms = {w for p in parts for f in name_forms(p)[:6]
                 for w in _WORD.findall(f.split(",")[0].lower())}
        readings = [tok.reading, *(r for _, r in tok.parts)]
        # the name as the press spells its reading: short names (イノウエ) have
        # too few consonants for a sound key, and ムトウ is written Muto
        forms |= {w for r in readings if r for s in _press_spellings(r) for w in _WORD.findall(s)}
        keys = {k for r in readings for part in r.split("・") for k in name_keys(part)}
        out.append(_Name(tok.surface, frozenset(forms), frozenset(keys)))
    for m in _KATAKANA_RUN.finditer(ja_text):
        parts = m.group().split("・")
        while parts and glosses(parts[-1]):
            parts.pop()  # a common word after the name (…・スタジアム, …・ラオス)
        if not parts or all(glosses(p) for p in parts):
            continue
        surface = "・".join(parts)
        if any(n.surface == surface for n in out):
            continue
        forms = {w for p in [surface, *parts] for f in name_forms(p)[:6]
                 for w in _WORD.findall(f.split(",")[0].lower())}
        keys = {k for p in parts for k in name_keys(p)}
        out.append(_Name(surface, frozenset(forms), frozenset(keys)))
    return tuple(out)


def _matches(name: _Name, word: str) -> bool:
    if word.lower() in name.forms:
        return True
    return any(sounds_alike(k, e) for e in en_keys(word) for k in name.keys)


class OfficialNames:
    """The names of one official text (see the module docstring)."""

    def __init__(self, official_texts: Iterable[str]) -> None:
        self._forms: set[str] = set()
        self._keys: dict[str, set[str]] = {}
        self._texts = list(official_texts)
        self._where: dict[_Name, list[int]] = {}  # name -> positions of the texts naming it
        for i, text in enumerate(self._texts):
            for name in _names_in(text):
                self._where.setdefault(name, []).append(i)
                self._forms |= name.forms
                for k in name.keys:
                    self._keys.setdefault(k[:1], set()).add(k)
        self._known: dict[str, bool] = {}
        self._naming: dict[str, frozenset[_Name]] = {}  # press word -> the names it writes
        self._sounds = SoundKeys(k for name in self._where for k in name.keys)
        self._order = {name: i for i, name in enumerate(self._where)}
        self._by_form: dict[str, list[_Name]] = {}  # JMnedict form -> the names with it
        self._by_key: dict[str, list[_Name]] = {}  # sound key -> the names with it
        for name in self._where:
            for form in name.forms:
                self._by_form.setdefault(form, []).append(name)
            for key in name.keys:
                self._by_key.setdefault(key, []).append(name)

    def _names_of(self, word: str) -> frozenset[_Name]:
        """The names of the official text that a press word writes (cached: a
        press text repeats its words)."""
        found = self._naming.get(word)
        if found is None:
            self.prepare([word])
            found = self._naming[word]
        return found

    def prepare(self, words: Iterable[str]) -> None:
        """Find at once the names each of these press words writes (what
        :meth:`_names_of` finds word by word; one vector operation for all)."""
        words = [w for w in dict.fromkeys(words) if w not in self._naming]
        keys = {w: en_keys(w) for w in words}
        alike = self._sounds.alike_many([e for w in words for e in keys[w]])
        for w in words:
            # as _matches, with the keys that sound like the word found at once (a
            # name whose forms have the word or whose keys sound like it)
            low, near = w.lower(), {k for e in keys[w] for k in alike[e]}
            found = {*self._by_form.get(low, ()), *(n for k in near for n in self._by_key[k])}
            # built in the text's order, as a frozenset of every name asked would be
            self._naming[w] = frozenset(sorted(found, key=self._order.__getitem__))

    @staticmethod
    @lru_cache(maxsize=20_000)
    def words_of(en_text: str) -> tuple[str, ...]:
        """The capitalised words of ``en_text`` that may write a name, each once."""
        return tuple(w for w in dict.fromkeys(w.removesuffix("'s") for w in _EN_NAME.findall(en_text))
                     if len(w) > 2)

    def surfaces(self, ja_text: str) -> tuple[str, ...]:
        """The names of ``ja_text``, as it writes them."""
        return tuple(n.surface for n in _names_in(ja_text))

    def knows(self, word: str) -> bool:
        """Whether the official text has ``word`` as a name (by its JMnedict
        spelling or by sound)."""
        if word not in self._known:
            self._known[word] = word.lower() in self._forms or any(
                sounds_alike(k, e) for e in en_keys(word)
                for k in self._keys.get(e[:1], ()))
        return self._known[word]

    def shared(self, ja_text: str, en_text: str) -> tuple[tuple[str, str], ...]:
        """``(japanese name, english words)`` for the names of ``ja_text`` that
        ``en_text`` writes (capitalised words, in press order)."""
        words, out = self.words_of(en_text), []
        for name in _names_in(ja_text):
            if name in self._where:
                hits = [w for w in words if name in self._names_of(w)]
            else:  # a text this index was not built from
                hits = [w for w in words if _matches(name, w)]
            if hits:
                out.append((name.surface, " ".join(hits)))
        return tuple(out)

    def named_in(self, en_text: str) -> frozenset[str]:
        """Every name of the official text that :meth:`shared` could find
        ``en_text`` writes, as the official text writes it."""
        return frozenset(n.surface for w in self.words_of(en_text) for n in self._names_of(w))

    def texts_naming(self, en_text: str, most: int = 3) -> list[int]:
        """Positions of the official texts that name something ``en_text`` names,
        for names at most ``most`` texts have (specific ones: not ラオス in a
        statement on Laos). Candidates the encoder alone may miss ("the Chao
        Anouvong Stadium")."""
        words = [w.removesuffix("'s") for w in _EN_NAME.findall(en_text) if len(w) > 2]
        named = frozenset().union(*map(self._names_of, dict.fromkeys(words)))
        out: list[int] = []
        if not named:
            return out
        for name, where in self._where.items():
            if len(where) <= most and name in named:
                out += [i for i in where if i not in out]
        return out
