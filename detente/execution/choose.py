"""Choosing the backend from ``--scheduler`` / ``$DETENTE_SCHEDULER`` and ``--workers``."""

from __future__ import annotations

import os

from detente.errors import InputError
from detente.execution.base import Executor
from detente.execution.local import InProcess, Processes, check_workers

ENV_VAR = "DETENTE_SCHEDULER"
SCHEDULERS = "processes (default), in-process, local (a Dask LocalCluster) or tcp://HOST:8786"


def executor_for(scheduler: str | None = None, workers: int = 0) -> Executor:
    """The backend named by ``scheduler`` (else ``$DETENTE_SCHEDULER``, else local processes).

    ``processes``: ``workers`` local processes (0 = one per core; 1 runs in this process);
    ``in-process``: this process only; ``local``: a Dask LocalCluster of ``workers``
    processes on this machine; ``tcp://HOST:PORT`` (or ``tls://``): an existing Dask
    scheduler.
    """
    name = (scheduler or os.environ.get(ENV_VAR) or "processes").strip()
    workers = check_workers(workers)
    if name == "processes":
        return InProcess() if workers == 1 else Processes(workers)
    if name in ("in-process", "inprocess"):
        return InProcess()
    if name == "local":
        from detente.execution.cluster import Dask

        return Dask(None, workers)
    if "://" in name:
        from detente.execution.cluster import Dask

        return Dask(name)
    source = "--scheduler" if scheduler else f"${ENV_VAR}"
    raise InputError(f"unknown scheduler {name!r}", field=source, hint=f"use {SCHEDULERS}")
