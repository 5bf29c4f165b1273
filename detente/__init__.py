"""detente: forecast multi-actor negotiations with the field's established models.

Quick start::

    import detente

    scenario = detente.load("examples/korea-2018.yaml")
    result = detente.forecast(scenario)          # every model, latest snapshot
    for issue in scenario.issues:
        print(issue.name, {m: round(result.outcome(m, issue.id), 1) for m in result.results})

The names below are imported on first use, so that ``import detente`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.errors import DetenteError as DetenteError
    from detente.errors import InputError as InputError
    from detente.forecasting import Forecast as Forecast
    from detente.forecasting import forecast as forecast
    from detente.io import dumps as dumps
    from detente.io import load as load
    from detente.io import save as save
    from detente.models import get_model as get_model
    from detente.models.registry import REGISTRY as MODELS
    from detente.scenario import Actor as Actor
    from detente.scenario import Estimate as Estimate
    from detente.scenario import Evidence as Evidence
    from detente.scenario import Issue as Issue
    from detente.scenario import Leverage as Leverage
    from detente.scenario import Scenario as Scenario
    from detente.scenario import Snapshot as Snapshot
    from detente.scenario import Stance as Stance

_LAZY = {
    "DetenteError": ("detente.errors", "DetenteError"),
    "InputError": ("detente.errors", "InputError"),
    "Forecast": ("detente.forecasting", "Forecast"),
    "forecast": ("detente.forecasting", "forecast"),
    "dumps": ("detente.io", "dumps"),
    "load": ("detente.io", "load"),
    "save": ("detente.io", "save"),
    "get_model": ("detente.models", "get_model"),
    "MODELS": ("detente.models.registry", "REGISTRY"),
    "Actor": ("detente.scenario", "Actor"),
    "Estimate": ("detente.scenario", "Estimate"),
    "Evidence": ("detente.scenario", "Evidence"),
    "Issue": ("detente.scenario", "Issue"),
    "Leverage": ("detente.scenario", "Leverage"),
    "Scenario": ("detente.scenario", "Scenario"),
    "Snapshot": ("detente.scenario", "Snapshot"),
    "Stance": ("detente.scenario", "Stance"),
}


def __getattr__(name: str) -> Any:
    """The public names, imported on first use; ``__version__`` from the installed package."""
    if name == "__version__":
        from detente.version import version

        return version()
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MODELS",
    "Actor",
    "DetenteError",
    "Estimate",
    "Evidence",
    "Forecast",
    "InputError",
    "Issue",
    "Leverage",
    "Scenario",
    "Snapshot",
    "Stance",
    "__version__",
    "dumps",
    "forecast",
    "get_model",
    "load",
    "save",
]
