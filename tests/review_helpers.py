"""Corpora and an HTTP client for the review page's tests (tests/test_review_*.py).

The corpora are real: the dev sets' sentences with their gold beads
(../shared/data/aligned/*.jsonl), and three errors of the kinds reviewers
fix put into one of them.
"""

from __future__ import annotations

import http.client
import json
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jp_en_align.corpus import AlignedCorpus

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "aligned"


def problems(name: str = "bsd.dev") -> list[dict[str, Any]]:
    """The problems of a dev set: ``{"id", "ja", "en", "gold"}``."""
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _confidence(text: str) -> float:
    """A fixed, spread-out confidence per pair (from its text: no randomness)."""
    return 0.6 + 0.39 * (zlib.crc32(text.encode()) % 1000) / 1000


def gold_corpus(problem: dict[str, Any]) -> AlignedCorpus:
    """The problem's sentences with its gold beads (all confident)."""
    beads = [(tuple(a), tuple(b), 0.8) for a, b in problem["gold"]]
    conf = [_confidence(f"{problem['id']}{a}{b}") for a, b, _ in beads]
    return AlignedCorpus.from_texts(problem["ja"], problem["en"], beads, confidence=conf,
                                    meta={"document": problem["id"]})


def with_three_errors(problem: dict[str, Any]) -> tuple[AlignedCorpus, dict[str, Any]]:
    """The gold corpus of ``problem`` with three errors a reviewer fixes, doubtful
    enough to come first, and what each one is:

    * ``merged``: two 1-1 pairs made one 2-2 pair (fixed by a split);
    * ``split``: a 2-1 pair cut into 1-1 + 1-0 (fixed by a merge);
    * ``shifted``: an English sentence pulled into the pair before (fixed by
      moving it down).
    """
    gold = [(tuple(a), tuple(b)) for a, b in problem["gold"]]
    ones = [k for k in range(len(gold) - 1)
            if all(len(gold[k + d][0]) == 1 and len(gold[k + d][1]) == 1 for d in (0, 1))]
    two_one = next(k for k, (a, b) in enumerate(gold) if len(a) == 2 and len(b) == 1)
    merged = next(k for k in ones if k > two_one + 2)
    shifted = next(k for k in ones if k > merged + 3)
    beads, conf = [], []
    k = 0
    while k < len(gold):
        a, b = gold[k]
        if k == merged:
            (a2, b2) = gold[k + 1]
            beads.append((a + a2, b + b2, 0.5)); conf.append(0.2)
            k += 2
            continue
        if k == two_one:
            beads += [((a[0],), b, 0.6), ((a[1],), (), 0.0)]; conf += [0.3, 0.35]
        elif k == shifted:
            (a2, b2) = gold[k + 1]
            beads += [(a, b + b2, 0.6), (a2, (), 0.0)]; conf += [0.25, 0.4]
            k += 2
            continue
        else:
            beads.append((a, b, 0.8)); conf.append(_confidence(f"{a}{b}"))
        k += 1
    corpus = AlignedCorpus.from_texts(problem["ja"], problem["en"], beads, confidence=conf,
                                      meta={"document": problem["id"]})
    where = {"merged": problem["ja"][gold[merged][0][0]],
             "split": problem["ja"][gold[two_one][0][0]],
             "shifted": problem["ja"][gold[shifted][0][0]],
             "gold": [(a, b) for a, b in gold]}
    return corpus, where


def big_corpus(pairs: int = 10_000) -> AlignedCorpus:
    """At least ``pairs`` pairs of real sentences: the dev sets' gold beads, as
    many documents, repeated under new ids until there are enough."""
    parts = []
    total = 0
    sets = [p for name in ("bsd.dev", "wmt21.en-ja", "wmt21.ja-en") for p in problems(name)]
    round_ = 0
    while total < pairs:
        for p in sets:
            parts.append((f"{p['id']}#{round_}", gold_corpus(p)))
            total += len(p["gold"])
            if total >= pairs:
                break
        round_ += 1
    return AlignedCorpus.concat(parts)


class Client:
    """A bare HTTP client for a review server (its URL with the token)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.token = parts.query.split("token=", 1)[1]

    def request(self, method: str, path: str, body: Any = None, *, token: str | None = "",
                host: str | None = None, headers: dict[str, str] | None = None
                ) -> tuple[int, dict[str, str], Any]:
        """``(status, headers, JSON or text)``; ``token=""``: this server's, None: none."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        h = {"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
        if token is not None:
            h["X-Review-Token"] = token or self.token
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            h["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=h)
            response = conn.getresponse()
            raw = response.read().decode("utf-8")
            out_headers = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        try:
            payload: Any = json.loads(raw)
        except json.JSONDecodeError:
            payload = raw
        return response.status, out_headers, payload

    def window(self, order: str = "document", start: int = 0, count: int = 60) -> dict[str, Any]:
        status, _, data = self.request("GET", f"/api/window?order={order}&start={start}&count={count}")
        assert status == 200, data
        return data

    def act(self, version: int, **action: Any) -> tuple[int, Any]:
        status, _, data = self.request("POST", "/api/action", {"version": version, "action": action,
                                                               "view": {"order": "document"}})
        return status, data
