"""Pivotal actors: the forecast with each actor left out, and each actor's effective power.

Effective power is capability × salience (Bueno de Mesquita 1994: an actor's power brought
to bear on an issue), with its share of the issue's total. Leaving an actor out removes its
stance from the issue (as if it took none); the other actors keep theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from detente.analysis.issue_runner import issue_runner
from detente.models.base import Model
from detente.scenario import Scenario


@dataclass(frozen=True)
class PivotalActor:
    """One actor's weight on an issue and what the forecast would be without it."""

    actor: str
    effective_power: float
    power_share: float
    forecast: float
    without: float
    shift: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pivotal_actors(
    scenario: Scenario,
    model: str | Model,
    issue: str,
    *,
    as_of: dt.date | str | None = None,
    rounds: int | None = None,
) -> list[PivotalActor]:
    """Every actor with a stance on ``issue``, largest |shift| first.

    ``shift`` = forecast without the actor − forecast with everyone.
    """
    runner = issue_runner(scenario, model, issue, as_of=as_of, rounds=rounds)
    rows = runner.rows(1)
    present = np.flatnonzero(rows.present[0])
    k = present.size
    variants = runner.rows(k + 1)
    variants.present[np.arange(1, k + 1), present] = False
    out = runner.solve(variants)
    power = rows.capability[0] * rows.salience[0]
    total = float(power[present].sum())
    actors = runner.base.actors
    result = [
        PivotalActor(
            actor=actors[a],
            effective_power=float(power[a]),
            power_share=float(power[a] / total) if total > 0 else float("nan"),
            forecast=float(out[0]),
            without=float(out[i + 1]),
            shift=float(out[i + 1] - out[0]),
        )
        for i, a in enumerate(present)
    ]
    return sorted(result, key=lambda p: -abs(p.shift) if np.isfinite(p.shift) else 0.0)
