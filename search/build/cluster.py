"""A build's reading, decoding, extraction and sketching on a Dask cluster.

An archive of millions of pages takes days to extract on one machine (~60
pages a second per core); the index writer is one process and keeps up with
many more. ``connect`` yields an executor that the build stages use instead
of local worker processes (see ``pool.using``): files go out in batches as
tasks, results come back as they complete and reach the writer in corpus
order, so the index is the same as a local rebuild's, document for document.

Dask (``pip install 'newsearch[cluster]'``) runs the same code on a
``LocalCluster`` of worker processes and on a real cluster by scheduler
address. Workers read the corpus files themselves, by the paths the build
walked: on a real cluster the corpus must be mounted at the same path on
every worker (a shared file system), and newsearch installed there.

A worker that dies takes its running tasks with it; the scheduler runs them
again elsewhere (Dask's ``allowed-failures``), and each batch's result is taken
once, by its number, so an article is never lost or indexed twice. A
scheduler that goes away fails the build with ClusterError: the temporary
build is removed and the served index never changes.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, TypeVar

from ..errors import ClusterError
from ..extract.templates import Templates
from . import pool

T = TypeVar("T")

# Files per task: a task costs the scheduler ~1 ms and a round trip, a file
# 5-20 ms to extract; 32 files keep the overhead to a few per cent while a
# lost worker costs little work to redo.
BATCH_FILES = 32
# Batches queued per worker thread beyond the one it runs: enough that no
# worker waits for the next batch, few enough that the results waiting to be
# written in corpus order stay a small multiple of a batch.
QUEUED_PER_THREAD = 2
# Seconds to reach a scheduler before giving up.
CONNECT_TIMEOUT = 5


class DaskExecutor:
    """``pool.Executor`` on a Dask client."""

    def __init__(self, client: Any, batch_files: int = BATCH_FILES) -> None:
        self.client = client
        self.batch_files = batch_files

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(
        self, fn: Callable[[Any], T], items: list[Any], templates: Templates | None
    ) -> Iterator[T]:
        if not items:
            return
        try:
            yield from self._map(fn, items, templates)
        except ClusterError:
            raise
        except Exception as exc:  # lost scheduler, a task killed too often, ...
            raise ClusterError(f"the build's cluster failed: {type(exc).__name__}: {exc}") from exc

    def _map(
        self, fn: Callable[[Any], T], items: list[Any], templates: Templates | None
    ) -> Iterator[T]:
        from distributed import as_completed

        size = self.batch_files
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        shared = self.client.scatter(templates, broadcast=True) if templates is not None else None
        run = uuid.uuid4().hex[:12]
        window = self.threads() * (1 + QUEUED_PER_THREAD)
        number: dict[Any, int] = {}
        finished: dict[int, list[T]] = {}
        submitted = emitted = 0

        def submit() -> list[Any]:
            nonlocal submitted
            new = []
            while submitted < len(batches) and submitted - emitted < window:
                future = self.client.submit(
                    pool.run_batch,
                    fn,
                    batches[submitted],
                    shared,
                    key=f"newsearch-{fn.__name__}-{run}-{submitted}",
                    pure=False,
                )
                number[future] = submitted
                new.append(future)
                submitted += 1
            return new

        completed = as_completed(submit(), loop=self.client.loop)
        try:
            for future in completed:
                i = number.pop(future)
                finished[i] = future.result()
                future.release()
                while emitted in finished:
                    yield from finished.pop(emitted)
                    emitted += 1
                for more in submit():
                    completed.add(more)
        finally:
            for future in number:  # the build stopped early: free the cluster
                future.cancel()
        if emitted != len(batches):  # as_completed ended without every batch
            raise ClusterError(f"the cluster returned {emitted} of {len(batches)} batches")


@contextmanager
def connect(
    scheduler: str | None = None, workers: int | None = None, batch_files: int = BATCH_FILES
) -> Iterator[DaskExecutor]:
    """An executor on the cluster at ``scheduler`` (``tcp://host:8786``), or on a
    ``LocalCluster`` of ``workers`` processes started here and stopped after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError(
            "cluster builds need Dask distributed: pip install 'newsearch[cluster]'"
        ) from exc
    if scheduler:
        _check_reachable(scheduler)
    with ExitStack() as stack:
        try:
            if scheduler:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            else:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=workers or pool.DEFAULT_WORKERS,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",  # a free port: another may hold 8787
                    )
                )
                client = Client(cluster, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            where = scheduler or "a local cluster"
            raise ClusterError(f"cannot reach the Dask scheduler at {where}: {exc}") from exc
        stack.enter_context(client)
        executor = DaskExecutor(client, batch_files)
        with pool.using(executor):
            yield executor


def _check_reachable(address: str) -> None:
    """Fail at once, and clearly, on an address nobody listens at (Dask's client
    would retry until its timeout)."""
    scheme, _, where = address.rpartition("://")
    if scheme not in ("", "tcp", "tls"):
        return  # another transport (inproc, ucx): Dask's own client finds out
    host, _, port = where.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(f"a scheduler address looks like tcp://host:8786, not {address!r}")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}"
        ) from exc


@contextmanager
def maybe(scheduler: str | None, workers: int | None) -> Iterator[DaskExecutor | None]:
    """A cluster when asked for one (the CLI's ``--scheduler``/``--workers``), else nothing."""
    if scheduler is None and workers is None:
        yield None
        return
    with connect(scheduler, workers) as executor:
        yield executor
