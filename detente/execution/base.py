"""The executor interface: run one function over a list of tasks, yielding results as they come.

A job is ``fn(context, task)`` for every task: ``context`` is what all tasks share (sent to
each worker once), ``task`` what one task computes. Backends yield ``(index, result)`` in
the order tasks finish; callers place each result by its index, so the order never shows in
the output.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, ClassVar, Self, TypeVar

import numpy as np

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]
"""Called after each finished task with (tasks done, tasks in all)."""

#: Tasks kept in flight per worker: enough to keep every worker busy, few enough that the
#: results waiting to be read (and the client's memory) stay bounded however many tasks run.
IN_FLIGHT_PER_WORKER = 4


def child_seed(seed: int, *key: int) -> np.random.SeedSequence:
    """The child of ``SeedSequence(seed)`` at spawn key ``key``: ``child_seed(s, 3)`` is
    ``SeedSequence(s).spawn(4)[3]``; each task draws from its own child."""
    return np.random.SeedSequence(seed, spawn_key=tuple(int(k) for k in key))


class Executor(ABC):
    """Runs ``fn(context, task)`` for every task; use as a context manager."""

    name: ClassVar[str]

    @property
    @abstractmethod
    def workers(self) -> int:
        """The tasks computed side by side."""

    @abstractmethod
    def run(self, fn: Callable[[C, T], R], context: C, tasks: Sequence[T], *,
            progress: Progress | None = None) -> Iterator[tuple[int, R]]:
        """``(index, fn(context, tasks[index]))`` for every task, as each finishes."""

    def map(self, fn: Callable[[C, T], R], context: C, tasks: Sequence[T], *,
            progress: Progress | None = None) -> list[R]:
        """Every task's result, in task order."""
        out: list[Any] = [None] * len(tasks)
        for index, result in self.run(fn, context, tasks, progress=progress):
            out[index] = result
        return out

    def describe(self) -> str:
        """One line for the user: backend and workers."""
        return f"{self.name}, {self.workers} worker{'s' if self.workers != 1 else ''}"

    def close(self) -> None:  # noqa: B027  (local backends hold nothing)
        """Release workers and connections."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
