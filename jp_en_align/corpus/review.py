"""Review: a person's edits and judgements on an aligned corpus.

A mixin of :class:`~jp_en_align.corpus.aligned.AlignedCorpus`. Every edit
returns a *new* corpus with the same sentences, its beads changed where the
edit says, and one more entry in :attr:`AlignedCorpus.log`; nothing is mutated, so a
notebook can keep every step. :meth:`undo` and :meth:`redo` walk the log.

Each pair has a status (:data:`STATUSES`): ``auto`` (as the aligner made
it), ``confirmed`` (a person said it is right), ``corrected`` (made by a
person's merge, split or move) or ``rejected`` (a person said the sentences
do not belong together: they become 1-0 / 0-1 pairs).

After each edit the confidence of the pairs still ``auto`` is refitted from
the marks so far (:mod:`jp_en_align.corpus.learning`), so
:meth:`review_order` puts what now looks most doubtful first. Reviewed pairs
have confidence 1 (confirmed and corrected) or none (rejected); the aligner's
own confidence stays in :attr:`AlignedCorpus.prior`.

Example:
    >>> from jp_en_align import AlignedCorpus
    >>> c = AlignedCorpus.from_texts(["猫。", "犬。", "鳥。"], ["Cat.", "Dog.", "Bird."],
    ...     [((0,), (0,), 0.9), ((1,), (1,), 0.3), ((2,), (2,), 0.8)], confidence=[0.9, 0.2, 0.7])
    >>> c.review_order()
    [1, 2, 0]
    >>> c2 = c.mark(1, False)            # pair 1 is wrong: its sentences become 1-0 and 0-1
    >>> [(p.kind, p.status) for p in c2]
    [('1-1', 'auto'), ('1-0', 'rejected'), ('0-1', 'rejected'), ('1-1', 'auto')]
    >>> c3 = c2.merge(1)                 # ... no, they were a pair after all
    >>> [(p.kind, p.status) for p in c3][1]
    ('1-1', 'corrected')
    >>> c3.undo() == c2, len(c3.log)
    (True, 2)
"""

from __future__ import annotations

import math
from typing import Any

from .changes import aligner_for, apply, edit, pair_score, realigned

STATUSES = ("auto", "confirmed", "corrected", "rejected")
#: what each status means for learning: confirmed is a right pair; a pair a
#: person rejected or had to change was wrong
REVIEWED = ("confirmed", "corrected", "rejected")


