"""What a reader returns: the text of a file, and its structure where the format has one.

Two kinds of document come out of the readers:

* *laid-out text* (PDF, plain text): ``parts`` is empty and ``text`` holds
  the lines as they were laid out; the segmenter rebuilds paragraphs,
  headings, page furniture and numbered paragraphs from the layout
  (:mod:`jp_en_align.text.layout`).
* *structured text* (Word, HTML): the file says what is a heading and where a
  paragraph ends, so ``parts`` lists them; ``text`` is the parts one per
  line (with their list numbers), and each sentence's span points into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..text.normalize import normalize
from ..text.segment import is_date_line, paragraph_marker, segment_en, segment_ja
from ..text.sentence import KINDS, Sentence


# a signature line's names and titles stand apart by a tab or two spaces or more
_CELL_GAP = re.compile(r"\s*\t\s*|[ \u3000]{2,}|\u3000")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。．！？!?]")


def _signature_line(text: str) -> bool:
    """A short line that is no sentence (a name, a title), as under a date."""
    return len(text) <= 40 and _SENTENCE_END.search(text) is None


@dataclass(frozen=True, slots=True)
class Part:
    """One paragraph-level unit of a structured document.

    ``kind`` is one of :data:`~jp_en_align.text.sentence.KINDS`; ``number`` the
    list or paragraph number a body part carries (``marker`` is how it was
    written, e.g. ``"１ "``); ``cell`` marks the text of one table cell.
    """

    kind: str
    text: str
    number: int | None = None
    marker: str = ""
    cell: bool = False


@dataclass(frozen=True)
class Document:
    """A file read for segmentation (see :func:`~jp_en_align.readers.read_document`).

    Attributes:
        text: the document's text (laid out, or the parts one per line).
        format: ``"pdf"``, ``"docx"``, ``"html"`` or ``"text"``.
        source: the path it was read from.
        encoding: the text encoding used (detected or given) for text files,
            else None.
        parts: the structure of Word and HTML documents; empty for laid-out text.
        pages: the number of pages of a PDF, else None.
        outline: the titles of a PDF's outline (bookmarks): a unit of the
            laid-out text that is one of them is a ``"heading"``, whatever its
            layout suggested.

    Example:
        >>> doc = Document.from_parts([Part("heading", "政治"), Part("body", "合意した。", 1, "１ ")],
        ...                           "docx", "a.docx")
        >>> print(doc.text, end="")
        政治
        １ 合意した。
        >>> [(s.kind, s.paragraph, s.text, s.span) for s in doc.sentences("ja")]
        [('heading', None, '政治', (0, 2)), ('body', 1, '合意した。', (5, 10))]
    """

    text: str
    format: str
    source: str
    encoding: str | None = None
    parts: tuple[Part, ...] = field(default=())
    pages: int | None = None
    outline: tuple[str, ...] = field(default=())

    @classmethod
    def from_parts(cls, parts: list[Part], format: str, source: str) -> "Document":
        """A structured document; paragraph numbers written in the text are read
        (in sequence only: ``3 国間`` opening a paragraph is not paragraph 3),
        a short date line becomes ``"date"``, and what follows it ``"signature"``:
        table cells, and short lines that are no sentence (one unit per name or
        title when a line sets them apart with a tab or wide spaces).

        Example:
            >>> doc = Document.from_parts([Part("body", "2025 年 1 月 21 日 東京にて署名"),
            ...                            Part("body", "石破茂\tソーンサイ・シーパンドン")], "docx", "a")
            >>> [(s.kind, s.text) for s in doc.sentences("ja")]
            [('date', '2025 年 1 月 21 日 東京にて署名'), ('signature', '石破茂'), ('signature', 'ソーンサイ・シーパンドン')]
        """
        out: list[Part] = []
        last_number = None
        date_seen = False
        for p in parts:
            kind, text, number, marker = p.kind, p.text.strip(), p.number, p.marker
            if not text:
                continue
            if kind == "body" and number is None and not p.cell:
                found = paragraph_marker(text)
                if found and (found[0] == 1 or found[0] == (last_number or 0) + 1):
                    number, marker, text = found[0], text[:found[1]], text[found[1]:]
            if kind == "body" and is_date_line(text):
                kind, date_seen = "date", True
            elif kind == "body" and date_seen and (p.cell or _signature_line(text)):
                kind = "signature"
            elif kind != "body" or not p.cell:
                date_seen = False
            if number is not None:
                last_number = number
            if kind == "signature" and not p.cell:
                out.extend(Part(kind, cell) for cell in _CELL_GAP.split(text))
                continue
            out.append(Part(kind, text, number, marker, p.cell))
        return cls("\n".join(p.marker + p.text for p in out) + ("\n" if out else ""),
                   format, source, parts=tuple(out))

    def sentences(self, lang: str = "ja") -> list[Sentence]:
        """The document split into sentences and layout units, in order.

        Laid-out text goes through ``segment_ja``/``segment_en`` whole (a body
        unit that is a title of the PDF's outline becomes a ``"heading"``); in
        a structured document each body part is split on its own (a paragraph
        never runs into the next), and headings, titles, date and signature
        parts are one unit each, with their kind.
        """
        segment = segment_ja if lang == "ja" else segment_en
        if not self.parts:
            units = segment(self.text)
            if not self.outline:
                return units
            titles = {_SPACES.sub("", t) for t in self.outline}
            return [replace(s, kind="heading", paragraph=None) if s.kind == "body"
                    and _SPACES.sub("", s.text) in titles else s for s in units]
        out: list[Sentence] = []
        pos = 0
        for p in self.parts:
            start = pos + len(p.marker)
            pos = start + len(p.text) + 1
            if p.kind == "body":
                pieces = [(s.text, s.normalized, s.span, "body") for s in segment(p.text)]
            else:
                assert p.kind in KINDS, p.kind
                pieces = [(p.text, None, (0, len(p.text)), p.kind)]
            for text, normalized, (a, b), kind in pieces:
                out.append(Sentence(
                    text=text, normalized=normalized if normalized is not None
                    else normalize(text, lang), index=len(out), span=(start + a, start + b),
                    kind=kind, paragraph=p.number if kind == "body" else None, lang=lang))
        return out
