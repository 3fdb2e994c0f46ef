"""How an edit changes a corpus: the one place that replaces beads, keeps
status, confidence and the aligner's prior in step, writes the change log and
refits the unreviewed pairs (:mod:`jp_en_align.corpus.review` holds the edits
people call; this module is their machinery).

A log entry is ``{"op", "at", "before", "after", "labels"}``: beads
``at:at+len(before)`` were ``before`` and became ``after`` (records of
``ja_ids``, ``en_ids``, ``score``, ``confidence``, ``prior``, ``status``), so
undo and redo only swap the two lists; ``labels`` are the judged pairs'
features and right/wrong, for :mod:`jp_en_align.corpus.learning`.
"""

from __future__ import annotations

import math
from typing import Any

from .learning import feature_rows, refit


def bead_record(corpus: Any, bead: tuple) -> dict[str, Any]:
    a, b, score = bead
    key = (a, b)
    conf = corpus.confidence.get(key)
    prior = corpus.prior.get(key)
    return {"ja_ids": list(a), "en_ids": list(b), "score": None if math.isnan(score) else score,
            "confidence": conf, "prior": prior, "status": corpus.status.get(key, "auto")}


def aligner_for(meta: dict[str, Any], model: Any) -> Any:
    """An Aligner with the settings ``meta`` records. The aligner sits above the
    corpus in the pipeline: the registry hands it out by name."""
    from ..registry import component

    params = meta.get("params", {})
    options = {k: params[k] for k in ("max_bead", "band_width", "candidate_margin") if k in params}
    return component("aligner")(model, src_lang=meta.get("src_lang", "ja"),
                          tgt_lang=meta.get("tgt_lang", "en"), show_progress_bar=False, **options)


def bead_of(record: dict[str, Any]) -> tuple:
    score = record.get("score")
    return (tuple(record["ja_ids"]), tuple(record["en_ids"]),
            math.nan if score is None else float(score))



def pair_score(corpus: Any, a: tuple, b: tuple) -> float:
    """Cosine of the two sides' summed sentence vectors when the corpus has
    embeddings (a person's pair has no run embedding); NaN otherwise, or for
    a 1-0 / 0-1 pair 0."""
    if not a or not b:
        return 0.0
    if corpus.embeddings is None:
        return math.nan
    import numpy as np

    u = corpus.embeddings[0][list(a)].sum(axis=0)
    v = corpus.embeddings[1][list(b)].sum(axis=0)
    norm = float(np.linalg.norm(u) * np.linalg.norm(v))
    return float(u @ v) / norm if norm > 0 else 0.0

def edit(corpus: Any, op: str, at: int, count: int, new: list[tuple[tuple, str]],
          right: bool) -> Any:
    """Replace beads ``at:at+count`` by ``new`` ``(bead, status)`` and log it,
    with the judged auto pairs' features and labels for learning."""
    from .learning import feature_rows

    n_ids = sum(len(a) + len(b) for a, b, _ in corpus.beads)
    if n_ids != len(corpus.ja_sentences) + len(corpus.en_sentences):
        raise ValueError("this is a filtered view (some sentences are in no pair): edit the "
                         "whole corpus, whose pairs hold every sentence")
    old = corpus.beads[at:at + count]
    judged = [at + i for i, (a, b, _) in enumerate(old)
              if a and b and corpus.status.get((a, b), "auto") == "auto"]
    labels = ([[list(map(float, row)), right] for row in feature_rows(corpus, judged)]
              if judged else [])
    after = []
    for bead, status in new:
        key = bead[:2]
        record = {"ja_ids": list(bead[0]), "en_ids": list(bead[1]),
                  "score": None if math.isnan(bead[2]) else bead[2],
                  "confidence": None if status == "rejected" else 1.0,
                  "prior": corpus.prior.get(key, corpus.confidence.get(key)),
                  "status": status}
        after.append(record)
    entry = {"op": op, "at": at, "before": [bead_record(corpus, b) for b in old],
             "after": after, "labels": labels}
    return apply(corpus, at, count, after, corpus.log + [entry], [])

def apply(corpus: Any, at: int, count: int, records: list[dict], log: list, undone: list) -> Any:
    """A new corpus: beads ``at:at+count`` replaced by ``records``, then the
    unreviewed pairs' confidence refitted."""
    from .learning import refit

    beads = list(corpus.beads)
    confidence = dict(corpus.confidence)
    prior = dict(corpus.prior)
    status = dict(corpus.status)
    for a, b, _ in beads[at:at + count]:
        for d in (confidence, prior, status):
            d.pop((a, b), None)
    new = [bead_of(r) for r in records]
    beads[at:at + count] = new
    for bead, r in zip(new, records):
        key = bead[:2]
        if r.get("confidence") is not None:
            confidence[key] = float(r["confidence"])
        if r.get("prior") is not None:
            prior[key] = float(r["prior"])
        if r.get("status", "auto") != "auto":
            status[key] = r["status"]
    # the first edit keeps the aligner's confidence of every pair as its prior
    if not corpus.prior:  # (once: later edits carry each bead's prior along)
        for a, b, _ in beads:
            if (a, b) not in prior and (a, b) in confidence and (a, b) not in status:
                prior[(a, b)] = confidence[(a, b)]
    out = corpus._replace(beads=beads, confidence=confidence, prior=prior, status=status,
                        log=log, undone=undone)
    for key, p in refit(out).items():
        confidence[key] = p
    return out


def realigned(corpus: Any, start: int, end: int, records: list[tuple[tuple, float | None]]) -> Any:
    """The corpus with beads ``start:end`` replaced by ``records``, ``(bead,
    confidence)``: a confidence of None keeps that bead as it was; the
    others are new ``auto`` pairs. One log entry, ``op="realign"``."""
    after = []
    for bead, conf in records:
        if conf is None:
            after.append(bead_record(corpus, bead))
        else:
            after.append({"ja_ids": list(bead[0]), "en_ids": list(bead[1]),
                          "score": None if math.isnan(bead[2]) else bead[2],
                          "confidence": conf, "prior": conf, "status": "auto"})
    entry = {"op": "realign", "at": start,
             "before": [bead_record(corpus, b) for b in corpus.beads[start:end]],
             "after": after, "labels": []}
    return apply(corpus, start, end - start, after, corpus.log + [entry], [])
