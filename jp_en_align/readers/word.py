"""Word ``.docx``: paragraphs, headings (by style), numbered lists, tables' text.

python-docx (MIT) reads the XML; the body is walked in document order so that
tables stay where they stand. Numbers that Word draws itself (list styles,
``w:numPr``) are not in the text: they are counted here per list and level,
as Word counts them (a level restarts when a higher level moves on; bullets
have no number).
"""

from __future__ import annotations

import io
import re

from .document import Part
from .errors import DocumentError

_HEADING = re.compile(r"(?i)heading\s*\d|見出し")
_TITLE = re.compile(r"(?i)^(title|subtitle|表題|副題)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, source: str) -> list[Part]:
    """The parts of a ``.docx`` file in document order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise DocumentError(f"{source} is not a readable .docx file ({e}): open and save it "
                            "again in Word or LibreOffice") from None
    numbering = _Numbering(document)
    parts: list[Part] = []
    for block in document.element.body.iterchildren():
        if block.tag == _W + "p":
            parts.append(_paragraph_part(docx.text.paragraph.Paragraph(block, document),
                                         numbering))
        elif block.tag == _W + "tbl":
            table = docx.table.Table(block, document)
            for row in table.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                        continue
                    seen.add(id(cell._tc))
                    for p in cell.paragraphs:
                        if p.text.strip():
                            parts.append(Part("body", p.text, cell=True))
    return [p for p in parts if p.text.strip()]


def _paragraph_part(p, numbering: "_Numbering") -> Part:
    style = p.style.name if p.style is not None else ""
    if _TITLE.match(style):
        return Part("title", p.text)
    if _HEADING.search(style):
        return Part("heading", p.text)
    number, marker = numbering.next(p)
    return Part("body", p.text, number, marker)


class _Numbering:
    """Word's automatic list numbers: one counter per list and level."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], str] = {}  # (numId, level) -> numFmt
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            a = abstract.get(ref.get(_W + "val")) if ref is not None else None
            for lvl in (a.iter(_W + "lvl") if a is not None else ()):
                fmt = lvl.find(_W + "numFmt")
                self.formats[(num.get(_W + "numId"), int(lvl.get(_W + "ilvl")))] = \
                    fmt.get(_W + "val") if fmt is not None else "decimal"

    def next(self, p) -> tuple[int | None, str]:
        num_pr = _num_pr(p)
        if num_pr is None:
            return None, ""
        num_id_el, ilvl_el = num_pr.find(_W + "numId"), num_pr.find(_W + "ilvl")
        num_id = num_id_el.get(_W + "val") if num_id_el is not None else None
        level = int(ilvl_el.get(_W + "val")) if ilvl_el is not None else 0
        if num_id in (None, "0"):
            return None, ""
        fmt = self.formats.get((num_id, level), "decimal")
        if fmt in ("bullet", "none"):
            return None, ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[level] += 1
        counts[level + 1:] = [0] * (8 - level)
        return counts[level], f"{counts[level]}. "


def _num_pr(p):
    """The paragraph's list properties, its own or its style's."""
    ppr = p._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = p.style
    while style is not None:
        sppr = style.element.pPr
        if sppr is not None and sppr.numPr is not None:
            return sppr.numPr
        style = style.base_style
    return None
