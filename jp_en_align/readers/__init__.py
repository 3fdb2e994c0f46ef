"""Stage 0, readers: the files people have (PDF, Word, HTML, text in any
Japanese encoding) to text ready for segmentation.

=================  ====================================================
module             what
=================  ====================================================
``detect``         which format a file is, from its bytes
``plain``          text files: encoding detection (UTF-8/16, cp932, EUC-JP, ISO-2022-JP)
``pdf``            the text layer of a PDF (PDFium), furniture dropped
``word``           ``.docx`` paragraphs, headings, numbered lists, tables
``web``            the main text of an HTML page (trafilatura)
``radicals``       ⽇ → 日: radical look-alikes of PDF text layers
``document``       :class:`Document`, :class:`Part`, and their sentences
``sides``          :func:`as_sentences`: the one entrance for an input side
=================  ====================================================

Readers may import :mod:`jp_en_align.text` (to segment what they read) and
nothing above it. Heavy libraries load inside the functions that need them.
"""

from .document import Document, Part
from .errors import DocumentError
from .read import read_document
from .sides import as_sentences

__all__ = ["Document", "DocumentError", "Part", "as_sentences", "read_document"]
