"""The uncertain inputs of a scenario snapshot, each with its distribution.

An *input* is one number of the scenario that the analyst could have got wrong: an actor's
position or salience on an issue, or its capability (the actor's general capability, shared
by every issue where no stance overrides it, or a stance's own capability on one issue). Each
input knows the cells of the actors × issues arrays it sets and how to turn a uniform number
in [0, 1) into a value (its quantile function), so Monte Carlo sampling, Sobol indices and
one-at-a-time sensitivity all draw from the same distributions.

Distributions (docs/decisions/uncertainty.md, UNC-1):

- ``sd`` → a normal with that standard deviation, truncated to the quantity's valid range
  (positions within the issue's scale, saliences within [0, 1], capabilities above 0);
- ``range`` → a triangular distribution on [low, high] with its mode at the value, or a
  beta-PERT distribution with the same three points (``shape="pert"``);
- neither → the defaults of :class:`DefaultUncertainty` (none unless asked for).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special

from detente.errors import InputError
from detente.scenario import Estimate, Scenario, Stance
from detente.types import Float

QuantityName = Literal["position", "salience", "capability"]
RangeShape = Literal["triangular", "pert"]
RANGE_SHAPES: tuple[str, ...] = ("triangular", "pert")

#: Capabilities are kept above 0 (the scenario model requires it); a draw below this
#: fraction of the stated value is raised to it.
CAPABILITY_FLOOR = 1e-9


@dataclass(frozen=True)
class DefaultUncertainty:
    """Uncertainty assumed where a number states none (all 0 by default: taken as exact).

    - ``position``: standard deviation as a fraction of the issue's scale span (0.1 = 10
      points on a 0–100 scale).
    - ``salience``: standard deviation on the 0–1 salience scale.
    - ``capability``: standard deviation as a fraction of the capability's value.
    """

    position: float = 0.0
    salience: float = 0.0
    capability: float = 0.0

    def __post_init__(self) -> None:
        for name in ("position", "salience", "capability"):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise InputError(
                    f"default {name} sd must be a number >= 0, got {value!r}",
                    field=f"--{name}-sd",
                    hint="0 takes numbers without stated uncertainty as exact",
                )


@dataclass(frozen=True)
class UncertainInput:
    """One number of the scenario and its distribution.

    ``issue`` is None for an actor's general capability, which sets that actor's cells on
    every issue without a stance capability of its own (``cells`` lists the flat indices
    into the actors × issues arrays). ``lower``/``upper`` bound the quantity (the issue's
    scale, [0, 1], or (0, inf)); ``kind`` is "normal", "triangular", "pert" or "fixed".
    """

    quantity: QuantityName
    actor: str
    issue: str | None
    value: float
    kind: str
    sd: float
    low: float
    high: float
    lower: float
    upper: float
    cells: tuple[int, ...]

    @property
    def key(self) -> str:
        """A readable name: ``position PRK talks``, ``capability USA``."""
        return " ".join(p for p in (self.quantity, self.actor, self.issue) if p is not None)

    @property
    def uncertain(self) -> bool:
        return self.kind != "fixed"

    def quantile(self, u: Float) -> Float:
        """Values at probabilities ``u`` (any shape) of this input's distribution."""
        u = np.asarray(u, dtype=float)
        return quantiles(u.reshape(-1, 1), (self,)).reshape(u.shape)

    def swing(self) -> tuple[float, float]:
        """The low and high ends of one-at-a-time sensitivity.

        A range's own ends; for an sd, the 5th and 95th percentiles of the truncated normal
        (value ∓ 1.645 sd away from the bounds).
        """
        if self.kind in ("triangular", "pert"):
            return self.low, self.high
        lo, hi = self.quantile(np.array([0.05, 0.95]))
        return float(lo), float(hi)


def truncated_normal_quantile(u: Float, mean: Float | float, sd: Float | float,
                              lower: Float | float, upper: Float | float) -> Float:
    """Quantiles of N(mean, sd²) truncated to [lower, upper] (inverse-CDF sampling).

    Parameters broadcast against ``u``, so many inputs are sampled in one call.
    """
    a = special.ndtr((np.asarray(lower) - mean) / sd)  # 0 where lower is -inf
    b = special.ndtr((np.asarray(upper) - mean) / sd)  # 1 where upper is inf
    p = a + u * (b - a)
    # keep away from 0 and 1, where ndtri is infinite
    p = np.clip(p, np.finfo(float).tiny, 1.0 - np.finfo(float).epsneg)
    out: Float = np.clip(mean + sd * special.ndtri(p), lower, upper)
    return out


def triangular_quantile(u: Float, low: Float | float, mode: Float | float,
                        high: Float | float) -> Float:
    """Quantiles of the triangular distribution on [low, high] with the given mode."""
    span = high - low
    cut = (mode - low) / span
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1.0 - u) * span * (high - mode))
    out: Float = np.where(u < cut, left, right)
    return out


