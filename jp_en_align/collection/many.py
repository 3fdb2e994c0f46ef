"""``align_many``: a whole collection of document pairs into one translation memory.

The driver (this module) never holds the aligned text: it hashes each
document's input into a key (:mod:`.store`), skips keys already in the output
folder, hands the rest out in batches to an engine, and keeps one report row
per document. The engines (:func:`.worker.align_batch` in this process,
:mod:`.local` on a process pool, :mod:`.cluster` on Dask) all run the same
code and write one file per document; the final TMX/TSV/JSONL is streamed
from those files in input order (:mod:`.export`).

Example:
    >>> result = align_many([("a", "猫が好きです。犬も好きです。", "I like cats. I like dogs too.")],
    ...                     workers=1)
    >>> [(row.document, row.status, row.pairs) for row in result.report]
    [('a', 'aligned', 2)]
    >>> [(p.document, p.ja) for p in result.corpus()]
    [('a', '猫が好きです。'), ('a', '犬も好きです。')]
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..embed.encoder import usable_cores
from ..embed.registry import encoder_entries
from .export import CollectionExports
from .sources import DocumentPair, as_documents
from .store import OutputFolder, ReportRow, input_key
from .worker import Settings, Task, align_batch, check_run_settings

#: a batch holds documents up to this many bytes of input (or one larger document) ...
BATCH_BYTES = 64_000
#: ... and at most this many documents: small documents travel together
BATCH_DOCUMENTS = 32


def default_workers() -> int:
    """Processes ``workers=None`` uses: one per usable core, one encoder thread
    each. More encoder threads than free cores was 5-8x slower on the 2-core
    machine; see ``benchmarks/bench_many.py`` and the README."""
    return max(1, usable_cores())


def _size(side: Any) -> int:
    if isinstance(side, Path):
        try:
            return side.stat().st_size
        except OSError:
            return 0
    return len(side) if isinstance(side, str) else sum(len(str(s)) for s in side)


def _batches(tasks: list[Task], most: int = BATCH_DOCUMENTS) -> Iterator[list[Task]]:
    batch: list[Task] = []
    size = 0
    for task in tasks:
        n = _size(task.document.ja) + _size(task.document.en)
        if batch and (size + n > BATCH_BYTES or len(batch) >= most):
            yield batch
            batch, size = [], 0
        batch.append(task)
        size += n
    if batch:
        yield batch


class CollectionResult(CollectionExports):
    """The outcome of :func:`align_many`: one report row per document (in input
    order) and the aligned documents in the output folder, read one at a time.

    Exports (``to_tmx``, ``to_tsv``, ``to_jsonl``) stream over the documents;
    :meth:`corpus` merges them in memory (for small collections).
    """

    def __init__(self, store: OutputFolder, report: list[ReportRow], seconds: float,
                 keep_alive: Any = None) -> None:
        self.store = store
        self.report = report
        self.seconds = seconds
        self._keep_alive = keep_alive  # a temporary output folder lives as long as the result

    @property
    def out_dir(self) -> Path:
        """The output folder (one file per document)."""
        return self.store.path

    @property
    def failures(self) -> list[ReportRow]:
        """The rows of documents that failed, with their errors."""
        return [row for row in self.report if row.status == "failed"]

    def __repr__(self) -> str:
        done = sum(row.status != "failed" for row in self.report)
        return (f"CollectionResult({len(self.report)} documents: {done} aligned, "
                f"{len(self.failures)} failed; out_dir={os.fspath(self.out_dir)!r})")

    def corpora(self) -> Iterator[tuple[str, Any]]:
        """``(document_id, AlignedCorpus)`` for each aligned document, in input order."""
        for row in self.report:
            if row.status != "failed":
                yield row.document, self.store.read_corpus(row.key)

    def corpus(self) -> Any:
        """All aligned documents as one :class:`~jp_en_align.corpus.aligned.AlignedCorpus`
        (each pair knows its ``document``); holds everything in memory."""
        from ..corpus.aligned import AlignedCorpus

        return AlignedCorpus.concat(self.corpora())

    def to_dataframe(self) -> Any:
        """The report as a pandas DataFrame, one row per document."""
        import pandas as pd

        return pd.DataFrame([row.as_dict() for row in self.report]).drop(columns="key")

    def summary(self, max_failures: int = 20) -> str:
        """A one-screen account of the run: documents, sentences, speed, failures."""
        from .report import summary_text

        return summary_text(self, max_failures)


def align_many(documents: Iterable[Any], *, out_dir: str | os.PathLike | None = None,
               model: str | None = None, workers: int | None = None, client: Any = None,
               threads: int | None = None, encoding: str | None = None,
               cache_dir: str | os.PathLike | None = None,
               documents_per_task: int = BATCH_DOCUMENTS,
               show_progress_bar: bool | None = None, **options: Any) -> CollectionResult:
    """Align every document of a collection; return the report and the results.

    Args:
        documents: ``(doc_id, ja, en)`` items, each side raw text (str), a list
            of sentences, or a file (``pathlib.Path``); or the result of
            :func:`~jp_en_align.collection.sources.pair_folders` /
            :func:`~jp_en_align.collection.sources.read_manifest`.
        out_dir: the folder each finished document is written to as it
            finishes; rerunning with the same folder skips the documents
            already done (same input, same settings). None: a temporary folder.
        model: the encoder (None: the built-in default), a name or folder.
        workers: processes on this machine (None: :func:`default_workers`; 1:
            this process). Ignored with ``client``.
        client: a ``dask.distributed.Client``: run on its cluster (the output
            folder must be storage the workers share).
        threads: encoder threads per worker process (None: the usable cores
            divided among the workers; on Dask, the worker's cores). With
            ``workers=1`` this process' own encoder is used as it is.
        encoding: the encoding of text files given as paths (None: detected
            per file); PDF, .docx and HTML files are read by their format
            (:func:`~jp_en_align.readers.read_document`).
        cache_dir: the encoders' persistent vector cache (a folder every
            worker can reach): sentences encoded before, e.g. by
            :func:`~jp_en_align.collection.pairing.pair_documents` with the
            same ``cache_dir``, are not encoded again. Results do not depend on it.
        documents_per_task: most documents in one unit of work (small ones
            travel together, up to 64 kB of input; a larger one alone).
        options: those of :class:`~jp_en_align.aligner.aligner.Aligner`
            (``max_bead``, ``band_width``, ...).

    A document that fails is reported (``status="failed"`` and its ``error``)
    and the run goes on.

    Example:
        >>> from jp_en_align.collection import pair_folders
        >>> result = align_many(pair_folders("ja", "en"), out_dir="out", workers=2)  # doctest: +SKIP
        >>> result.to_tmx("memory.tmx")                                               # doctest: +SKIP
    """
    if "cache_dir" in options:
        raise TypeError("align_many() got cache_dir twice")
    # every setting is checked here, once, before any document is read or process started
    encoding = check_run_settings(model, workers, threads, encoding, documents_per_task, options)
    docs: list[DocumentPair] = as_documents(documents)  # file paths made absolute
    # absolute paths: a worker started in another folder finds the same files
    settings = Settings(model, tuple(sorted(options.items())), encoding,
                        None if cache_dir is None else os.fspath(Path(cache_dir).absolute()),
                        encoder_entries(model))   # a registered name travels to the workers
    keep_alive = None
    if out_dir is None:
        keep_alive = tempfile.TemporaryDirectory(prefix="jp-en-align-")
        out_dir = keep_alive.name
    store = OutputFolder(Path(out_dir).absolute())
    fingerprint = settings.fingerprint()
    keys = [input_key(d.doc_id, d.ja, d.en, fingerprint) for d in docs]
    rows: dict[str, ReportRow] = {}
    todo = []
    for doc, key in zip(docs, keys):
        row = store.done_row(key)  # None as well for a damaged file, which is aligned again
        if row is not None:
            rows[key] = ReportRow(**{**row.as_dict(), "status": "done before", "key": key})
        else:
            todo.append(Task(key, doc))

    from .report import Progress

    start = time.perf_counter()
    with Progress(len(docs), len(docs) - len(todo), show_progress_bar) as progress:
        def on_done(batch_rows: list[ReportRow]) -> None:
            for row in batch_rows:
                rows[row.key] = row
            progress.update(batch_rows)

        if client is not None:
            from .cluster import run_on_dask

            run_on_dask(client, _batches(todo, documents_per_task), settings, os.fspath(store.path),
                        threads=threads, on_done=on_done)
        else:
            workers = workers or default_workers()
            if workers == 1 or len(todo) <= 1:
                for batch in _batches(todo, documents_per_task):
                    on_done(align_batch(batch, settings, os.fspath(store.path)))
            else:
                from .local import run_in_processes

                run_in_processes(_batches(todo, documents_per_task), settings, os.fspath(store.path),
                                 workers=workers,
                                 threads=threads or max(1, usable_cores() // workers),
                                 on_done=on_done)
    report = [rows[key] for key in keys]
    return CollectionResult(store, report, time.perf_counter() - start, keep_alive)
