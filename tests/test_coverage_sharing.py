"""What lets press comparison skip work: the over-estimate of what a press
sentence shares with an official one (coverage/sharing.py), the vector
pre-check of sound keys, and the C stemmer. Each must give what the slow way
gives. Real dictionaries and real data, no encoder."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from jp_en_align.aligner.evidence import shared_evidence, sound_key, sounds_alike
from jp_en_align.coverage.names import OfficialNames, SoundKeys, en_keys, name_keys
from jp_en_align.coverage.sharing import Sharing
from jp_en_align.text.segment import segment_en, segment_ja

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO / "benchmarks" / "data" / "press_paraphrases.jsonl"


def test_sound_keys_find_what_asking_every_key_finds(seed_statement, seed_press):
    keys = sorted({k for part in re.findall(r"[ァ-ヺー]{2,}", seed_statement)
                   for k in name_keys(part)})
    index = SoundKeys(keys)
    words = {w for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", seed_press)}
    rng = random.Random(0)

    def mutated(key: str) -> str:  # a letter or two changed, or one more at the end
        out = list(key)
        for _ in range(rng.randint(0, 2)):
            out[rng.randrange(len(out))] = rng.choice("aeioukstnrbd")
        return "".join(out) + rng.choice(["", "a", "n"])

    asked = sorted({k for w in words for k in en_keys(w)} | {sound_key(w) for w in words}
                   | {mutated(k) for k in keys for _ in range(20)} | {"", "ab-c"})
    every = {key: [k for k in keys if sounds_alike(k, key)] for key in asked}
    assert {key: index.alike(key) for key in asked} == every
    assert index.alike_many(asked) == every
    assert sum(map(len, every.values())) > 100  # many are alike, most not


def test_what_a_press_sentence_may_share_covers_what_it_shares(seed_statement, seed_press):
    candidates = [s.normalized for s in segment_ja(seed_statement) if s.kind in ("body", "title")]
    names = OfficialNames([s.normalized for s in segment_ja(seed_statement)])
    sharing = Sharing(candidates, names)
    press = [s.normalized for s in segment_en(seed_press)]
    press += [json.loads(line)["press"] for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    sharing.prepare(press[::2])  # the rest word by word
    skipped = shared = 0
    for text in press:
        for k, official in enumerate(candidates):
            ev = shared_evidence(official, text)
            named = names.shared(official, text)
            if not sharing.may_share(k, text):
                assert not ev and not named, (official, text)
                skipped += 1
                continue
            keys = {*(ja for ja, _ in ev.names), *(w.split("=")[0] for w in ev.words),
                    *(ja for ja, _ in named)}
            assert keys <= sharing.items(k) & sharing.writable(text), (official, text)
            assert set(ev.numbers) <= sharing.numbers(k, text)
            shared += bool(ev or named)
    assert skipped > shared > 0  # on the seed press too, most pairs share nothing


def test_the_c_stemmer_gives_the_pure_python_stems():
    # snowballstemmer runs PyStemmer's C build when it is installed (a dependency)
    import sqlite3

    import snowballstemmer
    from jamdict_data import JAMDICT_DB_PATH
    from snowballstemmer.english_stemmer import EnglishStemmer

    from jp_en_align.coverage.vocabulary import _PIECE

    with sqlite3.connect(f"file:{JAMDICT_DB_PATH}?mode=ro", uri=True) as db:
        words = sorted({w for (text,) in db.execute("SELECT text FROM SenseGloss "
                                                    "WHERE lang = 'eng'")
                        for w in _PIECE.findall(text.lower())})[::7]
    assert len(words) > 5_000
    fast, slow = snowballstemmer.stemmer("english"), EnglishStemmer()
    assert type(fast).__module__ == "Stemmer"
    assert [fast.stemWord(w) for w in words] == [slow.stemWord(w) for w in words]
