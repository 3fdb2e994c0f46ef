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

from .store import OutputFolder, ReportRow
from .worker import Settings, Task, align_batch, get_aligner, pin_to_cores

PLUGIN_NAME = "jp-en-align-aligner"


#: how long a run waits for a first worker on a cluster that has none
WORKER_WAIT_SECONDS = 30.0
#: how long the address may take to accept a connection and speak
PROBE_SECONDS = 5.0


def probe(scheduler: str, seconds: float = PROBE_SECONDS) -> None:
    """Check, in seconds at most, that ``scheduler`` is a Dask scheduler: the
    port accepts a connection and at once sends what Dask's TCP protocol starts
    with (the 8-byte length of a small header). A refused port, a host that
    does not answer, or a server speaking another protocol (SSH, HTTP) is an
    ``OSError`` saying so, not a 20-second wait or numpy's "Unable to allocate
    2.82 EiB"."""
    import socket
    import struct
    from urllib.parse import urlsplit

    url = urlsplit(scheduler if "://" in scheduler else f"tcp://{scheduler}")
    if url.scheme != "tcp":
        return  # tls://, inproc://, ...: left to Dask
    try:
        host, port = url.hostname, url.port or 8786
    except ValueError:
        raise OSError(f"{scheduler!r} is not a scheduler address: give host:port, "
                      "e.g. tcp://10.0.0.5:8786") from None
    try:
        with socket.create_connection((host, port), timeout=seconds) as sock:
            sock.settimeout(seconds)
            head = b""
            while len(head) < 8:
                chunk = sock.recv(64)
                if not chunk:
                    break
                head += chunk
    except socket.timeout:
        raise OSError(f"the Dask scheduler at {scheduler!r} did not answer within {seconds:g} s: "
                      "is this the scheduler's port (8786 by default)?") from None
    except OSError as e:
        raise OSError(f"cannot reach the Dask scheduler at {scheduler!r}: "
                      f"{e.strerror or e}; is it running (dask scheduler)?") from None
    if len(head) < 8 or struct.unpack("<Q", head[:8])[0] > 1 << 20:
        shown = head.split(b"\r")[0].split(b"\n")[0][:40].decode("ascii", "replace")
        raise OSError(f"{scheduler!r} is not a Dask scheduler (it answered {shown!r}): give the "
                      "address `dask scheduler` prints, e.g. tcp://10.0.0.5:8786")


def connect(scheduler: str) -> Any:
    """A Client for the scheduler at ``scheduler`` (e.g. ``"tcp://10.0.0.5:8786"``),
    checked first with :func:`probe`."""
    probe(scheduler)
    try:
        return distributed.Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise OSError(f"cannot reach the Dask scheduler at {scheduler!r}: {e}") from None


def wait_for_workers(client: Any, seconds: float | None = None) -> int:
    """The number of workers of the cluster, waiting up to ``seconds`` for a
    first one; a ``RuntimeError`` saying how to start one if none comes."""
    seconds = WORKER_WAIT_SECONDS if seconds is None else seconds
    workers = len(client.scheduler_info().get("workers", {}))
    if workers:
        return workers
    try:
        client.wait_for_workers(1, timeout=seconds)
    except (TimeoutError, OSError):
        address = getattr(client.scheduler, "address", "the scheduler")
        raise RuntimeError(f"the Dask cluster at {address} has no workers (waited "
                           f"{seconds:g} s): start some, e.g. dask worker {address}") from None
    return len(client.scheduler_info().get("workers", {}))


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
    so neither the driver nor the scheduler holds the whole collection.

    A batch Dask gives up on (``KilledWorker``: its workers kept dying; or a
    lost connection) is sent again one document per task; a document that
    fails that way alone is recorded as its failure, and the run goes on."""
    ahead = 3 * wait_for_workers(client)
    client.register_plugin(AlignerPlugin(settings, threads), name=PLUGIN_NAME)
    store = OutputFolder(out_dir)
    results = distributed.as_completed()
    batch_of: dict[Any, list[Task]] = {}

    def submit(batch: list[Task]) -> None:
        # pure=False: a retried or repeated batch is the same work, but its
        # files are named by document key, so running it twice is harmless.
        future = client.submit(align_batch, batch, settings, out_dir, retries=retries, pure=False)
        batch_of[future] = batch
        results.add(future)

    def finish(future: Any) -> None:
        batch = batch_of.pop(future)
        try:
            rows = future.result()
        except Exception as e:  # the work, not the document, failed: never aligned here
            if len(batch) > 1:
                for task in batch:
                    submit([task])
                return
            reason = f"lost on the cluster ({type(e).__name__}: {str(e).splitlines()[0][:200]})"
            rows = [ReportRow(batch[0].document.doc_id, "failed", error=reason, key=batch[0].key)]
            store.write_failure(batch[0].key, rows[0])
        on_done(rows)

    for batch in batches:
        submit(batch)
        while len(batch_of) >= ahead:
            finish(next(results))
    while batch_of:
        finish(next(results))
