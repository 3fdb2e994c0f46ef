"""Stage 4, corpus: the aligned corpus object every later stage reads.

=================  ====================================================
module             what
=================  ====================================================
``aligned``        :class:`AlignedCorpus`: sentences of both sides and beads
``pair``           :class:`Pair`, a view of one bead (no copy)
``summary``        :class:`CorpusSummary`
``documents``      corpora of several documents: ``concat``, ``by_document``, ``Pair.document``
``display``        the text table and the settings' one-line signature
``html``           the notebook table, the summary table, a standalone page
``plot``           the similarity heatmap with the chosen pairs
``formats/``       TMX, TSV, JSONL, Moses, bead files: plain data in and out
=================  ====================================================

The formats never import the corpus object: their readers return sentences,
beads and meta, and ``AlignedCorpus.from_tmx`` and friends build the object.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> len(AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)]))
    1
"""

from .aligned import AlignedCorpus, Bead
from .pair import Pair
from .summary import CorpusSummary

__all__ = ["AlignedCorpus", "Bead", "CorpusSummary", "Pair"]
