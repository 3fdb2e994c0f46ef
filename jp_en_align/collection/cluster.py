"""A Dask cluster (``dask.distributed``): the same batches, run by Dask's workers.

* **The model lives on the workers.** A worker plugin loads the encoder once
  when a worker starts (and on every worker that joins later); tasks reuse
  it. Nothing heavy travels.
* **What travels per task:** a batch of :class:`~jp_en_align.collection.worker.Task`
  (document id, key, and file paths, or the text if the caller gave text)
  and the settings, a few hundred bytes; back comes the report rows. The
  aligned document itself is written by the worker into the output folder,
  which must be shared storage (NFS, a mounted bucket) that the driver reads.
* **A lost worker** costs its running batches: Dask reruns them elsewhere
  (``retries``). A rerun writes the same file names, atomically, so nothing is
  duplicated; the driver merges by key in input order.

Dask is imported only by this module, which :func:`~jp_en_align.collection.many.align_many`
imports only when ``client=`` or a scheduler address is given:
``pip install 'jp-en-align[dask]'``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

try:
    import distributed
except ImportError:  # pragma: no cover - the dask extra is not installed
    raise ImportError("running on a Dask cluster needs dask.distributed: "
                      "pip install 'jp-en-align[dask]'") from None

from .store import ReportRow
from .worker import Settings, Task, align_batch, get_aligner, pin_to_cores

PLUGIN_NAME = "jp-en-align-aligner"


def connect(scheduler: str) -> Any:
    """A Client for the scheduler at ``scheduler`` (e.g. ``"tcp://10.0.0.5:8786"``)."""
    try:
        return distributed.Client(scheduler, timeout="20s")
    except OSError as e:
        raise OSError(f"cannot reach the Dask scheduler at {scheduler!r}: {e}") from None


class AlignerPlugin(distributed.WorkerPlugin):
    """Loads the aligner on every worker as it starts (Dask calls ``setup`` on
    each worker, and on workers that join later). ``threads`` pins each worker
    process to that many cores (None: as many as the worker has Dask threads)."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings, threads: int | None = None) -> None:
        self.settings = settings
        self.threads = threads

    def setup(self, worker: Any) -> None:
        # The encoder takes one thread per core this process may use. Unpinned,
        # two workers of a LocalCluster on 2 cores would each take both and
        # fight (5-8x slower): without ``threads``, a worker keeps as many
        # cores as Dask gave it threads (all of them for one worker a machine).
        threads = self.threads or getattr(getattr(worker, "state", worker), "nthreads", 0)
        if threads:
            name = worker.name
            index = name if isinstance(name, int) else sum(map(ord, str(name)))
            pin_to_cores(index, threads)
        get_aligner(self.settings)


def run_on_dask(client: Any, batches: Iterable[list[Task]], settings: Settings, out_dir: str, *,
                threads: int | None, on_done: Callable[[list[ReportRow]], None],
                retries: int = 3) -> None:
    """Align the batches on the cluster behind ``client``; ``on_done`` gets each
    batch's rows as it finishes. At most a few batches per worker are in flight,
    so neither the driver nor the scheduler holds the whole collection."""
    client.register_plugin(AlignerPlugin(settings, threads), name=PLUGIN_NAME)
    ahead = 3 * max(1, len(client.scheduler_info().get("workers", {})))
    results = distributed.as_completed()
    in_flight = 0
    for batch in batches:
        # pure=False: a retried or repeated batch is the same work, but its
        # files are named by document key, so running it twice is harmless.
        results.add(client.submit(align_batch, batch, settings, out_dir, retries=retries,
                                  pure=False))
        in_flight += 1
        while in_flight >= ahead:
            on_done(next(results).result())
            in_flight -= 1
    for future in results:
        on_done(future.result())