def pert_quantile(u: Float, low: Float | float, mode: Float | float,
                  high: Float | float) -> Float:
    """Quantiles of the beta-PERT distribution: low + (high − low)·Beta(α, β).

    α = 1 + 4 (mode − low)/(high − low), β = 1 + 4 (high − mode)/(high − low): mean
    (low + 4 mode + high)/6 (Malcolm et al. 1959; Vose 2008).
    """
    span = high - low
    alpha = 1.0 + 4.0 * (mode - low) / span
    beta = 1.0 + 4.0 * (high - mode) / span
    out: Float = low + span * special.betaincinv(alpha, beta, u)
    return out


def quantiles(u: Float, inputs: Sequence[UncertainInput]) -> Float:
    """Each input's quantile at its column of ``u`` (draws, k), vectorised by kind."""
    out = np.empty(u.shape)
    kinds = np.array([x.kind for x in inputs])
    for kind in np.unique(kinds):
        idx = np.flatnonzero(kinds == kind)
        group = [inputs[int(i)] for i in idx]
        cols = u[:, idx]

        def par(name: str, group: list[UncertainInput] = group) -> Float:
            return np.array([getattr(x, name) for x in group], dtype=float)

        if kind == "normal":
            vals = truncated_normal_quantile(cols, par("value"), par("sd"), par("lower"),
                                             par("upper"))
        elif kind == "triangular":
            vals = triangular_quantile(cols, par("low"), par("value"), par("high"))
        elif kind == "pert":
            vals = pert_quantile(cols, par("low"), par("value"), par("high"))
        else:
            vals = np.broadcast_to(par("value"), cols.shape)
        caps = np.array([x.quantity == "capability" for x in group])
        if caps.any():
            vals = np.where(caps, np.maximum(vals, CAPABILITY_FLOOR * par("value")), vals)
        out[:, idx] = vals
    return out


def _input(
    quantity: QuantityName,
    actor: str,
    issue: str | None,
    est: Estimate,
    lower: float,
    upper: float,
    default_sd: float,
    shape: RangeShape,
    cells: tuple[int, ...],
) -> UncertainInput:
    value = est.value
    kind: str
    if est.low is not None and est.high is not None and est.high > est.low:
        kind, sd, low, high = shape, 0.0, est.low, est.high
    elif est.sd is not None and est.sd > 0:
        kind, sd, low, high = "normal", est.sd, value, value
    elif est.sd is None and est.low is None and default_sd > 0:
        kind, sd, low, high = "normal", default_sd, value, value
    else:
        kind, sd, low, high = "fixed", 0.0, value, value
    return UncertainInput(quantity, actor, issue, value, kind, sd, low, high,
                          lower, upper, cells)


def scenario_inputs(
    scenario: Scenario,
    snapshot: int,
    defaults: DefaultUncertainty | None = None,
    shape: RangeShape = "triangular",
) -> tuple[UncertainInput, ...]:
    """Every position, salience and capability in force at a snapshot, as inputs.

    Order: per actor (scenario order), its general capability, then per issue (scenario
    order) its position, salience and any stance capability. Inputs without uncertainty
    are included with kind "fixed".
    """
    if shape not in RANGE_SHAPES:
        raise InputError(f"unknown range shape {shape!r}", field="--range-shape",
                         hint=f"choose from: {', '.join(RANGE_SHAPES)}")
    d = defaults or DefaultUncertainty()
    m = len(scenario.issues)
    state = scenario.state(snapshot)
    by_actor: dict[str, list[tuple[int, Stance]]] = {a.id: [] for a in scenario.actors}
    for st in state.stances:
        by_actor[st.actor].append((scenario.issue_index[st.issue], st))
    out: list[UncertainInput] = []
    inf = float("inf")
    for i, actor in enumerate(scenario.actors):
        stances = sorted(by_actor[actor.id], key=lambda t: t[0])
        own = {j for j, st in stances if st.capability is not None}
        general = state.capabilities.get(actor.id, actor.capability)
        shared = tuple(i * m + j for j in range(m) if j not in own)
        out.append(_input("capability", actor.id, None, general, 0.0, inf,
                          d.capability * general.value, shape, shared))
        for j, st in stances:
            issue = scenario.issues[j]
            cell = (i * m + j,)
            pos = st.required_position
            sal = st.required_salience
            out.append(_input("position", actor.id, issue.id, pos, issue.scale.min,
                              issue.scale.max, d.position * issue.scale.span, shape, cell))
            out.append(_input("salience", actor.id, issue.id, sal, 0.0, 1.0,
                              d.salience, shape, cell))
            cap = st.capability
            if cap is not None:
                out.append(_input("capability", actor.id, issue.id, cap, 0.0, inf,
                                  d.capability * cap.value, shape, cell))
    return tuple(out)
