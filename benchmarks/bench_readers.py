"""PDF text extractors side by side on Japanese PDFs: correctness and speed.

Usage: python benchmarks/bench_readers.py [--data DIR] [--copies 20]

Two PDFs are printed by headless Chromium (Noto Sans CJK JP embedded, its
running header and footer on every page) from the seed statement
(``seeds/statement_ja.txt``): the statement itself (5 pages, 73 body
sentences) and ``--copies`` of it in one file (about 100 pages). For each
extractor:

* correctness: its text, through the same post-processing (radical
  look-alikes mapped back, running headers/footers dropped) and
  ``segment_ja``, compared with the 73 body sentences of the seed
  (``.normalized``, in order); ``radicals`` counts the look-alike code
  points (⽇ for 日) in its raw output, ``unmapped`` the sentences that are
  right without mapping them back, ``2 columns`` the sentences right when
  the statement is set in two columns (reading order);
* speed: seconds and pages per second for the long PDF, extraction only
  (for PDFium, all of ``read_document``: extraction, layout, furniture).

Then each format the statement comes in (text, PDF with and without an
outline, .docx, HTML): body sentences right and extra units read as body.

Then the layout rebuild on the statement re-wrapped every 40, 60 and 80
characters (no blank lines): body sentences right when widths are measured
in display columns only (as before) and in columns or characters (now).

PyMuPDF is not measured: it is AGPL-3.0, which an MIT library cannot take
as a dependency.
"""

from __future__ import annotations

import argparse
import difflib
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.datasets import data_dir  # noqa: E402
from benchmarks.documents import seed_blocks, to_docx, to_html, to_pdf  # noqa: E402
from jp_en_align.readers import read_document  # noqa: E402
from jp_en_align.readers.pdf import _drop_furniture, _Line  # noqa: E402
from jp_en_align.readers.radicals import restore_ideographs  # noqa: E402
from jp_en_align.text import layout  # noqa: E402
from jp_en_align.text.segment import segment_ja  # noqa: E402
from benchmarks.documents import rewrap  # noqa: E402


def pages_pypdf(path: Path) -> list[str]:
    import pypdf

    return [p.extract_text() for p in pypdf.PdfReader(path).pages]


def pages_pdfminer(path: Path) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return ["".join(el.get_text() for el in page if isinstance(el, LTTextContainer))
            for page in extract_pages(path)]


