"""JMdict and JMnedict, read at run time from the SQLite file the
``jamdict-data`` package ships (no network; opened read-only on first use,
never at import).

JMdict (words) and JMnedict (names) are by the Electronic Dictionary Research
and Development Group, under the Creative Commons Attribution-ShareAlike
licence 3.0 (https://www.edrdg.org/edrdg/licence.html); this library only
reads them and ships none of their data. ``jamdict-data`` itself is MIT.

:func:`glosses` gives the English glosses of a Japanese word (its first
senses), :func:`name_forms` the English spellings JMnedict lists for a name,
and :func:`stem` the English stem both sides are compared by.

Example:
    >>> "consultation" in glosses("協議")
    True
    >>> "Ishiba" in name_forms("石破")
    True
    >>> stem("strengthening") == stem("strengthen")
    True
"""

from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache

MAX_SENSES = 4  # the first senses of an entry are its common meanings
MAX_ENTRIES = 3  # homographs: the first entries (JMdict lists common ones first)
_PAREN = re.compile(r"\([^)]*\)")
_ISE = re.compile(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)$")  # British -ise, -isation
_lock = threading.RLock()
_connection: sqlite3.Connection | None = None


class DictionaryMissing(ImportError):
    """The ``jamdict-data`` package (JMdict and JMnedict) is not installed."""


def _db() -> sqlite3.Connection:
    global _connection
    with _lock:
        if _connection is None:
            try:
                from jamdict_data import JAMDICT_DB_PATH
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise DictionaryMissing(
                    "press comparison needs JMdict: pip install jamdict-data") from exc
            _connection = sqlite3.connect(f"file:{JAMDICT_DB_PATH}?mode=ro", uri=True,
                                          check_same_thread=False)
        return _connection


_WORD_SQL = """
SELECT s.idseq, s.ID, g.text, g.lang FROM Sense s JOIN SenseGloss g ON g.sid = s.ID
WHERE s.idseq IN (SELECT idseq FROM Kanji WHERE text = ? UNION SELECT idseq FROM Kana WHERE text = ?)
ORDER BY s.idseq, s.ID
"""
_NAME_SQL = """
SELECT g.text, g.lang FROM NETranslation t JOIN NETransGloss g ON g.tid = t.ID
WHERE t.idseq IN (SELECT idseq FROM NEKanji WHERE text = ? UNION SELECT idseq FROM NEKana WHERE text = ?)
"""


@lru_cache(maxsize=50_000)
def glosses(word: str) -> tuple[str, ...]:
    """English glosses of ``word`` in JMdict (kanji or kana spelling), from the
    first :data:`MAX_SENSES` senses of its first :data:`MAX_ENTRIES` entries,
    parenthesised notes removed; ``()`` for a word JMdict lacks."""
    with _lock:
        rows = _db().execute(_WORD_SQL, (word, word)).fetchall()
    entries: dict[int, dict[int, list[str]]] = {}
    for idseq, sense, text, lang in rows:
        if lang != "eng":
            continue
        senses = entries.setdefault(idseq, {})
        if sense in senses or len(senses) < MAX_SENSES:
            senses.setdefault(sense, []).append(text)
    out = []
    for senses in list(entries.values())[:MAX_ENTRIES]:
        for texts in senses.values():
            out += [g for g in (" ".join(_PAREN.sub(" ", t).split()) for t in texts) if g]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=50_000)
def name_forms(name: str) -> tuple[str, ...]:
    """English spellings JMnedict gives for a name (石破 → Ishiba, ラオス →
    Laos), notes in parentheses removed."""
    with _lock:
        rows = _db().execute(_NAME_SQL, (name, name)).fetchall()
    forms = (" ".join(_PAREN.sub(" ", text).split()) for text, lang in rows
             if lang in (None, "", "eng"))
    return tuple(dict.fromkeys(f for f in forms if f))


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-cased English word; British and
    American spellings meet (defence, defense → defens)."""
    w = word.lower().strip("-'")
    w = w[:-4] + "ense" if w.endswith("fence") else w
    if "is" in w:
        w = _ISE.sub(r"iz\1", w)  # organise ~ organize
    return _stemmer().stemWord(w)

