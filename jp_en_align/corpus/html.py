"""Showing a corpus as HTML: the table a notebook shows, the summary table, a standalone page.

Notebook front ends style output tables themselves; JupyterLab (and so
Notebook 7 and nbconvert's lab export) right-aligns every cell with
``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td {text-align: right}``,
specificity (0,2,1). Our rules are written ``table.jpea.jpea td`` (0,2,2) so
they win wherever the output lands, and the sentence cells carry the alignment
inline as well; ``tests/test_browser.py`` checks it in headless Chromium under
JupyterLab's own CSS.
"""

from __future__ import annotations

import html
import math
from typing import Any

from .display import signature

# The corpus object sits above this module, which only reads it.
AlignedCorpus = Any

STYLE = (
    "<style>"
    "table.jpea.jpea{border-collapse:collapse;margin:0;font-size:13px}"
    "table.jpea.jpea caption{caption-side:top;text-align:left;padding:4px 0}"
    "table.jpea.jpea td,table.jpea.jpea th,table.jpea.jpea tr{text-align:left;"
    "vertical-align:top;padding:2px 8px;border-bottom:1px solid rgba(128,128,128,.25)}"
    "table.jpea.jpea td.num,table.jpea.jpea th.num{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}"
    "table.jpea.jpea tr.unaligned td{background:rgba(220,53,69,.16)}"  # light and dark themes
    "table.jpea.jpea tr.section th{background:rgba(128,128,128,.12);font-weight:600}"
    "table.jpea.jpea code{font-size:12px}"
    "</style>")
"""The CSS of every view, included once per output (a notebook cell is its own page)."""

REVIEW_SHOWN = 20
"""Rows of each review section (unaligned, least confident) in a long corpus' view."""

_esc = html.escape
#: also inline on the text cells: front ends that drop <style> from outputs keep it
_LEFT = ' style="text-align:left"'


def doubt(pair: Any) -> float:
    """How sure the aligner is of a pair: its confidence, or its score when the
    confidence is unknown (NaN). Lower means look at it first."""
    c = pair.confidence
    return pair.score if math.isnan(c) else c


def _number(x: float, digits: int = 3) -> str:
    return "–" if math.isnan(x) else f"{x:.{digits}f}"


def _row(k: int, pair: Any, with_confidence: bool) -> str:
    cls = "" if pair.is_aligned else ' class="unaligned" title="no counterpart"'
    ja = _esc(pair.ja) if pair.ja_ids else "<em>(none)</em>"
    en = _esc(pair.en) if pair.en_ids else "<em>(none)</em>"
    if pair.is_aligned and not math.isnan(pair.score):
        alpha = min(max(pair.score, 0.0), 1.0)  # shaded green in proportion to the score
        score = (f'<td class="num" style="background:rgba(46,160,67,{alpha:.2f})">'
                 f"{pair.score:.3f}</td>")
    else:
        score = '<td class="num">–</td>'
    conf = f'<td class="num">{_number(pair.confidence)}</td>' if with_confidence else ""
    ids = lambda t: _esc(",".join(map(str, t))) or "–"
    return (f'<tr{cls}><td class="num">{k}</td><td class="num">{ids(pair.ja_ids)}</td>'
            f'<td class="num">{ids(pair.en_ids)}</td><td>{pair.kind}</td>{score}{conf}'
            f'<td lang="ja"{_LEFT}>{ja}</td><td lang="en"{_LEFT}>{en}</td></tr>')


def _sections(corpus: "AlignedCorpus", max_rows: int | None) -> list[tuple[str, list[int]]]:
    """Which pairs to show, under which heading. Short corpora: all, in order.
    Long ones: first what a reviewer needs (the unaligned pairs, then the least
    confident), then the pairs in order (all of them, or what fits in ``max_rows``)."""
    n = len(corpus)
    limit = 60 if max_rows is None else max_rows
    if n <= limit:
        return [("", list(range(n)))]
    pairs = list(corpus)
    unaligned = [k for k, p in enumerate(pairs) if not p.is_aligned]
    aligned = sorted((k for k, p in enumerate(pairs) if p.is_aligned),
                     key=lambda k: (doubt(pairs[k]), k))
    least = aligned[:REVIEW_SHOWN]
    measure = "confidence" if corpus.confidence else "score"
    out = [(f"unaligned pairs: {len(unaligned)}"
            + (f" (first {REVIEW_SHOWN} shown)" if len(unaligned) > REVIEW_SHOWN else ""),
            unaligned[:REVIEW_SHOWN]),
           (f"lowest {measure}: {len(least)} of {len(aligned)} aligned pairs", sorted(least))]
    if max_rows is None:
        out.append((f"all {n} pairs in order", list(range(n))))
    else:
        shown = {k for _, ks in out for k in ks}
        room = max(max_rows - len(shown), 0)
        rest = [k for k in range(n) if k not in shown]
        out.append((f"the other pairs in order: first {min(room, len(rest))} of {len(rest)}",
                    rest[:room]))
    return out


