"""Monte Carlo over input uncertainty: every model on every draw, all draws at once.

``simulate`` samples positions, saliences and capabilities from their stated uncertainty
(``detente.uncertainty.inputs``) and runs each model over the draws. An ``IssueModel`` solves
one batch of draws × issues rows per chunk of the draws axis (its rounds, for a dynamic
model, run for all rows together); any other model runs ``run_arrays`` once per draw on the
sampled arrays (the per-draw fallback). Chunks bound memory; the result does not depend on
the chunk size (see ``detente.uncertainty.sampling``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from detente.arrays import ScenarioArrays, build_arrays
from detente.backtest.learned import learned
from detente.errors import InputError
from detente.forecasting import Forecast, resolve_models, snapshot_index
from detente.limits import check_footprint
from detente.models.base import Model
from detente.scenario import Scenario
from detente.types import Float
from detente.uncertainty.inputs import (
    DefaultUncertainty,
    RangeShape,
    UncertainInput,
    scenario_inputs,
)
from detente.uncertainty.sampling import BLOCK, SampledArrays, Sampler
from detente.uncertainty.summary import IssueSummary, summarize
from detente.version import version

if TYPE_CHECKING:
    from detente.execution.base import Executor

#: A chunk of the draws axis holds about this many actor × issue cells per quantity
#: (rounded down to whole blocks, at least one block).
CHUNK_CELLS = 1 << 18

Progress = Callable[[int, int], None]
"""Called after each chunk with (draws done, draws in all)."""


@dataclass(frozen=True)
class Simulation:
    """The outcome of ``simulate``: per model and issue, the forecast of every draw.

    ``samples[model][issue]`` is a float array of shape (draws,) in the issue's units (NaN
    where no actor takes a stance on the issue).
    """

    scenario: Scenario
    snapshot: int
    draws: int
    seed: int
    models: dict[str, Model]
    samples: dict[str, dict[str, Float]]
    inputs: tuple[UncertainInput, ...] = ()
    defaults: DefaultUncertainty = field(default_factory=DefaultUncertainty)
    shape: RangeShape = "triangular"
    #: model → model-error sd (share of the scale) for calibrated question probabilities
    calibration: dict[str, float] = field(default_factory=dict)
    _summaries: dict[tuple[str, str], IssueSummary] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    @property
    def as_of(self) -> dt.date | None:
        return self.scenario.snapshots[self.snapshot].as_of

    def summary(self, model: str, issue: str) -> IssueSummary:
        """Mean, median, sd, 5–95 % interval and question probabilities of one forecast."""
        key = (model, issue)
        if key not in self._summaries:
            self._summaries[key] = summarize(self.samples[model][issue],
                                             self.scenario.issue(issue),
                                             self.calibration.get(model))
        return self._summaries[key]

    def calibrated(self) -> Simulation:
        """The same draws, questions also answered with each model's own error added.

        The model-error sds are those learned on the DEU III development split (shipped in
        ``detente/data/learned_deu_dev.json``); models without one keep plain probabilities.
        Transferring them from EU legislation to another kind of negotiation is an
        assumption, stated in the output.
        """
        sds = {name: float(s) for name, s in learned()["model_error_sd"].items()
               if name in self.models and s is not None}
        return dataclasses.replace(self, calibration=sds)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``detente simulate --format json``."""
        base = Forecast(self.scenario, self.snapshot, {}, {}).to_dict()
        issues = []
        for entry in base["issues"]:
            entry["forecasts"] = {
                name: self.summary(name, entry["id"]).to_dict() for name in self.models
            }
            issues.append(entry)
        return {
            "detente_version": version(),
            "scenario": base["scenario"],
            "draws": self.draws,
            "seed": self.seed,
            "sampling": {
                "range_shape": self.shape,
                "default_sd": {
                    "position": self.defaults.position,
                    "salience": self.defaults.salience,
                    "capability": self.defaults.capability,
                },
                "uncertain_inputs": sum(x.uncertain for x in self.inputs),
            },
            **({"calibration": {"model_error_sd": self.calibration,
                                "learned_on": learned()["learned_on"]}}
               if self.calibration else {}),
            "models": {
                name: {"label": m.label, "citation": m.citation, "parameters": m.parameters()}
                for name, m in self.models.items()
            },
            "issues": issues,
        }


