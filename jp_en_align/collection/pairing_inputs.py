"""The documents of one side of :func:`~jp_en_align.collection.pairing.pair_documents`:
a folder, a list of files, or ``(id, text)`` items, read, segmented and
checked at the entrance.

A wrong argument (a missing folder or file, an empty folder, an item of the
wrong type, two items with one id) is an error naming it. A document that
cannot take part (unreadable or binary, empty, in the other language, the
same text as an earlier one) is kept with its reason, so that the result can
report it as unpaired, never pair it.

Example:
    >>> docs = read_side([("a", "猫が好きです。"), ("b", "")], "ja")
    >>> [(d.id, len(d.sentences), d.problem) for d in docs]
    [('a', 1, None), ('b', 0, ('empty', 'no text'))]
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Union

from ..readers import DocumentError, as_sentences
from ..text.languages import language_problem
from ..text.sentence import Sentence

#: what one side may be given as
Documents = Union[str, os.PathLike, Iterable[Any]]


@dataclass
class SideDocument:
    """One document of one side: its id, what it came from (a file or the
    text given), its sentences, and why it cannot be paired (None if it can)."""

    id: str
    source: Any
    sentences: list[Sentence] = field(default_factory=list)
    problem: tuple[str, str] | None = None


def _folder_files(folder: Path, lang: str, pattern: str) -> list[Path]:
    if not folder.exists():
        raise FileNotFoundError(f"{lang} folder {os.fspath(folder)!r} does not exist")
    files = [p for p in sorted(folder.glob(pattern)) if p.is_file() and not p.name.startswith(".")]
    if not files:
        raise ValueError(f"{lang} folder {os.fspath(folder)!r} has no files"
                         + (f" matching {pattern!r}" if pattern != "*" else "")
                         + ": give a folder of documents")
    return files


def _items(documents: Documents, lang: str, pattern: str) -> tuple[list[tuple[str, Any]], Path | None]:
    """``(id, source)`` items and the folder they came from (if one)."""
    if isinstance(documents, (str, os.PathLike)):
        folder = Path(documents)
        if folder.is_file():
            raise NotADirectoryError(f"{lang} documents {os.fspath(folder)!r} is a file: give a "
                                     "folder, a list of files or (id, text) items")
        files = _folder_files(folder, lang, pattern)
        return [(p.relative_to(folder).as_posix(), p) for p in files], folder
    if isinstance(documents, bytes) or not isinstance(documents, Iterable):
        raise TypeError(f"{lang} documents are {type(documents).__name__}: give a folder, a list "
                        "of files or (id, text) items")
    items: list[tuple[str, Any]] = []
    paths: list[Path] = []
    for k, item in enumerate(documents):
        if isinstance(item, (str, os.PathLike)):
            path = Path(item)
            if not path.is_file():
                raise FileNotFoundError(f"{lang} file {os.fspath(path)!r} "
                                        + ("is a folder" if path.is_dir() else "does not exist"))
            paths.append(path)
            items.append((os.fspath(path), path))
        elif isinstance(item, tuple) and len(item) == 2:
            doc_id, text = item
            if not isinstance(text, (str, list, tuple)) or (
                    not isinstance(text, str) and not all(isinstance(s, str) for s in text)):
                raise TypeError(f"{lang} document {doc_id!r}: the text is {type(text).__name__}; "
                                "give a str or a list of sentences")
            items.append((str(doc_id), text))
        else:
            raise TypeError(f"{lang} document {k} is {type(item).__name__}: give a file path or "
                            "an (id, text) tuple")
    if not items:
        raise ValueError(f"no {lang} documents given: the list is empty")
    names = [p.name for p in paths]
    if len(set(names)) == len(names) and len(paths) == len(items):  # short ids when they are unique
        items = [(p.name, p) for p in paths]
    seen: set[str] = set()
    for doc_id, _ in items:
        if doc_id in seen:
            raise ValueError(f"{lang} document id {doc_id!r} appears twice: ids must be unique")
        seen.add(doc_id)
    return items, None


def _read_one(doc_id: str, source: Any, lang: str, encoding: str | None) -> SideDocument:
    # segmenting inside the entrance is quiet about languages: a wrong one is
    # reported below, as the document's reason
    return _check_text(_segment(doc_id, source, lang, encoding), lang)


def _segment(doc_id: str, source: Any, lang: str, encoding: str | None) -> SideDocument:
    doc = SideDocument(doc_id, source)
    try:  # the package's one entrance for a side
        sentences = as_sentences(source, lang, encoding, what=f"document {doc_id!r}")
    except DocumentError as e:
        doc.problem = ("unreadable", str(e).splitlines()[0])
        return doc
    doc.sentences = [s for s in sentences if s.normalized.strip()]
    return doc


def _check_text(doc: SideDocument, lang: str) -> SideDocument:
    if doc.problem is not None:
        return doc
    if not doc.sentences:
        doc.problem = ("empty", "no text")
    elif (wrong := language_problem(doc.sentences, lang)) is not None:
        doc.problem = ("wrong language", wrong)
    return doc


def read_side(documents: Documents, lang: str, *, encoding: str | None = None,
              pattern: str = "*") -> list[SideDocument]:
    """The documents of one side (``lang`` "ja" or "en"), read and checked.

    ``documents``: a folder (ids are the paths inside it), a list of files
    (ids are the file names, or the paths when names repeat), or ``(id,
    text)`` items (text a str, segmented here, or a list of sentences).
    A later document with the same text as an earlier one gets the problem
    ``("duplicate", ...)`` naming the first.
    """
    items, _ = _items(documents, lang, pattern)
    docs = [_read_one(doc_id, source, lang, encoding) for doc_id, source in items]
    first: dict[bytes, str] = {}
    for doc in docs:
        if doc.problem is None:
            key = hashlib.blake2b("\n".join(s.normalized for s in doc.sentences).encode(
                "utf-8", "surrogatepass"), digest_size=16).digest()
            if key in first:
                doc.problem = ("duplicate", f"the same text as {first[key]}")
            else:
                first[key] = doc.id
    return docs
