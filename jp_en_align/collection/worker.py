"""Aligning one document of a collection, wherever it runs: this process, a
pool process, or a Dask worker. The same code everywhere, so every engine
gives the same files.

Each process keeps one :class:`~jp_en_align.aligner.aligner.Aligner` per
settings (:func:`get_aligner`): the encoder loads once per process, however
many documents it aligns. A document's failure (unreadable, empty, not in
the language its side claims) is caught here, stored with its reason, and
the run goes on.

Example:
    >>> settings = Settings()
    >>> settings.fingerprint() == Settings().fingerprint()
    True
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..readers import DocumentError as ReadError, as_sentences
from ..text.languages import check_languages
from ..text.sentence import Sentence
from .sources import DocumentPair
from .store import OutputFolder, ReportRow


@dataclass(frozen=True)
class Settings:
    """What shapes a document's result: the model and the Aligner's options
    (as sorted ``(name, value)`` pairs, so the object is hashable and small to ship)."""

    model: str | None = None
    options: tuple[tuple[str, Any], ...] = ()
    encoding: str | None = None  # None: detected per file
    #: the encoder's vector cache; not in the fingerprint: vectors do not depend on it
    cache_dir: str | None = None
    #: registered encoders (``embed.registry``) the model's name needs, registered again
    #: in each worker; not in the fingerprint: the model's name is
    encoders: tuple[tuple[str, Any], ...] = ()

    def fingerprint(self) -> str:
        """The settings as text for the input keys: equal settings, equal text."""
        return json.dumps({"model": self.model, "options": self.options,
                           "encoding": self.encoding, "version": __version__},
                          sort_keys=True, default=str)


@dataclass(frozen=True)
class Task:
    """One document to align and the key its result is stored under."""

    key: str
    document: DocumentPair


class DocumentError(ValueError):
    """A document that cannot be aligned; the message says why."""


_ALIGNERS: dict[Settings, Any] = {}
# One document at a time per process: a Dask worker with several threads
# shares one aligner (and its encoder cache) between them.
_LOCK = threading.Lock()


def get_aligner(settings: Settings) -> Any:
    """This process' Aligner for ``settings``, made (and its encoder loaded) on first use."""
    with _LOCK:
        if settings not in _ALIGNERS:
            from ..aligner.aligner import Aligner
            from ..embed.registry import install_encoders

            install_encoders(settings.encoders)   # names registered in the driver

            _ALIGNERS[settings] = Aligner(settings.model, show_progress_bar=False,
                                          cache_dir=settings.cache_dir, **dict(settings.options))
        return _ALIGNERS[settings]


def check_run_settings(model: Any, workers: Any, threads: Any, encoding: Any,
                       documents_per_task: Any, options: dict[str, Any]) -> str | None:
    """Check the settings of a collection run once, before any document is read
    or process started (a bad one would otherwise fail every document)."""
    from ..aligner.options import check_options

    check_options(options, "align_many")
    if model is not None and not isinstance(model, (str, os.PathLike)):
        raise TypeError(f"model is {type(model).__name__}; align_many's workers load the model "
                        "themselves: give its name or folder (str), or None for the built-in one")
    for name, value in (("workers", workers), ("threads", threads),
                        ("documents_per_task", documents_per_task)):
        if value is None and name != "documents_per_task":
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} is {value!r} ({type(value).__name__}); give an int of 1 "
                            f"or more, e.g. {name}=2")
        if value < 1:
            raise ValueError(f"{name} is {value!r}; give 1 or more, e.g. {name}=2")
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise ValueError(f"encoding {encoding!r} is unknown: use a Python codec name such as "
                             "utf-8, cp932, shift_jis, euc-jp, utf-16, or None to detect it per "
                             "file") from None
    return encoding


def pin_to_cores(index: int, threads: int) -> int:
    """Keep this process on ``threads`` of the cores it may use (the ``index``-th
    group of them), so that the encoder, which sizes its thread pool by the
    cores it may run on, uses ``threads`` threads and processes do not fight
    over cores. Returns the number of cores kept."""
    if not hasattr(os, "sched_setaffinity") or threads <= 0:
        return 0
    cores = sorted(os.sched_getaffinity(0))
    if threads >= len(cores):
        return len(cores)
    start = (index * threads) % len(cores)
    os.sched_setaffinity(0, {cores[(start + k) % len(cores)] for k in range(threads)})
    return threads


def _read_side(side: Any, lang: str, encoding: str | None) -> list[Sentence]:
    """One side through the package's entrance; an unreadable or empty side is
    this document's failure."""
    try:
        sentences = as_sentences(side, lang, encoding, what=f"the {lang} side")
    except ReadError as e:
        raise DocumentError(str(e)) from None
    if not any(s.normalized.strip() for s in sentences):
        raise DocumentError(f"the {lang} side is empty: there is nothing to align")
    return sentences


def check_sides(ja: Any, en: Any) -> None:
    """Refuse a side plainly in the other language (swapped or misfiled files):
    the one language check (:mod:`jp_en_align.text.languages`), strict."""
    try:
        check_languages(ja, en, strict=True, call="put the Japanese file on the ja side")
    except ValueError as e:  # SwappedLanguagesError, LanguageError
        raise DocumentError(str(e)) from None


def align_document(task: Task, settings: Settings, store: OutputFolder) -> ReportRow:
    """Align one document, store the result (or the failure), return its report row."""
    start = time.perf_counter()
    doc = task.document
    try:
        ja = _read_side(doc.ja, "ja", settings.encoding)
        en = _read_side(doc.en, "en", settings.encoding)
        check_sides(ja, en)
        aligner = get_aligner(settings)
        with _LOCK:
            corpus = aligner.align_sentences(ja, en)
    except Exception as e:  # any document's failure is recorded and the run goes on
        reason = str(e) if isinstance(e, DocumentError) else f"{type(e).__name__}: {e}"
        row = ReportRow(doc.doc_id, "failed", seconds=time.perf_counter() - start,
                        error=reason.splitlines()[0] if reason else type(e).__name__, key=task.key)
        store.write_failure(task.key, row)
        return row
    confidences = [c for a, b, _ in corpus.beads
                   if not math.isnan(c := corpus.confidence.get((a, b), math.nan))]
    row = ReportRow(doc.doc_id, "aligned", len(corpus.ja_sentences), len(corpus.en_sentences),
                    pairs=len(corpus),
                    unaligned=sum(len(a) + len(b) for a, b, _ in corpus.beads if not (a and b)),
                    mean_confidence=sum(confidences) / len(confidences) if confidences else math.nan,
                    seconds=time.perf_counter() - start, key=task.key)
    store.write_result(task.key, corpus, row)
    return row


def align_batch(tasks: list[Task], settings: Settings, out_dir: str) -> list[ReportRow]:
    """Align a batch of documents into the output folder ``out_dir`` (the unit of
    work a pool process or a Dask worker receives); returns their report rows."""
    store = OutputFolder(out_dir)
    return [align_document(task, settings, store) for task in tasks]
