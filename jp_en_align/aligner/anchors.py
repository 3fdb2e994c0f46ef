"""Alignment around anchors: pairs a person fixed stay exactly as they are,
and only the stretches between them are aligned again.

An anchor is ``(ja_ids, en_ids)``: a run of consecutive sentences on each
side, or on one side only (a sentence fixed as having no counterpart). Anchors
with both sides cut both documents into *gaps*; each gap is aligned on its
own (:meth:`Aligner.align` hands in a function that aligns one gap), so the
cost grows with what is realigned, not with the document. A one-sided anchor
does not cut: its sentence is left out of its gap's alignment and put back
as a 1-0 / 0-1 pair.

Example:
    >>> check_anchors([((0,), (0,)), ((2, 3), (1,))], 4, 3)
    [((0,), (0,)), ((2, 3), (1,))]
    >>> [g[:4] for g in gaps([((0,), (0,)), ((2, 3), (1,))], 4, 3)]
    [(0, 0, 0, 0), (1, 2, 1, 1), (4, 4, 2, 3)]
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..embed.spans import SpanEmbeddings
from ..text.sentence import Sentence
from .confidence import confident_beads

Anchor = tuple[tuple[int, ...], tuple[int, ...]]
#: ``(ja_start, ja_end, en_start, en_end, forced_ja, forced_en)``: the
#: sentences ``[ja_start, ja_end)`` and ``[en_start, en_end)`` between two
#: anchors, and those of them that one-sided anchors fix as unpaired
Gap = tuple[int, int, int, int, tuple[int, ...], tuple[int, ...]]
Bead = tuple[tuple[int, ...], tuple[int, ...], float]


def check_anchors(anchors: Any, n: int, m: int) -> list[Anchor]:
    """``anchors`` as tuples, checked: every id in range, each side a run of
    consecutive sentences, no sentence in two anchors, and the two-sided
    anchors in document order on both sides. Anything else is a ValueError
    that names the anchor.

    Example:
        >>> check_anchors([((1,), (1,)), ((0,), (0,))], 2, 2)
        Traceback (most recent call last):
        ...
        ValueError: anchor 1 ([0]:[0]) comes before anchor 0 ([1]:[1]): give anchors in document order
    """
    if isinstance(anchors, (str, bytes, dict)) or not hasattr(anchors, "__iter__"):
        raise TypeError("anchors must be a list of (ja_ids, en_ids) pairs, "
                        f"not {type(anchors).__name__}")
    out: list[Anchor] = []
    owner: dict[tuple[str, int], int] = {}
    for k, anchor in enumerate(anchors):
        try:
            ja, en = anchor
            ja, en = tuple(ja), tuple(en)
        except (TypeError, ValueError):
            raise ValueError(f"anchor {k} is {anchor!r:.60}: expected (ja_ids, en_ids), "
                             "two lists of sentence numbers") from None
        if not ja and not en:
            raise ValueError(f"anchor {k} has no sentence on either side")
        for side, ids, size in (("ja", ja, n), ("en", en, m)):
            if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
                raise ValueError(f"anchor {k}: {side} ids {list(ids)!r:.60} must be integers")
            bad = [i for i in ids if not 0 <= i < size]
            if bad:
                raise ValueError(f"anchor {k}: {side} sentence {bad[0]} is out of range (there "
                                 f"are {size} {side} sentences, numbered from 0)")
            if list(ids) != list(range(ids[0], ids[0] + len(ids))) if ids else False:
                raise ValueError(f"anchor {k}: {side} ids {list(ids)} are not a run of "
                                 "consecutive sentences in order")
            for i in ids:
                if (side, i) in owner:
                    raise ValueError(f"anchors {owner[(side, i)]} and {k} overlap: both hold "
                                     f"{side} sentence {i}")
                owner[(side, i)] = k
        out.append((ja, en))
    two_sided = [(k, a) for k, a in enumerate(out) if a[0] and a[1]]
    for (k1, (a1, b1)), (k2, (a2, b2)) in zip(two_sided, two_sided[1:]):
        if not (a1[-1] < a2[0] and b1[-1] < b2[0]):
            raise ValueError(f"anchor {k2} ({_show(a2, b2)}) comes before anchor {k1} "
                             f"({_show(a1, b1)}): give anchors in document order")
    for k, (a, b) in enumerate(out):  # a one-sided anchor must not sit inside a pair's run
        for k2, (a2, b2) in two_sided:
            if (a and a2 and a2[0] < a[0] < a2[-1]) or (b and b2 and b2[0] < b[0] < b2[-1]):
                raise ValueError(f"anchor {k} falls inside anchor {k2}")
    return out


def _show(a: Sequence[int], b: Sequence[int]) -> str:
    return f"{list(a)}:{list(b)}"


def gaps(anchors: list[Anchor], n: int, m: int) -> list[Gap]:
    """The gaps around checked ``anchors``: one before each two-sided anchor and
    one after the last (possibly empty)."""
    forced_ja = {i for a, b in anchors if not b for i in a}
    forced_en = {j for a, b in anchors if not a for j in b}
    out: list[Gap] = []
    i = j = 0
    for a, b in [*(x for x in anchors if x[0] and x[1]), ((n,), (m,))]:
        out.append((i, a[0], j, b[0], tuple(x for x in range(i, a[0]) if x in forced_ja),
                    tuple(y for y in range(j, b[0]) if y in forced_en)))
        i, j = a[-1] + 1, b[-1] + 1
    return out


def fill_gap(gap: Gap, align_runs: Callable[[list[int], list[int]], tuple[list[Bead], list[float]]]
             ) -> tuple[list[Bead], list[float | None]]:
    """The beads of one gap and their confidences: its free sentences aligned
    by ``align_runs(ja_ids, en_ids)`` (beads numbered within those lists), a
    bead that would straddle a fixed sentence cut there, and the fixed
    sentences put back as 1-0 / 0-1 (confidence None: the person's)."""
    i0, i1, j0, j1, fja, fen = gap
    ja = [i for i in range(i0, i1) if i not in fja]
    en = [j for j in range(j0, j1) if j not in fen]
    beads: list[Bead] = []
    conf: list[float | None] = []
    if ja or en:
        local, local_conf = align_runs(ja, en)
        for (a, b, score), c in zip(local, local_conf):
            ga, gb = tuple(ja[x] for x in a), tuple(en[y] for y in b)
            pieces = _runs(ga), _runs(gb)
            if len(pieces[0]) <= 1 and len(pieces[1]) <= 1:
                beads.append((ga, gb, score))
                conf.append(c)
                continue
            # the free sentences of this bead lie on both sides of a fixed one:
            # keep the first run of each side as the pair, the rest unpaired
            first = (pieces[0][0] if pieces[0] else (), pieces[1][0] if pieces[1] else ())
            beads.append((*first, score))
            conf.append(None)
            beads += [((x,), (), 0.0) for run in pieces[0][1:] for x in run]
            beads += [((), (y,), 0.0) for run in pieces[1][1:] for y in run]
            conf += [None] * (sum(map(len, pieces[0][1:])) + sum(map(len, pieces[1][1:])))
    fixed: list[tuple[Bead, float | None]] = [(((i,), (), 0.0), None) for i in fja]
    fixed += [(((), (j,), 0.0), None) for j in fen]
    return merge_in_order(list(zip(beads, conf)), fixed)


def _runs(ids: tuple[int, ...]) -> list[tuple[int, ...]]:
    runs: list[list[int]] = []
    for x in ids:
        if runs and runs[-1][-1] + 1 == x:
            runs[-1].append(x)
        else:
            runs.append([x])
    return [tuple(r) for r in runs]


def merge_in_order(beads: list[tuple[Bead, Any]], extra: list[tuple[Bead, Any]]
                   ) -> tuple[list[Bead], list[Any]]:
    """``beads`` (in order) with the one-sided ``extra`` beads put where their
    sentence belongs: before the first bead holding a later sentence of its side."""
    out = list(beads)
    for bead, c in sorted(extra, key=lambda t: (t[0][0] or t[0][1])[0]):
        side = 0 if bead[0] else 1
        x = bead[side][0]
        pos = next((k for k, (b, _) in enumerate(out) if b[side] and b[side][0] > x), len(out))
        out.insert(pos, (bead, c))
    return [b for b, _ in out], [c for _, c in out]


def realign_runs(beads: Sequence[Bead], status: dict, window: int | None) -> list[tuple[int, int]]:
    """The runs ``[start, end)`` of bead positions that :meth:`Aligner.realign`
    aligns again: ``auto`` beads (all of them, or with ``window`` only those
    within ``window`` beads of a corrected or rejected one), in order.

    Example:
        >>> B = [((0,), (0,), 0.9), ((1,), (1,), 0.9), ((2,), (), 0.0), ((3,), (2,), 0.9)]
        >>> realign_runs(B, {((2,), ()): "rejected"}, None), realign_runs(B, {((2,), ()): "rejected"}, 1)
        ([(0, 2), (3, 4)], [(1, 2), (3, 4)])
    """
    auto = [status.get(b[:2], "auto") == "auto" for b in beads]
    if window is not None:
        fixed = [k for k, b in enumerate(beads) if status.get(b[:2]) in ("corrected", "rejected")]
        near = [False] * len(beads)
        for k in fixed:
            for q in range(max(0, k - window), min(len(beads), k + window + 1)):
                near[q] = True
        auto = [x and y for x, y in zip(auto, near)]
    runs, start = [], None
    for k, x in enumerate([*auto, False]):
        if x and start is None:
            start = k
        elif not x and start is not None:
            runs.append((start, k))
            start = None
    return runs


# ------------------------------------------------- the aligner's side of it
# (functions of an Aligner, kept here so that the aligner's module stays about
# the search)

def align_runs(aligner: Any, src: Sequence[Sentence], tgt: Sequence[Sentence], A: np.ndarray,
                B: np.ndarray, ja: list[int], en: list[int],
                timings: dict[str, float]) -> tuple[list, list[float]]:
    """Align the sentences ``ja`` of ``src`` with ``en`` of ``tgt`` on their own
    (beads numbered within the two lists), from their given embeddings."""
    texts = [[src[i].normalized for i in ja], [tgt[j].normalized for j in en]]
    spans = [SpanEmbeddings(aligner.encoder, t, aligner._joiner(lang), aligner.batch_size,
                            aligner.show_progress_bar, singles=X)
             for t, lang, X in zip(texts, (aligner.src_lang, aligner.tgt_lang), (A[ja], B[en]))]
    own: dict[str, float] = {}
    beads, _, evidence = aligner._search(spans[0], spans[1], spans[0].singles, spans[1].singles,
                                      own, [src[i].kind for i in ja], [tgt[j].kind for j in en])
    for key, seconds in own.items():
        timings[key] = timings.get(key, 0.0) + seconds
    return confident_beads(beads, *evidence, aligner.calibration)

def _anchor_score(aligner: Any, src: Sequence[Sentence], tgt: Sequence[Sentence], A: np.ndarray,
                  B: np.ndarray, a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The score a bead of the search would have: the cosine of its two runs."""
    if not a or not b:
        return 0.0
    u, v = (X[list(ids)[0]] if len(ids) == 1 else aligner.encoder.encode(
                [aligner._joiner(lang).join(s[i].normalized for i in ids)])[0]
            for X, ids, s, lang in ((A, a, src, aligner.src_lang), (B, b, tgt, aligner.tgt_lang)))
    return float(aligner.encoder.similarity_pairwise(u, v)[0])

def align_around(aligner: Any, anchors: list, src: Sequence[Sentence], tgt: Sequence[Sentence],
                  A: np.ndarray, B: np.ndarray, timings: dict[str, float]
                  ) -> tuple[list, list, dict]:
    """Beads and confidences of the whole document: each anchor as given
    (confidence 1), each gap between them aligned on its own."""
    beads: list = []
    conf: list = []
    pairs = [x for x in anchors if x[0] and x[1]]
    for k, gap in enumerate(gaps(anchors, len(src), len(tgt))):
        got, got_conf = fill_gap(gap, lambda ja, en: align_runs(aligner, src, tgt, A, B, ja, en,
                                                                      timings))
        beads += got
        conf += got_conf
        if k < len(pairs):
            a, b = pairs[k]
            beads.append((a, b, _anchor_score(aligner, src, tgt, A, B, a, b)))
            conf.append(1.0)
    for a, b in anchors:  # one-sided anchors: the person's, so certain
        if not (a and b):
            conf[beads.index((a, b, 0.0))] = 1.0
    return beads, conf, {"anchors": len(anchors)}

def realign(aligner: Any, corpus: Any, window: int | None = None) -> Any:
    """:meth:`Aligner.realign`: the runs of auto beads :func:`realign_runs` picks,
    each aligned on its own from the corpus' embeddings."""
    src, tgt = corpus.ja_sentences, corpus.en_sentences
    if corpus.embeddings is not None:
        A, B = (np.asarray(x, np.float32) for x in corpus.embeddings)
    else:
        texts = [s.normalized for s in src] + [s.normalized for s in tgt]
        X = aligner.encoder.encode(texts, aligner.batch_size, aligner.show_progress_bar)
        A, B = X[:len(src)], X[len(src):]
    runs = realign_runs(corpus.beads, corpus.status, window)
    if not runs:
        return corpus
    timings: dict[str, float] = {}
    records: list[tuple] = []
    cursor = runs[0][0]
    for start, end in runs:
        records += [(b, None) for b in corpus.beads[cursor:start]]  # kept as they are
        ja = [i for a, _, _ in corpus.beads[start:end] for i in a]
        en = [j for _, b, _ in corpus.beads[start:end] for j in b]
        got, got_conf = align_runs(aligner, src, tgt, A, B, ja, en, timings)
        records += [((tuple(ja[x] for x in a), tuple(en[y] for y in b), s), c)
                    for (a, b, s), c in zip(got, got_conf)]
        cursor = end
    return corpus._realigned(runs[0][0], cursor, records)
