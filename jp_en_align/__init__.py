"""jp_en_align: align Japanese and English text sentence by sentence.

The pipeline, one module a stage, data flowing one way::

    segmenting -> embedding -> scoring -> aligning -> corpus -> formats -> cli
                                       \\-> comparing (press coverage)

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
    "Sentence": "sentence",
    "segment_ja": "segmenting",
    "segment_en": "segmenting",
    "normalize": "segmenting",
    "Encoder": "embedding",
    "load_encoder": "embedding",
    "SpanEmbeddings": "embedding",
    "CacheFileError": "cache",
    "Aligner": "aligning",
    "align": "aligning",
    "AlignedCorpus": "corpus",
    "Pair": "corpus",
    "CorpusSummary": "corpus",
    "FormatError": "formats",
    "evaluate": "evaluation",
    "AlignmentScores": "evaluation",
    "ScoringParams": "scoring",
    "read_beads": "evaluation",
    "write_beads": "evaluation",
    "compare": "comparing",
    "CoverageReport": "comparing",
    "CoverageRow": "comparing",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .aligning import Aligner, align
    from .scoring import ScoringParams
    from .comparing import CoverageReport, CoverageRow, compare
    from .corpus import AlignedCorpus, CorpusSummary, Pair
    from .formats import FormatError
    from .cache import CacheFileError
    from .embedding import Encoder, SpanEmbeddings, load_encoder
    from .evaluation import AlignmentScores, evaluate, read_beads, write_beads
    from .segmenting import normalize, segment_en, segment_ja
    from .sentence import Sentence


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jp_en_align' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
