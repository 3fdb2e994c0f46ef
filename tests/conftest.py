"""Shared fixtures: the real data folder and the real default encoder."""

from __future__ import annotations

import pytest

from benchmarks.datasets import data_dir as _data_dir


@pytest.fixture(scope="session")
def data_dir():
    """../shared/data (or $JP_EN_ALIGN_DATA)."""
    return _data_dir()


@pytest.fixture(scope="session")
def encoder():
    """The built-in default encoder (USE-multilingual v3), loaded once for the whole run."""
    from jp_en_align.embed.loading import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def seed_statement(data_dir):
    return (data_dir / "seeds" / "statement_ja.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_press(data_dir):
    return (data_dir / "seeds" / "press_en.txt").read_text(encoding="utf-8")


@pytest.fixture
def folders(tmp_path, documents):
    """A module's ``documents`` (``(id, ja, en)``) as files ja/ID_ja.txt and
    en/ID.en.txt, one sentence a line (the folders align_many pairs by name)."""
    (tmp_path / "ja").mkdir()
    (tmp_path / "en").mkdir()
    for doc_id, ja, en in documents:
        (tmp_path / "ja" / f"{doc_id}_ja.txt").write_text("\n".join(ja) + "\n", encoding="utf-8")
        (tmp_path / "en" / f"{doc_id}.en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    return tmp_path
