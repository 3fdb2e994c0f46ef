"""The ``[i, j]:[k]`` bead format of Vecalign, Bertalign and Text+Berg, one bead a line.

``[6, 7]:[9, 10]`` pairs source sentences 6 and 7 with target sentences 9
and 10; ``[]:[5]`` means target sentence 5 has no counterpart.

Example:
    >>> print(format_beads([((0, 1), (0,)), ((), (1,))]), end="")
    [0, 1]:[0]
    []:[1]
"""

from __future__ import annotations

import os
import re
from typing import IO, Any, Iterable, Sequence

from .common import source_name

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]
"""``(source_ids, target_ids)``: one bead without its score."""


# ASCII only: \d would take other scripts' digits, and isdigit() takes "²", which int() refuses.
_BEAD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*(\S+))?\s*$",
                        re.ASCII)
_NUMBER = re.compile(r"[0-9]+")


def parse_beads(text: str) -> list[BeadIds]:
    """Beads from text in the ``[i, j]:[k]`` format, one bead a line.

    Blank lines are skipped; a trailing ``:score`` (as Vecalign prints) is
    allowed and ignored.

    Example:
        >>> parse_beads("[0, 1]:[0]\\n[]:[1]\\n[2]:[2]:0.81\\n")
        [((0, 1), (0,)), ((), (1,)), ((2,), (2,))]
    """
    out = []
    for lineno, line in enumerate(text.split("\n"), 1):  # not splitlines(): "\x0c" ends no line
        if not line.strip():
            continue
        m = _BEAD_LINE.match(line)
        if not m or not all(_valid_ids(g) for g in m.group(1, 2)):
            raise ValueError(f"line {lineno}: {line.strip()[:60]!r} is not a bead; expected "
                             "'[i, j]:[k]' with 0-based sentence numbers, e.g. '[0, 1]:[0]'")
        out.append((_ids(m.group(1)), _ids(m.group(2))))
    return out


def _valid_ids(s: str) -> bool:
    parts = [p.strip() for p in s.split(",")]
    return parts == [""] or all(_NUMBER.fullmatch(p) for p in parts)


def _ids(s: str) -> tuple[int, ...]:
    return tuple(int(x) for x in s.split(",") if x.strip())


def format_beads(beads: Any) -> str:
    """Beads (an AlignedCorpus or ``(src_ids, tgt_ids, ...)`` items) in the
    ``[i, j]:[k]`` format, one a line.

    Example:
        >>> print(format_beads([((0, 1), (0,)), ((), (1,))]), end="")
        [0, 1]:[0]
        []:[1]
    """
    if hasattr(beads, "beads"):
        beads = beads.beads
    return "".join(f"{list(map(int, b[0]))}:{list(map(int, b[1]))}\n" for b in beads)


def read_beads(source: str | os.PathLike | IO[str]) -> list[BeadIds]:
    """Read beads in the ``[i, j]:[k]`` format from a file path or open text file.

    Example:
        >>> import io
        >>> read_beads(io.StringIO("[0]:[0, 1]\\n[1]:[]\\n"))
        [((0,), (0, 1)), ((1,), ())]
    """
    name = source_name(source)
    try:
        if hasattr(source, "read"):
            return parse_beads(source.read())
        with open(source, encoding="utf-8") as f:
            return parse_beads(f.read())
    except UnicodeDecodeError as e:
        raise ValueError(f"{name}: not UTF-8 (byte {e.object[e.start]:#04x} at offset "
                         f"{e.start}); a bead file is plain UTF-8 text") from None
    except ValueError as e:
        raise ValueError(f"{name}, {e}") from None


def write_beads(beads: Any, dest: str | os.PathLike | IO[str]) -> None:
    """Write beads (an AlignedCorpus or pairs) in the ``[i, j]:[k]`` format.

    Example:
        >>> import io
        >>> out = io.StringIO(); write_beads([((0,), (0, 1))], out); out.getvalue()
        '[0]:[0, 1]\\n'
    """
    text = format_beads(beads)
    if hasattr(dest, "write"):
        dest.write(text)
        return
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)


def check_beads(beads: Iterable[Sequence[Sequence[int]]], n_source: int, n_target: int) -> None:
    """Raise ValueError unless ``beads`` cover sentences ``0..n-1`` of each side
    exactly once, in order (a monotonic alignment).

    Example:
        >>> check_beads([((0,), (0,)), ((1,), ())], 2, 1)
        >>> check_beads([((1,), (0,))], 2, 1)
        Traceback (most recent call last):
        ...
        ValueError: bead 0 has source sentence 1 where 0 was expected: ...
    """
    nxt = [0, 0]
    for k, bead in enumerate(beads):
        for side, name in ((0, "source"), (1, "target")):
            for x in bead[side]:
                if x != nxt[side]:
                    raise ValueError(f"bead {k} has {name} sentence {x} where {nxt[side]} was "
                                     "expected: beads must cover each sentence once, in order")
                nxt[side] += 1
    for side, name, n in ((0, "source", n_source), (1, "target", n_target)):
        if nxt[side] != n:
            raise ValueError(f"beads cover {nxt[side]} {name} sentences of {n}")
