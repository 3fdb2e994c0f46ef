"""Press coverage: which English press sentences report which sentences of an
official Japanese text.

Press sentences are not translations: they reorder, compress several official
sentences into one, add commentary, and sit beside unrelated stories. So this
is not a monotonic alignment. How a press sentence is judged:

1. It is scored against every official sentence *and* every clause of the long
   ones (:mod:`.clauses`); a press sentence that turns to a second fact or to
   framing ("…, as Tokyo tries to …") is scored by its clauses too. Cosine
   similarity is calibrated on shuffled pairs of these very documents (plus
   fixed unrelated sentences, :mod:`.background`), i.e. in "standard
   deviations above an unrelated pair", so thresholds hold for encoders whose
   raw cosines differ widely (unrelated pairs at 0.1 or at 0.8).
2. Evidence (:mod:`jp_en_align.coverage.scoring`): glossary translations (:mod:`.lexicon`), shared
   numbers, names and loanwords, weighted by how specific they are, re-rank
   the candidates and lift the score; names the official text never mentions
   (a kickboxer's, "amid China's rise") take a little away.
3. Every official sentence that explains further press words is a match too;
   dates, years, anniversaries and durations stated differently are
   *conflicts* (:mod:`.facts`).

Labels (thresholds in :class:`Thresholds`, printed in the report header):
``translation`` and ``paraphrase`` (high score and word coverage), ``partial``
(supported, but it adds names the text lacks, conflicts, covers few of its
words, or scores modestly), ``unsupported`` (below ``support``: a claim the
statement does not make) and ``unrelated`` (far below, nothing specific
shared: another story, boilerplate, a paywall).

Example:
    >>> report = compare(["両首脳は、ビザ免除の滞在期間を15日から30日に延長することで一致した。",
    ...                   "両首脳は、ウクライナ情勢について平和の重要性を強調した。"],
    ...                  ["Laos will extend visa-free stays for Japanese from 15 to 30 days.",
    ...                   "A kickboxer brought holiday cheer to schoolchildren."])
    >>> [(row.is_supported, row.best.official.index if row.best else None)
    ...  for row in report.rows]
    [(True, 0), (False, None)]
"""

from __future__ import annotations

import gc
import math
import os
import re
from collections import Counter
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

import numpy as np

from .background import BACKGROUND_EN, BACKGROUND_JA
from .calibration import Calibration
from .clauses import split_clauses, split_press_clauses
from .lexicon import Glossary
from .names import OfficialNames
from .report import LABELS, CoverageReport, CoverageRow, Match
from .scoring import RowScorer, Thresholds
from .vocabulary import Vocabulary
from .words import english_words
from ..embed.loading import load_encoder
from ..aligner.evidence import NameIndex, evidence_keys, quantities
from .. import progress
from ..readers import Document, as_sentences, read_document
from ..text.languages import check_languages
from ..text.sentence import Sentence

__all__ = ["compare", "CoverageReport", "CoverageRow", "Match", "Thresholds", "LABELS"]

# Official units worth matching: running text and the title (a press sentence
# often reports "a joint statement on ..."); not headings, dates or signatures.
MATCHABLE_KINDS = ("body", "title")
_BLOCK = 1024  # press sentences scored at a time: memory stays linear in input size
_MID_LOWERCASE = re.compile(r"(?<=\s)[a-z][a-z'\-]{2,}")  # lower-case words after the first
GLOSSARY = Glossary()
_CLAUSE_LIFT = 2.0  # how much higher than its sentence a press clause may score


