"""HTML pages: the main text only, headings kept, navigation and banners left out.

trafilatura (Apache-2.0 since 1.8; 2.x is installed) finds the article in
the page and drops menus, cookie banners, related links and footers; its XML
output keeps headings (``<head rend="h1">``), paragraphs, list items and
table cells apart. The page title (``<title>``) becomes the first unit when
the article does not already start with it. Metadata extraction (dates,
authors) is off: it costs seconds a page and nothing here uses it.
"""

from __future__ import annotations

import re

from .document import Part
from .errors import DocumentError
from .plain import decode

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def read_html(data: bytes, source: str, encoding: str | None = None) -> list[Part]:
    """The parts of the page's main text, in order."""
    import trafilatura
    from lxml import etree

    page: bytes | str = data if encoding is None else decode(data, encoding, source)[0]
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
    title = _page_title(data if isinstance(page, bytes) else page.encode("utf-8"))
    if title and not any(p.text == title for p in parts[:3]):
        parts.insert(0, Part("title", title))
    return parts


def _page_title(data: bytes) -> str:
    import html

    m = _TITLE.search(data)
    if m is None:
        return ""
    raw = m.group(1)
    for enc in ("utf-8", "cp932", "euc-jp"):
        try:
            return " ".join(html.unescape(raw.decode(enc)).split())
        except UnicodeDecodeError:
            continue
    return ""
