"""The coverage report as text, HTML, records (JSON lines, CSV, pandas).

Every view shows the same numbers: one *row score* per press sentence (what
its label was decided on) and one *match score* per official sentence it
reports, both in the calibrated unit the header explains.
"""

from __future__ import annotations

import html
from typing import Any

# The views take a report, its rows and matches but do not import them: the
# report sits above its views (and importing it, even for types, would tie the
# two into a circle).
CoverageReport = CoverageRow = Match = Any

_LABEL_COLOURS = {"translation": "#1a7f37", "paraphrase": "#2f6fb0", "partial": "#b07d00",
                  "unsupported": "#b3261e", "unrelated": "#888888"}
# inline styles: a notebook's stylesheet (JupyterLab right-aligns `td`) cannot override them
_CELL = "text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid #ddd"


def header_lines(report: "CoverageReport") -> list[str]:
    """What the scores mean and where the label thresholds are."""
    th = report.meta.get("thresholds")
    lines = ["scores: calibrated, in standard deviations above an unrelated pair of sentences "
             "(0 = typical unrelated pair), shared evidence included; a row's score is its "
             "best match's, less a little for each name the official text lacks"
             + (f" and less {th.conflict_penalty:g} when that match conflicts"
                if th is not None and th.conflict_penalty else "")]
    if th is not None:
        lines.append(
            f"labels: translation >= {th.translation:g} (words covered >= "
            f"{th.translation_coverage:.0%}) · paraphrase >= {th.paraphrase:g} (covered >= "
            f"{th.paraphrase_coverage:.0%}) · partial >= {th.support:g}, or adds names, or "
            f"conflicts, or (from {th.unrelated:g}) stands out for its best match, or (from "
            f"{th.linked:g}) wins it in a one-to-one pairing of the two texts · unsupported "
            f"< {th.support:g} · unrelated < {th.unrelated:g} with no specific shared evidence")
    raised = report.meta.get("short_line_bar_raised", 0.0)
    if raised:
        lines.append(f"many more press sentences than official ones: those two bars are "
                     f"{raised:.1f} higher (the best of many unrelated lines is high by chance)")
    return lines


