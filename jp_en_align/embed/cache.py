"""A persistent cache of sentence vectors: one SQLite file per encoder.

Re-aligning the same statement against hundreds of articles should encode the
statement once, not once per run. :class:`VectorCache` keeps every vector an
encoder computed in ``<cache_dir>/<model>-<hash>.sqlite``, keyed by a hash of
the text. The encoder layer (:mod:`jp_en_align.embed`) reads it before
calling the model and writes each encoded batch to it.

Why it never hands back wrong vectors:

* the file records the model name, the dimension and a *fingerprint* (the
  model's vector for a fixed probe sentence). A file written by another model
  is refused with :class:`CacheFileError`; a file whose model changed under the
  same name (new version, different weights at the same path) is rebuilt;
* every vector is stored with a CRC32; a row that fails it is a cache miss;
* a file that is not a SQLite database or is damaged is rebuilt (a warning
  says so). A SQLite database that is not one of ours is refused, not deleted;
* writes are transactions in WAL mode, so Ctrl-C or a killed process loses at
  most the batch being written, never the file.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import warnings
import zlib
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

#: 2: the default encoder's vectors come from padded batches (embed/default_model.py),
#: ~1e-7 from those of version 1, which are rebuilt rather than mixed in
FORMAT_VERSION = 2
APPLICATION_ID = 0x4A454131  # "JEA1": marks a SQLite file as a jp_en_align vector cache
#: The sentence whose vector identifies the model that wrote a cache file.
PROBE_TEXT = "両首脳は協力を強化することで一致した。The two leaders agreed to strengthen cooperation."
_FINGERPRINT_MIN_COSINE = 0.999  # same model on another device/batch still agrees to ~1e-6
_SQL_VARIABLES = 500  # keys per SELECT ... IN (...), under every SQLite build's limit


class CacheFileError(ValueError):
    """A cache file belongs to something else (another model or program)."""


def text_key(text: str) -> bytes:
    """The 16-byte key of ``text`` in a cache file."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def cache_path(cache_dir: str | os.PathLike, model: str) -> Path:
    """Where the cache of ``model`` lives inside ``cache_dir``.

    Example:
        >>> cache_path("/tmp/c", "usem3").name
        'usem3-8dec4a7c9eda.sqlite'
    """
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("._")[-48:] or "model"
    digest = hashlib.sha1(model.encode("utf-8")).hexdigest()[:12]
    return Path(cache_dir) / f"{slug}-{digest}.sqlite"


