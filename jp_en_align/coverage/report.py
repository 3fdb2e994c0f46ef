"""The result of press comparison: :class:`CoverageReport` and its rows.

:func:`jp_en_align.compare` builds it; this module only holds and shows it
(text, pandas, HTML).
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from ..aligner.evidence import Evidence
from ..text.sentence import Sentence
from .facts import Conflict

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LABELS = ("translation", "paraphrase", "partial", "unsupported", "unrelated")
"""Row labels, from closest to the official text to not about it at all:
``unsupported`` is a claim on the statement's subject that it does not make,
``unrelated`` another story, site boilerplate or paywall text."""



@dataclass(frozen=True, slots=True)
class Match:
    """Official material a press sentence reports.

    Attributes:
        official: the official sentence.
        score: calibrated score: standard deviations above an unrelated pair,
            evidence included (comparable across encoders).
        cosine: the raw cosine similarity of the best-matching unit.
        clause: the clause of ``official`` that matched, or None when the whole
            sentence matched best.
        evidence: numbers, names and words the two share.
        conflicts: dates, years, anniversaries, durations both state differently.
    """

    official: Sentence
    score: float
    cosine: float
    clause: str | None
    evidence: Evidence
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One press sentence, its label and the official material it reports.

    ``matches`` is best first and empty for ``unsupported`` rows; ``nearest``
    is the closest official sentence either way (to see why a row is unsupported).
    """

    press: Sentence
    label: str
    matches: tuple[Match, ...] = ()
    nearest: Match | None = None  # the best candidate, even when too weak to be a match
    score: float = float("-inf")  # what the label was decided on (see compare)
    coverage: float = 0.0  # share of the press sentence's content words the matches contain
    foreign_names: tuple[str, ...] = ()  # names the official text never mentions
    line: int | None = None  # 1-based input line (source article) the sentence came from

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Facts the press sentence states differently from its matches."""
        return tuple(c for m in self.matches for c in m.conflicts)

    @property
    def best_score(self) -> float:
        """Calibrated score of the nearest official sentence (also for unsupported rows)."""
        return self.nearest.score if self.nearest else float("-inf")

    @property
    def best(self) -> Match | None:
        """The best match, or None for an unsupported sentence."""
        return self.matches[0] if self.matches else None

    @property
    def is_supported(self) -> bool:
        return self.label not in ("unsupported", "unrelated")


_LABEL_COLOURS = {"translation": "#1a7f37", "paraphrase": "#2f6fb0", "partial": "#b07d00",
                  "unsupported": "#999999"}


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _where(s: Sentence) -> str:
    """How to name an official sentence to a reader: #index and ¶paragraph."""
    return f"#{s.index}" + (f" ¶{s.paragraph}" if s.paragraph is not None else "")


