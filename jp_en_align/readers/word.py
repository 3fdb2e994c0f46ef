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
import zipfile
import zlib

from .document import Part
from .errors import DocumentError, needs

_HEADING = re.compile(r"(?i)heading\s*\d|見出し|^toc\s*(heading|\d)|^目次|^caption$|^図表番号$")
_TITLE = re.compile(r"(?i)^(title|subtitle|表題|副題)$")
_DATE = re.compile(r"(?i)^(date|日付)$")
_SIGNATURE = re.compile(r"(?i)^(signature|e-mail signature|closing|署名|電子メール署名|結語)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


#: most XML a .docx may unpack to (its declared sizes, which zipfile enforces):
#: a 1.2 MB file holding 400 MB of XML is a zip bomb, not a document
MAX_XML_BYTES = 64 * 2**20
#: most paragraphs and tables in the body (a 500-page report has ~20,000)
MAX_BLOCKS = 300_000


def read_docx(data: bytes, source: str) -> list[Part]:
    """The parts of a ``.docx`` file in document order; a damaged, bombed or
    oversized file is a :class:`DocumentError` saying which."""
    docx = needs("docx", "python-docx", ".docx files")
    _check_sizes(data, source)
    try:
        return _read(docx, data, source)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError,
            AttributeError, IndexError, NotImplementedError, SyntaxError) as e:  # lxml: SyntaxError
        raise DocumentError(f"{source} is a damaged .docx file ({type(e).__name__}: "
                            f"{str(e).splitlines()[0][:120] if str(e) else 'no detail'}): open "
                            "and save it again in Word or LibreOffice") from None


def _check_sizes(data: bytes, source: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise DocumentError(f"{source} is a damaged .docx file ({e}): open and save it again "
                            "in Word or LibreOffice") from None
    xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        raise DocumentError(f"{source} unpacks to {xml / 2**20:,.0f} MB of XML from "
                            f"{len(data) / 2**20:,.1f} MB: more than the {MAX_XML_BYTES >> 20} MB "
                            "a document is read to (a zip bomb?); save its text as a new file")


def _read(docx, data: bytes, source: str) -> list[Part]:
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise DocumentError(f"{source} is not a readable .docx file ({e}): open and save it "
                            "again in Word or LibreOffice") from None
    body = document.element.body
    if len(body) > MAX_BLOCKS:
        raise DocumentError(f"{source} has {len(body):,} paragraphs and tables, more than the "
                            f"{MAX_BLOCKS:,} a document is read to: split it")
    numbering = _Numbering(document)
    styles = _Styles(document)
    parts: list[Part] = []
    for block in body.iterchildren():
        if block.tag == _W + "p":
            parts.append(_paragraph_part(Paragraph(block, document), numbering, styles))
        elif block.tag == _W + "tbl":
            table = Table(block, document)
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


class _Styles:
    """Paragraph styles looked up once per style id (python-docx looks the
    default style up again for every paragraph: 137 s for 66,666 paragraphs)."""

    def __init__(self, document) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.part, self.type = document.part, WD_STYLE_TYPE.PARAGRAPH
        self.kinds: dict[str | None, str] = {}
        self.num_prs: dict[str | None, object] = {}

    def style(self, style_id: str | None):
        return self.part.get_style(style_id, self.type)

    def kind(self, style_id: str | None) -> str:
        if style_id not in self.kinds:
            self.kinds[style_id] = _style_kind(self.style(style_id))
        return self.kinds[style_id]

    def num_pr(self, style_id: str | None):
        if style_id not in self.num_prs:
            style, found, seen = self.style(style_id), None, 0
            while style is not None and found is None and seen < 20:
                sppr = style.element.pPr
                found = sppr.numPr if sppr is not None else None
                style, seen = style.base_style, seen + 1
            self.num_prs[style_id] = found
        return self.num_prs[style_id]


def _paragraph_part(p, numbering: "_Numbering", styles: _Styles) -> Part:
    kind = _declared_kind(p, styles)
    if kind != "body":
        return Part(kind, p.text)
    number, marker = numbering.next(p, styles)
    return Part("body", p.text, number, marker)


def _declared_kind(p, styles: _Styles) -> str:
    """What the paragraph's style says it is: its own style or one it is based on
    (a "節見出し" style based on "Heading 1" is a heading), or an outline level
    (``w:outlineLvl`` 0-8, Word's "Level 1"-"Level 9", set on the paragraph or
    its style) for a heading in a style of any name."""
    if _outline_level(p._p.pPr) is not None:
        return "heading"
    return styles.kind(p._p.style)


def _style_kind(style) -> str:
    seen = 0
    while style is not None and seen < 20:  # a loop of based-on styles ends too
        name = style.name or ""
        if _TITLE.match(name):
            return "title"
        if _HEADING.search(name) or _outline_level(style.element.pPr) is not None:
            return "heading"
        if _DATE.match(name):
            return "date"
        if _SIGNATURE.match(name):
            return "signature"
        style, seen = style.base_style, seen + 1
    return "body"


def _outline_level(ppr) -> int | None:
    """The outline level 0-8 a paragraph's properties give it (9 is body text)."""
    el = ppr.find(_W + "outlineLvl") if ppr is not None else None
    try:
        level = int(el.get(_W + "val")) if el is not None else None
    except (TypeError, ValueError):
        return None
    return level if level is not None and 0 <= level <= 8 else None


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

    def next(self, p, styles: _Styles) -> tuple[int | None, str]:
        num_pr = _num_pr(p, styles)
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


def _num_pr(p, styles: _Styles):
    """The paragraph's list properties, its own or its style's."""
    ppr = p._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    return styles.num_pr(p._p.style)
