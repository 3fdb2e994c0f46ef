"""Press coverage of the seed statement: which English news sentences report
which sentences of the Japan–Laos joint statement (Japanese provisional
translation), and which are about something else.

    .venv/bin/python examples/compare_seed.py [--data DIR] [--full] [--html report.html]

Data: ../shared/data/seeds (Government of Japan joint statement, 21 January
2025; news snippets quoted for analysis).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.datasets import data_dir  # noqa: E402
from jp_en_align import compare  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None, help="data folder (default ../shared/data)")
    ap.add_argument("--html", default=None, help="also write the report as an HTML page here")
    ap.add_argument("--full", action="store_true", help="print sentences untruncated")
    args = ap.parse_args()

    seeds = data_dir(args.data) / "seeds"
    official = (seeds / "statement_ja.txt").read_text(encoding="utf-8")
    press = (seeds / "press_en.txt").read_text(encoding="utf-8")
    report = compare(official, press)
    print(report.to_text(None if args.full else 100))
    if args.html:
        report.to_html(args.html)


if __name__ == "__main__":
    main()
