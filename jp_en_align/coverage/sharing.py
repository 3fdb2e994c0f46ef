"""What a press sentence *may* share with each official sentence, over-estimated
cheaply, so that :class:`~jp_en_align.coverage.scoring.RowScorer` skips work
that cannot change a row: nine candidates in ten share nothing with a press
sentence of another story, and a candidate far down by cosine that shares one
name cannot come first.

The over-estimate: every name, loanword and Latin word that
:func:`~jp_en_align.aligner.evidence.shared_evidence` or
:meth:`.names.OfficialNames.shared` can find between candidate ``k`` and a press
sentence is in ``items(k) & writable(press)``, and every number in
``numbers(k, press)``. A press word may write a term when its sound key is
alike one of the term's (:class:`.names.SoundKeys`, whatever its case) or it is
the term's exonym (Japan for 日本); it may write a name of the official text
when :class:`.names.OfficialNames` says so.

Example:
    >>> texts = ["チャオ・アヌウォン・スタジアムを改修する。", "両首脳は会談した。"]
    >>> sharing = Sharing(texts, OfficialNames(texts))
    >>> press = "Japan will help rebuild the Chao Anouvong Stadium."
    >>> sharing.may_share(0, press), sharing.may_share(1, press)
    (True, False)
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..aligner.evidence import (_EXONYMS, _en_terms, _ja_terms, evidence_keys, latin_words,
                                quantities)
from .names import OfficialNames, SoundKeys


class Sharing:
    """The names, loanwords, Latin words and numbers of the candidate official
    sentences (``texts``), and which of them a press sentence may write (see
    the module docstring)."""

    def __init__(self, texts: list[str], names: OfficialNames) -> None:
        self._texts = texts
        self._names = names
        terms = {t for text in texts for t in _ja_terms(text)}
        self._sounds = SoundKeys(sorted({key for t in terms for key in t.keys}))
        self._surfaces: dict[str, set[str]] = {}  # sound key -> the terms that have it
        self._exonyms: dict[str, set[str]] = {}  # English word -> the terms it writes
        for t in terms:
            for key in t.keys:
                self._surfaces.setdefault(key, set()).add(t.surface)
            for w in _EXONYMS.get(t.surface, ()):
                self._exonyms.setdefault(w, set()).add(t.surface)
        self._items: dict[int, frozenset[str]] = {}
        self._word: dict[str, frozenset[str]] = {}  # press word -> the terms it may write
        # the row being scored: its press text, and what was found for it
        self._row_text: str | None = None
        self._row: dict[str, frozenset[str]] = {}
        self._quantities = [quantities(text, "ja") for text in texts]

    def items(self, k: int) -> frozenset[str]:
        """The names, loanwords and Latin words of text ``k``, in the form
        :meth:`~jp_en_align.aligner.evidence.Evidence.keys` gives them."""
        found = self._items.get(k)
        if found is None:
            text = self._texts[k]
            found = self._items[k] = frozenset(
                (evidence_keys(text) - quantities(text, "ja")) | set(self._names.surfaces(text)))
        return found

    def writable(self, press: str) -> frozenset[str]:
        """Every name, loanword and Latin word of the texts ``press`` may write
        (and a few more)."""
        return self._for_row(press, "writable",
                             lambda: self._terms_written(press) | self._names_written(press))

    def _for_row(self, press: str, what: str, find: Callable[[], frozenset[str]]
                 ) -> frozenset[str]:
        """``find()`` once per press text: rows ask about one press sentence
        many times (once per candidate), then move on to the next."""
        if self._row_text != press:
            self._row_text, self._row = press, {}
        found = self._row.get(what)
        if found is None:
            found = self._row[what] = find()
        return found

    def prepare(self, presses: Iterable[str]) -> None:
        """Find at once which terms and names the words of these press texts
        may write (what :meth:`writable` would find word by word)."""
        presses = list(presses)
        self._names.prepare(w for text in presses for w in self._names.words_of(text))
        # a word's sound key is sound_key(word): the word alone keys it
        words = {w: key for text in presses for w, key, _ in _en_terms(text)
                 if w not in self._word}
        alike = self._sounds.alike_many(list(words.values()))
        for w, key in words.items():
            self._word[w] = self._terms_of_word(w, alike[key])

    def _terms_of_word(self, word: str, keys: list[str]) -> frozenset[str]:
        return frozenset(self._exonyms.get(word, set()).union(*(self._surfaces[k] for k in keys)))

    def _terms_written(self, press: str) -> frozenset[str]:
        """The Latin words of ``press`` and the loanwords and names of the
        texts (sudachi's terms) its words may write."""
        return self._for_row(press, "terms", lambda: self._find_terms(press))

    def _find_terms(self, press: str) -> frozenset[str]:
        found, known = set(latin_words(press)), self._word
        for w, key, _ in _en_terms(press):
            terms = known.get(w)
            if terms is None:
                terms = known[w] = self._terms_of_word(w, self._sounds.alike(key))
            if terms:
                found |= terms
        return frozenset(found)

    def _names_written(self, press: str) -> frozenset[str]:
        return self._for_row(press, "names", lambda: self._names.named_in(press))

    def numbers(self, k: int, press: str) -> frozenset[str]:
        """The numbers and months text ``k`` and ``press`` both state."""
        return self._quantities[k] & self._for_row(press, "numbers",
                                                   lambda: frozenset(quantities(press, "en")))

    def may_share(self, k: int, press: str) -> bool:
        """False when text ``k`` and ``press`` surely share no evidence."""
        items = self.items(k)
        return (bool(self.numbers(k, press)) or not items.isdisjoint(self._terms_written(press))
                or not items.isdisjoint(self._names_written(press)))
