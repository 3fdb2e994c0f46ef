"""The review page in a real browser: Debian's headless Chromium driven by
Playwright (``executable_path``: Playwright downloads no browser).

A person's session, keys only: three known errors in a real dialogue (its
gold beads with a merge, a split and a shifted sentence put in) are found and
fixed from the keyboard; a reload and the saved JSONL show the fixes; hostile
sentences stay text; a stale tab gets the conflict message; a 10,000-pair
corpus opens with only a window of rows in the DOM.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jp_en_align.corpus import AlignedCorpus
from jp_en_align.review import serve

from review_helpers import big_corpus, gold_corpus, problems, with_three_errors

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="headless Chromium is needed (make test installs it)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()
    assert not errors, errors


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


def _state(page) -> dict:
    return page.evaluate("({cursor: window.__review.state.cursor, version: window.__review.state.version,"
                         " order: window.__review.state.order})")


def _toggle_to_document_order(page) -> None:
    page.keyboard.press("o")
    page.wait_for_function("() => window.__review.state.order === 'document'")


def _settled(page, version: int) -> None:
    page.wait_for_function(f"() => window.__review.state.version >= {version}")


def _cursor_to(page, ja_text: str) -> None:
    """Move the cursor with j / k to the row whose first Japanese sentence is
    ``ja_text`` (as a person scanning the page would)."""
    for _ in range(200):
        rows = page.eval_on_selector_all(
            ".row", "rs => rs.map(r => [Number(r.dataset.position), "
                    "r.querySelector('.ja .sent') ? r.querySelector('.ja .sent').textContent : ''])")
        target = next((pos for pos, text in rows if text == ja_text), None)
        assert target is not None, f"{ja_text!r} is not on the page"
        cursor = _state(page)["cursor"]
        if cursor == target:
            return
        key = "j" if target > cursor else "k"
        for _ in range(abs(target - cursor)):
            page.keyboard.press(key)
        page.wait_for_function(f"() => window.__review.state.cursor === {target}")
    raise AssertionError("the cursor did not get there")


def _act(page, key: str) -> None:
    version = _state(page)["version"]
    page.keyboard.press(key)
    _settled(page, version + 1)


def test_three_errors_fixed_with_the_keyboard_only(tmp_path: Path, page) -> None:
    corpus, where = with_three_errors(problems()[0])
    path = tmp_path / "dialogue.jsonl"
    corpus.to_jsonl(path)
    server = serve(path, block=False, quiet=True)
    try:
        _open(page, server.url)
        assert page.locator("#keys kbd").count() >= 15  # the shortcuts are on the page
        _toggle_to_document_order(page)  # every pair, as in the text
        _cursor_to(page, where["merged"])
        _act(page, "s")           # the 2-2 pair becomes its two 1-1 pairs
        _cursor_to(page, where["split"])
        _act(page, "m")           # 1-1 + 1-0 become the 2-1 pair
        _cursor_to(page, where["shifted"])
        _act(page, "}")           # its last English sentence goes down to the next pair
        # a mistake, undone and redone and undone again, from the keyboard
        _act(page, "m")
        _act(page, "u")
        _act(page, "U")
        _act(page, "Control+z")
        _cursor_to(page, problems()[0]["ja"][0])
        _act(page, "y")           # the first pair is right: confirmed
        assert _state(page)["version"] == 8
        counts = page.locator("#counts").inner_text()
        assert "corrected 5" in counts and "confirmed 1" in counts, counts

        page.reload()  # what the server saved, as a new page load shows it
        page.wait_for_selector("body[data-ready='1']")
        _toggle_to_document_order(page)
        kinds = page.eval_on_selector_all(".row .meta span:first-of-type", "s => s.map(x => x.textContent)")
        assert "2-2" not in kinds
        assert "corrected 5" in page.locator("#counts").inner_text()
    finally:
        server.stop()
    saved = AlignedCorpus.from_jsonl(path)
    assert [(a, b) for a, b, _ in saved.beads] == [(tuple(a), tuple(b)) for a, b in where["gold"]]
    assert sorted(p.status for p in saved).count("corrected") == 5
    assert saved[0].status == "confirmed"


def test_xss_strings_stay_text(tmp_path: Path, page) -> None:
    hostile = ["<script>window.__pwned = 1</script>", "<img src=x onerror=\"window.__pwned=2\">",
               "{{TOKEN}} </div><b>bold</b>", "普通の文です。"]
    corpus = AlignedCorpus.from_texts(hostile, list(reversed(hostile)),
                                      [((i,), (i,), 0.5) for i in range(4)],
                                      confidence=[0.1, 0.2, 0.3, 0.4])
    path = tmp_path / "hostile.jsonl"
    corpus.to_jsonl(path)
    with serve(path, block=False, quiet=True) as server:
        _open(page, server.url)
        texts = page.eval_on_selector_all(".row .ja .sent", "s => s.map(x => x.textContent)")
        assert texts == hostile
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#list img, #list script, .ja b, .en b, .ctx b").count() == 0
        assert server.token not in page.locator("#list").inner_text()


def test_a_stale_tab_gets_a_conflict(tmp_path: Path, browser) -> None:
    corpus = gold_corpus(problems()[1])
    path = tmp_path / "two-tabs.jsonl"
    corpus.to_jsonl(path)
    with serve(path, block=False, quiet=True) as server:
        context = browser.new_context()
        first, second = context.new_page(), context.new_page()
        for pg in (first, second):
            _open(pg, server.url)
        _act(first, "y")
        second.bring_to_front()
        second.keyboard.press("y")
        second.wait_for_function("() => document.getElementById('message').textContent.includes('version 0')")
        assert "another tab" in second.locator("#message").inner_text()
        _settled(second, 1)  # the stale tab reloaded the current version ...
        _act(second, "y")    # ... and its next edit goes through
        assert server.session.version == 2
        context.close()


def test_ten_thousand_pairs_open_with_a_window_of_rows(tmp_path: Path, page) -> None:
    corpus = big_corpus(10_000)
    path = tmp_path / "big.jsonl"
    corpus.to_jsonl(path)
    with serve(path, block=False, quiet=True) as server:
        _open(page, server.url)
        load_ms = page.evaluate("window.__review.timing.load")
        rows = page.locator(".row").count()
        assert 0 < rows <= 100, rows
        assert page.evaluate("window.__review.state.total") >= 10_000 - 100  # unreviewed pairs
        for _ in range(5):
            _act(page, "y")
        page.keyboard.press("G")  # the far end: a new window, still a window
        page.wait_for_function("() => window.__review.state.cursor === window.__review.state.total - 1")
        assert page.locator(".row").count() <= 100
        action_ms = page.evaluate("window.__review.timing.actions")
    print(f"10,000 pairs: page ready in {load_ms:.0f} ms; actions {[round(x) for x in action_ms]} ms")
    assert load_ms < 3000  # the target is 1 s; a loaded CI machine gets slack
    assert sorted(action_ms)[len(action_ms) // 2] < 500


def test_split_at_a_chosen_place_from_the_keyboard(tmp_path: Path, page) -> None:
    corpus = AlignedCorpus.from_texts(["一。", "二。", "三。"], ["One.", "Two.", "Three."],
                                      [((0, 1, 2), (0, 1, 2), 0.5)], confidence=[0.3])
    path = tmp_path / "three.jsonl"
    corpus.to_jsonl(path)
    with serve(path, block=False, quiet=True) as server:
        _open(page, server.url)
        _toggle_to_document_order(page)  # the parts stay on the page (doubt order drops them)
        page.keyboard.press("Shift+S")
        page.wait_for_selector("#split.open")
        page.keyboard.press("Control+a")
        page.keyboard.type("1")        # one Japanese sentence in the first part
        page.keyboard.press("Tab")
        page.keyboard.press("Control+a")
        page.keyboard.type("1")        # and one English sentence
        page.keyboard.press("Enter")
        _settled(page, 1)
        assert [(p.ja_ids, p.en_ids) for p in server.corpus] == [((0,), (0,)), ((1, 2), (1, 2))]
        page.keyboard.press("S")
        page.wait_for_selector("#split.open")
        page.keyboard.press("Escape")  # cancelled: nothing changes
        page.wait_for_selector("#split:not(.open)", state="attached")
        _act(page, "u")
        assert len(server.corpus) == 1
