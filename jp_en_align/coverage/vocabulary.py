"""Word evidence for press comparison: which words of an English press sentence
translate words of the official Japanese text.

Two sources, asked in this order:

1. the project glossary (:mod:`.lexicon`): press usage the dictionary lacks
   (関係 ~ ties, 会談 ~ met, 格上げ ~ elevate);
2. JMdict (:mod:`.dictionary`): every content word of the official text, by
   sudachi's normalised form (受入れ → 受け入れ), with the English glosses of
   its first senses. Words are compared by Snowball stems (協議 =
   consultation ~ consultations); a gloss of several words (外務 = foreign
   affairs) needs all of them in the press sentence.

A :class:`Vocabulary` is built per comparison from the official sentences, so
only their words are looked up (a few hundred dictionary queries), and asking
about a press sentence is a few set lookups.

Example:
    >>> v = Vocabulary(["新たに防衛次官級協議を立ち上げることで一致した。"])
    >>> hits = v.en_hits("They agreed to launch vice-ministerial consultations on defence.")
    >>> hits["協議"], hits["防衛"], hits["次官級"], "次官" in hits  # 次官: part of 次官級
    ('consultations', 'defence', 'vice-ministerial', False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .dictionary import glosses, stem
from .lexicon import _WORD_PART, Glossary, _entries_starting
from .words import _EN_STOP

# parts of speech whose words carry content (sudachi's first field)
_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞")
_NOT_CONTENT = ("数詞", "固有名詞", "非自立可能", "助数詞")  # numbers, names, する/ある/こと
_HIRAGANA = re.compile(r"[ぁ-ゖー]+")
_GLOSS_STOP = _EN_STOP | frozenset("""to one one's someone something thing things etc oneself
being kind sort form state act""".split())
_PIECE = re.compile(r"[a-z][a-z']*")  # hyphenated words count by their pieces
MAX_GLOSS_WORDS = 3  # longer glosses are explanations, not translations
# verbs that work as compound particles (…に関する, …に基づく, …を通じた): their
# glosses ("to relate to", "to be based on") are grammar, not content
_FUNCTION_VERBS = frozenset("""関する 対する 基づく 踏まえる 通じる 通ずる 向ける 於く 置く 伴う 因る
依る 拠る 際する 当たる 巡る 沿う 応じる 加える 含める 含む 続く 行う 為る 成る 有る 居る 言う 思う
見る 出来る 致す 頂く 下さる 参る 申す 並びる 及ぶ 亘る 渡る 係る""".split())

def gloss_stems(gloss: str) -> tuple[str, ...]:
    """The stems of a gloss's content words (``()`` when it has none).

    Example:
        >>> gloss_stems("to strengthen one's ties")
        ('strengthen', 'tie')
    """
    words = [w for w in _PIECE.findall(gloss.lower()) if w not in _GLOSS_STOP and len(w) > 1]
    return tuple(dict.fromkeys(stem(w) for w in words))


# Snowball stems of words longer than 6 letters begin as the word does (y read
# as i: flying ~ fli; z as s: realising ~ realiz), but for this one (checked
# against every word of JMdict's glosses)
_STEM_EXCEPTIONS = frozenset({"awfully"})


def _stem_start(word: str) -> str:
    return word[:3].replace("y", "i").replace("z", "s")


_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*")


@lru_cache(maxsize=100_000)
def _word_stems(word: str, starts: frozenset[str] | None) -> tuple[str, ...]:
    """The stems of one press word's pieces (hyphenated words: each piece).
    With ``starts``: only the stems that begin so (the others are not stemmed:
    pure-Python stemming is the slow part of a long press text)."""
    return tuple(stem(piece) for piece in _PIECE.findall(word.lower())
                 if not (piece in _EN_STOP or (starts is not None and len(piece) > 6
                                               and _stem_start(piece) not in starts
                                               and piece not in _STEM_EXCEPTIONS)))


@lru_cache(maxsize=20_000)
def dictionary_terms(ja_text: str) -> tuple[str, ...]:
    """Content words of a Japanese sentence that JMdict has, by sudachi's
    normalised form (or dictionary form, or surface, whichever JMdict knows).

    Example:
        >>> dictionary_terms("受入れを拡大する。")
        ('受け入れ', '拡大')
    """
    from ..text.tokens import tokenize_ja

    out = []
    for tok in tokenize_ja(ja_text):
        if tok.pos[0] not in _CONTENT_POS or any(p in _NOT_CONTENT for p in tok.pos[1:3]) \
                or (tok.normalized or tok.lemma) in _FUNCTION_VERBS or tok.lemma in _FUNCTION_VERBS:
            continue
        for form in dict.fromkeys((tok.normalized or tok.surface, tok.lemma or tok.surface,
                                   tok.surface)):
            if len(form) >= 2 and not _HIRAGANA.fullmatch(form) and not form.isascii() \
                    and glosses(form):
                out.append(form)
                break
    return tuple(dict.fromkeys(out))


class Vocabulary:
    """The project glossary and JMdict, for the words of one official text
    (see the module docstring). Same questions as :class:`.lexicon.Glossary`."""

    def __init__(self, official_texts: Iterable[str], glossary: Glossary | None = None) -> None:
        self.glossary = glossary or Glossary()
        # stem -> terms with a one-word gloss of it (in text order: reports do not
        # depend on the hash seed)
        self._single: dict[str, dict[str, None]] = {}
        self._phrases: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # first stem -> ...
        self._known: set[str] = set()
        self._starts: frozenset[str] | None = None  # how the indexed stems begin
        self._indexed: frozenset[str] = frozenset()  # every stem of an indexed gloss
        # press word -> its indexed stems, and the word as a hit names it
        self._word_index: dict[str, tuple[tuple[str, ...], str]] = {}
        self._terms: dict[str, frozenset[str]] = {}  # official text -> its terms
        # press word -> the glossary entries among `_among` it may start (en_hits is
        # asked about thousands of press texts with the same terms)
        self._among: frozenset[str] | None = None
        self._starting: dict[str, frozenset[str]] = {}
        for text in official_texts:
            for term in dictionary_terms(text):
                self._add(term)

    def _add(self, term: str) -> None:
        if term in self._known:
            return
        self._known.add(term)
        self._starts = None
        for gloss in glosses(term):
            stems = gloss_stems(gloss)
            if not stems or len(stems) > MAX_GLOSS_WORDS or len(gloss.split()) > 2 * MAX_GLOSS_WORDS:
                continue
            if len(stems) == 1:
                self._single.setdefault(stems[0], {})[term] = None
            else:
                self._phrases.setdefault(stems[0], []).append((term, stems))

    @property
    def size(self) -> int:
        """How many dictionary words of the official text are indexed."""
        return len(self._known)

    def ja_terms(self, ja_text: str) -> frozenset[str]:
        """Glossary terms and dictionary words of a Japanese text."""
        terms = self._terms.get(ja_text)
        if terms is None:  # asked for each candidate of each press sentence
            terms = self._terms[ja_text] = (self.glossary.ja_terms(ja_text)
                                            | frozenset(dictionary_terms(ja_text)))
        return terms

    def en_hits(self, en_text: str, terms: frozenset[str] | None = None, *,
                one_sentence: bool = True) -> dict[str, str]:
        """Japanese term -> the English words of ``en_text`` that translate it
        (only for ``terms`` when given): the glossary's first, then JMdict's.
        ``one_sentence=False``: ``terms`` are several sentences', and a JMdict
        word stays beside a glossary term for the same press word (強化 and 補強
        both "reinforce"): each sentence's evidence picks its own."""
        out = self.glossary.en_hits(en_text) if terms is None else self._glossary_hits(
            en_text, terms)
        # one press word translates one term: the glossary's first (関係 =
        # relations, not 関する too), and a part of a glossary term adds nothing
        # (次官 inside 次官級)
        used = {w for en in out.values() for w in en.split()} if one_sentence else set()
        found = list(out)
        stems = self._press_stems(en_text)
        for s, word in stems.items():
            if s not in self._single and s not in self._phrases:
                continue  # most press words: no gloss of the official text's words
            hits = [(t, word) for t in self._single.get(s, ())]
            hits += [(t, " ".join(dict.fromkeys(stems[p] for p in phrase)))
                     for t, phrase in self._phrases.get(s, ()) if all(p in stems for p in phrase)]
            for term, en in hits:
                if term in out or (terms is not None and term not in terms) \
                        or any(term in f for f in found) or set(en.split()) <= used:
                    continue
                out[term] = en
        return out

    def _press_stems(self, en_text: str) -> dict[str, str]:
        """Indexed stem -> the press word it came from first (hyphenated words:
        the whole word); the stems no gloss of the index has are left out."""
        if self._starts is None:
            indexed = [*self._single, *(p for ps in self._phrases.values() for _, ph in ps
                                        for p in ph)]
            self._starts = frozenset(_stem_start(x) for x in indexed)
            self._indexed, self._word_index = frozenset(indexed), {}
        cache, out = self._word_index, {}
        for word in _EN_TOKEN.findall(en_text):
            found = cache.get(word)
            if found is None:  # Japan is japan
                low = word.lower()
                found = cache.get(low)
                if found is None:
                    found = cache[low] = (tuple(s for s in _word_stems(low, self._starts)
                                                if s in self._indexed), low.strip("-'"))
                cache[word] = found
            for s in found[0]:
                out.setdefault(s, found[1])
        return out

    def _glossary_hits(self, en_text: str, terms: frozenset[str]) -> dict[str, str]:
        """``self.glossary.en_hits(en_text, terms)``, with the entries each press
        word may start kept per word (most start none of ``terms``)."""
        if terms is not self._among and terms != self._among:
            self._among, self._starting = terms, {}
        starting, glossary = self._starting, self.glossary
        low = en_text.lower()
        possible: set[str] = set()
        for word in set(_WORD_PART.findall(low)):
            entries = starting.get(word)
            if entries is None:
                entries = starting[word] = _entries_starting(glossary, word) & terms
            if entries:
                possible |= entries
        return glossary.hits_among(low, possible)

    def from_dictionary(self, term: str) -> bool:
        """Whether ``term`` is a JMdict word the project glossary lacks."""
        return term not in self.glossary.entries

    def shared(self, ja_text: str, en_text: str) -> list[tuple[str, str]]:
        """``(japanese, english)`` pairs the two texts share."""
        return list(self.en_hits(en_text, self.ja_terms(ja_text)).items())
