"""JSON Lines, lossless: everything needed to rebuild an equal corpus.

One JSON object a line, each with a ``"type"``:

* ``header`` (first line): ``format``, ``version`` and the corpus' ``meta``;
* ``sentence``: ``lang``, ``index``, ``text``, ``normalized``, ``span``, ``kind``,
  ``paragraph`` — every sentence of both sides, even those no pair uses;
* ``pair``: ``ja_ids``, ``en_ids``, ``score`` and ``confidence`` (null for NaN), and for readers
  such as ``jq`` the joined ``ja``/``en`` text and ``kind`` (ignored on reading);
* ``document`` (a corpus of several documents): ``id``; the sentences and pairs
  after it, up to the next one, are that document's, numbered from 0, and
  its pairs carry ``document`` too;
* a reviewed corpus' pairs carry ``status`` (when not ``auto``) and ``prior``
  (the aligner's confidence, when a review refitted it); its change log
  follows the pairs as ``edit`` records (``op``, ``at``, ``before``,
  ``after``, ``labels``; ids count over the whole file).

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["「猫」😺。"], ['"Cat" 😺.'], [((0,), (0,), 0.9)])
    >>> AlignedCorpus.from_jsonl(io.StringIO(corpus.to_jsonl())) == corpus
    True
"""

from __future__ import annotations

import dataclasses
import io  # noqa: F401  (used by the doctest above)
import json
import math
import re
from os import PathLike
from typing import IO, Any

from ...text.normalize import check_encodable
from ...text.sentence import KINDS, Sentence
from .common import (CorpusData, Format, FormatError, Parts, meta_json, read_source,
                     source_name, write_corpus)

# Writers take an AlignedCorpus but do not import it: the object sits above them.
AlignedCorpus = Any

HEADER_FORMAT = "jp-en-align corpus"  # the header's "format"
VERSION = 1


# Line separators JSON allows raw inside a string, but that line-splitting
# readers (str.splitlines(), some JSON Lines tools) take for line ends: written
# as \u escapes so every record stays on one line for any reader.
_LINE_BREAKERS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKERS)


def write_jsonl(corpus: "AlignedCorpus", path: str | PathLike | IO[str] | None = None) -> str:
    """Write ``corpus`` as JSON Lines to ``path`` (path, open text file or None); return the text.

    Example:
        >>> corpus.to_jsonl("corpus.jsonl")   # doctest: +SKIP
    """
    return write_corpus(FORMAT, corpus, path)


def write_parts(f: IO[str], parts: Parts, meta: dict[str, Any]) -> int:
    """Write ``parts`` (``(document_id, corpus)``) to ``f`` as one JSONL file,
    ``meta`` in its header; return the pairs written. A part with an id is a
    document (a ``document`` record, then its sentences and pairs); a part
    without one is a whole corpus: its documents, if it has several, then its
    change log (``edit`` records).

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
        >>> f = io.StringIO()
        >>> write_parts(f, [("a", corpus), ("b", corpus)], {})
        2
        >>> AlignedCorpus.from_jsonl(io.StringIO(f.getvalue())).documents
        [('a', 0, 0), ('b', 1, 1)]
    """
    f.write(jsonl_header(meta))
    written = 0
    for doc, part in parts:
        if doc is None and part.documents:
            for document, piece in part.by_document():
                f.write(jsonl_document(piece, document))
        else:
            f.write(jsonl_document(part, doc))
        if doc is None:
            f.write("".join(_dumps({"type": "edit", **entry}) + "\n" for entry in part.log))
        written += len(part)
    return written


def jsonl_header(meta: dict[str, Any]) -> str:
    """The first line of the file."""
    return ('{"type": "header", "format": "%s", "version": %d, "meta": %s}\n'
            % (HEADER_FORMAT, VERSION, meta_json(meta)))


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
        if p.status != "auto":
            record["status"] = p.status
        if (p.ja_ids, p.en_ids) in corpus.prior:
            record["prior"] = corpus.prior[(p.ja_ids, p.en_ids)]
        if document is not None:
            record["document"] = document
        lines.append(_dumps(record))
    return "".join(line + "\n" for line in lines)


