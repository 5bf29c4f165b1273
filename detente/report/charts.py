"""Single charts by name, for ``detente plot``: the data of one report section, drawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from detente.analysis.alignment import THRESHOLD, realign
from detente.analysis.timeline import timeline
from detente.errors import InputError
from detente.forecasting import forecast, resolve_models, snapshot_index
from detente.models import REGISTRY, ExpectedUtility, Model
from detente.models.eum import perceptions
from detente.report import contract, plots
from detente.report.builder import pick_issues
from detente.scenario import Scenario

CHARTS = ("forecasts", "rounds", "timeline", "map", "distances", "perceptions",
          "distributions", "questions", "tornado")


def chart(
    kind: str,
    scenario: Scenario,
    *,
    models: Sequence[str | Model] | None = None,
    rounds: int | None = None,
    as_of: dt.date | str | None = None,
    issues: Sequence[str] | None = None,
    actor: str | None = None,
    simulations: Sequence[Mapping[str, Any]] = (),
    tornado: Sequence[contract.TornadoInput] = (),
    threshold: float = THRESHOLD,
) -> Figure:
    """The figure of one chart (``CHARTS`` names them)."""
    index = snapshot_index(scenario, as_of)
    key = None if index == len(scenario.snapshots) - 1 else scenario.snapshots[index].as_of
    chosen = pick_issues(scenario, issues)
    names = {a.id: a.name for a in scenario.actors}
    if kind == "forecasts":
        return plots.forecasts(forecast(scenario, models, as_of=key, rounds=rounds), chosen)
    if kind == "rounds":
        fc = forecast(scenario, models or ["eum"], as_of=key, rounds=rounds)
        dynamic = [n for n, m in fc.models.items() if m.tags().dynamic]
        if not dynamic:
            raise InputError("none of the chosen models plays rounds", field="--model",
                             hint="choose a dynamic model such as eum")
        return plots.trajectories(fc.results[dynamic[0]], scenario, chosen)
    if kind == "timeline":
        return plots.timeline(timeline(scenario, models, rounds=rounds, issues=chosen,
                                       simulations=[contract.check_simulation(d)
                                                    for d in simulations]))
    if kind in ("map", "distances"):
        r = realign(scenario, threshold=threshold, issues=chosen,
                    snapshots=list(range(index + 1)))
        return plots.alignment_map(r, names) if kind == "map" else plots.distance_matrix(r, names)
    if kind == "perceptions":
        given = [m for m in models or [] if not isinstance(m, str) and m.name == "eum"]
        eum = given[0] if given else resolve_models(["eum"], scenario=scenario,
                                                     rounds=rounds)[0]
        assert isinstance(eum, ExpectedUtility)
        per = perceptions(scenario.arrays(key), model=eum)
        if actor is None:
            return plots.perceptions(per, scenario, chosen)
        if actor not in scenario.actor_index:
            raise InputError(f"unknown actor {actor!r}", field="--actor",
                             hint=f"use an id from: {', '.join(scenario.actor_index)}")
        return plots.perception_plane(per, scenario, chosen[0], actor)
    if kind in ("distributions", "questions"):
        if not simulations:
            raise InputError(f"the {kind} chart needs a simulation", field="--simulation",
                             hint="pass the JSON of 'detente simulate FILE --format json'")
        doc = contract.check_simulation(simulations[0])
        if kind == "distributions":
            return plots.distributions(contract.distribution_panels(doc, scenario, chosen))
        bars = contract.question_bars(doc, scenario, chosen)
        if not bars:
            raise InputError("the simulation has no question probabilities for these issues",
                             field="--issue")
        return plots.question_probabilities(bars)
    if kind == "tornado":
        if not tornado:
            raise InputError("the tornado chart needs tornado bars", field="--tornado",
                             hint="pass a JSON file of bars with --tornado")
        t = tornado[0]
        issue = scenario.issue(t.issue) if t.issue in scenario.issue_index else None
        if issue is None:
            raise InputError(f"unknown issue {t.issue!r}", field="--tornado-issue")
        fc = forecast(scenario, [t.model] if t.model in REGISTRY else None, as_of=key)
        base = fc.outcome(t.model, t.issue) if t.model in fc.results else None
        return plots.tornado(contract.tornado_rows(t), issue, t.model, base)
    raise InputError(f"unknown chart {kind!r}", hint=f"choose from: {', '.join(CHARTS)}")
