"""Reading the files people have: PDF, Word, HTML and text in Japanese encodings.

Every file is made here from the seed statement (benchmarks/documents.py):
a PDF printed by headless Chromium with an embedded Noto CJK font, a .docx
written by python-docx, an HTML page with navigation and a cookie banner,
text in each encoding and re-wrapped at 40/60/80 characters. Each must give
the seed's 73 body sentences (``.normalized`` equal).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.documents import chromium, rewrap, seed_blocks, to_docx, to_html, to_pdf
from jp_en_align import align, compare, read_document
from jp_en_align.readers import DocumentError
from jp_en_align.readers.detect import sniff
from jp_en_align.readers.radicals import restore_ideographs
from jp_en_align.text.segment import segment_ja

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_body(seed_statement):
    return [s.normalized for s in segment_ja(seed_statement) if s.is_body]


@pytest.fixture(scope="module")
def files(tmp_path_factory, seed_statement):
    assert chromium(), "headless Chromium prints the test PDFs: `make test` installs it (apt)"
    d = tmp_path_factory.mktemp("documents")
    blocks = seed_blocks(seed_statement)
    (d / "page.html").write_text(to_html(blocks), encoding="utf-8")
    to_pdf(to_html(blocks, furniture=False), d / "statement.pdf")
    to_pdf(to_html(blocks, furniture=False, columns=2), d / "two_columns.pdf")
    to_docx(blocks, d / "statement.docx")
    return d


def body(doc):
    return [s.normalized for s in doc.sentences("ja") if s.is_body]


def kinds(doc):
    return {s.kind for s in doc.sentences("ja")}


def test_pdf_printed_by_chromium_gives_the_73_sentences(files, seed_body):
    doc = read_document(files / "statement.pdf")
    assert doc.format == "pdf" and doc.pages >= 4
    assert body(doc) == seed_body
    assert kinds(doc) == {"body", "title", "heading", "date", "signature"}
    # Chromium's running header (date, title) and footer (file URL, "2/5") are gone.
    assert "file://" not in doc.text and f"1/{doc.pages}" not in doc.text
    signatures = [s.text for s in doc.sentences("ja") if s.kind == "signature"]
    assert signatures == ["石破茂", "ソーンサイ・シーパンドン", "日本国内閣総理大臣",
                          "ラオス人民民主共和国首相"]


def test_pdf_in_two_columns_is_read_column_by_column(files, seed_body):
    doc = read_document(files / "two_columns.pdf")
    assert body(doc) == seed_body
    assert "file://" not in doc.text


def test_the_pdf_text_layer_really_has_radicals_and_they_are_mapped_back(files):
    import pypdf

    layer = "".join(p.extract_text() for p in pypdf.PdfReader(files / "statement.pdf").pages)
    radicals = {c for c in layer if 0x2E80 <= ord(c) <= 0x2FDF}
    assert {"⽇", "⼈", "⺠"} <= radicals  # what pypdf reads from Chromium's ToUnicode map
    restored = restore_ideographs(layer)
    assert not any(0x2E80 <= ord(c) <= 0x2FDF for c in restored)
    assert "日本国内閣総理大臣" in restored and "両国民" in restored


def test_docx_with_headings_numbering_and_a_table(files, seed_body):
    doc = read_document(files / "statement.docx")
    assert doc.format == "docx" and body(doc) == seed_body
    assert kinds(doc) == {"body", "title", "heading", "date", "signature"}
    numbers = [s.paragraph for s in doc.sentences("ja") if s.paragraph is not None]
    assert sorted(set(numbers)) == list(range(1, 32))  # Word's own numbering, read back
    assert "\n31. 両首脳は" in doc.text


def test_html_page_main_text_only(files, seed_body):
    doc = read_document(files / "page.html")
    assert doc.format == "html" and body(doc) == seed_body
    for furniture in ("クッキー", "ホーム", "関連リンク", "プライバシーポリシー", "Copyright"):
        assert furniture not in doc.text
    first = doc.sentences("ja")[0]
    assert first.kind == "title" and first.text.startswith("日ラオス外交関係樹立")
    assert kinds(doc) == {"body", "title", "heading", "date", "signature"}


def test_html_page_in_shift_jis_is_read_as_browsers_do(files, tmp_path, seed_body):
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    page = (files / "page.html").read_text(encoding="utf-8").replace("©", "(c)").replace(
        "<meta charset=utf-8>", declared)
    (tmp_path / "page.html").write_bytes(page.encode("cp932"))
    assert body(read_document(tmp_path / "page.html")) == seed_body  # －, not −: cp932


# (codec that writes the file, the name the reader should report)
ENCODINGS = [("utf-8", "utf-8"), ("utf-8-sig", "utf-8 (BOM)"), ("utf-16", "utf-16"),
             ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("cp932", "cp932"),
             ("shift_jis_2004", "shift_jis_2004"), ("euc_jis_2004", "euc_jis_2004"),
             ("iso2022_jp_2004", "iso2022_jp_2004")]


@pytest.mark.parametrize("codec, reported", ENCODINGS)
def test_text_in_each_encoding_is_detected(tmp_path, seed_statement, seed_body, codec, reported):
    path = tmp_path / "statement.txt"
    path.write_bytes(seed_statement.encode(codec))
    doc = read_document(path)
    assert (doc.format, doc.encoding) == ("text", reported)
    assert doc.text == seed_statement.replace("\r\n", "\n") and body(doc) == seed_body


@pytest.mark.parametrize("codec", ["euc-jp", "iso-2022-jp", "shift_jis"])
def test_classic_jis_x_0208_codecs(tmp_path, seed_statement, codec):
    # They cannot encode the full-width hyphen (－); converters write − (U+2212).
    text = seed_statement.replace("－", "−")
    path = tmp_path / "statement.txt"
    path.write_bytes(text.encode(codec))
    doc = read_document(path)
    assert doc.encoding == {"shift_jis": "cp932"}.get(codec, codec)
    # cp932 reads Shift_JIS 0x817C as －, the Windows reading
    assert doc.text == (seed_statement if codec == "shift_jis" else text)
    assert sum(s.is_body for s in doc.sentences("ja")) == 73


@pytest.mark.parametrize("width", [40, 60, 80])
def test_text_rewrapped_every_n_characters(tmp_path, seed_statement, seed_body, width):
    text = rewrap(seed_statement, width)
    assert "\n\n" not in text
    assert [s.normalized for s in segment_ja(text) if s.is_body] == seed_body


def test_given_encoding_overrides_and_a_wrong_one_names_the_right_one(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_bytes("両首脳は一致した。".encode("euc-jp"))
    assert read_document(path).encoding == "euc-jp"
    assert read_document(path, encoding="latin-1").encoding == "latin-1"  # as told
    with pytest.raises(DocumentError, match=r"not valid cp932 .*--encoding euc-jp"):
        read_document(path, encoding="cp932")
    with pytest.raises(DocumentError, match="unknown encoding 'sjiss'"):
        read_document(path, encoding="sjiss")
    path.write_bytes("絵文字 😀🎉 と 한국어 ✨".encode("utf-8"))  # valid UTF-8 is UTF-8
    assert read_document(path).encoding == "utf-8"
    path.write_bytes(b"\x82\xa0\xff\xfe\x00\x81\x9f")
    with pytest.raises(DocumentError, match="fits no text encoding: utf-8 fails at offset 0"):
        read_document(path)


def test_format_is_chosen_by_content_not_by_name(files, tmp_path, seed_body):
    misnamed = tmp_path / "statement.txt"
    misnamed.write_bytes((files / "statement.pdf").read_bytes())
    assert read_document(misnamed).format == "pdf"
    assert sniff((files / "statement.docx").read_bytes()) == "docx"
    assert sniff((files / "page.html").read_bytes()) == "html"


def test_scanned_encrypted_and_old_word_files_get_clear_errors(files, tmp_path):
    import pypdf
    import pypdfium2 as pdfium

    # A scan: the first page rendered to an image, saved as an image-only PDF.
    page = pdfium.PdfDocument(files / "statement.pdf")[0]
    image = page.render(scale=1).to_pil()
    image.convert("RGB").save(tmp_path / "scan.pdf")
    with pytest.raises(DocumentError, match=r"has no text layer .*a scan.*run OCR first"):
        read_document(tmp_path / "scan.pdf")

    writer = pypdf.PdfWriter(clone_from=files / "statement.pdf")
    writer.encrypt("secret", algorithm="RC4-128")
    with open(tmp_path / "locked.pdf", "wb") as f:
        writer.write(f)
    with pytest.raises(DocumentError, match=r"encrypted PDF .*password"):
        read_document(tmp_path / "locked.pdf")

    # The OLE2 compound-file signature every Word 97-2003 document starts with.
    (tmp_path / "letter.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    with pytest.raises(DocumentError, match=r"old binary Word .* --convert-to docx"):
        read_document(tmp_path / "letter.doc")
    with pytest.raises(DocumentError, match="does not exist"):
        read_document(tmp_path / "missing.pdf")


def test_align_and_compare_accept_paths(files, tmp_path, seed_press, encoder):
    doc_sentences = read_document(files / "statement.docx").sentences("ja")
    en = ["The two leaders agreed to upgrade relations.", "They welcomed the dialogue."]
    by_path = align(files / "statement.docx", en, model=encoder)
    by_list = align(doc_sentences, en, model=encoder)
    assert by_path.beads == by_list.beads and by_path.ja_sentences == doc_sentences
    (tmp_path / "press.txt").write_bytes(seed_press.encode("utf-16"))
    report = compare(files / "statement.pdf", tmp_path / "press.txt", model=encoder)
    expected = compare(read_document(files / "statement.pdf").sentences("ja"), seed_press,
                       model=encoder)
    assert str(report) == str(expected)
    # A str is text, never a path: it is segmented as it stands.
    with pytest.warns(UserWarning, match="the ja side is not Japanese"):
        as_text = align(str(files / "statement.docx"), ["x"], model=encoder)
    assert [s.text for s in as_text.ja_sentences] == [str(files / "statement.docx")]


def test_align_takes_the_encoding_of_a_text_file(tmp_path, encoder):
    ja = "両首脳は協力の強化で一致した。両国は投資を促進する。"
    en = ["The leaders agreed to strengthen cooperation.", "The two countries will promote investment."]
    (tmp_path / "ja.txt").write_bytes(ja.encode("cp932"))
    from_file = align(tmp_path / "ja.txt", en, model=encoder, encoding="cp932")
    assert from_file.beads == align(ja, en, model=encoder).beads
    with pytest.raises(DocumentError, match="cp932|euc-jp|encoding"):
        align(tmp_path / "ja.txt", en, model=encoder, encoding="euc-jp")
    by_file = compare(tmp_path / "ja.txt", en, model=encoder, encoding="cp932")
    by_text = compare(ja, en, model=encoder)
    assert [(r.label, r.best_score) for r in by_file.rows] == \
        [(r.label, r.best_score) for r in by_text.rows]


def test_cli_reads_a_docx_whatever_encoding_is_given_and_reports_how(files, tmp_path, seed_press):
    (tmp_path / "press.txt").write_bytes(seed_press.encode("cp932"))
    out = subprocess.run([sys.executable, "-m", "jp_en_align.cli", "align",
                          str(files / "statement.docx"), str(tmp_path / "press.txt"),
                          "--ja-encoding", "latin-1", "-f", "tsv"],
                         capture_output=True, cwd=REPO, timeout=600)
    err = out.stderr.decode()
    assert out.returncode == 0, err
    assert "read JA_FILE as docx, EN_FILE as text, cp932" in err
    rows = out.stdout.decode().splitlines()
    assert any("両首脳" in r for r in rows)


# Structure the file declares: headings, titles, page furniture and outlines are
# units of their own kind, never body sentences (so never paired with one).
STRUCTURE = {"title", "heading", "date", "signature"}


def test_docx_styled_as_people_write_it_gives_the_73_and_nothing_more(tmp_path, seed_statement,
                                                                     seed_body):
    blocks = seed_blocks(seed_statement)
    path = to_docx(blocks, tmp_path / "styled.docx", word_numbering=False, signature="lines",
                   subtitle=True)
    doc = read_document(path)
    assert body(doc) == seed_body  # +0: no title, heading, date or signature among them
    units = doc.sentences("ja")
    assert [s.text for s in units if s.kind == "signature"] == [
        "石破茂", "ソーンサイ・シーパンドン", "日本国内閣総理大臣", "ラオス人民民主共和国首相"]
    declared = {b.text for b in blocks if b.kind in ("title", "heading")}
    assert {s.text for s in units if s.kind in ("title", "heading")} == declared
    assert sorted({s.paragraph for s in units if s.paragraph}) == list(range(1, 32))


def test_docx_headings_by_outline_level_or_a_style_based_on_a_heading(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    section = d.styles.add_style("節見出しA", WD_STYLE_TYPE.PARAGRAPH)
    section.base_style = d.styles["Heading 2"]
    d.add_paragraph("政治・安全保障", style="節見出しA")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    d.add_paragraph("経済協力").paragraph_format.element.get_or_add_pPr().append(level)
    d.add_paragraph("両首脳は協力の強化で一致した。")
    d.styles.add_style("Date", WD_STYLE_TYPE.PARAGRAPH)  # Word's built-in "Date"
    d.add_paragraph("令和７年１月２１日", style="Date")
    d.styles.add_style("Signature", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("外務大臣　岩屋毅", style="Signature")
    d.save(tmp_path / "h.docx")
    got = [(s.kind, s.text) for s in read_document(tmp_path / "h.docx").sentences("ja")]
    assert got == [("heading", "政治・安全保障"), ("heading", "経済協力"),
                   ("body", "両首脳は協力の強化で一致した。"), ("date", "令和７年１月２１日"),
                   ("signature", "外務大臣"), ("signature", "岩屋毅")]


def test_html_news_page_with_h1_to_h3_title_nav_and_footer(tmp_path, seed_statement, seed_body):
    page = to_html(seed_blocks(seed_statement), levels=("h1", "h2", "h3"), signature="lines",
                   page_title="日ラオス共同声明｜外務省", article_header=True)
    (tmp_path / "news.html").write_text(page, encoding="utf-8")
    doc = read_document(tmp_path / "news.html")
    assert body(doc) == seed_body  # +0
    units = doc.sentences("ja")
    assert not any("外務省" in s.text for s in units)  # <title> is metadata, not text
    assert {s.kind for s in units} == {"body"} | STRUCTURE
    titles = [s.text for s in units if s.kind == "title"]
    assert titles[0].startswith("日ラオス外交関係樹立")  # the <h1>
    assert [s.kind for s in units if s.text == "報道発表"] in ([], ["heading"])  # the header's


def test_html_structure_holds_when_trafilatura_flattens_headings(tmp_path, seed_statement,
                                                                 seed_body):
    # No <main>/<article>: the page is a run of <div>s, headings among them.
    page = to_html(seed_blocks(seed_statement), levels=("h1", "h2", "h3"), signature="lines")
    page = page.replace("<main><article>", "<div class=c>").replace("</article></main>", "</div>")
    (tmp_path / "flat.html").write_text(page, encoding="utf-8")
    doc = read_document(tmp_path / "flat.html")
    assert body(doc) == seed_body
    assert not any(s.is_body and ("関連リンク" in s.text or "Copyright" in s.text)
                   for s in doc.sentences("ja"))


def test_pdf_outline_marks_headings_the_layout_would_take_for_sentences(tmp_path, seed_statement,
                                                                       seed_body):
    assert chromium(), "headless Chromium prints the test PDFs: `make test` installs it (apt)"
    blocks = seed_blocks(seed_statement)
    for b in blocks:  # headings that end like sentences: the layout alone cannot tell
        if b.kind == "heading":
            b.text += "について。"
    page = to_html(blocks, furniture=False)
    plain = read_document(to_pdf(page, tmp_path / "plain.pdf"))
    assert plain.outline == () and len(body(plain)) == len(seed_body) + 5
    doc = read_document(to_pdf(page, tmp_path / "outlined.pdf", outline=True))
    assert "政治・安全保障について。" in doc.outline
    assert body(doc) == seed_body
    assert {s.text for s in doc.sentences("ja") if s.kind == "heading"} == {
        b.text for b in blocks if b.kind == "heading"}


def test_a_missing_reader_package_is_named_with_how_to_install_it():
    from jp_en_align.readers.errors import needs

    assert needs("lxml.html.clean", "lxml_html_clean", "HTML").Cleaner  # declared, installed
    with pytest.raises(ImportError, match=r"reading \.docx files needs python-docx.*"
                                          r"pip install python-docx"):
        needs("docx_not_installed_here", "python-docx", ".docx files")
