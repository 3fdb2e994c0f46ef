"""Press coverage: which English press sentences report which sentences of an
official Japanese text.

Press sentences are not translations: they reorder, compress several official
sentences into one, add commentary, and sit beside unrelated stories. So this
is not a monotonic alignment. How a press sentence is judged:

1. It is scored against every official sentence *and* every clause of the long
   ones (:mod:`jp_en_align.clauses`): cosine similarity, calibrated on shuffled
   pairs of these very documents (plus a few fixed unrelated sentences,
   :mod:`jp_en_align.background`), i.e. in "standard deviations above an
   unrelated pair". Thresholds are in those units, so they hold for encoders
   whose raw cosines differ widely (unrelated pairs at 0.1 or at 0.8).
2. Shared numbers, dates, names and loanwords (:mod:`jp_en_align.evidence`)
   re-rank the candidates and add a little to the score; names the official
   text never mentions (a kickboxer's, "amid China's rise") take a little away.
3. Content words with a counterpart in the match (:mod:`jp_en_align.content_words`)
   give the *coverage*: how much of the press sentence the official text says.

Labels: ``unsupported`` (score below ``support``), ``partial`` (supported, but
it adds names the text lacks, covers few of its words, or scores modestly),
``paraphrase`` and ``translation`` (high score and coverage, whole sentence).

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
import os
import warnings
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np

from .background import BACKGROUND_EN, BACKGROUND_JA
from .clauses import split_clauses
from .words import WordMatcher, english_words, japanese_words
from .report import LABELS, CoverageReport, CoverageRow, Match
from ..embed.loading import load_encoder
from ..aligner.evidence import NameIndex, evidence_keys, shared_evidence
from ..text import segment as segmenting
from ..text.normalize import check_sentence_list, letter_counts
from ..text.sentence import Sentence, check_sentences

__all__ = ["compare", "CoverageReport", "CoverageRow", "Match", "Thresholds", "LABELS"]

# Official units worth matching: running text and the title (a press sentence
# often reports "a joint statement on ..."); not headings, dates or signatures.
MATCHABLE_KINDS = ("body", "title")
_BLOCK = 1024  # press sentences scored at a time: memory stays linear in input size



@dataclass(frozen=True)
class Thresholds:
    """Label thresholds in calibrated units (standard deviations above an
    unrelated pair), and how much evidence counts. Chosen on the press-coverage
    benchmark (benchmarks/bench_compare.py); see the module docstring.

    Example:
        >>> strict = Thresholds(support=6.0)    # fewer, surer matches
        >>> strict.support, strict.paraphrase
        (6.0, 7.5)
    """

    support: float = 5.3
    paraphrase: float = 7.5
    translation: float = 10.0
    second_match_gap: float = 1.5  # a further match must score within this of the best
    max_matches: int = 3
    evidence_weight: float = 1.0  # calibrated units added per (informative) shared item
    evidence_cap: float = 3.0
    evidence_rank_weight: float = 1.0  # the same, for ranking the candidates only
    # names the official text never mentions ("amid China's rise", a kickboxer's
    # name) count against a press sentence: this much each, at most `novelty_cap`
    novelty_weight: float = 0.5
    novelty_cap: float = 2.0
    # share of the press sentence's content words with a counterpart in the match
    paraphrase_coverage: float = 0.3
    translation_coverage: float = 0.6


def compare(official: str | os.PathLike | Sequence[str] | Sequence[Sentence],
            press: str | os.PathLike | Sequence[str] | Sequence[Sentence], *,
            model: Any = None, clauses: bool = True, clause_min_chars: int = 50,
            thresholds: Thresholds | None = None, batch_size: int = 64,
            show_progress_bar: bool | None = None) -> CoverageReport:
    """Report which press sentences report which official sentences.

    Args:
        official: the official Japanese text (raw text is segmented with
            :func:`~jp_en_align.text.segment.segment_ja`), a file
            (``pathlib.Path``: PDF, .docx, HTML, text; read by
            :func:`~jp_en_align.readers.read_document`), or its sentences (a
            list of strings or :class:`Sentence` objects, used as given).
        press: the English press text (segmented with ``segment_en``), a file
            (``pathlib.Path``) or its sentences.
        model: encoder (anything :func:`~jp_en_align.embed.load_encoder`
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

    calib = Calibration.fit(press_vecs, unit_vecs,
                            np.array([c is not None for c in unit_clause]),
                            encoder.encode(BACKGROUND_JA, **kw),
                            encoder.encode(BACKGROUND_EN, **kw))
    # rows whose best score cannot reach `support` even with the most evidence
    # are settled cheaply; the word-level work is done for the others only
    hopeful = np.concatenate([
        calib.scores(press_vecs[start:start + _BLOCK] @ unit_vecs.T).max(1)
        + th.evidence_cap >= th.support for start in range(0, len(press_sents), _BLOCK)])
    press_words = [english_words(s.normalized) if hope else ()
                   for s, hope in zip(press_sents, hopeful)]
    unit_words = [japanese_words(t) for t in unit_text]
    scorer = _RowScorer(
        candidates, np.asarray(unit_owner), unit_clause, unit_words, th,
        idf=_evidence_idf([c.normalized for c in candidates]),
        words=WordMatcher(encoder, [w for ws in press_words for w in ws],
                          [w for ws in unit_words for w in ws]),
        names=NameIndex([s.normalized for s in official_sents]))
    rows = []
    for start in range(0, len(press_sents), _BLOCK):  # bounded memory for long inputs
        cos = press_vecs[start:start + _BLOCK] @ unit_vecs.T
        z, rank = calib.scores(cos), calib.ranking(cos)
        shortlist = np.argsort(-rank, axis=1, kind="stable")[:, :2 * th.max_matches + 6]
        for i in range(len(cos)):
            k = start + i
            rows.append(scorer.row(press_sents[k], press_words[k], z[i], rank[i], cos[i],
                                   shortlist[i], bool(hopeful[k])))
    meta = {"encoder": encoder.name, "thresholds": th,
            "calibration": {"unrelated_cosine": float(calib.centre[0]),
                            "spread": float(calib.spread[0])},
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

    centre: np.ndarray  # per official unit (whole sentences and clauses differ)
    spread: np.ndarray
    hubness: np.ndarray  # per official unit: how close it is to everything the press says

    @classmethod
    def fit(cls, press_vecs: np.ndarray, unit_vecs: np.ndarray, is_clause: np.ndarray,
            background_ja: np.ndarray, background_en: np.ndarray, sample: int = 100_000,
            seed: int = 0) -> "Calibration":
        rng = np.random.default_rng(seed)  # fixed: the same answer every run
        centre = np.zeros(len(unit_vecs))
        spread = np.ones(len(unit_vecs))
        # short clauses resemble more things than whole sentences: each kind of
        # unit gets its own null distribution
        for kind in (False, True):
            units = unit_vecs[is_clause == kind]
            if not len(units):
                continue
            groups = [(press_vecs, units), (press_vecs, background_ja), (background_en, units)]
            # all these pairs, or the same share of each group when they are many
            share = min(1.0, sample / sum(len(a) * len(b) for a, b in groups))
            null = np.concatenate([_pair_sample(a, b, share, rng) for a, b in groups])
            centre[is_clause == kind] = np.median(null)
            spread[is_clause == kind] = _robust_spread(null)
        # a unit close to everything the press says (a broad sentence) would
        # attract every press sentence: rank candidates against their typical level
        typical = press_vecs.mean(0) @ unit_vecs.T
        return cls(centre, spread, typical - float(np.median(typical)))

    def scores(self, cosines: np.ndarray) -> np.ndarray:
        """Calibrated scores (what labels are decided on)."""
        return (cosines - self.centre) / self.spread

    def ranking(self, cosines: np.ndarray) -> np.ndarray:
        """Scores minus each unit's hubness: for ranking a press sentence's candidates."""
        return (cosines - self.centre - self.hubness) / self.spread


def _pair_sample(a: np.ndarray, b: np.ndarray, share: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Cosines of all pairs (row of ``a``, row of ``b``), or of a random
    ``share`` of them (at least 1,000) when there are many."""
    n = len(a) * len(b)
    if share >= 1.0 or n <= 1000:
        return (a @ b.T).ravel()
    k = max(1000, int(n * share))
    ii, jj = rng.integers(0, len(a), k), rng.integers(0, len(b), k)
    return np.einsum("ij,ij->i", a[ii], b[jj])


def _robust_spread(x: np.ndarray) -> float:
    """Standard deviation estimated from the median absolute deviation (ignores
    the few true matches in the tail)."""
    mad = float(np.median(np.abs(x - np.median(x)))) * 1.4826
    return mad if mad > 1e-6 else float(np.std(x)) or 1.0


@dataclass
class _RowScorer:
    """Scores the shortlisted official units of one press sentence and labels it."""

    candidates: list[Sentence]
    owner: np.ndarray  # unit -> position in candidates
    unit_clause: list[str | None]
    unit_words: list[tuple[str, ...]]
    th: Thresholds
    idf: dict[str, float]
    words: WordMatcher
    names: NameIndex

    def row(self, press: Sentence, press_words: tuple[str, ...], z: np.ndarray,
            rank_z: np.ndarray, cos: np.ndarray, shortlist: np.ndarray,
            hopeful: bool = True) -> CoverageRow:
        th = self.th
        if not hopeful:  # cannot reach `support`: just say which official sentence was nearest
            u = int(shortlist[0])
            k = int(self.owner[u])
            ev = shared_evidence(self.candidates[k].normalized, press.normalized)
            nearest = Match(self.candidates[k], round(float(z[u]), 3), round(float(cos[u]), 4),
                            self.unit_clause[u], ev)
            return CoverageRow(press, "unsupported", (), nearest, nearest.score)
        best_unit: dict[int, int] = {}  # candidate -> its best-ranked unit on the shortlist
        for n, u in enumerate(shortlist):
            # evidence is looked for only where it could make a match
            if n == 0 or z[u] + th.evidence_cap >= th.support:
                best_unit.setdefault(int(self.owner[u]), int(u))
        scored = []
        for k, u in best_unit.items():
            ev = shared_evidence(self.candidates[k].normalized, press.normalized)
            strength = sum(self.idf.get(x, 1.0) for x in ev.keys())
            # evidence re-ranks, and lifts the score (and so the label) a little
            rank = float(rank_z[u]) + th.evidence_rank_weight * strength
            score = float(z[u]) + min(th.evidence_cap, th.evidence_weight * strength)
            scored.append((rank, score, k, u, ev))
        scored.sort(key=lambda t: -t[0])
        found, covered = [], set()
        for _, score, k, u, ev in scored[:th.max_matches]:
            # English words the names and Latin words already explain
            explained = ({w.lower() for _, en in ev.names for w in en.split()}
                         | {w.split("=")[-1].lower() for w in ev.words})
            overlap = self.words.overlap(press_words, self.unit_words[u])
            pairs = [(j, e) for j, e in overlap.pairs if e not in explained]
            if not found or score >= max(th.support, found[0].score - th.second_match_gap):
                covered.update(e for _, e in pairs)
                covered.update(w for w in explained if w in press_words)
            ev = replace(ev, words=ev.words + tuple(f"{j}={e}" for j, e in pairs))
            found.append(Match(self.candidates[k], round(score, 3), round(float(cos[u]), 4),
                               self.unit_clause[u], ev))
        coverage = round(len(covered) / len(press_words), 3) if press_words else 0.0
        foreign = tuple(self.names.foreign_names(press.normalized, self.words.has_counterpart))
        score = found[0].score - min(th.novelty_cap, th.novelty_weight * len(foreign))
        label = self.label(score, coverage, bool(foreign), found[0].clause is not None)
        # candidates were chosen by ranking (hubness, evidence); show them by score
        matches = tuple(sorted((m for m in found if m.score >= th.support
                                and m.score >= found[0].score - th.second_match_gap),
                               key=lambda m: -m.score))
        if label == "unsupported":
            matches = ()
        return CoverageRow(press, label, matches, found[0], round(score, 3), coverage, foreign)

    def label(self, score: float, coverage: float, adds_names: bool, is_clause: bool) -> str:
        th = self.th
        if score < th.support:
            return "unsupported"
        if adds_names or coverage < th.paraphrase_coverage or score < th.paraphrase:
            return "partial"
        if score >= th.translation and coverage >= th.translation_coverage and not is_clause:
            return "translation"
        return "paraphrase"


def _evidence_idf(official_texts: list[str]) -> dict[str, float]:
    """Weight of each evidence item: 1 for an item only one official sentence has,
    falling towards 0 for items most sentences share (ラオス in a statement on Laos)."""
    df: Counter[str] = Counter(k for text in official_texts for k in evidence_keys(text))
    n = len(official_texts)
    if n < 2:
        return {}
    # squared, so that items in a quarter of the sentences count for little
    return {k: max(0.0, math.log(n / c) / math.log(n)) ** 2 for k, c in df.items()}


def _as_sentences(side: Any, lang: str, what: str) -> list[Sentence]:
    if side is None or isinstance(side, bytes):
        raise TypeError(f"the {what} side must be text (str) or a list of sentences, "
                        f"got {type(side).__name__}")
    if isinstance(side, os.PathLike):  # a file (a str is always text, never a path)
        from ..readers import read_document

        sents = read_document(side).sentences(lang)
    elif isinstance(side, str):
        sents = (segmenting.segment_ja if lang == "ja" else segmenting.segment_en)(side)
    else:
        check_sentence_list(side, f"the {what} side")
        side = list(side)
        if all(isinstance(s, Sentence) for s in side):
            check_sentences(side, f"the {what} side's")
            sents = side
        else:
            sents = Sentence.from_texts(side, lang)
    if not any(s.normalized.strip() for s in sents):
        expected = "the Japanese official text" if lang == "ja" else "the English press text"
        raise ValueError(f"the {what} side is empty: nothing to compare (pass {expected})")
    return sents


def _japanese_share(sents: list[Sentence]) -> float:
    ja, latin = letter_counts("".join(s.normalized for s in sents))
    return ja / (ja + latin) if ja + latin else 0.0


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
