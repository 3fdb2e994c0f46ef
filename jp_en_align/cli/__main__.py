"""``python -m jp_en_align.cli``: the same as the ``jp-en-align`` command."""

import sys

from .main import main

sys.exit(main())
