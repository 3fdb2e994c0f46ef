"""The one place that names the corpus' review API: actions in, rows out.

The page and the journal speak in *actions*, plain JSON objects such as
``{"op": "merge", "k": 12}``; :func:`apply` turns one into the corpus method
that does it (every edit returns a new corpus). :func:`row` turns a pair into
what the page shows. Nothing else in :mod:`jp_en_align.review` calls the
corpus' edit methods, so a renamed method is fixed here alone.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dog."],
    ...     [((0,), (0,), 0.9), ((1,), (1,), 0.8)], confidence=[0.9, 0.5])
    >>> check_action({"op": "move", "k": 1, "side": "en", "direction": "up"})["side"]
    'en'
    >>> r = row(corpus, 0)
    >>> r["ja"], r["en"], r["confidence"], r["status"]
    (['猫。'], ['Cat.'], 0.9, 'auto')
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

# AlignedCorpus sits below this package; it is only read and called here.
AlignedCorpus = Any

#: every action the page may send, and the fields each one needs
ACTIONS: dict[str, tuple[str, ...]] = {
    "merge": ("k",), "split": ("k",), "move": ("k", "side", "direction"),
    "confirm": ("k",), "reject": ("k",), "mark": ("k", "correct"),
    "undo": (), "redo": (), "realign": (),
}

#: actions that run the encoder (slow): the session snapshots right after them,
#: so that a restart does not have to run them again
SLOW_ACTIONS = frozenset({"realign"})


def check_action(action: Any) -> dict[str, Any]:
    """``action`` as a clean dict, or ValueError saying what is wrong with it.

    Only known fields of the right types go through: the journal replays these
    dicts, so nothing the page sends beyond them is ever stored.

    Example:
        >>> check_action({"op": "explode"})
        Traceback (most recent call last):
        ...
        ValueError: unknown action 'explode': one of merge, split, move, confirm, reject, mark, undo, redo, realign
    """
    if not isinstance(action, dict) or not isinstance(action.get("op"), str):
        raise ValueError('an action is a JSON object with an "op", e.g. {"op": "merge", "k": 3}')
    op = action["op"]
    if op not in ACTIONS:
        raise ValueError(f"unknown action {op!r}: one of {', '.join(ACTIONS)}")
    clean: dict[str, Any] = {"op": op}
    for name in ACTIONS[op]:
        value = action.get(name)
        ok = {"k": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
              "side": value in ("ja", "en"), "direction": value in ("up", "down"),
              "correct": isinstance(value, bool)}[name]
        if not ok:
            raise ValueError(f"{op} needs {name!r}: "
                             + {"k": "a pair index (0, 1, ...)", "side": '"ja" or "en"',
                                "direction": '"up" or "down"', "correct": "true or false"}[name])
        clean[name] = value
    optional = {"split": ("ja_at", "en_at"), "realign": ("window",)}.get(op, ())
    if optional:  # split: sentences kept in the first part; realign: pairs around each fix
        for name in optional:
            value = action.get(name)
            if value is not None:
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ValueError(f"{op}'s {name!r} is a count (0, 1, ...)")
                clean[name] = value
    return clean


def apply(corpus: "AlignedCorpus", action: dict[str, Any]) -> "AlignedCorpus":
    """The corpus after ``action`` (a dict from :func:`check_action`); the corpus'
    own ValueError (an edit that cannot be done) passes through for the page.

    Example:
        >>> apply(corpus, {"op": "merge", "k": 0})   # doctest: +SKIP
        AlignedCorpus(1 pairs, 2 ja / 2 en sentences)
    """
    op = action["op"]
    k = action.get("k")
    if k is not None and k >= len(corpus):
        raise ValueError(f"there is no pair {k}: the corpus has {len(corpus)} pairs")
    if op == "merge":
        return corpus.merge(k)
    if op == "split":
        return corpus.split(k, ja_at=action.get("ja_at"), en_at=action.get("en_at"))
    if op == "move":
        return corpus.move(k, action["side"], action["direction"])
    if op == "confirm":
        return corpus.confirm(k)
    if op == "reject":
        return corpus.reject(k)
    if op == "mark":
        return corpus.mark(k, action["correct"])
    if op == "undo":
        return corpus.undo()
    if op == "redo":
        return corpus.redo()
    if op == "realign":
        if not hasattr(corpus, "realign"):
            raise ValueError("realign is not available in this version of jp_en_align")
        return corpus.realign(window=action.get("window"))
    raise ValueError(f"unknown action {op!r}")  # check_action lets none through


def review_order(corpus: "AlignedCorpus") -> list[int]:
    """Indices of the pairs not yet reviewed, most doubtful first. 1-0 / 0-1 pairs
    are in it too: a sentence left alone that belongs to a neighbour is one of
    the errors a reviewer fixes (with a merge or a move)."""
    return [int(k) for k in corpus.review_order(include_unaligned=True)]


def status(corpus: "AlignedCorpus", k: int) -> str:
    """``auto``, ``confirmed``, ``corrected`` or ``rejected``."""
    return str(corpus[k].status)


def undone(corpus: "AlignedCorpus") -> list[dict[str, Any]]:
    """The edits :meth:`redo` would make again. JSONL does not keep them, so the
    journal's header does (a restart can still redo what was undone)."""
    return list(getattr(corpus, "undone", []))


def with_undone(corpus: "AlignedCorpus", entries: list[dict[str, Any]]) -> "AlignedCorpus":
    """``corpus`` with :func:`undone` set back to ``entries`` (as read from a journal)."""
    if not entries:
        return corpus
    return dataclasses.replace(corpus, undone=list(entries))


def _texts(sentences: list[Any], ids: tuple[int, ...]) -> list[str]:
    return [sentences[i].text for i in ids]


def _neighbour(corpus: "AlignedCorpus", k: int) -> dict[str, list[str]] | None:
    if not 0 <= k < len(corpus.beads):
        return None
    a, b, _ = corpus.beads[k]
    return {"ja": _texts(corpus.ja_sentences, a), "en": _texts(corpus.en_sentences, b)}


def row(corpus: "AlignedCorpus", k: int) -> dict[str, Any]:
    """What the page shows of pair ``k``: its sentences (one string each), kind,
    score, confidence (None when unknown), status, document, and as context
    the pairs before and after it (the ones a merge or a move touches)."""
    pair = corpus[k]
    a, b, score = corpus.beads[k]
    confidence = pair.confidence
    return {"k": k, "ja": _texts(corpus.ja_sentences, a), "en": _texts(corpus.en_sentences, b),
            "ja_ids": list(a), "en_ids": list(b), "kind": f"{len(a)}-{len(b)}",
            "score": None if math.isnan(score) else round(float(score), 4),
            "confidence": None if math.isnan(confidence) else round(float(confidence), 4),
            "status": status(corpus, k), "document": pair.document,
            "before": _neighbour(corpus, k - 1), "after": _neighbour(corpus, k + 1)}


def counts(corpus: "AlignedCorpus") -> dict[str, int]:
    """Pairs per status (for the page's header)."""
    out = {"auto": 0, "confirmed": 0, "corrected": 0, "rejected": 0}
    for s in corpus.status.values():  # only pairs that are not "auto" have an entry
        out[s] = out.get(s, 0) + 1
    out["auto"] = len(corpus) - sum(out.values())
    return out