def read_jsonl(source: str | PathLike | IO[str] | IO[bytes]) -> CorpusData:
    """The sentences, beads and meta :func:`write_jsonl` wrote.

    Every field is checked: a file that is not UTF-8, a line that is not a JSON
    object, a missing field or one of the wrong type (``"ja_ids": "12"``, a
    ``kind`` not in :data:`~jp_en_align.text.sentence.KINDS`) is a
    :class:`FormatError` naming the file, the line and the field. Lines end at
    ``\\n`` (or ``\\r\\n``) only.

    Example:
        >>> corpus = AlignedCorpus.from_jsonl("corpus.jsonl")   # doctest: +SKIP
    """
    name = source_name(source)
    data = read_source(source)
    text = _decode(data, name) if isinstance(data, bytes) else data
    meta: dict[str, Any] | None = None
    sentences: dict[str, list[Sentence]] = {"ja": [], "en": []}
    beads = []
    confidence: dict[Any, float] = {}
    documents: list[tuple[str, int, int]] = []
    status: dict[Any, str] = {}
    prior: dict[Any, float] = {}
    log: list[dict[str, Any]] = []
    a0 = b0 = 0  # where the current document starts (ids in the file count from there)
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            record = _record(line)
            kind = _field(record, "type", str)
            if meta is None:
                if kind != "header" or record.get("format") != HEADER_FORMAT:
                    raise ValueError(f"the first line must be the {HEADER_FORMAT!r} header; "
                                     "was this file written by AlignedCorpus.to_jsonl?")
                version = _field(record, "version", int)
                if version > VERSION:
                    raise ValueError(f"format version {version} is newer than this "
                                     f"library reads ({VERSION}): upgrade jp-en-align")
                meta = _field(record, "meta", dict)
            elif kind == "document":
                a0, b0 = len(sentences["ja"]), len(sentences["en"])
                documents.append((_field(record, "id", str), a0, b0))
            elif kind == "sentence":
                s = _sentence(record)
                side = sentences[s.lang]
                offset = a0 if s.lang == "ja" else b0
                if s.index + offset != len(side):
                    raise ValueError(f"field 'index' is {s.index}, but this is {s.lang} sentence "
                                     f"{len(side) - offset} of its document: sentences must come "
                                     "in index order")
                side.append(dataclasses.replace(s, index=s.index + offset))
            elif kind == "pair":
                score = _field(record, "score", float, null=True)
                beads.append((tuple(i + a0 for i in _ids(record, "ja_ids")),
                              tuple(j + b0 for j in _ids(record, "en_ids")),
                              math.nan if score is None else score))
                conf = _field(record, "confidence", float, null=True, required=False)
                if conf is not None:
                    if not 0.0 <= conf <= 1.0:
                        raise ValueError(f"field 'confidence' is {conf!r}; it must be in [0, 1]")
                    confidence[beads[-1][:2]] = conf
                st = _field(record, "status", str, required=False)
                if st is not None and st != "auto":
                    status[beads[-1][:2]] = st  # checked against STATUSES by the corpus
                pr = _field(record, "prior", float, null=True, required=False)
                if pr is not None:
                    prior[beads[-1][:2]] = pr
            elif kind == "edit":
                log.append(_edit(record))
            else:
                raise ValueError(f"field 'type' is {kind!r}: expected 'document', 'sentence' or "
                                 "'pair' "
                                 "(the header comes once, first)")
        except ValueError as e:
            raise FormatError(f"{name}, line {n}: {e}") from None
    if meta is None:
        raise FormatError(f"{name}: the file is empty")
    return CorpusData(sentences["ja"], sentences["en"], beads, meta, confidence, documents,
                      status, log, prior)


