"""The parser and the entry point: one module per subcommand, each with
``add_parser(sub)`` and ``run(args)``; errors become one line on stderr."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .._version import __version__
from . import align, align_many, compare, evaluate, pair, review
from .common import PROG, InputError

#: the subcommands, in the order ``--help`` lists them
COMMANDS = (align, align_many, pair, evaluate, compare, review)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation tools and tests)."""
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Align Japanese and English text sentence by sentence.",
        epilog="Run 'jp-en-align COMMAND --help' for the options and examples of each command.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Example:
        >>> main(["evaluate", "pred.beads", "gold.beads"])   # doctest: +SKIP
    """
    from ..corpus.formats import FormatError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except (InputError, FormatError) as e:
        message = str(e)
    except (ValueError, OSError) as e:  # bad input found deeper in the library
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
    except KeyboardInterrupt:
        return 130
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


