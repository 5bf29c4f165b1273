"""The interface every model implements, and the result types they return.

A model is a small frozen dataclass holding its parameters, with one entry point,
``run(scenario)``. Models that forecast each issue on its own (compromise, median, EUM, …)
derive from :class:`IssueModel` and implement ``solve`` on an :class:`IssueBatch`: a stack of
one-dimensional problems (one row per issue, or per issue and Monte Carlo draw) that they
process with array operations, never a Python loop over rows or actor pairs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import numpy as np

from detente.arrays import ScenarioArrays
from detente.models.params import ParameterError, ParamSpec, Preset, check_fields, spec_of, specs
from detente.scenario import Scenario
from detente.types import Bool, Float, Int


@dataclass(frozen=True)
class IssueBatch:
    """B one-dimensional problems over n actor slots.

    ``position``, ``salience`` (0–1), ``capability`` and ``present`` are (B, n); ``lower``,
    ``upper`` and ``status_quo`` (NaN = none) are (B,). Where ``present`` is false the slot
    is empty: its salience and capability are 0 and its position is a finite placeholder.
    """

    position: Float
    salience: Float
    capability: Float
    present: Bool
    lower: Float
    upper: Float
    status_quo: Float

    @classmethod
    def from_arrays(cls, arrays: ScenarioArrays) -> IssueBatch:
        """One row per issue of a snapshot."""
        present = arrays.present.T.copy()
        return cls.create(
            position=arrays.position.T,
            salience=arrays.salience.T,
            capability=arrays.capability.T,
            present=present,
            lower=arrays.lower,
            upper=arrays.upper,
            status_quo=arrays.status_quo,
        )

    @classmethod
    def create(
        cls,
        *,
        position: Float,
        salience: Float,
        capability: Float,
        present: Bool | None = None,
        lower: Float | None = None,
        upper: Float | None = None,
        status_quo: Float | None = None,
    ) -> IssueBatch:
        """Build a batch, zeroing empty slots so models can ignore ``present`` in sums."""
        pos = np.atleast_2d(np.asarray(position, dtype=float))
        b = pos.shape[0]
        pres = (
            np.isfinite(pos) if present is None else np.atleast_2d(np.asarray(present, bool))
        )
        lo = np.nanmin(np.where(pres, pos, np.inf), axis=1) if lower is None else lower
        hi = np.nanmax(np.where(pres, pos, -np.inf), axis=1) if upper is None else upper
        lo = np.broadcast_to(np.asarray(lo, dtype=float), (b,))
        hi = np.broadcast_to(np.asarray(hi, dtype=float), (b,))
        sq = np.full(b, np.nan) if status_quo is None else np.asarray(status_quo, dtype=float)
        sal = np.atleast_2d(np.asarray(salience, dtype=float))
        cap = np.atleast_2d(np.asarray(capability, dtype=float))
        return cls(
            position=np.where(pres, pos, lo[:, None]),
            salience=np.where(pres, sal, 0.0),
            capability=np.where(pres, cap, 0.0),
            present=pres,
            lower=lo.copy(),
            upper=hi.copy(),
            status_quo=np.broadcast_to(sq, (b,)).copy(),
        )

    @property
    def size(self) -> int:
        return int(self.position.shape[0])

    @property
    def weight(self) -> Float:
        """capability × salience, 0 in empty slots."""
        return self.capability * self.salience


@dataclass(frozen=True)
class BatchSolution:
    """What a model returns for a batch.

    ``outcome`` is (B,). Dynamic models also give the trajectory, round 0 (the inputs)
    included: ``positions`` (R+1, B, n), ``median`` and ``mean`` (R+1, B), and ``rounds``
    (B,), the number of rounds each row actually ran (later entries repeat the last state).
    """

    outcome: Float
    positions: Float | None = None
    median: Float | None = None
    mean: Float | None = None
    rounds: Int | None = None
    converged: Bool | None = None
    extra: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class RoundState:
    """One round of a dynamic model on one issue."""

    median: float
    mean: float
    positions: dict[str, float]


@dataclass(frozen=True)
class IssueForecast:
    """A model's forecast for one issue, in the issue's own units."""

    issue: str
    outcome: float
    initial: RoundState | None = None
    rounds: tuple[RoundState, ...] = ()
    converged: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelResult:
    """A model's forecasts for every issue of a scenario snapshot."""

    model: str
    parameters: dict[str, Any]
    as_of: dt.date | None
    issues: dict[str, IssueForecast]

    def outcome(self, issue: str) -> float:
        return self.issues[issue].outcome


