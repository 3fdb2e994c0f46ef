"""Running the review page: :func:`serve` and the handle it returns.

The server is uvicorn in a background thread, on a socket bound here (so
``port=0`` picks a free port and the URL is known before the first request).
``block=True`` waits in the calling thread until Ctrl+C (or the kernel's
interrupt in a notebook) and returns the reviewed corpus; ``block=False``
returns a :class:`ReviewServer` at once, for notebooks and tests.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .app import build_app
from .session import Session

AlignedCorpus = Any

#: where a loopback server answers: the names a browser on this machine uses
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class ReviewServer:
    """A running review page: its ``url`` (token included), the ``corpus`` as
    reviewed so far, and :meth:`stop` (which writes the last snapshot)."""

    def __init__(self, session: Session, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        self.session = session
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host.strip("[]"), port))
        self.port = self._socket.getsockname()[1]
        self.host = host
        self.token = secrets.token_urlsafe(24)
        allowed = {f"{name}:{self.port}" for name in LOOPBACK}
        allowed.add(f"{_bracket(host).lower()}:{self.port}")
        app = build_app(session, self.token, allowed, self.port)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._socket]},
                                        name="review-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the review server did not start")
            time.sleep(0.01)

    @property
    def url(self) -> str:
        """The page's address, with this run's token."""
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "::") else _bracket(self.host)
        return f"http://{shown}:{self.port}/?token={self.token}"

    @property
    def corpus(self) -> "AlignedCorpus":
        """The corpus with every edit made so far."""
        return self.session.corpus

    def stop(self) -> "AlignedCorpus":
        """Stop serving, write the last snapshot; returns the reviewed corpus."""
        if self._thread.is_alive():
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._socket.close()
        self.session.close()
        return self.session.corpus

    def wait(self) -> "AlignedCorpus":
        """Serve until Ctrl+C (KeyboardInterrupt) or :meth:`stop`; returns the corpus."""
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        return self.stop()

    def __enter__(self) -> "ReviewServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"ReviewServer({self.url}, {self.session.source})"


def serve(corpus_or_path: "AlignedCorpus | str | os.PathLike", *, host: str = "127.0.0.1",
          port: int = 0, open_browser: bool = False, path: str | os.PathLike | None = None,
          block: bool = True, quiet: bool = False) -> "AlignedCorpus | ReviewServer":
    """Serve the review page for a corpus file, an ``align_many`` output folder, or
    a corpus object; print its URL.

    A corpus object is saved to ``path`` (a new ``.jsonl``; default: a file in a
    new temporary folder, printed), a file or folder where it is. Every action
    is saved at once; running ``serve`` again on the same file or folder
    resumes. ``block=True`` serves until Ctrl+C and returns the reviewed corpus;
    ``block=False`` returns a :class:`ReviewServer` (``.url``, ``.corpus``, ``.stop()``).

    Example:
        >>> handle = serve("corpus.jsonl", block=False)   # doctest: +SKIP
        review: http://127.0.0.1:40123/?token=...
        >>> fixed = handle.stop()                          # doctest: +SKIP
    """
    if isinstance(corpus_or_path, (str, os.PathLike)):
        if path is not None:
            raise ValueError("path is where a corpus object is saved; a file or folder is "
                             "saved where it is")
        target = Path(corpus_or_path)
    else:
        if path is None:
            path = Path(tempfile.mkdtemp(prefix="jp-en-align-review-")) / "corpus.jsonl"
        target = Path(path)
        if target.exists():
            raise ValueError(f"{os.fspath(target)!r} exists: to resume that review, serve the "
                             "file itself (serve(path) or jp-en-align review PATH); to start "
                             "anew, choose another path")
        corpus_or_path.to_jsonl(target)
    if host not in LOOPBACK and host != "::1":
        print(f"jp-en-align review: warning: serving on {host}, not 127.0.0.1: other machines "
              "can reach the page (the token still guards it, but the traffic is not "
              "encrypted)", file=sys.stderr, flush=True)
    session = Session(target)
    try:
        server = ReviewServer(session, host, port)
    except BaseException:
        session.close()
        raise
    if not quiet:
        resumed = f", {session.replayed} actions replayed" if session.replayed else ""
        print(f"review: {server.url}\n  saving to {session.source}{resumed}", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    return server.wait() if block else server