class Review:
    """Edits, judgements and the review queue of an
    :class:`~jp_en_align.corpus.aligned.AlignedCorpus`."""

    # -- reading --------------------------------------------------------------

    def review_order(self, *, include_unaligned: bool = False) -> list[int]:
        """Indices of the pairs not yet reviewed, most doubtful first (lowest
        confidence, refitted after every mark; ties in document order).

        1-0 / 0-1 pairs are left out unless ``include_unaligned`` (a translation
        memory holds only pairs). Ask again after each mark: the order learns.

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dog."],
            ...     [((0,), (0,), 0.9), ((1,), (1,), 0.3)], confidence=[0.9, 0.4])
            >>> c.review_order(), c.confirm(1).review_order()
            ([1, 0], [0])
        """
        conf = self.confidence  # type: ignore[attr-defined]
        status = self.status  # type: ignore[attr-defined]
        todo = []
        for k, (a, b, score) in enumerate(self.beads):  # type: ignore[attr-defined]
            if status.get((a, b), "auto") != "auto" or (not (a and b) and not include_unaligned):
                continue
            c = conf.get((a, b), math.nan)
            todo.append((score if math.isnan(c) else c, k))
        todo.sort(key=lambda t: (-math.inf if math.isnan(t[0]) else t[0], t[1]))
        return [k for _, k in todo]

    #: once a corpus has a review, exports keep auto pairs at least this
    #: confident (refitted) beside the confirmed and corrected ones
    EXPORT_CONFIDENCE = 0.5

    def export_view(self, *, reviewed_only: bool = False,
                    min_confidence: float | None = None) -> Any:
        """The pairs an export keeps (a view): with ``reviewed_only``, only the
        confirmed and corrected ones; otherwise those and the ``auto`` pairs of
        confidence at least ``min_confidence``, which defaults to
        :attr:`EXPORT_CONFIDENCE` once the corpus has reviewed pairs (before
        that, every pair, as always). Rejected sentences are 1-0 / 0-1.

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Bird."],
            ...     [((0,), (0,), 0.9), ((1,), (1,), 0.2)], confidence=[0.6, 0.3])
            >>> len(c.export_view()), len(c.confirm(0).export_view()), len(c.export_view(reviewed_only=True))
            (2, 1, 0)
        """
        status = self.status  # type: ignore[attr-defined]
        if min_confidence is None and status and not reviewed_only:
            min_confidence = self.EXPORT_CONFIDENCE
        if not reviewed_only and min_confidence is None:
            return self
        conf = self.confidence  # type: ignore[attr-defined]
        keep = []
        for bead in self.beads:  # type: ignore[attr-defined]
            st = status.get(bead[:2], "auto")
            if st in ("confirmed", "corrected") or (
                    st == "auto" and not reviewed_only
                    and conf.get(bead[:2], -1.0) >= min_confidence):
                keep.append(bead)
            elif st == "rejected" or not (bead[0] and bead[1]):
                keep.append(bead)  # 1-0 / 0-1: the exports' skip_unaligned decides
        return self._view(keep)  # type: ignore[attr-defined]

    # -- judgements -------------------------------------------------------------

    def confirm(self, k: int) -> Any:
        """A corpus where pair ``k`` is confirmed right (confidence 1).

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
            >>> c.confirm(0)[0].status, c.confirm(0)[0].confidence
            ('confirmed', 1.0)
        """
        k = self._index(k)  # type: ignore[attr-defined]
        return edit(self, "confirm", k, 1, [(self.beads[k], "confirmed")], right=True)  # type: ignore[attr-defined]

    def reject(self, k: int) -> Any:
        """A corpus where pair ``k`` is rejected: each of its sentences becomes
        a 1-0 / 0-1 pair of status ``rejected`` (a 1-0 / 0-1 pair is only marked).

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。"], ["Dog."], [((0,), (0,), 0.2)])
            >>> [(p.kind, p.status) for p in c.reject(0)]
            [('1-0', 'rejected'), ('0-1', 'rejected')]
        """
        k = self._index(k)  # type: ignore[attr-defined]
        a, b, _ = self.beads[k]  # type: ignore[attr-defined]
        new = [(((i,), (), 0.0), "rejected") for i in a] + [(((), (j,), 0.0), "rejected") for j in b]
        return edit(self, "reject", k, 1, new, right=False)

    def mark(self, k: int, correct: bool) -> Any:
        """:meth:`confirm` pair ``k`` if ``correct``, else :meth:`reject` it.

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
            >>> c.mark(0, True)[0].status
            'confirmed'
        """
        return self.confirm(k) if correct else self.reject(k)

    # -- corrections -------------------------------------------------------------

    def merge(self, k: int) -> Any:
        """A corpus where pair ``k`` and pair ``k + 1`` are one pair (``corrected``).

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫と犬。"], ["Cat.", "Dog."],
            ...                              [((0,), (0,), 0.5), ((), (1,), 0.0)])
            >>> [(p.ja_ids, p.en_ids) for p in c.merge(0)]
            [((0,), (0, 1))]
        """
        k = self._index(k)  # type: ignore[attr-defined]
        if k + 1 >= len(self.beads):  # type: ignore[attr-defined]
            raise ValueError(f"pair {k} is the last one: there is no next pair to merge it with")
        (a1, b1, _), (a2, b2, _) = self.beads[k], self.beads[k + 1]  # type: ignore[attr-defined]
        a, b = a1 + a2, b1 + b2
        return edit(self, "merge", k, 2, [((a, b, pair_score(self, a, b)), "corrected")],
                          right=False)

    def split(self, k: int, ja_at: int | None = None, en_at: int | None = None) -> Any:
        """A corpus where pair ``k`` is two pairs (both ``corrected``): the first
        ``ja_at`` Japanese and ``en_at`` English sentences, then the rest
        (by default half of each side, rounded up).

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat."], [((0, 1), (0,), 0.5)])
            >>> [(p.ja_ids, p.en_ids) for p in c.split(0)]
            [((0,), (0,)), ((1,), ())]
        """
        k = self._index(k)  # type: ignore[attr-defined]
        a, b, _ = self.beads[k]  # type: ignore[attr-defined]
        ja_at = (len(a) + 1) // 2 if ja_at is None else ja_at
        en_at = (len(b) + 1) // 2 if en_at is None else en_at
        if not (0 <= ja_at <= len(a) and 0 <= en_at <= len(b)):
            raise ValueError(f"cannot split pair {k} ({len(a)}-{len(b)}) after {ja_at} ja and "
                             f"{en_at} en sentences")
        parts = [(a[:ja_at], b[:en_at]), (a[ja_at:], b[en_at:])]
        if not all(x or y for x, y in parts):
            raise ValueError(f"splitting pair {k} ({len(a)}-{len(b)}) there leaves one part "
                             "empty; a 1-1 pair cannot be split: reject it instead")
        new = [((x, y, pair_score(self, x, y)), "corrected") for x, y in parts]
        return edit(self, "split", k, 1, new, right=False)

    def move(self, k: int, side: str, direction: str) -> Any:
        """A corpus where one sentence of pair ``k`` moves to the neighbouring
        pair: ``direction="up"`` moves its first ``side`` ("ja" or "en")
        sentence to the end of pair ``k - 1``, ``"down"`` its last one to the
        start of pair ``k + 1``. Both pairs become ``corrected``; a pair left
        with no sentence goes.

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat.", "Dog."], [((0,), (0, 1), 0.5)])
            >>> [(p.ja_ids, p.en_ids) for p in c.split(0, 1, 1)]
            [((0,), (0,)), ((), (1,))]
            >>> [(p.ja_ids, p.en_ids) for p in c.split(0, 1, 1).move(1, "en", "up")]
            [((0,), (0, 1))]
        """
        k = self._index(k)  # type: ignore[attr-defined]
        if side not in ("ja", "en") or direction not in ("up", "down"):
            raise ValueError(f"move takes side 'ja' or 'en' and direction 'up' or 'down', "
                             f"not {side!r}, {direction!r}")
        q = k - 1 if direction == "up" else k + 1
        if not 0 <= q < len(self.beads):  # type: ignore[attr-defined]
            raise ValueError(f"pair {k} has no pair {'before' if q < 0 else 'after'} it to "
                             f"move a sentence {direction} to")
        s = 0 if side == "ja" else 1
        this, other = list(self.beads[k][:2]), list(self.beads[q][:2])  # type: ignore[attr-defined]
        if not this[s]:
            raise ValueError(f"pair {k} has no {side} sentence to move")
        if direction == "up":
            moved, this[s] = this[s][0], this[s][1:]
            other[s] = other[s] + (moved,)
            pieces = [tuple(other), tuple(this)]
        else:
            moved, this[s] = this[s][-1], this[s][:-1]
            other[s] = (moved,) + other[s]
            pieces = [tuple(this), tuple(other)]
        new = [((x, y, pair_score(self, x, y)), "corrected") for x, y in pieces if x or y]
        return edit(self, "move", min(k, q), 2, new, right=False)

    # -- the review page ---------------------------------------------------------

    def review(self, path: Any = None, *, host: str = "127.0.0.1", port: int = 0,
               open_browser: bool = False, block: bool = False) -> Any:
        """Open this corpus in the local review page (:mod:`jp_en_align.review`):
        saves it to ``path`` (a new ``.jsonl``; default a temporary file), prints
        the page's URL and returns a handle (``.url``, ``.corpus``, ``.stop()``
        which returns the reviewed corpus); ``block=True`` serves until Ctrl+C.

        Example:
            >>> handle = corpus.review()          # doctest: +SKIP
            review: http://127.0.0.1:40123/?token=...
            >>> fixed = handle.stop()             # doctest: +SKIP
        """
        from ..registry import component

        serve = component("review")  # the page sits above the corpus: asked for by name
        return serve(self, path=path, host=host, port=port, open_browser=open_browser,
                            block=block)

    # -- realigning ---------------------------------------------------------------

    def realign(self, aligner: Any = None, *, window: int | None = None,
                model: Any = None) -> Any:
        """A corpus whose ``auto`` pairs are aligned again around the reviewed
        ones (confirmed, corrected and rejected pairs stay exactly as they are);
        ``window``: only the auto pairs within that many pairs of a fix.

        ``aligner``: an :class:`~jp_en_align.Aligner` (default: one with this
        corpus' settings and ``model``). See :meth:`Aligner.realign`.

        Example:
            >>> fixed = corpus.merge(3).realign(window=20)   # doctest: +SKIP
        """
        if aligner is None:
            aligner = aligner_for(self.meta, model)  # type: ignore[attr-defined]
        return aligner.realign(self, window=window)

    def _realigned(self, start: int, end: int, records: list) -> Any:
        """For :meth:`Aligner.realign`: see :func:`jp_en_align.corpus.changes.realigned`."""
        return realigned(self, start, end, records)

    # -- history ---------------------------------------------------------------

    def undo(self) -> Any:
        """The corpus before the last edit (its log one entry shorter).

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
            >>> c.confirm(0).undo() == c
            True
        """
        if not self.log:  # type: ignore[attr-defined]
            raise ValueError("nothing to undo: this corpus has no edits")
        entry = self.log[-1]  # type: ignore[attr-defined]
        out = apply(self, entry["at"], len(entry["after"]), entry["before"], self.log[:-1],  # type: ignore[attr-defined]
                          self.undone + [entry])  # type: ignore[attr-defined]
        return out

    def redo(self) -> Any:
        """The corpus with the last undone edit made again (:attr:`undone` holds them;
        a new edit clears it).

        Example:
            >>> from jp_en_align import AlignedCorpus
            >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]).confirm(0)
            >>> c.undo().redo() == c
            True
        """
        if not self.undone:  # type: ignore[attr-defined]
            raise ValueError("nothing to redo: no edit was undone since the last edit")
        entry = self.undone[-1]  # type: ignore[attr-defined]
        return apply(self, entry["at"], len(entry["before"]), entry["after"],
                           self.log + [entry], self.undone[:-1])  # type: ignore[attr-defined]
