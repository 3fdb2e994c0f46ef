"""What :func:`~jp_en_align.collection.pairing.pair_documents` returns: the
pairs with their scores and evidence, the documents left unpaired with their
reasons, and views of both (DataFrame, manifest, summary).

Example:
    >>> match = DocumentMatch("a.txt", "x.txt", 0.71, {"bimax": 0.62, "aligned": 0.8})
    >>> left = Unpaired("en", "y.txt", NO_CANDIDATE, "closest: a.txt, 0.31 < 0.425")
    >>> result = PairingResult([match], [left], threshold=0.425)
    >>> result
    PairingResult(1 pairs; unpaired: 0 ja, 1 en; threshold 0.425)
    >>> result.to_dataframe()[["status", "ja", "en", "score", "reason"]].values.tolist()
    [['paired', 'a.txt', 'x.txt', 0.71, ''], ['unpaired', '', 'y.txt', nan, 'no candidate']]
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from .sources import DocumentPair

#: why a document stays unpaired
NO_CANDIDATE = "no candidate"  # nothing on the other side scored above the threshold
LOST = "lost to a better pair"  # its candidate went to a document that matched it better
EMPTY, UNREADABLE, WRONG_LANGUAGE, DUPLICATE = "empty", "unreadable", "wrong language", "duplicate"
REASONS = (NO_CANDIDATE, LOST, EMPTY, UNREADABLE, WRONG_LANGUAGE, DUPLICATE)


@dataclass(frozen=True)
class DocumentMatch:
    """Two documents found to translate each other.

    Attributes:
        ja, en: the documents' ids (paths inside their folders, file names, or
            the ids given).
        score: what decided the pair, from 0 to 1: the mean of ``bimax`` and
            ``aligned`` (see :data:`~jp_en_align.collection.pairing.EVIDENCE`).
        evidence: every measurement taken on the pair, by name.
        ja_source, en_source: the files (``Path``) or texts they came from.
    """

    ja: str
    en: str
    score: float
    evidence: Mapping[str, float] = field(default_factory=dict)
    ja_source: Any = None
    en_source: Any = None


@dataclass(frozen=True)
class Unpaired:
    """A document left without a partner, and why (one of :data:`REASONS`).

    ``closest`` is the best-scoring document of the other side, when there was
    one, and ``closest_score`` its score with this document.
    """

    side: str
    id: str
    reason: str
    detail: str = ""
    source: Any = None
    closest: str | None = None
    closest_score: float | None = None


class PairingResult:
    """The outcome of :func:`~jp_en_align.collection.pairing.pair_documents`.

    Attributes:
        pairs: the pairs found, best score first; every document in at most one.
        unpaired: the documents left over, Japanese first, each with its reason.
        threshold: the score a pair needed.
        timings: seconds per stage (``read``, ``encode``, ``candidates``,
            ``rescore``, ``total``).
        stats: counts (documents, candidates proposed, candidate pairs aligned).
    """

    def __init__(self, pairs: list[DocumentMatch], unpaired: list[Unpaired], *,
                 threshold: float, timings: dict[str, float] | None = None,
                 stats: dict[str, int] | None = None, corpora: dict | None = None,
                 settings: dict | None = None) -> None:
        self.pairs = pairs
        self.unpaired = unpaired
        self.threshold = threshold
        self.timings = timings or {}
        self.stats = stats or {}
        self.settings = settings or {}
        self._corpora = corpora or {}

    def __iter__(self) -> Iterator[DocumentMatch]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __repr__(self) -> str:
        sides = Counter(u.side for u in self.unpaired)
        return (f"PairingResult({len(self.pairs)} pairs; unpaired: {sides['ja']} ja, "
                f"{sides['en']} en; threshold {self.threshold})")

    def unpaired_by_reason(self, side: str | None = None) -> dict[str, int]:
        """How many documents stayed unpaired for each reason (one side or both)."""
        return dict(Counter(u.reason for u in self.unpaired if side in (None, u.side)))

    def corpus(self, ja: str) -> Any:
        """The :class:`~jp_en_align.corpus.aligned.AlignedCorpus` of the pair whose
        Japanese document is ``ja``, as aligned when the pair was scored (no
        second alignment); KeyError if ``ja`` is in no pair or was not kept."""
        for match in self.pairs:
            if match.ja == ja and (match.ja, match.en) in self._corpora:
                return self._corpora[(match.ja, match.en)]
        raise KeyError(f"{ja!r} is in no pair (or its alignment was not kept)")

    def corpora(self) -> Iterator[tuple[str, Any]]:
        """``(ja_id, AlignedCorpus)`` for each pair whose alignment was kept, best first."""
        for match in self.pairs:
            if (match.ja, match.en) in self._corpora:
                yield match.ja, self._corpora[(match.ja, match.en)]

    def documents(self) -> list[DocumentPair]:
        """The pairs as ``(doc_id, ja, en)`` documents for
        :func:`~jp_en_align.collection.many.align_many` (id: the Japanese id)."""
        return [DocumentPair(m.ja, m.ja_source, m.en_source) for m in self.pairs]

    def to_dataframe(self) -> Any:
        """One row per pair (``status`` "paired", the score and every evidence
        column), then one per unpaired document (``status`` "unpaired", its
        side's id, the reason, detail and closest candidate)."""
        import pandas as pd

        rows = [{"status": "paired", "ja": m.ja, "en": m.en, "score": m.score, "reason": "",
                 "detail": "", "closest": None, "closest_score": float("nan"), **m.evidence}
                for m in self.pairs]
        rows += [{"status": "unpaired", "ja": u.id if u.side == "ja" else "",
                  "en": u.id if u.side == "en" else "", "score": float("nan"),
                  "reason": u.reason, "detail": u.detail, "closest": u.closest,
                  "closest_score": float("nan") if u.closest_score is None else u.closest_score}
                 for u in self.unpaired]
        columns = ["status", "ja", "en", "score", "reason", "detail", "closest", "closest_score"]
        return pd.DataFrame(rows, columns=list(dict.fromkeys(
            columns + [k for m in self.pairs for k in m.evidence])))

    def to_tsv(self, path: str | os.PathLike) -> int:
        """Write the pairs as a manifest that
        :func:`~jp_en_align.collection.sources.read_manifest` and
        ``align-many --manifest`` read (see :meth:`manifest`), with paths
        relative to the manifest's folder. Returns the number of pairs written."""
        path = Path(path)
        text = self.manifest(path.resolve().parent)
        path.write_text(text, encoding="utf-8")
        return len(self.pairs)

    def manifest(self, base: str | os.PathLike = ".") -> str:
        """The manifest's text: a ``ja<TAB>en<TAB>score`` header, one line per
        pair with the files' paths relative to ``base``, then the unpaired
        documents as ``#`` comments. Pairs given as text, not files, are
        refused (a manifest names files)."""
        base = Path(base).resolve()
        lines = ["ja\ten\tscore"]
        for m in self.pairs:
            if not isinstance(m.ja_source, Path) or not isinstance(m.en_source, Path):
                raise ValueError(f"pair {m.ja!r} - {m.en!r} was given as text, not files: a "
                                 "manifest can only list files")
            ja, en = (Path(os.path.relpath(p.resolve(), base)).as_posix()
                      for p in (m.ja_source, m.en_source))
            lines.append(f"{ja}\t{en}\t{m.score:.4f}")
        for u in self.unpaired:
            lines.append(f"# unpaired {u.side} {u.id}: {u.reason}"
                         + (f" ({u.detail})" if u.detail else ""))
        return "\n".join(lines) + "\n"

    def summary(self, max_listed: int = 10) -> str:
        """A few lines: pairs, score range, unpaired documents by side and reason."""
        out = [f"{len(self.pairs)} pairs"
               + (f", scores {min(m.score for m in self.pairs):.3f}-"
                  f"{max(m.score for m in self.pairs):.3f}" if self.pairs else "")
               + f" (threshold {self.threshold})"]
        if "total" in self.timings:
            out[0] += f" in {self.timings['total']:.1f} s"
        for side in ("ja", "en"):
            reasons = self.unpaired_by_reason(side)
            if reasons:
                out.append(f"unpaired {side}: {sum(reasons.values())} ("
                           + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items())) + ")")
        for u in self.unpaired[:max_listed]:
            out.append(f"  {u.side} {u.id}: {u.reason}" + (f" - {u.detail}" if u.detail else ""))
        if len(self.unpaired) > max_listed:
            out.append(f"  ... and {len(self.unpaired) - max_listed} more (to_dataframe() lists all)")
        return "\n".join(out)
