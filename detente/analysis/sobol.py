"""Variance decomposition of an issue's forecast across its uncertain inputs (Sobol indices).

First-order (S1) and total (ST) indices with bootstrap confidence intervals, by Saltelli's
scheme as implemented in SALib (Herman & Usher 2017; Iwanaga, Usher & Herman 2022):
``SALib.sample.sobol.sample`` draws N·(k + 2) points of [0, 1]^k from a Sobol sequence, each
coordinate is turned into an input value by that input's quantile function (the same
distributions ``simulate`` samples), the model runs on all points in one batch, and
``SALib.analyze.sobol.analyze`` estimates the indices (Saltelli et al. 2010; Jansen 1999).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from detente.analysis.issue_runner import IssueRunner, issue_runner
from detente.errors import InputError
from detente.models.base import Model
from detente.scenario import Scenario
from detente.types import Float
from detente.uncertainty.inputs import DefaultUncertainty, RangeShape, UncertainInput
from detente.uncertainty.sampling import Sampler

if TYPE_CHECKING:
    from detente.execution.base import Executor, Progress

#: Model runs per task: tasks are sized by the job, not by the workers (the model solves
#: every row on its own, so the indices do not depend on it either).
TASK_ROWS = 4096


@dataclass(frozen=True)
class SobolIndex:
    """One input's share of the forecast's variance: alone (S1) and with interactions (ST).

    ``*_conf`` are half-widths of 95 % bootstrap confidence intervals.
    """

    input: str
    actor: str
    quantity: str
    s1: float
    s1_conf: float
    st: float
    st_conf: float

    def to_dict(self) -> dict[str, Any]:
        return {k: (None if isinstance(v, float) and math.isnan(v) else v)
                for k, v in asdict(self).items()}


def sobol_indices(
    scenario: Scenario,
    model: str | Model,
    issue: str,
    *,
    as_of: dt.date | str | None = None,
    rounds: int | None = None,
    samples: int = 1024,
    seed: int = 0,
    defaults: DefaultUncertainty | None = None,
    shape: RangeShape = "triangular",
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[SobolIndex]:
    """Sobol indices of every uncertain input of ``issue``, largest total index first.

    ``samples`` is SALib's N (a power of 2); the model runs N·(k + 2) times for k inputs,
    in tasks of :data:`TASK_ROWS` runs on ``executor`` (default: in this process).
    Where the forecast does not vary at all, every index is 0.
    """
    if samples < 2 or samples & (samples - 1):
        raise InputError(f"samples must be a power of 2 (>= 2), got {samples}",
                         field="--sobol-samples", hint="e.g. 1024")
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    runner = issue_runner(scenario, model, issue, as_of=as_of, rounds=rounds,
                          defaults=defaults, shape=shape)
    inputs = runner.issue_inputs()
    k = len(inputs)
    if k == 0:
        return []
    problem = {"num_vars": k, "names": [x.key for x in inputs], "bounds": [[0.0, 1.0]] * k}
    u = sample.sample(problem, samples, calc_second_order=False, seed=seed)
    values = Sampler.values(np.clip(u, 0.0, 1.0), inputs)
    y = model_runs(runner, inputs, values, executor, progress)
    if not np.all(np.isfinite(y)) or float(np.var(y)) == 0.0:
        zero = 0.0 if np.all(np.isfinite(y)) else math.nan
        return [SobolIndex(x.key, x.actor, x.quantity, zero, zero, zero, zero) for x in inputs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = analyze.analyze(problem, y, calc_second_order=False, seed=seed,
                              print_to_console=False)
    out = [
        SobolIndex(x.key, x.actor, x.quantity, float(res["S1"][i]), float(res["S1_conf"][i]),
                   float(res["ST"][i]), float(res["ST_conf"][i]))
        for i, x in enumerate(inputs)
    ]
    return sorted(out, key=lambda s: -s.st)


def _solve_rows(context: tuple[IssueRunner, tuple[UncertainInput, ...], Float],
                span: tuple[int, int]) -> Float:
    runner, inputs, values = context
    return runner.solve(runner.rows_from_values(inputs, values[span[0]:span[1]]))


def model_runs(runner: IssueRunner, inputs: tuple[UncertainInput, ...], values: Float,
               executor: Executor | None = None, progress: Progress | None = None) -> Float:
    """The forecast at every row of ``values`` (R, k), in tasks of :data:`TASK_ROWS` rows."""
    from detente.execution.local import InProcess

    r = values.shape[0]
    spans = [(a, min(r, a + TASK_ROWS)) for a in range(0, r, TASK_ROWS)]
    parts = (executor or InProcess()).map(_solve_rows, (runner, inputs, values), spans,
                                          progress=progress)
    return np.concatenate(parts) if parts else np.empty(0)
