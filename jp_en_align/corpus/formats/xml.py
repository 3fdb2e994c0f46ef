"""XML for the TMX format: escaping text for writing, and safe parsing that
remembers line numbers for reading.

Parsing goes through defusedxml (entity declarations and external references
are refused, no DTD is fetched); a file declaring an encoding expat cannot
read (Shift_JIS, EUC-JP, ...) is decoded here first; element text is collected
without recursion, so a hostile file nesting thousands of elements is safe.

Example:
    >>> root, lines = parse_xml(b"<tmx><body><seg>a<hi>b</hi>c</seg></body></tmx>", "t.tmx")
    >>> element_text(root.find("body/seg"))
    'abc'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from .common import FormatError

# Characters XML 1.0 does not allow at all, even as &#...; references.
forbidden_chars = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"


def xml_text(text: str) -> str:
    """``text`` escaped for XML content: ``& < >`` as entities, ``\\r`` as ``&#13;`` (a
    parser would turn a raw one into ``\\n``), characters XML forbids as U+FFFD.

    Example:
        >>> xml_text("a < b & c\\x00")
        'a &lt; b &amp; c\\ufffd'
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return forbidden_chars.sub(REPLACEMENT, text.replace("\r", "&#13;"))


def xml_attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute value."""
    return (xml_text(text).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))



class _LineTreeBuilder(ET.TreeBuilder):
    """A TreeBuilder that remembers the line each element starts on (for error messages)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:  # type: ignore[override]
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.expat.CurrentLineNumber
        return element


# The encodings expat reads itself; a file declaring any other is decoded here first.
_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "latin1",
                    "us-ascii", "ascii"}
_DECLARED_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])([A-Za-z0-9._-]+)\2""")


def _as_utf8(data: bytes, name: str) -> bytes:
    """``data`` in UTF-8 with a UTF-8 declaration, if it declares an encoding expat
    cannot read (Shift_JIS, EUC-JP, ...). The declaration is on line 1, so line
    numbers stay those of the file."""
    m = _DECLARED_ENCODING.match(data)
    if m is None or m.group(3).decode("ascii").lower() in _EXPAT_ENCODINGS:
        return data
    encoding = m.group(3).decode("ascii")
    try:
        text = data.decode(encoding)
    except LookupError:
        raise FormatError(f"{name}, line 1: the file declares encoding {encoding!r}, which "
                          "Python does not know; re-save it as UTF-8") from None
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FormatError(f"{name}, line {line}: not valid {encoding} as the file declares "
                          f"(byte {data[e.start]:#04x} at offset {e.start})") from None
    return declare_utf8(text.encode("utf-8"))


def declare_utf8(data: bytes) -> bytes:
    """``data`` (UTF-8 bytes) with its XML declaration, if any, saying UTF-8."""
    return _DECLARED_ENCODING.sub(lambda d: d.group(1) + d.group(2) + b"UTF-8" + d.group(2),
                                  data, count=1)


def parse_xml(data: bytes, name: str) -> tuple[ET.Element, dict[int, int]]:
    """The root element and the line each element starts on; FormatError naming
    the line for malformed XML or refused constructs."""
    import defusedxml
    from defusedxml.ElementTree import DefusedXMLParser

    data = _as_utf8(data, name)
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        return parser.close(), builder.lines
    except ET.ParseError as e:
        line, column = e.position
        raise FormatError(f"{name}, line {line}, column {column}: not well-formed XML "
                          f"({str(e).split(':')[0]})") from None
    except defusedxml.DefusedXmlException as e:
        # The parser stopped at the declaration, so its position names the line.
        raise FormatError(f"{name}, line {builder.expat.CurrentLineNumber}: refused to read "
                          f"{type(e).__name__} ({e}): entity declarations and external "
                          "references are not allowed in a TMX file") from None



def element_text(seg: ET.Element) -> str:
    """The text of a ``seg``: inline codes (bpt, ept, ph, it, ut) dropped, ``hi`` kept.

    Walks with a stack of its own, not by recursion: a hostile file may nest
    ``hi`` thousands deep.
    """
    parts: list[str] = []
    todo: list[ET.Element | str] = [seg]  # elements to open, or tails to add, last first
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        parts.append(item.text or "")
        for child in reversed(item):
            todo.append(child.tail or "")
            if child.tag == "hi":
                todo.append(child)
    return "".join(parts)
