"""``pair_documents``: which Japanese document translates which English one,
in collections whose file names say nothing (a crawled site, two archives).

The method, after Thompson & Koehn (2020) and BiMax (2025), in four steps:

1. **Candidates.** Every sentence of every document is encoded once (one
   batched call). Each document gets a vector (the mean of its sentence
   vectors, or Thompson & Koehn's order-aware TK-PERT vector with
   ``vectors="tk-pert"``), and a faiss index (:mod:`.neighbours`) proposes the
   ``candidates`` nearest documents of the other side, in both directions.
   Memory grows with the number of documents, never with its square.
2. **Sentence-level score.** Each candidate pair gets its BiMax score
   (:func:`.docvectors.bimax`). A document's candidates within
   :data:`MARGIN` of its best and above :data:`FLOOR` (at most
   :data:`ALIGN_TOP` of them) go on.
3. **The aligner decides.** Those pairs are aligned by the sentence aligner
   (:class:`~jp_en_align.aligner.aligner.Aligner`; the sentence vectors are in
   the encoder's memory, so only the search runs). ``aligned`` is the share of
   a side's sentences in confident pairs, weighted by the pair's cosine, on
   the side that is better covered (a shortened version is fully covered on
   its own side). The score is ``(bimax + aligned) / 2``.
4. **One to one.** Pairs are taken best score first, each document once
   (competitive linking), down to ``threshold``. The default,
   :data:`THRESHOLD`, lies in the gap between the worst true pair (0.46) and
   the best wrong candidate (0.39) of the dev collection, so documents with
   no counterpart stay unpaired (``benchmarks/bench_pairing.py``).

The alignments of the chosen pairs are kept (:meth:`PairingResult.corpus`),
and with ``cache_dir`` the sentence vectors are on disk for
:func:`~jp_en_align.collection.many.align_many` to reuse.

Example:
    >>> ja = [("j1", "猫が好きです。毎朝、猫に餌をあげます。"), ("j2", "株価が下落した。投資家は不安だ。")]
    >>> en = [("e1", "Stock prices fell. Investors are worried."),
    ...       ("e2", "I like cats. Every morning I feed my cat."),
    ...       ("e3", "The bridge was closed for repairs. Traffic was diverted.")]
    >>> result = pair_documents(ja, en)
    >>> [(m.ja, m.en) for m in result.pairs]
    [('j1', 'e2'), ('j2', 'e1')]
    >>> [(u.id, u.reason) for u in result.unpaired]
    [('e3', 'no candidate')]
"""

from __future__ import annotations

import math
import os
import time
import warnings
from typing import Any

import numpy as np

from .. import progress
from .docvectors import bimax_many, document_vectors
from .neighbours import nearest
from .pairing_inputs import Documents, SideDocument, read_side
from .pairing_result import LOST, NO_CANDIDATE, DocumentMatch, PairingResult, Unpaired

#: the score a pair needs (calibrated on the dev collection, see the module doc)
THRESHOLD = 0.425
#: nearest documents the index proposes for each document, both directions
CANDIDATES = 10
#: BiMax under which a candidate is not worth aligning (true pairs of the dev
#: collection: 0.46 and up; wrong candidates aligned cost time for nothing)
FLOOR = 0.38
#: candidates within this BiMax of their document's best are aligned ...
MARGIN = 0.1
#: ... at most this many per document
ALIGN_TOP = 2
#: the evidence each pair records
EVIDENCE = ("bimax", "aligned", "aligned_ja", "aligned_en", "doc_cosine", "order",
            "parallelism", "length_ratio", "ja_sentences", "en_sentences")


def _aligned_shares(corpus: Any) -> tuple[float, float]:
    """Shares of each side's sentences in confident pairs, weighted by the pair's cosine."""
    nj, ne = len(corpus.ja_sentences), len(corpus.en_sentences)
    cut = corpus.PARALLEL_CONFIDENCE
    good = [(a, b, max(0.0, s)) for a, b, s in corpus.beads
            if a and b and corpus.confidence.get((a, b), 1.0) >= cut]
    return (sum(len(a) * s for a, _, s in good) / nj if nj else 0.0,
            sum(len(b) * s for _, b, s in good) / ne if ne else 0.0)