def compare(official: str | os.PathLike | Sequence[str] | Sequence[Sentence],
            press: str | os.PathLike | Sequence[str] | Sequence[Sentence], *,
            model: Any = None, clauses: bool = True, clause_min_chars: int = 50,
            thresholds: Thresholds | None = None, batch_size: int = 64,
            show_progress_bar: bool | None = None,
            encoding: str | None = None) -> CoverageReport:
    """Report which press sentences report which official sentences.

    Args:
        official: the official Japanese text (raw text is segmented with
            :func:`~jp_en_align.text.segment.segment_ja`), a file
            (``pathlib.Path``: PDF, .docx, HTML, text; read by
            :func:`~jp_en_align.readers.read_document`), or its sentences (a
            list of strings or :class:`Sentence` objects, used as given).
        press: the English press text (segmented with ``segment_en``), a file
            (``pathlib.Path``) or its sentences. Either side may also be a
            :class:`~jp_en_align.readers.Document` already read.
        model: encoder (anything :func:`~jp_en_align.embed.load_encoder`
            accepts); None for the built-in default.
        clauses: also match the clauses of long official sentences.
        clause_min_chars: official sentences at least this long are split.
        thresholds: label thresholds (calibrated units); the defaults suit any
            encoder because scores are calibrated per document pair.
        encoding: a text file's encoding (None: detected), as for
            :meth:`~jp_en_align.aligner.aligner.Aligner.align`.

    Returns:
        A :class:`CoverageReport`: ``report.rows`` (one per press sentence, in
        order), ``report.uncovered``, ``report.reported_by(...)``,
        ``report.to_dataframe()``; ``print(report)`` gives a text report.

    Raises:
        ValueError: a side is empty, or the two sides look swapped.

    Example:
        >>> r = compare("両首脳は協力の強化で一致した。", "The leaders agreed to strengthen cooperation.")
        >>> r.rows[0].is_supported
        True
    """
    # one bar for everything compare() encodes (sentences, clauses, calibration)
    with progress.bar("comparing: encoding", unit="sent", show=show_progress_bar), _gc_paused():
        # a file is read once; its text keeps the press rows' line numbers
        official, press = _as_document(official, encoding), _as_document(press, encoding)
        return _compare(official, press, model, clauses, clause_min_chars, thresholds,
                        batch_size, show_progress_bar)


