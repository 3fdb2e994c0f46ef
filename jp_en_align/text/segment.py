"""Sentence segmentation: raw Japanese or English text to :class:`Sentence` lists.

Japanese input is often extracted from a PDF: lines wrapped mid-word, blank
lines between them, page numbers, running headers, titles, headings, a date
line and signatures in columns. :func:`segment_ja` first rebuilds the layout
(:mod:`jp_en_align.text.layout` decides which line breaks are wraps), keeps the
layout units apart and marks them (``kind``), reads numbered paragraphs
(``１ 両首脳は…`` gives ``paragraph=1``), then splits the running text after
。！？ (and ``!?``), never inside 「」『』（）() and similar brackets.

English input is either one snippet per line (each line break ends a
sentence) or flowing paragraphs (wrapped lines are joined first); the
sentences inside a line or paragraph come from nupunkt (see :func:`_punkt`).

Every sentence keeps ``.text`` (the original characters without the layout's
line breaks), ``.normalized`` (:func:`normalize`) and ``.span``, the
``(start, end)`` offsets of the sentence in the input.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .layout import Block, Line, Rules, find_wraps, join_blocks, looks_wrapped, \
    drop_furniture, read_lines
from .languages import warn_if_swapped
from .normalize import _check_text, normalize
from .sentence import Sentence

# --- Japanese -----------------------------------------------------------------

_CLOSERS = "」』）)】〕”’\""
_JA_FINISHED = re.compile(rf"[。！？｡!?][{_CLOSERS}]*$")
_JA_MUST_CONTINUE = re.compile(r"[、，,「『（(【〔“]$")
_ASCII_RUN = re.compile(r"[!-~]+")
# Characters a Japanese line never starts with (kinsoku): a line starting with
# one continues the line before it, in any layout.
_NO_LINE_START = re.compile(r"[、。，．：；？！ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
                            r"）」』】〕〉》]")
# A sentence ends after a run of 。！？; half-width !? only before a space, the
# end, or more punctuation ("Yahoo!ニュース" goes on).
_JA_END = re.compile(rf"(?:[。！？｡]|[!?](?=[\s。！？{_CLOSERS}]|$))+")
_QUOTE_THEN_QUOTE = re.compile(r"(?<=[。！？!?])[」』]+(?=\s*[「『])")
_BRACKETS = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "〔": "〕", "“": "”"}
_OPENER_OF = {closer: opener for opener, closer in _BRACKETS.items()}
_BRACKET = re.compile("[" + re.escape("".join(_BRACKETS) + "".join(_BRACKETS.values())) + "]")
# A numbered paragraph: "１ ", "1. ", "1)", "（１）", "①" — not a quantity ("1 つ", "10 月").
_MARKER = re.compile(
    r"(?:(?P<n>[0-9０-９]{1,3})(?:[.．)）]|(?=[ \u3000]))|[(（](?P<p>[0-9０-９]{1,3})[)）]"
    r"|(?P<c>[\u2460-\u2473]))[ \u3000]*"
    r"(?![\s0-9０-９.．%％年月日時分秒回人件個つか歳円万億倍割次号条項章節期位名社国校点階度])")
# Cells of a line laid out in columns (a signature block): 3+ spaces, a tab or 2+ 全角 spaces.
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t|\u3000{2,})\S")
_CELL = re.compile(r"\S+(?:(?: {1,2}|\u3000)\S+)*")
_DATE = re.compile(r"(?:(?:令和|平成|昭和)\s*(?:元|[0-9０-９]{1,2})|[0-9０-９]{4})\s*年"
                   r"\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*日)?")
_SHORT_HEADING = 15  # characters; a longer line closing a title block is a title


def _ja_finished(s: str) -> bool:
    return _JA_FINISHED.search(s) is not None


def _ja_space_between(a: Line, b: Line) -> bool:
    """A joined wrap keeps a space between Latin words, or next to a Latin word or
    number where the layout had one; between Japanese characters a space is layout.
    A line cut after N characters (``a.cut``) may split a word or number: only a
    space that was there is kept."""
    x, y = a.text[-1], b.text[0]
    if x.isascii() and x.isalnum() and y.isascii() and y.isalnum() and not a.cut:
        return True
    return (a.trailing_ws or b.leading_ws) and (x.isascii() or y.isascii())


class _Numbering:
    """Paragraph numbers in order (1, 2, 3 …): a number out of sequence is text."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.last: int | None = None
        self.number: dict[int, int] = {}  # line index -> paragraph number
        self.marker_len: dict[int, int] = {}  # line index -> characters of the marker

    def opens(self, i: int, prev_full: bool) -> bool:
        marker = paragraph_marker(self.lines[i].text)
        if marker is None:
            return False
        if i > 0 and prev_full and not self.lines[i - 1].finished:
            return False  # mid-sentence: "3 国間" after a wrap is not paragraph 3
        n, length = marker
        if n != 1 and (self.last is None or n != self.last + 1):
            return False
        self.last, self.number[i], self.marker_len[i] = n, n, length
        return True


