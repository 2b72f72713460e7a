"""Where many independent solves run: Dask workers, on this machine's cores or on a cluster given by address.

One ``Cluster`` per command. By default it is a ``LocalCluster`` of worker *processes* (one thread each:
HiGHS runs its own threads, and a process never shares a solver with another), started on first use;
``--scheduler tcp://HOST:PORT`` (or the ``ALLOCATOR_SCHEDULER`` environment variable) connects to a
running Dask scheduler instead. With one local worker the tasks run in this process, without Dask.

``Cluster.map`` runs one function over a list of tasks and returns the results in task order, whatever
order they finish in, so a job whose tasks are fixed by its input (draw chunks, budget levels, curve
points) gives the same numbers on one process, two, or a remote cluster. A task that fails because its
worker died is run again elsewhere (``RETRIES``). Arguments shared by every task (a scenario) are sent to
the workers once. Tasks get their inputs as values (a validated scenario, arrays), never file paths:
remote workers do not share our disk.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

from .errors import SchedulerError

logger = logging.getLogger(__name__)

SCHEDULER_ENV = "ALLOCATOR_SCHEDULER"
CONNECT_TIMEOUT = 5.0
"""Seconds to reach a scheduler (and for it to have a worker) before giving up with an error naming it."""
RETRIES = 2
"""Times a task is run again after its worker is lost (or it fails)."""

_CACHES: dict[str, dict[Any, Any]] = {}


def worker_cache(name: str) -> dict[Any, Any]:
    """A dictionary that lives as long as the worker process (or this process, for inline runs).

    Tasks keep warm solver models here between calls of one job; a task that finds its entry missing
    (a new or restarted worker) rebuilds it, so the cache only ever saves time.
    """
    return _CACHES.setdefault(name, {})


def drop_cache(name: str) -> None:
    """Forget a job's cached models (run on every worker when the job ends)."""
    _CACHES.pop(name, None)