def _short(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    return text if width is None or len(text) <= width else text[:width - 1] + "…"


def where(s: Any) -> str:
    """How to name an official sentence to a reader: #index and ¶paragraph."""
    return f"#{s.index}" + (f" ¶{s.paragraph}" if s.paragraph is not None else "")


def _source(r: "CoverageRow") -> str:
    return f" (line {r.line})" if r.line is not None else ""


def to_text(report: "CoverageReport", width: int | None = 100) -> str:
    """The plain-text report; ``width=None`` prints every sentence in full."""
    w = width
    sub = None if w is None else max(20, w - 10)
    lines = [f"Press coverage ({report.meta.get('encoder', '?')}): {report.summary()}",
             *header_lines(report), ""]
    for r in report.rows:
        covered = f", words covered {r.coverage:.0%}" if r.is_supported else ""
        lines.append(f"[{r.press.index}]{_source(r)} {r.label.upper()} score {r.score:.1f}"
                     f"{covered}  {_short(r.press.text, w)}")
        for c in r.conflicts:
            lines.append(f"    CONFLICT: {c}")
        for m in r.matches:
            lines.append(f"    -> {where(m.official)} match {m.score:.1f}  "
                         f"{_short(m.official.text, sub)}")
            if m.clause:
                lines.append(f"       clause: {_short(m.clause, sub)}")
            if m.evidence:
                lines.append(f"       shared: {m.evidence}")
        if r.foreign_names:
            lines.append(f"    not in the official text: {', '.join(r.foreign_names)}")
        if not r.matches and r.nearest:
            # why a close sentence is no counterpart: a fact stated differently
            lines += [f"    CONFLICT with the nearest: {c}" for c in r.nearest.conflicts]
        if not r.matches:
            lines.append(f"    (no counterpart; nearest {where(r.nearest.official)} "
                         f"match {r.nearest.score:.1f}: {_short(r.nearest.official.text, sub)})"
                         if r.nearest else "    (no counterpart)")
    uncovered = report.uncovered
    lines += ["", f"Official sentences no press sentence reports ({len(uncovered)}):"]
    lines += [f"    {where(s)}  {_short(s.text, w)}" for s in uncovered]
    return "\n".join(lines)


# ------------------------------------------------------------------ records


def _match_record(m: "Match") -> dict[str, Any]:
    return {"official_index": m.official.index, "paragraph": m.official.paragraph,
            "official": m.official.text, "clause": m.clause, "match_score": m.score,
            "cosine": m.cosine, "numbers": list(m.evidence.numbers),
            "names": [f"{a}={b}" for a, b in m.evidence.names], "words": list(m.evidence.words),
            "conflicts": [str(c) for c in m.conflicts]}


def row_record(r: "CoverageRow") -> dict[str, Any]:
    """One press row as plain data (a JSON line)."""
    return {"press_index": r.press.index, "line": r.line, "press": r.press.text,
            "label": r.label, "score": r.score, "coverage": r.coverage,
            "conflicts": [str(c) for c in r.conflicts], "foreign_names": list(r.foreign_names),
            "matches": [_match_record(m) for m in r.matches],
            "nearest": _match_record(r.nearest) if r.nearest and not r.matches else None}


def flat_records(report: "CoverageReport") -> list[dict[str, Any]]:
    """One record per (press sentence, match), best match first (``rank`` 1); a
    row without matches gets one record whose official columns are empty."""
    out = []
    for r in report.rows:
        base = {"press_index": r.press.index, "line": r.line, "press": r.press.text,
                "label": r.label, "score": r.score, "coverage": r.coverage,
                "conflicts": "; ".join(str(c) for c in r.conflicts),
                "foreign_names": ", ".join(r.foreign_names)}
        for rank, m in enumerate(r.matches or [None], start=1):
            rec = _match_record(m) if m else dict.fromkeys(
                ("official_index", "paragraph", "official", "clause", "match_score", "cosine"))
            rec = {k: ", ".join(v) if isinstance(v, list) else v for k, v in rec.items()
                   if k != "conflicts"}
            rec.setdefault("numbers", "")
            rec.setdefault("names", "")
            rec.setdefault("words", "")
            if m is None and r.nearest:
                rec["nearest_index"] = r.nearest.official.index
                rec["nearest_score"] = r.nearest.score
            out.append({**base, "rank": rank if m else None, **rec})
    return out


# ------------------------------------------------------------------ HTML


def to_html_fragment(report: "CoverageReport", max_rows: int | None = None) -> str:
    """The report as an HTML table (what a notebook shows), inline-styled."""
    e = html.escape
    td = f"<td style='{_CELL}'>"
    out = [f"<div style='text-align:left'><p style='text-align:left'><b>Press coverage</b> "
           f"({e(str(report.meta.get('encoder', '?')))}): {e(report.summary())}</p>"]
    out += [f"<p style='text-align:left;margin:0;font-size:90%'>{e(h)}</p>"
            for h in header_lines(report)]
    heads = ["#", "line", "press sentence", "label", "score", "official sentences reported",
             "evidence"]
    out.append("<table style='border-collapse:collapse;text-align:left'><thead><tr>"
               + "".join(f"<th style='{_CELL}'>{h}</th>" for h in heads) + "</tr></thead><tbody>")
    rows = report.rows if max_rows is None else report.rows[:max_rows]
    for r in rows:
        colour = _LABEL_COLOURS[r.label]
        official, evidence = [], []
        for c in r.conflicts:
            evidence.append(f"<b style='color:#b3261e'>conflict: {e(str(c))}</b>")
        for m in r.matches:
            cell = f"<b>{e(where(m.official))}</b> (match {m.score:.1f}) {e(m.official.text)}"
            if m.clause:
                cell += f"<br><i>clause: {e(m.clause)}</i>"
            official.append(cell)
            if m.evidence:
                evidence.append(f"{e(where(m.official))}: {e(str(m.evidence))}")
        if not r.matches and r.nearest:
            evidence += [f"<b style='color:#b3261e'>conflict with the nearest: {e(str(c))}</b>"
                         for c in r.nearest.conflicts]
            official.append(f"<span style='color:#888'>no counterpart; nearest "
                            f"{e(where(r.nearest.official))} (match {r.nearest.score:.1f}) "
                            f"{e(r.nearest.official.text)}</span>")
        if r.foreign_names:
            evidence.append(f"not in the official text: {e(', '.join(r.foreign_names))}")
        out.append(
            f"<tr>{td}{r.press.index}</td>{td}{'' if r.line is None else r.line}</td>"
            f"{td}{e(r.press.text)}</td>"
            f"<td style='{_CELL};color:{colour};font-weight:bold'>{r.label}</td>"
            f"{td}{r.score:.1f}</td>{td}{'<br>'.join(official)}</td>"
            f"{td}{'<br>'.join(evidence)}</td></tr>")
    if len(rows) < len(report.rows):
        out.append(f"<tr><td colspan=7 style='{_CELL}'>… {len(report.rows) - len(rows)} more "
                   "rows (report.to_html(path) writes them all)</td></tr>")
    out.append("</tbody></table>")
    uncovered = report.uncovered
    out.append(f"<details style='text-align:left'><summary>{len(uncovered)} official sentences "
               "no press sentence reports</summary><ul>" + "".join(
                   f"<li>{e(where(s))} {e(s.text)}</li>" for s in uncovered) + "</ul></details>")
    out.append("</div>")
    return "\n".join(out)


def to_html_page(report: "CoverageReport") -> str:
    """A standalone HTML page with every row."""
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<title>Press coverage</title></head>\n<body style='font-family:sans-serif'>\n"
            + to_html_fragment(report) + "\n</body></html>\n")
