"""The result of press comparison: :class:`CoverageReport` and its rows.

:func:`jp_en_align.compare` builds it; this module only holds and shows it
(text, pandas, HTML, CSV, JSON lines; the rendering is in :mod:`.views`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..aligner.evidence import Evidence
from ..text.sentence import Sentence
from . import views
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
        """One row per (press sentence, match), best match first (``rank`` 1); a
        press sentence without matches gets one row with empty official columns
        (and ``nearest_index``/``nearest_score``).

        Row columns: press_index, line, press, label, score (the row score the
        label was decided on), coverage, conflicts, foreign_names; match
        columns: rank, official_index, paragraph, official, clause,
        match_score, cosine, numbers, names, words.
        """
        import pandas as pd

        df = pd.DataFrame.from_records(views.flat_records(self))
        for col in ("rank", "official_index", "paragraph", "line", "nearest_index"):
            if col in df:
                df[col] = df[col].astype("Int64")
        return df

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per press sentence, its matches nested (what
        :meth:`to_jsonl` writes)."""
        return [views.row_record(r) for r in self.rows]

    def to_jsonl(self, path: str | Path | None = None) -> str:
        """One JSON object per press sentence (see :meth:`to_records`); written
        to ``path`` when given, and returned."""
        text = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in self.to_records())
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_csv(self, path: str | Path | None = None) -> str:
        """:meth:`to_dataframe` as CSV (UTF-8); written to ``path`` when given,
        and returned."""
        text = self.to_dataframe().to_csv(index=False)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_html(self, path: str | Path | None = None) -> str:
        """The whole report as a standalone HTML page (left-aligned in notebooks
        too: inline styles); written to ``path`` when given, and returned."""
        page = views.to_html_page(self)
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def to_text(self, width: int | None = 100) -> str:
        """The text report; ``width=None`` prints every sentence in full."""
        return views.to_text(self, width)

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
        return views.to_text(self)

    def __repr__(self) -> str:
        return f"<CoverageReport {self.summary()}>"

    def _repr_html_(self, max_rows: int = 200) -> str:
        return views.to_html_fragment(self, max_rows)
