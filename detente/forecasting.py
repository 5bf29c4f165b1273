"""Running several models on one scenario snapshot, side by side."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from detente.errors import InputError
from detente.models.base import Model, ModelResult, RoundState
from detente.models.registry import REGISTRY
from detente.models.settings import configured, merge
from detente.scenario import Issue, Scenario
from detente.version import version


def resolve_models(
    names: Sequence[str | Model] | None = None,
    *,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    scenario: Scenario | None = None,
    rounds: int | None = None,
    joint: bool | None = None,
) -> list[Model]:
    """Model instances from names (default: every model registered as a default).

    ``settings`` (model → parameter → value, as from ``--set``) apply over the scenario's
    own ``models:`` block. ``rounds`` caps the rounds of every dynamic model; ``joint``
    chooses between one run over all issues and one run per issue for models that offer both.
    Models given as instances are used as they are.
    """
    layers = merge(None if scenario is None else scenario.models, settings)
    shorthand: dict[str, Any] = {}
    if rounds is not None:
        shorthand["rounds"] = rounds
    if joint is not None:
        shorthand["joint"] = joint
    chosen: list[Model] = []
    for item in names or REGISTRY.defaults():
        if isinstance(item, str):
            cls = REGISTRY.cls(item)
            declared = {s.name for s in cls.parameter_specs()}
            extra = {k: v for k, v in shorthand.items() if k in declared}
            item = configured(item, merge(layers, {item: extra}))
        chosen.append(item)
    seen = [m.name for m in chosen]
    dup = {n for n in seen if seen.count(n) > 1}
    if dup:
        raise InputError(f"model {sorted(dup)[0]!r} named twice", hint="name each model once")
    return chosen


def snapshot_index(scenario: Scenario, as_of: dt.date | str | None) -> int:
    """Like ``Scenario.snapshot_index`` but with a user-facing error."""
    try:
        return scenario.snapshot_index(as_of)
    except ValueError:
        raise InputError(f"not a date: {as_of!r}", field="--as-of", hint="use YYYY-MM-DD") from None
    except KeyError as exc:
        raise InputError(str(exc.args[0]), field="--as-of") from None


@dataclass(frozen=True)
class Forecast:
    """Every chosen model's forecast for one snapshot of a scenario."""

    scenario: Scenario
    snapshot: int
    results: dict[str, ModelResult]
    models: dict[str, Model]

    @property
    def as_of(self) -> dt.date | None:
        return self.scenario.snapshots[self.snapshot].as_of

    def outcome(self, model: str, issue: str) -> float:
        return self.results[model].issues[issue].outcome

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``detente forecast --format json``."""
        sc = self.scenario
        snap = sc.snapshots[self.snapshot]
        caps = sc.state(self.snapshot).capabilities
        return {
            "detente_version": version(),
            "scenario": {
                "id": sc.id,
                "title": sc.title,
                "as_of": None if snap.as_of is None else snap.as_of.isoformat(),
                "snapshot": snap.label,
                "snapshots": [None if s.as_of is None else s.as_of.isoformat()
                              for s in sc.snapshots],
                "actors": [
                    {"id": a.id, "name": a.name, "bloc": a.bloc,
                     "capability": caps.get(a.id, a.capability).value}
                    for a in sc.actors
                ],
            },
            "models": {
                name: {"label": m.label, "citation": m.citation, "parameters": m.parameters()}
                for name, m in self.models.items()
            },
            "issues": [self._issue_dict(issue) for issue in sc.issues],
        }

    def _issue_dict(self, issue: Issue) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": issue.id,
            "name": issue.name,
            "scale": {"min": issue.scale.min, "max": issue.scale.max, "unit": issue.scale.unit},
            "status_quo": self.scenario.state(self.snapshot).status_quo[issue.id],
            "anchors": [{"value": a.value, "label": a.label} for a in issue.anchors],
            "questions": [{"id": q.id, "text": q.text, "op": q.op, "threshold": q.threshold}
                          for q in issue.questions],
            "forecasts": {},
        }
        if issue.outcome is not None:
            out["known_outcome"] = {
                "value": issue.outcome.value,
                "date": None if issue.outcome.date is None else issue.outcome.date.isoformat(),
                "description": issue.outcome.description,
            }
        for name, res in self.results.items():
            fc = res.issues[issue.id]
            entry: dict[str, Any] = {
                "outcome": _num(fc.outcome),
                "label": issue.label_at(fc.outcome),
                "questions": {q.id: (None if math.isnan(fc.outcome) else q.holds(fc.outcome))
                              for q in issue.questions},
            }
            if fc.initial is not None:
                entry["initial"] = _round_dict(fc.initial)
                entry["rounds"] = [_round_dict(r) for r in fc.rounds]
                entry["converged"] = fc.converged
            for k, v in fc.details.items():  # model-specific fields, e.g. smp's modal, turns
                entry.setdefault(k, _jsonable(v))
            out["forecasts"][name] = entry
        return out


def _num(x: float) -> float | None:
    return None if math.isnan(x) else x


def _round_dict(r: RoundState) -> dict[str, Any]:
    return {"median": _num(r.median), "mean": _num(r.mean), "positions": r.positions}


def _jsonable(v: Any) -> Any:
    if hasattr(v, "tolist"):
        return v.tolist()
    return v


def forecast(
    scenario: Scenario,
    models: Sequence[str | Model] | None = None,
    *,
    as_of: dt.date | str | None = None,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    rounds: int | None = None,
    joint: bool | None = None,
) -> Forecast:
    """Run each model on the snapshot in force at ``as_of`` (default: the latest).

    ``settings``: model parameters over the scenario's ``models:`` block (see
    :func:`resolve_models`); ``joint`` (models that offer it, e.g. smp): all issues as one
    space, or each on its own.
    """
    index = snapshot_index(scenario, as_of)
    chosen = resolve_models(models, settings=settings, scenario=scenario, rounds=rounds,
                            joint=joint)
    key = None if index == len(scenario.snapshots) - 1 else scenario.snapshots[index].as_of
    results = {m.name: m.run(scenario, key) for m in chosen}
    return Forecast(scenario, index, results, {m.name: m for m in chosen})
