"""Press coverage: which English press sentences report which sentences of an
official Japanese text.

Press sentences are not translations: they reorder, compress several official
sentences into one, add commentary, and sit beside unrelated stories. So this
is not a monotonic alignment. Every press sentence is scored against every
official sentence *and* against the clauses of long official sentences
(:mod:`jp_en_align.clauses`), and the scores are calibrated against the
documents' own distribution: a calibrated score is "standard deviations above
an unrelated pair of these two documents", after removing how similar each
sentence is to everything (hub sentences). Thresholds are in those units, so
they hold for encoders whose raw cosines differ widely. Shared numbers, names
and loanwords (:mod:`jp_en_align.evidence`) add to the score.

Example:
    >>> report = compare(["両首脳は、ビザ免除の滞在期間を15日から30日に延長することで一致した。",
    ...                   "両首脳は、ウクライナ情勢について平和の重要性を強調した。"],
    ...                  ["Laos will extend visa-free stays for Japanese from 15 to 30 days.",
    ...                   "A kickboxer brought holiday cheer to schoolchildren."])
    >>> [(row.label != "unsupported", row.best.official.index if row.best else None)
    ...  for row in report.rows]
    [(True, 0), (False, None)]
"""

from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .background import BACKGROUND_EN, BACKGROUND_JA
from .clauses import split_clauses
from .coverage import LABELS, CoverageReport, CoverageRow, Match

__all__ = ["compare", "CoverageReport", "CoverageRow", "Match", "Thresholds", "LABELS"]
from .embedding import load_encoder
from .evidence import evidence_keys, shared_evidence
from .sentence import Sentence

# Official units worth matching: running text and the title (a press sentence
# often reports "a joint statement on ..."); not headings, dates or signatures.
MATCHABLE_KINDS = ("body", "title")

