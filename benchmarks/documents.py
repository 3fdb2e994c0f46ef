"""Real Japanese documents in the formats people have, made from the seed statement.

The seed (``seeds/statement_ja.txt``) is text extracted from a PDF. Its
structure (title lines, the date and signature block, headings, numbered
paragraphs) is read back with :func:`~jp_en_align.text.segment.segment_ja` and
written out again as an HTML news-style page (with navigation, a cookie
banner and a footer around it), a PDF printed from that page by headless
Chromium (real text layer, embedded Noto CJK font), a Word ``.docx``
(python-docx: heading styles, Word's own paragraph numbering), and plain text
re-wrapped at a fixed number of characters. The tests and
``benchmarks/bench_readers.py`` use them.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jp_en_align.text.segment import segment_ja

_BLANKISH = re.compile(r"\n[ \t\u3000]*\n(?:[ \t\u3000]*\n)+")  # a line with only spaces
_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Block:
    """One unit of the statement's layout: kind is title/heading/date/signature/body."""

    kind: str
    text: str  # body: the paragraph's sentences joined; signature: the cells of one row
    number: int | None = None  # paragraph number of a numbered body paragraph
    cells: tuple[str, ...] = ()  # signature rows: the cells left to right


def seed_blocks(seed: str) -> list[Block]:
    """The statement's units in order, paragraphs as wholes."""
    sentences = segment_ja(seed)
    # Paragraph boundaries of the seed: lines holding nothing but spaces.
    bounds = [m.start() for m in _BLANKISH.finditer(seed)] + [len(seed)]
    blocks: list[Block] = []
    last_bound = None
    for s in sentences:
        bound = next(b for b in bounds if b >= s.span[0])
        if s.kind == "signature":
            row = seed.rfind("\n", 0, s.span[0])
            if blocks and blocks[-1].kind == "signature" and blocks[-1].number == row:
                blocks[-1].cells += (s.text,)
            else:
                blocks.append(Block("signature", "", row, (s.text,)))
        elif s.kind == "body" and blocks and blocks[-1].kind == "body" and bound == last_bound:
            blocks[-1].text += s.text
        else:
            blocks.append(Block(s.kind, s.text, s.paragraph))
        last_bound = bound
    for b in blocks:
        if b.kind == "signature":
            b.number, b.text = None, "  ".join(b.cells)
    return blocks


def _paragraph_text(b: Block) -> str:
    return f"{str(b.number).translate(_FULL_DIGITS)} {b.text}" if b.number else b.text


def to_html(blocks: list[Block], furniture: bool = True, columns: int = 1,
            levels: tuple[str, str, str] = ("h1", "h1", "h2"), signature: str = "table",
            page_title: str | None = None, article_header: bool = False) -> str:
    """An HTML page; ``furniture`` adds site navigation, a cookie banner, related
    links; ``columns`` sets the article in that many columns (CSS multi-column).

    ``levels``: the tags of a title, of the title line after it, and of a
    heading; ``signature``: ``"table"`` (a cell per name) or ``"lines"`` (a
    paragraph per row); ``page_title``: the ``<title>`` (default: the second
    title line); ``article_header``: a ``<header>`` in the article with a
    kicker and a date, as news sites have.
    """
    e = html.escape
    titles = [b.text for b in blocks if b.kind == "title"]
    body: list[str] = []
    sig_rows: list[Block] = []
    for b in blocks:
        if b.kind == "signature":
            sig_rows.append(b)
            continue
        if sig_rows and signature == "lines":
            body.extend(f"<p class=sig>{e('　　'.join(r.cells))}</p>" for r in sig_rows)
            sig_rows = []
        elif sig_rows:
            body.append("<table class=sig>" + "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r.cells) + "</tr>"
                for r in sig_rows) + "</table>")
            sig_rows = []
        if b.kind == "title":
            tag = levels[1] if body and body[-1].startswith(f"<{levels[0]}>") else levels[0]
            body.append(f"<{tag}>{e(b.text)}</{tag}>")
        elif b.kind == "heading":
            body.append(f"<{levels[2]}>{e(b.text)}</{levels[2]}>")
        else:
            body.append(f"<p>{e(_paragraph_text(b))}</p>")
    nav = footer = banner = related = ""
    if furniture:
        nav = ("<header><nav><ul><li><a href='/'>ホーム</a></li><li><a href='/news'>ニュース</a>"
               "</li><li><a href='/policy'>外交政策</a></li><li><a href='/region'>国・地域</a>"
               "</li><li><a href='/en'>English</a></li></ul></nav></header>")
        banner = ("<div id=cookie-banner class='cookie consent'>当サイトではクッキーを使用して"
                  "います。サイトを閲覧することで、クッキーの使用に同意したものとみなされます。"
                  "<button>同意する</button></div>")
        related = ("<aside class=related><h3>関連リンク</h3><ul><li><a href='/a'>日メコン協力"
                   "</a></li><li><a href='/b'>ＡＳＥＡＮ関連首脳会議</a></li></ul></aside>")
        footer = ("<footer><p>Copyright © Ministry of Foreign Affairs of Japan</p><ul><li>"
                  "<a href='/privacy'>プライバシーポリシー</a></li><li><a href='/access'>"
                  "アクセス</a></li></ul></footer>")
    style = ("<style>body{font-family:'Noto Sans CJK JP',sans-serif;font-size:10.5pt;"
             "line-height:1.6} h1{font-size:13pt} h2{font-size:11pt} p{margin:0 0 .8em}"
             " table.sig td{padding-right:8em}"
             f" article{{column-count:{columns};column-gap:2.5em}}</style>")
    if page_title is None:
        page_title = titles[1] if len(titles) > 1 else titles[0]
    kicker = ("<header class=kicker><p>報道発表</p><time datetime=2025-01-21>令和7年1月21日</time>"
              "</header>" if article_header else "")
    return ("<!DOCTYPE html><html lang=ja><head><meta charset=utf-8>"
            f"<title>{e(page_title)}</title>{style}</head>"
            f"<body>{banner}{nav}<main><article>{kicker}{''.join(body)}</article></main>"
            f"{related}{footer}</body></html>")


