"""TMX 1.4b translation memories: write one ``tu`` per pair, read TMX back safely.

What we write, besides the two ``tuv`` of each pair, are ``prop`` elements a
CAT tool ignores and :func:`read_tmx` uses to rebuild the corpus exactly:
``x-score``, ``x-ja-ids``/``x-en-ids`` (sentence ids, comma-separated) and,
for a side with several sentences, ``x-ja-lengths``/``x-en-lengths`` (where
the joined text splits back into sentences). The corpus' ``meta`` goes in a
header ``prop`` of type ``x-jp-en-align-meta`` (JSON).

Reading goes through :mod:`~jp_en_align.corpus.formats.xml` (defusedxml):
entity declarations (billion laughs) and external entities are refused, and
the DTD a TMX names is never fetched.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["「猫」＆犬。"], ["Cats & dogs."], [((0,), (0,), 0.9)])
    >>> text = corpus.to_tmx(ja_lang="ja-JP", en_lang="en-US")
    >>> '<tuv xml:lang="ja-JP"><seg>「猫」＆犬。</seg></tuv>' in text, "Cats &amp; dogs." in text
    (True, True)
    >>> AlignedCorpus.from_tmx(io.BytesIO(text.encode())) == corpus
    True
"""

from __future__ import annotations

import io  # noqa: F401  (used by the doctest above)
import json
import math
import warnings
from datetime import datetime, timezone
from os import PathLike
from typing import IO, Any, Callable, NamedTuple

from ..._version import __version__
from ...text.sentence import Sentence
from .common import (CorpusData, Format, FormatError, Parts, caller_stacklevel, meta_json,
                     read_source, source_name, write_corpus)
from .xml import (REPLACEMENT, declare_utf8, element_text, forbidden_chars, parse_xml,  # noqa: F401
                  xml_attr, xml_text)

# Writers take an AlignedCorpus but do not import it: the object sits above them.
AlignedCorpus = Any

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
META_PROP = "x-jp-en-align-meta"

def write_tmx(corpus: "AlignedCorpus", path: str | PathLike | IO[str] | None = None, *,
              ja_lang: str = "ja", en_lang: str = "en", srclang: str | None = None,
              min_score: float | None = None, skip_unaligned: bool = True,
              creationdate: datetime | None = None) -> str:
    """Write ``corpus`` as TMX 1.4b to ``path`` (a path, an open text file, or None) and
    return the XML text.

    ``ja_lang``/``en_lang`` are the ``xml:lang`` codes (e.g. ``"ja-JP"``, ``"en-US"``);
    ``srclang`` defaults to ``ja_lang``. 1-0/0-1 pairs are left out (a CAT tool
    gets nothing from a unit with one empty side) unless ``skip_unaligned=False``;
    ``min_score`` leaves out pairs scoring less. A corpus of several documents
    gives each unit its document's id (``x-document``) and sentence ids
    counted within the document. Characters XML forbids (most C0 controls)
    become U+FFFD, with a warning.

    Example:
        >>> corpus.to_tmx("memory.tmx", ja_lang="ja-JP", en_lang="en-US", min_score=0.5)  # doctest: +SKIP
    """
    return write_corpus(FORMAT, corpus.filter(min_score=min_score, skip_unaligned=skip_unaligned),
                        path, ja_lang=ja_lang, en_lang=en_lang, srclang=srclang,
                        creationdate=creationdate)


def write_parts(f: IO[str], parts: Parts, meta: dict[str, Any], *, ja_lang: str = "ja",
                en_lang: str = "en", srclang: str | None = None,
                creationdate: datetime | None = None,
                count: Callable[[Any], int] | None = None) -> int:
    """Write ``parts`` (``(document_id, corpus)``) to ``f`` as one TMX file, ``meta``
    in its header; return the units written. Every unit of a part with an id
    gets it as ``x-document``; a part without one is written document by
    document (:meth:`~jp_en_align.corpus.aligned.AlignedCorpus.by_document`).
    ``count`` (a deduplicated memory) gives each unit how often its pair
    occurred (``x-count``). Options as in :func:`write_tmx`.

    Example:
        >>> import io
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
        >>> f = io.StringIO()
        >>> write_parts(f, [("a", corpus), ("b", corpus)], {}), f.getvalue().count("x-document")
        (2, 2)
    """
    f.write(tmx_head(meta, ja_lang=ja_lang, srclang=srclang, creationdate=creationdate))
    written = bad = 0
    for doc, part in parts:
        for document, pairs in ([(doc, part)] if doc is not None else part.by_document()):
            for pair in pairs:
                f.write(tmx_unit(pair, ja_lang=ja_lang, en_lang=en_lang, document=document,
                                 count=None if count is None else count(pair)))
                bad += forbidden_count(pair.ja + pair.en)
                written += 1
    f.write(TMX_TAIL)
    if bad:
        warn_forbidden(bad)
    return written