def _order(A: np.ndarray, B: np.ndarray) -> float:
    """Order agreement: the share of consecutive mutual best sentence matches
    (taken in Japanese order) whose English sentences come in order too."""
    S = A @ B.T
    best_en, best_ja = S.argmax(axis=1), S.argmax(axis=0)
    mutual = [int(best_en[i]) for i in range(len(A)) if best_ja[best_en[i]] == i]
    if len(mutual) < 2:
        return 1.0
    return float(np.mean(np.diff(mutual) > 0))


def _chars(doc: SideDocument) -> int:
    return sum(len(s.normalized) for s in doc.sentences)


def _check(threshold: float, candidates: int, vectors: str) -> None:
    if not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold is {threshold!r}; give a score from 0 to 1, e.g. 0.425")
    if not isinstance(candidates, int) or candidates < 1:
        raise ValueError(f"candidates is {candidates!r}; give 1 or more, e.g. 10")
    if vectors not in ("mean", "tk-pert"):
        raise ValueError(f"vectors is {vectors!r}; give 'mean' or 'tk-pert'")


def _shortlist(pairs: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The candidate pairs worth aligning: for each document, its best by
    BiMax above :data:`FLOOR` and those within :data:`MARGIN` of it."""
    by_doc: dict[tuple[int, int], list[tuple[float, tuple[int, int]]]] = {}
    for (i, j), score in pairs.items():
        if score >= FLOOR:
            by_doc.setdefault((0, i), []).append((score, (i, j)))
            by_doc.setdefault((1, j), []).append((score, (i, j)))
    keep: set[tuple[int, int]] = set()
    for options in by_doc.values():
        options.sort(reverse=True)
        best = options[0][0]
        keep.update(p for s, p in options[:ALIGN_TOP] if s >= best - MARGIN)
    return sorted(keep)


def pair_documents(ja_files: Documents, en_files: Documents, *, model: Any = None,
                   aligner: Any = None, threshold: float = THRESHOLD,
                   vectors: str = "mean", candidates: int = CANDIDATES,
                   cache_dir: str | os.PathLike | None = None, encoding: str | None = None,
                   pattern: str = "*", keep_alignments: bool = True,
                   show_progress_bar: bool | None = None, **options: Any) -> PairingResult:
    """Pair the Japanese documents with the English ones they translate.

    Args:
        ja_files, en_files: each a folder (str or path: its files, ids are the
            paths inside it), a list of files (ids: the file names), or
            ``(id, text)`` items (text a str, segmented here, or a list of
            sentences). PDF, .docx, HTML and text in any Japanese encoding are read.
        model: the encoder (None: the built-in default), as for :class:`Aligner`.
        aligner: an :class:`~jp_en_align.aligner.aligner.Aligner` to use instead
            of making one (its encoder's memory then holds the vectors).
        threshold: the score (0-1) a pair needs; lower pairs more and risks
            pairing documents that have no counterpart.
        vectors: document vectors of the candidate search, ``"mean"`` or
            ``"tk-pert"`` (order-aware, 4x larger).
        candidates: nearest documents proposed for each document.
        cache_dir: the encoder's persistent vector cache (then ``align_many``
            with the same ``cache_dir`` encodes nothing again).
        encoding: the encoding of text files (None: detected per file).
        pattern: which files of a folder to take, e.g. ``"*.txt"``.
        keep_alignments: keep the alignment of each chosen pair (see
            :meth:`PairingResult.corpus`).
        show_progress_bar: bars for encoding and aligning the candidates
            (None: when the work is expected to take a few seconds).
        options: more options of the Aligner (``max_bead``, ...).

    Every document is in at most one pair. Unreadable, empty, wrong-language
    and duplicate documents are reported unpaired with that reason.

    Raises:
        FileNotFoundError / NotADirectoryError: a folder or file is missing.
        ValueError: a folder has no files, an id repeats, a setting is out of range.
        TypeError: an item is neither a path nor an ``(id, text)`` tuple.
    """
    _check(threshold, candidates, vectors)
    start = time.perf_counter()
    timings: dict[str, float] = {}
    ja_docs = read_side(ja_files, "ja", encoding=encoding, pattern=pattern)
    en_docs = read_side(en_files, "en", encoding=encoding, pattern=pattern)
    timings["read"] = time.perf_counter() - start
    from ..aligner.aligner import Aligner, ComparableTextsWarning

    if aligner is None:
        aligner = Aligner(model, cache_dir=cache_dir, show_progress_bar=False, **options)
    elif model is not None or cache_dir is not None or options:
        raise ValueError("give either aligner= or model/cache_dir/aligner options, not both")
    unpaired = [Unpaired(side, d.id, d.problem[0], d.problem[1], d.source)
                for side, docs in (("ja", ja_docs), ("en", en_docs)) for d in docs if d.problem]
    ja_ok = [d for d in ja_docs if d.problem is None]
    en_ok = [d for d in en_docs if d.problem is None]

    t0 = time.perf_counter()
    texts = [s.normalized for d in ja_ok + en_ok for s in d.sentences]
    encoder = aligner.encoder
    with progress.bar(f"encoding sentences ({encoder.name})", unit="sent", show=show_progress_bar):
        V = encoder.encode(texts, aligner.batch_size, show_progress_bar) if texts else None
    ends = np.cumsum([len(d.sentences) for d in ja_ok + en_ok])
    X = np.split(V, ends[:-1]) if V is not None else []
    XJ, XE = X[:len(ja_ok)], X[len(ja_ok):]
    timings["encode"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    proposed: dict[tuple[int, int], float] = {}
    if ja_ok and en_ok:
        DJ, DE = document_vectors(XJ, vectors), document_vectors(XE, vectors)
        ids, _ = nearest(DJ, DE, candidates)
        pairs = {(i, int(j)) for i, row in enumerate(ids) for j in row if j >= 0}
        ids, _ = nearest(DE, DJ, candidates)
        pairs |= {(int(i), j) for j, row in enumerate(ids) for i in row if i >= 0}
        by_ja: dict[int, list[int]] = {}
        for i, j in sorted(pairs):
            by_ja.setdefault(i, []).append(j)
        for i, js in by_ja.items():
            proposed.update(zip(((i, j) for j in js), bimax_many(XJ[i], [XE[j] for j in js])))
    timings["candidates"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    shortlist = _shortlist(proposed)
    scored: dict[tuple[int, int], tuple[float, dict[str, float]]] = {}
    corpora: dict[tuple[int, int], Any] = {}
    expected = len(shortlist) * 0.015
    with progress.bar("pairing: aligning candidates", len(shortlist), unit="pair",
                      show=show_progress_bar, expected_seconds=expected) as bar:
        for i, j in shortlist:
            with warnings.catch_warnings():  # a wrong candidate is not parallel: no news
                warnings.simplefilter("ignore", ComparableTextsWarning)
                corpus = aligner.align_sentences(ja_ok[i].sentences, en_ok[j].sentences)
            share_ja, share_en = _aligned_shares(corpus)
            aligned = max(share_ja, share_en)
            evidence = {"bimax": proposed[i, j], "aligned": aligned, "aligned_ja": share_ja,
                        "aligned_en": share_en,
                        "doc_cosine": float(DJ[i] @ DE[j]),
                        "order": _order(XJ[i], XE[j]), "parallelism": corpus.parallelism,
                        "length_ratio": _chars(en_ok[j]) / max(1, _chars(ja_ok[i])),
                        "ja_sentences": len(ja_ok[i].sentences),
                        "en_sentences": len(en_ok[j].sentences)}
            scored[i, j] = (0.5 * (proposed[i, j] + aligned), evidence)
            if keep_alignments:
                corpora[i, j] = corpus
            bar.update(1)
    timings["rescore"] = time.perf_counter() - t0

    # one to one: best score first (competitive linking)
    taken_ja: dict[int, int] = {}
    taken_en: dict[int, int] = {}
    for (i, j), (score, _) in sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if score < threshold:
            break
        if i not in taken_ja and j not in taken_en:
            taken_ja[i], taken_en[j] = j, i
    matches = [DocumentMatch(ja_ok[i].id, en_ok[j].id, round(scored[i, j][0], 6),
                             {k: round(v, 6) for k, v in scored[i, j][1].items()},
                             ja_ok[i].source, en_ok[j].source)
               for i, j in sorted(taken_ja.items(), key=lambda p: -scored[p][0])]
    unpaired[:0] = _leftovers(ja_ok, en_ok, taken_ja, taken_en, scored, proposed, threshold)
    unpaired.sort(key=lambda u: u.side != "ja")
    timings["total"] = time.perf_counter() - start
    kept = {(ja_ok[i].id, en_ok[j].id): corpora[i, j] for i, j in taken_ja.items()
            if (i, j) in corpora}
    stats = {"ja_documents": len(ja_docs), "en_documents": len(en_docs),
             "candidates": len(proposed), "aligned_candidates": len(shortlist)}
    settings = {"threshold": threshold, "vectors": vectors, "candidates": candidates,
                "encoder": encoder.name}
    return PairingResult(matches, unpaired, threshold=threshold, timings=timings, stats=stats,
                         corpora=kept, settings=settings)


def _leftovers(ja_ok: list[SideDocument], en_ok: list[SideDocument], taken_ja: dict[int, int],
               taken_en: dict[int, int], scored: dict, proposed: dict,
               threshold: float) -> list[Unpaired]:
    """The usable documents no pair took, each with its reason."""
    out: list[Unpaired] = []
    for side, docs, taken, other, other_taken in (("ja", ja_ok, taken_ja, en_ok, taken_en),
                                                  ("en", en_ok, taken_en, ja_ok, taken_ja)):
        def key(pair: tuple[int, int]) -> int:
            return pair[0] if side == "ja" else pair[1]

        def partner(pair: tuple[int, int]) -> int:
            return pair[1] if side == "ja" else pair[0]

        best_scored: dict[int, tuple[float, int]] = {}
        for pair, (score, _) in scored.items():
            if score > best_scored.get(key(pair), (-math.inf, -1))[0]:
                best_scored[key(pair)] = (score, partner(pair))
        best_proposed: dict[int, tuple[float, int]] = {}
        for pair, score in proposed.items():
            if score > best_proposed.get(key(pair), (-math.inf, -1))[0]:
                best_proposed[key(pair)] = (score, partner(pair))
        for k, doc in enumerate(docs):
            if k in taken:
                continue
            if k in best_scored:
                score, p = best_scored[k]
                if score >= threshold:
                    rival = other_taken[p]  # the document of this side that took p
                    rival_id = docs[rival].id
                    pair_score = scored[(p, rival) if side == "en" else (rival, p)][0]
                    detail = (f"{other[p].id} (score {score:.3f}) went to {rival_id} "
                              f"(score {pair_score:.3f})")
                    out.append(Unpaired(side, doc.id, LOST, detail, doc.source, other[p].id, score))
                    continue
                detail = f"closest {other[p].id} scored {score:.3f}, under the threshold {threshold}"
                out.append(Unpaired(side, doc.id, NO_CANDIDATE, detail, doc.source, other[p].id, score))
            elif k in best_proposed:
                score, p = best_proposed[k]
                detail = (f"closest {other[p].id}: sentence similarity (BiMax) {score:.3f}, "
                          f"under {FLOOR}")
                out.append(Unpaired(side, doc.id, NO_CANDIDATE, detail, doc.source, other[p].id, None))
            else:
                out.append(Unpaired(side, doc.id, NO_CANDIDATE, "no usable document on the other side",
                                    doc.source))
    return out