def check_draws(draws: int) -> int:
    """``draws`` as a positive whole number, or a one-line error."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws <= 0:
        raise InputError(f"draws must be a whole number above 0, got {draws!r}",
                         field="--draws", hint="e.g. --draws 10000")
    return int(draws)


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed must be a whole number >= 0, got {seed!r}", field="--seed")
    return int(seed)


def chunk_draws(arrays: ScenarioArrays, chunk: int | None = None) -> int:
    """Draws per chunk: ``chunk`` rounded up to whole blocks, or sized by ``CHUNK_CELLS``."""
    if chunk is None:
        n, m = arrays.shape
        chunk = CHUNK_CELLS // max(1, n * m)
    if chunk <= 0:
        raise InputError(f"chunk must be above 0, got {chunk}", field="chunk")
    return max(BLOCK, (chunk + BLOCK - 1) // BLOCK * BLOCK)


def quiet_masked_arithmetic() -> Any:
    """Silence NaN warnings from arithmetic on empty actor slots, which models mask out.

    (The EUM raises a fractional power of a negative distance in slots of actors without
    a stance, whose results it then discards.)
    """
    return np.errstate(invalid="ignore")


def run_draws(model: Model, base: ScenarioArrays, sampled: SampledArrays) -> Float:
    """Forecasts (draws, issues) of ``model`` on sampled inputs.

    A model that solves issues one by one (``Model.issue_solver``) gets all draws × issues
    rows in one batch; any other model runs ``run_arrays`` once per draw (the fallback path).
    """
    d = sampled.draws
    m = len(base.issues)
    solver = model.issue_solver()
    if solver is not None:
        with quiet_masked_arithmetic():
            out = solver(sampled.issue_batch(base)).outcome.reshape(d, m)
        active = np.asarray(base.present.any(axis=0), dtype=bool)
        return np.where(active[None, :], out, np.nan)
    result = np.empty((d, m))
    for k in range(d):
        issues = model.run_arrays(sampled.arrays(base, k))
        result[k] = [issues[i].outcome for i in base.issues]
    return result


#: Draws per task at most: tasks are sized by the job, never by the number of workers, so
#: that many workers share a large run (docs/decisions/sweeps.md, SWP-1).
TASK_DRAWS = 2048


def _chunk(context: tuple[Sequence[Model], ScenarioArrays, Sampler, int],
           span: tuple[int, int]) -> list[Float]:
    """Every model's forecasts (draws, issues) for draws ``span[0]``..``span[1]`` − 1."""
    models, base, sampler, seed = context
    sampled = sampler.sample(seed, *span)
    return [run_draws(model, base, sampled) for model in models]


def check_workers(workers: int) -> int:
    """Worker processes: a whole number >= 0 (0 = one per CPU core)."""
    from detente.execution.local import check_workers as check

    return check(workers)


def simulate(
    scenario: Scenario,
    models: Sequence[str | Model] | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    as_of: dt.date | str | None = None,
    rounds: int | None = None,
    progress: Progress | None = None,
    defaults: DefaultUncertainty | None = None,
    shape: RangeShape = "triangular",
    chunk: int | None = None,
    workers: int = 1,
    calibrate: bool = False,
    executor: Executor | None = None,
) -> Simulation:
    """Run each model over ``draws`` samples of the snapshot in force at ``as_of``.

    ``models`` defaults to every registered model that solves issues in batches (see
    ``Model.issue_solver``); the others (the exchange model, a joint spatial model) run one
    sampled snapshot at a time, so they are simulated only when named. ``defaults`` gives
    the uncertainty of numbers that state none (default: exact); ``shape`` the distribution
    of a stated range ("triangular" or "pert"); ``chunk`` the draws per chunk (memory only:
    results do not depend on it); ``workers`` the processes that compute chunks side by
    side (0 = one per core; results do not depend on it), unless ``executor`` says where
    the tasks run (``detente.execution``; results do not depend on it either). ``calibrate``
    adds calibrated question probabilities (``Simulation.calibrated``).
    """
    draws = check_draws(draws)
    seed = check_seed(seed)
    index = snapshot_index(scenario, as_of)
    chosen = resolve_models(models, scenario=scenario, rounds=rounds)
    if models is None:
        chosen = [m for m in chosen if m.tags().batched]
    base = build_arrays(scenario, index)
    defaults = defaults or DefaultUncertainty()
    inputs = scenario_inputs(scenario, index, defaults, shape)
    sampler = Sampler(base, inputs)
    step = min(chunk_draws(base, chunk), TASK_DRAWS)
    spans = [(start, min(draws, start + step)) for start in range(0, draws, step)]
    n_actors, n_issues = base.shape
    for model in chosen:  # refused up front when a run would exceed the limits
        if model.issue_solver() is not None:
            check_footprint(model, n_actors, n_issues, rows=draws * n_issues)
        else:
            check_footprint(model, n_actors, n_issues, repeats=draws)
    out = {m.name: np.empty((draws, len(base.issues))) for m in chosen}
    done = 0
    from detente.execution.choose import executor_for

    owned = executor is None
    runner = executor_for("processes", check_workers(workers)) if owned else executor
    assert runner is not None
    try:
        for k, results in runner.run(_chunk, (chosen, base, sampler, seed), spans):
            start, stop = spans[k]
            for model, res in zip(chosen, results, strict=True):
                out[model.name][start:stop] = res
            done += stop - start
            if progress is not None:  # as each task finishes, in the backend's order
                progress(done, draws)
    finally:
        if owned:
            runner.close()
    samples = {
        name: {issue: np.ascontiguousarray(arr[:, j]) for j, issue in enumerate(base.issues)}
        for name, arr in out.items()
    }
    sim = Simulation(scenario, index, draws, seed, {m.name: m for m in chosen}, samples,
                     inputs, defaults, shape)
    return sim.calibrated() if calibrate else sim

