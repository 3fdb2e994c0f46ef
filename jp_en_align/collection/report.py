"""What a collection run tells a person: a progress bar over documents (with
sentences per second) on stderr while it runs, a one-screen summary after."""

from __future__ import annotations

import math
import sys
import time
from typing import Any

from .. import progress
from .store import ReportRow


class Progress:
    """A bar over documents (the kind :mod:`jp_en_align.progress` picks: a widget
    in a notebook); by default only when someone watches (a terminal, a notebook)."""

    def __init__(self, total: int, done_before: int, show: bool | None) -> None:
        enabled = show if show is not None else progress.watched()
        self.bar = progress.tqdm_class()(total=total, initial=done_before, unit="doc",
                                         desc="documents", disable=not enabled,
                                         file=sys.stderr, dynamic_ncols=True)
        self.sentences = 0
        self.failed = 0
        self.start = time.perf_counter()

    def update(self, rows: list[ReportRow]) -> None:
        self.sentences += sum(row.sentences for row in rows)
        self.failed += sum(row.status == "failed" for row in rows)
        rate = self.sentences / max(time.perf_counter() - self.start, 1e-9)
        self.bar.set_postfix_str(f"{rate:,.0f} sentences/s" +
                                 (f", {self.failed} failed" if self.failed else ""), refresh=False)
        self.bar.update(len(rows))

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.close()


def summary_text(result: Any, max_failures: int = 20) -> str:
    """The summary :meth:`CollectionResult.summary` prints."""
    report = result.report
    by_status = {s: [r for r in report if r.status == s]
                 for s in ("aligned", "done before", "failed")}
    done = by_status["aligned"] + by_status["done before"]
    aligned_now = by_status["aligned"]
    sentences_now = sum(r.sentences for r in aligned_now)
    confidences = [r.mean_confidence for r in done if not math.isnan(r.mean_confidence)]
    lines = [
        f"documents   {len(report):>9,}  ({len(aligned_now):,} aligned now, "
        f"{len(by_status['done before']):,} done before, {len(by_status['failed']):,} failed)",
        f"sentences   {sum(r.ja_sentences for r in done):>9,} ja / "
        f"{sum(r.en_sentences for r in done):,} en",
        f"pairs       {sum(r.pairs for r in done):>9,}  ({sum(r.unaligned for r in done):,} "
        "sentences without a counterpart)",
    ]
    if confidences:
        lines.append(f"confidence  {sum(confidences) / len(confidences):>9.3f}  (mean of documents)")
    rate = sentences_now / result.seconds if result.seconds > 0 else 0.0
    lines.append(f"time        {result.seconds:>9.1f} s  ({len(aligned_now) / max(result.seconds, 1e-9):.2f} "
                 f"documents/s, {rate:,.0f} sentences/s)")
    lines.append(f"output      {result.out_dir}")
    failed = by_status["failed"]
    if failed:
        lines.append(f"failed documents ({len(failed)}):")
        lines += [f"  {r.document}: {r.error}" for r in failed[:max_failures]]
        if len(failed) > max_failures:
            lines.append(f"  ... and {len(failed) - max_failures} more (see result.failures)")
    return "\n".join(lines)
