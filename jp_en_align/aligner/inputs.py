"""What the aligner takes in: each side turned into sentences (raw text is
segmented, a file is read, a list is used as given), and the encoder's
vectors checked before the search relies on them."""

from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from ..embed.encoder import Encoder
from ..text.normalize import check_sentence_list
from ..text.sentence import Sentence, check_sentences


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


def as_sentences(x: Any, lang: str, side: str) -> list[Sentence]:
    if isinstance(x, os.PathLike):  # a file: PDF, .docx, HTML, text (a str is text, never a path)
        if lang not in ("ja", "en"):
            raise ValueError(f"{side} is a file in {lang!r}; only 'ja' and 'en' files are read "
                             "here: pass its sentences as a list instead")
        from ..readers import read_document

        return read_document(x).sentences(lang)
    if isinstance(x, str):
        from ..text import segment as segmenting

        if lang == "ja":
            return segmenting.segment_ja(x)
        if lang == "en":
            return segmenting.segment_en(x)
        raise ValueError(f"{side} is a string in {lang!r}; only 'ja' and 'en' text is segmented "
                         "here: pass a list of sentences instead")
    if x is None or isinstance(x, (bytes, bytearray)) or not hasattr(x, "__iter__"):
        raise TypeError(f"{side} is {type(x).__name__}; pass a str (raw text) or a list of "
                        "sentences (str or Sentence)")
    check_sentence_list(x, side)
    items = list(x)
    if items and all(isinstance(s, Sentence) for s in items):
        check_sentences(items, side)
        return items
    return Sentence.from_texts(items, lang)
