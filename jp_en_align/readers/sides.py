"""The one entrance for an input side: whatever a user passes (a file, raw
text, a list of sentences, a :class:`Document` already read) becomes a list
of :class:`Sentence`. The aligner, ``compare``, a collection's workers, the
document pairing and the CLI all take their sides through
:func:`as_sentences`, as spaCy's ``Language._ensure_doc`` turns any input
into a ``Doc``. Languages are checked by :mod:`jp_en_align.text.languages`.
"""

from __future__ import annotations

import os
from typing import Any

from ..text.languages import checked_by_caller
from ..text.normalize import check_sentence_list
from ..text.sentence import Sentence, check_sentences
from .document import Document
from .read import read_document

#: the languages :mod:`jp_en_align.text.segment` splits and the readers read
SEGMENTED = ("ja", "en")


def as_sentences(side: Any, lang: str, encoding: str | None = None, *,
                 what: str | None = None) -> list[Sentence]:
    """One input side as sentences.

    - a ``pathlib.Path`` (any ``os.PathLike``) is read by
      :func:`~jp_en_align.readers.read_document` (PDF, .docx, HTML, text in any
      Japanese encoding; ``encoding`` forces a text file's encoding) and segmented;
    - a :class:`Document` already read is segmented;
    - a ``str`` is raw text (never a path) and is segmented;
    - a list (any iterable) of str or of :class:`Sentence` is used as given,
      one sentence per item: nothing is dropped, merged or changed.

    ``what`` names the side in errors (default: ``lang``). Languages are not
    checked here: the callers check both sides together
    (:func:`~jp_en_align.text.languages.check_languages`), so segmenting
    stays quiet about them.

    Raises:
        TypeError: None, bytes, a number, a dict or a set.
        ValueError: a file or text in a language other than "ja"/"en" (pass
            its sentences as a list); :class:`~jp_en_align.readers.DocumentError`
            for a file that cannot be read; a lone surrogate in a Sentence.

    Example:
        >>> [s.text for s in as_sentences("猫が好き。犬も好き。", "ja")]
        ['猫が好き。', '犬も好き。']
        >>> [s.text for s in as_sentences(["A cat.", "A dog."], "en")]
        ['A cat.', 'A dog.']
    """
    what = what or lang
    with checked_by_caller():  # the callers check both sides at once, after this
        return _sentences(side, lang, encoding, what)


def _sentences(side: Any, lang: str, encoding: str | None, what: str) -> list[Sentence]:
    if isinstance(side, (os.PathLike, Document)):
        if lang not in SEGMENTED:
            raise ValueError(f"{what} is a file in {lang!r}; only 'ja' and 'en' files are read "
                             "here: pass its sentences as a list instead")
        doc = read_document(side, encoding) if isinstance(side, os.PathLike) else side
        return doc.sentences(lang)
    if isinstance(side, str):
        from ..text import segment as segmenting

        if lang == "ja":
            return segmenting.segment_ja(side)
        if lang == "en":
            return segmenting.segment_en(side)
        raise ValueError(f"{what} is a string in {lang!r}; only 'ja' and 'en' text is segmented "
                         "here: pass a list of sentences instead")
    if side is None or isinstance(side, (bytes, bytearray)) or not hasattr(side, "__iter__"):
        raise TypeError(f"{what} is {type(side).__name__}; pass a str (raw text), a "
                        "pathlib.Path (a file) or a list of sentences (str or Sentence)")
    check_sentence_list(side, what)
    items = list(side)
    if items and all(isinstance(s, Sentence) for s in items):
        check_sentences(items, what)
        return items
    return Sentence.from_texts(items, lang)
