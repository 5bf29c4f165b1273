"""Backtesting: every model's forecasts against the recorded outcomes of a scenario.

For each snapshot: point forecasts (each model's ``run``) scored by mean absolute error and
the share within 10 and 20 points; probabilities (``simulate``) of threshold questions scored
by the Brier score and a reliability table. The questions are the issues' named questions;
where no issue with an outcome has any, each issue asks "is the outcome at least the
midpoint of the scale?" (DEU: outcome ≥ 50). With enough cases, an ensemble of the models is
scored by grouped cross-validation (``ensemble_cv``); otherwise the ensemble uses given
weights (those learned on the DEU development split, shipped with detente).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from detente.backtest.calibration import cross_validated, question_draws
from detente.backtest.calibration import probabilities as calibrated
from detente.backtest.ensemble_cv import CrossValidated, cross_validate, fold_of, issue_group
from detente.backtest.learned import learned
from detente.backtest.metrics import (
    PairedDifference,
    ReliabilityBin,
    absolute_errors,
    brier,
    mae,
    paired_difference,
    reliability,
    within,
)
from detente.errors import InputError
from detente.forecasting import resolve_models
from detente.models.base import Model
from detente.models.ensemble import Ensemble, combine
from detente.scenario import Issue, Question, Scenario
from detente.types import Float
from detente.uncertainty import DefaultUncertainty, simulate
from detente.uncertainty.inputs import RangeShape
from detente.uncertainty.simulation import quiet_masked_arithmetic
from detente.uncertainty.summary import question_probability
from detente.version import version

if TYPE_CHECKING:
    from detente.execution.base import Executor

#: Cross-validate an ensemble only with at least this many scored issues.
MIN_CV_ISSUES = 20
#: Uncertainty assumed in a backtest where a number states none (docs/decisions/backtest.md, BT-1).
BACKTEST_DEFAULTS = DefaultUncertainty(position=0.1, salience=0.1, capability=0.0)
ENSEMBLE = "ensemble"
#: The model every other is compared with, issue by issue (docs/decisions/backtest.md, BT-7).
BASELINE = "compromise"


@dataclass(frozen=True)
class ModelScore:
    """One model's accuracy on one snapshot."""

    n: int
    mae: float
    within_10: float
    within_20: float
    n_questions: int
    accuracy: float
    brier: float | None
    reliability: tuple[ReliabilityBin, ...] = ()
    note: str | None = None
    brier_calibrated: float | None = None
    model_error_sd: float | None = None
    reliability_calibrated: tuple[ReliabilityBin, ...] = ()
    vs_baseline: PairedDifference | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "n": self.n, "mae": _num(self.mae), "within_10": _num(self.within_10),
            "within_20": _num(self.within_20), "n_questions": self.n_questions,
            "accuracy": _num(self.accuracy),
            "brier": None if self.brier is None else _num(self.brier),
            "reliability": [b.to_dict() for b in self.reliability],
            "brier_calibrated": None if self.brier_calibrated is None
            else _num(self.brier_calibrated),
            "model_error_sd": self.model_error_sd,
            "reliability_calibrated": [b.to_dict() for b in self.reliability_calibrated],
            "vs_baseline": None if self.vs_baseline is None else self.vs_baseline.to_dict(),
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class SnapshotBacktest:
    """Scores of every model (and the ensemble) on one snapshot."""

    as_of: dt.date | None
    scores: dict[str, ModelScore]
    issues: tuple[str, ...]
    forecasts: dict[str, Float]  # model → (issues,) point forecasts
    questions: tuple[tuple[str, Question, bool], ...]  # (issue, question, recorded answer)
    probabilities: dict[str, Float] = field(default_factory=dict)  # model → (questions,)
    weights: dict[str, float] | None = None  # ensemble weights (fitted on all, or given)


@dataclass(frozen=True)
class Backtest:
    """A backtest of a scenario: per snapshot, per model."""

    scenario: Scenario
    draws: int
    seed: int
    defaults: DefaultUncertainty
    snapshots: tuple[SnapshotBacktest, ...]
    main: int  # index into snapshots of the one reported under "models"

    def to_dict(self) -> dict[str, Any]:
        def snap(s: SnapshotBacktest) -> dict[str, Any]:
            d: dict[str, Any] = {
                "as_of": None if s.as_of is None else s.as_of.isoformat(),
                "models": {k: v.to_dict() for k, v in s.scores.items()},
            }
            if s.weights is not None:
                d["ensemble_weights"] = s.weights
            return d

        main = snap(self.snapshots[self.main])
        return {
            "detente_version": version(),
            "scenario": {"id": self.scenario.id, "title": self.scenario.title},
            "draws": self.draws,
            "seed": self.seed,
            "default_sd": {"position": self.defaults.position,
                           "salience": self.defaults.salience,
                           "capability": self.defaults.capability},
            "questions": [
                {"issue": i, "id": q.id, "op": q.op, "threshold": q.threshold, "recorded": y}
                for i, q, y in self.snapshots[self.main].questions
            ],
            **main,
            "snapshots": [snap(s) for s in self.snapshots],
        }


