"""Corpora of many documents: merging corpora and cutting them back apart.

A corpus made of several documents keeps, in ``corpus.documents``, one
``(document_id, first_ja_sentence, first_en_sentence)`` per document, in
order: the sentences (and so the beads) of a document are one contiguous run
of each side, so the document of a bead is found from its first sentence.
A corpus of one document has an empty list (its id, if any, is
``meta["document"]``).

Exports write the pairs of each document with that document's own sentence
ids (a TMX unit's ``x-ja-ids`` count from 0 in each document) and its id
(``x-document``), so a merged corpus and a collection streamed document by
document give the same file.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> a = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)], meta={"document": "a"})
    >>> b = AlignedCorpus.from_texts(["犬。"], ["Dog."], [((0,), (0,), 0.8)], meta={"document": "b"})
    >>> both = a + b
    >>> [(p.document, p.ja_ids) for p in both], both.documents
    ([('a', (0,)), ('b', (1,))], [('a', 0, 0), ('b', 1, 1)])
    >>> [(doc, c.beads) for doc, c in both.by_document()]
    [('a', [((0,), (0,), 0.9)]), ('b', [((0,), (0,), 0.8)])]
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import Any, Iterable, Iterator

# The corpus object sits above this module, which only reads and builds it.
AlignedCorpus = Any

#: meta keys that describe one document, not a merged corpus
DOCUMENT_KEYS = ("document", "timings", "calibration", "source")


def check_documents(documents: list, n_ja: int, n_en: int) -> list[tuple[str, int, int]]:
    """``documents`` as a list of ``(str id, int, int)``, starts in order and in range."""
    out = [(str(d), int(a), int(b)) for d, a, b in documents]
    previous = (0, 0)
    for k, (doc, a, b) in enumerate(out):
        if k == 0 and (a, b) != (0, 0):
            raise ValueError(f"document {doc!r} is the first but starts at ja {a}, en {b}: "
                             "the first document starts at sentence 0 of both sides")
        if not (previous[0] <= a <= n_ja and previous[1] <= b <= n_en):
            raise ValueError(f"document {doc!r} starts at ja {a}, en {b}: starts must grow "
                             f"and stay within the {n_ja} ja / {n_en} en sentences")
        previous = (a, b)
    if len({d for d, _, _ in out}) != len(out):
        raise ValueError("two documents have the same id: document ids must be unique")
    return out


def document_index(corpus: "AlignedCorpus", bead: tuple) -> int | None:
    """Position in ``corpus.documents`` of the document holding ``bead`` (None if none)."""
    if not corpus.documents:
        return None
    starts = corpus.__dict__.get("_document_starts")
    if starts is None or len(starts[0]) != len(corpus.documents):
        starts = ([a for _, a, _ in corpus.documents], [b for _, _, b in corpus.documents])
        corpus.__dict__["_document_starts"] = starts
    side, ids = (0, bead[0]) if bead[0] else (1, bead[1])
    return bisect.bisect_right(starts[side], ids[0]) - 1


def document_of(corpus: "AlignedCorpus", k: int) -> str | None:
    """The id of the document of pair ``k``: from ``documents``, else ``meta["document"]``."""
    where = document_index(corpus, corpus.beads[k])
    if where is None:
        doc = corpus.meta.get("document")
        return None if doc is None else str(doc)
    return corpus.documents[where][0]


def _shift(sentences: list, by: int) -> list:
    return [dataclasses.replace(s, index=s.index + by) for s in sentences] if by else list(sentences)


def common_meta(metas: list[dict]) -> dict:
    """The meta entries every corpus shares (not per-document ones such as timings)."""
    if not metas:
        return {}
    first = metas[0]
    return {k: v for k, v in first.items()
            if k not in DOCUMENT_KEYS and all(m.get(k, object()) == v for m in metas[1:])}


def concat(cls: type, corpora: Iterable[Any]) -> "AlignedCorpus":
    """One corpus of ``corpora`` (AlignedCorpus or ``(document_id, corpus)``), in order.

    A corpus' document id is the one given, else its ``meta["document"]``,
    else its position (``"0"``, ``"1"``, ...); a corpus that already holds
    several documents keeps theirs. ``meta`` keeps what all corpora share.
    """
    ja: list = []
    en: list = []
    beads: list = []
    confidence: dict = {}
    status: dict = {}
    prior: dict = {}
    log: list = []
    documents: list = []
    metas: list = []
    for k, item in enumerate(corpora):
        given, corpus = item if isinstance(item, tuple) else (None, item)
        if not hasattr(corpus, "beads"):
            raise TypeError(f"item {k} is {type(corpus).__name__}: concat takes AlignedCorpus "
                            "objects or (document_id, AlignedCorpus) pairs")
        log += [shift_entry(e, len(beads), len(ja), len(en)) for e in corpus.log]
        for doc, part in corpus.by_document():
            doc = given if given is not None and len(corpus.documents) <= 1 else doc
            documents.append((str(k) if doc is None else str(doc), len(ja), len(en)))
            a0, b0 = len(ja), len(en)
            ja += _shift(part.ja_sentences, a0)
            en += _shift(part.en_sentences, b0)
            for a, b, s in part.beads:
                key = (tuple(i + a0 for i in a), tuple(j + b0 for j in b))
                beads.append((*key, s))
                for mine, theirs in ((confidence, part.confidence), (status, part.status),
                                     (prior, part.prior)):
                    if (a, b) in theirs:
                        mine[key] = theirs[(a, b)]
        metas.append(corpus.meta)
    out = cls(ja, en, beads, common_meta(metas), confidence, documents, status=status, log=log)
    out.prior = prior
    return out


def shift_entry(entry: dict, at: int, da: int, db: int) -> dict:
    """A change-log entry with its bead position moved by ``at`` and its
    sentence ids by ``da`` (ja) and ``db`` (en)."""
    def records(rs: list) -> list:
        return [{**r, "ja_ids": [i + da for i in r["ja_ids"]],
                 "en_ids": [j + db for j in r["en_ids"]]} for r in rs]

    return {**entry, "at": entry["at"] + at, "before": records(entry["before"]),
            "after": records(entry["after"])}


def by_document(corpus: "AlignedCorpus") -> Iterator[tuple[str | None, "AlignedCorpus"]]:
    """``(document_id, corpus of that document alone)`` for each document, in order.

    Each part has the document's sentences numbered from 0 and those of the
    corpus' beads that fall in it (a filtered view gives filtered parts).
    """
    cls = type(corpus)
    if not corpus.documents:
        doc = corpus.meta.get("document")
        yield (None if doc is None else str(doc)), corpus
        return
    groups: dict[int, list] = {}
    for bead in corpus.beads:
        groups.setdefault(document_index(corpus, bead), []).append(bead)  # type: ignore[arg-type]
    ends = [(a, b) for _, a, b in corpus.documents[1:]]
    ends.append((len(corpus.ja_sentences), len(corpus.en_sentences)))
    for k, ((doc, a0, b0), (a1, b1)) in enumerate(zip(corpus.documents, ends)):
        beads, confidence, status, prior = [], {}, {}, {}
        for a, b, s in groups.get(k, []):
            local = (tuple(i - a0 for i in a), tuple(j - b0 for j in b))
            beads.append((*local, s))
            for mine, theirs in ((confidence, corpus.confidence), (status, corpus.status),
                                 (prior, corpus.prior)):
                if (a, b) in theirs:
                    mine[local] = theirs[(a, b)]
        part = object.__new__(cls)  # already consistent: no checks, no copies of text
        part.__dict__.update(ja_sentences=_shift(corpus.ja_sentences[a0:a1], -a0),
                             en_sentences=_shift(corpus.en_sentences[b0:b1], -b0),
                             beads=beads, meta={**corpus.meta, "document": doc},
                             confidence=confidence, documents=[], embeddings=None,
                             status=status, prior=prior, log=[], undone=[])
        yield doc, part
