"""``jp-en-align evaluate``: strict/lax P/R/F1 of predicted beads against gold
(:func:`jp_en_align.evaluate`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import InputError, add_common, read_text

def _read_beads(path: str, what: str) -> list:
    """Beads from a ``[i]:[j]`` file, or from a corpus saved as .jsonl or .tmx."""
    from ..corpus.formats.beads import parse_beads

    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".tmx"):
        from ..corpus import AlignedCorpus

        if not Path(path).is_file():
            raise InputError(f"{what} file {path!r} does not exist")
        corpus = (AlignedCorpus.from_jsonl(path) if suffix == ".jsonl"
                  else AlignedCorpus.from_tmx(path))
        return corpus.beads
    text = read_text(path, "utf-8", what)
    try:
        return parse_beads(text)
    except ValueError as e:
        raise InputError(f"{what} file {path!r}, {e}") from None


def run(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate

    scores = evaluate(_read_beads(args.pred, "PRED"), _read_beads(args.gold, "GOLD"))
    print(f"{'':8}{'P':>7}{'R':>7}{'F1':>7}")
    for name in ("strict", "lax"):
        p, r, f = (getattr(scores, f"{m}_{name}") for m in ("precision", "recall", "f1"))
        print(f"{name:8}{p:7.3f}{r:7.3f}{f:7.3f}")
    return 0


EVALUATE_EXAMPLES = """\
examples:
  jp-en-align evaluate pred.beads gold.beads     # files of [i, j]:[k] lines
  jp-en-align evaluate corpus.jsonl gold.beads   # a saved corpus as the prediction
"""

def add_parser(sub: Any) -> None:
    """The ``evaluate`` subcommand and its options."""
    raw = argparse.RawDescriptionHelpFormatter
    ev = sub.add_parser("evaluate", formatter_class=raw, epilog=EVALUATE_EXAMPLES,
                        help="score predicted beads against gold beads (strict/lax P/R/F1)",
                        description="Print strict and lax precision, recall and F1 of PRED "
                                    "against GOLD (Vecalign's definitions).")
    ev.add_argument("pred", metavar="PRED",
                    help="predicted beads: [i, j]:[k] lines, or a corpus saved as .jsonl/.tmx")
    ev.add_argument("gold", metavar="GOLD", help="gold beads: [i, j]:[k] lines (or .jsonl/.tmx)")
    add_common(ev)
    ev.set_defaults(run=run)