@dataclass(frozen=True)
class Tags:
    """What a model can do, declared by the model instead of probed by its callers.

    - ``dynamic``: it plays rounds, and its forecasts carry the trajectory; it then has a
      ``rounds`` parameter (the most rounds played).
    - ``batched``: it solves a stack of one-issue problems at once (``issue_solver``), the
      fast path of Monte Carlo, explanations and backtests.
    - ``stochastic``: it draws random numbers; its ``seed`` parameter fixes them.
    - ``multi_issue``: its forecast of one issue depends on the other issues (trades across
      issues, a joint space); it runs on whole snapshots only.
    """

    dynamic: bool = False
    batched: bool = False
    stochastic: bool = False
    multi_issue: bool = False

    def names(self) -> tuple[str, ...]:
        """The tags that hold, e.g. ("dynamic", "batched")."""
        return tuple(f.name for f in dataclasses.fields(self) if getattr(self, f.name))


@dataclass(frozen=True)
class Footprint:
    """Rough peak memory (bytes) and time (seconds, on one core of a laptop) of a run,
    estimated from the problem's size before it starts (see :mod:`detente.limits`)."""

    bytes: float
    seconds: float


@dataclass(frozen=True)
class Model(ABC):
    """Base class: parameters as dataclass fields, one ``run(scenario)`` entry point.

    Every field is a parameter declared with ``Annotated[type, Param(...)]`` (see
    :mod:`detente.models.params`) and checked when the model is built. Subclasses implement
    ``run_arrays`` on the NumPy view of a snapshot, so that the same model also runs on
    sampled inputs (Monte Carlo) without a scenario object, and say what they can do in
    ``tags``. ``presets`` name sets of parameter values with a known reading.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    citation: ClassVar[str]
    presets: ClassVar[Mapping[str, Preset]] = {}
    #: The share of an issue's scale below which the model does not tell positions apart
    #: (rounding, grouping of close positions); 0 for exact arithmetic.
    resolution: ClassVar[float] = 0.0

    def __post_init__(self) -> None:
        check_fields(self)

    def tags(self) -> Tags:
        """What this model, with these parameters, can do."""
        return Tags(batched=self.issue_solver() is not None)

    def scale_free(self) -> bool:
        """Whether multiplying every capability by one factor leaves the forecasts as they
        are (the contract of :mod:`detente.testing` checks it where this says so)."""
        return True

    def order_free(self) -> bool:
        """Whether the order in which actors are listed leaves the forecasts as they are."""
        return True

    @classmethod
    def parameter_specs(cls) -> tuple[ParamSpec, ...]:
        """The declared parameters: type, default, unit, bounds, explanation."""
        return specs(cls)

    def parameters(self) -> dict[str, Any]:
        """The values of the parameters that affect the results, JSON-ready."""
        return {s.name: _jsonable(getattr(self, s.name))
                for s in specs(type(self)) if s.affects_results}

    @classmethod
    def configure(cls, values: Mapping[str, Any] | None = None) -> Self:
        """The model with ``values`` (parameter names, or ``preset``) over the defaults.

        A preset's values come first, the other values over them; every value is checked
        (strings are read as the parameter's type says).
        """
        merged: dict[str, Any] = {}
        values = dict(values or {})
        preset = values.pop("preset", None)
        if preset is not None:
            merged.update(cls.preset(str(preset)).values)
        for key, value in values.items():
            spec = spec_of(cls, key)
            merged[key] = spec.parse(value) if isinstance(value, str) else spec.check(value)
        return cls(**merged)

    @classmethod
    def preset(cls, name: str) -> Preset:
        """The preset ``name``, or an error listing the model's presets."""
        try:
            return cls.presets[name]
        except KeyError:
            names = ", ".join(cls.presets) or "none"
            raise ParameterError(f"model {cls.name!r} has no preset {name!r}",
                                 field=f"{cls.name}.preset", hint=f"presets: {names}") from None

    def footprint(self, actors: int, issues: int, rows: int | None = None) -> Footprint:
        """Rough peak memory and time of one run on ``actors`` × ``issues``; ``rows`` is the
        number of one-issue problems solved (Monte Carlo: draws × issues; default issues).

        The default suits models whose work grows with actors × issues × rounds (arrays of
        positions per round, and the per-round trajectory a forecast reports); models with
        pairwise or higher-order arrays override it with their own measured terms.
        """
        rows = issues if rows is None else rows
        rounds = int(getattr(self, "rounds", 0) or 0) + 1
        cells = actors * rows * rounds
        return Footprint(bytes=64.0 * cells + 160.0 * actors * issues * rounds,
                         seconds=2e-8 * cells)

    def scenario_problems(
        self, actors: Sequence[str]
    ) -> Iterator[tuple[tuple[str | int, ...], str, str | None]]:
        """Problems of these parameters with a scenario's actors (e.g. a parameter naming an
        actor the scenario lacks), as (field path below the parameters, message, hint);
        checked when a file is read, so ``validate`` reports them with file and line."""
        del actors
        return iter(())

    def with_settings(self, settings: Mapping[str, Mapping[str, Any]]) -> Model:
        """This model once the settings of the other models are known (models that run
        others, like the ensemble, build those with their settings); others return self."""
        del settings
        return self

    def run(self, scenario: Scenario, as_of: dt.date | str | None = None) -> ModelResult:
        """Forecast every issue of the snapshot in force at ``as_of`` (default: latest);
        refused up front when its footprint exceeds the limits (:mod:`detente.limits`)."""
        from detente.limits import check_footprint

        arrays = scenario.arrays(as_of)
        n, m = arrays.shape
        check_footprint(self, n, m)
        issues = self.run_arrays(arrays)
        snap = scenario.snapshots[scenario.snapshot_index(as_of)]
        return ModelResult(self.name, self.parameters(), snap.as_of, issues)

    @abstractmethod
    def run_arrays(self, arrays: ScenarioArrays) -> dict[str, IssueForecast]:
        """Forecast every issue of one snapshot given as arrays."""

    def issue_solver(self) -> Callable[[IssueBatch], BatchSolution] | None:
        """The batched path for models that treat each issue on its own, else None.

        Monte Carlo and the explanations use it to solve many one-dimensional problems at
        once; models without one run ``run_arrays`` per sampled snapshot.
        """
        return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class IssueModel(Model):
    """A model that forecasts each issue independently, vectorised over a batch."""

    @abstractmethod
    def solve(self, batch: IssueBatch) -> BatchSolution:
        """Forecast every row of ``batch``."""

    def issue_solver(self) -> Callable[[IssueBatch], BatchSolution]:
        return self.solve

    def run_arrays(self, arrays: ScenarioArrays) -> dict[str, IssueForecast]:
        batch = IssueBatch.from_arrays(arrays)
        sol = self.solve(batch)
        return {
            issue: self._issue_forecast(arrays, batch, sol, j)
            for j, issue in enumerate(arrays.issues)
        }

    def _issue_forecast(
        self, arrays: ScenarioArrays, batch: IssueBatch, sol: BatchSolution, j: int
    ) -> IssueForecast:
        issue = arrays.issues[j]
        present = batch.present[j]
        if not present.any():
            return IssueForecast(issue, math.nan, details={"note": "no actor takes a stance"})
        if sol.positions is None or sol.median is None or sol.mean is None:
            return IssueForecast(issue, float(sol.outcome[j]))
        names = [a for a, p in zip(arrays.actors, present, strict=True) if p]
        n_rounds = int(sol.rounds[j]) if sol.rounds is not None else sol.positions.shape[0] - 1

        def state(r: int) -> RoundState:
            pos = sol.positions[r, j][present]  # type: ignore[index]
            return RoundState(
                median=float(sol.median[r, j]),  # type: ignore[index]
                mean=float(sol.mean[r, j]),  # type: ignore[index]
                positions=dict(zip(names, map(float, pos), strict=True)),
            )

        return IssueForecast(
            issue=issue,
            outcome=float(sol.outcome[j]),
            initial=state(0),
            rounds=tuple(state(r) for r in range(1, n_rounds + 1)),
            converged=None if sol.converged is None else bool(sol.converged[j]),
            details={k: v[j] for k, v in sol.extra.items()},
        )


def weighted_mean(x: Float, w: Float) -> Float:
    """Row-wise Σ w·x / Σ w over the last axis (NaN where all weights are zero)."""
    tot = w.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, (w * x).sum(axis=-1) / np.where(tot > 0, tot, 1.0), np.nan)


def weighted_median(x: Float, w: Float) -> Float:
    """Row-wise weighted median over the last axis.

    The smallest x whose cumulative weight reaches half the total; where the cumulative
    weight equals exactly half at some x, the midpoint between it and the next position
    (so the result does not depend on the direction of the scale).
    """
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cum = np.cumsum(ws, axis=-1)
    half = cum[..., -1:] / 2.0
    tol = 1e-12 * np.maximum(cum[..., -1:], 1e-300)
    k = np.argmax(cum >= half - tol, axis=-1)[..., None]
    lo = np.take_along_axis(xs, k, axis=-1)[..., 0]
    exact = np.abs(np.take_along_axis(cum, k, axis=-1) - half)[..., 0] <= tol[..., 0]
    # next position carrying weight after k (ignore zero-weight slots)
    n = x.shape[-1]
    idx = np.arange(n)
    later = (idx > k) & (ws > 0)
    has_next = later.any(axis=-1)
    nxt = np.take_along_axis(xs, np.argmax(later, axis=-1)[..., None], axis=-1)[..., 0]
    out = np.where(exact & has_next, (lo + nxt) / 2.0, lo)
    return np.where(cum[..., -1] > 0, out, np.nan)
