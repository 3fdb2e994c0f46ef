"""The heatmap of a corpus: ja × en cosine similarities with the chosen pairs over them.

matplotlib is imported only inside :func:`plot`.
"""

from __future__ import annotations

import math
from os import PathLike
from typing import Any

from .html import doubt

# The corpus object sits above this module, which only reads it.
AlignedCorpus = Any

MAX_PLOT_CELLS = 4_000_000
"""Largest similarity matrix :func:`plot` draws (2000 × 2000); zoom with ``window=``."""

BOXES_UP_TO = 150
"""Up to this many sentences on the longer side each pair is drawn as a box; beyond,
boxes would merge into one line over the cells, so the path is drawn as a thin
line and only doubtful pairs are marked."""


def _window(corpus: "AlignedCorpus", window: tuple[int, int] | None) -> list:
    """The beads to draw: all, or those from the first to the last touching
    Japanese sentences ``window[0] .. window[1] - 1`` (0-1 pairs between them included)."""
    beads = corpus.beads
    if window is None:
        return beads
    start, end = window
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        raise ValueError(f"window must be (ja_start, ja_end) with 0 <= ja_start < ja_end, "
                         f"got {window!r}")
    touching = [k for k, (a, _, _) in enumerate(beads) if any(start <= i < end for i in a)]
    if not touching:
        raise ValueError(f"no pair of this corpus has Japanese sentences {start}..{end - 1} "
                         f"(it has {len(corpus.ja_sentences)})")
    return beads[touching[0]:touching[-1] + 1]


def plot(corpus: "AlignedCorpus", path: str | PathLike | None = None, *, ax: Any = None,
         window: tuple[int, int] | None = None, low_confidence: float = 0.5,
         cmap: str = "viridis", title: str | None = None, dpi: int = 150) -> Any:
    """Draw the ja × en cosine-similarity matrix with the corpus' pairs over it.

    Rows are Japanese sentences, columns English ones, limited to the
    sentences the pairs cover; ``window=(ja_start, ja_end)`` zooms to the pairs
    of those Japanese sentences (so does ``corpus[10:30].plot()``). Short
    stretches draw each pair as a red box; long ones (over :data:`BOXES_UP_TO`
    sentences) draw the path as a thin line and mark only the pairs whose
    confidence (or score, when unknown) is below ``low_confidence``, so the
    cells stay visible. 1-0 and 0-1 pairs are red ticks on their side's axis.

    Returns the matplotlib Figure, already closed in pyplot: a notebook shows it
    once (as a cell's last line, or with ``display(fig)``), and nothing is left
    for ``plt.show()`` to draw twice. Pass ``ax`` to draw into your own figure.
    Needs ``corpus.embeddings``: corpora from :func:`jp_en_align.align` have
    them; for others call ``corpus.embed()`` first.

    Example:
        >>> fig = plot(corpus, "out/heatmap.png", window=(0, 40))   # doctest: +SKIP
    """
    if corpus.embeddings is None:
        raise ValueError("this corpus has no sentence embeddings to plot (corpora read from files "
                         "do not keep them): call corpus.embed() first, or align with "
                         "jp_en_align.align(), which keeps them")
    beads = _window(corpus, window)
    ja_ids = [i for a, _, _ in beads for i in a]
    en_ids = [j for _, b, _ in beads for j in b]
    if not ja_ids or not en_ids:
        raise ValueError("nothing to plot: the corpus needs sentences on both sides")
    ja0, ja1 = min(ja_ids), max(ja_ids) + 1
    en0, en1 = min(en_ids), max(en_ids) + 1
    if (ja1 - ja0) * (en1 - en0) > MAX_PLOT_CELLS:
        raise ValueError(f"a {ja1 - ja0} × {en1 - en0} matrix is too big to plot; zoom in, "
                         "e.g. corpus.plot(window=(0, 500))")

    import numpy as np

    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plot() needs matplotlib: pip install 'jp-en-align[plot]'") from None
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    ja_vecs, en_vecs = (np.asarray(v, dtype=np.float32) for v in corpus.embeddings)
    sim = ja_vecs[ja0:ja1] @ en_vecs[en0:en1].T
    own_figure = ax is None
    if own_figure:
        size = min(10.0, 3.0 + 0.25 * max(ja1 - ja0, en1 - en0))
        fig, ax = plt.subplots(figsize=(size * 1.1, size))
    else:
        fig = ax.figure
    extent = (en0 - 0.5, en1 - 0.5, ja1 - 0.5, ja0 - 0.5)
    image = ax.imshow(sim, cmap=cmap, vmin=min(0.0, float(sim.min())), vmax=1.0,
                      extent=extent, interpolation="nearest", aspect="auto")
    fig.colorbar(image, ax=ax, label="cosine similarity")
    boxes = max(ja1 - ja0, en1 - en0) <= BOXES_UP_TO
    view = corpus._view(beads)
    path_x, path_y, doubtful, alone_ja, alone_en = [], [], [], [], []
    for pair in view:
        a, b = pair.ja_ids, pair.en_ids
        if a and b:
            if boxes:
                ax.add_patch(Rectangle((min(b) - 0.5, min(a) - 0.5), len(b), len(a),
                                       fill=False, edgecolor="red", linewidth=1.5))
            else:
                path_x.append((min(b) + max(b)) / 2)
                path_y.append((min(a) + max(a)) / 2)
                sure = doubt(pair)
                if not math.isnan(sure) and sure < low_confidence:
                    doubtful.append((path_x[-1], path_y[-1]))
        else:
            (alone_ja if a else alone_en).extend(a or b)
    tick = 6 if boxes else 3
    if alone_ja:  # 1-0: ticks on the Japanese (left) axis
        ax.plot([en0 - 0.5] * len(alone_ja), alone_ja, marker=">", markersize=tick, color="red",
                linestyle="none", clip_on=False)
    if alone_en:  # 0-1: ticks on the English (top) axis
        ax.plot(alone_en, [ja0 - 0.5] * len(alone_en), marker="v", markersize=tick, color="red",
                linestyle="none", clip_on=False)
    if path_x:
        ax.plot(path_x, path_y, color="white", linewidth=0.8, alpha=0.8, label="alignment path")
    if doubtful:
        xs, ys = zip(*doubtful)
        measure = "confidence" if corpus.confidence else "score"
        ax.scatter(xs, ys, s=28, facecolors="none", edgecolors="red", linewidths=1.2,
                   label=f"{len(doubtful)} pairs with {measure} < {low_confidence:g}", zorder=3)
    if path_x:
        ax.legend(loc="lower left", fontsize="small")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("English sentence")
    ax.set_ylabel("Japanese sentence")
    encoder = corpus.meta.get("encoder")
    ax.set_title(title or f"{len(view)} pairs" + (f" ({encoder})" if encoder else ""))
    if path is not None:
        fig.savefig(path, dpi=dpi, bbox_inches="tight")
    if own_figure:
        plt.close(fig)  # the caller holds the figure; pyplot must not draw it a second time
    return fig
