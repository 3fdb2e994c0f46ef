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
