"""Where long jobs run: in this process, in local worker processes, or on a Dask cluster.

Every long job (Monte Carlo, backtests with draws, Sobol indices, sweeps) is a list of
tasks sized by the job, not by the workers, each with its own seeds, so the same seed gives
the same bytes whatever the backend and however many workers run it. ``executor_for``
chooses the backend from ``--scheduler`` / ``$DETENTE_SCHEDULER`` and ``--workers``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.execution.base import Executor as Executor
    from detente.execution.base import Progress as Progress
    from detente.execution.choose import ENV_VAR as ENV_VAR
    from detente.execution.choose import executor_for as executor_for
    from detente.execution.cluster import Dask as Dask
    from detente.execution.local import InProcess as InProcess
    from detente.execution.local import Processes as Processes

__getattr__ = lazy_names(__name__, {
    "Executor": "detente.execution.base",
    "Progress": "detente.execution.base",
    "ENV_VAR": "detente.execution.choose",
    "executor_for": "detente.execution.choose",
    "Dask": "detente.execution.cluster",
    "InProcess": "detente.execution.local",
    "Processes": "detente.execution.local",
})

__all__ = ["ENV_VAR", "Dask", "Executor", "InProcess", "Processes", "Progress", "executor_for"]
