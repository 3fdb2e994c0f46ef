"""What kind of file a byte string is, judged by its content (magic bytes).

Extensions lie (a ``.txt`` that is a PDF, an ``.html`` saved as ``.doc``), so
the bytes decide; the file name is used only to tell a ``.docx`` from other
zip files when the zip's table of contents is unusual.
"""

from __future__ import annotations

import io
import re
import zipfile

#: The formats :func:`sniff` can tell apart.
FORMATS = ("pdf", "docx", "doc", "html", "text", "zip", "binary")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, .xls, .ppt
_HTML = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                   re.IGNORECASE | re.DOTALL)
# An HTML fragment (what a CMS exports, a saved <div>): a block tag first and a closing tag soon
_FRAGMENT = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:div|p|section|article|main|header|footer|"
                       rb"table|ul|ol|dl|h[1-6]|blockquote|pre|span|font|center|figure|form)\b"
                       rb"[^<>]*>", re.IGNORECASE | re.DOTALL)
_CLOSING = re.compile(rb"</(?:div|p|section|article|main|header|footer|table|ul|ol|dl|h[1-6]|"
                      rb"blockquote|pre|span|font|center|figure|form|li|td|a|b|i|em|strong)\s*>",
                      re.IGNORECASE)
# Binary signatures of formats that are certainly not text (images, archives, executables).
_BINARY = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf",
           b"\x7fELF", b"MZ", b"Rar!", b"II*\x00", b"MM\x00*", b"\xfd7zXZ")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes, name: str = "") -> str:
    """One of :data:`FORMATS` for the file content ``data``.

    Example:
        >>> sniff(b"%PDF-1.7 ..."), sniff(b"<!DOCTYPE html><html>"), sniff("日本".encode("cp932"))
        ('pdf', 'html', 'text')
    """
    head = data[:1024]
    if head.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE2):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data, name) else "zip"
    ascii_head = _as_ascii(head)
    if _HTML.match(ascii_head) or _FRAGMENT.match(ascii_head) and _CLOSING.search(
            _as_ascii(data[:65536])):
        return "html"
    if head.startswith(_BINARY) and not head.startswith(_BOMS):
        return "binary"
    return "text"


def _is_docx(data: bytes, name: str) -> bool:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return name.lower().endswith(".docx")
    return "word/document.xml" in names


def _as_ascii(head: bytes) -> bytes:
    """The head of a possibly UTF-16 file with the zero bytes dropped, for the HTML test."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if head[:200].count(b"\x00") > 50:
        head = head.replace(b"\x00", b"")
    return head
