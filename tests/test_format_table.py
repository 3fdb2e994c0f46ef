"""One format table: every export format is one module's ``FORMAT`` and one line
of ``formats.table.FORMATS``; the extensions, both commands' ``--format``
choices and a collection's exports come from it (checked here on real
documents aligned by the real encoder)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import datetime, timezone

import pytest

import jp_en_align.corpus.formats as formats_package
from benchmarks.datasets import load_parallel
from jp_en_align import AlignedCorpus, align_many
from jp_en_align.cli import build_parser
from jp_en_align.corpus.formats import (EXTENSIONS, FORMATS, Format, guess_format,
                                        streaming_formats, write_corpus)

DATE = datetime(2025, 1, 21, tzinfo=timezone.utc)
STREAMING = [name for name, fmt in FORMATS.items() if fmt.streams]


def test_every_format_module_is_one_line_of_the_table_and_its_extensions_map_back():
    declared = {}
    for info in pkgutil.iter_modules(formats_package.__path__):
        module = importlib.import_module(f"{formats_package.__name__}.{info.name}")
        if isinstance(getattr(module, "FORMAT", None), Format):
            declared[module.FORMAT.name] = module.FORMAT
    assert declared == FORMATS  # no module left out of the table, no line without a module
    assert list(FORMATS) == ["tmx", "tsv", "jsonl", "moses"] and "tmx" in FORMATS
    claimed = [ext for fmt in FORMATS.values() for ext in fmt.extensions]
    assert len(claimed) == len(set(claimed)) == len(EXTENSIONS)  # no extension claimed twice
    for name, fmt in FORMATS.items():
        assert fmt.name == name and fmt.description and "\n" not in fmt.description
        for ext in fmt.extensions:
            assert ext.startswith(".") and ext == ext.lower()
            assert guess_format(f"out/memory{ext}") == guess_format(f"M{ext.upper()}") == name
        if fmt.streams:
            params = list(inspect.signature(fmt.write_parts).parameters.values())
            assert [p.name for p in params[:3]] == ["f", "parts", "meta"]
            assert all(p.kind is p.KEYWORD_ONLY for p in params[3:])  # options by name only
        else:
            assert not fmt.extensions  # a format that is not one file has no file name
        assert fmt.read is None or callable(fmt.read)
        assert not (fmt.lossless and fmt.skip_unaligned)  # lossless keeps every pair
    with pytest.raises(ValueError, match=r"use \.tmx, \.tsv or \.jsonl"):
        guess_format("memory.txt")


def _help_text(action) -> str:
    return " ".join(action.help.split())


def test_the_commands_take_their_format_choices_and_help_from_the_table():
    commands = build_parser()._subparsers._group_actions[0].choices
    option = {name: next(a for a in commands[name]._actions if a.dest == "format")
              for name in ("align", "align-many")}
    assert tuple(option["align"].choices) == (*FORMATS, "beads", "table", "html")
    assert list(option["align-many"].choices) == STREAMING == streaming_formats()
    for name, action in option.items():
        for fmt in action.choices:
            if fmt in FORMATS:
                assert f"{fmt}: {FORMATS[fmt].description}" in _help_text(action), (name, fmt)
    output = {name: next(a for a in commands[name]._actions if a.dest == "output")
              for name in option}
    assert all(ext in _help_text(output["align"]) for ext in EXTENSIONS)
    assert all(ext in _help_text(output["align-many"]) for name in STREAMING
               for ext in FORMATS[name].extensions)


@pytest.fixture(scope="module")
def collection(data_dir, tmp_path_factory):
    """Two short real documents (BSD dialogues) and the first again, aligned by
    align_many with the real encoder: the third repeats every pair of the first."""
    docs = [(f"bsd-{k}", d["ja"][:6], d["en"][:6])
            for k, d in enumerate(load_parallel("bsd.dev", data_dir)[:2])]
    docs.append(("again", docs[0][1], docs[0][2]))
    result = align_many(docs, out_dir=tmp_path_factory.mktemp("collection"), workers=1)
    assert [row.status for row in result.report] == ["aligned"] * 3
    return result


@pytest.mark.parametrize("name", STREAMING)
def test_a_collection_export_is_the_concatenated_corpus_export(collection, tmp_path, name):
    fmt = FORMATS[name]
    merged = AlignedCorpus.concat(list(collection.corpora()))
    options = {"creationdate": DATE} if fmt.takes("creationdate") else {}
    path = tmp_path / f"out{fmt.extensions[0]}"
    written = collection.write(path, **options)  # the format from the extension
    chosen = merged.filter(skip_unaligned=fmt.skip_unaligned)  # the format's own default
    assert path.read_text(encoding="utf-8") == write_corpus(fmt, chosen, None, **options)
    assert written == len(chosen) > 0
    if fmt.read is not None:
        data = fmt.read(path)
        assert len(data.beads) == written
    if fmt.lossless:  # every pair kept, and no dedupe
        assert AlignedCorpus.from_jsonl(path) == merged
        with pytest.raises(ValueError, match="keeps every pair"):
            collection.write(path, dedupe=True)
    else:  # the repeated document collapses onto the first
        distinct = {(p.ja, p.en) for p in chosen}
        assert collection.write(tmp_path / f"d{fmt.extensions[0]}", dedupe=True) == len(distinct)
        assert len(distinct) < written


def test_a_collection_is_written_only_in_a_format_of_one_file(collection, tmp_path):
    with pytest.raises(ValueError, match="a collection is written as tmx, tsv, jsonl, not 'moses'"):
        collection.write(tmp_path / "train", "moses")
    with pytest.raises(ValueError, match="cannot tell the format"):
        collection.write(tmp_path / "memory.txt")