@dataclass
class CoverageReport:
    """Which press sentences report which official sentences.

    Attributes:
        rows: one :class:`CoverageRow` per press sentence, in press order.
        official: every official sentence (all unit kinds), as segmented.
        press: every press sentence.
        meta: how the report was made (encoder, thresholds, calibration).

    Example (``official_text``, ``press_text``: your two documents)::

        report = compare(official_text, press_text)
        print(report)                        # the text report
        row = report.rows[0]                 # one row per press sentence
        row.label, row.best.official.text, row.best.clause, row.best.evidence
        report.reported_by(row.best.official)   # every press row reporting it
        report.uncovered                     # official sentences nobody reported
        report.to_dataframe()                # one line per (press sentence, match)
    """

    rows: list[CoverageRow]
    official: list[Sentence]
    press: list[Sentence]
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[CoverageRow]:
        return iter(self.rows)

    def __getitem__(self, i: int) -> CoverageRow:
        return self.rows[i]

    def counts(self) -> dict[str, int]:
        """Number of press sentences per label (every label present, in order)."""
        c = Counter(r.label for r in self.rows)
        return {label: c.get(label, 0) for label in LABELS}

    def reported_by(self, official: Sentence | int) -> list[CoverageRow]:
        """The press rows that report an official sentence (given as the sentence
        or its index), best score first."""
        index = official.index if isinstance(official, Sentence) else int(official)
        hits = [(m.score, r) for r in self.rows if r.is_supported
                for m in r.matches if m.official.index == index]
        return [r for _, r in sorted(hits, key=lambda t: -t[0])]

    def coverage(self) -> list[tuple[Sentence, list[CoverageRow]]]:
        """Every official body sentence with the press rows that report it."""
        by_index: dict[int, list[tuple[float, CoverageRow]]] = {}
        for r in self.rows:
            for m in r.matches if r.is_supported else ():
                by_index.setdefault(m.official.index, []).append((m.score, r))
        return [(s, [r for _, r in sorted(by_index.get(s.index, []), key=lambda t: -t[0])])
                for s in self.official if s.is_body]

    @property
    def uncovered(self) -> list[Sentence]:
        """Official body sentences that no press sentence reports."""
        return [s for s, rows in self.coverage() if not rows]

    # ------------------------------------------------------------------ views

    def to_dataframe(self) -> "pd.DataFrame":
        """One row per (press sentence, match), best match first (``rank`` 1);
        an unsupported press sentence gets one row with empty official columns.

        Row columns: press_index, press, label, row_score (what the label was
        decided on), coverage, foreign_names; match columns: rank,
        official_index, paragraph, official, clause, score, cosine, numbers,
        names, words.
        """
        import pandas as pd

        records = []
        for r in self.rows:
            base = {"press_index": r.press.index, "press": r.press.text, "label": r.label,
                    "row_score": r.score, "coverage": r.coverage,
                    "foreign_names": ", ".join(r.foreign_names)}
            for rank, m in enumerate(r.matches or [None], start=1):
                records.append({**base, "rank": rank if m else None,
                                "official_index": m.official.index if m else None,
                                "paragraph": m.official.paragraph if m else None,
                                "official": m.official.text if m else None,
                                "clause": m.clause if m else None,
                                "score": m.score if m else r.best_score,
                                "cosine": m.cosine if m else None,
                                "numbers": ", ".join(m.evidence.numbers) if m else "",
                                "names": ", ".join(f"{a}={b}" for a, b in m.evidence.names)
                                if m else "",
                                "words": ", ".join(m.evidence.words) if m else ""})
        df = pd.DataFrame.from_records(records)
        for col in ("rank", "official_index", "paragraph"):
            df[col] = df[col].astype("Int64")
        return df

    def official_dataframe(self) -> "pd.DataFrame":
        """One row per official body sentence: which press sentences report it."""
        import pandas as pd

        return pd.DataFrame.from_records([
            {"official_index": s.index, "paragraph": s.paragraph, "official": s.text,
             "reported_by": [r.press.index for r in rows], "covered": bool(rows)}
            for s, rows in self.coverage()])

    def summary(self) -> str:
        """One line: label counts and how many official sentences are covered."""
        counts = " · ".join(f"{k} {v}" for k, v in self.counts().items())
        body = sum(s.is_body for s in self.official)
        return (f"{len(self.rows)} press sentences vs {body} official sentences: {counts}; "
                f"official sentences reported: {body - len(self.uncovered)}/{body}")

    def __str__(self) -> str:
        lines = [f"Press coverage ({self.meta.get('encoder', '?')}): {self.summary()}", ""]
        for r in self.rows:
            covered = f" (words covered {r.coverage:.0%})" if r.is_supported else ""
            lines.append(f"[{r.press.index}] {r.label.upper()}{covered}  "
                         f"{_short(r.press.text, 100)}")
            for m in r.matches:
                lines.append(f"    -> {_where(m.official)} score {m.score:.1f}  "
                             f"{_short(m.official.text, 90)}")
                if m.clause:
                    lines.append(f"       clause: {_short(m.clause, 90)}")
                if m.evidence:
                    lines.append(f"       shared: {m.evidence}")
            if r.foreign_names:
                lines.append(f"    not in the official text: {', '.join(r.foreign_names)}")
            if not r.matches:
                lines.append(f"    (no counterpart: nearest {_where(r.nearest.official)} "
                             f"scores {r.score:.1f})" if r.nearest else "    (no counterpart)")
        uncovered = self.uncovered
        lines += ["", f"Official sentences no press sentence reports ({len(uncovered)}):"]
        lines += [f"    {_where(s)}  {_short(s.text, 100)}" for s in uncovered]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CoverageReport {self.summary()}>"

    def _repr_html_(self, max_rows: int = 200) -> str:
        e = html.escape
        out = [f"<p><b>Press coverage</b> ({e(str(self.meta.get('encoder', '?')))}): "
               f"{e(self.summary())}</p>",
               "<table><thead><tr><th>#</th><th>press sentence</th><th>label</th>"
               "<th>official sentence (clause)</th><th>score</th><th>shared</th>"
               "</tr></thead><tbody>"]
        for r in self.rows[:max_rows]:
            colour = _LABEL_COLOURS[r.label]
            m = r.best
            official = ""
            if m:
                official = f"{e(_where(m.official))} {e(m.official.text)}"
                if m.clause:
                    official += f"<br><i>clause: {e(m.clause)}</i>"
                if len(r.matches) > 1:
                    official += "<br><small>also: " + ", ".join(
                        e(_where(x.official)) for x in r.matches[1:]) + "</small>"
            out.append(
                f"<tr><td>{r.press.index}</td><td>{e(r.press.text)}</td>"
                f"<td style='color:{colour};font-weight:bold'>{r.label}</td>"
                f"<td>{official}</td><td>{(m.score if m else r.best_score):.1f}</td>"
                f"<td>{e(str(m.evidence)) if m else ''}</td></tr>")
        if len(self.rows) > max_rows:
            out.append(f"<tr><td colspan=6>… {len(self.rows) - max_rows} more rows</td></tr>")
        out.append("</tbody></table>")
        uncovered = self.uncovered
        out.append(f"<details><summary>{len(uncovered)} official sentences no press sentence "
                   "reports</summary><ul>" + "".join(
                       f"<li>{e(_where(s))} {e(s.text)}</li>" for s in uncovered)
                   + "</ul></details>")
        return "\n".join(out)
