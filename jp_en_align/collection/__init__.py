"""Collections: many document pairs into one translation memory, on all cores
of a machine or on a Dask cluster.

=================  ====================================================
module             what
=================  ====================================================
``sources``        ``(doc_id, ja, en)`` items, folder pairs matched by name, manifests
``store``          the output folder: one file per document, keyed by a hash of its input
``worker``         aligning one document (the same code on every engine)
``local``          a pool of processes on this machine
``cluster``        Dask (``dask.distributed``), imported only when used
``many``           :func:`align_many` and its :class:`CollectionResult`
``export``         TMX, TSV and JSONL streamed document by document
``report``         the progress bar and the summary
=================  ====================================================

Example:
    >>> from jp_en_align.collection import align_many, pair_folders
    >>> result = align_many(pair_folders("ja", "en"), out_dir="out")   # doctest: +SKIP
    >>> result.to_tmx("memory.tmx", dedupe=True)                        # doctest: +SKIP
"""

from .many import CollectionResult, align_many, default_workers
from .sources import DocumentPair, FolderPairing, pair_folders, read_manifest
from .store import ReportRow

__all__ = ["CollectionResult", "DocumentPair", "FolderPairing", "ReportRow", "align_many",
           "default_workers", "pair_folders", "read_manifest"]
