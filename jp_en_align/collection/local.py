"""All cores of one machine: a pool of worker processes, each with its own encoder.

Work is handed out by batches of documents (a few small documents, or one
large one, per batch), at most a few batches ahead per process, so the
driver holds only report rows however large the collection. Each process
loads the encoder once (in its initializer) and keeps ``threads`` cores for
it; results go straight from the worker to the output folder.

Processes are started with ``spawn``: a fresh interpreter, no copy of the
driver's memory or threads (fork and BLAS thread pools do not mix).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable

from .store import ReportRow
from .worker import Settings, Task, align_batch, get_aligner, pin_to_cores

_counter: Any = None  # the pool's shared counter, in each worker process


def _start_worker(counter: Any, settings: Settings, threads: int) -> None:
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    pin_to_cores(index, threads)
    get_aligner(settings)  # load the encoder now, once, not in the first task


def run_in_processes(batches: Iterable[list[Task]], settings: Settings, out_dir: str, *,
                     workers: int, threads: int,
                     on_done: Callable[[list[ReportRow]], None]) -> None:
    """Align the batches on ``workers`` processes of ``threads`` encoder threads;
    ``on_done`` gets each batch's rows as it finishes (in completion order)."""
    context = multiprocessing.get_context("spawn")
    counter = context.Value("i", 0)
    ahead = 3 * workers  # enough to keep every process busy, little to hold
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(counter, settings, threads)) as pool:
        pending: set[Future] = set()
        for batch in batches:
            pending.add(pool.submit(align_batch, batch, settings, out_dir))
            if len(pending) >= ahead:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    on_done(future.result())
        for future in pending:
            on_done(future.result())