def _compare(official: Any, press: Any, model: Any, clauses: bool, clause_min_chars: int,
             thresholds: Thresholds | None, batch_size: int,
             show_progress_bar: bool | None) -> CoverageReport:
    th = thresholds or Thresholds()
    official_sents = _sides(official, "ja", "official")
    press_sents = _sides(press, "en", "press")
    check_languages(official_sents, press_sents, call="compare(official_ja, press_en)",
                    stacklevel=4)
    candidates = [s for s in official_sents if s.kind in MATCHABLE_KINDS and s.normalized]
    if not candidates:
        raise ValueError("the official text has no body sentences to compare against")
    # the short-line rules (`standout`, `linked`) take the press sentence an
    # official sentence is closest to: with k times more press sentences than
    # official ones, that is the best of k unrelated lines by chance, so their
    # bar rises by the expected best of k (sqrt(2 ln k) standard deviations)
    crowd = len(press_sents) / len(candidates)
    by_chance = math.sqrt(2 * math.log(crowd)) if crowd > 1 else 0.0

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
    # the units and the calibration background in one call (the encoder's threads
    # share it better than two small calls; each text's vector is the same)
    unit_vecs, background = np.split(
        encoder.encode(unit_text + BACKGROUND_JA + BACKGROUND_EN, **kw), [len(unit_text)])
    for name, vecs in (("press", press_vecs), ("official", unit_vecs)):
        if not np.isfinite(vecs).all():
            raise ValueError(f"encoder {encoder.name!r} returned NaN or infinite embeddings "
                             f"for the {name} sentences")

    calib = Calibration.fit(press_vecs, unit_vecs,
                            np.array([c is not None for c in unit_clause]),
                            background[:len(BACKGROUND_JA)], background[len(BACKGROUND_JA):])
    # the project glossary and JMdict for the words of this official text
    vocabulary = Vocabulary([c.normalized for c in candidates], GLOSSARY)
    official_terms = frozenset().union(*(vocabulary.ja_terms(c.normalized) for c in candidates))
    position = {id(c): k for k, c in enumerate(candidates)}
    scorer = RowScorer(
        candidates, np.asarray(unit_owner), unit_clause, th,
        idf=_evidence_idf([c.normalized for c in candidates], vocabulary),
        names=NameIndex([s.normalized for s in official_sents]),
        glossary=vocabulary,
        official_names=OfficialNames([s.normalized for s in official_sents]),
        official_terms=official_terms,
        official_quantities=frozenset().union(*(quantities(c.normalized, "ja")
                                                for c in candidates)),
        name_candidate={i: position[id(s)] for i, s in enumerate(official_sents)
                        if id(s) in position},
        lowercase_words=frozenset(w for s in press_sents
                                  for w in _MID_LOWERCASE.findall(s.normalized)),
        by_chance=by_chance)
    scorer.sharing.prepare(s.normalized for s in press_sents)
    # the most evidence each press sentence could get from any official sentence:
    # rows that cannot reach `support` even so are settled cheaply
    bound = np.array([min(th.evidence_cap, th.evidence_weight * scorer.evidence_bound(s.normalized))
                      for s in press_sents])
    # each press sentence's best unit, and each unit's best press sentence: a
    # press sentence that is its unit's best and stands far above its other
    # candidates is a translation however short; so is one that wins its best
    # candidate in a one-to-one pairing (`linked`; each press sentence's few
    # best candidates enter it, so memory stays linear in the press text)
    best_z = np.empty(len(press_sents))
    unit_best = np.full(len(unit_text), -np.inf)
    owner = np.asarray(unit_owner)
    first_unit = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # a candidate's units
    nearest: list[tuple[float, int, int]] = []  # (score, press, candidate), for the linking
    for start in range(0, len(press_sents), _BLOCK):
        z = calib.scores(encoder.similarity(press_vecs[start:start + _BLOCK], unit_vecs))
        best_z[start:start + len(z)] = z.max(1)
        np.maximum(unit_best, z.max(0), out=unit_best)
        nearest += _nearest_candidates(np.maximum.reduceat(z, first_unit, axis=1), start)
    linked = _competitive_links(nearest, len(press_sents))
    # press sentences that turn to a second fact or to framing ("…, as Tokyo
    # tries to …") are also scored by their clauses: the news, not the framing,
    # decides which official sentence comes first. Only sentences that could
    # come near `support` are split.
    near = best_z + bound + _CLAUSE_LIFT >= th.support
    press_clauses = [split_press_clauses(s.normalized) if clauses and close else []
                     for s, close in zip(press_sents, near)]
    clause_of = np.array([k for k, parts in enumerate(press_clauses) for _ in parts], dtype=int)
    clause_vecs = encoder.encode([p for parts in press_clauses for p in parts], **kw) \
        if len(clause_of) else np.zeros((0, unit_vecs.shape[1]), np.float32)
    if len(clause_of):
        clause_z = calib.scores(encoder.similarity(clause_vecs, unit_vecs))
        np.maximum.at(best_z, clause_of, clause_z.max(1))
    hopeful = best_z + bound >= th.support
    press_words = [english_words(s.normalized) if hope else ()
                   for s, hope in zip(press_sents, hopeful)]
    lines = _source_lines(press, press_sents)
    rows = []
    for start in range(0, len(press_sents), _BLOCK):  # bounded memory for long inputs
        cos = encoder.similarity(press_vecs[start:start + _BLOCK], unit_vecs)
        z, rank = calib.scores(cos), calib.ranking(cos)
        in_block = (clause_of >= start) & (clause_of < start + len(cos))
        if in_block.any():  # a unit scores by the better of sentence and best clause
            clause_cos = encoder.similarity(clause_vecs[in_block], unit_vecs)
            np.maximum.at(rank, clause_of[in_block] - start, calib.ranking(clause_cos))
            np.maximum.at(z, clause_of[in_block] - start, calib.scores(clause_cos))
        shortlist = np.argsort(-rank, axis=1, kind="stable")[:, :2 * th.max_matches + 6]
        standout = _standing_out(calib.scores(cos), owner, unit_best, th.standout)
        for i in range(len(cos)):
            k = start + i
            rows.append(scorer.row(press_sents[k], press_words[k], z[i], rank[i], cos[i],
                                   shortlist[i], bool(hopeful[k]), lines[k], standout[i],
                                   linked[k]))
    meta = {"encoder": encoder.name, "thresholds": th,
            "calibration": {"unrelated_cosine": float(calib.centre[0]),
                            "spread": float(calib.spread[0])},
            "units": len(unit_text), "candidates": len(candidates),
            "short_line_bar_raised": round(by_chance, 3)}
    return CoverageReport(rows=rows, official=official_sents, press=press_sents, meta=meta)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the call: a comparison makes many
    small objects and few cycles, and each full collection also walks the
    loaded model (about 0.15 s of 5,000 press sentences). Reference counting
    still frees what is dropped; the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _standing_out(z: np.ndarray, owner: np.ndarray, unit_best: np.ndarray,
                  margin: float) -> list[int | None]:
    """Per press sentence (row of calibrated scores ``z``): the candidate whose
    unit it matches best when it is also that unit's best press sentence and
    beats every other candidate by ``margin`` (None otherwise)."""
    out: list[int | None] = []
    for row in z:
        u = int(row.argmax())
        others = row[owner != owner[u]]
        second = float(others.max()) if len(others) else -np.inf
        out.append(int(owner[u]) if row[u] >= unit_best[u] and row[u] - second >= margin
                   else None)
    return out


