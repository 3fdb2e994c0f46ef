"""Rebuilding paragraphs from text whose lines were laid out for a page.

Text extracted from a PDF comes as lines, not paragraphs: a sentence runs on
over several lines (even mid-word), blank lines may sit between every pair
of lines, and page numbers and running headers interrupt it. Before anything
can be split into sentences, each line break has to be judged: is it a
*wrap* (the text goes on) or a real *break* (a paragraph, heading or other
unit ends)?

The test used here is the one a typesetter applies: a line was wrapped if
the first word of the next line would not have fitted on it. The usable
width is estimated locally from the neighbouring lines, so documents whose
margins change from page to page still work. Width is measured two ways:
in display columns (a page or a monospaced viewer: 日 takes two, 7 one) and
in characters (a plain-text viewer or an e-mail client that breaks every N
characters, where a line dense in digits and Latin letters is short in
columns but full in characters). Around each line the unit in which more of
the neighbouring lines reach the margin is used, so a document may switch
from one to the other between blocks. Other signals overrule it:
blank lines wider than the document's usual spacing, and trailing spaces in
documents where only the last line of a unit carries them.

This module knows nothing about a language: the segmenters in
:mod:`jp_en_align.text.segment` pass in what a finished line, a line that must
go on, and a paragraph start look like.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# Characters drawn two columns wide (CJK, kana, full-width forms, the ideographic space).
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
                   "\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]+")
_RAW_LINE = re.compile(r"[^\r\n]+")
# The visible part of a line: no surrounding spaces, BOM or zero-width spaces.
_VISIBLE = re.compile(r"[^\s\ufeff\u200b](?:.*[^\s\ufeff\u200b])?")
# Whole lines that are only a page number: "3", "- 3 -", "３", "3 / 12", "Page 3", "3 ページ".
_PAGE_NUMBER = re.compile(
    r"(?:[-－–—―‐ー]\s*)?[0-9０-９]{1,4}(?:\s*[-－–—―‐ー])?"
    r"|[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}"
    r"|(?i:page|p\.)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?"
    r"|[0-9０-９]{1,4}\s*(?:頁|ページ)")

def _columns(ln: "Line") -> int:
    return ln.width


def _characters(ln: "Line") -> int:
    return ln.chars


# The two ways a wrapped line's width is measured (see the module docstring).
UNITS = (_columns, _characters)
# Text is wrapped when at least this share of its lines stop mid-sentence at the margin.
WRAPPED_SHARE = 0.05
MARGIN_RADIUS = 6  # lines on each side that give a line its right margin
MARGIN_QUANTILE = 0.8


def slack(margin: int) -> int:
    """How far short of the margin a wrapped line may stop (kinsoku shifts, proportional digits)."""
    return max(4, margin // 16)


def display_width(s: str) -> int:
    """Columns ``s`` takes in a monospaced layout (wide characters count 2)."""
    return 2 * len(s) - len(_WIDE.sub("", s))


@dataclass(slots=True)
class Line:
    """One non-blank line of the input."""

    start: int  # input offset of the first visible character
    end: int  # input offset just after the last visible character
    text: str  # the visible characters, input[start:end]
    gap: int  # blank lines between this line and the previous non-blank one
    leading_ws: bool
    trailing_ws: bool
    width: int = 0  # display columns
    finished: bool = False  # ends a sentence (。 or . and the like)
    chars: int = 0  # characters
    # Judged full in characters: the wrap is a mechanical cut that may fall
    # inside a word or number, so joining adds no space of its own.
    cut: bool = False


def read_lines(text: str, finished: Callable[[str], bool]) -> list[Line]:
    """The non-blank lines of ``text`` (any of \\n, \\r\\n, \\r), with offsets and spacing;
    ``finished`` tells whether a line ends a sentence."""
    lines: list[Line] = []
    prev_end = 0
    for m in _RAW_LINE.finditer(text):
        v = _VISIBLE.search(m.group())
        if v is None:
            continue
        breaks = (text.count("\n", prev_end, m.start()) + text.count("\r", prev_end, m.start())
                  - text.count("\r\n", prev_end, m.start()))
        start, end = m.start() + v.start(), m.start() + v.end()
        visible = v.group()
        lines.append(Line(start, end, visible, max(breaks - 1, 0) if lines else 0, v.start() > 0,
                          end < m.end(), display_width(visible), finished(visible),
                          len(visible)))
        prev_end = m.end()
    return lines


def looks_wrapped(lines: list[Line]) -> bool:
    """True when several lines stop mid-sentence at the right margin, as in text
    wrapped to a page width (in columns or in characters).

    In text with one sentence or paragraph per line, lines stop mid-sentence
    only now and then (headlines, truncated snippets) and at any width; once
    text is wrapped, lines filled to the margin (the width only the longest
    lines reach) stop mid-sentence.
    """
    if len(lines) < 3:
        return False
    for unit in UNITS:
        widths = sorted(unit(ln) for ln in lines)
        margin = widths[int(0.95 * (len(widths) - 1))]
        at_margin = sum(1 for ln in lines
                        if unit(ln) >= margin - slack(margin) and not ln.finished)
        if at_margin >= max(3, WRAPPED_SHARE * len(lines)):
            return True
    return False


def drop_furniture(lines: list[Line], wrapped: bool) -> list[Line]:
    """Remove page numbers and, in wrapped text, running headers and footers.

    A running header is an unfinished line repeated at least three times
    among different neighbours; in one-sentence-per-line text a repeated line
    is content, so it stays. The blank lines around a removed line do not add
    up to a paragraph break (a page number inserted between two wrapped lines
    must not split them).
    """
    repeated: set[str] = set()
    if wrapped:
        counts = Counter(ln.text for ln in lines if not ln.finished)
        candidates = {t for t, c in counts.items() if c >= 3}
        before: dict[str, set[str]] = {t: set() for t in candidates}
        after: dict[str, set[str]] = {t: set() for t in candidates}
        for i, ln in enumerate(lines):
            if ln.text in candidates:
                before[ln.text].add(lines[i - 1].text if i else "")
                after[ln.text].add(lines[i + 1].text if i + 1 < len(lines) else "")
        # A header sits among different text on every page; a passage that is
        # repeated whole (a document pasted twice) has the same neighbours.
        repeated = {t for t in candidates
                    if max(len(before[t]), len(after[t])) >= max(3, (counts[t] + 1) // 2)}
    kept: list[Line] = []
    carried_gap = 0
    for ln in lines:
        if ln.text in repeated or _PAGE_NUMBER.fullmatch(ln.text):
            carried_gap = max(carried_gap, ln.gap)
            continue
        ln.gap = max(ln.gap, carried_gap)
        carried_gap = 0
        kept.append(ln)
    return kept


@dataclass
class Rules:
    """What a language's lines look like, for :func:`find_wraps`."""

    # In wrapped text, the line cannot end a unit (it ends with 、 or an opening bracket).
    must_continue: Callable[[str], bool]
    first_token: Callable[[str], str]  # what a typesetter could not split at a line start
    space_between: Callable[[Line, Line], bool]  # joining needs a space
    # Does line a run on into line b whatever their widths (English: a lower-case start)?
    runs_on: Callable[[Line, Line], bool] = lambda a, b: False
    # A line that is a unit of its own whatever its width (a signature row in columns).
    standalone: Callable[[Line], bool] = lambda ln: False
    # Called in document order with (line index, previous line is full): does the
    # line open a numbered paragraph? May keep state (the expected next number).
    opens_paragraph: Callable[[int, bool], bool] = lambda i, prev_full: False


