"""HTML pages: the main text only, headings kept, navigation and banners left out.

trafilatura (Apache-2.0 since 1.8; 2.x is installed) finds the article in
the page and drops menus, cookie banners, related links and footers; its XML
output keeps headings (``<head rend="h1">``), paragraphs, list items and
table cells apart. Bytes are decoded here (trafilatura would read a
Shift_JIS page with the strict JIS table; browsers use cp932). The page title (``<title>``) becomes the first unit when
the article does not already start with it. Metadata extraction (dates,
authors) is off: it costs seconds a page and nothing here uses it.
"""

from __future__ import annotations

import re

from .document import Part
from .errors import DocumentError
from .plain import decode

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels whose bytes browsers decode with a superset (the WHATWG encoding standard).
_BROWSER_READS = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                  "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932"}


def read_html(data: bytes, source: str, encoding: str | None = None) -> list[Part]:
    """The parts of the page's main text, in order."""
    import trafilatura
    from lxml import etree

    page = _decode_page(data, encoding, source)
    xml = trafilatura.extract(page, output_format="xml", include_tables=True,
                              include_comments=False, include_links=False,
                              with_metadata=False, deduplicate=False, favor_recall=True)
    if not xml:
        raise DocumentError(f"{source} is an HTML page without a main text that could be "
                            "found: save the article's text (or print the page to PDF) and "
                            "read that")
    root = etree.fromstring(xml.encode("utf-8"))
    parts: list[Part] = []
    for el in root.iter("head", "p", "item", "cell"):
        if el.tag == "p" and el.getparent() is not None and el.getparent().tag in ("item", "cell"):
            continue  # read with its list item or cell
        text = " ".join("".join(el.itertext()).split())
        if not text:
            continue
        if el.tag == "head":
            parts.append(Part("title" if el.get("rend") == "h1" else "heading", text))
        else:
            parts.append(Part("body", text, cell=el.tag == "cell"))
    title = _page_title(page)
    if title and not any(p.text == title for p in parts[:3]):
        parts.insert(0, Part("title", title))
    return parts


def _page_title(page: str) -> str:
    import html

    m = _TITLE.search(page)
    return " ".join(html.unescape(m.group(1)).split()) if m else ""


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
