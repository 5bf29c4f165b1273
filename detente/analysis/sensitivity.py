"""One-at-a-time sensitivity ("tornado"): which single input moves an issue's forecast most.

Each uncertain input of the issue is swung, alone, to the ends of its stated uncertainty (a
range's own ends; for an sd, the 5th and 95th percentiles of its truncated normal) while all
other inputs keep their stated values, and the model is run at both ends. All variants run
as one batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from detente.analysis.issue_runner import issue_runner
from detente.models.base import Model
from detente.scenario import Scenario
from detente.uncertainty.inputs import DefaultUncertainty, RangeShape


@dataclass(frozen=True)
class TornadoBar:
    """One input swung from ``low`` to ``high``, and the forecast at each end."""

    input: str
    actor: str
    quantity: Literal["position", "salience", "capability"]
    low: float
    high: float
    outcome_low: float
    outcome_high: float
    swing: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def tornado(
    scenario: Scenario,
    model: str | Model,
    issue: str,
    *,
    as_of: dt.date | str | None = None,
    rounds: int | None = None,
    defaults: DefaultUncertainty | None = None,
    shape: RangeShape = "triangular",
) -> list[TornadoBar]:
    """Bars for every uncertain input of ``issue``, largest swing first.

    ``swing`` = |outcome_high − outcome_low|; ties keep the scenario's input order.
    """
    runner = issue_runner(scenario, model, issue, as_of=as_of, rounds=rounds,
                          defaults=defaults, shape=shape)
    inputs = runner.issue_inputs()
    k = len(inputs)
    if k == 0:
        return []
    ends = np.array([x.swing() for x in inputs])  # (k, 2)
    values = np.tile(np.array([x.value for x in inputs]), (2 * k, 1))
    idx = np.arange(k)
    values[2 * idx, idx] = ends[:, 0]
    values[2 * idx + 1, idx] = ends[:, 1]
    out = runner.solve(runner.rows_from_values(inputs, values)).reshape(k, 2)
    bars = [
        TornadoBar(x.key, x.actor, x.quantity, float(ends[i, 0]), float(ends[i, 1]),
                   float(out[i, 0]), float(out[i, 1]), float(abs(out[i, 1] - out[i, 0])))
        for i, x in enumerate(inputs)
    ]
    return sorted(bars, key=lambda b: -b.swing)
