"""Backends on this machine: in this process (tests, debugging) and local worker processes."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ClassVar

from detente.errors import DetenteError, InputError
from detente.execution.base import IN_FLIGHT_PER_WORKER, C, Executor, Progress, R, T


def check_workers(workers: int) -> int:
    """Worker processes: a whole number >= 0 (0 = one per CPU core)."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise InputError(f"workers must be a whole number >= 0, got {workers!r}",
                         field="--workers", hint="0 uses every CPU core, 1 runs in-process")
    return int(workers) or (os.cpu_count() or 1)


def one_thread_each() -> None:
    """Set up a worker process: the workers already share out the cores, so the compiled
    engines (``detente.models.eum.kernel``) run on one thread in each."""
    os.environ["DETENTE_THREADS"] = "1"  # read where the engine is first imported
    kernel = sys.modules.get("detente.models.eum.kernel")
    if kernel is not None:  # already imported by the parent before the fork
        kernel.set_threads(1)


class WorkerLost(DetenteError):
    """A local worker process stopped before its task finished (killed, out of memory)."""


class InProcess(Executor):
    """Every task in this process, one after the other, in task order."""

    name: ClassVar[str] = "in-process"

    @property
    def workers(self) -> int:
        return 1

    def run(self, fn: Callable[[C, T], R], context: C, tasks: Sequence[T], *,
            progress: Progress | None = None) -> Iterator[tuple[int, R]]:
        for index, task in enumerate(tasks):
            result = fn(context, task)
            if progress is not None:
                progress(index + 1, len(tasks))
            yield index, result


_CONTEXT: Any = None


def _install(context: Any) -> None:
    global _CONTEXT
    import signal

    one_thread_each()
    # Ctrl-C reaches the whole process group: the client decides what it stops, and the
    # workers finish the tasks they have
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _CONTEXT = context


def _call(fn: Callable[[Any, Any], Any], task: Any) -> Any:
    return fn(_CONTEXT, task)


class Processes(Executor):
    """Local worker processes (``concurrent.futures``; fork where the system has it).

    The context reaches each worker once, when it starts; tasks and results travel by pickle.
    A run with one task, or one worker, runs in this process. A worker that dies stops the
    run with :class:`WorkerLost` (a Dask cluster reruns its tasks elsewhere instead).
    """

    name: ClassVar[str] = "processes"

    def __init__(self, workers: int = 0) -> None:
        self._workers = check_workers(workers)

    @property
    def workers(self) -> int:
        return self._workers

    def run(self, fn: Callable[[C, T], R], context: C, tasks: Sequence[T], *,
            progress: Progress | None = None) -> Iterator[tuple[int, R]]:
        n = min(self._workers, len(tasks))
        if n <= 1:
            yield from InProcess().run(fn, context, tasks, progress=progress)
            return
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        window = IN_FLIGHT_PER_WORKER * n
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(method),
                                 initializer=_install, initargs=(context,)) as pool:
            pending: dict[Future[R], int] = {}
            upcoming = iter(range(len(tasks)))
            done = 0

            def submit() -> None:
                while len(pending) < window:
                    index = next(upcoming, None)
                    if index is None:
                        return
                    pending[pool.submit(_call, fn, tasks[index])] = index

            try:
                submit()
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        index = pending.pop(fut)
                        result = fut.result()
                        done += 1
                        if progress is not None:
                            progress(done, len(tasks))
                        yield index, result
                    submit()
            except BrokenProcessPool:
                raise WorkerLost("a worker process stopped before its task finished "
                                 "(killed, or out of memory)") from None
            finally:
                for fut in pending:
                    fut.cancel()
