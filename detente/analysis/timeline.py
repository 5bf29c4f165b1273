"""How the forecast moved as the scenario was revised: every model at every snapshot.

Point forecasts come from running the models on each snapshot. Probability intervals come
from simulation documents (the JSON of ``detente simulate --format json``), one per
snapshot, matched to snapshots by their ``scenario.as_of`` date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from detente.errors import InputError
from detente.forecasting import forecast, resolve_models
from detente.models import Model
from detente.scenario import Scenario
from detente.types import Float


@dataclass(frozen=True)
class Timeline:
    """Forecasts per snapshot: ``outcome``, ``low`` and ``high`` are (snapshots, models,
    issues); ``low``/``high`` are the 5–95 % interval of a simulation, NaN where none."""

    scenario: Scenario
    dates: tuple[dt.date | None, ...]
    labels: tuple[str | None, ...]
    models: tuple[str, ...]
    issues: tuple[str, ...]
    outcome: Float
    low: Float
    high: Float

    @property
    def has_intervals(self) -> bool:
        return bool(np.isfinite(self.low).any())

    def series(self, model: str, issue: str) -> Float:
        """One model's forecast for one issue at each snapshot."""
        return self.outcome[:, self.models.index(model), self.issues.index(issue)]

    def frame(self) -> pd.DataFrame:
        """Long table: as_of, snapshot label, issue, model, outcome, low, high."""
        t, m, k = self.outcome.shape
        grid = np.indices((t, m, k)).reshape(3, -1)
        return pd.DataFrame({
            "as_of": [self.dates[i] for i in grid[0]],
            "snapshot": [self.labels[i] for i in grid[0]],
            "issue": [self.issues[i] for i in grid[2]],
            "model": [self.models[i] for i in grid[1]],
            "outcome": self.outcome.reshape(-1),
            "low": self.low.reshape(-1),
            "high": self.high.reshape(-1),
        }).sort_values(["issue", "model", "as_of"], kind="stable", ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: snapshots, then per issue and model the forecast (and interval) by date."""
        def num(x: float) -> float | None:
            return None if math.isnan(x) else float(x)

        return {
            "scenario": {"id": self.scenario.id, "title": self.scenario.title},
            "snapshots": [{"as_of": None if d is None else d.isoformat(), "label": lab}
                          for d, lab in zip(self.dates, self.labels, strict=True)],
            "issues": [
                {"id": issue, "forecasts": {
                    model: [{"outcome": num(self.outcome[t, mi, k]),
                             "interval": (None if math.isnan(self.low[t, mi, k])
                                          else [num(self.low[t, mi, k]),
                                                num(self.high[t, mi, k])])}
                            for t in range(len(self.dates))]
                    for mi, model in enumerate(self.models)}}
                for k, issue in enumerate(self.issues)
            ],
        }


def timeline(
    scenario: Scenario,
    models: Sequence[str | Model] | None = None,
    *,
    rounds: int | None = None,
    simulations: Sequence[Mapping[str, Any]] = (),
    issues: Sequence[str] | None = None,
) -> Timeline:
    """Run each model on every snapshot; add intervals from simulation documents."""
    chosen = resolve_models(models, scenario=scenario, rounds=rounds)
    issue_ids = tuple(issues) if issues else tuple(i.id for i in scenario.issues)
    last = len(scenario.snapshots) - 1
    names = tuple(m.name for m in chosen)
    shape = (len(scenario.snapshots), len(names), len(issue_ids))
    outcome = np.full(shape, np.nan)
    for t, snap in enumerate(scenario.snapshots):
        fc = forecast(scenario, chosen, as_of=None if t == last else snap.as_of)
        for mi, name in enumerate(names):
            outcome[t, mi] = [fc.outcome(name, i) for i in issue_ids]
    low, high = np.full(shape, np.nan), np.full(shape, np.nan)
    dates = tuple(s.as_of for s in scenario.snapshots)
    for doc in simulations:
        t = _snapshot_of(doc, dates)
        for entry in doc.get("issues", []):
            if entry.get("id") not in issue_ids:
                continue
            k = issue_ids.index(entry["id"])
            for name, fc_doc in entry.get("forecasts", {}).items():
                if name in names and fc_doc.get("interval"):
                    low[t, names.index(name), k], high[t, names.index(name), k] = (
                        fc_doc["interval"])
    return Timeline(scenario, dates, tuple(s.label for s in scenario.snapshots), names,
                    issue_ids, outcome, low, high)


def _snapshot_of(doc: Mapping[str, Any], dates: tuple[dt.date | None, ...]) -> int:
    """The snapshot a simulation document belongs to, by its ``scenario.as_of``."""
    raw = (doc.get("scenario") or {}).get("as_of")
    if raw is None:
        if len(dates) == 1:
            return 0
        raise InputError("the simulation document has no scenario.as_of date",
                         field="scenario.as_of", hint="simulate one snapshot with --as-of")
    day = dt.date.fromisoformat(str(raw))
    if day not in dates:
        known = ", ".join(str(d) for d in dates)
        raise InputError(f"the simulation is of {day}, which is not a snapshot date "
                         f"of this scenario ({known})", field="scenario.as_of",
                         hint="simulate the same scenario file")
    return dates.index(day)