_JA_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_LETTERS = re.compile(r"[A-Za-z\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class Thresholds:
    """Label thresholds in calibrated units (standard deviations above an
    unrelated pair). See :func:`compare`."""

    support: float = 5.3
    paraphrase: float = 7.5
    translation: float = 10.0
    second_match_gap: float = 2.0  # a further match must score within this of the best
    max_matches: int = 3
    evidence_weight: float = 1.0  # calibrated units added per (informative) shared item
    evidence_cap: float = 3.0
    evidence_rank_weight: float = 1.0  # the same, for ranking the candidates only


def compare(official: str | Sequence[str] | Sequence[Sentence],
            press: str | Sequence[str] | Sequence[Sentence], *,
            model: Any = None, clauses: bool = True, clause_min_chars: int = 50,
            thresholds: Thresholds | None = None, batch_size: int = 64,
            show_progress_bar: bool | None = None) -> CoverageReport:
    """Report which press sentences report which official sentences.

    Args:
        official: the official Japanese text (raw text is segmented with
            :func:`~jp_en_align.segmenting.segment_ja`), or its sentences (a list
            of strings or :class:`Sentence` objects, used as given).
        press: the English press text (segmented with ``segment_en``) or its
            sentences.
        model: encoder (anything :func:`~jp_en_align.embedding.load_encoder`
            accepts); None for the built-in default.
        clauses: also match the clauses of long official sentences.
        clause_min_chars: official sentences at least this long are split.
        thresholds: label thresholds (calibrated units); the defaults suit any
            encoder because scores are calibrated per document pair.

    Returns:
        A :class:`CoverageReport`: ``report.rows`` (one per press sentence, in
        order), ``report.uncovered``, ``report.reported_by(...)``,
        ``report.to_dataframe()``; ``print(report)`` gives a text report.

    Raises:
        ValueError: a side is empty, or the two sides look swapped.

    Example:
        >>> r = compare("両首脳は協力の強化で一致した。", "The leaders agreed to strengthen cooperation.")
        >>> r.rows[0].label != "unsupported"
        True
    """
    th = thresholds or Thresholds()
    official_sents = _as_sentences(official, "ja", "official")
    press_sents = _as_sentences(press, "en", "press")
    _check_languages(official_sents, press_sents)
    candidates = [s for s in official_sents if s.kind in MATCHABLE_KINDS and s.normalized]
    if not candidates:
        raise ValueError("the official text has no body sentences to compare against")

    # units: every candidate sentence, plus the clauses of long ones
    unit_text: list[str] = []
    unit_owner: list[int] = []  # position in `candidates`
    unit_clause: list[str | None] = []
    for k, sent in enumerate(candidates):
        unit_text.append(sent.normalized)
        unit_owner.append(k)
        unit_clause.append(None)
        if clauses and len(sent.normalized) >= clause_min_chars:
            parts = split_clauses(sent.normalized)
            for part in parts if len(parts) > 1 else []:
                unit_text.append(part)
                unit_owner.append(k)
                unit_clause.append(part)

    encoder = load_encoder(model)
    kw = dict(batch_size=batch_size, show_progress_bar=show_progress_bar)
    press_vecs = encoder.encode([s.normalized for s in press_sents], **kw)
    unit_vecs = encoder.encode(unit_text, **kw)
    for name, vecs in (("press", press_vecs), ("official", unit_vecs)):
        if not np.isfinite(vecs).all():
            raise ValueError(f"encoder {encoder.name!r} returned NaN or infinite embeddings "
                             f"for the {name} sentences")

    calib = Calibration.fit(press_vecs, unit_vecs, encoder.encode(BACKGROUND_JA, **kw),
                            encoder.encode(BACKGROUND_EN, **kw))
    owner = np.asarray(unit_owner)
    idf = _evidence_idf([c.normalized for c in candidates])
    rows = []
    for start in range(0, len(press_sents), 1024):  # bounded memory for long inputs
        block = slice(start, start + 1024)
        cos = press_vecs[block] @ unit_vecs.T
        z, rank = calib.scores(cos), calib.ranking(cos)
        shortlist = np.argsort(-rank, axis=1, kind="stable")[:, :4 * th.max_matches + 8]
        for i, press_sent in enumerate(press_sents[block]):
            rows.append(_row(press_sent, z[i], rank[i], cos[i], shortlist[i], owner,
                             candidates, unit_clause, idf, th))
    meta = {"encoder": encoder.name, "thresholds": th,
            "calibration": {"unrelated_cosine": calib.centre, "spread": calib.spread},
            "units": len(unit_text), "candidates": len(candidates)}
    return CoverageReport(rows=rows, official=official_sents, press=press_sents, meta=meta)


@dataclass
class Calibration:
    """How a raw cosine becomes a calibrated score for one pair of documents.

    ``score = (cosine - centre) / spread``, where centre and spread are the
    median and the robust standard deviation of *shuffled pairs*: every press
    sentence against every official unit (nearly all of them unrelated), plus
    press sentences against, and official units against, a fixed set of
    unrelated sentences (:mod:`jp_en_align.background`) so that short documents
    get a null distribution too. A score is thus "standard deviations above an
    unrelated pair, for this encoder and these documents": the same thresholds
    work for an encoder whose unrelated pairs score 0.1 and one whose score 0.8.
    """

    centre: float
    spread: float
    hubness: np.ndarray  # per official unit: how much it scores above centre with everything

    @classmethod
    def fit(cls, press_vecs: np.ndarray, unit_vecs: np.ndarray, background_ja: np.ndarray,
            background_en: np.ndarray, sample: int = 200_000, seed: int = 0) -> "Calibration":
        rng = np.random.default_rng(seed)  # fixed: the same answer every run
        null = np.concatenate([_pair_sample(press_vecs, unit_vecs, sample, rng),
                               _pair_sample(press_vecs, background_ja, sample, rng),
                               _pair_sample(background_en, unit_vecs, sample, rng)])
        centre = float(np.median(null))
        # a unit close to everything the press says (a broad sentence) would
        # attract every press sentence: rank candidates against their typical level
        typical = press_vecs.mean(0) @ unit_vecs.T
        return cls(centre, _robust_spread(null), typical - float(np.median(typical)))

    def scores(self, cosines: np.ndarray) -> np.ndarray:
        """Calibrated scores (what labels are decided on)."""
        return (cosines - self.centre) / self.spread

    def ranking(self, cosines: np.ndarray) -> np.ndarray:
        """Scores minus each unit's hubness: for ranking a press sentence's candidates."""
        return (cosines - self.centre - self.hubness) / self.spread


def _pair_sample(a: np.ndarray, b: np.ndarray, sample: int,
                 rng: np.random.Generator) -> np.ndarray:
    """Cosines of all pairs of rows of ``a`` and ``b``, or of ``sample`` random pairs."""
    if len(a) * len(b) <= sample:
        return (a @ b.T).ravel()
    ii, jj = rng.integers(0, len(a), sample), rng.integers(0, len(b), sample)
    return np.einsum("ij,ij->i", a[ii], b[jj])


def _robust_spread(x: np.ndarray) -> float:
    """Standard deviation estimated from the median absolute deviation (ignores
    the few true matches in the tail)."""
    mad = float(np.median(np.abs(x - np.median(x)))) * 1.4826
    return mad if mad > 1e-6 else float(np.std(x)) or 1.0


def _row(press: Sentence, z: np.ndarray, rank_z: np.ndarray, cos: np.ndarray,
         shortlist: np.ndarray,
         owner: np.ndarray, candidates: list[Sentence], unit_clause: list[str | None],
         idf: dict[str, float], th: Thresholds) -> CoverageRow:
    """Score the shortlisted units of one press sentence and label it."""
    best_unit: dict[int, int] = {}  # candidate -> its best-ranked unit on the shortlist
    for u in shortlist:
        best_unit.setdefault(int(owner[u]), int(u))
    scored = []
    for k, u in best_unit.items():
        ev = shared_evidence(candidates[k].normalized, press.normalized)
        strength = sum(idf.get(x, 1.0) for x in ev.keys())
        # evidence re-ranks strongly, but lifts the score (and so the label) only a little
        rank = float(rank_z[u]) + th.evidence_rank_weight * strength
        score = float(z[u]) + min(th.evidence_cap, th.evidence_weight * strength)
        scored.append((rank, score, k, u, ev))
    scored.sort(key=lambda t: -t[0])
    found = [Match(candidates[k], round(s, 3), round(float(cos[u]), 4), unit_clause[u], ev)
             for _, s, k, u, ev in scored[:th.max_matches]]
    top = found[0].score
    if top < th.support:
        return CoverageRow(press, "unsupported", (), found[0])
    matches = tuple(m for m in found if m.score >= th.support
                    and m.score >= top - th.second_match_gap)
    label = ("translation" if top >= th.translation and matches[0].clause is None
             else "paraphrase" if top >= th.paraphrase else "partial")
    return CoverageRow(press, label, matches, found[0])


def _evidence_idf(official_texts: list[str]) -> dict[str, float]:
    """Weight of each evidence item: 1 for an item only one official sentence has,
    falling towards 0 for items most sentences share (ラオス in a statement on Laos)."""
    df: Counter[str] = Counter(k for text in official_texts for k in evidence_keys(text))
    n = len(official_texts)
    if n < 2:
        return {}
    return {k: max(0.0, math.log(n / c) / math.log(n)) for k, c in df.items()}


def _as_sentences(side: Any, lang: str, what: str) -> list[Sentence]:
    if side is None or isinstance(side, bytes):
        raise TypeError(f"the {what} side must be text (str) or a list of sentences, "
                        f"got {type(side).__name__}")
    if isinstance(side, str):
        from . import segmenting

        sents = (segmenting.segment_ja if lang == "ja" else segmenting.segment_en)(side)
    else:
        side = list(side)
        if all(isinstance(s, Sentence) for s in side):
            sents = side
        else:
            sents = Sentence.from_texts(side, lang)
    if not any(s.normalized.strip() for s in sents):
        raise ValueError(f"the {what} side is empty: nothing to compare "
                         f"(pass the {'Japanese official text' if lang == 'ja' else 'English press text'})")
    return sents


def _japanese_share(sents: list[Sentence]) -> float:
    text = "".join(s.normalized for s in sents)
    letters = len(_LETTERS.findall(text))
    return len(_JA_CHARS.findall(text)) / letters if letters else 0.0


def _check_languages(official: list[Sentence], press: list[Sentence]) -> None:
    ja_official, ja_press = _japanese_share(official), _japanese_share(press)
    if ja_official < 0.2 and ja_press > 0.5:
        raise ValueError("the official text looks English and the press text Japanese: "
                         "the arguments are swapped; call compare(official_ja, press_en)")
    if ja_official < 0.2:
        warnings.warn("the official text does not look Japanese (compare expects the "
                      "official Japanese text first); name and date evidence will not work",
                      stacklevel=3)
    if ja_press > 0.5:
        warnings.warn("the press text looks Japanese (compare expects English press text "
                      "second); name and date evidence will not work", stacklevel=3)
