"""Running a sweep: every variation with its own Monte Carlo, as tasks on an executor.

A task computes a batch of variations. For each, the varied inputs replace the scenario's
values (and lose their stated uncertainty: the sweep explores them, docs/decisions/sweeps.md,
SWP-2), the varied model parameters replace the models' values, and every model runs over
the variation's own draws of the remaining uncertainty. A task returns, per variation,
model and issue, the mean, median, sd and 5–95 % interval of the forecast and every
question's probability; the client writes each task's variations into the workspace as the
task finishes, so memory stays flat however many variations there are.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from detente.arrays import ScenarioArrays, build_arrays
from detente.errors import DetenteError, InputError
from detente.forecasting import resolve_models, snapshot_index
from detente.models.base import Model
from detente.scenario import Issue, Question, Scenario
from detente.sweep.sampling import DRAWS_KEY, points
from detente.sweep.spec import SweepSpec, Variable, check
from detente.types import Float
from detente.uncertainty.inputs import DefaultUncertainty, UncertainInput, scenario_inputs
from detente.uncertainty.sampling import Sampler
from detente.uncertainty.simulation import quiet_masked_arithmetic, run_draws
from detente.uncertainty.summary import INTERVAL, question_probability

if TYPE_CHECKING:
    from detente.execution.base import Executor, Progress
    from detente.store.workspace import Workspace

#: The statistics kept per variation, model and issue, in this order.
STATS = ("mean", "median", "sd", "p5", "p95")


@dataclass(frozen=True)
class Target:
    """Where one variable's value goes: an input (its index), a status quo (the issue's
    column) or a model parameter (the model's index)."""

    kind: str
    input: int = -1
    column: int = -1
    model: int = -1


@dataclass(frozen=True)
class SweepContext:
    """What every task of a sweep shares (sent to each worker once)."""

    base: ScenarioArrays
    inputs: tuple[UncertainInput, ...]
    variables: tuple[Variable, ...]
    targets: tuple[Target, ...]
    models: tuple[Model, ...]
    issues: tuple[Issue, ...]
    questions: tuple[tuple[int, Question], ...]  # (issue column, question)
    points: Float
    draws: int
    seed: int


@dataclass(frozen=True)
class VariationBatch:
    """One task's results: ``stats`` (V, models, issues, STATS), ``questions`` (V, models,
    questions, [p, se])."""

    variations: NDArray[np.int64]
    inputs: Float
    stats: Float
    questions: Float


def _target(var: Variable, scenario: Scenario, inputs: Sequence[UncertainInput],
            models: Sequence[Model]) -> Target:
    if var.kind == "parameter":
        return Target("parameter", model=[m.name for m in models].index(str(var.model)))
    if var.kind == "status_quo":
        return Target("status_quo", column=scenario.issue_index[str(var.issue)])
    issue = None if var.kind == "capability" else var.issue
    for k, x in enumerate(inputs):
        if x.quantity == var.kind and x.actor == var.actor and x.issue == issue:
            if not x.cells:
                raise InputError(f"actor {var.actor!r} has its own capability on every issue",
                                 field=f"--vary {var.path}",
                                 hint="its general capability is not used at this snapshot")
            return Target(var.kind, input=k)
    raise InputError(f"{var.path} sets nothing in this snapshot", field=f"--vary {var.path}")


def build_context(scenario: Scenario, spec: SweepSpec) -> SweepContext:
    """The shared part of a checked spec's tasks: arrays, inputs, models, the variations."""
    index = snapshot_index(scenario, spec.as_of)
    models = tuple(resolve_models(list(spec.models), settings=spec.settings,
                                  scenario=scenario, rounds=spec.rounds))
    defaults = DefaultUncertainty(spec.position_sd, spec.salience_sd, spec.capability_sd)
    inputs = scenario_inputs(scenario, index, defaults, spec.range_shape)  # type: ignore[arg-type]
    targets = tuple(_target(v, scenario, inputs, models) for v in spec.variables)
    questions = tuple((j, q) for j, issue in enumerate(scenario.issues) for q in issue.questions)
    return SweepContext(build_arrays(scenario, index), inputs, spec.variables, targets, models,
                        scenario.issues, questions, points(spec), spec.draws, spec.seed)


def vary(ctx: SweepContext, values: Float) -> tuple[ScenarioArrays, tuple[UncertainInput, ...],
                                                    list[Model]]:
    """The arrays, inputs and models of one variation (``values`` as written)."""
    b = ctx.base
    arrays = {"position": b.position.copy(), "salience": b.salience.copy(),
              "capability": b.capability.copy()}
    status_quo = b.status_quo.copy()
    inputs = list(ctx.inputs)
    overrides: dict[int, dict[str, Any]] = {}
    for var, target, x in zip(ctx.variables, ctx.targets, values, strict=True):
        if target.kind == "parameter":
            overrides.setdefault(target.model, {})[str(var.param)] = (
                int(x) if var.integer else float(x))
        elif target.kind == "status_quo":
            status_quo[target.column] = x
        else:
            value = float(x) * var.scale
            old = inputs[target.input]
            arrays[target.kind].flat[list(old.cells)] = value
            inputs[target.input] = dataclasses.replace(old, kind="fixed", value=value, sd=0.0,
                                                       low=value, high=value)
    for a in (*arrays.values(), status_quo):
        a.setflags(write=False)
    base = dataclasses.replace(b, status_quo=status_quo, position=arrays["position"],
                               salience=arrays["salience"], capability=arrays["capability"])
    models = [dataclasses.replace(m, **overrides[k]) if k in overrides else m
              for k, m in enumerate(ctx.models)]
    return base, tuple(inputs), models


def _stats(samples: Float) -> Float:
    """(issues, STATS) of draws (draws, issues), as ``detente.uncertainty.summarize`` has
    them: finite draws only; a constant forecast has its value as mean and sd 0."""
    out = np.full((samples.shape[1], len(STATS)), np.nan)
    for j in range(samples.shape[1]):
        col = samples[:, j]
        finite = col[np.isfinite(col)]
        if finite.size == 0:
            continue
        lo, med, hi = np.percentile(finite, [INTERVAL[0], 50.0, INTERVAL[1]])
        constant = finite.min() == finite.max()
        out[j] = (finite[0] if constant else finite.mean(), med,
                  finite.std(ddof=1) if finite.size > 1 and not constant else 0.0, lo, hi)
    return out


def run_variations(ctx: SweepContext, variations: NDArray[np.int64]) -> VariationBatch:
    """One task: every variation in ``variations``, each over its own draws."""
    v, m, n_issues, q = len(variations), len(ctx.models), len(ctx.issues), len(ctx.questions)
    stats = np.empty((v, m, n_issues, len(STATS)))
    probs = np.empty((v, m, q, 2))
    for row, variation in enumerate(variations):
        base, inputs, models = vary(ctx, ctx.points[variation])
        sampled = Sampler(base, inputs).sample(ctx.seed, 0, ctx.draws,
                                               key=(DRAWS_KEY, int(variation)))
        for k, model in enumerate(models):
            with quiet_masked_arithmetic():
                out = run_draws(model, base, sampled)
            stats[row, k] = _stats(out)
            for i, (j, question) in enumerate(ctx.questions):
                p = question_probability(out[:, j], question)
                probs[row, k, i] = (p.p, p.se)
    return VariationBatch(np.asarray(variations, dtype=np.int64),
                          np.asarray(ctx.points[variations]), stats, probs)


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep: what was stored stays; ``resume_sweep`` finishes it."""

    def __init__(self, sweep_id: int) -> None:
        super().__init__(f"sweep {sweep_id} interrupted")
        self.sweep_id = sweep_id


@dataclass(frozen=True)
class SweepOutcome:
    """What a call of :func:`run_sweep` did."""

    sweep_id: int
    variations: int
    computed: int
    already: int
    elapsed: float


def run_sweep(
    scenario: Scenario,
    spec: SweepSpec,
    workspace: Workspace,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    resume: int | None = None,
    where: Sequence[str] | None = None,
    on_start: Callable[[int, int, int], None] | None = None,
) -> SweepOutcome:
    """Run (or, with ``resume``, finish) a sweep, streaming results into ``workspace``.

    The spec is checked before anything runs (``where`` names each variable for errors).
    Variations already stored are not computed again; each task's variations are stored in
    one transaction as the task finishes. ``progress`` gets (variations done, variations);
    ``on_start`` (sweep id, variations, already stored) once the sweep is stored, before any
    task runs.
    """
    from detente.execution.local import InProcess
    from detente.store.sweeps import SweepStore

    spec = check(spec, scenario, where)
    ctx = build_context(scenario, spec)
    store = SweepStore(workspace)
    if resume is None:
        sweep_id = store.create(scenario, snapshot_index(scenario, spec.as_of), spec,
                                ctx.models)
    else:
        sweep_id = resume
    done = store.done(sweep_id)
    total = spec.variations
    missing = np.setdiff1d(np.arange(total, dtype=np.int64), done)
    size = spec.task_size
    tasks = [missing[a:a + size] for a in range(0, len(missing), size)]
    if on_start is not None:
        on_start(sweep_id, total, len(done))
    started = time.perf_counter()
    finished = len(done)
    if progress is not None:
        progress(finished, total)
    try:
        for _, batch in (executor or InProcess()).run(run_variations, ctx, tasks):
            store.write(sweep_id, batch, ctx)
            finished += len(batch.variations)
            if progress is not None:
                progress(finished, total)
    except KeyboardInterrupt as exc:
        raise SweepInterrupted(sweep_id) from exc
    except DetenteError as exc:
        raise DetenteError(f"{exc}; sweep {sweep_id} keeps every variation stored so far: "
                           f"finish it with: detente sweep --resume {sweep_id}") from exc
    elapsed = time.perf_counter() - started
    store.finish(sweep_id, elapsed)
    return SweepOutcome(sweep_id, total, len(missing), len(done), elapsed)


def resume_sweep(workspace: Workspace, sweep_id: int, *, executor: Executor | None = None,
                 progress: Progress | None = None,
                 on_start: Callable[[int, int, int], None] | None = None) -> SweepOutcome:
    """Finish a stored sweep: only its missing variations are computed."""
    from detente.store.sweeps import SweepStore
    from detente.version import version

    info = SweepStore(workspace).info(sweep_id)
    if info.detente_version != version():
        raise InputError(
            f"sweep {sweep_id} was run by detente {info.detente_version}, this is {version()}",
            field="--resume", hint="resume it with that version, or start a new sweep")
    scenario = workspace.scenario(info.scenario_key)
    return run_sweep(scenario, SweepSpec.from_dict(info.spec), workspace, executor=executor,
                     progress=progress, resume=sweep_id, on_start=on_start)


def sweep(
    scenario: Scenario,
    vary: dict[str, tuple[float, float]],
    *,
    n: int,
    workspace: Workspace,
    models: Sequence[str] = ("eum",),
    sample: str = "lhs",
    draws: int = 100,
    seed: int = 0,
    executor: Executor | None = None,
    **options: Any,
) -> SweepOutcome:
    """A sweep from Python: ``vary`` maps paths to (low, high), e.g.
    ``sweep(sc, {"actors.usa.capability": (50, 150), "eum.Q": (0.5, 1)}, n=500,
    workspace=ws)``; ``options`` are further :class:`SweepSpec` fields."""
    from detente.sweep.spec import parse_path

    variables = tuple(parse_path(p, float(lo), float(hi), f"vary {p}")
                      for p, (lo, hi) in vary.items())
    spec = SweepSpec(variables=variables, n=n, sample=sample,  # type: ignore[arg-type]
                     draws=draws, seed=seed, models=tuple(models), **options)
    return run_sweep(scenario, spec, workspace, executor=executor,
                     where=[f"vary {p}" for p in vary])


