"""The analyst's workspace: scenarios, runs, results and Monte Carlo draws in one DuckDB file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.store.hashing import inputs_hash as inputs_hash
    from detente.store.hashing import scenario_key as scenario_key
    from detente.store.schema import CURRENT_VERSION as CURRENT_VERSION
    from detente.store.workspace import DEFAULT_NAME as DEFAULT_NAME
    from detente.store.workspace import ENV_VAR as ENV_VAR
    from detente.store.workspace import RecordedRun as RecordedRun
    from detente.store.workspace import RunInfo as RunInfo
    from detente.store.workspace import StoredScenario as StoredScenario
    from detente.store.workspace import Workspace as Workspace
    from detente.store.workspace import WorkspaceBusy as WorkspaceBusy
    from detente.store.workspace import default_path as default_path

__getattr__ = lazy_names(__name__, {
    "CURRENT_VERSION": "detente.store.schema",
    "DEFAULT_NAME": "detente.store.workspace",
    "ENV_VAR": "detente.store.workspace",
    "RecordedRun": "detente.store.workspace",
    "RunInfo": "detente.store.workspace",
    "StoredScenario": "detente.store.workspace",
    "Workspace": "detente.store.workspace",
    "WorkspaceBusy": "detente.store.workspace",
    "default_path": "detente.store.workspace",
    "inputs_hash": "detente.store.hashing",
    "scenario_key": "detente.store.hashing",
})

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
