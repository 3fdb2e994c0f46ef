"""All cores of one machine: a pool of worker processes, each with its own encoder.

Work is handed out by batches of documents (a few small documents, or one
large one, per batch), at most a few batches ahead per process, so the
driver holds only report rows however large the collection. Each process
loads the encoder once (in its initializer) and keeps ``threads`` cores for
it; results go straight from the worker to the output folder.

Processes are started with ``spawn``: a fresh interpreter, no copy of the
driver's memory or threads (fork and BLAS thread pools do not mix). They do
not import the caller's script (``__main__``): nothing they run lives there,
so a script without the ``if __name__ == "__main__":`` guard works too.

Faults:

* **A worker that dies** (killed, out of memory) breaks the pool. The
  documents it held are not lost: the pool is made again and the documents
  that were in flight are aligned again one per batch; those in flight at a
  second death, one at a time. A document that kills its worker when it is
  alone is recorded as that document's failure, and the run goes on.
* **Workers die with the driver**: each asks the kernel for ``SIGKILL`` when
  its parent dies (``prctl(PR_SET_PDEATHSIG)`` on Linux) and a watchdog
  thread checks its parent every second elsewhere, so a killed driver leaves
  no process behind (nor one holding its stdout).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from .store import OutputFolder, ReportRow
from .worker import Settings, Task, align_batch, get_aligner, pin_to_cores

LOST = ("its worker process died while aligning it, alone (killed, or out of memory: "
        "a document too large for this machine?)")


def die_with_parent(parent: int) -> None:
    """End this process when process ``parent`` ends (see the module's notes)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watchdog remains
            pass
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="jp-en-align-parent-watch", daemon=True).start()


def _start_worker(counter: Any, ready: Any, settings: Settings, threads: int, parent: int) -> None:
    die_with_parent(parent)
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    pin_to_cores(index, threads)
    get_aligner(settings)  # load the encoder now, once, not in the first task
    with ready.get_lock():
        ready.value += 1


@contextlib.contextmanager
def main_module_hidden() -> Iterator[None]:
    """While the pool starts processes, ``spawn`` does not re-run the caller's
    script in them: it runs a script's ``__main__`` (by ``__file__`` or
    ``__spec__``) in each child, where a script without the ``__main__`` guard
    would start a pool of its own and fail. Nothing the workers run is there."""
    main = sys.modules.get("__main__")
    saved = dict(vars(main)) if main is not None else {}
    if main is not None:
        main.__spec__ = None
        if "__file__" in saved:
            del main.__file__
    try:
        yield
    finally:
        if main is not None:
            main.__spec__ = saved.get("__spec__")
            if "__file__" in saved:
                main.__file__ = saved["__file__"]


def _lost(task: Task, store: OutputFolder) -> ReportRow:
    row = ReportRow(task.document.doc_id, "failed", error=LOST, key=task.key)
    store.write_failure(task.key, row)
    return row


def run_in_processes(batches: Iterable[list[Task]], settings: Settings, out_dir: str, *,
                     workers: int, threads: int,
                     on_done: Callable[[list[ReportRow]], None]) -> None:
    """Align the batches on ``workers`` processes of ``threads`` encoder threads;
    ``on_done`` gets each batch's rows as it finishes (in completion order)."""
    context = multiprocessing.get_context("spawn")
    counter, ready = context.Value("i", 0), context.Value("i", 0)
    store = OutputFolder(out_dir)
    fresh = iter(batches)
    # batches to run again after a death: 0 as they were, 1 one document each, 2 alone
    queues: dict[int, deque[list[Task]]] = {0: deque(), 1: deque(), 2: deque()}
    limits = {0: 3 * workers, 1: workers, 2: 1}  # in flight: enough to keep every process busy
    with main_module_hidden():
        while True:
            started = ready.value
            pending: dict[Future, tuple[list[Task], int]] = {}
            pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                       initargs=(counter, ready, settings, threads, os.getpid()))
            try:
                _drive(pool, pending, fresh, queues, limits, settings, out_dir, on_done)
                return
            except BrokenProcessPool:
                if ready.value == started:  # not one worker got ready: it is no document's fault
                    raise RuntimeError(
                        "the worker processes died while starting (loading the encoder): "
                        "run with workers=1 (--workers 1) to see the error") from None
                for future, (batch, level) in pending.items():
                    if future.done() and not future.cancelled() and future.exception() is None:
                        on_done(future.result())
                    elif level == 2:
                        on_done([_lost(batch[0], store)])
                    else:
                        queues[level + 1].extend([task] for task in batch)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)


def _drive(pool: ProcessPoolExecutor, pending: dict[Future, tuple[list[Task], int]],
           fresh: Iterator[list[Task]], queues: dict[int, deque[list[Task]]],
           limits: dict[int, int], settings: Settings, out_dir: str,
           on_done: Callable[[list[ReportRow]], None]) -> None:
    """Submit every batch, most suspect first; raises BrokenProcessPool if a worker dies."""

    def collect(how: str) -> None:
        done, _ = wait(list(pending), return_when=how)
        for future in done:
            rows = future.result()  # BrokenProcessPool if a worker died
            del pending[future]
            on_done(rows)

    while True:
        level = next((k for k in (2, 1, 0) if queues[k]), None)
        if level is not None:
            batch = queues[level].popleft()
        else:
            level, batch = 0, next(fresh, None)
            if batch is None:
                break
        try:
            while pending and (level == 2 or len(pending) >= limits[level]):
                collect(ALL_COMPLETED if level == 2 else FIRST_COMPLETED)  # alone: others first
            future = pool.submit(align_batch, batch, settings, out_dir)
        except BrokenProcessPool:
            queues[level].appendleft(batch)  # not run yet: no suspicion
            raise
        pending[future] = (batch, level)
        if level == 2:
            collect(ALL_COMPLETED)
    while pending:
        collect(ALL_COMPLETED)