def _call(func: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    """Run a task; our own errors (bad input, infeasible, solver) come back as values, so they are not retried."""
    from .errors import AllocatorError

    try:
        return True, func(*args)
    except AllocatorError as exc:
        return False, exc


def _allocator_version() -> str:
    from . import __version__

    return __version__


class Cluster:
    """Runs a job's tasks: inline (one local worker), on a local cluster of processes, or on a scheduler at an address."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, *, timeout: float | None = None):
        self.address = scheduler or os.environ.get(SCHEDULER_ENV) or None
        if self.address and workers is not None:
            raise SchedulerError(f"--workers {workers} sizes the local cluster; with a scheduler ({self.address}) its workers decide")
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.timeout = CONNECT_TIMEOUT if timeout is None else timeout
        self._client = None
        self._local = None
        self._sent: dict[int, tuple[Any, Any]] = {}

    # -- lifecycle --------------------------------------------------------------------------------

    @property
    def inline(self) -> bool:
        """Whether tasks run in this process (no scheduler given and one local worker)."""
        return self.address is None and self.workers <= 1

    def describe(self) -> str:
        """Where the tasks run, for manifests and logs."""
        if self.address:
            return f"dask scheduler {self.address}"
        return "this process" if self.inline else f"local dask cluster of {self.workers} processes"

    def client(self):
        """The Dask client, connecting (or starting the local cluster) on first use."""
        if self._client is None:
            self._client = self._connect() if self.address else self._start_local()
        return self._client

    def _start_local(self):
        from distributed import Client, LocalCluster

        self._local = LocalCluster(
            n_workers=self.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        )
        logger.info("started a local dask cluster of %d processes", self.workers)
        return Client(self._local)

    def _connect(self):
        from distributed import Client

        address = self.address
        try:
            client = Client(address, timeout=self.timeout)
        except Exception as exc:  # OSError on timeout; other errors when something else answers on that port
            raise SchedulerError(
                f"cannot reach the dask scheduler at {address} within {self.timeout:g} s ({type(exc).__name__}: {exc}); "
                f"start one with `dask scheduler` or unset --scheduler / {SCHEDULER_ENV}"
            ) from None
        try:
            client.wait_for_workers(1, timeout=self.timeout)
            versions = client.run(_allocator_version)
        except Exception as exc:
            client.close()
            raise SchedulerError(
                f"the dask scheduler at {address} has no worker that can run allocator within {self.timeout:g} s "
                f"({type(exc).__name__}: {exc}); start workers with `dask worker {address}` where allocator is installed"
            ) from None
        wrong = {w: v for w, v in versions.items() if v != _allocator_version()}
        if wrong:
            client.close()
            raise SchedulerError(f"workers of {address} run another allocator version: {wrong} (this is {_allocator_version()})")
        logger.info("connected to %s (%d workers)", address, len(versions))
        return client

    def reach(self) -> Cluster:
        """Connect now if a scheduler was named, so an unreachable one fails before any work is done."""
        if self.address:
            self.client()
        return self

    def close(self) -> None:
        """Disconnect (and stop the local cluster, if this object started one)."""
        self._sent.clear()
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._local is not None:
            self._local.close()
            self._local = None

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cap(self, tasks: int) -> Cluster:
        """Start no more local workers than there are tasks (a job with one task then runs inline)."""
        if self.address is None and self._client is None:
            self.workers = max(1, min(self.workers, tasks))
        return self

    def worker_count(self) -> int:
        """How many workers take tasks."""
        if self.inline:
            return 1
        return max(1, len(self.client().scheduler_info().get("workers", {})))

    # -- running tasks ----------------------------------------------------------------------------

    def map(
        self,
        func: Callable[..., Any],
        tasks: Sequence[tuple[Any, ...]],
        *,
        shared: tuple[Any, ...] = (),
        progress: Callable[[int, Any], None] | None = None,
        affinity: Sequence[int] | None = None,
        threads: bool = False,
    ) -> list[Any]:
        """``[func(*shared, *task) for task in tasks]``, run as tasks; results in task order.

        ``progress(index, result)`` is called as each task finishes. ``affinity`` names, per task, a
        worker number (modulo the number of workers) to prefer, so a task can find the warm model an
        earlier task of the same job left in that worker's cache; any worker may take it if that one is busy or gone.
        ``threads`` runs a local cluster's tasks in threads of this process instead (for jobs whose solver
        calls release the GIL and whose tasks are too few to pay for starting processes).
        """
        if threads and self.address is None and self._client is None and len(tasks) > 1 and not self.inline:
            return self._map_threads(func, tasks, shared, progress)
        if self.inline or not tasks:
            out = []
            for n, task in enumerate(tasks):
                out.append(func(*shared, *task))
                if progress:
                    progress(n, out[-1])
            return out
        return self._map_dask(func, tasks, shared, progress, affinity)

    def _map_dask(self, func, tasks, shared, progress, affinity) -> list[Any]:
        from distributed import as_completed

        client = self.client()
        sent = tuple(self._send(a) for a in shared)
        names = sorted(client.scheduler_info().get("workers", {})) if affinity is not None else []
        futures = {}
        for n, task in enumerate(tasks):
            where = {"workers": [names[affinity[n] % len(names)]], "allow_other_workers": True} if names and affinity else {}
            fut = client.submit(_call, func, *sent, *task, pure=False, retries=RETRIES, **where)
            futures[fut] = n
        results: list[Any] = [None] * len(tasks)
        try:
            for fut in as_completed(futures):
                n = futures[fut]
                ok, results[n] = fut.result()
                if not ok:
                    raise results[n]
                if progress:
                    progress(n, results[n])
        finally:
            for fut in futures:
                fut.cancel()
        return results

    def _send(self, value: Any) -> Any:
        """A large shared argument (a scenario) goes to the workers once per cluster; small ones travel with each task."""
        from pydantic import BaseModel

        if not isinstance(value, BaseModel):
            return value
        kept = self._sent.get(id(value))
        if kept is None or kept[0] is not value:
            future = self.client().scatter([value], broadcast=True, hash=False)[0]  # a list: a dict would be split
            kept = self._sent[id(value)] = (value, future)
        return kept[1]

    def _map_threads(self, func, tasks, shared, progress) -> list[Any]:
        from concurrent.futures import ThreadPoolExecutor, as_completed

        results: list[Any] = [None] * len(tasks)
        with ThreadPoolExecutor(max_workers=min(self.workers, len(tasks))) as pool:
            futures = {pool.submit(func, *shared, *task): n for n, task in enumerate(tasks)}
            for fut in as_completed(futures):
                n = futures[fut]
                results[n] = fut.result()
                if progress:
                    progress(n, results[n])
        return results

    def run_everywhere(self, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(*args)`` once in every worker process (or here, inline), e.g. to drop a job's caches."""
        if self.inline or self._client is None:
            func(*args)
            return
        try:
            self._client.run(func, *args)
        except Exception as exc:  # a worker that went away has nothing to drop
            logger.debug("run on every worker: %s", exc)
