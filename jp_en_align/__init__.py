"""jp_en_align: align Japanese and English text sentence by sentence.

The pipeline, one folder a stage, data flowing one way (each layer imports
only the layers below it; ``pyproject.toml`` declares the contract and
``lint-imports`` enforces it)::

    text/      raw text -> Sentence objects (normalise, rebuild layout, split)
    readers/   PDF, Word, HTML, text in any Japanese encoding -> text (read_document)
    embed/     sentences -> vectors (encoders, caches)
    corpus/    AlignedCorpus, its views, and the file formats below it
    aligner/   evidence, bead scores, the search -> AlignedCorpus
    evaluation.py, coverage/   scoring against gold; press coverage
    collection/   many document pairs: all cores, a Dask cluster, streamed exports
    cli/       the jp-en-align command, one module per subcommand

Example:
    >>> import jp_en_align
    >>> corpus = jp_en_align.align("猫が好きです。犬も好きです。", "I like cats. I like dogs too.")
    >>> [(p.ja_ids, p.en_ids) for p in corpus]
    [((0,), (0,)), ((1,), (1,))]

Importing the package is cheap: heavy modules (numpy-heavy stages, the
encoder, sentence-transformers, torch) load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# public name -> module that defines it; loaded on first attribute access so
# that `import jp_en_align` stays fast and never imports torch.
_EXPORTS = {
    "Sentence": "text.sentence",
    "segment_ja": "text.segment",
    "segment_en": "text.segment",
    "normalize": "text.normalize",
    "read_document": "readers",
    "Document": "readers",
    "DocumentError": "readers",
    "Encoder": "embed.encoder",
    "load_encoder": "embed.loading",
    "register_encoder": "embed.registry",
    "SpanEmbeddings": "embed.spans",
    "CacheFileError": "embed.cache",
    "Aligner": "aligner.aligner",
    "align": "aligner.aligner",
    "AlignedCorpus": "corpus.aligned",
    "Pair": "corpus.pair",
    "CorpusSummary": "corpus.summary",
    "FormatError": "corpus.formats",
    "evaluate": "evaluation",
    "AlignmentScores": "evaluation",
    "ScoringParams": "aligner.scoring",
    "read_beads": "corpus.formats.beads",
    "write_beads": "corpus.formats.beads",
    "compare": "coverage.compare",
    "CoverageReport": "coverage.report",
    "CoverageRow": "coverage.report",
    "align_many": "collection.many",
    "CollectionResult": "collection.many",
    "pair_folders": "collection.sources",
    "pair_documents": "collection.pairing",
    "PairingResult": "collection.pairing_result",
    "DocumentMatch": "collection.pairing_result",
    "Unpaired": "collection.pairing_result",
    "read_manifest": "collection.sources",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .aligner.aligner import Aligner, align
    from .aligner.scoring import ScoringParams
    from .collection.many import CollectionResult, align_many
    from .collection.pairing import pair_documents
    from .collection.pairing_result import DocumentMatch, PairingResult, Unpaired
    from .collection.sources import pair_folders, read_manifest
    from .corpus.aligned import AlignedCorpus
    from .corpus.formats import FormatError
    from .corpus.formats.beads import read_beads, write_beads
    from .corpus.pair import Pair
    from .corpus.summary import CorpusSummary
    from .coverage.compare import compare
    from .coverage.report import CoverageReport, CoverageRow
    from .embed.cache import CacheFileError
    from .embed.encoder import Encoder
    from .embed.loading import load_encoder
    from .embed.registry import register_encoder
    from .embed.spans import SpanEmbeddings
    from .evaluation import AlignmentScores, evaluate
    from .readers import Document, DocumentError, read_document
    from .text.normalize import normalize
    from .text.segment import segment_en, segment_ja
    from .text.sentence import Sentence



def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jp_en_align' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
