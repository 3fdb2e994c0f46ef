"""The aligner: structural properties on random documents (with an encoder of
our own making that gives each text a fixed random vector), bad input, and
accuracy on real documents with the real default encoder."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.datasets import concatenate, load_aligned, short_pieces
from jp_en_align.aligner.aligner import Aligner, align
from jp_en_align.evaluation import check_beads, evaluate
from jp_en_align.aligner.band import bead_types


class HashEncoder:
    """A real (if meaningless) sentence encoder: each distinct text gets a fixed
    pseudo-random vector seeded by its hash. Texts of the form ``"wN ..."``
    share the word-vector N, so that a document and its "translation" that
    reuse words get similar vectors."""

    def __init__(self, dim: int = 32, poison: str | None = None, poison_value: float = np.nan):
        self.dim = dim
        self.poison = poison
        self.poison_value = poison_value

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        return np.random.default_rng(seed).standard_normal(self.dim)

    def encode(self, sentences, batch_size=32, show_progress_bar=False, normalize_embeddings=False):
        out = np.zeros((len(sentences), self.dim), np.float32)
        for k, s in enumerate(sentences):
            words = s.split()
            out[k] = sum(self._vector(w) for w in words) if words else self._vector(s)
            if self.poison is not None and self.poison in s:
                out[k] = self.poison_value
        return out


@pytest.fixture(scope="module")
def hash_aligner():
    return Aligner(HashEncoder(), src_lang="en", tgt_lang="en")


def _kinds(corpus):
    return {p.kind for p in corpus}


def _check(corpus, n, m, max_bead=6):
    check_beads(corpus.beads, n, m)
    allowed = {(int(a), int(b)) for a, b in bead_types(max_bead)}
    for src, tgt, score in corpus.beads:
        assert (len(src), len(tgt)) in allowed
        assert np.isfinite(score) and -1.0001 <= score <= 1.0001
        if not src or not tgt:
            assert score == 0.0


words = st.sampled_from([f"w{k}" for k in range(40)])
sentence = st.lists(words, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(src=st.lists(sentence, max_size=300), tgt=st.lists(sentence, max_size=300))
def test_random_documents_give_a_valid_monotonic_alignment(hash_aligner, src, tgt):
    corpus = hash_aligner.align(src, tgt)
    _check(corpus, len(src), len(tgt))
    assert len(corpus.ja_sentences) == len(src) and len(corpus.en_sentences) == len(tgt)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.lists(sentence, min_size=1, max_size=120), seed=st.integers(0, 2**16))
def test_a_document_against_a_noisy_copy_of_itself(hash_aligner, doc, seed):
    # delete some sentences and merge some neighbours: still valid, mostly 1-1
    rng = np.random.default_rng(seed)
    copy, k = [], 0
    while k < len(doc):
        r = rng.random()
        if r < 0.05:
            k += 1
        elif r < 0.15 and k + 1 < len(doc):
            copy.append(doc[k] + " " + doc[k + 1])
            k += 2
        else:
            copy.append(doc[k])
            k += 1
    corpus = hash_aligner.align(doc, copy)
    _check(corpus, len(doc), len(copy))


def test_one_side_empty_gives_deletions_only(hash_aligner):
    corpus = hash_aligner.align(["w1 w2", "w3"], [])
    assert [(p.ja_ids, p.en_ids, p.kind) for p in corpus] == [((0,), (), "1-0"), ((1,), (), "1-0")]
    corpus = hash_aligner.align([], ["w1", "w2 w3", "w4"])
    assert _kinds(corpus) == {"0-1"} and len(corpus) == 3


def test_both_sides_empty_give_an_empty_corpus(hash_aligner):
    corpus = hash_aligner.align([], [])
    assert len(corpus) == 0 and corpus.beads == []
    assert corpus.meta["version"] and corpus.meta["encoder"]


def test_wildly_different_lengths(hash_aligner):
    rng = np.random.default_rng(1)
    long_side = [f"w{rng.integers(40)} w{rng.integers(40)} w{rng.integers(40)}" for _ in range(5000)]
    corpus = hash_aligner.align(["w1 w2 w3"], long_side)
    _check(corpus, 1, 5000)
    corpus = hash_aligner.align(long_side, ["w1 w2 w3", "w4"])
    _check(corpus, 5000, 2)


def test_repeated_identical_sentences(hash_aligner):
    # nothing tells the sentences apart: any monotonic alignment is right, but
    # it must be a valid one, found without trouble
    corpus = hash_aligner.align(["w1 w2"] * 400, ["w1 w2"] * 350)
    _check(corpus, 400, 350)
    corpus = hash_aligner.align(["w1 w2", "w3"] * 300, ["w1 w2", "w3"] * 300)
    _check(corpus, 600, 600)


def test_long_documents_use_a_band_and_stay_correct(hash_aligner):
    # 3,000 distinct sentences against a copy with a few deletions: the band search
    # (recursive halving) must find the diagonal
    rng = np.random.default_rng(2)
    doc = [" ".join(f"w{x}" for x in rng.integers(0, 40, 4)) + f" u{k}" for k in range(3000)]
    keep = [k for k in range(3000) if k % 97 != 5]
    corpus = hash_aligner.align(doc, [doc[k] for k in keep])
    _check(corpus, 3000, len(keep))
    gold = [((k,), (keep.index(k),)) if k in keep else ((k,), ()) for k in range(3000)]
    assert evaluate(corpus, gold).f1_strict > 0.99
    assert corpus.meta["calibration"]["band_cells"] < 3001 * len(keep) / 20


def test_deterministic(hash_aligner):
    rng = np.random.default_rng(3)
    src = [f"w{a} w{b}" for a, b in rng.integers(0, 40, (200, 2))]
    tgt = src[::2] + src[1::2]
    assert hash_aligner.align(src, tgt).beads == hash_aligner.align(src, tgt).beads


@pytest.mark.parametrize("value", [np.nan, 0.0])
def test_nan_or_zero_vectors_are_a_clear_error(value):
    aligner = Aligner(HashEncoder(poison="w7", poison_value=value), src_lang="en", tgt_lang="en")
    with pytest.raises(ValueError, match="NaN|zero vector"):
        aligner.align(["w1 w2", "w3 w7"], ["w1", "w2"])


def test_empty_sentences_are_kept(hash_aligner):
    corpus = hash_aligner.align(["w1", "", "w2"], ["w1", "w2", " "])
    _check(corpus, 3, 3)


def test_bad_arguments():
    with pytest.raises(TypeError, match="list of sentences"):
        align(None, ["a"], model=HashEncoder())
    with pytest.raises(TypeError):
        align(["a", 3], ["a"], model=HashEncoder())
    with pytest.raises(ValueError, match="max_bead"):
        Aligner(HashEncoder(), max_bead=1)


def test_spaced_languages_join_runs_with_a_space(hash_aligner):
    assert hash_aligner._joiner("en") == " " and hash_aligner._joiner("ja") == ""
    corpus = Aligner(HashEncoder(), src_lang="de", tgt_lang="fr").align(["w1 w2"], ["w1 w2"])
    assert corpus.meta["src_lang"] == "de" and corpus.meta["tgt_lang"] == "fr"


# ------------------------------------------------------- real encoder, real data


@pytest.fixture(scope="module")
def real_aligner(encoder):
    return Aligner(encoder)


@pytest.mark.parametrize("name,first,count,floor", [
    ("wmt21.ja-en", 0, 12, 0.95),
    ("wmt21.en-ja", 10, 12, 0.95),
    ("bsd.dev", 0, 12, 0.90),
])
def test_accuracy_on_real_documents(real_aligner, name, first, count, floor):
    problems = load_aligned(name)[first:first + count]
    total = 0
    for p in problems:
        corpus = real_aligner.align(p["ja"], p["en"])
        _check(corpus, len(p["ja"]), len(p["en"]))
        total = total + evaluate(corpus, p["gold"])
    assert total.f1_strict >= floor, str(total)


def test_real_documents_concatenated_into_one(real_aligner):
    problems = load_aligned("wmt21.ja-en")[:12]
    ja, en, gold = concatenate([(p["ja"], p["en"], p["gold"]) for p in problems])
    corpus = real_aligner.align(ja, en)
    assert evaluate(corpus, gold).f1_strict >= 0.95


def test_short_documents(real_aligner):
    corpus = real_aligner.align(["東京は日本の首都です。"], ["Tokyo is the capital of Japan."])
    assert [(p.ja_ids, p.en_ids) for p in corpus] == [((0,), (0,))]
    assert corpus[0].score > 0.5
    corpus = real_aligner.align(["猫が好きです。", "今日は雨が降っています。", "明日は晴れるでしょう。"],
                                ["It is raining today.", "It will be sunny tomorrow."])
    assert [(p.ja_ids, p.en_ids) for p in corpus] == [((0,), ()), ((1,), (0,)), ((2,), (1,))]


def test_real_documents_cut_into_short_pieces(real_aligner):
    # too short to measure their own length ratio: the ja-en prior stands in,
    # so an unrelated sentence is left alone rather than merged into a bead
    problems = [(p["ja"], p["en"], p["gold"]) for p in load_aligned("wmt21.en-ja")[:10]]
    pieces = short_pieces(problems)
    assert max(max(len(s), len(t)) for s, t, _ in pieces) <= 3
    total = sum(evaluate(real_aligner.align(s, t), g) for s, t, g in pieces)
    assert total.f1_strict >= 0.985  # 0.983 with the document's own total ratio
    corpus = real_aligner.align(["他の国会議員もツイートが公開されたままだったことでツイッター社を批判した。"],
                                ["Other MPs criticised Twitter for allowing the tweets to remain visible.",
                                 "Labour MP Jess Phillips said on Saturday:"])
    assert [(p.ja_ids, p.en_ids) for p in corpus] == [((0,), (0,)), ((), (1,))]
    assert corpus.meta["calibration"]["length_ratio"] == pytest.approx(2.2, abs=0.1)


def test_merge_is_found_and_scored_with_the_joined_text(real_aligner, encoder):
    ja = ["私は駅に行きました。", "そこで友人に会いました。", "その後、一緒に昼食を食べました。"]
    en = ["I went to the station and met a friend there.", "Afterwards we had lunch together."]
    corpus = real_aligner.align(ja, en)
    assert [(p.ja_ids, p.en_ids) for p in corpus] == [((0, 1), (0,)), ((2,), (1,))]
    expected = float(encoder.encode([ja[0] + ja[1]])[0] @ encoder.encode([en[0]])[0])
    assert corpus[0].score == pytest.approx(expected, abs=1e-5)
    assert corpus.meta["encoder"] == encoder.name
    assert corpus.embeddings[0].shape == (3, encoder.dim)


def test_raw_text_is_segmented(real_aligner):
    corpus = real_aligner.align("猫が好きです。犬も好きです。", "I like cats. I like dogs too.")
    assert [(p.ja_ids, p.en_ids) for p in corpus] == [((0,), (0,)), ((1,), (1,))]
