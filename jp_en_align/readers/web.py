"""HTML pages: the main text only, with the structure the page declares.

trafilatura (Apache-2.0 since 1.8; 2.x is installed) finds the article in
the page and drops menus, cookie banners, related links and footers; its XML
output keeps headings (``<head rend="h1">``), paragraphs, list items and
table cells apart. Bytes are decoded here (trafilatura would read a
Shift_JIS page with the strict JIS table; browsers use cp932). Metadata
extraction (dates, authors) is off: it costs seconds a page and nothing here
uses it.

What trafilatura keeps is then checked against the page's own markup
(:class:`_Markup`), so that what the page declares never passes for body
text, whichever of trafilatura's extractors (its own, or the readability and
jusText fallbacks, which flatten headings to paragraphs) found the text:

* ``<h1>`` text is a ``"title"``, ``<h2>``–``<h6>`` a ``"heading"``;
* text only found inside ``<header>`` is a title or heading (a date line a
  ``"date"``), inside ``<footer>`` a ``"signature"``; inside ``<nav>`` or
  ``<aside>`` it is left out;
* ``<title>`` is the page's metadata, not its text: it is not a unit.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from itertools import groupby

from .document import Part
from .errors import DocumentError, needs
from .plain import decode
from ..text.segment import is_date_line

_SPACE = re.compile(r"\s+")
_FURNITURE = ("header", "footer", "nav", "aside")
_HEADINGS = {f"h{i}": ("title" if i == 1 else "heading") for i in range(1, 7)}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels whose bytes browsers decode with a superset (the WHATWG encoding standard).
_BROWSER_READS = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                  "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932"}


def read_html(data: bytes, source: str, encoding: str | None = None) -> list[Part]:
    """The parts of the page's main text, in order."""
    from lxml import etree

    trafilatura = needs("trafilatura", "trafilatura", "HTML")
    page = _decode_page(data, encoding, source)
    try:
        xml = trafilatura.extract(page, output_format="xml", include_tables=True,
                                  include_comments=False, include_links=False,
                                  with_metadata=False, deduplicate=False, favor_recall=True)
    except ImportError as e:  # jusText's fallback needs lxml.html.clean, a package of its own
        package = "lxml_html_clean" if "html.clean" in str(e) or "html_clean" in str(e) \
            else (e.name or "the missing module")
        raise ImportError(f"reading {source} needs {package}, which is missing ({e}): "
                          f"pip install {package}") from None
    if not xml:
        raise DocumentError(f"{source} is an HTML page without a main text that could be "
                            "found: save the article's text (or print the page to PDF) and "
                            "read that")
    markup = _Markup(page)
    root = etree.fromstring(xml.encode("utf-8"))
    parts: list[Part] = []
    for el in root.iter("head", "p", "item", "cell"):
        if el.tag == "p" and el.getparent() is not None and el.getparent().tag in ("item", "cell"):
            continue  # read with its list item or cell
        text = " ".join("".join(el.itertext()).split())
        if not text:
            continue
        kind = ("title" if el.get("rend") == "h1" else "heading") if el.tag == "head" else "body"
        kind = markup.kind(text, kind)
        if kind is not None:
            parts.append(Part(kind, text, cell=el.tag == "cell" and kind == "body"))
    return markup.restore_repeats(parts, source)


class _Markup:
    """What the page's own tags say about a text: heading level, or furniture."""

    def __init__(self, page: str) -> None:
        import lxml.html

        try:
            root = lxml.html.document_fromstring(page)
        except (ValueError, lxml.etree.ParserError):
            root = None
        self.headings: dict[str, str] = {}
        self.furniture: dict[str, str] = {}  # container tag -> its text, spaces removed
        self.text = ""  # the page's text outside head and furniture, spaces removed
        self.counts: Counter[str] = Counter()  # each paragraph's text: how often the page has it
        self.runs: dict[str, int] = {}  # ... and the longest run of it, one after another
        if root is None:
            return
        paragraphs = [_key(el.text_content()) for el in root.iter("p", "li")
                      if next(el.iter("p", "li"), None) is el and len(el.xpath(".//p|.//li")) == 0]
        self.counts.update(paragraphs)
        for key, group in groupby(paragraphs):
            self.runs[key] = max(self.runs.get(key, 0), len(list(group)))
        for el in root.iter(*_HEADINGS):
            self.headings.setdefault(_key(el.text_content()), _HEADINGS[el.tag])
        for el in list(root.iter("head", "script", "style", "template", "noscript")):
            if el.getparent() is not None:
                el.drop_tree()
        chunks = {tag: [] for tag in _FURNITURE}
        for el in list(root.iter(*_FURNITURE)):
            if el.getparent() is None or any(a.tag in _FURNITURE for a in el.iterancestors()):
                continue  # inside another one: read with it
            chunks[el.tag].append(_key(el.text_content()))
            el.drop_tree()
        self.furniture = {tag: "\n".join(c) for tag, c in chunks.items() if c}
        self.text = _key(root.text_content())

    def restore_repeats(self, parts: list[Part], source: str) -> list[Part]:
        """The extractor keeps one of identical paragraphs: put back those the
        page has one after another (a repeated line is text to align), and warn
        of any other paragraph it dropped."""
        have = Counter(_key(p.text) for p in parts)
        out: list[Part] = []
        for part in parts:
            out.append(part)
            key = _key(part.text)
            missing = min(self.counts[key] - have[key], self.runs.get(key, 1) - 1)
            if missing > 0:
                out.extend([part] * missing)
                have[key] += missing
        lost = sum(max(0, self.counts[key] - n) for key, n in have.items())
        if lost:
            warnings.warn(f"{source}: the main-text extractor left out {lost} repeated "
                          "paragraph(s) of the page; check the result, or save the article's "
                          "text and read that", stacklevel=4)
        return out

    def kind(self, text: str, kind: str) -> str | None:
        """The unit kind for ``text`` (None: leave it out)."""
        key = _key(text)
        if key in self.headings:
            return self.headings[key]
        if kind != "body" or not key:
            return kind
        # furniture first: it is short, the page's text may be long
        tag = next((t for t in _FURNITURE if key in self.furniture.get(t, "")), None)
        if tag is None or key in self.text:
            return kind
        if tag == "header":
            return "date" if is_date_line(text) else "heading"
        return "signature" if tag == "footer" else None


def _key(text: str) -> str:
    return _SPACE.sub("", text)


def _decode_page(data: bytes, encoding: str | None, source: str) -> str:
    """The page as text: the given encoding, else the one the page declares
    (``<meta charset>``; Shift_JIS read as cp932, as browsers do), else detected."""
    if encoding is None:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii").lower() if m else None
        declared = _BROWSER_READS.get(declared, declared)
        if declared:
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown declaration: detect instead
    return decode(data, encoding, source)[0]