def html_table(corpus: "AlignedCorpus", max_rows: int | None = 60) -> str:
    """The corpus as an HTML table (what a notebook shows), under its counts and signature.

    Scores are shaded green, 1-0/0-1 rows red, a confidence column appears
    when the corpus has confidences. A corpus longer than ``max_rows`` shows
    its unaligned and least confident pairs first (up to :data:`REVIEW_SHOWN`
    each, with counts), then the other pairs in order up to ``max_rows`` rows;
    ``max_rows=None`` shows every pair after the review sections.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> c = AlignedCorpus.from_texts(["猫。"], ["<Cat>"], [((0,), (0,), 0.9)])
        >>> "&lt;Cat&gt;" in html_table(c)
        True
    """
    s = corpus.summary()
    kinds = ", ".join(f"{k}: {n}" for k, n in s.kinds.items())
    sig = signature(corpus.meta)
    caption = (f"<b>AlignedCorpus</b>: {s.pairs} pairs ({_esc(kinds)}), {s.ja_sentences} ja / "
               f"{s.en_sentences} en sentences"
               + (f"<br><code>{_esc(sig)}</code>" if sig else ""))
    with_conf = bool(corpus.confidence)
    head = ['<th class="num">#</th><th class="num">ja</th><th class="num">en</th><th>kind</th>',
            '<th class="num">score</th>', '<th class="num">conf.</th>' if with_conf else "",
            "<th>japanese</th><th>english</th>"]
    columns = 8 if with_conf else 7
    parts = [STYLE, f'<table class="jpea"><caption>{caption}</caption>',
             "<thead><tr>", *head, "</tr></thead><tbody>"]
    pairs = corpus.beads
    for title, ks in _sections(corpus, max_rows):
        if title:
            parts.append(f'<tr class="section"><th colspan="{columns}">{_esc(title)}</th></tr>')
        parts.extend(_row(k, corpus[k], with_conf) for k in ks)
    if max_rows is not None and len(pairs) > max_rows:
        parts.append(f'<tr><td colspan="{columns}"><em>corpus.to_html("corpus.html") writes every '
                     "pair to a page; slicing the corpus or to_dataframe() shows them here"
                     "</em></td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def summary_table(summary: Any) -> str:
    """A :class:`~jp_en_align.corpus.summary.CorpusSummary` as a small HTML table.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> s = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]).summary()
        >>> '<td class="num">0.900</td>' in summary_table(s)
        True
    """
    kinds = ", ".join(f"{k}: {n}" for k, n in summary.kinds.items()) or "none"
    rows = [("pairs", f"{summary.pairs} ({kinds})"),
            ("sentences", f"{summary.ja_sentences} ja / {summary.en_sentences} en"),
            ("unaligned", f"{summary.unaligned_ja} ja, {summary.unaligned_en} en")]
    stats = [("min", summary.score_min), ("q1", summary.score_q1),
             ("median", summary.score_median), ("q3", summary.score_q3),
             ("max", summary.score_max), ("mean", summary.score_mean)]
    body = "".join(f"<tr><th>{name}</th><td colspan=\"6\">{_esc(value)}</td></tr>"
                   for name, value in rows)
    names = "".join(f'<td class="num">{name}</td>' for name, _ in stats)
    values = "".join(f'<td class="num">{_number(x)}</td>' for _, x in stats)
    body += f"<tr><th>score</th>{names}</tr><tr><th></th>{values}</tr>"
    return (f'{STYLE}<table class="jpea jpea-summary"><caption><b>CorpusSummary</b></caption>'
            f"<tbody>{body}</tbody></table>")


def page(corpus: "AlignedCorpus", title: str = "Aligned corpus") -> str:
    """A standalone HTML page: the summary, then every pair (review sections first
    for long corpora). What :meth:`AlignedCorpus.to_html` writes.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
        >>> page(c).startswith("<!DOCTYPE html>")
        True
    """
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{_esc(title)}</title>"
            "<style>body{font-family:system-ui,sans-serif;margin:1.5em}</style></head><body>"
            f"{summary_table(corpus.summary())}<br>{html_table(corpus, max_rows=None)}"
            "</body></html>\n")
