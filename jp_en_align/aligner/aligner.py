"""The monotonic aligner: sentences of both sides in, an :class:`AlignedCorpus` out.

A bead pairs a run of consecutive source ("ja") sentences with a run of
consecutive target ("en") sentences: 1-1, 2-1, 1-2, ... up to ``max_bead``
sentences, and 1-0 / 0-1 for a sentence with no counterpart. The aligner finds
the monotonic sequence of beads with the best total score
(:mod:`jp_en_align.aligner.scoring`), every sentence in exactly one bead.

How, at close to the cost of embedding each sentence once:

1. Embed every sentence once.
2. Band: for a long document, halve both sides by averaging the embeddings of
   sentence pairs, recursively, align the small versions with a plain
   1-1/1-0/0-1 dynamic programme, and project the path back with a margin
   (Vecalign's idea). Everything below happens inside this band: memory and
   time grow linearly with the documents. Short documents use the full grid.
3. Calibrate on the document itself: the cosine of translations (mutual best
   matches), of unrelated pairs (next to a rough path), the length ratio and
   its spread.
4. First pass over every bead type, a run of sentences standing in for its
   own embedding with the normalised sum of its sentences' embeddings: free,
   as it needs only sentence-pair cosines.
5. Forward and backward passes give, for every multi-sentence bead, the best
   score of a path through it. Only beads within ``candidate_margin`` of the
   best path get their runs embedded for real (each run once): a few percent
   of the text, against ~10x the text for aligners that embed every run.
6. Final pass: the same programme, multi-sentence beads restricted to those
   candidates and scored with their real embeddings.
7. If the path leaves many sentences unpaired (a partly parallel text), stray
   sentences are peeled off its 2-1/1-2 beads and weak 1-1 pairs undone
   (:func:`~jp_en_align.aligner.search.peel_strays`).

Example:
    >>> corpus = align(["東京は日本の首都です。", "人口は多い。"],
    ...                ["Tokyo is the capital of Japan.", "It has a large population."])
    >>> [p.kind for p in corpus]
    ['1-1', '1-1']
"""

from __future__ import annotations

import os
import time
from typing import Any, Sequence

import numpy as np

from .. import progress
from .._version import __version__
from ..corpus.aligned import AlignedCorpus
from ..embed.loading import load_encoder
from ..embed.spans import SpanEmbeddings
from ..text.sentence import Sentence
from .band import NEG_INF, Band, approx_run_similarities, band_similarities, bead_types
from .scoring import UNSPACED_LANGS, DocumentScorer, ScoringParams
from .confidence import (CALIBRATION, EVIDENCE, ONE_LINE, TEMPERATURE, ComparableTextsWarning,
                         bead_evidence, confident_beads, logit, one_line_bead,
                         warn_if_comparable)
from .options import check_options
from .anchors import align_around, check_anchors, realign
from .inputs import check_embeddings as _check_embeddings, read_sides
from .posterior import path_posteriors
from .search import (FIRST_MULTI, SearchParams, backward, fill_scores, find_band,
                     forbid_mixed_kinds, forward, near_best, peel_strays, simple_path,
                     split_weak_pairs, traceback, weak_pairs)

# ------------------------------------------------------------------ the aligner

SEARCH_STEPS = 4
"""Steps the search's progress bar counts (band, first pass, runs, final pass)."""