#: the end of a TMX file (after :func:`tmx_head` and the units)
TMX_TAIL = "  </body>\n</tmx>\n"


def tmx_head(meta: dict[str, Any], *, ja_lang: str = "ja", srclang: str | None = None,
             creationdate: datetime | None = None) -> str:
    """The XML declaration, the ``header`` (the attributes CAT tools require,
    ``meta`` as a prop) and the opening ``body`` tag.

    Example:
        >>> 'segtype="sentence"' in tmx_head({})
        True
    """
    date = (creationdate or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    header = {"creationtool": "jp-en-align", "creationtoolversion": __version__,
              "segtype": "sentence", "o-tmf": "jp-en-align", "adminlang": "en",
              "srclang": srclang or ja_lang, "datatype": "plaintext", "creationdate": date}
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            '<tmx version="1.4">\n  <header '
            + " ".join(f'{k}="{xml_attr(v)}"' for k, v in header.items()) + ">\n"
            f'    <prop type="{META_PROP}">{xml_text(meta_json(meta))}</prop>\n'
            "  </header>\n  <body>\n")


def tmx_unit(pair: Any, *, ja_lang: str = "ja", en_lang: str = "en",
             document: str | None = None, count: int | None = None) -> str:
    """One ``tu`` for ``pair`` (a :class:`~jp_en_align.corpus.pair.Pair`): its document
    (``x-document``), score, confidence, sentence ids, and for a deduplicated
    memory how often it occurred (``x-count``)."""
    out = ["    <tu>\n"]
    if document is not None:
        out.append(f'      <prop type="x-document">{xml_text(document)}</prop>\n')
    if count is not None:
        out.append(f'      <prop type="x-count">{count}</prop>\n')
    if not math.isnan(pair.score):
        out.append(f'      <prop type="x-score">{pair.score!r}</prop>\n')
    if not math.isnan(pair.confidence):  # 4 significant digits: a probability
        out.append(f'      <prop type="x-confidence">{pair.confidence:.4g}</prop>\n')
    for side, ids, sentences in (("ja", pair.ja_ids, pair.ja_sentences),
                                 ("en", pair.en_ids, pair.en_sentences)):
        out.append(f'      <prop type="x-{side}-ids">{",".join(map(str, ids))}</prop>\n')
        if len(ids) > 1:
            lengths = ",".join(str(len(s.text)) for s in sentences)
            out.append(f'      <prop type="x-{side}-lengths">{lengths}</prop>\n')
    out.append(f'      <tuv xml:lang="{xml_attr(ja_lang)}"><seg>{xml_text(pair.ja)}</seg></tuv>\n'
               f'      <tuv xml:lang="{xml_attr(en_lang)}"><seg>{xml_text(pair.en)}</seg></tuv>\n'
               "    </tu>\n")
    return "".join(out)


def forbidden_count(text: str) -> int:
    """How many characters of ``text`` XML cannot hold (they are written as U+FFFD)."""
    return len(forbidden_chars.findall(text))


def warn_forbidden(bad: int) -> None:
    """Warn that ``bad`` characters were written as U+FFFD, pointing at the
    first caller outside the package (``corpus.to_tmx(...)``, ``result.to_tmx(...)``)."""
    warnings.warn(f"{bad} character(s) that XML cannot hold (control characters) were "
                  "written as U+FFFD", stacklevel=caller_stacklevel())


# -- reading --------------------------------------------------------------------

