"""The sentence object every stage of the pipeline passes along.

Segmentation makes them, embedding reads ``.normalized``, the aligner and the
corpus refer to them by ``.index``, exports print ``.text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import check_encodable, normalize

#: Unit kinds a segmenter can give. Only ``"body"`` units are running text;
#: the others come from the layout of the document (a PDF's title lines,
#: section headings, the date/place line, the signature block).
KINDS = ("body", "heading", "title", "date", "signature")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or layout unit) of a document, knowing where it came from.

    Attributes:
        text: the sentence as a reader sees it: the original characters with
            the layout's wrapping line breaks removed.
        normalized: the form used for embedding and matching (NFKC, spaces the
            PDF put between Japanese characters and numbers removed).
        index: 0-based position in the list the segmenter returned.
        span: ``(start, end)`` character offsets in the original input.
        kind: one of :data:`KINDS`.
        paragraph: the numbered paragraph this sentence belongs to, if any.
        lang: ``"ja"`` or ``"en"`` (or another code for other languages).

    Example:
        >>> s = Sentence(text="両首脳は一致した。", normalized="両首脳は一致した。",
        ...              index=0, span=(0, 9), lang="ja")
        >>> s.kind, s.is_body
        ('body', True)
    """

    text: str
    normalized: str
    index: int
    span: tuple[int, int]
    kind: str = "body"
    paragraph: int | None = None
    lang: str = ""

    @property
    def is_body(self) -> bool:
        """True for running text, False for titles, headings, dates, signatures."""
        return self.kind == "body"

    def __str__(self) -> str:
        return self.text

    @classmethod
    def from_texts(cls, texts: list[str], lang: str) -> list["Sentence"]:
        """Wrap a list of already-split sentences (used as given, not re-split).

        Spans index into the texts joined with newlines, as if each had been
        one line of an input file.

        Example:
            >>> [s.span for s in Sentence.from_texts(["A.", "B."], "en")]
            [(0, 2), (3, 5)]
        """
        out, pos = [], 0
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(
                    f"sentence {i} is {type(t).__name__}, expected str: pass a list of strings")
            check_encodable(t, f"{lang} sentence {i}")
            out.append(cls(text=t, normalized=normalize(t, lang), index=i,
                           span=(pos, pos + len(t)), lang=lang))
            pos += len(t) + 1
        return out


def check_sentences(sentences: list[Sentence], what: str) -> None:
    """Raise ValueError if a given :class:`Sentence` holds a lone surrogate
    (see :func:`~jp_en_align.text.normalize.check_encodable`).

    Example:
        >>> check_sentences(Sentence.from_texts(["Cat."], "en"), "en")
    """
    for i, s in enumerate(sentences):
        check_encodable(s.text, f"{what} sentence {i}")
        check_encodable(s.normalized, f"{what} sentence {i} (normalized)")
