"""An ensemble forecaster: a convex combination of other models' forecasts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Annotated, Any, ClassVar

import numpy as np

from detente.arrays import ScenarioArrays
from detente.models.base import (
    BatchSolution,
    IssueBatch,
    IssueForecast,
    Model,
    Tags,
)
from detente.models.params import Param, ParameterError, Preset
from detente.types import Float


def _learned(key: str) -> tuple[Any, ...]:
    from detente.backtest.learned import learned

    return tuple(learned()["ensemble"][key])


@dataclass(frozen=True)
class Ensemble(Model):
    """Outcome = Σ_k w_k · (model k's outcome), w_k ≥ 0, Σ w_k = 1.

    Forecast combination (Bates & Granger 1969; Timmermann 2006) over registered models
    (``members``) with ``weights`` (empty = equal). By default the members and weights
    learned on the DEU III development split (``detente/data/learned_deu_dev.json``, least
    squares under the simplex constraint, :func:`fit_weights`); ``detente backtest`` learns
    them again by cross-validation on the cases it scores. Members run with their own
    settings (``with_members``); rows where a member has no forecast (NaN) give NaN.
    """

    name = "ensemble"
    label = "Ensemble (weighted models)"
    citation = (
        "Bates, J. M. & Granger, C. W. J. (1969). The combination of forecasts. Operational "
        "Research Quarterly 20(4): 451-468; Timmermann, A. (2006). Forecast combinations. "
        "Handbook of Economic Forecasting 1: 135-196."
    )
    presets: ClassVar[Mapping[str, Preset]] = {
        "equal": Preset("compromise, median and expected utility, equal weights",
                        {"members": ("compromise", "median", "eum"), "weights": ()}),
    }

    members: Annotated[tuple[str, ...], Param(
        "registered models whose forecasts are combined (default: as learned on DEU III)")
    ] = field(default_factory=lambda: _learned("members"))
    weights: Annotated[tuple[float, ...], Param(
        "one weight per member, >= 0 (empty: equal; default: learned on DEU III)")
    ] = field(default_factory=lambda: _learned("weights"))
    member_settings: Annotated[tuple[tuple[str, str, Any], ...], Param(
        "(member, parameter, value) for members that do not run with their defaults")] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.members:
            raise ParameterError("an ensemble needs at least one member model",
                                 field="ensemble.members")
        if self.name in self.members:
            raise ParameterError("an ensemble cannot contain itself", field="ensemble.members")
        if len(set(self.members)) < len(self.members):
            raise ParameterError("a member is named twice", field="ensemble.members")
        stray = {m for m, _, _ in self.member_settings} - set(self.members)
        if stray:
            raise ParameterError(f"settings for {sorted(stray)[0]!r}, which is not a member",
                                 field="ensemble.member_settings")
        if self.weights and len(self.weights) != len(self.members):
            raise ParameterError(f"{len(self.weights)} weights for {len(self.members)} members",
                                 field="ensemble.weights", hint="give one weight per member")
        if any(w < 0 for w in self.weights) or (self.weights and sum(self.weights) <= 0):
            raise ParameterError("ensemble weights must be >= 0 and not all 0",
                                 field="ensemble.weights")

    @classmethod
    def learned(cls) -> Ensemble:
        """The ensemble with the members and weights learned on the DEU III development split."""
        return cls()

    def with_settings(self, settings: Mapping[str, Mapping[str, Any]]) -> Ensemble:
        """The same ensemble with the members' settings taken from ``settings``."""
        given = []
        for name in self.members:
            member = _member(name, ())
            values = type(member).configure(settings.get(name)).parameters()
            defaults = member.parameters()
            given += [(name, k, v) for k, v in values.items() if defaults.get(k) != v]
        return replace(self, member_settings=tuple(given))

    @cached_property
    def _member_models(self) -> tuple[Model, ...]:
        return tuple(_member(n, self.member_settings) for n in self.members)

    def member_models(self) -> tuple[Model, ...]:
        """The member models, built with their settings."""
        return self._member_models

    def tags(self) -> Tags:
        tags = [m.tags() for m in self.member_models()]
        return Tags(batched=all(t.batched for t in tags),
                    stochastic=any(t.stochastic for t in tags),
                    multi_issue=any(t.multi_issue for t in tags))

    @property
    def normalized(self) -> Float:
        w = np.ones(len(self.members)) if not self.weights else np.asarray(self.weights, float)
        out: Float = w / w.sum()
        return out

    def issue_solver(self) -> Callable[[IssueBatch], BatchSolution] | None:
        solvers = [m.issue_solver() for m in self.member_models()]
        if any(s is None for s in solvers):
            return None
        return self.solve

    def solve(self, batch: IssueBatch) -> BatchSolution:
        """Every member's batched forecast, combined."""
        outs = []
        for m in self.member_models():
            solver = m.issue_solver()
            if solver is None:
                raise ParameterError(f"ensemble member {m.name!r} does not solve issues in "
                                     "batches", field="ensemble.members")
            outs.append(solver(batch).outcome)
        return BatchSolution(outcome=combine(np.stack(outs, axis=-1), self.normalized))

    def run_arrays(self, arrays: ScenarioArrays) -> dict[str, IssueForecast]:
        if self.issue_solver() is not None:
            batch = IssueBatch.from_arrays(arrays)
            sol = self.solve(batch)
            return {iss: IssueForecast(iss, float(sol.outcome[j]))
                    for j, iss in enumerate(arrays.issues)}
        runs = [m.run_arrays(arrays) for m in self.member_models()]
        w = self.normalized
        return {iss: IssueForecast(iss, float(combine(
            np.array([r[iss].outcome for r in runs]), w))) for iss in arrays.issues}


def _member(name: str, settings: tuple[tuple[str, str, Any], ...]) -> Model:
    from detente.models.registry import REGISTRY

    return REGISTRY.create(name, {k: v for m, k, v in settings if m == name})


def combine(forecasts: Float, weights: Float) -> Float:
    """Σ_k w_k · forecasts[..., k]."""
    out: Float = forecasts @ weights
    return out


def fit_weights(forecasts: Float, outcomes: Float) -> Float:
    """Simplex weights minimising the squared error of ``forecasts`` (n, k) against ``outcomes``.

    Solved with SciPy's SLSQP from equal weights; the problem is convex, so the minimum is
    global (ties between collinear members are broken by the solver).
    """
    from scipy.optimize import minimize

    f = np.asarray(forecasts, float)
    y = np.asarray(outcomes, float)
    k = f.shape[1]
    if k == 1:
        return np.ones(1)
    scale = max(1.0, float(np.mean(y ** 2)))

    def loss(w: Float) -> float:
        r = f @ w - y
        return float(r @ r) / (len(y) * scale)

    def grad(w: Float) -> Float:
        out: Float = 2.0 * f.T @ (f @ w - y) / (len(y) * scale)
        return out

    res = minimize(loss, np.full(k, 1.0 / k), jac=grad, method="SLSQP",
                   bounds=[(0.0, 1.0)] * k,
                   constraints=[{"type": "eq", "fun": lambda w: float(w.sum() - 1.0),
                                 "jac": lambda w: np.ones_like(w)}],
                   options={"ftol": 1e-12, "maxiter": 500})
    w = np.clip(np.asarray(res.x, float), 0.0, None)
    out: Float = w / w.sum()
    return out