def pages_pdfplumber(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def pages_pdfium_plain(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    return [p.get_textpage().get_text_range() for p in pdf]


CANDIDATES = {  # name -> (licence, page texts)
    "pypdf": ("BSD-3-Clause", pages_pypdf),
    "pdfminer.six": ("MIT", pages_pdfminer),
    "pdfplumber": ("MIT", pages_pdfplumber),
    "pypdfium2 (plain text)": ("Apache-2.0/BSD-3", pages_pdfium_plain),
}


def shared_postprocessing(pages: list[str], radicals: bool = True) -> str:
    """What the reader adds to any extractor: radicals back, furniture out."""
    lines = [[_Line(t.strip(), 0, 0, 0) for t in page.splitlines() if t.strip()]
             for page in pages]
    text = "\n".join(ln.text for page in _drop_furniture(lines) for ln in page)
    return restore_ideographs(text) if radicals else text


def correct(text: str, want: list[str]) -> tuple[int, int]:
    """(body sentences equal to the seed's, in order; body sentences in all)."""
    got = [s.normalized for s in segment_ja(text) if s.is_body]
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(got)


def formats(seed: str, want: list[str], tmp: Path) -> None:
    """Body sentences right and extra (a title, heading, date, signature or page
    furniture read as body) per format, the structure declared in the file."""
    blocks = seed_blocks(seed)
    rich = dict(levels=("h1", "h2", "h3"), signature="lines", page_title="共同声明｜外務省",
                article_header=True)
    files = {
        "text": tmp / "statement.txt",
        "PDF (layout)": to_pdf(to_html(blocks, furniture=False), tmp / "f.pdf"),
        "PDF (outline)": to_pdf(to_html(blocks, furniture=False), tmp / "o.pdf", outline=True),
        ".docx (Word numbering)": to_docx(blocks, tmp / "a.docx"),
        ".docx (typed, Subtitle)": to_docx(blocks, tmp / "b.docx", word_numbering=False,
                                           signature="lines", subtitle=True),
        "HTML (h1/h2, table)": tmp / "a.html",
        "HTML (h1-h3, header)": tmp / "b.html",
    }
    files["text"].write_text(seed, encoding="utf-8")
    files["HTML (h1/h2, table)"].write_text(to_html(blocks), encoding="utf-8")
    files["HTML (h1-h3, header)"].write_text(to_html(blocks, **rich), encoding="utf-8")
    print(f"\n{'format':26} {'body':>7} {'extra':>6}  other units")
    for name, path in files.items():
        units = read_document(path).sentences("ja")
        got = [s.normalized for s in units if s.is_body]
        matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
        same = sum(block.size for block in matcher.get_matching_blocks())
        other = {}
        for s in units:
            if not s.is_body:
                other[s.kind] = other.get(s.kind, 0) + 1
        print(f"{name:26} {same:>3}/{len(want):<3} {len(got) - same:>+6}  "
              + ", ".join(f"{k} {n}" for k, n in sorted(other.items())))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="data folder (default ../shared/data)")
    ap.add_argument("--copies", type=int, default=24,
                    help="copies of the statement in the long PDF (24: about 100 pages)")
    args = ap.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    seed = ((args.data or data_dir()) / "seeds" / "statement_ja.txt").read_text(encoding="utf-8")
    want = [s.normalized for s in segment_ja(seed) if s.is_body]
    blocks = seed_blocks(seed)
    with tempfile.TemporaryDirectory() as tmp:
        short, long = Path(tmp) / "statement.pdf", Path(tmp) / "long.pdf"
        two = Path(tmp) / "two_columns.pdf"
        to_pdf(to_html(blocks, furniture=False), short)
        to_pdf(to_html(blocks, furniture=False, columns=2), two)
        to_pdf(to_html(blocks * args.copies, furniture=False), long)
        long_pages = read_document(long).pages
        print(f"statement: {read_document(short).pages} pages, {len(want)} body sentences; "
              f"long PDF: {long_pages} pages")
        print(f"{'extractor':24} {'licence':17} {'correct':>9} {'units':>6} {'radicals':>9} "
              f"{'unmapped':>9} {'2 columns':>9} "
              f"{'s/100pp':>8} {'pages/s':>8}")
        rows = []
        t0 = time.perf_counter()
        doc = read_document(long)
        seconds = time.perf_counter() - t0
        same, n = correct(read_document(short).text, want)
        columns, _ = correct(read_document(two).text, want)
        rows.append(("pypdfium2 (this reader)", "Apache-2.0/BSD-3", same, n, 0, same, columns,
                     seconds))
        for name, (licence, extract) in CANDIDATES.items():
            raw = extract(short)
            radicals = sum(1 for c in "".join(raw) if 0x2E80 <= ord(c) <= 0x2FDF)
            same, n = correct(shared_postprocessing(raw), want)
            unmapped, _ = correct(shared_postprocessing(raw, radicals=False), want)
            columns, _ = correct(shared_postprocessing(extract(two)), want)
            t0 = time.perf_counter()
            extract(long)
            rows.append((name, licence, same, n, radicals, unmapped, columns,
                         time.perf_counter() - t0))
        for name, licence, same, n, radicals, unmapped, columns, secs in rows:
            print(f"{name:24} {licence:17} {same:>5}/{len(want):<3} {n:>6} {radicals:>9} "
                  f"{unmapped:>5}/{len(want):<3} {columns:>5}/{len(want):<3} "
                  f"{secs * 100 / long_pages:>8.2f} {long_pages / secs:>8.1f}")
        print("PyMuPDF                  AGPL-3.0         not measured: not a dependency an MIT "
              "library can take")
        assert doc.pages == long_pages
        formats(seed, want, Path(tmp))
    print(f"\n{'re-wrapped every':18} {'columns only':>13} {'columns or characters':>22}")
    for width in (40, 60, 80):
        text = rewrap(seed, width)
        both = layout.UNITS
        layout.UNITS = (layout._columns,)  # the rebuild before it measured characters too
        try:
            before, _ = correct(text, want)
        finally:
            layout.UNITS = both
        now, _ = correct(text, want)
        print(f"{width:>3} characters      {before:>9}/{len(want):<3} {now:>18}/{len(want):<3}")


if __name__ == "__main__":
    main()
