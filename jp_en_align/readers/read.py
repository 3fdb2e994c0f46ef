"""The entrance: :func:`read_document` picks the reader by the file's content."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .detect import sniff
from .document import Document
from .errors import DocumentError
from .plain import canonical, decode


def read_document(path: str | os.PathLike, encoding: str | None = None) -> Document:
    """Read a PDF, Word ``.docx``, HTML page or text file for segmentation.

    The format is judged by the bytes (a PDF named ``.txt`` is read as a
    PDF). Text files: the encoding is detected (UTF-8 with or without BOM,
    UTF-16, cp932/Shift_JIS, EUC-JP, ISO-2022-JP, others via
    charset-normalizer) unless ``encoding`` is given; the one used is
    ``Document.encoding``. ``encoding`` also applies to HTML files.

    Raises :class:`~jp_en_align.readers.DocumentError` (a ``ValueError``) with
    what is wrong and what to do: a missing file, a scanned or encrypted
    PDF, an old binary ``.doc``, bytes that fit no encoding.

    Example:
        >>> doc = read_document("statement.pdf")  # doctest: +SKIP
        >>> doc.format, doc.pages, sum(s.is_body for s in doc.sentences("ja")) # doctest: +SKIP
        ('pdf', 5, 73)
    """
    source = os.fspath(path)
    return read_bytes(read_file(source), source, encoding)


def read_file(path: str | os.PathLike, name: str | None = None) -> bytes:
    """The bytes of ``path``; a missing, unreadable or directory path is a
    :class:`DocumentError` that calls it ``name`` (default: the path)."""
    name = name or os.fspath(path)
    try:
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            # /dev/zero never ends and a FIFO waits for a writer: never opened
            raise DocumentError(f"{name} is not a regular file (a device, FIFO or socket); "
                                "give a file")
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{name} does not exist") from None
    except IsADirectoryError:
        raise DocumentError(f"{name} is a directory; give a file") from None
    except OSError as e:
        raise DocumentError(f"cannot read {name}: {e.strerror}") from None


def read_bytes(data: bytes, source: str = "<bytes>", encoding: str | None = None) -> Document:
    """:func:`read_document` for content already in memory (stdin, a download).

    Example:
        >>> doc = read_bytes("両首脳は一致した。".encode("euc-jp"))
        >>> doc.format, doc.encoding, doc.text
        ('text', 'euc-jp', '両首脳は一致した。')
    """
    if encoding is not None:
        canonical(encoding)  # an unknown name fails first, whatever the file
    kind = sniff(data, source)
    if kind == "pdf":
        from .pdf import read_pdf

        text, pages, outline = read_pdf(data, source)
        return Document(text, "pdf", source, pages=pages, outline=outline)
    if kind == "docx":
        from .word import read_docx

        return Document.from_parts(read_docx(data, source), "docx", source)
    if kind == "doc":
        raise DocumentError(
            f"{source} is an old binary Word (.doc) file, which cannot be read directly: "
            "convert it to .docx, e.g. libreoffice --headless --convert-to docx "
            f"{Path(source).name} (or save it as .docx from Word)")
    if kind == "html":
        from .web import read_html

        return Document.from_parts(read_html(data, source, encoding), "html", source)
    if kind in ("zip", "binary"):
        what = "a zip archive that is not .docx" if kind == "zip" else "binary data"
        raise DocumentError(f"{source} is not a document this library reads ({what}): "
                            "give a PDF, .docx, HTML or text file")
    text, used = decode(data, encoding, source)
    return Document(text, "text", source, encoding=used)