def chromium() -> str | None:
    """The headless browser that prints PDFs (apt: chromium), if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def to_pdf(page_html: str, path: Path, header_footer: bool = True, outline: bool = False) -> Path:
    """Print ``page_html`` to ``path`` with headless Chromium (A4).

    ``header_footer`` keeps Chromium's running header (date, title) and footer
    (file URL, "3/12") on every page: the repeated furniture a reader must drop.
    ``outline`` writes the page's ``<h1>``–``<h6>`` as the PDF's outline (bookmarks).
    """
    exe = chromium()
    if exe is None:
        raise RuntimeError("headless Chromium is needed to print PDFs: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "statement.html"
        src.write_text(page_html, encoding="utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={Path(path).resolve()}",
               src.as_uri()]
        if not header_footer:
            cmd.insert(1, "--no-pdf-header-footer")
        if outline:
            cmd.insert(1, "--generate-pdf-document-outline")
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return Path(path)


def to_docx(blocks: list[Block], path: Path, word_numbering: bool = True,
            signature: str = "table", subtitle: bool = False) -> Path:
    """A Word file: Title/Heading styles, numbered paragraphs in Word's own
    numbering ("List Number"), the signature block as a table.

    ``word_numbering=False`` types the numbers into the text ("１ 両首脳は");
    ``signature="lines"`` writes a right-aligned paragraph per row, names apart
    by a tab; ``subtitle`` sets a title's second line in the Subtitle style.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    rows = [b for b in blocks if b.kind == "signature"]
    table_done = False
    last_style = None
    for b in blocks:
        if b.kind == "title":
            style = "Subtitle" if subtitle and last_style == "Title" else "Title"
            d.add_paragraph(b.text, style=style)
            last_style = style
            continue
        last_style = None
        if b.kind == "heading":
            d.add_heading(b.text, level=1)
        elif b.kind == "signature" and signature == "lines":
            d.add_paragraph("\t".join(b.cells)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif b.kind == "signature":
            if not table_done:
                table = d.add_table(rows=len(rows), cols=max(len(r.cells) for r in rows))
                for i, r in enumerate(rows):
                    for j, c in enumerate(r.cells):
                        table.cell(i, j).text = c
                table_done = True
        elif b.number and word_numbering:
            d.add_paragraph(b.text, style="List Number")
        elif b.number:
            d.add_paragraph(_paragraph_text(b))
        else:
            d.add_paragraph(b.text)
    d.save(path)
    return Path(path)


def rewrap(seed: str, width: int) -> str:
    """The statement's units re-wrapped every ``width`` characters (not columns),
    no blank lines, as a plain-text viewer or an e-mail client does."""
    out: list[str] = []
    for b in seed_blocks(seed):
        text = _paragraph_text(b)
        out.extend(text[i:i + width] for i in range(0, len(text), width))
    return "\n".join(out) + "\n"
