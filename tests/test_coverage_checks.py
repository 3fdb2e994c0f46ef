"""What a fact-checker reads in the press-coverage report of the seed data:
every fact a press sentence combines, conflicts, evidence that holds up, one
score in every output, and the command's output formats."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from jp_en_align import compare
from jp_en_align.coverage.compare import Thresholds
from jp_en_align.coverage.facts import conflicts, facts_en, facts_ja
from jp_en_align.coverage.report import CoverageReport
from jp_en_align.text.segment import segment_ja

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO / "benchmarks" / "data" / "press_paraphrases.jsonl"


@pytest.fixture(scope="module")
def report(seed_statement, seed_press, encoder) -> CoverageReport:
    return compare(seed_statement, seed_press, model=encoder)


def _row(report: CoverageReport, fragment: str):
    [row] = [r for r in report.rows if fragment in r.press.text]
    return row


def _reports(row, fragment: str, paragraph: int | None = None) -> bool:
    return any(fragment in m.official.normalized and (paragraph is None or
                                                       m.official.paragraph == paragraph)
               for m in row.matches)


def test_a_sentence_combining_two_facts_reports_both(report):
    dialogues = _row(report, "vice-ministerial-level dialogues in both foreign affairs")
    assert _reports(dialogues, "外務次官級協議", paragraph=1)
    assert _reports(dialogues, "防衛次官級協議", paragraph=2)
    visit = _row(report, "official working visit to Japan from January 20-23")
    assert _reports(visit, "実務訪問賓客として日本を訪問した")
    assert _reports(visit, "派遣60周年", paragraph=15)
    covered = {m.official.index for r in report.rows if r.is_supported for m in r.matches}
    assert not {m.official.index for m in dialogues.matches + visit.matches} - covered
    assert not any("外務次官級協議" in s.normalized for s in report.uncovered)


@pytest.mark.parametrize("fragment", ["agreed Tuesday to upgrade",
                                      "in view of the progress of cooperation"])
def test_the_2025_upgrade_comes_before_the_2015_one(report, fragment):
    best = _row(report, fragment).best
    assert "包括的・戦略的パートナーシップ" in best.official.normalized
    assert "2015年" not in best.official.normalized


def test_a_restated_date_is_a_conflict_and_the_row_at_most_partial(report):
    visit = _row(report, "official working visit to Japan from January 20-23")
    assert [str(c) for c in visit.conflicts] == ["January 20-23 ≠ 1月21日から23日"]
    assert visit.label == "partial"
    assert "CONFLICT: January 20-23" in report.to_text(None)
    # the 70th and the 60th anniversaries each have their own match: no conflict
    assert not any(c.press.kind == "anniversary" for c in visit.conflicts)


@pytest.mark.parametrize("fragment", ["Lao teachers", "Provincial Teacher", "lagged behind Vietnam",
                                      "premium story", "kickboxing", "roundtable discussion"])
def test_the_six_off_topic_press_sentences_are_not_supported(report, fragment):
    # the roundtable of January 22 shares the prime minister, "leaders" and
    # "discussion" with the summit of January 21: the contradicted date, not
    # the score alone, is what keeps it from counting as a report
    row = _row(report, fragment)
    assert not row.is_supported and not row.matches


def test_a_row_that_a_conflict_made_unsupported_shows_the_conflict(report):
    row = _row(report, "roundtable discussion")
    assert [str(c) for c in row.nearest.conflicts] == ["January 22 ≠ 1月21日"]
    assert row.score <= row.nearest.score - Thresholds().conflict_penalty + 1e-9
    assert "CONFLICT with the nearest: January 22 ≠ 1月21日" in report.to_text(None)
    assert "conflict with the nearest: January 22" in report._repr_html_()


@pytest.mark.parametrize("fragment", ["premium story", "kickboxing"])
def test_boilerplate_and_other_stories_are_unrelated(report, fragment):
    assert _row(report, fragment).label == "unrelated"


def test_evidence_never_contradicts_itself(report):
    weekdays = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    for r in report.rows:
        shared = {w.lower() for m in r.matches for item in m.evidence.items()
                  for w in re.split(r"[=\s]", item)}
        assert not {n.lower() for n in r.foreign_names} & shared, r.press.text
        for m in r.matches:
            for item in m.evidence.words:
                ja, _, en = item.partition("=")
                assert en.lower() not in weekdays and ja != "日", item
    summit = _row(report, "Prime Minister of the Lao People's Democratic Republic")
    assert "People" not in summit.foreign_names and "Republic" not in summit.foreign_names


def test_facts_conflict_only_when_both_sides_state_the_same_kind():
    ja = facts_ja("ビザ免除の滞在期間を15日から30日に延長し、2025年1月21日から23日に訪問した。")
    [longer] = conflicts(ja, facts_en("extended from 15 to 45 days"))
    assert longer.press.value == 45 and str(longer) == "15 to 45 days ≠ 15日, 30日"
    assert conflicts(ja, facts_en("on January 22, during the visit")) == []  # inside 21-23
    assert conflicts(ja, facts_en("stays of 15 to 30 days")) == []
    assert conflicts(ja, facts_en("the 70th anniversary")) == []  # no anniversary in ja
    assert [c.press.value for c in conflicts(facts_ja("70周年"),
                                             facts_en("the 65th anniversary"))] == [65]
    assert [c.press.value for c in conflicts(ja, facts_en("in 2024"))] == [2024]


def test_one_score_per_row_in_every_output(report, tmp_path):
    text = report.to_text(None)
    df = report.to_dataframe()
    report.to_jsonl(tmp_path / "r.jsonl")
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    report.to_csv(tmp_path / "r.csv")
    csv = pd.read_csv(tmp_path / "r.csv")
    page = report.to_html(tmp_path / "r.html")
    assert "standard deviations above an unrelated pair" in text and "unrelated <" in text
    assert "standard deviations above an unrelated pair" in page
    for r, rec in zip(report.rows, records):
        assert f"[{r.press.index}] (line {r.line}) {r.label.upper()} score {r.score:.1f}" in text
        assert rec["score"] == r.score and rec["line"] == r.line and rec["label"] == r.label
        assert set(df.loc[df["press_index"] == r.press.index, "score"]) == {r.score}
        assert set(csv.loc[csv["press_index"] == r.press.index, "score"]) == {r.score}
        assert f"<td style='text-align:left;vertical-align:top;padding:3px 8px;border-bottom:" \
               f"1px solid #ddd'>{r.score:.1f}</td>" in page
        assert [m["official_index"] for m in rec["matches"]] == [
            m.official.index for m in r.matches]
    assert [r.line for r in report.rows][:5] == [1, 2, 3, 4, 4]  # two sentences of line 4


def test_html_is_a_standalone_left_aligned_page(report, tmp_path):
    page = report.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == page
    assert page.startswith("<!DOCTYPE html>") and "<meta charset='utf-8'>" in page
    cells = re.findall(r"<t[dh]\b[^>]*>", page)
    assert cells and all("text-align:left" in c for c in cells)  # beats notebook CSS
    assert "not in the official text: Takeru, Segawa" in page
    assert "nearest" in page and "conflict: January 20-23" in page


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "jp_en_align.cli", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def test_cli_writes_the_format_its_extension_names(tmp_path, seed_statement, seed_press):
    (tmp_path / "ja.txt").write_text(seed_statement, encoding="utf-8")
    (tmp_path / "en.txt").write_text(seed_press, encoding="utf-8")
    for name in ("r.html", "r.csv", "r.jsonl", "r.txt"):
        proc = _cli("compare", "ja.txt", "en.txt", "-o", name, "-q", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert list(pd.read_csv(tmp_path / "r.csv"))[:5] == ["press_index", "line", "press",
                                                         "label", "score"]
    first = json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["press_index"] == 0 and "matches" in first
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("Press coverage")
    bad = _cli("compare", "ja.txt", "en.txt", "-o", "r.pdf", cwd=tmp_path)
    assert bad.returncode == 1 and b"--format" in bad.stderr and not (tmp_path / "r.pdf").exists()
    full = _cli("compare", "ja.txt", "en.txt", "--full", "-q", cwd=tmp_path).stdout.decode()
    longest = max(seed_press.splitlines(), key=len)
    assert longest.split(". ")[0] in full and "…" not in full
    forced = _cli("compare", "ja.txt", "en.txt", "--format", "jsonl", "-q", cwd=tmp_path)
    assert json.loads(forced.stdout.decode().splitlines()[0])["press_index"] == 0


def test_the_dev_set_is_well_formed(seed_statement):
    body = {s.index for s in segment_ja(seed_statement) if s.is_body}
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    paraphrases = [it for it in items if it["gold"]]
    distractors = [it for it in items if not it["gold"]]
    assert len(paraphrases) >= 40 and len(distractors) >= 10
    assert all(set(it["gold"]) <= body for it in paraphrases)
    assert {it["kind"] for it in items} == {"paraphrase", "partial", "distractor"}


def test_another_person_in_the_same_role_is_a_conflict(encoder):
    official = ["石破茂総理大臣は、ソーンサイ首相と首脳会談を行い、両国関係の強化で一致した。",
                "両首脳は、ウクライナ情勢について平和の重要性を強調した。"]
    report = compare(official, [
        "Prime Minister Fumio Kishida held a summit with Prime Minister Sonexay and agreed "
        "to strengthen ties.",
        "Prime Minister Shigeru Ishiba held a summit with Prime Minister Sonexay and agreed "
        "to strengthen ties."], model=encoder)
    wrong, right = report.rows
    assert [str(c) for c in wrong.conflicts] == ["Prime Minister Fumio Kishida ≠ 石破茂"]
    assert wrong.label == "partial" and right.conflicts == () and right.label != "partial"


def test_the_notebook_view_stays_left_aligned_under_jupyter_css(report, tmp_path):
    """Rendered by a real headless Chromium under JupyterLab's rule that
    right-aligns table cells (Notebook 7 shares it)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "make test installs chromium (apt) for this test"
    page = tmp_path / "notebook.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        ".jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th,.jp-RenderedHTMLCommon p"
        "{text-align:right}</style></head><body><div class='jp-RenderedHTMLCommon'>"
        + report._repr_html_() + "</div><script>document.body.setAttribute('data-aligns',"
        "JSON.stringify([...document.querySelectorAll('td,th,p')].map("
        "e => getComputedStyle(e).textAlign)))</script></body></html>", encoding="utf-8")
    out = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                          "--dump-dom", page.as_uri()], capture_output=True, timeout=120)
    found = re.search(r'data-aligns="([^"]*)"', out.stdout.decode("utf-8"))
    assert found, out.stderr.decode()[-500:]
    aligns = json.loads(html.unescape(found.group(1)))
    assert len(aligns) > len(report.rows) and set(aligns) == {"left"}


def test_a_name_the_best_match_writes_unreadably_is_not_an_added_name():
    # sudachi's proper nouns of the matched sentence that no press word was
    # matched to: a press name may be one of them (碧山 is read ヘキザン, the
    # press writes the ring name Aoiyama), so the label does not call it added
    from jp_en_align.aligner.evidence import Evidence, shared_evidence
    from jp_en_align.coverage.scoring import _unread_names

    assert _unread_names("関脇正代は碧山を突き落として１敗をキープした。", Evidence()) == 2
    official = "石破茂総理大臣は碧山と会談した。"
    evidence = shared_evidence(official, "Prime Minister Shigeru Ishiba met Aoiyama.")
    assert dict(evidence.names) == {"石破茂": "Shigeru Ishiba"}
    assert _unread_names(official, evidence) == 1
