"""``jp-en-align review``: correct a corpus (or an align-many output folder) in a
browser, from the keyboard (:func:`jp_en_align.review.serve`)."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from typing import Any

from .common import InputError, add_common

EXAMPLES = """\
examples:
  jp-en-align review corpus.jsonl                 # prints http://127.0.0.1:PORT/?token=...
  jp-en-align review work/ --open                 # an align-many --out-dir: one queue for all
  jp-en-align review corpus.jsonl --port 8765

Every action is saved at once (CORPUS.jsonl.journal, then CORPUS.jsonl itself);
run the same command again to resume. Ctrl+C stops the server. The keys are
shown on the page (j/k move, y/n correct/wrong, m merge, s split, u undo, ...).
"""


def run(args: argparse.Namespace) -> int:
    from ..review import serve

    target = Path(args.corpus)
    if not target.exists():
        raise InputError(f"{args.corpus!r} does not exist: give a corpus .jsonl file (jp-en-align "
                         "align ... -o corpus.jsonl) or an align-many --out-dir folder")
    if target.is_file() and target.suffix.lower() != ".jsonl":
        raise InputError(f"{args.corpus!r} is not a .jsonl corpus: review reads the lossless "
                         "JSONL (jp-en-align align ... -o corpus.jsonl)")

    # SIGTERM stops like Ctrl+C: the server writes its last snapshot (the journal
    # already holds every action, so even kill -9 loses nothing)
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    serve(target, host=args.host, port=args.port, open_browser=args.open, block=True,
          quiet=False)
    return 0


def add_parser(sub: Any) -> None:
    """The ``review`` subcommand and its options."""
    p = sub.add_parser("review", formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog=EXAMPLES,
                       help="correct an aligned corpus in a browser (a local page)",
                       description="Serve a local page to review and correct an aligned "
                                   "corpus: most doubtful pairs first, every edit from the "
                                   "keyboard, saved at once.")
    p.add_argument("corpus", metavar="CORPUS",
                   help="a corpus .jsonl file, or an align-many --out-dir folder")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; another "
                        "address lets other machines reach the page: a warning is printed); "
                        "e.g. --host 0.0.0.0")
    p.add_argument("--port", type=int, default=0,
                   help="port (default: a free one, printed with the URL), e.g. --port 8765")
    p.add_argument("--open", action="store_true", help="open the page in the default browser, e.g. --open")
    add_common(p)
    p.set_defaults(run=run)
