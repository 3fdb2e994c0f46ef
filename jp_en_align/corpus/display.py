"""Showing a corpus to people: a text table, an HTML table for notebooks, a heatmap.

matplotlib is imported only inside :func:`plot`.
"""

from __future__ import annotations

import html
import math
import unicodedata
from os import PathLike
from typing import Any

# The corpus object sits above this module, which only reads it.
AlignedCorpus = Any


# -- text -----------------------------------------------------------------------

def _cell_width(ch: str) -> int:
    """Terminal columns a character takes: Japanese characters take two."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns (with '…') and padded to exactly that width.

    Example:
        >>> clip("日本語の文", 7) + "|"
        '日本語…|'
    """
    text = " ".join(text.split())  # a table row must stay on one line
    out, used = [], 0
    total = sum(_cell_width(c) for c in text)
    limit = width if total <= width else width - 1
    for ch in text:
        w = _cell_width(ch)
        if used + w > limit:
            break
        out.append(ch)
        used += w
    if total > width:
        out.append("…")
        used += 1
    return "".join(out) + " " * (width - used)


#: meta entries that describe a run rather than the settings (they change from
#: run to run), left out of the printed settings line.
_NOT_SETTINGS = ("timings",)


def _setting(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def settings_line(meta: dict[str, Any]) -> str:
    """``key=value`` for each setting in ``meta`` (nested dicts flattened one level,
    floats to 4 significant digits), like sacrebleu's signature.

    Example:
        >>> settings_line({"encoder": "usem3", "params": {"max_bead": 5, "margin": 0.123456}})
        'encoder=usem3 max_bead=5 margin=0.1235'
    """
    parts = []
    for key, value in meta.items():
        if key in _NOT_SETTINGS:
            continue
        if isinstance(value, dict):
            parts.extend(f"{k}={_setting(v)}" for k, v in value.items())
        else:
            parts.append(f"{key}={_setting(value)}")
    return " ".join(parts)


def text_table(corpus: "AlignedCorpus", max_rows: int | None = 40, text_width: int = 36) -> str:
    """The corpus as a plain-text table under a line with its counts and settings.

    Long corpora show the first and last rows and how many were left out; pass
    ``max_rows=None`` for all of them.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)], {"encoder": "usem3"})
        >>> print(text_table(c))                        # doctest: +NORMALIZE_WHITESPACE
        AlignedCorpus: 1 pairs (1-1: 1) | 1 ja / 1 en sentences
        settings: encoder=usem3
            #  ja  en  kind  score  japanese                              english
            0  0   0   1-1   0.900  猫。                                  Cat.
    """
    kinds = ", ".join(f"{k}: {n}" for k, n in corpus.kind_counts().items())
    head = (f"AlignedCorpus: {len(corpus)} pairs ({kinds}) | {len(corpus.ja_sentences)} ja / "
            f"{len(corpus.en_sentences)} en sentences")
    settings = settings_line(corpus.meta)
    lines = [head] + ([f"settings: {settings}"] if settings else [])
    ids = lambda t: ",".join(map(str, t)) or "-"
    rows = [(str(k), ids(p.ja_ids), ids(p.en_ids), p.kind,
             "" if math.isnan(p.score) else f"{p.score:.3f}", p.ja, p.en)
            for k, p in enumerate(corpus)]
    hidden = 0
    if max_rows is not None and len(rows) > max_rows:
        hidden = len(rows) - max_rows
        rows = rows[:max_rows - max_rows // 4] + [None] + rows[len(rows) - max_rows // 4:]
    widths = [max([len(h)] + [len(r[c]) for r in rows if r]) for c, h in
              enumerate(("#", "ja", "en", "kind", "score"))]
    fmt = lambda r: "  ".join([r[0].rjust(widths[0] + 3)] +
                              [v.ljust(w) for v, w in zip(r[1:5], widths[1:])] +
                              [clip(r[5], text_width), clip(r[6], text_width).rstrip()])
    lines.append(fmt(("#", "ja", "en", "kind", "score", "japanese", "english")))
    for r in rows:
        lines.append(fmt(r) if r else f"    … {hidden} more pairs (corpus[a:b] or to_dataframe() shows them)")
    return "\n".join(line.rstrip() for line in lines)


# -- HTML -----------------------------------------------------------------------

_CSS = ("<style>.jpea td,.jpea th{text-align:left;vertical-align:top;padding:2px 6px}"
        ".jpea tr.unaligned td{background:#fdecea;color:#8a1c12}"
        ".jpea td.num{text-align:right;font-variant-numeric:tabular-nums}</style>")


def _score_cell(score: float) -> str:
    """A score cell shaded green in proportion to the score (0 → white, 1 → green)."""
    if math.isnan(score):
        return '<td class="num">–</td>'
    alpha = min(max(score, 0.0), 1.0)
    return (f'<td class="num" style="background:rgba(46,160,67,{alpha:.2f})">{score:.3f}</td>')


def html_table(corpus: "AlignedCorpus", max_rows: int = 60) -> str:
    """The corpus as an HTML table (what a notebook shows): scores shaded green,
    1-0/0-1 rows marked red, long corpora cut to ``max_rows`` with a count of the rest.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> c = AlignedCorpus.from_texts(["猫。"], ["<Cat>"], [((0,), (0,), 0.9)])
        >>> "&lt;Cat&gt;" in html_table(c)
        True
    """
    esc = html.escape
    summary = corpus.summary()
    kinds = ", ".join(f"{k}: {n}" for k, n in summary.kinds.items())
    caption = (f"AlignedCorpus: {summary.pairs} pairs ({esc(kinds)}), "
               f"{summary.ja_sentences} ja / {summary.en_sentences} en sentences")
    settings = settings_line(corpus.meta)
    parts = [_CSS, f'<table class="jpea"><caption>{caption}'
             + (f"<br><small>{esc(settings)}</small>" if settings else "") + "</caption>",
             "<thead><tr><th>#</th><th>ja ids</th><th>en ids</th><th>kind</th><th>score</th>"
             "<th>ja</th><th>en</th></tr></thead><tbody>"]
    for k, pair in enumerate(corpus):
        if k == max_rows:
            break
        cls = "" if pair.is_aligned else ' class="unaligned" title="no counterpart"'
        ja = esc(pair.ja) if pair.ja_ids else "<em>(none)</em>"
        en = esc(pair.en) if pair.en_ids else "<em>(none)</em>"
        parts.append(f"<tr{cls}><td class=\"num\">{k}</td><td>{esc(str(list(pair.ja_ids)))}</td>"
                     f"<td>{esc(str(list(pair.en_ids)))}</td><td>{pair.kind}</td>"
                     f"{_score_cell(pair.score) if pair.is_aligned else '<td class=num>–</td>'}"
                     f"<td lang=\"ja\">{ja}</td><td lang=\"en\">{en}</td></tr>")
    if len(corpus) > max_rows:
        parts.append(f'<tr><td colspan="7"><em>… {len(corpus) - max_rows} more pairs not shown '
                     f"(slice the corpus or use to_dataframe())</em></td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


# -- heatmap --------------------------------------------------------------------

MAX_PLOT_CELLS = 4_000_000
"""Largest similarity matrix :func:`plot` draws (2000 × 2000); slice bigger corpora."""


def plot(corpus: "AlignedCorpus", path: str | PathLike | None = None, *, ax: Any = None,
         cmap: str = "viridis", title: str | None = None, dpi: int = 150) -> Any:
    """Draw the ja × en cosine-similarity matrix with the corpus' pairs boxed in red.

    Rows are Japanese sentences, columns English ones, limited to the
    sentences the corpus' pairs cover (so ``corpus[10:30].plot()`` zooms in).
    1-0 and 0-1 pairs are marked with red ticks on the axis of their side.
    Needs ``corpus.embeddings``: corpora from :func:`jp_en_align.align` have
    them; for others call ``corpus.embed()`` first.

    Example:
        >>> fig = plot(corpus, "out/heatmap.png")   # doctest: +SKIP
    """
    if corpus.embeddings is None:
        raise ValueError("this corpus has no sentence embeddings to plot (corpora read from files "
                         "do not keep them): call corpus.embed() first, or align with "
                         "jp_en_align.align(), which keeps them")
    ja_ids = [i for a, _, _ in corpus.beads for i in a]
    en_ids = [j for _, b, _ in corpus.beads for j in b]
    if not ja_ids or not en_ids:
        raise ValueError("nothing to plot: the corpus needs sentences on both sides")
    ja0, ja1 = min(ja_ids), max(ja_ids) + 1
    en0, en1 = min(en_ids), max(en_ids) + 1
    if (ja1 - ja0) * (en1 - en0) > MAX_PLOT_CELLS:
        raise ValueError(f"a {ja1 - ja0} × {en1 - en0} matrix is too big to plot; "
                         "plot a slice, e.g. corpus[:200].plot()")

    import numpy as np

    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plot() needs matplotlib: pip install 'jp-en-align[plot]'") from None
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    ja_vecs, en_vecs = (np.asarray(v, dtype=np.float32) for v in corpus.embeddings)
    sim = ja_vecs[ja0:ja1] @ en_vecs[en0:en1].T
    if ax is None:
        size = min(12.0, 3.0 + 0.25 * max(ja1 - ja0, en1 - en0))
        fig, ax = plt.subplots(figsize=(size * 1.1, size))
    else:
        fig = ax.figure
    extent = (en0 - 0.5, en1 - 0.5, ja1 - 0.5, ja0 - 0.5)
    image = ax.imshow(sim, cmap=cmap, vmin=min(0.0, float(sim.min())), vmax=1.0,
                      extent=extent, interpolation="nearest", aspect="auto")
    fig.colorbar(image, ax=ax, label="cosine similarity")
    for a, b, _ in corpus.beads:
        if a and b:
            ax.add_patch(Rectangle((min(b) - 0.5, min(a) - 0.5), len(b), len(a),
                                   fill=False, edgecolor="red", linewidth=1.5))
        elif a:  # 1-0: a tick on the Japanese (left) axis
            ax.plot([en0 - 0.5] * len(a), a, marker=">", color="red", linestyle="none",
                    clip_on=False)
        else:    # 0-1: a tick on the English (top) axis
            ax.plot(b, [ja0 - 0.5] * len(b), marker="v", color="red", linestyle="none",
                    clip_on=False)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("English sentence")
    ax.set_ylabel("Japanese sentence")
    encoder = corpus.meta.get("encoder")
    ax.set_title(title or f"{len(corpus)} pairs" + (f" ({encoder})" if encoder else ""))
    if path is not None:
        fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return fig

