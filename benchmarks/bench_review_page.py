"""The review page at 10,000 pairs: how fast it opens and how fast each action is.

    .venv/bin/python benchmarks/bench_review_page.py [--pairs 10000] [--repeat 15] [--data DIR]

A corpus of real sentences (the dev sets' gold beads, as many documents,
repeated under new ids until there are enough pairs) is served by
:func:`jp_en_align.review.serve`, opened in Debian's headless Chromium
(Playwright with ``executable_path``) and edited from the keyboard. Each
action is timed by the page itself, from the key press to the new rows on
screen (request, edit, learning refit, journal fsync, response, render).
Targets (issue 20): the page shows the corpus in < 1 s, each action < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jp_en_align.corpus import AlignedCorpus  # noqa: E402
from jp_en_align.review import serve  # noqa: E402


def build(pairs: int, data: Path) -> AlignedCorpus:
    problems = []
    for name in ("bsd.dev", "wmt21.en-ja", "wmt21.ja-en"):
        with open(data / "aligned" / f"{name}.jsonl", encoding="utf-8") as f:
            problems += [json.loads(line) for line in f]
    parts, total, round_ = [], 0, 0
    while total < pairs:
        for p in problems:
            beads = [(tuple(a), tuple(b), 0.8) for a, b in p["gold"]]
            conf = [0.5 + 0.49 * ((hash((p["id"], a, b)) % 997) / 997) for a, b, _ in beads]
            parts.append((f"{p['id']}#{round_}",
                          AlignedCorpus.from_texts(p["ja"], p["en"], beads, confidence=conf)))
            total += len(beads)
            if total >= pairs:
                break
        round_ += 1
    return AlignedCorpus.concat(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15, help="times each action is timed")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("headless Chromium is needed: apt-get install chromium", file=sys.stderr)
        return 1
    corpus = build(args.pairs, Path(args.data))
    path = Path(tempfile.mkdtemp(prefix="bench-review-")) / "big.jsonl"
    corpus.to_jsonl(path)
    t = time.perf_counter()
    server = serve(path, block=False, quiet=True)
    start_s = time.perf_counter() - t
    rows: list[tuple[str, list[float]]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            loads = []
            for _ in range(3):
                page.goto(server.url)
                page.wait_for_selector("body[data-ready='1']")
                loads.append(page.evaluate("window.__review.timing.load"))
            rows.append(("page ready (load, fetch, render)", loads))
            dom_rows = page.locator(".row").count()

            def timed(keys: list[str], label: str) -> None:
                times = []
                for _ in range(args.repeat):
                    for key in keys:
                        version = page.evaluate("window.__review.state.version")
                        page.keyboard.press(key)
                        page.wait_for_function(f"() => window.__review.state.version > {version}")
                        times.append(page.evaluate("window.__review.timing.lastAction"))
                rows.append((label, times))

            timed(["y"], "y  mark correct (doubt order)")
            timed(["n"], "n  mark wrong (reject)")
            page.keyboard.press("o")  # document order: the pair edited stays under the cursor
            page.wait_for_function("() => window.__review.state.order === 'document'")
            timed(["m", "s"], "m, s  merge with the next, split again (document)")
            timed(["]", "u"], "], u  move a ja sentence down, undo (document)")
            timed(["u"], "u  undo")
            timed(["U"], "U  redo")
            nav = []
            for key in ["o", "G", "g", "o"] * 3:
                t0 = time.perf_counter()
                page.keyboard.press(key)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                page.wait_for_function("() => document.querySelector('.row.cursor') !== null")
                nav.append((time.perf_counter() - t0) * 1000)
            rows.append(("o / G / g  order toggle, jump to end/start", nav))
            browser.close()
    finally:
        server.stop()
    print(f"review page, {len(corpus):,} pairs ({len(corpus.ja_sentences):,} ja / "
          f"{len(corpus.en_sentences):,} en sentences, {len(corpus.documents)} documents); "
          f"server start {start_s:.2f} s; rows in the DOM: {dom_rows}")
    print(f"{'what':46}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
    for label, times in rows:
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        print(f"{label:46}{len(times):>4}{statistics.median(times):>11.0f}{p95:>9.0f}"
              f"{max(times):>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
