"""The text layer of a PDF, as lines in reading order, for the layout rebuild.

The extractor is PDFium (``pypdfium2``, BSD-3/Apache-2.0), chosen by
measuring (``benchmarks/bench_readers.py``): on the seed statement printed by
Chromium it gives the 73 sentences, like pypdf and pdfminer.six (BSD-3, MIT),
but reads about 10 times faster than either, and it maps glyphs to the
ideographs (the others give ⽇ for 日). PyMuPDF, also fast, is AGPL: not a
dependency an MIT library can take.

What this module adds to the raw characters: lines in reading order (top to
bottom, as PDFs may draw the running header last; column by column on pages
set in columns), cells of one row kept apart by a
wide space (a signature block in columns), a blank line where the vertical
gap between lines is wider than the usual line pitch (a paragraph or page
break), and no running headers, footers or page numbers (a line at the top or
bottom of most pages that is the same once digits are ignored). Whether each
remaining line break is a wrap is left to
:func:`~jp_en_align.text.segment.segment_ja`.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .errors import DocumentError, needs
from .radicals import restore_ideographs

_DIGITS = re.compile(r"[0-9０-９]+")
COLUMN_GAP = 1.5  # a horizontal gap this many character heights wide separates cells
PARAGRAPH_GAP = 1.35  # a line pitch this many times the usual one means a blank line
FURNITURE_SHARE = 0.5  # a header repeats on at least this share of the pages
COLUMN_SHARE = 0.6  # lines narrower than this share of the text width may sit in a column
MAX_SPANNING_SHARE = 0.3  # pages with more lines across the width have one column
MIN_COLUMN_LINES = 3  # lines a column needs on each side of a gutter
MIN_CHARS_PER_PAGE = 5  # fewer: the pages are images (a scan), the text layer is empty
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be furniture


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    left: float
    right: float = 0.0

    @property
    def height(self) -> float:
        return self.top - self.bottom


def read_pdf(data: bytes, source: str) -> tuple[str, int, tuple[str, ...]]:
    """``(text, pages, outline)`` of the PDF ``data``: the text layer's lines in
    reading order, furniture dropped, radical look-alikes mapped back; and the
    titles of its outline (bookmarks), if it has one.

    Raises :class:`DocumentError` for an encrypted PDF or one without a text
    layer (a scan).
    """
    pdfium = needs("pypdfium2", "pypdfium2", "PDF files")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise DocumentError(
                f"{source} is an encrypted PDF (it needs a password): open it and save or print "
                "an unprotected copy, e.g. qpdf --decrypt --password=PASS in.pdf out.pdf") from None
        raise DocumentError(f"{source} is not a readable PDF ({e}): it may be damaged or "
                            "truncated; download or export it again") from None
    try:
        pages = [_page_lines(page) for page in pdf]
        outline = _outline(pdf)
    finally:
        pdf.close()
    if sum(len(ln.text) for lines in pages for ln in lines) < MIN_CHARS_PER_PAGE * len(pages):
        raise DocumentError(
            f"{source} has no text layer ({len(pages)} page(s) of images: a scan): run OCR first, "
            "e.g. ocrmypdf -l jpn in.pdf out.pdf, then read the new PDF")
    pages = _drop_furniture(pages)
    out: list[str] = []
    pitches = [a.bottom - b.bottom for lines in pages for a, b in zip(lines, lines[1:])
               if a.bottom > b.bottom]
    usual = statistics.median(pitches) if pitches else 0.0
    for lines in pages:
        for i, ln in enumerate(lines):
            if i and usual and lines[i - 1].bottom - ln.bottom > PARAGRAPH_GAP * usual:
                out.append("")
            out.append(ln.text)
    return restore_ideographs("\n".join(out) + "\n"), len(pages), outline


def _outline(pdf) -> tuple[str, ...]:
    """The titles of the PDF's outline (bookmarks), in order; () without one
    or when it cannot be read (a damaged outline never stops the text)."""
    titles: list[str] = []
    try:
        for item in pdf.get_toc():
            title = item.get_title() if hasattr(item, "get_title") else item.title
            title = " ".join((title or "").split())
            if title:
                titles.append(restore_ideographs(title))
    except Exception:  # noqa: BLE001 - pypdfium2 raises several kinds on broken outlines
        return ()
    return tuple(titles)


def _page_lines(page) -> list[_Line]:
    """The lines of one page, top to bottom, cells of a row joined by a wide space."""
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n else ""
        if len(text) != n:  # characters outside the BMP: one index, two code units
            text = "".join(textpage.get_text_range(i, 1) or " " for i in range(n))
        boxes = [textpage.get_charbox(i) for i in range(n)]
    finally:
        textpage.close()
    lines: list[_Line] = []
    chars: list[tuple[str, tuple[float, float, float, float]]] = []
    for ch, box in zip(text, boxes):
        if ch == "\n":
            _close_line(chars, lines)
        elif ch != "\r":
            chars.append((ch, box))
    _close_line(chars, lines)
    return _reading_order(lines)


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """Top to bottom; on a page set in columns, each column top to bottom, left
    column first, between the lines that run across all columns (titles,
    running headers and footers)."""
    top_down = sorted(lines, key=lambda ln: (-ln.top, ln.left))
    gutters = _gutters(lines)
    if not gutters:
        return _merge_rows(top_down)
    out: list[_Line] = []
    band: list[list[_Line]] = [[] for _ in range(len(gutters) + 1)]

    def flush() -> None:
        for column in band:
            out.extend(_merge_rows(column))
            column.clear()

    for ln in top_down:
        crossed = [g for g in gutters if ln.left < g < ln.right]
        if crossed:
            flush()
            out.append(ln)
        else:
            band[sum(g <= ln.left for g in gutters)].append(ln)
    flush()
    return out


def _gutters(lines: list[_Line]) -> list[float]:
    """x positions of the gaps between text columns (none for one column).

    A gutter is a vertical strip in the middle of the text that no line
    narrower than most of the text width crosses, with a fair share of the
    lines on each side; a page whose lines mostly run the full width has one
    column, whatever a signature table or a short heading leaves free.
    """
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return []
    left, right = min(ln.left for ln in lines), max(ln.right for ln in lines)
    width = right - left
    narrow = sorted((ln for ln in lines if ln.right - ln.left < COLUMN_SHARE * width),
                    key=lambda ln: ln.left)
    if len(narrow) < (1 - MAX_SPANNING_SHARE) * len(lines):
        return []
    height = statistics.median(ln.height for ln in lines) or 1.0
    gutters, reach = [], narrow[0].right  # reach: the right end of the lines so far
    for ln in narrow[1:]:
        g = (ln.left + reach) / 2
        if ln.left - reach > height and left + 0.2 * width < g < right - 0.2 * width:
            on_left = sum(1 for x in narrow if x.right < g)
            on_right = sum(1 for x in narrow if x.left > g)
            if min(on_left, on_right) >= max(MIN_COLUMN_LINES, 0.1 * len(lines)):
                gutters.append(g)
        reach = max(reach, ln.right)
    return gutters


def _close_line(chars: list, lines: list[_Line]) -> None:
    visible = [(ch, box) for ch, box in chars if not ch.isspace() and box[2] > box[0]]
    if visible:
        height = statistics.median(b[3] - b[1] for _, b in visible) or 1.0
        parts, prev_right = [], None
        for ch, box in chars:
            is_visible = not ch.isspace() and box[2] > box[0]
            if is_visible and prev_right is not None and box[0] - prev_right > COLUMN_GAP * height:
                parts.append("    ")  # cells of a row: a gap the layout rebuild reads as columns
            parts.append(ch)
            if is_visible:
                prev_right = box[2]
        lines.append(_Line("".join(parts).strip(), max(b[3] for _, b in visible),
                           min(b[1] for _, b in visible), min(b[0] for _, b in visible),
                           max(b[2] for _, b in visible)))
    chars.clear()


def _merge_rows(lines: list[_Line]) -> list[_Line]:
    """Lines drawn separately on the same row (table cells) become one line."""
    out: list[_Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev is not None and abs((prev.top + prev.bottom) - (ln.top + ln.bottom)) / 2 \
                < 0.3 * max(prev.height, ln.height, 1.0):
            prev.text += "    " + ln.text
            prev.bottom = min(prev.bottom, ln.bottom)
        else:
            out.append(ln)
    return out


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Without running headers/footers: lines near the top or bottom of a page
    that recur, digits aside, on most pages (page numbers and dates change)."""
    if len(pages) < 2:
        return pages
    shape = lambda ln: _DIGITS.sub("#", ln.text)  # noqa: E731 - a one-line key
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({shape(ln) for ln in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    need = max(2, FURNITURE_SHARE * len(pages))
    repeated = {s for s, c in counts.items() if c >= need}
    kept = []
    for lines in pages:
        edge = {id(ln) for ln in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
        kept.append([ln for ln in lines if not (id(ln) in edge and shape(ln) in repeated)])
    return kept
