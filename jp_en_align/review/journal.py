"""Saving a review as it happens: an append-only journal over atomic snapshots.

The *snapshot* is the corpus file itself (JSONL), always replaced whole
(:func:`write_atomically`: a temporary file of a unique name, fsync, then
``os.replace``), so it is either the old or the new version, never half of
one. The *journal* (``CORPUS.jsonl.journal``) gets one JSON line per action,
flushed and fsynced before the page hears "done": a tab closed or a server
killed with ``kill -9`` a moment later loses nothing.

The journal's first line names the snapshot it applies to (a hash of its
bytes) and that snapshot's version; every later line is
``{"version": V, "action": {...}}``. On a restart the actions of a journal
whose base is the snapshot on disk are replayed over it. A base that does not
match means the server stopped between writing a snapshot and starting the
next journal: the snapshot already holds those actions, so they are skipped.
A torn last line (the process killed mid-write) was never acknowledged and is
dropped.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> journal = Journal(folder / "c.jsonl.journal")
    >>> journal.start(fingerprint("snapshot text"), version=0)
    >>> journal.append(1, {"op": "merge", "k": 3})
    >>> header, actions = journal.read(fingerprint("snapshot text"))
    >>> header["version"], actions
    (0, [(1, {'op': 'merge', 'k': 3})])
    >>> journal.read(fingerprint("another snapshot"))   # base gone: nothing to replay
    (None, [])
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..corpus.formats import write_whole

FORMAT = "jp-en-align review journal"


def fingerprint(text: str) -> str:
    """A short hash of a snapshot's text (what a journal is based on)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """A snapshot: whole or not at all, on disk, its rename too (a power cut
    leaves the old snapshot or the new one)."""
    write_whole(path, text, fsync=True, sync_folder=True)


class Journal:
    """The actions taken since the last snapshot, one fsynced JSON line each."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._file: Any = None

    def read(self, base: str) -> tuple[dict[str, Any] | None, list[tuple[int, dict[str, Any]]]]:
        """``(header, [(version, action), ...])`` to replay over the snapshot whose
        fingerprint is ``base``; ``(None, [])`` if there is no journal or it
        belongs to another snapshot. The header holds the snapshot's ``version``
        and what the snapshot file cannot keep (``undone``: the edits redo makes)."""
        try:
            lines = self.path.read_text(encoding="utf-8").split("\n")
        except FileNotFoundError:
            return None, []
        try:
            header = json.loads(lines[0])
        except (json.JSONDecodeError, IndexError):
            return None, []
        if header.get("journal") != FORMAT or header.get("base") != base:
            return None, []
        actions = []
        for n, line in enumerate(lines[1:], 2):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                if n == len(lines) or all(not rest.strip() for rest in lines[n:]):
                    break  # torn last line: written when the process died, never acknowledged
                raise ValueError(f"{self.path}: line {n} is not JSON; the journal is damaged "
                                 "(move it away to start from the last snapshot)") from None
            actions.append((int(record["version"]), record["action"]))
        return header, actions

    def start(self, base: str, version: int, carry: list[tuple[int, dict[str, Any]]] | None = None,
              undone: list[dict[str, Any]] | None = None) -> None:
        """Begin a new journal over the snapshot ``base`` (at ``version``, with
        ``undone`` edits to redo), holding ``carry``: actions taken while that
        snapshot was being written."""
        self.close()
        lines = [json.dumps({"journal": FORMAT, "base": base, "version": version,
                             "undone": undone or []}, ensure_ascii=False)]
        lines += [json.dumps({"version": v, "action": a}, ensure_ascii=False)
                  for v, a in carry or []]
        write_atomically(self.path, "\n".join(lines) + "\n")
        self._file = open(self.path, "a", encoding="utf-8", newline="\n")

    def append(self, version: int, action: dict[str, Any]) -> None:
        """Add one action and wait until it is on disk."""
        if self._file is None:
            raise RuntimeError("the journal is not started")
        self._file.write(json.dumps({"version": version, "action": action}, ensure_ascii=False)
                         + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
