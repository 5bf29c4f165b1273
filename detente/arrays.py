"""NumPy views of a scenario snapshot: actors × issues arrays for the models.

Positions are in each issue's own units; saliences on 0–1; an actor without a stance on an
issue is marked absent in ``present`` (its position is NaN and its salience 0 there).
Uncertainty is carried as arrays too (NaN where not given) for Monte Carlo sampling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from detente.types import Bool, Float

if TYPE_CHECKING:
    from detente.scenario import Estimate, Scenario



@dataclass(frozen=True)
class Uncertainty:
    """Stated uncertainty of one quantity (actors × issues): sd, or a [low, high] range."""

    sd: Float
    low: Float
    high: Float

    @property
    def any(self) -> bool:
        return bool(np.isfinite(self.sd).any() or np.isfinite(self.low).any())


@dataclass(frozen=True)
class ScenarioArrays:
    """Read-only arrays of one snapshot, shaped (actors, issues) unless noted."""

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    position: Float
    salience: Float
    capability: Float
    present: Bool
    lower: Float  # (issues,) scale minimum
    upper: Float  # (issues,) scale maximum
    status_quo: Float  # (issues,) NaN where not given
    leverage: Float  # (actors, actors): row's pressure on column; 1 = ordinary
    position_unc: Uncertainty = field(repr=False)
    salience_unc: Uncertainty = field(repr=False)
    capability_unc: Uncertainty = field(repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.actors), len(self.issues))


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _estimates_into(
    est: Estimate, i: int, j: int, value: Float, sd: Float, low: Float, high: Float
) -> None:
    value[i, j] = est.value
    if est.sd is not None:
        sd[i, j] = est.sd
    if est.low is not None and est.high is not None:
        low[i, j], high[i, j] = est.low, est.high


def build_arrays(scenario: Scenario, snapshot: int) -> ScenarioArrays:
    """Arrays for ``scenario.snapshots[snapshot]`` with inherited stances resolved."""
    n, m = len(scenario.actors), len(scenario.issues)
    state = scenario.state(snapshot)
    caps = state.capabilities
    def blank() -> Float:
        return np.full((n, m), np.nan)

    pos, pos_sd, pos_lo, pos_hi = blank(), blank(), blank(), blank()
    sal, sal_sd, sal_lo, sal_hi = blank(), blank(), blank(), blank()
    cap, cap_sd, cap_lo, cap_hi = blank(), blank(), blank(), blank()
    present = np.zeros((n, m), dtype=bool)

    for i, actor in enumerate(scenario.actors):
        general = caps.get(actor.id, actor.capability)
        for j in range(m):
            _estimates_into(general, i, j, cap, cap_sd, cap_lo, cap_hi)
    for st in state.stances:
        i, j = scenario.actor_index[st.actor], scenario.issue_index[st.issue]
        present[i, j] = True
        _estimates_into(st.required_position, i, j, pos, pos_sd, pos_lo, pos_hi)
        _estimates_into(st.required_salience, i, j, sal, sal_sd, sal_lo, sal_hi)
        if st.capability is not None:
            cap_sd[i, j] = cap_lo[i, j] = cap_hi[i, j] = np.nan
            _estimates_into(st.capability, i, j, cap, cap_sd, cap_lo, cap_hi)
    sal[~present] = 0.0

    lev = np.ones((n, n))
    for (src, tgt), weight in state.leverage.items():
        lev[scenario.actor_index[src], scenario.actor_index[tgt]] = weight

    issues = scenario.issues
    return ScenarioArrays(
        actors=tuple(a.id for a in scenario.actors),
        issues=tuple(s.id for s in issues),
        position=_readonly(pos),
        salience=_readonly(sal),
        capability=_readonly(cap),
        present=_readonly(present),
        lower=_readonly(np.array([s.scale.min for s in issues])),
        upper=_readonly(np.array([s.scale.max for s in issues])),
        status_quo=_readonly(
            np.array([np.nan if (q := state.status_quo[s.id]) is None else q for s in issues])
        ),
        leverage=_readonly(lev),
        position_unc=Uncertainty(*(_readonly(a) for a in (pos_sd, pos_lo, pos_hi))),
        salience_unc=Uncertainty(*(_readonly(a) for a in (sal_sd, sal_lo, sal_hi))),
        capability_unc=Uncertainty(*(_readonly(a) for a in (cap_sd, cap_lo, cap_hi))),
    )