def _nearest_candidates(z: np.ndarray, start: int, k: int = 8) -> list[tuple[float, int, int]]:
    """(score, press position, candidate) of each press sentence's ``k`` best
    candidates (``z``: a block of press sentences starting at ``start``, one
    column per candidate)."""
    k = min(k, z.shape[1])
    top = np.argpartition(-z, k - 1, axis=1)[:, :k]
    return [(float(z[i, j]), start + i, int(j)) for i, row in enumerate(top.tolist()) for j in row]


def _competitive_links(pairs: list[tuple[float, int, int]], n_press: int) -> list[int | None]:
    """A one-to-one pairing of press sentences and candidates, best score first
    (competitive linking, Melamed 2000): per press sentence its candidate, or
    None. A translated line wins its counterpart even when the text repeats
    lines like it ("Alright." among many わかりました。), which a mutual best
    match alone would not see."""
    linked: list[int | None] = [None] * n_press
    taken: set[int] = set()
    for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if linked[i] is None and j not in taken:
            linked[i] = j
            taken.add(j)
    return linked


def _evidence_idf(official_texts: list[str], vocabulary: Vocabulary) -> dict[str, float]:
    """Weight of each evidence item: 1 for an item only one official sentence has,
    falling towards 0 for items most sentences share (ラオス in a statement on Laos)."""
    df: Counter[str] = Counter(k for text in official_texts
                               for k in evidence_keys(text) | vocabulary.ja_terms(text))
    n = len(official_texts)
    if n < 2:
        return {}
    # squared, so that items in a quarter of the sentences count for little
    return {k: max(0.0, math.log(n / c) / math.log(n)) ** 2 for k, c in df.items()}


def _source_lines(press: Any, sents: list[Sentence]) -> list[int | None]:
    """The 1-based input line (one article or snippet a line) each press sentence
    starts on: from the spans into raw text (or a document's text), or the
    position in a list of strings."""
    if isinstance(press, Document):
        press = press.text
    if isinstance(press, str):
        return [press.count("\n", 0, s.span[0]) + 1 for s in sents]
    if all(isinstance(p, str) for p in press):
        return [s.index + 1 for s in sents]
    return [None] * len(sents)


def _as_document(side: Any, encoding: str | None) -> Any:
    """A file (``pathlib.Path``; a str is always text, never a path) read as a
    :class:`Document`; anything else as it is."""
    return read_document(side, encoding) if isinstance(side, os.PathLike) else side


def _sides(side: Any, lang: str, what: str) -> list[Sentence]:
    sents = as_sentences(side, lang, what=f"the {what} side")
    if not any(s.normalized.strip() for s in sents):
        expected = "the Japanese official text" if lang == "ja" else "the English press text"
        raise ValueError(f"the {what} side is empty: nothing to compare (pass {expected})")
    return sents