def _ids(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    return tuple(int(x) for x in text.split(",") if x.strip())


def _split(text: str, lengths: tuple[int, ...] | None, joiner: str) -> list[str] | None:
    """Cut a joined side back into its sentences; None if the lengths do not fit the text."""
    if lengths is None or any(n < 0 for n in lengths):
        return None
    out, pos = [], 0
    for k, n in enumerate(lengths):
        if k and text[pos:pos + len(joiner)] != joiner:
            return None
        pos += len(joiner) if k else 0
        out.append(text[pos:pos + n])
        pos += n
    return out if pos == len(text) else None


def _matches(lang: str | None, code: str) -> bool:
    lang, code = (lang or "").lower(), code.lower()
    return lang == code or lang.startswith(code + "-") or lang.startswith(code + "_")


def read_tmx(source: str | PathLike | IO[bytes], *, ja: str = "ja",
             en: str = "en") -> CorpusData:
    """Read a TMX file (ours or a CAT tool's): sentences, beads and meta.

    ``ja``/``en`` are the language codes to take (``"ja"`` also matches ``ja-JP``).
    Files written by :func:`write_tmx` come back with the same sentences, ids,
    scores and meta (if they hold every pair; a filtered export is renumbered
    in file order). Other files: each ``seg`` is one sentence, an empty or
    missing side makes a 1-0/0-1 pair, and scores are NaN.

    Raises :class:`FormatError` naming the line for malformed XML, entity
    declarations, external references, or a unit with neither language.

    Example:
        >>> corpus = AlignedCorpus.from_tmx("memory.tmx", ja="ja", en="en")   # doctest: +SKIP
    """
    name = source_name(source)
    data = read_source(source)
    if isinstance(data, str):  # already decoded: whatever it declares, it is UTF-8 now
        data = declare_utf8(data.encode("utf-8"))
    root, lines = parse_xml(data, name)
    where = lambda el: f"{name}, line {lines.get(id(el), '?')}"
    if root.tag != "tmx":
        raise FormatError(f"{where(root)}: the root element is <{root.tag}>, not <tmx>: "
                          "is this a TMX file?")
    body = root.find("body")
    if body is None:
        raise FormatError(f"{where(root)}: <tmx> has no <body>")

    meta: dict[str, Any] = {}
    header = root.find("header")
    if header is not None:
        meta_prop = next((p for p in header.findall("prop") if p.get("type") == META_PROP), None)
        if meta_prop is not None:
            try:
                meta = json.loads(meta_prop.text or "{}")
            except (json.JSONDecodeError, RecursionError) as e:
                why = "nested too deeply" if isinstance(e, RecursionError) else str(e)
                raise FormatError(f"{where(meta_prop)}: the {META_PROP} prop is not JSON "
                                  f"we can read ({why})") from None
            if not isinstance(meta, dict):
                raise FormatError(f"{where(meta_prop)}: the {META_PROP} prop must be a JSON "
                                  f"object, not {type(meta).__name__}")
        else:
            meta = {k: header.get(k) for k in ("creationtool", "creationtoolversion", "srclang")
                    if header.get(k)}

    units: list[_Unit] = []
    for tu in body.iter("tu"):
        props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
        texts: dict[str, str | None] = {"ja": None, "en": None}
        for tuv in tu.findall("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")  # TMX 1.1 used plain "lang"
            side = "ja" if _matches(lang, ja) else "en" if _matches(lang, en) else None
            seg = tuv.find("seg")
            if side and seg is not None:
                if texts[side] is not None:  # never keep one and silently drop the other
                    raise FormatError(
                        f"{where(tuv)}: this <tu> has a second {side!r} variant "
                        f"(xml:lang={lang!r}); a unit holds one segment per language")
                texts[side] = element_text(seg)
        if texts["ja"] is None and texts["en"] is None:
            found = sorted({str(t.get(XML_LANG) or t.get("lang")) for t in tu.findall("tuv")})
            raise FormatError(f"{where(tu)}: this <tu> has no {ja!r} or {en!r} variant (languages: "
                              f"{', '.join(found) or 'none'}); pass ja=/en= to pick the codes")
        try:
            score = float(props["x-score"]) if "x-score" in props else math.nan
            conf = float(props["x-confidence"]) if "x-confidence" in props else math.nan
            ids = {s: _ids(props.get(f"x-{s}-ids")) for s in ("ja", "en")}
            lengths = {s: _ids(props.get(f"x-{s}-lengths")) for s in ("ja", "en")}
        except ValueError as e:
            raise FormatError(f"{where(tu)}: unreadable score or id prop ({e})") from None
        if not (math.isnan(conf) or 0.0 <= conf <= 1.0):
            raise FormatError(f"{where(tu)}: x-confidence {conf!r} is not a probability in [0, 1]")
        sides = []
        for s, joiner in (("ja", ""), ("en", " ")):
            text, n = texts[s] or "", len(ids[s] or ())
            if ids[s] is not None and n > 1:
                sides.append(_split(text, lengths[s], joiner) or [text])
            elif ids[s] is not None:
                sides.append([text] if n == 1 else [])
            else:
                sides.append([text] if text else [])
        units.append(_Unit(sides[0], sides[1], ids["ja"], ids["en"], score, conf,
                           props.get("x-document")))

    if not units:
        raise FormatError(f"{where(body)}: <body> holds no <tu>: nothing to read")
    if all(u.document is None for u in units):
        ja_sents, en_sents, beads, confidence = _number(units, Sentence)
        return CorpusData(ja_sents, en_sents, beads, meta, confidence)
    return _number_by_document(units, meta)


class _Unit(NamedTuple):
    ja: list[str]          # the sentences of each side, split back where possible
    en: list[str]
    ja_ids: tuple[int, ...] | None   # the ids the file gave, if any
    en_ids: tuple[int, ...] | None
    score: float
    confidence: float
    document: str | None = None   # the x-document prop


def _number(units: list[_Unit], Sentence: Any) -> tuple[list, list, list, dict]:
    """Sentences and beads from the units: by the ids the file carries when they
    cover every sentence of a side exactly once, else numbered in file order."""
    sentences, bead_ids = {}, {}
    for side in ("ja", "en"):
        texts_per_unit = [getattr(u, side) for u in units]
        given = [getattr(u, f"{side}_ids") for u in units]
        flat = [i for ids in given if ids is not None for i in ids]
        usable = (all(ids is not None and len(ids) == len(ts)
                      for ids, ts in zip(given, texts_per_unit))
                  and sorted(flat) == list(range(len(flat))))
        if usable:
            by_id = {i: t for ids, ts in zip(given, texts_per_unit) for i, t in zip(ids, ts)}
            texts = [by_id[i] for i in range(len(flat))]
            bead_ids[side] = given
        else:
            texts, bead_ids[side] = [], []
            for ts in texts_per_unit:
                bead_ids[side].append(tuple(range(len(texts), len(texts) + len(ts))))
                texts.extend(ts)
        sentences[side] = Sentence.from_texts(texts, side)
    # A unit with two empty segs holds no sentence, so leaving it out loses nothing.
    kept = [(a, b, u) for a, b, u in zip(bead_ids["ja"], bead_ids["en"], units) if a or b]
    beads = [(a, b, u.score) for a, b, u in kept]
    confidence = {(a, b): u.confidence for a, b, u in kept if not math.isnan(u.confidence)}
    return sentences["ja"], sentences["en"], beads, confidence


def _number_by_document(units: list[_Unit], meta: dict[str, Any]) -> CorpusData:
    """Units of several documents (``x-document``): each run of units of one
    document numbered on its own (its ids count from 0), then laid end to end."""
    import dataclasses
    from itertools import groupby

    ja: list = []
    en: list = []
    beads: list = []
    confidence: dict = {}
    documents: list = []
    for k, (doc, group) in enumerate(groupby(units, key=lambda u: u.document)):
        a0, b0 = len(ja), len(en)
        documents.append((str(k) if doc is None else doc, a0, b0))
        ja_part, en_part, part_beads, part_conf = _number(list(group), Sentence)
        ja += [dataclasses.replace(s, index=s.index + a0) for s in ja_part]
        en += [dataclasses.replace(s, index=s.index + b0) for s in en_part]
        shift = lambda a, b: (tuple(i + a0 for i in a), tuple(j + b0 for j in b))
        beads += [(*shift(a, b), score) for a, b, score in part_beads]
        confidence.update({shift(a, b): c for (a, b), c in part_conf.items()})
    return CorpusData(ja, en, beads, meta, confidence, documents)


FORMAT = Format("tmx", (".tmx",), "a TMX 1.4b translation memory for CAT tools",
                write_parts, read_tmx, skip_unaligned=True)