class VectorCache:
    """The vectors one encoder computed, kept in a SQLite file.

    ``fingerprint`` is the encoder's vector for :data:`PROBE_TEXT`; it fixes
    the dimension and tells this model apart from another one with the same
    name. The file is created if missing.

    Example:
        >>> import tempfile, numpy as np
        >>> fp = np.ones(4, dtype=np.float32) / 2
        >>> with VectorCache(tempfile.mkdtemp(), "toy", fp) as cache:
        ...     cache.put_many([("hello", fp)])
        ...     sorted(cache.get_many(["hello", "unseen"]))
        ['hello']
    """

    def __init__(self, cache_dir: str | os.PathLike, model: str, fingerprint: np.ndarray) -> None:
        cache_dir = Path(cache_dir).expanduser()
        if cache_dir.exists() and not cache_dir.is_dir():
            raise NotADirectoryError(
                f"cache_dir {str(cache_dir)!r} is a file; pass a directory, "
                "e.g. cache_dir='~/.cache/jp_en_align'")
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.fingerprint = np.asarray(fingerprint, dtype="<f4").ravel()
        self.dim = int(self.fingerprint.shape[0])
        self.path = cache_path(cache_dir, model)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        with self._lock:
            self._connection()

    # ---- opening, checking, rebuilding -------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """The open connection (reopened after a fork: SQLite handles can't cross one)."""
        if self._conn is None or self._pid != os.getpid():
            try:
                self._conn = self._open_checked()
            except sqlite3.OperationalError as e:
                raise _unusable(self.path, e) from None
            self._pid = os.getpid()
        return self._conn

    def _open_checked(self) -> sqlite3.Connection:
        conn = None
        try:
            conn = self._connect()
            problem = self._check(conn)
        except sqlite3.DatabaseError as e:
            if conn is not None:
                conn.close()
            if not _is_damage(e):
                raise
            problem = f"damaged ({e})"
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        else:
            if problem is None:
                return conn
            conn.close()
        self._rebuild(problem)
        conn = self._connect()
        if (problem := self._check(conn)) is not None:  # pragma: no cover - fresh file
            raise CacheFileError(f"embedding cache {self.path} could not be rebuilt: {problem}")
        return conn

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction a batch.
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None,
                               check_same_thread=False)
        try:
            # 16 KiB pages hold several 1.5-3 KB vectors (4 KiB pages would hold one, half empty);
            # only takes effect on a new file, before the switch to WAL
            conn.execute("PRAGMA page_size=16384")
            conn.execute("PRAGMA journal_mode=WAL")  # readers never see a half-written batch
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL+NORMAL: a crash can't corrupt
        except BaseException:
            conn.close()
            raise
        return conn

    def _check(self, conn: sqlite3.Connection) -> str | None:
        """None if ``conn`` is a sound cache of this model; else why it must be rebuilt.

        Raises :class:`CacheFileError` for a file that is not ours to rebuild.
        """
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if not tables and app_id == 0:
            self._initialize(conn)
        elif app_id != APPLICATION_ID or not {"meta", "vectors"} <= tables:
            raise CacheFileError(
                f"{self.path} is a SQLite database of another program, not a jp_en_align "
                "embedding cache; move it away or pass another cache_dir")
        meta = dict(conn.execute("SELECT name, value FROM meta"))
        version = int(meta.get("format", 0))
        if version > FORMAT_VERSION:
            raise CacheFileError(
                f"embedding cache {self.path} has format {version}, written by a newer "
                f"jp_en_align (this one reads format {FORMAT_VERSION}); upgrade, or pass "
                "another cache_dir")
        if meta.get("model") != self.model:
            raise CacheFileError(
                f"embedding cache {self.path} holds vectors of model {meta.get('model')!r}, "
                f"not {self.model!r}; pass another cache_dir or delete the file")
        if version < FORMAT_VERSION:
            return f"in the old format {version}"
        if int(meta.get("dim", -1)) != self.dim:
            return f"written by a {meta.get('dim')}-d model, but {self.model!r} is now {self.dim}-d"
        stored = np.frombuffer(meta.get("fingerprint", b""), dtype="<f4")
        if stored.shape != self.fingerprint.shape or _cosine(stored, self.fingerprint) < \
                _FINGERPRINT_MIN_COSINE:
            return f"written by a different model also called {self.model!r}"
        return None

    def _initialize(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")  # another process may be creating it right now
        try:
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value)")
            conn.execute("CREATE TABLE IF NOT EXISTS vectors "
                         "(key BLOB PRIMARY KEY, vec BLOB NOT NULL, crc INTEGER NOT NULL)")
            conn.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", [
                ("format", FORMAT_VERSION), ("model", self.model), ("dim", self.dim),
                ("fingerprint", self.fingerprint.tobytes())])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _rebuild(self, reason: str) -> None:
        warnings.warn(f"embedding cache {self.path} was {reason}; rebuilding it",
                      RuntimeWarning, stacklevel=4)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _recover(self, error: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Rebuild a file found damaged while reading or writing it."""
        self._rebuild(f"damaged ({error})")
        return self._connection()

    # ---- reading and writing ------------------------------------------------------------

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` the cache has (misses are left out)."""
        by_key = {text_key(t): t for t in texts}
        keys = list(by_key)
        found: dict[str, np.ndarray] = {}
        with self._lock:
            conn = self._connection()
            try:
                rows = [row for start in range(0, len(keys), _SQL_VARIABLES)
                        for row in self._select(conn, keys[start:start + _SQL_VARIABLES])]
            except sqlite3.DatabaseError as e:
                if not _is_damage(e):
                    raise _unusable(self.path, e) from None
                self._recover(e)
                return {}
        size = 4 * self.dim
        for key, vec, crc in rows:
            # a row damaged on disk is a miss (re-encoded and overwritten), never a wrong vector
            if len(vec) == size and zlib.crc32(vec) == crc:
                found[by_key[key]] = np.frombuffer(vec, dtype="<f4")
        return found

    @staticmethod
    def _select(conn: sqlite3.Connection, keys: list[bytes]) -> list[tuple]:
        marks = ",".join("?" * len(keys))
        return conn.execute(f"SELECT key, vec, crc FROM vectors WHERE key IN ({marks})",
                            keys).fetchall()

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store ``(text, vector)`` pairs in one transaction (all or none of them)."""
        rows = []
        for text, vec in items:
            blob = np.ascontiguousarray(vec, dtype="<f4").tobytes()
            if len(blob) != 4 * self.dim:
                raise ValueError(f"vector of size {len(blob) // 4} for a {self.dim}-d cache")
            rows.append((text_key(text), blob, zlib.crc32(blob)))
        if not rows:
            return
        with self._lock:
            conn = self._connection()
            for attempt in (1, 2):
                try:
                    self._write(conn, rows)
                    return
                except sqlite3.DatabaseError as e:
                    if not _is_damage(e):
                        raise _unusable(self.path, e) from None
                    if attempt == 2:
                        raise
                    conn = self._recover(e)

    @staticmethod
    def _write(conn: sqlite3.Connection, rows: list[tuple]) -> None:
        if conn.in_transaction:  # left open by an interrupt that hit the last ROLLBACK
            conn.execute("ROLLBACK")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            conn.execute("COMMIT")
        except BaseException:  # Ctrl-C included: the batch is undone, the file stays sound
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def __len__(self) -> int:
        with self._lock:
            return self._connection().execute("SELECT count(*) FROM vectors").fetchone()[0]

    def close(self) -> None:
        """Close the file (it reopens on next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "VectorCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"VectorCache({str(self.path)!r}, model={self.model!r}, dim={self.dim})"


def _unusable(path: Path, error: sqlite3.DatabaseError) -> OSError:
    """The error to raise for a cache file SQLite cannot open or write (not damage):
    it names the file and the reason, as an OSError (the CLI prints it as one line)."""
    instead = "pass another cache_dir, or cache_dir=None to run without a cache"
    if path.is_dir():
        return IsADirectoryError(f"embedding cache {path} is a directory, not a file: "
                                 f"move it away or {instead}")
    if not os.access(path.parent, os.W_OK) or "readonly" in str(error) or \
            (path.exists() and not os.access(path, os.W_OK)):
        return PermissionError(f"embedding cache {path} cannot be written ({error}): it or "
                               f"its folder is read-only to this process; {instead}")
    return OSError(f"embedding cache {path} cannot be used ({error}); {instead}")


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """True for "not a database"/"malformed" errors; False for locked, unwritable, full disk."""
    return not isinstance(error, sqlite3.OperationalError)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / denom if denom > 0 else (1.0 if not a.any() and not b.any() else 0.0)
