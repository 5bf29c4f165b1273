"""detente: forecast multi-actor negotiations with the field's established models.

Quick start::

    import detente

    scenario = detente.load("examples/korea-2018.yaml")
    result = detente.forecast(scenario)          # every model, latest snapshot
    for issue in scenario.issues:
        print(issue.name, {m: round(result.outcome(m, issue.id), 1) for m in result.results})
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("detente")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from detente.errors import DetenteError, InputError
from detente.forecast import Forecast, forecast
from detente.io import dumps, load, save
from detente.models import REGISTRY as MODELS
from detente.models import get_model
from detente.scenario import (
    Actor,
    Estimate,
    Evidence,
    Issue,
    Leverage,
    Scenario,
    Snapshot,
    Stance,
)

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
