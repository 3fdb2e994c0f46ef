"""The ``jp-en-align`` command: the Python API from a shell.

Subcommands mirror the library::

    jp-en-align align ja.txt en.txt -o memory.tmx        # jp_en_align.align + to_tmx
    jp-en-align align-many ja/ en/ -o memory.tmx         # jp_en_align.align_many
    jp-en-align pair-documents ja/ en/ -o pairs.tsv      # jp_en_align.pair_documents
    jp-en-align evaluate pred.beads gold.beads           # jp_en_align.evaluate
    jp-en-align compare statement_ja.txt press_en.txt    # jp_en_align.compare

Progress goes to stderr, results to stdout or the ``-o`` file. Bad input
(missing file, wrong encoding, an empty side, a malformed file) ends with a
one-line message and exit status 1; a wrong command line with status 2.

==============  ==============================================
module          what
==============  ==============================================
``main``        the parser, the entry point, one-line errors
``align``       ``jp-en-align align``
``align_many``  ``jp-en-align align-many``
``pair``        ``jp-en-align pair-documents`` (alias ``pair``)
``evaluate``    ``jp-en-align evaluate``
``compare``     ``jp-en-align compare``
``common``      input files, progress, argument types
==============  ==============================================
"""

from .align import ALIGNER_OPTIONS, OUTPUT_FORMATS
from .common import PROG, InputError, read_text
from .main import build_parser, main

__all__ = ["ALIGNER_OPTIONS", "OUTPUT_FORMATS", "PROG", "InputError", "build_parser", "main",
           "read_text"]
