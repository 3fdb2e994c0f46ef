"""Getting a corpus out to files (and back in): one module per format, listed
once in :data:`~jp_en_align.corpus.formats.table.FORMATS` (each module's
docstring describes its format; :mod:`~jp_en_align.corpus.formats.beads`, the
sentence ids of each pair, is a view for evaluation, not an export format).

Every writer takes a path, an open text file, or None (then it only returns
the text), and returns the text it wrote. Each module declares its
:class:`Format` (name, extensions, a streaming writer of ``(document_id,
corpus)`` parts, a reader); the command line and a collection's exports
take the formats from the table. What the modules share is in
:mod:`~jp_en_align.corpus.formats.common`.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)])
    >>> corpus.to_tsv(header=False)
    '猫。\\tCat.\\t0.9000\\t\\n'
    >>> guess_format("memory.tmx"), FORMATS["tmx"].extensions
    ('tmx', ('.tmx',))
"""

from __future__ import annotations

from .common import (CorpusData, Format, FormatError, emit, meta_json, read_source,
                     source_name, write_corpus, write_streaming, write_whole)
from .table import EXTENSIONS, FORMATS, guess_format, streaming_formats

__all__ = ["EXTENSIONS", "FORMATS", "CorpusData", "Format", "FormatError", "emit", "guess_format",
           "meta_json", "read_source", "source_name", "streaming_formats", "write_corpus",
           "write_streaming", "write_whole"]
