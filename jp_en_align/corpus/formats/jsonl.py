"""JSON Lines, lossless: everything needed to rebuild an equal corpus.

One JSON object a line, each with a ``"type"``:

* ``header`` (first line): ``format``, ``version`` and the corpus' ``meta``;
* ``sentence``: ``lang``, ``index``, ``text``, ``normalized``, ``span``, ``kind``,
  ``paragraph`` — every sentence of both sides, even those no pair uses;
* ``pair``: ``ja_ids``, ``en_ids``, ``score`` and ``confidence`` (null for NaN), and for readers
  such as ``jq`` the joined ``ja``/``en`` text and ``kind`` (ignored on reading);
* ``document`` (a corpus of several documents): ``id``; the sentences and pairs
  after it, up to the next one, are that document's, numbered from 0, and
  its pairs carry ``document`` too.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["「猫」😺。"], ['"Cat" 😺.'], [((0,), (0,), 0.9)])
    >>> AlignedCorpus.from_jsonl(io.StringIO(corpus.to_jsonl())) == corpus
    True
"""

from __future__ import annotations

import io  # noqa: F401  (used by the doctest above)
import json
import math
from os import PathLike
from typing import IO, Any

from ...text.sentence import Sentence
from . import CorpusData, FormatError, emit, meta_json, source_name

# Writers take an AlignedCorpus but do not import it: the object sits above them.
AlignedCorpus = Any

FORMAT = "jp-en-align corpus"
VERSION = 1


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(corpus: "AlignedCorpus", path: str | PathLike | IO[str] | None = None) -> str:
    """Write ``corpus`` as JSON Lines to ``path`` (path, open text file or None); return the text.

    Example:
        >>> corpus.to_jsonl("corpus.jsonl")   # doctest: +SKIP
    """
    lines = [jsonl_header(corpus.meta)]
    if corpus.documents:
        lines += [jsonl_document(part, doc) for doc, part in corpus.by_document()]
    else:
        lines.append(jsonl_document(corpus, None))
    return emit("".join(lines), path)


def jsonl_header(meta: dict[str, Any]) -> str:
    """The first line of the file."""
    return ('{"type": "header", "format": "%s", "version": %d, "meta": %s}\n'
            % (FORMAT, VERSION, meta_json(meta)))


def jsonl_document(corpus: "AlignedCorpus", document: str | None) -> str:
    """The lines of one document: a ``document`` record (if ``document`` is not None),
    its sentences, its pairs."""
    lines = [] if document is None else [_dumps({"type": "document", "id": document})]
    for s in [*corpus.ja_sentences, *corpus.en_sentences]:
        lines.append(_dumps({"type": "sentence", "lang": s.lang, "index": s.index, "text": s.text,
                             "normalized": s.normalized, "span": list(s.span), "kind": s.kind,
                             "paragraph": s.paragraph}))
    for p in corpus:
        record = {"type": "pair", "ja_ids": list(p.ja_ids), "en_ids": list(p.en_ids),
                  "score": None if math.isnan(p.score) else p.score,
                  "confidence": None if math.isnan(p.confidence) else p.confidence,
                  "kind": p.kind, "ja": p.ja, "en": p.en}
        if document is not None:
            record["document"] = document
        lines.append(_dumps(record))
    return "".join(line + "\n" for line in lines)


def read_jsonl(source: str | PathLike | IO[str]) -> CorpusData:
    """The sentences, beads and meta :func:`write_jsonl` wrote. Errors name the line.

    Example:
        >>> corpus = AlignedCorpus.from_jsonl("corpus.jsonl")   # doctest: +SKIP
    """
    name = source_name(source)
    if hasattr(source, "read"):
        text = source.read()  # type: ignore[union-attr]
    else:
        with open(source, encoding="utf-8") as f:
            text = f.read()
    meta: dict[str, Any] | None = None
    sentences: dict[str, list[Sentence]] = {"ja": [], "en": []}
    beads = []
    confidence: dict[Any, float] = {}
    documents: list[tuple[str, int, int]] = []
    a0 = b0 = 0  # where the current document starts (ids in the file count from there)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            kind = record["type"]
            if meta is None:
                if kind != "header" or record.get("format") != FORMAT:
                    raise ValueError(f"the first line must be the {FORMAT!r} header; "
                                     "was this file written by AlignedCorpus.to_jsonl?")
                if record.get("version", 0) > VERSION:
                    raise ValueError(f"format version {record['version']} is newer than this "
                                     f"library reads ({VERSION}): upgrade jp-en-align")
                meta = record["meta"]
            elif kind == "document":
                a0, b0 = len(sentences["ja"]), len(sentences["en"])
                documents.append((str(record["id"]), a0, b0))
            elif kind == "sentence":
                offset = a0 if record["lang"] == "ja" else b0
                s = Sentence(text=record["text"], normalized=record["normalized"],
                             index=record["index"] + offset, span=tuple(record["span"]),
                             kind=record["kind"], paragraph=record["paragraph"],
                             lang=record["lang"])
                if s.lang not in sentences:
                    raise ValueError(f"sentence language {s.lang!r} is neither 'ja' nor 'en'")
                sentences[s.lang].append(s)
            elif kind == "pair":
                score = math.nan if record["score"] is None else float(record["score"])
                beads.append((tuple(i + a0 for i in record["ja_ids"]),
                              tuple(j + b0 for j in record["en_ids"]), score))
                if record.get("confidence") is not None:
                    confidence[beads[-1][:2]] = float(record["confidence"])
            else:
                raise ValueError(f"unknown record type {kind!r}")
        except json.JSONDecodeError as e:
            raise FormatError(f"{name}, line {n}: not valid JSON ({e.msg}, column {e.colno})") from None
        except (KeyError, TypeError, ValueError) as e:
            what = f"missing field {e}" if isinstance(e, KeyError) else str(e)
            raise FormatError(f"{name}, line {n}: {what}") from None
    if meta is None:
        raise FormatError(f"{name}: the file is empty")
    return CorpusData(sentences["ja"], sentences["en"], beads, meta, confidence, documents)
