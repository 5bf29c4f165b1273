"""The Dask distributed backend: an existing cluster (``tcp://HOST:8786``) or a LocalCluster.

Needs the optional extra ``dask`` (``pip install 'detente[dask]'``); every worker of a
remote cluster needs detente installed at the same version. The shared context is
scattered to every worker once; tasks are submitted a window at a time and read with
``distributed.as_completed`` as they finish. A task whose worker dies is rerun elsewhere by
the scheduler; since it draws from its own seeds, its result is the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

from detente.errors import InputError
from detente.execution.base import IN_FLIGHT_PER_WORKER, C, Executor, Progress, R, T
from detente.execution.local import check_workers, one_thread_each

#: How long to wait for a remote scheduler to answer.
CONNECT_TIMEOUT = "10s"


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError("the Dask backend needs the optional 'dask' extra",
                         field="--scheduler",
                         hint="pip install 'detente[dask]', or leave --scheduler out to "
                              "use local processes") from None
    return distributed


def _one_thread_plugin() -> Any:
    """A worker plugin that runs ``one_thread_each`` on every worker, those that join or
    restart later included (defined here so that cloudpickle sends it by value)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class OneThreadEach(WorkerPlugin):
        name = "detente-one-thread-each"

        def setup(self, worker: Any) -> None:
            del worker
            one_thread_each()

    return OneThreadEach()


def _call(fn: Callable[[Any, Any], Any], context: Any, task: Any) -> Any:
    return fn(context, task)


class Dask(Executor):
    """Tasks on a Dask cluster: ``address`` (``tcp://HOST:8786``) or, when None, a
    LocalCluster of ``workers`` single-threaded processes started here (0 = one per core)."""

    name: ClassVar[str] = "dask"

    def __init__(self, address: str | None = None, workers: int = 0) -> None:
        distributed = _import_distributed()
        self.address = address
        self._cluster: Any = None  # distributed's API is untyped
        if address is None:
            import logging

            self._cluster = distributed.LocalCluster(
                n_workers=check_workers(workers), threads_per_worker=1, processes=True,
                dashboard_address=":0",  # any free port
                silence_logs=logging.ERROR, env={"DETENTE_THREADS": "1"})
            self.client: Any = distributed.Client(self._cluster)
        else:
            try:
                self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}",
                                 field="--scheduler",
                                 hint="start one with 'dask scheduler' and 'dask worker', or "
                                      "use --scheduler local") from None
        self.client.register_plugin(_one_thread_plugin())

    @property
    def workers(self) -> int:
        return max(1, int(sum(self.client.nthreads().values())))

    @property
    def dashboard(self) -> str | None:
        """The cluster's dashboard URL (None without bokeh installed)."""
        link = self.client.dashboard_link
        return str(link) if link else None

    def describe(self) -> str:
        where = "local cluster" if self._cluster is not None else str(self.address)
        return f"dask ({where}), {self.workers} worker{'s' if self.workers != 1 else ''}"

    def run(self, fn: Callable[[C, T], R], context: C, tasks: Sequence[T], *,
            progress: Progress | None = None) -> Iterator[tuple[int, R]]:
        distributed = _import_distributed()
        if not tasks:
            return
        shared = self.client.scatter(context, broadcast=True, hash=False)
        run_id = uuid.uuid4().hex[:12]
        window = IN_FLIGHT_PER_WORKER * self.workers
        upcoming = iter(range(len(tasks)))
        live: dict[Any, tuple[int, Any]] = {}
        ready = distributed.as_completed()

        def submit() -> None:
            while len(live) < window:
                index = next(upcoming, None)
                if index is None:
                    return
                fut = self.client.submit(_call, fn, shared, tasks[index], pure=False,
                                         key=f"detente-{run_id}-{index}")
                live[fut.key] = (index, fut)
                ready.add(fut)

        submit()
        done = 0
        try:
            for fut in ready:
                index, _ = live.pop(fut.key)
                result = fut.result()
                fut.release()
                done += 1
                if progress is not None:
                    progress(done, len(tasks))
                yield index, result
                submit()
        finally:
            if live:
                self.client.cancel([f for _, f in live.values()])

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
