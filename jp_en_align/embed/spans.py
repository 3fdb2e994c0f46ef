"""Embeddings of runs of consecutive sentences, each run encoded once."""

from __future__ import annotations

from typing import Sequence

import numpy as np


from .encoder import Encoder, _check_sentences


class SpanEmbeddings:
    """Embeddings of runs ``[i, j)`` of consecutive sentences of one side.

    A run is embedded as the sentences joined with ``joiner`` (``""`` for
    Japanese, ``" "`` for English), computed on demand and cached by the
    encoder, so asking twice costs nothing.

    Example:
        >>> from jp_en_align import load_encoder
        >>> spans = SpanEmbeddings(load_encoder(), ["A cat.", "A dog."], joiner=" ")
        >>> spans.text(0, 2), spans.get([(0, 2)]).shape
        ('A cat. A dog.', (1, 512))
    """

    def __init__(self, encoder: Encoder, texts: Sequence[str], joiner: str,
                 batch_size: int = 64, show_progress_bar: bool | None = None,
                 singles: np.ndarray | None = None) -> None:
        self.encoder = encoder
        self.texts = _check_sentences(texts)
        self.joiner = joiner
        self.batch_size = batch_size
        self.show_progress_bar = show_progress_bar
        # ``singles``: the sentences' embeddings when the caller has them already
        if singles is not None and len(singles) != len(self.texts):
            raise ValueError(f"{len(singles)} embeddings given for {len(self.texts)} sentences")
        self._singles: np.ndarray | None = singles

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