def scored_questions(issues: Sequence[Issue]) -> list[tuple[str, Question, bool]]:
    """(issue, question, recorded answer) for every issue with an outcome.

    The issues' named questions, or, where none has any, "outcome ≥ scale midpoint".
    """
    named = [(i, q) for i in issues for q in i.questions]
    if not named:
        named = [(i, Question(id="upper_half", text="Outcome in the upper half of the scale",
                              op=">=", threshold=(i.scale.min + i.scale.max) / 2))
                 for i in issues]
    return [(i.id, q, q.holds(i.outcome.value)) for i, q in named if i.outcome is not None]


def score(point: Float, outcome: Float, span: Float, answers: Float, recorded: Float,
          probabilities: Float | None, note: str | None = None) -> ModelScore:
    """Scores from point forecasts, their yes/no answers and (optionally) probabilities."""
    ok = np.isfinite(point)
    err = absolute_errors(point[ok], outcome[ok], span[ok])
    qok = np.isfinite(answers)
    acc = float(np.mean(answers[qok] == recorded[qok])) if qok.any() else math.nan
    bs = table = None
    if probabilities is not None:
        pok = np.isfinite(probabilities)
        bs = brier(probabilities[pok], recorded[pok])
        table = tuple(reliability(probabilities[pok], recorded[pok]))
    return ModelScore(int(ok.sum()), mae(err), within(err, 10.0), within(err, 20.0),
                      int(qok.sum()), acc, bs, table or (), note)


def backtest_snapshot(
    scenario: Scenario,
    snapshot: int,
    models: Sequence[Model],
    *,
    draws: int,
    seed: int,
    defaults: DefaultUncertainty,
    shape: RangeShape,
    folds: int,
    ensemble: bool,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    executor: Executor | None = None,
) -> SnapshotBacktest:
    """Scores of each model on one snapshot (see the module docstring)."""
    key = scenario.snapshots[snapshot].as_of if len(scenario.snapshots) > 1 else None
    issues = [i for i in scenario.issues if i.outcome is not None]
    if not issues:
        raise InputError("no issue has a recorded outcome", field="issues[].outcome",
                         hint="add each issue's known outcome to backtest")
    ids = tuple(i.id for i in issues)
    outcome = np.array([i.outcome.value for i in issues if i.outcome is not None])
    span = np.array([i.scale.span for i in issues])
    qs = scored_questions(issues)
    recorded = np.array([y for _, _, y in qs], dtype=float)
    col = {iid: k for k, iid in enumerate(ids)}

    with quiet_masked_arithmetic():
        runs = {m.name: m.run(scenario, key) for m in models}
    point = {name: np.array([r.outcome(i) for i in ids]) for name, r in runs.items()}

    def answers(x: Float) -> Float:
        return np.array([np.nan if not np.isfinite(x[col[i]]) else float(q.holds(x[col[i]]))
                         for i, q, _ in qs])

    sim_samples: dict[str, Float] = {}
    # Probabilities for models that solve issues in batches; the others (exchange, joint
    # smp) would run once per draw, so they are scored on their point forecasts only.
    batched = [m for m in models if m.tags().batched]
    if draws > 0 and batched:
        sim = simulate(scenario, batched, draws=draws, seed=seed, as_of=key,
                       progress=progress, defaults=defaults, shape=shape, workers=workers,
                       executor=executor)
        sim_samples = {m.name: np.stack([sim.samples[m.name][i] for i in ids], axis=1)
                       for m in batched}

    def probs(samples: Float) -> Float:
        return np.array([question_probability(samples[:, col[i]], q).p for i, q, _ in qs])

    probabilities = {name: probs(s) for name, s in sim_samples.items()}
    scores = {name: score(point[name], outcome, span, answers(point[name]), recorded,
                          probabilities.get(name)) for name in point}

    groups = [issue_group(i) for i in issues]
    cases = len(outcome) >= MIN_CV_ISSUES and len(set(groups)) >= folds
    shipped = learned()
    weights = None
    # The ensemble's members are the Ensemble model's (docs/models/ensemble.md, ENS-3: adding more
    # models raised the cross-validated error on DEU), those of them that run here.
    chosen = {m.name for m in models if m.tags().batched}
    members = [n for n in Ensemble().members if n in chosen]
    if ensemble and len(members) >= 2:
        f = np.stack([point[n] for n in members], axis=1)
        s = np.stack([sim_samples[n] for n in members], axis=2) if sim_samples else None
        ok = np.all(np.isfinite(f), axis=1)
        ens = ens_samples = None
        if cases and ok.sum() >= MIN_CV_ISSUES:
            cv = _cv(f, outcome, groups, ok, folds, seed, s)
            ens, ens_samples = cv.forecasts, cv.samples
            weights = dict(zip(members, map(float, cv.weights), strict=True))
            note = f"{folds}-fold cross-validated by case; weights fitted on the held-in folds"
        elif list(shipped["ensemble"]["members"]) == members:
            w = np.asarray(shipped["ensemble"]["weights"], float)
            ens, ens_samples = combine(f, w), (None if s is None else combine(s, w))
            weights = dict(zip(members, map(float, w), strict=True))
            note = f"weights learned on {shipped['learned_on']}, not on these cases"
        if ens is not None:
            p = None if ens_samples is None else probs(ens_samples)
            if p is not None:
                probabilities[ENSEMBLE] = p
                sim_samples[ENSEMBLE] = ens_samples  # type: ignore[assignment]
            scores[ENSEMBLE] = score(ens, outcome, span, answers(ens), recorded, p, note)
            point[ENSEMBLE] = ens

    # every model against the baseline on the same issues, cases resampled (BT-7)
    base = point[BASELINE] if BASELINE in point else _baseline(scenario, key, ids)
    base_err = absolute_errors(base, outcome, span)
    for name, x in point.items():
        if name != BASELINE:
            scores[name] = dataclasses.replace(scores[name], vs_baseline=paired_difference(
                absolute_errors(x, outcome, span), base_err, groups, name=BASELINE))

    # calibration: a model error on top of the inputs' spread, by cross-validation where
    # there are enough cases, else as learned on the DEU development split
    q_issue = np.array([col[i] for i, _, _ in qs], dtype=np.intp)
    q_list = [q for _, q, _ in qs]
    q_fold = fold_of(groups, folds, seed)[q_issue]
    for name, samples in sim_samples.items():
        x = question_draws(samples, q_issue)
        sigma = shipped["model_error_sd"].get(name)
        if cases:
            p_cal, sigma = cross_validated(x, q_list, span[q_issue], recorded, q_fold)
        elif sigma is not None:
            p_cal = calibrated(x, q_list, span[q_issue], float(sigma))
        else:
            continue
        pok = np.isfinite(p_cal)
        scores[name] = dataclasses.replace(
            scores[name], brier_calibrated=brier(p_cal[pok], recorded[pok]),
            model_error_sd=float(sigma),
            reliability_calibrated=tuple(reliability(p_cal[pok], recorded[pok])))
    return SnapshotBacktest(scenario.snapshots[snapshot].as_of, scores, ids, point, tuple(qs),
                            probabilities, weights)


