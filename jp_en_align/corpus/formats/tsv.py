"""Tab-separated values: one pair a line, ``ja <TAB> en <TAB> score``.

Backslash, tab, newline and carriage return inside a text are written as
``\\\\``, ``\\t``, ``\\n``, ``\\r`` so a pair always stays on one line with three
fields. Scores have four decimals, confidences four significant digits
(empty for NaN). A header line ``ja	en	score	confidence`` comes first
unless ``header=False``. A corpus of several documents has a fifth column,
``document``.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["猫\\tです。"], ["Cat."], [((0,), (0,), 0.9)])
    >>> corpus.to_tsv().splitlines()
    ['ja\\ten\\tscore\\tconfidence', '猫\\\\tです。\\tCat.\\t0.9000\\t']
    >>> read_tsv(io.StringIO(corpus.to_tsv()))
    [('猫\\tです。', 'Cat.', 0.9, nan)]
"""

from __future__ import annotations

import io  # noqa: F401  (used by the doctest above)
import math
import re
from itertools import chain
from os import PathLike
from typing import IO, Any

from ...text.sentence import Sentence
from .common import CorpusData, Format, FormatError, Parts, source_name, write_corpus

# Writers take an AlignedCorpus but do not import it: the object sits above them.
AlignedCorpus = Any

HEADER = "ja\ten\tscore\tconfidence"
_OLD_HEADER = "ja\ten\tscore"  # before confidence was written; still read
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {v: k for k, v in _ESCAPES.items()}


def escape(text: str) -> str:
    """``text`` with backslash, tab, newline, carriage return written as escapes."""
    return re.sub(r"[\\\t\n\r]", lambda m: _ESCAPES[m.group()], text)


def unescape(field: str) -> str:
    """The inverse of :func:`escape`."""
    return re.sub(r"\\[\\tnr]", lambda m: _UNESCAPES[m.group()], field)


def write_tsv(corpus: "AlignedCorpus", path: str | PathLike | IO[str] | None = None, *,
              header: bool = True, min_score: float | None = None,
              skip_unaligned: bool = False) -> str:
    """Write ja, en, score, confidence per pair to ``path`` (path, open text file or None);
    return the text. Unknown values are empty fields.

    Example:
        >>> corpus.to_tsv("pairs.tsv", min_score=0.5, skip_unaligned=True)   # doctest: +SKIP
    """
    return write_corpus(FORMAT, corpus.filter(min_score=min_score, skip_unaligned=skip_unaligned),
                        path, header=header)


def write_parts(f: IO[str], parts: Parts, meta: dict[str, Any], *, header: bool = True) -> int:
    """Write the pairs of ``parts`` (``(document_id, corpus)``) to ``f``, one line
    each; return the lines of pairs written (``meta`` has no place in TSV).

    The fifth column, ``document``, is there unless the parts are one corpus
    of one document (one part without an id, whose corpus has no documents):
    a part's id, or for a part without one each pair's own document.

    Example:
        >>> import io
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
        >>> f = io.StringIO()
        >>> write_parts(f, [("a", corpus), ("b", corpus)], {}), f.getvalue().splitlines()[1:]
        (2, ['猫。\\tCat.\\t0.9000\\t\\ta', '猫。\\tCat.\\t0.9000\\t\\tb'])
    """
    parts = iter(parts)
    first = next(parts, None)
    many = first is None or first[0] is not None or bool(first[1].documents)
    if header:
        f.write(HEADER + ("\tdocument\n" if many else "\n"))
    written = 0
    for doc, part in chain([first] if first is not None else [], parts):
        for p in part:
            document = (doc if doc is not None else p.document or "") if many else None
            f.write(tsv_line(p, document) + "\n")
            written += 1
    return written


def tsv_line(p: Any, document: str | None = None) -> str:
    """One pair as a TSV line (no line end); ``document`` adds the fifth column."""
    score = "" if math.isnan(p.score) else f"{p.score:.4f}"
    conf = "" if math.isnan(p.confidence) else f"{p.confidence:.4g}"
    line = f"{escape(p.ja)}\t{escape(p.en)}\t{score}\t{conf}"
    return line if document is None else f"{line}\t{escape(document)}"


def read_tsv(source: str | PathLike | IO[str]) -> list[tuple[str, str, float, float]]:
    """The ``(ja, en, score, confidence)`` rows of a TSV file :func:`write_tsv` wrote
    (header optional; a file of three columns gives NaN confidence).

    Example:
        >>> rows = read_tsv("pairs.tsv")   # doctest: +SKIP
    """
    name = source_name(source)
    if hasattr(source, "read"):
        text = source.read()  # type: ignore[union-attr]
    else:
        with open(source, encoding="utf-8", newline="") as f:
            text = f.read()
    rows = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line or (n == 1 and line in (HEADER, _OLD_HEADER, HEADER + "\tdocument")):
            continue
        fields = line.split("\t")
        if len(fields) == 5:
            fields = fields[:4]  # the fifth column is the document (not returned)
        if len(fields) not in (3, 4):
            raise FormatError(f"{name}, line {n}: expected 4 tab-separated fields (ja, en, "
                              f"score, confidence), found {len(fields)}")
        fields += [""] * (4 - len(fields))
        numbers = []
        for what, value in (("score", fields[2]), ("confidence", fields[3])):
            try:
                numbers.append(float(value) if value else math.nan)
            except ValueError:
                raise FormatError(f"{name}, line {n}: {what} {value!r} is not a number") from None
        rows.append((unescape(fields[0]), unescape(fields[1]), *numbers))
    return rows


def read_tsv_data(source: str | PathLike | IO[str]) -> CorpusData:
    """A TSV file :func:`write_tsv` wrote as corpus data: each line one pair of
    one sentence a side (an empty side makes it 1-0 / 0-1), with its score
    (0 when empty) and confidence (see :func:`read_tsv`).

    Example:
        >>> data = read_tsv_data(io.StringIO("猫。\\tCat.\\t0.9000\\t\\n"))
        >>> [s.text for s in data.ja_sentences], data.beads
        (['猫。'], [((0,), (0,), 0.9)])
    """
    rows = read_tsv(source)
    beads, confidence, i, j = [], {}, 0, 0
    for a, b, score, c in rows:
        key = ((i,) if a else (), (j,) if b else ())
        beads.append((*key, 0.0 if math.isnan(score) else score))
        if not math.isnan(c):
            confidence[key] = c
        i, j = i + bool(a), j + bool(b)
    return CorpusData(Sentence.from_texts([r[0] for r in rows if r[0]], "ja"),
                      Sentence.from_texts([r[1] for r in rows if r[1]], "en"), beads, {},
                      confidence)


FORMAT = Format("tsv", (".tsv", ".tab"), "ja, en, score, confidence per line, tab-separated",
                write_parts, read_tsv_data)