class Aligner:
    """A reusable sentence aligner: one encoder, many documents.

    Args:
        model: the encoder: None for the built-in default (USE-multilingual
            v3), a sentence-transformers model name or path, an object with an
            ``encode`` method, or an :class:`~jp_en_align.embed.encoder.Encoder`.
        max_bead: most sentences (both sides together) in one bead; the
            default 6 allows 1-1 … 5-1 and 2-4, 3-3, 4-2, plus 1-0 and 0-1.
        src_lang, tgt_lang: languages of the first and second argument of
            :meth:`align` ("ja" and "en" by default; e.g. "de" and "fr" for
            Text+Berg). They choose how runs of sentences are joined before
            embedding (no space for ja/zh/th, one space otherwise), which
            words can be anchors, and how raw text is segmented (only ja/en).
        cache_dir: folder for the encoder's persistent vector cache.
        device: where a sentence-transformers model runs ("cpu", "cuda", "cuda:1",
            ...; the built-in encoder runs on the CPU); on a GPU the default
            ``batch_size`` becomes 256.
        batch_size, show_progress_bar: passed to the encoder.
        band_width: margin (in sentences) of the band around the coarse path
            in long documents; wider is slower and tolerates rougher paths.
        candidate_margin: how close (in score) to the best first-pass path a
            multi-sentence bead must come to have its runs embedded for real;
            larger embeds more text and is rarely more accurate.
        scoring: weights of the bead score (:class:`~jp_en_align.aligner.scoring.ScoringParams`).

    Example:
        >>> aligner = Aligner()
        >>> corpus = aligner.align(["猫が好きです。", "犬も好きです。"],
        ...                        ["I like cats.", "I like dogs too."])
        >>> [(p.ja_ids, p.en_ids) for p in corpus]
        [((0,), (0,)), ((1,), (1,))]
        >>> de_fr = Aligner(src_lang="de", tgt_lang="fr")
        >>> [p.kind for p in de_fr.align(["Ich mag Katzen."], ["J'aime les chats."])]
        ['1-1']
    """

    def __init__(self, model: Any = None, *, max_bead: int = 6, src_lang: str = "ja",
                 tgt_lang: str = "en", cache_dir: str | os.PathLike | None = None,
                 batch_size: int = 64, show_progress_bar: bool | None = None,
                 band_width: int = 8, candidate_margin: float = 3.0,
                 scoring: ScoringParams | None = None, device: str | None = None) -> None:
        check_options({"max_bead": max_bead, "src_lang": src_lang, "tgt_lang": tgt_lang,
                       "cache_dir": cache_dir, "batch_size": batch_size, "scoring": scoring,
                       "show_progress_bar": show_progress_bar, "band_width": band_width,
                       "candidate_margin": candidate_margin, "device": device})
        self.encoder = load_encoder(model, **({} if cache_dir is None else {"cache_dir": cache_dir}),
                                    **({} if device is None else {"device": device}))
        if device is not None and device.startswith("cuda") and batch_size == 64:
            batch_size = 256  # a GPU's batches: more texts per call, fewer round trips
        self.search = SearchParams(max_bead=max_bead, band_width=band_width,
                                   candidate_margin=candidate_margin)
        self.scoring = scoring or ScoringParams()
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.batch_size, self.show_progress_bar = batch_size, show_progress_bar
        # how bead posteriors become confidences (fitted constants, see posterior.py)
        self.temperature, self.calibration, self.one_line = TEMPERATURE, CALIBRATION, ONE_LINE

    def _joiner(self, lang: str) -> str:
        return "" if lang in UNSPACED_LANGS else " "

    def align(self, ja: Any, en: Any, *,
              anchors: Sequence[tuple[Sequence[int], Sequence[int]]] | None = None,
              encoding: str | None = None) -> AlignedCorpus:
        """Align two documents: raw text (segmented here), files (``pathlib.Path``:
        PDF, .docx, HTML or text in any Japanese encoding, read by
        :func:`~jp_en_align.readers.read_document`; ``encoding`` forces a text
        file's encoding) or lists of sentences, all through one entrance,
        :func:`~jp_en_align.readers.as_sentences`.

        Returns an :class:`AlignedCorpus` whose beads ``(ja_ids, en_ids,
        score)`` cover every sentence of both sides once, in order. The score
        is the cosine similarity of the embeddings of the bead's two sides
        (a run of sentences embedded as one joined text), 0.0 for 1-0 and 0-1
        beads. ``meta`` records the encoder, the parameters, the library
        version, the document's calibration and the time spent encoding
        (``timings["encode_sentences"]``, ``["encode_runs"]``) and searching.
        Each sentence is encoded once per call.

        ``anchors``: pairs ``(ja_ids, en_ids)`` a person has fixed (a run of
        sentences on each side, or on one side for a sentence with no
        counterpart). Each comes out exactly as given, with status
        ``confirmed``; only the stretches between them are aligned
        (:mod:`jp_en_align.aligner.anchors`). Overlapping or out-of-order
        anchors are a ValueError naming them.

        Raises:
            TypeError: an argument is None, bytes, or a list with non-strings.
            SwappedLanguagesError: (a ValueError) ``ja`` is English and ``en``
                Japanese; swap them.
            ValueError: the encoder gave NaN or zero vectors for real text;
                :class:`~jp_en_align.readers.DocumentError` for a file that
                cannot be read (a scanned PDF, an old .doc, …).

        Example:
            >>> aligner = Aligner()
            >>> corpus = aligner.align("猫が好きです。犬も好きです。", "I like cats. I like dogs too.")
            >>> [(p.ja, p.en) for p in corpus][1]
            ('犬も好きです。', 'I like dogs too.')
        """
        src, tgt = read_sides(ja, en, self.src_lang, self.tgt_lang, encoding)
        return self.align_sentences(src, tgt, anchors=anchors)

    def align_sentences(self, src: list[Sentence], tgt: list[Sentence], *,
                        anchors: Sequence[tuple[Sequence[int], Sequence[int]]] | None = None
                        ) -> AlignedCorpus:
        """:meth:`align` for sides already through the entrance
        (:func:`~jp_en_align.readers.as_sentences`, languages checked): a
        collection's workers check each side themselves, and refuse a misfiled one.

        Example:
            >>> from jp_en_align.readers import as_sentences
            >>> corpus = Aligner().align_sentences(as_sentences("猫。", "ja"), as_sentences("Cat.", "en"))
            >>> len(corpus)
            1
        """
        src_texts = [s.normalized for s in src]
        tgt_texts = [s.normalized for s in tgt]
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        with progress.bar(f"encoding sentences ({self.encoder.name})", unit="sent",
                          show=self.show_progress_bar):
            # both sides in one call under one bar
            X = self.encoder.encode(src_texts + tgt_texts, self.batch_size, self.show_progress_bar)
        # the spans get these vectors as they are: no second look-up, no second copy
        A, B = X[:len(src_texts)], X[len(src_texts):]
        src_spans = SpanEmbeddings(self.encoder, src_texts, self._joiner(self.src_lang),
                                   self.batch_size, self.show_progress_bar, singles=A)
        tgt_spans = SpanEmbeddings(self.encoder, tgt_texts, self._joiner(self.tgt_lang),
                                   self.batch_size, self.show_progress_bar, singles=B)
        timings["encode_sentences"] = time.perf_counter() - t0
        _check_embeddings(A, src_texts, "ja", self.encoder)
        _check_embeddings(B, tgt_texts, "en", self.encoder)
        status: dict = {}
        if anchors is not None:
            fixed = check_anchors(anchors, len(src), len(tgt))
            beads, confidence, stats = align_around(self, fixed, src, tgt, A, B, timings)
            status = {a: "confirmed" for a in fixed}
        else:
            search_seconds = (len(A) + len(B)) * progress.SEARCH_SECONDS_PER_SENTENCE
            with progress.bar("searching", SEARCH_STEPS, unit="step", show=self.show_progress_bar,
                              expected_seconds=search_seconds):
                beads, stats, evidence = self._search(src_spans, tgt_spans, A, B, timings,
                                                      [s.kind for s in src], [s.kind for s in tgt])
            self.last_evidence = (beads, *evidence)  # for benchmarks/bench_confidence.py --fit
            beads, confidence = confident_beads(beads, *evidence, self.calibration)
            if len(src) == 1 and len(tgt) == 1:  # nothing in the document to judge by
                beads, confidence, self.last_one_line = one_line_bead(
                    A, B, src_texts[0], tgt_texts[0], self.src_lang, self.tgt_lang, self.one_line)
        meta = {
            "encoder": self.encoder.name,
            "version": __version__,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "params": {"max_bead": self.search.max_bead, "band_width": self.search.band_width,
                       "candidate_margin": self.search.candidate_margin,
                       **self.scoring.as_dict()},
            "calibration": stats,
            "timings": timings,
        }
        corpus = AlignedCorpus(src, tgt, beads, meta, embeddings=(A, B), status=status,
                               confidence={(a, b): float(c)
                                           for (a, b, _), c in zip(beads, confidence)
                                           if c is not None})
        warn_if_comparable(corpus)
        return corpus

    def _search(self, src_spans: SpanEmbeddings, tgt_spans: SpanEmbeddings, A: np.ndarray,
                B: np.ndarray, timings: dict[str, float], src_kinds: list[str],
                tgt_kinds: list[str]) -> tuple[list, dict, np.ndarray]:
        n, m = len(A), len(B)
        if n == 0 or m == 0:
            beads = [((i,), (), 0.0) for i in range(n)] + [((), (j,), 0.0) for j in range(m)]
            # nothing to pair with: surely unpaired
            X = np.zeros((len(beads), len(EVIDENCE)))
            X[:, 0], X[:, 5] = logit(np.ones(len(beads))), 1.0
            return beads, {}, (X, np.full(n, -1.0), np.full(m, -1.0))
        t0 = time.perf_counter()
        params = self.search
        types = bead_types(params.max_bead)
        band = find_band(A, B, params)
        # sentence-pair cosines on a margin around the band: beads near its
        # edge read pairs just outside it
        outer = band.dilated(params.max_bead)
        S_outer = band_similarities(A, B, outer)
        S = outer.lookup(band, S_outer)
        scorer = DocumentScorer(src_spans.texts, tgt_spans.texts, self.scoring, A, B,
                                self.src_lang, self.tgt_lang)
        path_rows, path_cols = simple_path(A, B, band, S)
        scorer.calibrate(band, S, Band.beside(path_rows, path_cols, n, m, params.calibration_width))
        progress.advance()  # step 1 of SEARCH_STEPS: band and calibration

        # first pass: runs approximated by the sum of their sentences' embeddings;
        # the bead scores are written over those similarities (the largest array
        # of the search, held once), so a second pass computes them again
        def first_pass() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            E = fill_scores(band, types, approx_run_similarities(A, B, band, outer, S_outer, types),
                            scorer, in_place=True)
            forbid_mixed_kinds(E, band, types, src_kinds, tgt_kinds)
            return (E, *forward(E, band.lo, band.hi, band.off, types))

        # a document that looks a little less than parallel gets the raised bar
        # only if the plain pass leaves sentences unpaired (see ScoringParams.null_gate)
        gated = scorer.shortfall > 0 and scorer.parallel_share >= self.scoring.null_gate_share
        if gated:
            scorer.use_null(False)
        E, F, back = first_pass()
        if gated and _unpaired(traceback(back, band, types), types) >= \
                self.scoring.null_gate * (n + m):
            scorer.use_null(True)
            del E, F, back  # before the second pass allocates its own
            E, F, back = first_pass()
        G = backward(E, band.lo, band.hi, band.off, types)
        cells, tys = near_best(F, G, E, band.lo, band.hi, band.off, types, FIRST_MULTI,
                                F[-1] - params.candidate_margin)
        timings["search"] = time.perf_counter() - t0
        progress.advance()  # step 2: first pass

        # real embeddings for the runs of those candidates only
        t0 = time.perf_counter()
        rows, cols = band.coords()
        ci, cj = rows[cells], cols[cells]
        ca, cb = types[tys, 0], types[tys, 1]
        with progress.bar(f"encoding runs ({self.encoder.name})", unit="sent",
                          show=self.show_progress_bar):
            U = _run_vectors(src_spans, A, ci - ca, ci)
            V = _run_vectors(tgt_spans, B, cj - cb, cj)
        timings["encode_runs"] = time.perf_counter() - t0
        progress.advance()  # step 3: runs of the candidates embedded

        # final pass: multi-sentence beads are the candidates, really scored
        t0 = time.perf_counter()
        real = self.encoder.similarity_pairwise(U, V)
        real_bg = ((scorer.background(U, "src"), scorer.background(V, "tgt"))
                   if scorer.src_bg is not None else (None, None))
        E[:, FIRST_MULTI:] = NEG_INF
        for t in range(FIRST_MULTI, len(types)):
            sel = tys == t
            if sel.any():
                E[cells[sel], t] = scorer.scores(
                    ci[sel], cj[sel], int(types[t, 0]), int(types[t, 1]), real[sel],
                    *(None if x is None else x[sel] for x in real_bg))
        _, back = forward(E, band.lo, band.hi, band.off, types)
        path = traceback(back, band, types)
        real_of = {(int(c), int(t)): float(s) for c, t, s in zip(cells, tys, real)}
        if scorer.long_enough and _unpaired(path, types) >= self.scoring.null_peel_unmatched * (n + m):
            path = peel_strays(path, types, band, E, S, real_of, scorer.bad, scorer.scale,
                               self.scoring.null_peel_below, self.scoring.null_peel_slack)
            path = split_weak_pairs(path, band, E, weak_pairs(path, types, band, S, scorer))
        timings["search"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        posteriors = path_posteriors(E, band, types, path, self.temperature)
        timings["confidence"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        beads, path_scores = [], []
        for i, j, t in path:
            a, b = int(types[t, 0]), int(types[t, 1])
            if a == 0 or b == 0:
                score = 0.0
            elif a == 1 and b == 1:
                score = float(S[band.cell(i, j)])
            else:
                score = real_of[(band.cell(i, j), t)]
            beads.append((tuple(range(i - a, i)), tuple(range(j - b, j)), score))
            path_scores.append(float(E[band.cell(i, j), t]))
        timings["search"] += time.perf_counter() - t0
        progress.advance()  # step 4: final pass
        t0 = time.perf_counter()
        evidence = bead_evidence(beads, posteriors, np.array(path_scores), band, S,
                                 scorer.bad, scorer.scale)
        timings["confidence"] += time.perf_counter() - t0
        stats = {"parallel_share": scorer.parallel_share, "null_raised": scorer.null_raised,
                 "unrelated_cosine": scorer.bad, "translation_cosine": scorer.bad + scorer.scale,
                 "length_ratio": scorer.ratio, "length_variance": scorer.length_var,
                 "band_cells": band.size, "candidates": len(cells),
                 "runs_embedded": len({(int(i - a), int(i)) for i, a in zip(ci, ca) if a > 1})
                 + len({(int(j - b), int(j)) for j, b in zip(cj, cb) if b > 1})}
        return beads, stats, evidence

    def realign(self, corpus: AlignedCorpus, *, window: int | None = None) -> AlignedCorpus:
        """``corpus`` with its ``auto`` pairs aligned again around the pairs a
        person reviewed (confirmed, corrected and rejected pairs stay exactly as
        they are). ``window``: only the auto pairs within that many pairs of a
        corrected or rejected one (the neighbourhood of a fix); None: all.

        Uses the corpus' embeddings when it has them (encodes its sentences
        otherwise), so the cost grows with what is realigned. The result is one
        edit in the corpus' log (``op="realign"``): :meth:`AlignedCorpus.undo`
        takes it back. See :mod:`jp_en_align.aligner.anchors`.

        Example:
            >>> c = align(["猫が好きです。", "犬も好きです。"], ["I like cats.", "I like dogs too."])
            >>> fixed = c.merge(0)
            >>> [(p.kind, p.status) for p in fixed.realign()]
            [('2-2', 'corrected')]
        """
        return realign(self, corpus, window)


def _run_vectors(spans: SpanEmbeddings, singles: np.ndarray, starts: np.ndarray,
                 ends: np.ndarray) -> np.ndarray:
    """Embeddings of runs ``[start, end)``: single sentences from ``singles``,
    longer runs encoded (each distinct run once)."""
    out = np.empty((len(starts), singles.shape[1]), np.float32)
    one = ends - starts == 1
    out[one] = singles[starts[one]]
    runs = sorted({(int(s), int(e)) for s, e in zip(starts[~one], ends[~one])})
    if runs:
        index = {run: k for k, run in enumerate(runs)}
        vecs = spans.get(runs)
        out[~one] = vecs[[index[(int(s), int(e))] for s, e in zip(starts[~one], ends[~one])]]
    return out


def align(ja: Any, en: Any, *, model: Any = None, encoding: str | None = None,
          **options: Any) -> AlignedCorpus:
    """Align Japanese and English sentences (``options``: those of :class:`Aligner`).

    ``ja`` and ``en`` are raw text (segmented by :mod:`jp_en_align.text.segment`),
    files as ``pathlib.Path`` (PDF, .docx, HTML, text: a ``str`` is always text)
    or lists of sentences (str or :class:`~jp_en_align.text.sentence.Sentence`,
    used as given); ``encoding`` forces a text file's encoding. For many
    documents make one :class:`Aligner` and call its
    ``align``: the encoder loads once. See :meth:`Aligner.align` for the result.

    Example:
        >>> corpus = align(["猫が好きです。", "犬も好きです。"],
        ...                ["I like cats.", "I like dogs too."])
        >>> [p.kind for p in corpus]
        ['1-1', '1-1']
    """
    return Aligner(model, **options).align(ja, en, encoding=encoding)


def _unpaired(path: list[tuple[int, int, int]], types: np.ndarray) -> int:
    """How many sentences the path leaves in 1-0 / 0-1 beads."""
    return sum(int(types[t, 0] == 0) + int(types[t, 1] == 0) for _, _, t in path)
