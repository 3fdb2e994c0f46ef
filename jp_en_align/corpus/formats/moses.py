"""Moses-style parallel text: ``PREFIX.ja`` and ``PREFIX.en``, line k of one
translating line k of the other (what MT training tools read).

Line breaks inside a text become spaces (a line is a segment). 1-0/0-1 pairs
are left out by default, because an empty line on one side is noise to MT
training; ``skip_unaligned=False`` keeps them as empty lines.

Example:
    >>> from jp_en_align.corpus import AlignedCorpus
    >>> corpus = AlignedCorpus.from_texts(["猫。", "犬。"], ["Cat."], [((0,), (0,), 0.9), ((1,), (), 0.0)])
    >>> ja_path, en_path = corpus.to_moses(tmp / "train")         # doctest: +SKIP
    >>> open(ja_path).read(), open(en_path).read()                # doctest: +SKIP
    ('猫。\\n', 'Cat.\\n')
"""

from __future__ import annotations

import os
import re
from os import PathLike
from typing import Any

from .common import Format, emit

# Writers take an AlignedCorpus but do not import it: the object sits above them.
AlignedCorpus = Any


def one_line(text: str) -> str:
    """``text`` with every kind of line break replaced by a space."""
    return re.sub(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", " ", text)


def write_moses(corpus: "AlignedCorpus", prefix: str | PathLike, *, ja_ext: str = "ja",
                en_ext: str = "en", min_score: float | None = None,
                skip_unaligned: bool = True) -> tuple[str, str]:
    """Write ``PREFIX.ja`` and ``PREFIX.en`` (UTF-8, one pair a line); return the two paths.

    Example:
        >>> corpus.to_moses("out/train", min_score=0.6)   # doctest: +SKIP
        ('out/train.ja', 'out/train.en')
    """
    pairs = list(corpus.filter(min_score=min_score, skip_unaligned=skip_unaligned))
    prefix = os.fspath(prefix)
    paths = (f"{prefix}.{ja_ext}", f"{prefix}.{en_ext}")
    emit("".join(one_line(p.ja) + "\n" for p in pairs), paths[0])
    emit("".join(one_line(p.en) + "\n" for p in pairs), paths[1])
    return paths


#: not one text file (two, from a prefix): no streaming writer, so a collection
#: is not exported to it; write_moses writes it
FORMAT = Format("moses", (), "PREFIX.ja and PREFIX.en, line-aligned plain text for MT "
                "training (the output is a prefix)", None, skip_unaligned=True)