def _edit(record: dict[str, Any]) -> dict[str, Any]:
    """A change-log entry, its fields checked (undo and learning read them)."""
    entry = {"op": _field(record, "op", str), "at": _field(record, "at", int)}
    for key in ("before", "after"):
        beads = _field(record, key, list)
        for r in beads:
            if not isinstance(r, dict):
                raise ValueError(f"field {key!r} must be a list of pair objects")
            _ids(r, "ja_ids"), _ids(r, "en_ids")
            _field(r, "score", float, null=True, required=False)
            _field(r, "confidence", float, null=True, required=False)
            _field(r, "prior", float, null=True, required=False)
            _field(r, "status", str, required=False)
        entry[key] = beads
    labels = _field(record, "labels", list, required=False) or []
    for lab in labels:
        if not (isinstance(lab, list) and len(lab) == 2 and isinstance(lab[0], list)
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in lab[0])
                and isinstance(lab[1], bool)):
            raise ValueError("field 'labels' must be a list of [features, true/false]")
    entry["labels"] = labels
    return entry


def _decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark dropped); anything else is a FormatError naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(f"{name}: the file is UTF-16; JSON Lines is UTF-8: re-save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FormatError(f"{name}, line {line}: not UTF-8 (byte {data[e.start]:#04x} at offset "
                          f"{e.start}); JSON Lines is UTF-8: re-save the file as UTF-8") from None


_MAX_DEPTH = 100  # far deeper than anything we write; keeps the parser off the recursion limit


def _record(line: str) -> dict[str, Any]:
    if line.count("[") + line.count("{") > _MAX_DEPTH:  # rare: only then count the depth
        depth = 0
        for ch in re.sub(r'"(?:[^"\\]|\\.)*"', "", line):  # brackets outside strings
            depth += 1 if ch in "[{" else -1 if ch in "]}" else 0
            if depth > _MAX_DEPTH:
                raise ValueError(f"nested more than {_MAX_DEPTH} levels deep; "
                                 "not a record jp-en-align writes")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON ({e.msg}, column {e.colno})") from None
    except RecursionError:  # pragma: no cover - the depth check above comes first
        raise ValueError("nested too deeply to read") from None
    if not isinstance(record, dict):
        raise ValueError(f"a record must be a JSON object, not {_json_type(record)}")
    return record


_JSON_TYPES = {str: "a string", int: "an integer", float: "a number", dict: "an object",
               list: "a list", bool: "true/false", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _field(record: dict[str, Any], key: str, kind: type, *, null: bool = False,
           required: bool = True) -> Any:
    """``record[key]`` if it is of JSON type ``kind`` (float takes integers too; bool
    is never a number), or None if null (or absent and not required) is allowed."""
    if key not in record:
        if required:
            raise ValueError(f"missing field {key!r}")
        return None
    value = record[key]
    if value is None and null:
        return None
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if kind is float and ok and not math.isfinite(value):
        ok = False
    if not ok:
        expected = _JSON_TYPES[kind] + (" or null" if null else "")
        raise ValueError(f"field {key!r} is {_json_type(value)} ({value!r:.40}), "
                         f"expected {expected}")
    if kind is str:
        check_encodable(value, f"field {key!r}")
    return value


def _ids(record: dict[str, Any], key: str) -> tuple[int, ...]:
    ids = _field(record, key, list)
    if not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in ids):
        raise ValueError(f"field {key!r} is {ids!r:.60}: expected a list of sentence numbers "
                         "(integers from 0)")
    return tuple(ids)


def _sentence(record: dict[str, Any]) -> Sentence:
    lang = _field(record, "lang", str)
    if lang not in ("ja", "en"):
        raise ValueError(f"field 'lang' is {lang!r}: expected 'ja' or 'en'")
    index = _field(record, "index", int)
    span = _field(record, "span", list)
    if len(span) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in span) \
            or not 0 <= span[0] <= span[1]:
        raise ValueError(f"field 'span' is {span!r:.60}: expected [start, end], "
                         "integers with 0 <= start <= end")
    kind = _field(record, "kind", str)
    if kind not in KINDS:
        raise ValueError(f"field 'kind' is {kind!r}: expected one of {', '.join(KINDS)}")
    paragraph = _field(record, "paragraph", int, null=True)
    return Sentence(text=_field(record, "text", str), normalized=_field(record, "normalized", str),
                    index=index, span=(span[0], span[1]), kind=kind, paragraph=paragraph,
                    lang=lang)


FORMAT = Format("jsonl", (".jsonl", ".ndjson"),
                "JSON Lines, lossless (AlignedCorpus.from_jsonl reads it back)",
                write_parts, read_jsonl, lossless=True)
