"""Content words a Japanese and an English sentence share, found with the
sentence encoder itself: each word is embedded alone, and an English word and
a Japanese word are counterparts when their similarity stands far above that
of unrelated word pairs (格上げ ~ elevating, 周年 ~ anniversary, 防衛 ~ defense).

Press comparison uses this twice: as evidence shown to the reader, and to see
how much of a press sentence the official text actually says (its *coverage*):
a same-topic story ("grant aid for provincial teachers") can sit close to an
official sentence as a whole while hardly any of its words has a counterpart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text.tokens import tokenize_ja

_EN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")
_EN_STOP = frozenset("""a an the and or but of to in on at by for with from as is are was were be
been being has have had it its this that these those their there they them he she his her we our
you your i not no also which who whom whose will would can could should may might must said says
say into over under about after before between during than then such more most other some any all
each both either mr mrs ms dr h.e do does did so if while when where what how why just only very
us him me my one two new year years time way well even still like get got make made""".split())
# nouns that carry no content of their own
_JA_STOP = frozenset("こと もの ため 等 よう 方 際 上 中 間 点 旨 件 側 下 他 的 とも".split())
_JA_CONTENT = {("名詞", "普通名詞"), ("名詞", "固有名詞"), ("動詞", "一般"), ("形容詞", "一般"),
               ("形状詞", "一般")}


def english_words(text: str) -> tuple[str, ...]:
    """Lower-cased content words of an English sentence, each once, in order.

    Example:
        >>> english_words("The leaders agreed to upgrade the relationship.")
        ('leaders', 'agreed', 'upgrade', 'relationship')
    """
    words = (w.lower().strip("-'") for w in _EN_WORD.findall(text))
    return tuple(dict.fromkeys(w for w in words if len(w) >= 3 and w not in _EN_STOP))


def _is_content(surface: str, pos: tuple[str, ...]) -> bool:
    if pos[:2] not in _JA_CONTENT or surface in _JA_STOP:
        return False
    if re.fullmatch(r"[ぁ-ゖ]{1,2}", surface):  # において's おい, いる
        return False
    # a lone kanji counts only if it is not a counter (年, 月, 回)
    return len(surface) >= 2 or (pos[0] == "名詞" and pos[2] != "助数詞可能")


def japanese_words(text: str) -> tuple[str, ...]:
    """Content words (nouns, verbs, adjectives) of a Japanese sentence, each once.

    Example:
        >>> japanese_words("両首脳は政治対話を促進することで一致した。")
        ('首脳', '政治', '対話', '促進', '一致')
    """
    words = []
    for t in tokenize_ja(text):
        if _is_content(t.surface, t.pos):
            words.append(t.surface)
            # a long name's pieces carry meaning too: ラオス人民民主共和国 -> 人民, 民主
            words += [p for p, _ in t.parts if len(t.parts) > 1 and len(p) >= 2]
    return tuple(dict.fromkeys(words))


@dataclass(frozen=True)
class WordOverlap:
    """Counterparts found between one English and one Japanese sentence."""

    pairs: tuple[tuple[str, str], ...]  # (japanese, english), strongest first
    coverage: float  # share of the English content words that have a counterpart


class WordMatcher:
    """Finds counterpart words between English and Japanese sentences.

    Build it once per comparison with every word either side uses; it embeds
    each distinct word once and calibrates word similarity on the pairs of
    those words (nearly all unrelated), so its threshold is in "standard
    deviations above an unrelated word pair", whatever the encoder's scale.

    Example:
        >>> m = WordMatcher(load_encoder(), ["defense", "dialogue", "tourism"],
        ...                 ["防衛", "対話", "首脳"])                  # doctest: +SKIP
        >>> m.overlap(("defense", "dialogue"), ("防衛", "対話")).coverage  # doctest: +SKIP
        1.0
    """

    def __init__(self, encoder: Any, english: list[str], japanese: list[str],
                 threshold: float = 4.5, sample: int = 200_000, seed: int = 0) -> None:
        english = list(dict.fromkeys(english))
        japanese = list(dict.fromkeys(japanese))
        self._en = {w: i for i, w in enumerate(english)}
        self._ja = {w: i for i, w in enumerate(japanese)}
        self._en_vecs = encoder.encode(english) if english else np.zeros((0, 1), np.float32)
        self._ja_vecs = encoder.encode(japanese) if japanese else np.zeros((0, 1), np.float32)
        self.threshold = threshold
        self._has: dict[int, bool] = {}
        self.centre, self.spread = 0.0, 1.0
        if english and japanese:
            rng = np.random.default_rng(seed)
            n, m = len(english), len(japanese)
            if n * m <= sample:
                null = (self._en_vecs @ self._ja_vecs.T).ravel()
            else:
                ii, jj = rng.integers(0, n, sample), rng.integers(0, m, sample)
                null = np.einsum("ij,ij->i", self._en_vecs[ii], self._ja_vecs[jj])
            self.centre = float(np.median(null))
            mad = float(np.median(np.abs(null - self.centre))) * 1.4826
            self.spread = mad if mad > 1e-6 else 1.0

    def has_counterpart(self, english_word: str) -> bool:
        """Whether some Japanese word strongly resembles ``english_word`` (a
        word of the vocabulary the matcher was built with)."""
        i = self._en.get(english_word)
        if i is None or not len(self._ja):
            return False
        if i not in self._has:
            best = float((self._ja_vecs @ self._en_vecs[i]).max())
            self._has[i] = (best - self.centre) / self.spread >= self.threshold
        return self._has[i]

    def overlap(self, english: tuple[str, ...], japanese: tuple[str, ...]) -> WordOverlap:
        """Mutually best, strongly similar word pairs and the English coverage."""
        en = [w for w in english if w in self._en]
        ja = [w for w in japanese if w in self._ja]
        if not en or not ja:
            return WordOverlap((), 0.0)
        sims = self._en_vecs[[self._en[w] for w in en]] @ self._ja_vecs[[self._ja[w] for w in ja]].T
        z = (sims - self.centre) / self.spread
        best_ja, best_en = z.argmax(1), z.argmax(0)
        pairs = sorted(((z[i, j], ja[j], en[i]) for i, j in enumerate(best_ja)
                        if best_en[j] == i and z[i, j] >= self.threshold), reverse=True)
        return WordOverlap(tuple((j, e) for _, j, e in pairs), len(pairs) / len(en))