def _baseline(scenario: Scenario, key: dt.date | None, ids: tuple[str, ...]) -> Float:
    from detente.models.compromise import Compromise

    run = Compromise().run(scenario, key)
    return np.array([run.outcome(i) for i in ids])


def _cv(f: Float, outcome: Float, groups: list[str], ok: np.ndarray, folds: int, seed: int,
        samples: Float | None) -> CrossValidated:
    """Cross-validation on the issues every member forecasts; NaN elsewhere."""
    idx = np.flatnonzero(ok)
    cv = cross_validate(f[idx], outcome[idx], [groups[k] for k in idx], folds=folds, seed=seed,
                        samples=None if samples is None else samples[:, idx, :])
    full = np.full(len(outcome), np.nan)
    full[idx] = cv.forecasts
    mixed = None
    if cv.samples is not None and samples is not None:
        mixed = np.full(samples.shape[:2], np.nan)
        mixed[:, idx] = cv.samples
    return CrossValidated(full, mixed, cv.fold_weights, cv.weights, cv.folds)


def backtest(
    scenario: Scenario,
    models: Sequence[str | Model] | None = None,
    *,
    draws: int = 100,
    seed: int = 0,
    as_of: dt.date | str | None = None,
    defaults: DefaultUncertainty | None = None,
    shape: RangeShape = "triangular",
    folds: int = 5,
    ensemble: bool = True,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    executor: Executor | None = None,
) -> Backtest:
    """Score every model on every snapshot of ``scenario`` against its recorded outcomes.

    ``draws`` = 0 skips the simulation (no Brier score). ``defaults`` is the uncertainty of
    numbers that state none (default :data:`BACKTEST_DEFAULTS`). The snapshot in force at
    ``as_of`` (default: the latest) is the one reported at the top of ``to_dict``.
    The draws run on ``executor`` (``detente.execution``) if given, else in ``workers``
    local processes; the scores do not depend on either.
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise InputError(f"draws must be a whole number >= 0, got {draws!r}", field="--draws",
                         hint="0 scores point forecasts only")
    if isinstance(folds, bool) or not isinstance(folds, int) or folds < 2:
        raise InputError(f"folds must be at least 2, got {folds!r}", field="--folds")
    from detente.forecasting import snapshot_index

    main = snapshot_index(scenario, as_of)
    chosen = resolve_models(models, scenario=scenario)
    # the ensemble is learned on these cases (cross-validated) rather than taken as given
    ensemble = ensemble or any(m.name == ENSEMBLE for m in chosen)
    chosen = [m for m in chosen if m.name != ENSEMBLE]
    defaults = BACKTEST_DEFAULTS if defaults is None else defaults
    snaps = tuple(
        backtest_snapshot(scenario, k, chosen, draws=draws, seed=seed, defaults=defaults,
                          shape=shape, folds=folds, ensemble=ensemble, progress=progress,
                          workers=workers, executor=executor)
        for k in range(len(scenario.snapshots))
    )
    return Backtest(scenario, draws, seed, defaults, snaps, main)


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)
