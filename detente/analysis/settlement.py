"""The settlement package: the exchange model's trades and gains beside single-issue models.

Single-issue models forecast each issue on its own; the exchange model lets actors give way on
issues they care less about in return for movement on the ones they care more about. This
report puts both side by side: per issue the single-issue forecasts and the exchange model's
start and final outcome; the trades found, summed over rounds per pair of partners and issues;
and each actor's gains from its own trades and from trades between others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from detente.forecasting import forecast, resolve_models
from detente.models.base import Model
from detente.models.exchange.model import Exchange, ExchangeRun
from detente.render.numbers import json_number
from detente.scenario import Scenario


@dataclass(frozen=True)
class Package:
    """The trades between two actors on one pair of issues, summed over rounds.

    ``first`` gives way on ``first_gives`` (its voting position moves towards ``second``'s),
    ``second`` on ``second_gives``; shifts are the total outcome moves in each issue's units
    (signed), gains the utility each partner won.
    """

    first: str
    first_gives: str
    second: str
    second_gives: str
    trades: int
    rounds: tuple[int, ...]
    shift_first_gives: float
    shift_second_gives: float
    gain_first: float
    gain_second: float

    @property
    def gain(self) -> float:
        return self.gain_first + self.gain_second


@dataclass(frozen=True)
class Settlement:
    """Outcomes side by side, the packages traded, and each actor's gains and losses."""

    scenario: Scenario
    as_of: dt.date | None
    model: Exchange
    run: ExchangeRun
    single: dict[str, dict[str, float]]  # model name -> issue -> outcome
    labels: dict[str, str]
    packages: tuple[Package, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document of the report."""
        run = self.run
        issues = []
        for k, issue in enumerate(self.scenario.issues):
            sq = self.scenario.status_quo(issue.id, self.as_of)
            issues.append({
                "id": issue.id,
                "name": issue.name,
                "status_quo": sq,
                "single_issue": {m: json_number(v[issue.id]) for m, v in self.single.items()},
                "exchange_start": json_number(float(run.initial_outcome[k])),
                "exchange_final": json_number(float(run.outcome[k])),
                "label_final": issue.label_at(float(run.outcome[k])),
            })
        actors = [
            {"id": a, "own": float(run.own[i].sum()), "gained": float(run.gained[i].sum()),
             "lost": float(run.lost[i].sum()),
             "net": float(run.own[i].sum() + run.gained[i].sum() + run.lost[i].sum())}
            for i, a in enumerate(run.actors)
        ]
        return {
            "scenario": self.scenario.id,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "model": {"name": self.model.name, "parameters": self.model.parameters()},
            "rounds": len(run.voting_outcome),
            "converged": run.converged,
            "issues": issues,
            "packages": [p.__dict__ | {"rounds": list(p.rounds)} for p in self.packages],
            "actors": actors,
            "trades": [t.as_dict() for t in run.trades],
        }

def settlement(
    scenario: Scenario,
    model: Exchange,
    *,
    as_of: dt.date | str | None = None,
    single: Sequence[str | Model] | None = None,
) -> Settlement:
    """Run the exchange model and the single-issue models (default: every default model
    that treats each issue on its own) on one snapshot."""
    if single is None:
        single = [m for m in resolve_models(scenario=scenario) if not m.tags().multi_issue]
    fc = forecast(scenario, single, as_of=as_of)
    key = None if fc.snapshot == len(scenario.snapshots) - 1 else fc.as_of
    run = model.simulate(scenario, key)
    outcomes = {n: {i.id: fc.outcome(n, i.id) for i in scenario.issues} for n in fc.results}
    labels: dict[str, str] = {n: m.label for n, m in fc.models.items()}
    return Settlement(scenario, fc.as_of, model, run, outcomes, labels, _packages(run))


def _packages(run: ExchangeRun) -> tuple[Package, ...]:
    """Trades summed per partners and issues (the same package in either order)."""
    acc: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for t in run.trades:
        a = (t.demander, t.supply_issue)
        b = (t.supplier, t.demand_issue)
        flip = b < a
        first, second = (b, a) if flip else (a, b)
        key = (*first, *second)
        entry = acc.setdefault(key, {"trades": 0, "rounds": set(), "s1": 0.0, "s2": 0.0,
                                     "g1": 0.0, "g2": 0.0})
        entry["trades"] += 1
        entry["rounds"].add(t.round)
        shifts = (t.supply_shift, t.demand_shift)
        gains = (t.demander_gain, t.supplier_gain)
        if flip:
            shifts, gains = shifts[::-1], gains[::-1]
        entry["s1"] += shifts[0]
        entry["s2"] += shifts[1]
        entry["g1"] += gains[0]
        entry["g2"] += gains[1]
    out = [
        Package(k[0], k[1], k[2], k[3], v["trades"], tuple(sorted(v["rounds"])),
                v["s1"], v["s2"], v["g1"], v["g2"])
        for k, v in acc.items()
    ]
    return tuple(sorted(out, key=lambda p: -p.gain))


__all__ = ["Package", "Settlement", "settlement"]
