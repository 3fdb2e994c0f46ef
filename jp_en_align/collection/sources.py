"""Where the documents of a collection come from: ``(doc_id, ja, en)`` items,
a folder pair matched by file name, or a manifest of explicit pairs.

A side is raw text (``str``), a list of sentences, or a file (``pathlib.Path``
or any ``os.PathLike``; a plain ``str`` is always text). Files are read by
whoever aligns the document, so a cluster ships names, not text.

Example:
    >>> document_key(Path("ja/2021-04_ja.txt"), "ja"), document_key(Path("en/2021-04.en.txt"), "en")
    ('2021-04', '2021-04')
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

#: one side of a document: raw text, sentences, or a file
Side = Union[str, list, Path]

# What a file name may carry besides the document's name: the extension of a
# format the readers take and a language tag ("_ja", ".ja", "-jpn", "_english", ...).
_EXTENSIONS = {".txt", ".text", ".md", ".pdf", ".docx", ".doc", ".html", ".htm"}
_TAGS = {"ja": re.compile(r"[._-](ja|jp|jpn|japanese)$", re.I),
         "en": re.compile(r"[._-](en|eng|english)$", re.I)}


@dataclass(frozen=True)
class DocumentPair:
    """One document of a collection: its id and its two sides."""

    doc_id: str
    ja: Side
    en: Side


@dataclass
class FolderPairing:
    """The documents two folders make, matched by name, and the names left over."""

    documents: list[DocumentPair]
    unmatched_ja: list[Path] = field(default_factory=list)
    unmatched_en: list[Path] = field(default_factory=list)

    def __iter__(self) -> Iterator[DocumentPair]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


def document_key(path: Path, lang: str) -> str:
    """The name a file is matched by: its name without the extension of a
    format the readers take (text, PDF, .docx, HTML) and a language tag, so
    ``a_ja.txt``, ``a.ja.txt``, ``a.ja``, ``a.txt`` and ``a_ja.pdf`` are all ``a``."""
    name = path.name
    stem, ext = os.path.splitext(name)
    if ext.lower() in _EXTENSIONS:
        name = stem
    return _TAGS[lang].sub("", name) or name


def _files(folder: Path, pattern: str, lang: str) -> dict[str, Path]:
    if not folder.is_dir():
        raise NotADirectoryError(f"{lang} folder {os.fspath(folder)!r} is not a directory: "
                                 "give two folders of text files, e.g. ja/ en/")
    out: dict[str, Path] = {}
    for path in sorted(folder.glob(pattern)):
        if path.is_file() and not path.name.startswith("."):
            key = document_key(path, lang)
            if key in out:
                raise ValueError(f"{out[key].name} and {path.name} in {os.fspath(folder)!r} "
                                 f"both stand for document {key!r}: rename one")
            out[key] = path
    return out


def pair_folders(ja_dir: str | os.PathLike, en_dir: str | os.PathLike, *,
                 pattern: str = "*") -> FolderPairing:
    """Match the files of two folders by name (see :func:`document_key`), in name order.

    Example:
        >>> pairing = pair_folders("ja", "en")                      # doctest: +SKIP
        >>> result = align_many(pairing, out_dir="out")             # doctest: +SKIP
    """
    ja, en = _files(Path(ja_dir), pattern, "ja"), _files(Path(en_dir), pattern, "en")
    docs = [DocumentPair(key, ja[key], en[key]) for key in sorted(ja.keys() & en.keys())]
    return FolderPairing(docs, [ja[k] for k in sorted(ja.keys() - en.keys())],
                         [en[k] for k in sorted(en.keys() - ja.keys())])


def read_manifest(path: str | os.PathLike) -> list[DocumentPair]:
    """The pairs a manifest lists: tab-separated ``ja_file<TAB>en_file`` or
    ``doc_id<TAB>ja_file<TAB>en_file`` lines; ``#`` comments, blank lines and a
    header (``ja en`` or ``id ja en``) are skipped. After a ``ja en score``
    header (what ``jp-en-align pair-documents`` writes) the lines are
    ``ja_file<TAB>en_file<TAB>score`` and the score is ignored; relative paths are relative
    to the manifest's folder. Missing files are not checked here: they become
    failed documents of the run, like any unreadable input.

    Example:
        >>> docs = read_manifest("pairs.tsv")   # doctest: +SKIP
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise OSError(f"cannot read manifest {os.fspath(path)!r}: {e.strerror}") from None
    docs: list[DocumentPair] = []
    scored = False  # a 'ja en score' header: the third field is a score
    for n, line in enumerate(lines, 1):
        fields = [f.strip() for f in line.split("\t")]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if n == 1 and [f.lower() for f in fields] in (["ja", "en"], ["id", "ja", "en"]):
            continue
        if n == 1 and [f.lower() for f in fields] == ["ja", "en", "score"]:
            scored = True
            continue
        if len(fields) not in (2, 3) or not all(fields):
            raise ValueError(f"{os.fspath(path)}, line {n}: expected 'ja_file<TAB>en_file' or "
                             f"'doc_id<TAB>ja_file<TAB>en_file', found {len(fields)} field(s)")
        if scored:
            fields = fields[:2]
        ja, en = (path.parent / f for f in fields[-2:])
        for side in (ja, en):
            _regular_or_missing(side, path, n)
        doc_id = fields[0] if len(fields) == 3 else document_key(ja, "ja")
        docs.append(DocumentPair(doc_id, ja, en))
    return docs


def _regular_or_missing(side: Path, manifest: Path, line: int) -> None:
    """A manifest may name only files: a device (``/dev/zero`` never ends) or a
    FIFO (reading it waits forever) is refused here. A missing file is the
    run's business: it becomes that document's failure."""
    try:
        mode = side.stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        what = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)"
                if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or
                stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a file")
        raise ValueError(f"{os.fspath(manifest)}, line {line}: {os.fspath(side)} is {what}; "
                         "a manifest names regular files only")


def as_documents(documents: Iterable[Any]) -> list[DocumentPair]:
    """The items as :class:`DocumentPair` objects, checked at the entrance:
    three items each, sides of a usable type, ids unique."""
    out: list[DocumentPair] = []
    seen: set[str] = set()
    for k, item in enumerate(documents):
        if not isinstance(item, DocumentPair):
            if not isinstance(item, (tuple, list)) or len(item) != 3:
                raise TypeError(f"document {k} is {type(item).__name__}: give (doc_id, ja, en) "
                                "tuples, e.g. ('report-1', Path('ja/1.txt'), Path('en/1.txt'))")
            item = DocumentPair(str(item[0]), *item[1:])
        for side in ("ja", "en"):
            value = getattr(item, side)
            if isinstance(value, os.PathLike):
                # absolute: a worker in another folder (a Dask worker) reads the same file
                item = dataclasses.replace(item, **{side: Path(value).absolute()})
            elif isinstance(value, tuple):
                item = dataclasses.replace(item, **{side: list(value)})
            elif not isinstance(value, (str, list, tuple, Path)):
                raise TypeError(f"document {item.doc_id!r}: {side} is {type(value).__name__}; "
                                "give text (str), a list of sentences or a file path (Path)")
        if item.doc_id in seen:
            raise ValueError(f"document id {item.doc_id!r} appears twice: ids must be unique "
                             "(they name the documents in the output)")
        seen.add(item.doc_id)
        out.append(item)
    return out