def paragraph_marker(line: str) -> tuple[int, int] | None:
    """``(number, length)`` of the paragraph number that opens ``line``
    (``１ ``, ``1. ``, ``（２）``, ``③``), or None; a quantity is not a number
    (``1 月``, ``3 国間``).

    Example:
        >>> paragraph_marker("１２ 両首脳は一致した。"), paragraph_marker("1 月 21 日に")
        ((12, 3), None)
    """
    m = _MARKER.match(line)
    if m is None or m.end() == len(line):
        return None
    digits = m.group("n") or m.group("p")
    return (int(digits) if digits else ord(m.group("c")) - 0x2460 + 1), m.end()


def is_date_line(line: str) -> bool:
    """True for a short line that is a date (``2025 年 1 月 21 日 東京にて署名``).

    Example:
        >>> is_date_line("令和７年１月２１日"), is_date_line("両首脳は一致した。")
        (True, False)
    """
    return not _ja_finished(line) and len(line) <= 40 and _DATE.match(line) is not None


def _split_ja(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences in ``text``, outside matched brackets only."""
    # A closer pairs with the nearest open bracket of its kind and closes every
    # bracket opened after that one. Each kind keeps the stack depths of its open
    # brackets, so finding that opener takes no scan: linear time in any soup of
    # unmatched or mismatched brackets (a scan made "「" * n + "）" * n quadratic).
    stack: list[tuple[str, int]] = []  # (opener, position), innermost last
    depths: dict[str, list[int]] = {opener: [] for opener in _BRACKETS}
    paired: set[int] = set()  # positions of brackets that have their partner
    for m in _BRACKET.finditer(text):
        ch, pos = m.group(), m.start()
        if ch in _BRACKETS:
            depths[ch].append(len(stack))
            stack.append((ch, pos))
            continue
        open_ones = depths[_OPENER_OF[ch]]
        if not open_ones:
            continue  # a stray closer
        k = open_ones[-1]
        paired.update((stack[k][1], pos))
        while len(stack) > k:  # each opener is popped once: linear overall
            depths[stack.pop()[0]].pop()
    cuts, depth = [], 0
    # (where, cut here or -1 for a bracket) in text order; a quote ending in 。 and
    # followed by another quote is a sentence of its own (「はい。」「いいえ。」).
    events = sorted([(p, -1) for p in paired] + [m.span() for m in _JA_END.finditer(text)]
                    + [(m.end() - 0.5, m.end()) for m in _QUOTE_THEN_QUOTE.finditer(text)])
    for where, pos in events:
        if pos < 0:
            depth += 1 if text[where] in _BRACKETS else -1
        elif depth == 0:
            while pos < len(text) and text[pos] in _CLOSERS:  # stray closers stay with it
                pos += 1
            cuts.append(pos)
    spans = [_trim(text, a, b) for a, b in zip([0, *cuts], [*cuts, len(text)])]
    return [(a, b) for a, b in spans if a < b]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """``(a, b)`` narrowed to leave out surrounding whitespace (empty: a == b)."""
    piece = text[a:b]
    start = a + len(piece) - len(piece.lstrip())
    return start, max(start, b - len(piece) + len(piece.rstrip()))


@dataclass
class _Unit:
    text: str
    span: tuple[int, int]
    finished: bool
    cell: bool = False  # one cell of a line laid out in columns
    number: int | None = None  # number of the paragraph its block opens
    kind: str = "body"
    paragraph: int | None = None


def _span(block: Block, a: int, b: int) -> tuple[int, int]:
    return block.to_input(a), block.to_input(b - 1) + 1


def _assign_kinds(units: list[_Unit], wrapped: bool) -> None:
    """Body sentences end with 。！？; in laid-out text the other units are the
    title (at the start or after a signature), headings, the date line and the
    signatures (cells in columns after the date)."""
    run: list[_Unit] = []  # layout units in a row, not yet told title or heading
    run_is_title = False
    title_place, date_seen = True, False

    def settle() -> None:
        if run_is_title:
            for u in run:
                u.kind = "title"
            last = run[-1].text
            if len(run) > 1 and len(normalize(last, "ja")) <= _SHORT_HEADING \
                    and not (last[0] in _BRACKETS and last[-1] in _CLOSERS):
                run[-1].kind = "heading"  # a section heading right under the title
        else:
            for u in run:
                u.kind = "heading"
        run.clear()

    for u in units:
        if is_date_line(u.text):
            u.kind, title_place, date_seen = "date", True, True
        elif u.finished or not wrapped:
            u.kind, title_place, date_seen = "body", False, False
        elif u.cell and date_seen:
            u.kind, title_place = "signature", True
        else:
            if not run:
                run_is_title = title_place
            run.append(u)
            continue
        if run:
            settle()
    if run:
        settle()
    current = None  # numbered paragraphs last until the next layout unit
    for u in units:
        if u.kind != "body":
            current = None
        elif u.number is not None:
            current = u.number
        u.paragraph = current if u.kind == "body" else None


def segment_ja(text: str) -> list[Sentence]:
    """Split Japanese text (PDF-extracted or plain) into sentences and layout units.

    Returns every unit in document order: body sentences (``kind="body"``) and,
    in text wrapped to a page width, its title lines, headings, date line and
    signatures, each with its kind. Wrapped lines are rejoined, page numbers
    and repeated running headers dropped, numbered paragraphs become
    ``.paragraph``. Empty text gives ``[]``.

    Example:
        >>> pdf_text = ("共同声明\\n政治・安全保障\\n１ 両首脳は、二国間の協力を一層\\n"
        ...             "促進していくことで一致した。両首\\n脳は「今後も協力を続ける。」と述\\n"
        ...             "べた。\\n２ 両首脳は、対話の深化を歓迎し\\nた。\\n")
        >>> for s in segment_ja(pdf_text):
        ...     print(s.kind, s.paragraph, s.text)
        title None 共同声明
        heading None 政治・安全保障
        body 1 両首脳は、二国間の協力を一層促進していくことで一致した。
        body 1 両首脳は「今後も協力を続ける。」と述べた。
        body 2 両首脳は、対話の深化を歓迎した。
    """
    _check_text(text, "segment_ja")
    warn_if_swapped(text, "ja", "segment_ja")
    lines = read_lines(text, _ja_finished)
    wrapped = looks_wrapped(lines)
    lines = drop_furniture(lines, wrapped)
    numbering = _Numbering(lines)
    rules = Rules(
        must_continue=lambda s: _JA_MUST_CONTINUE.search(s) is not None,
        first_token=lambda s: (m.group() if (m := _ASCII_RUN.match(s)) else s[0]),
        space_between=_ja_space_between,
        runs_on=lambda a, b: (_JA_MUST_CONTINUE.search(a.text) is not None
                              or _NO_LINE_START.match(b.text) is not None),
        standalone=lambda ln: _COLUMN_GAP.search(ln.text) is not None,
        opens_paragraph=numbering.opens)
    joins = find_wraps(lines, rules, wrapped)
    blocks = join_blocks(lines, joins, lambda a, b: " " if _ja_space_between(a, b) else "",
                         skip=numbering.marker_len)
    units: list[_Unit] = []
    for block in blocks:
        number = numbering.number.get(block.first_line)
        if wrapped and rules.standalone(lines[block.first_line]):
            pieces, cell = [m.span() for m in _CELL.finditer(block.text)], True
        else:
            pieces, cell = _split_ja(block.text), False
        for a, b in pieces:
            piece = block.text[a:b]
            units.append(_Unit(piece, _span(block, a, b), _ja_finished(piece), cell, number))
    _assign_kinds(units, wrapped)
    return [Sentence(text=u.text, normalized=normalize(u.text, "ja"), index=i, span=u.span,
                     kind=u.kind, paragraph=u.paragraph, lang="ja")
            for i, u in enumerate(units)]


# --- English ------------------------------------------------------------------

_EN_FINISHED = re.compile(r"[.!?…][\"'”’)\]]*$")
_EN_MUST_CONTINUE = re.compile(r"[,;(\-–—]$")
_HYPHENATED = re.compile(r"[A-Za-z]-$")


@functools.lru_cache(maxsize=1)
def _punkt():
    """The sentence splitter for English: nupunkt's bundled default model.

    Chosen over blingfire (pysbd and syntok scored lower in the issue's survey).
    On gold segment boundaries of the wmt21/bsd English documents the two tie
    (F1 0.87 / 0.93 / 0.99 each, benchmarks/bench_segmenting.py), but blingfire
    splits after a title that starts a sentence ("I met Dr. Tanaka. Dr." |
    "Tanaka is", "Mr." | "Trump acknowledged"), which matters for press text
    full of honorifics (H.E. Mr. Sonexay); nupunkt's misses are rarer
    abbreviations ("Lt. Col.", "Rs."). It passes the hard cases in
    tests/test_segmenting.py, is pure Python without dependencies, reads its
    model from the package (no download), and is imported on first use to
    keep ``import jp_en_align`` cheap.
    """
    import nupunkt

    return nupunkt.load("default")


def _en_finished(s: str) -> bool:
    return _EN_FINISHED.search(s) is not None


def _en_joiner(a: Line, b: Line) -> str:
    # "vice-ministerial-" + "level": a word hyphenated at the wrap keeps its hyphen.
    return "" if _HYPHENATED.search(a.text) and b.text[0].islower() else " "


def segment_en(text: str) -> list[Sentence]:
    """Split English text into sentences (all ``kind="body"``).

    One snippet per line (few lines end mid-sentence): each line break ends a
    sentence, unless the line stops without final punctuation and the next
    starts in lower case. Flowing paragraphs (text wrapped to a width): lines
    are rejoined into paragraphs first. Datelines (``TOKYO (Kyodo) --``),
    honorifics and abbreviations (``H.E. Mr.``, ``U.S.``, ``Jan. 21``) stay
    inside their sentence. Empty text gives ``[]``.

    Example:
        >>> text = ("TOKYO (Kyodo) -- Mr. Ishiba met H.E. Mr. Sonexay on Jan. 21. They talked."
        ...         "\\nA truncated snip")
        >>> for s in segment_en(text):
        ...     print(s.span, s.text)
        (0, 60) TOKYO (Kyodo) -- Mr. Ishiba met H.E. Mr. Sonexay on Jan. 21.
        (61, 73) They talked.
        (74, 90) A truncated snip
    """
    _check_text(text, "segment_en")
    warn_if_swapped(text, "en", "segment_en")
    lines = read_lines(text, _en_finished)
    wrapped = looks_wrapped(lines)
    lines = drop_furniture(lines, wrapped)
    rules = Rules(
        must_continue=lambda s: _EN_MUST_CONTINUE.search(s) is not None,
        first_token=lambda s: s.split(None, 1)[0],
        space_between=lambda a, b: True,
        runs_on=lambda a, b: not a.finished and b.text[0].islower())
    blocks = join_blocks(lines, find_wraps(lines, rules, wrapped), _en_joiner)
    tokenizer = _punkt() if blocks else None
    out: list[Sentence] = []
    for block in blocks:
        for a, b in tokenizer.span_tokenize(block.text):
            a, b = _trim(block.text, a, b)
            if a < b:
                t = block.text[a:b]
                out.append(Sentence(text=t, normalized=normalize(t, "en"), index=len(out),
                                    span=_span(block, a, b), lang="en"))
    return out
