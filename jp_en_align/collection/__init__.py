"""Collections: many document pairs into one translation memory, on all cores
of a machine or on a Dask cluster.

====================  ====================================================
module                what
====================  ====================================================
``sources``           ``(doc_id, ja, en)`` items, folder pairs matched by name, manifests
``store``             the output folder: one file per document, keyed by a hash of its input
``worker``            aligning one document (the same code on every engine)
``local``             a pool of processes on this machine
``cluster``           Dask (``dask.distributed``), imported only when used
``many``              :func:`align_many` and its :class:`CollectionResult`
``export``            TMX, TSV and JSONL streamed document by document
``report``            the progress bar and the summary
``pairing``           :func:`pair_documents`: which file translates which, by content
``pairing_inputs``    the documents of one side, read and checked
``pairing_result``    :class:`PairingResult`, its pairs and unpaired documents
``docvectors``        document vectors (mean, TK-PERT) and BiMax
``neighbours``        the candidate search (a faiss index)
====================  ====================================================

Example:
    >>> from jp_en_align.collection import align_many, pair_folders
    >>> result = align_many(pair_folders("ja", "en"), out_dir="out")   # doctest: +SKIP
    >>> result.to_tmx("memory.tmx", dedupe=True)                        # doctest: +SKIP
"""

from .many import CollectionResult, align_many, default_workers
from .pairing import pair_documents
from .pairing_result import DocumentMatch, PairingResult, Unpaired
from .sources import DocumentPair, FolderPairing, pair_folders, read_manifest
from .store import ReportRow

__all__ = ["CollectionResult", "DocumentMatch", "DocumentPair", "FolderPairing", "PairingResult",
           "ReportRow", "Unpaired", "align_many", "default_workers", "pair_documents",
           "pair_folders", "read_manifest"]
