"""One review in progress: the current corpus, its version, and its saving.

Every action goes through :meth:`Session.act`: it is checked against the
version the page last saw (a stale tab gets :class:`Conflict`, never a silent
overwrite), applied (a new corpus: nothing is mutated), written to the
journal and fsynced, and only then becomes the current state. Snapshots
(the whole corpus, atomically) are written by a background thread a moment
after the last action, after slow actions, and on :meth:`close`; the journal
covers everything in between.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> _ = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat.", "Dog."],
    ...     [((0,), (0,), 0.9), ((1,), (1,), 0.8)]).to_jsonl(path)
    >>> session = Session(path)
    >>> session.version, session.window("document", 0, 10)["total"]
    (0, 2)
    >>> session.act({"op": "merge", "k": 0}, based_on=0)["version"]   # doctest: +SKIP
    1
    >>> session.close()
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from typing import Any

from . import adapter
from .journal import Journal, fingerprint
from .sources import FileSource, open_source

AlignedCorpus = Any

#: the orders the page can show the pairs in
ORDERS = ("doubt", "document")
#: a snapshot is written in the background this long after the last action
#: (seconds): writing 10,000 pairs takes ~0.6 s of the interpreter, which would
#: slow the actions of someone working fast, so it waits for a pause ...
SNAPSHOT_DELAY = 1.0
#: ... unless this many actions wait in the journal (a restart replays them:
#: ~50 ms each at 10,000 pairs)
SNAPSHOT_EVERY = 200
#: the largest window the page may ask for (it shows one screen)
MAX_WINDOW = 500


class Conflict(Exception):
    """The page edited a version of the corpus that is no longer the current one."""

    def __init__(self, based_on: int, version: int) -> None:
        super().__init__(f"this page shows version {based_on} of the corpus, but it is at "
                         f"version {version} now (edited in another tab?): the page is "
                         "reloaded with the current version; repeat the edit if still needed")
        self.version = version


class Session:
    """A corpus under review, saved as it changes (journal + snapshots)."""

    def __init__(self, source: str | os.PathLike | FileSource) -> None:
        self.source = source if isinstance(source, FileSource) else open_source(source)
        self.journal = Journal(self.source.journal_path)
        self._lock = threading.RLock()        # the state: corpus, version, pending actions
        self._write_lock = threading.Lock()   # one snapshot at a time
        self._cache: dict[str, Any] = {}      # per version: review order, counts
        text = self.source.read_snapshot()
        corpus = self.source.load()
        header, actions = self.journal.read(fingerprint(text))
        version = int(header["version"]) if header else 0
        corpus = adapter.with_undone(corpus, header.get("undone", []) if header else [])
        self.corpus, self.version, self.replayed = corpus, version, 0
        self._pending: list[tuple[int, dict[str, Any]]] = []
        self.skipped = self._replay(actions)
        if self._pending:  # fold them into a snapshot now: the next restart replays nothing
            self.snapshot()
        else:
            self.source.recover(self.corpus)
            self.journal.start(fingerprint(text), self.version, undone=adapter.undone(self.corpus))
        self._dirty = threading.Event()
        self._urgent = threading.Event()  # too many actions wait: no pause to wait for
        self._closed = threading.Event()
        self._last_action = 0.0
        self._thread = threading.Thread(target=self._snapshots, name="review-snapshots",
                                        daemon=True)
        self._thread.start()

    def _replay(self, actions: list[tuple[int, dict[str, Any]]]) -> int:
        """Apply the journal's actions; return how many could not be (then the
        journal is kept aside, never deleted, and the rest are skipped)."""
        for n, (version, action) in enumerate(actions):
            try:
                corpus = adapter.apply(self.corpus, adapter.check_action(action))
            except (ValueError, IndexError, TypeError) as e:
                kept = self.journal.path.with_name(f"{self.journal.path.name}.{int(time.time())}.failed")
                shutil.copyfile(self.journal.path, kept)
                print(f"jp-en-align review: warning: action {version} of the journal ({action}) "
                      f"cannot be replayed ({e}); it and the {len(actions) - n - 1} after it are "
                      f"left out (the journal is kept as {kept})", flush=True)
                return len(actions) - n
            self.corpus, self.version = corpus, version
            self._pending.append((version, action))
            self.replayed += 1
        return 0

    # -- reading ------------------------------------------------------------

    def _cached(self, name: str, make: Any) -> Any:
        key = f"{name}@{self.version}"
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k.endswith(f"@{self.version}")}
            self._cache[key] = make(self.corpus)
        return self._cache[key]

    def order(self, name: str) -> list[int] | range:
        """The pair indices in the order ``name`` (``doubt``: unreviewed, most doubtful first)."""
        if name not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {name!r}")
        if name == "document":
            return range(len(self.corpus))
        return self._cached("doubt", adapter.review_order)

    def window(self, order: str, start: int, count: int,
               around: int | None = None) -> dict[str, Any]:
        """Rows ``start`` .. ``start + count`` of ``order`` (or the window holding pair
        ``around``), with the version and the totals the page needs."""
        with self._lock:
            ks = self.order(order)
            count = max(1, min(int(count), MAX_WINDOW))
            cursor = None
            if around is not None:
                try:
                    cursor = ks.index(around)
                except ValueError:
                    cursor = 0
                start = cursor - count // 3
            start = max(0, min(int(start), max(0, len(ks) - count)))
            rows = [adapter.row(self.corpus, k) for k in ks[start:start + count]]
            return {"version": self.version, "order": order, "total": len(ks), "start": start,
                    "cursor": cursor, "pairs": len(self.corpus), "rows": rows,
                    "counts": self._cached("counts", adapter.counts)}

    # -- changing -----------------------------------------------------------

    def act(self, action: Any, based_on: int) -> dict[str, Any]:
        """Apply ``action`` to version ``based_on``; Conflict if that is not the
        current version, ValueError if the action cannot be done."""
        action = adapter.check_action(action)
        with self._lock:
            if based_on != self.version:
                raise Conflict(based_on, self.version)
            corpus = adapter.apply(self.corpus, action)
            self.journal.append(self.version + 1, action)  # on disk before anyone hears "done"
            self.corpus, self.version = corpus, self.version + 1
            self._pending.append((self.version, action))
            self._last_action = time.monotonic()
            pending = len(self._pending)
        if action["op"] in adapter.SLOW_ACTIONS:
            self.snapshot()  # at once: a restart should not have to run the encoder again
        else:
            if pending >= SNAPSHOT_EVERY:
                self._urgent.set()
            self._dirty.set()
        return {"version": self.version}

    # -- saving -------------------------------------------------------------

    def snapshot(self) -> None:
        """Write the current corpus as the snapshot and start a journal over it."""
        with self._write_lock:
            with self._lock:
                corpus, version = self.corpus, self.version
            if not self._pending and self.journal._file is not None:
                return
            # corpora are never mutated: this one can be written outside the lock
            text = self.source.serialize(corpus)
            self.source.write(corpus, text)
            with self._lock:  # actions taken meanwhile go on in the new journal
                self._pending = [(v, a) for v, a in self._pending if v > version]
                self.journal.start(fingerprint(text), version, self._pending,
                                   undone=adapter.undone(corpus))

    def _snapshots(self) -> None:
        while not self._closed.is_set():
            if not self._dirty.wait(timeout=0.5):
                continue
            wait = SNAPSHOT_DELAY - (time.monotonic() - self._last_action)
            if wait > 0 and not self._urgent.is_set():
                self._closed.wait(min(wait, 0.1))
                continue
            self._dirty.clear()
            self._urgent.clear()
            try:
                self.snapshot()
            except OSError as e:  # the journal still holds everything: say so, try again later
                print(f"jp-en-align review: could not write the snapshot ({e}); the journal "
                      "keeps every action", flush=True)
                self._dirty.set()

    def close(self) -> None:
        """Write the last snapshot and stop the background thread."""
        if getattr(self, "_closed", None) is None or self._closed.is_set():
            return
        self._closed.set()
        self._thread.join(timeout=10)
        self.snapshot()
        self.journal.close()
