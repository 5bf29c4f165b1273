"""Monte Carlo results for reports and timelines, computed on the spot.

The report and the timeline read simulations and tornado bars in the contract's plain form
(``detente.report.contract``); this module produces them from a scenario by running
``detente.uncertainty.simulation`` and ``detente.analysis.sensitivity.tornado``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detente.analysis.sensitivity import tornado
from detente.forecasting import resolve_models
from detente.models.base import Model
from detente.report.contract import TornadoInput, simulation_data, tornado_data
from detente.scenario import Scenario
from detente.uncertainty import simulate
from detente.uncertainty.simulation import Progress


def batched_models(
    models: Sequence[str | Model] | None, rounds: int | None = None,
    scenario: Scenario | None = None,
) -> list[Model]:
    """The chosen models (default: all) that can be simulated in batches."""
    return [m for m in resolve_models(models, scenario=scenario, rounds=rounds)
            if m.tags().batched]


def simulations(
    scenario: Scenario,
    models: Sequence[str | Model] | None,
    *,
    draws: int,
    seed: int = 0,
    rounds: int | None = None,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """One simulation document per snapshot (the timeline's intervals need every date)."""
    chosen = batched_models(models, rounds, scenario)
    if not chosen:
        return []
    last = len(scenario.snapshots) - 1
    return [
        simulation_data(simulate(scenario, chosen, draws=draws, seed=seed, rounds=rounds,
                                 as_of=None if k == last else snap.as_of, progress=progress))
        for k, snap in enumerate(scenario.snapshots)
    ]


def tornadoes(
    scenario: Scenario,
    model: str | Model,
    issues: Sequence[str],
    *,
    as_of: Any = None,
    rounds: int | None = None,
) -> list[TornadoInput]:
    """A tornado chart per issue for one model, at the snapshot in force at ``as_of``."""
    name = model if isinstance(model, str) else model.name
    return [
        TornadoInput(name, issue, tornado_data(tornado(scenario, model, issue, as_of=as_of,
                                                       rounds=rounds)))
        for issue in issues
    ]
