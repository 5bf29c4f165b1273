"""Monte Carlo results in the shape of the simulation contract, made from NumPy draws.

The simulation module itself lives elsewhere; these stand-ins follow its contract exactly
(``Simulation`` attributes and ``summary``; the JSON document of ``detente simulate --format
json``; the tornado's list of bars) so that the workspace and the reports can be tested on
realistic numbers: each model's point forecast, blurred by draws whose spread follows the
stated uncertainty of the positions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from detente import __version__
from detente.forecasting import forecast
from detente.models import Model
from detente.scenario import Scenario


@dataclass(frozen=True)
class QuestionProbability:
    p: float
    se: float


@dataclass(frozen=True)
class IssueSummary:
    mean: float
    median: float
    sd: float
    interval: tuple[float, float]
    questions: dict[str, QuestionProbability] = field(default_factory=dict)


@dataclass(frozen=True)
class FakeSimulation:
    """Holds what the contract's ``Simulation`` holds."""

    scenario: Scenario
    snapshot: int
    draws: int
    seed: int
    models: dict[str, Model]
    samples: dict[str, dict[str, np.ndarray]]

    def summary(self, model: str, issue: str) -> IssueSummary:
        x = self.samples[model][issue]
        iss = self.scenario.issue(issue)
        qs = {}
        for q in iss.questions:
            yes = {">=": x >= q.threshold, ">": x > q.threshold, "<=": x <= q.threshold,
                   "<": x < q.threshold}[q.op]
            p = float(yes.mean())
            qs[q.id] = QuestionProbability(p, math.sqrt(p * (1 - p) / self.draws))
        lo, hi = np.percentile(x, [5, 95])
        return IssueSummary(float(x.mean()), float(np.median(x)), float(x.std(ddof=1)),
                            (float(lo), float(hi)), qs)


def fake_simulation(
    scenario: Scenario, *, draws: int = 2000, seed: int = 7, as_of: str | None = None,
    models: list[str] | None = None,
) -> FakeSimulation:
    """Draws around each model's forecast: normal, sd = the mean stated position sd of the
    issue (5 % of the scale where none is stated), clipped to the scale."""
    fc = forecast(scenario, models, as_of=as_of)
    arrays = scenario.arrays(None if fc.snapshot == len(scenario.snapshots) - 1 else fc.as_of)
    rng = np.random.default_rng(seed)
    samples: dict[str, dict[str, np.ndarray]] = {}
    for name in fc.models:
        samples[name] = {}
        for j, issue in enumerate(scenario.issues):
            sd = np.nanmean(arrays.position_unc.sd[:, j]) if np.isfinite(
                arrays.position_unc.sd[:, j]).any() else 0.05 * issue.scale.span
            centre = fc.outcome(name, issue.id)
            x = rng.normal(centre, sd, draws)
            samples[name][issue.id] = np.clip(x, issue.scale.min, issue.scale.max)
    return FakeSimulation(scenario, fc.snapshot, draws, seed, fc.models, samples)


def simulation_document(sim: FakeSimulation) -> dict[str, Any]:
    """The JSON document of ``detente simulate --format json``, per the contract."""
    base = forecast(sim.scenario, list(sim.models.values()),
                    as_of=sim.scenario.snapshots[sim.snapshot].as_of).to_dict()
    issues = []
    for issue, entry in zip(sim.scenario.issues, base["issues"], strict=True):
        out = {k: entry[k] for k in ("id", "name", "scale", "status_quo", "anchors", "questions")}
        if "known_outcome" in entry:
            out["known_outcome"] = entry["known_outcome"]
        out["forecasts"] = {}
        edges = np.linspace(issue.scale.min, issue.scale.max, 41)
        for name in sim.models:
            s = sim.summary(name, issue.id)
            counts, _ = np.histogram(sim.samples[name][issue.id], bins=edges)
            out["forecasts"][name] = {
                "mean": s.mean, "median": s.median, "sd": s.sd, "interval": list(s.interval),
                "questions": {k: {"p": q.p, "se": q.se} for k, q in s.questions.items()},
                "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
            }
        issues.append(out)
    return {
        "detente_version": __version__,
        "scenario": base["scenario"],
        "draws": sim.draws,
        "seed": sim.seed,
        "models": base["models"],
        "issues": issues,
    }


def tornado_bars(scenario: Scenario, issue: str, model: str = "compromise") -> list[dict[str, Any]]:
    """One-at-a-time swings of every stated position and salience on ``issue``, as the
    contract's JSON list, computed here by re-running the model on edited arrays."""
    from dataclasses import replace

    from detente.models import get_model

    m = get_model(model)
    arrays = scenario.arrays()
    j = arrays.issues.index(issue)
    base = m.run_arrays(arrays)[issue].outcome
    bars = []
    for quantity, unc in (("position", arrays.position_unc), ("salience", arrays.salience_unc)):
        for i, actor in enumerate(arrays.actors):
            if not arrays.present[i, j]:
                continue
            value = getattr(arrays, quantity)[i, j]
            if np.isfinite(unc.low[i, j]):
                low, high = unc.low[i, j], unc.high[i, j]
            elif np.isfinite(unc.sd[i, j]):
                low, high = value - unc.sd[i, j], value + unc.sd[i, j]
            else:
                continue
            outs = []
            for v in (low, high):
                edited = getattr(arrays, quantity).copy()
                edited[i, j] = v
                outs.append(m.run_arrays(replace(arrays, **{quantity: edited}))[issue].outcome)
            bars.append({
                "input": f"{actor} {quantity}", "actor": actor, "quantity": quantity,
                "low": float(low), "high": float(high), "outcome_low": float(outs[0]),
                "outcome_high": float(outs[1]), "swing": float(abs(outs[1] - outs[0])),
            })
    assert math.isfinite(base)
    return sorted(bars, key=lambda b: -b["swing"])
