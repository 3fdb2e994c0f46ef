"""What the aligner takes in: both sides through the package's one entrance
(raw text is segmented, a file is read, a list is used as given) with their
languages checked once, and the encoder's vectors checked before the search
relies on them."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..embed.encoder import Encoder
from ..readers.sides import as_sentences
from ..text.languages import check_languages
from ..text.sentence import Sentence


def check_embeddings(X: np.ndarray, texts: Sequence[str], side: str, encoder: Encoder) -> None:
    if not np.isfinite(X).all():
        k = int(np.flatnonzero(~np.isfinite(X).all(axis=1))[0])
        raise ValueError(f"encoder {encoder.name!r} returned NaN or infinite values for {side} "
                         f"sentence {k} ({texts[k][:40]!r}); check the model")
    norms = np.linalg.norm(X, axis=1)
    bad = np.flatnonzero((norms == 0) & np.array([bool(t.strip()) for t in texts], bool))
    if len(bad):
        k = int(bad[0])
        raise ValueError(f"encoder {encoder.name!r} returned a zero vector for {side} sentence "
                         f"{k} ({texts[k][:40]!r}); the aligner needs a direction for every "
                         "non-empty sentence: check the model")


def read_sides(ja: Any, en: Any, src_lang: str, tgt_lang: str,
               encoding: str | None = None) -> tuple[list[Sentence], list[Sentence]]:
    """Both sides through the entrance (:func:`~jp_en_align.readers.as_sentences`)
    and their languages checked once (:func:`~jp_en_align.text.languages.check_languages`):
    two raw texts before they are segmented (a swapped 10 MB pair is told at
    once), anything else once read.

    Example:
        >>> src, tgt = read_sides("猫。犬。", ["Cat.", "Dog."], "ja", "en")
        >>> len(src), len(tgt)
        (2, 2)
    """
    check = (src_lang, tgt_lang) == ("ja", "en")
    if check and isinstance(ja, str) and isinstance(en, str):
        check_languages(ja, en, stacklevel=4)
        check = False
    src = as_sentences(ja, src_lang, encoding, what="ja")
    tgt = as_sentences(en, tgt_lang, encoding, what="en")
    if check:
        check_languages(src, tgt, stacklevel=4)
    return src, tgt
