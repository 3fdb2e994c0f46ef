"""Components by name: how a lower stage reaches a higher one without
importing it.

The corpus can be realigned and reviewed, but the aligner and the review page
sit above it in the pipeline (imports point downward only). So the corpus
asks for them by name, and ``pyproject.toml`` declares which object each
name is (entry points of the group ``jp_en_align.components``), the way
spaCy's registries hand out components.

Example:
    >>> component("aligner").__name__
    'Aligner'
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

GROUP = "jp_en_align.components"


@lru_cache(maxsize=None)
def component(name: str) -> Any:
    """The object registered as ``name`` (loaded on first use)."""
    found = [e for e in entry_points(group=GROUP) if e.name == name]
    if not found:
        raise LookupError(f"no jp_en_align component named {name!r}: is jp-en-align installed "
                          "(pip install -e . from a checkout registers its components)?")
    return found[0].load()
