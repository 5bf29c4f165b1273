"""The analyst's workspace: scenarios, runs, results and Monte Carlo draws in one DuckDB file."""

from __future__ import annotations

from detente.store.hashing import inputs_hash, scenario_key
from detente.store.schema import CURRENT_VERSION
from detente.store.workspace import (
    DEFAULT_NAME,
    ENV_VAR,
    RecordedRun,
    RunInfo,
    StoredScenario,
    Workspace,
    WorkspaceBusy,
    default_path,
)

__all__ = [
    "CURRENT_VERSION",
    "DEFAULT_NAME",
    "ENV_VAR",
    "RecordedRun",
    "RunInfo",
    "StoredScenario",
    "Workspace",
    "WorkspaceBusy",
    "default_path",
    "inputs_hash",
    "scenario_key",
]