def _right_margins(lines: list[Line], alone: list[bool], unit: Callable[[Line], int]
                   ) -> tuple[list[int], list[int]]:
    """The usual width of full lines near each line (a high quantile of its
    neighbours) in ``unit``, and how many of those neighbours stop mid-sentence
    at that margin (how well the unit explains the layout there)."""
    widths = [0 if a else unit(ln) for ln, a in zip(lines, alone)]
    at_margin = []
    margins = []
    for i in range(len(lines)):
        lo, hi = max(0, i - MARGIN_RADIUS), i + MARGIN_RADIUS + 1
        near = sorted(w for w in widths[lo:hi] if w)
        margin = near[int(MARGIN_QUANTILE * (len(near) - 1))] if near else 0
        margins.append(margin)
        at_margin.append(sum(1 for w, ln in zip(widths[lo:hi], lines[lo:hi])
                             if w and not ln.finished and abs(w - margin) <= slack(margin) // 2))
    return margins, at_margin


def _usual_gaps(lines: list[Line]) -> list[int]:
    """For each line, the most common number of blank lines after unfinished
    lines around it, nearer lines counting more (the whole document's where
    the neighbourhood has none), so that text pasted together from two
    sources keeps both spacings."""
    after_unfinished = [b.gap if not a.finished else None for a, b in zip(lines, lines[1:])]
    overall = Counter(g for g in after_unfinished if g is not None)
    default = overall.most_common(1)[0][0] if overall else 0
    out = []
    for i in range(len(after_unfinished)):
        votes: Counter[int] = Counter()
        for j in range(max(0, i - MARGIN_RADIUS),
                       min(len(after_unfinished), i + MARGIN_RADIUS + 1)):
            if after_unfinished[j] is not None:
                votes[after_unfinished[j]] += MARGIN_RADIUS + 1 - abs(i - j)
        out.append(max(votes.items(), key=lambda kv: (kv[1], -kv[0]))[0] if votes else default)
    return out


def find_wraps(lines: list[Line], rules: Rules, wrapped: bool) -> list[bool]:
    """For each line but the last: does the text run on into the next line?"""
    n = len(lines)
    if n == 0:
        return []
    joins = [False] * (n - 1)
    rules.opens_paragraph(0, False)
    if not wrapped:
        for i in range(n - 1):
            opens = rules.opens_paragraph(i + 1, False)
            joins[i] = not opens and rules.runs_on(lines[i], lines[i + 1])
        return joins
    alone = [rules.standalone(ln) for ln in lines]
    col_margins, col_fit = _right_margins(lines, alone, _columns)
    char_margins, char_fit = _right_margins(lines, alone, _characters)
    # The usual spacing inside a sentence near each line: the blank lines after
    # lines that stop mid-sentence (PDF extraction may put one between all lines).
    usual_gaps = _usual_gaps(lines)
    # Trailing spaces mean "unit ends here" only in documents that use them so:
    # on most finished lines and on few unfinished ones.
    fin = [ln for ln in lines if ln.finished]
    unfin = [ln for ln in lines if not ln.finished]
    ws_marks_end = (bool(fin) and sum(ln.trailing_ws for ln in fin) >= 0.5 * len(fin)
                    and sum(ln.trailing_ws for ln in unfin) <= 0.2 * len(unfin))
    for i in range(n - 1):
        a, b = lines[i], lines[i + 1]
        # columns unless characters fit better (and are among the UNITS to try)
        by_chars = _characters in UNITS and char_fit[i] > col_fit[i]
        if by_chars:
            margin, width, need = char_margins[i], a.chars, 1
        else:
            margin, width = col_margins[i], a.width
            need = display_width(rules.first_token(b.text)) + (1 if rules.space_between(a, b)
                                                                else 0)
        full = width + need > margin - slack(margin)
        very_full = width + need > margin - 2
        a.cut = by_chars and full
        opens = not alone[i + 1] and rules.opens_paragraph(i + 1, full)
        if opens or alone[i] or alone[i + 1]:
            joins[i] = False
        elif rules.must_continue(a.text) or rules.runs_on(a, b):
            joins[i] = True
        elif ws_marks_end and a.trailing_ws:
            joins[i] = False
        else:
            # More blank lines than usual end a paragraph; where blank lines sit
            # between all lines (PDF style) a page break may also add some, so
            # a line filled to the margin still goes on.
            usual_gap = usual_gaps[i]
            wide_gap = b.gap > usual_gap and (usual_gap == 0 or not very_full)
            joins[i] = full and not wide_gap
    return joins


@dataclass
class Block:
    """Lines joined into one run of text, remembering where each piece came from."""

    text: str
    first_line: int
    starts: list[int] = field(default_factory=list)  # offset of each piece in text
    origins: list[int] = field(default_factory=list)  # input offset of each piece

    def to_input(self, pos: int) -> int:
        """The input offset of ``self.text[pos]``."""
        k = bisect_right(self.starts, pos) - 1
        return self.origins[k] + (pos - self.starts[k])


def join_blocks(lines: list[Line], joins: list[bool],
                joiner: Callable[[Line, Line], str], skip: dict[int, int] | None = None
                ) -> list[Block]:
    """Join runs of wrapped lines into blocks; ``skip[i]`` characters are left off line i."""
    skip = skip or {}
    blocks: list[Block] = []
    parts: list[str] = []
    block: Block | None = None
    pos = 0
    for i, ln in enumerate(lines):
        if block is None:
            block, parts, pos = Block("", i), [], 0
        else:
            sep = joiner(lines[i - 1], ln)
            parts.append(sep)
            pos += len(sep)
        cut = skip.get(i, 0)
        block.starts.append(pos)
        block.origins.append(ln.start + cut)
        parts.append(ln.text[cut:])
        pos += len(ln.text) - cut
        if i == len(lines) - 1 or not joins[i]:
            block.text = "".join(parts)
            blocks.append(block)
            block = None
    return blocks
