"""The Aligner's options, checked once at the entrance (``Aligner``, ``align``,
``align_many`` and the command line alike), before any encoder is loaded or
any document read: a wrong value is a ``TypeError``/``ValueError`` naming the
option, what it got and what it takes, never a failure deep in the search.

Example:
    >>> check_options({"max_bead": 4, "band_width": 8})
    >>> try:
    ...     check_options({"max_bead": 10**9})
    ... except ValueError as e:
    ...     print(str(e).split(";")[0])
    max_bead is 1000000000
"""

from __future__ import annotations

import math
import numbers
import os
from typing import Any

from .scoring import ScoringParams

#: the largest ``max_bead``: 12 already allows 11-1 and 6-6 (66 bead types);
#: the search's memory grows with the number of types (a square of max_bead)
MAX_BEAD = 12
#: the widest band: wider is a full grid for any real document anyway
MAX_BAND_WIDTH = 10_000

#: every option of :class:`~jp_en_align.aligner.aligner.Aligner` besides ``model``
OPTIONS = ("max_bead", "src_lang", "tgt_lang", "cache_dir", "batch_size", "show_progress_bar",
           "band_width", "candidate_margin", "scoring", "device")


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _int(name: str, value: Any, low: int, high: int, example: str) -> None:
    if not _is_int(value):
        raise TypeError(f"{name} is {value!r} ({type(value).__name__}); give an int, "
                        f"e.g. {name}={example}")
    if not low <= value <= high:
        raise ValueError(f"{name} is {value!r}; it must be an int from {low} to {high}, "
                         f"e.g. {name}={example}")


def check_options(options: dict[str, Any], caller: str = "Aligner") -> None:
    """Raise ``TypeError`` for an unknown option or a value of the wrong type,
    ``ValueError`` for a value out of range."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"{caller}() got an unknown option {unknown[0]!r}; the aligner's "
                        f"options are {', '.join(OPTIONS)}")
    if "max_bead" in options:
        value = options["max_bead"]
        if _is_int(value) and value > MAX_BEAD:
            raise ValueError(f"max_bead is {value!r}; it must be at most {MAX_BEAD} (the "
                             "search's memory grows with its square; 6, the default, allows "
                             "5-1 and 3-3)")
        _int("max_bead", value, 2, MAX_BEAD, "6")
    if "band_width" in options:
        _int("band_width", options["band_width"], 2, MAX_BAND_WIDTH, "8")
    if "batch_size" in options:
        _int("batch_size", options["batch_size"], 1, 1_000_000, "64")
    if "candidate_margin" in options:
        value = options["candidate_margin"]
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"candidate_margin is {value!r} ({type(value).__name__}); give a "
                            "number, e.g. candidate_margin=3.0")
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"candidate_margin is {value!r}; it must be a finite number >= 0, "
                             "e.g. candidate_margin=3.0")
    for name in ("src_lang", "tgt_lang"):
        if name in options and not (isinstance(options[name], str) and options[name]):
            raise TypeError(f"{name} is {options[name]!r}; give a language code, e.g. 'ja'")
    if options.get("scoring") is not None and not isinstance(options["scoring"], ScoringParams):
        raise TypeError(f"scoring is {options['scoring']!r} ({type(options['scoring']).__name__});"
                        " give a ScoringParams (jp_en_align.aligner.scoring) or None")
    if options.get("show_progress_bar") not in (None, True, False):
        raise TypeError(f"show_progress_bar is {options['show_progress_bar']!r}; give True, "
                        "False or None (automatic)")
    if options.get("device") is not None and not isinstance(options["device"], str):
        raise TypeError(f"device is {options['device']!r}; give a string such as 'cpu' or 'cuda'")
    cache_dir = options.get("cache_dir")
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise TypeError(f"cache_dir is {cache_dir!r}; give a folder (str or Path)")
