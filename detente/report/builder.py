"""One self-contained HTML report of a scenario: inputs with evidence, forecasts, rounds,
simulated distributions, sensitivity, alignment, perceptions and the timeline.

The page has no scripts and loads nothing: charts are inline SVG, styles inline. Jinja2
escapes everything a user wrote (autoescape on); only the SVG that matplotlib wrote, which
escapes its text itself, is inserted as markup.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from detente.analysis.alignment import THRESHOLD, Realignment, realign
from detente.analysis.timeline import Timeline, timeline
from detente.errors import InputError
from detente.forecasting import Forecast, forecast, snapshot_index
from detente.models import ExpectedUtility, Model
from detente.models.eum import QUADRANTS, perceptions
from detente.models.settings import changed_parameters
from detente.report import contract, plots
from detente.scenario import Estimate, Evidence, Scenario
from detente.version import version

if TYPE_CHECKING:
    from detente.sweep.discovery import Discovery


@dataclass
class _Charts:
    """Charts of one report as inline SVG, with ids unique within the page."""

    items: dict[str, Markup] = field(default_factory=dict)

    def add(self, name: str, fig: Any) -> Markup:
        svg = Markup(plots.to_svg(fig, salt=f"{name}-{len(self.items)}"))
        self.items[name] = svg
        return svg


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("detente.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    return env


def _num(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{x:.{digits}f}"


def _digits(span: float) -> int:
    return 1 if span >= 10 else 2 if span >= 1 else 3


def _estimate(est: Estimate | None, digits: int) -> str:
    if est is None:
        return "–"
    text = f"{est.value:.{digits}f}"
    if est.sd is not None:
        text += f" ± {est.sd:.{digits}f}"
    elif est.low is not None and est.high is not None:
        text += f" ({est.low:.{digits}f}–{est.high:.{digits}f})"
    return text


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links; anything else (javascript:, data:) stays text."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _evidence(ev: Sequence[Evidence], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{
        "judgement": e.basis == "judgement",
        "source": titles.get(e.source, e.source) if e.source else None,
        "locator": e.locator,
        "date": e.date,
        "about": ", ".join(e.about),
        "text": e.paraphrase,
    } for e in ev]


def pick_issues(scenario: Scenario, issues: Sequence[str] | None) -> list[str]:
    if not issues:
        return [i.id for i in scenario.issues]
    for iid in issues:
        if iid not in scenario.issue_index:
            known = ", ".join(list(scenario.issue_index)[:12])
            raise InputError(f"unknown issue {iid!r}", field="--issue",
                             hint=f"use an issue id, e.g. {known}")
    return list(dict.fromkeys(issues))


def build_report(
    scenario: Scenario,
    *,
    models: Sequence[str | Model] | None = None,
    as_of: dt.date | str | None = None,
    issues: Sequence[str] | None = None,
    rounds: int | None = None,
    simulations: Sequence[Mapping[str, Any]] = (),
    tornado: Sequence[contract.TornadoInput] = (),
    threshold: float = THRESHOLD,
    interactive: bool = False,
    discoveries: Sequence[Discovery] = (),
) -> str:
    """The report as one HTML document.

    ``interactive`` adds the web app's Vega-Lite charts (hover values, toggle models), with
    the Vega JavaScript inlined; without it the page has no script at all.

    ``simulations`` are simulation documents in the contract's JSON form: the one of the
    report's snapshot gives the outcome distributions and question probabilities, all of
    them give the timeline its intervals. ``tornado`` charts are contract bars per model
    and issue. ``issues`` limits the report, the forecasts and the alignment to those
    issues (default: all). ``discoveries`` (``detente.sweep.discovery``) add a scenario
    discovery section: each one's PRIM boxes, feature scores and trade-off chart.
    """
    if issues:
        scenario = scenario.restrict(pick_issues(scenario, issues))
    index = snapshot_index(scenario, as_of)
    last = index == len(scenario.snapshots) - 1
    key = None if last else scenario.snapshots[index].as_of
    fc = forecast(scenario, models, as_of=key, rounds=rounds)
    chosen = pick_issues(scenario, issues)
    sims = [contract.check_simulation(doc) for doc in simulations]
    charts = _Charts()
    names = {a.id: a.name for a in scenario.actors}

    context: dict[str, Any] = {
        "version": version(),
        "generated": dt.date.today().isoformat(),
        "scenario": scenario,
        "snapshot": scenario.snapshots[index],
        "snapshots": scenario.snapshots,
        "issues": [scenario.issue(i) for i in chosen],
        "models": [{"name": n, "label": m.label, "citation": m.citation,
                    "tags": list(m.tags().names()), "parameters": m.parameters(),
                    "changed": changed_parameters(m)} for n, m in fc.models.items()],
    }
    context["inputs"] = _inputs(scenario, index, chosen)
    context["forecast"] = _forecast_section(fc, chosen, charts)
    context["trajectories"] = [
        {"model": fc.models[n].label, "chart": charts.add(f"rounds-{n}", plots.trajectories(
            fc.results[n], scenario, chosen))}
        for n, m in fc.models.items()
        if m.tags().dynamic and any(fc.results[n].issues[i].initial is not None for i in chosen)
    ]
    context["simulation"] = _simulation_section(scenario, fc, sims, chosen, charts)
    context["tornado"] = _tornado_section(scenario, fc, tornado, charts)
    context["discovery"] = [_discovery_section(d, k, charts)
                            for k, d in enumerate(discoveries)]
    snaps = list(range(index + 1))
    r = realign(scenario, threshold=threshold, issues=chosen, snapshots=snaps)
    context["alignment"] = _alignment_section(r, names, charts)
    context["perceptions"] = _perception_section(scenario, fc, chosen, charts)
    context["timeline"] = (
        _timeline_section(timeline(scenario, list(fc.models.values()), issues=chosen,
                                   simulations=sims), charts)
        if len(scenario.snapshots) > 1 else None
    )
    context["sources"] = [{"id": s.id, "title": s.title, "author": s.author,
                           "publisher": s.publisher, "date": s.date, "note": s.note,
                           "url": s.url, "link": _safe_url(s.url)} for s in scenario.sources]
    context["interactive"] = None
    if interactive:
        from detente.report.interactive import charts_markup, specifications

        context["interactive"] = charts_markup(specifications(fc.to_dict(), chosen))
    context["chart_count"] = len(charts.items)
    return _environment().get_template("report.html.j2").render(**context)


# ---------------------------------------------------------------------- sections


def _inputs(scenario: Scenario, index: int, issues: Sequence[str]) -> dict[str, Any]:
    titles = {s.id: s.title for s in scenario.sources}
    state = scenario.state(index)
    caps = state.capabilities
    actors = [{
        "id": a.id, "name": a.name, "bloc": a.bloc, "description": a.description,
        "capability": _estimate(caps.get(a.id, a.capability), 1),
        "evidence": _evidence(a.evidence, titles),
    } for a in scenario.actors]
    by_issue: dict[str, list[Any]] = {i: [] for i in issues}
    for st in state.stances:
        if st.issue in by_issue:
            d = _digits(scenario.issue(st.issue).scale.span)
            by_issue[st.issue].append({
                "actor": scenario.actor(st.actor).name,
                "position": _estimate(st.position, d),
                "salience": _estimate(st.salience, 2),
                "capability": _estimate(st.capability, 1) if st.capability else "",
                "evidence": _evidence(st.evidence, titles),
            })
    issue_rows = []
    for iid in issues:
        issue = scenario.issue(iid)
        sq = state.status_quo[iid]
        d = _digits(issue.scale.span)
        issue_rows.append({
            "issue": issue,
            "scale": f"{issue.scale.min:g} to {issue.scale.max:g}"
                     + (f" {issue.scale.unit}" if issue.scale.unit else ""),
            "status_quo": "–" if sq is None else f"{sq:.{d}f}",
            "stances": by_issue[iid],
            "own_capability": any(st["capability"] for st in by_issue[iid]),
            "evidence": _evidence(issue.status_quo_evidence, titles),
        })
    return {"actors": actors, "issues": issue_rows}


def _forecast_section(fc: Forecast, issues: Sequence[str], charts: _Charts) -> dict[str, Any]:
    sc = fc.scenario
    state = sc.state(fc.snapshot)
    rows = []
    for iid in issues:
        issue = sc.issue(iid)
        d = _digits(issue.scale.span)
        sq = state.status_quo[iid]
        rows.append({
            "name": issue.name,
            "status_quo": "–" if sq is None else f"{sq:.{d}f}",
            "cells": [{"value": _num(fc.outcome(m, iid), d),
                       "label": issue.label_at(fc.outcome(m, iid)) or ""} for m in fc.models],
            "recorded": None if issue.outcome is None else {
                "value": _num(issue.outcome.value, d), "text": issue.outcome.description},
        })
    questions = []
    for iid in issues:
        issue = sc.issue(iid)
        for q in issue.questions:
            answers = []
            for m in fc.models:
                x = fc.outcome(m, iid)
                answers.append("–" if math.isnan(x) else ("yes" if q.holds(x) else "no"))
            recorded = None if issue.outcome is None else (
                "yes" if q.holds(issue.outcome.value) else "no")
            questions.append({"text": q.text, "condition": f"{iid} {q.op} {q.threshold:g}",
                              "answers": answers, "recorded": recorded})
    return {
        "rows": rows,
        "questions": questions,
        "known": any(sc.issue(i).outcome is not None for i in issues),
        "chart": charts.add("forecasts", plots.forecasts(fc, issues)),
    }


def _simulation_section(
    scenario: Scenario, fc: Forecast, sims: Sequence[Mapping[str, Any]],
    issues: Sequence[str], charts: _Charts,
) -> dict[str, Any] | None:
    wanted = None if fc.as_of is None else fc.as_of.isoformat()
    doc = next((d for d in sims if contract.simulated_as_of(d) == wanted), None)
    if doc is None and len(sims) == 1 and len(scenario.snapshots) == 1:
        doc = sims[0]
    if doc is None:
        return None
    panels = contract.distribution_panels(doc, scenario, issues)
    if not panels:
        return None
    bars = contract.question_bars(doc, scenario, issues)
    spans = {i: scenario.issue(i).scale.span for i in issues}
    return {
        "draws": doc["draws"],
        "seed": doc["seed"],
        "rows": [{"issue": scenario.issue(r.issue).name, "model": r.model,
                  "mean": _num(r.mean, _digits(spans[r.issue])),
                  "median": _num(r.median, _digits(spans[r.issue])),
                  "sd": _num(r.sd, _digits(spans[r.issue])),
                  "interval": f"{_num(r.low, _digits(spans[r.issue]))}–"
                              f"{_num(r.high, _digits(spans[r.issue]))}"}
                 for r in contract.summary_rows(doc, issues)],
        "questions": [{"text": b.label, "model": b.model, "p": f"{b.p:.3f}",
                       "se": f"{b.se:.3f}"} for b in bars],
        "chart": charts.add("distributions", plots.distributions(panels)),
        "question_chart": (charts.add("questions", plots.question_probabilities(bars))
                           if bars else None),
    }


def _tornado_section(
    scenario: Scenario, fc: Forecast, inputs: Sequence[contract.TornadoInput], charts: _Charts
) -> list[dict[str, Any]]:
    out = []
    for k, t in enumerate(inputs):
        if t.issue not in scenario.issue_index:
            raise InputError(f"the tornado is about issue {t.issue!r}, which the scenario "
                             f"does not have", field="--tornado-issue")
        rows = contract.tornado_rows(t)
        if not rows:
            continue
        base = fc.outcome(t.model, t.issue) if t.model in fc.results else None
        issue = scenario.issue(t.issue)
        d = _digits(issue.scale.span)
        out.append({
            "issue": issue.name, "model": t.model,
            "chart": charts.add(f"tornado-{k}", plots.tornado(rows, issue, t.model, base)),
            "rows": [{"input": r.input, "range": f"{r.low:.3g}–{r.high:.3g}",
                      "low": _num(r.outcome_low, d), "high": _num(r.outcome_high, d),
                      "swing": _num(r.swing, d)} for r in rows],
        })
    return out


def _discovery_section(d: Discovery, k: int, charts: _Charts) -> dict[str, Any]:
    return {
        "title": f"Sweep {d.sweep_id}, {d.model}: P({d.question}) > {d.threshold:g}",
        "summary": f"{d.of_interest:,} of {d.cases:,} variations",
        "notes": list(d.notes),
        "boxes": [{"text": b.describe(), "limits": [
            {"input": x.variable, "low": f"{x.low:.4g}", "high": f"{x.high:.4g}",
             "qp_low": "–" if x.qp_low is None else f"{x.qp_low:.2g}",
             "qp_high": "–" if x.qp_high is None else f"{x.qp_high:.2g}"} for x in b.limits]}
            for b in d.boxes],
        "scores": [{"input": v, "score": f"{sc:.3f}"} for v, sc in d.scores],
        "chart": charts.add(f"discovery-{k}", plots.sweep_tradeoff(d)) if d.boxes else None,
    }


def _alignment_section(r: Realignment, names: Mapping[str, str],
                       charts: _Charts) -> dict[str, Any]:
    last, first = r.snapshots[-1], r.snapshots[0]
    present = [i for i in range(len(r.actors)) if last.bloc[i] > 0]
    pairs = []
    for a_i, a in enumerate(present):
        for b in present[a_i + 1:]:
            d_first = first.distance[a, b]
            d_last = last.distance[a, b]
            pairs.append((names[r.actors[a]], names[r.actors[b]], d_first, d_last))
    finite = [p for p in pairs if math.isfinite(p[3])]
    closest = min(finite, key=lambda p: p[3]) if finite else None
    moves = []
    if len(r.snapshots) > 1:
        for actor in r.actors:
            mv = r.move(actor)
            if math.isfinite(mv.moved) and mv.moved > 1e-9:
                moves.append({
                    "actor": names[actor], "moved": f"{mv.moved:.3f}",
                    "closer": names.get(mv.closer[0], mv.closer[0]),
                    "closer_from": f"{mv.closer[1]:.2f}", "closer_to": f"{mv.closer[2]:.2f}",
                    "further": names.get(mv.further[0], mv.further[0]),
                    "further_from": f"{mv.further[1]:.2f}",
                    "further_to": f"{mv.further[2]:.2f}",
                })
        moves.sort(key=lambda m: -float(m["moved"]))
    changes = sorted((p for p in pairs if math.isfinite(p[2]) and math.isfinite(p[3])),
                     key=lambda p: -abs(p[3] - p[2]))
    return {
        "threshold": r.threshold,
        "closest": None if closest is None else {
            "a": closest[0], "b": closest[1], "distance": f"{closest[3]:.2f}",
            "similarity": f"{1 - closest[3]:.0%}"},
        "blocs": [{"as_of": s.as_of, "label": s.label,
                   "blocs": [_bloc_text(s, bloc, names) for bloc in s.blocs()]}
                  for s in r.snapshots],
        "moves": moves,
        "changes": [{"a": a, "b": b, "first": f"{d0:.2f}", "last": f"{d1:.2f}",
                     "change": f"{d1 - d0:+.2f}"} for a, b, d0, d1 in changes[:10]
                    ] if len(r.snapshots) > 1 else [],
        "dates": (first.as_of, last.as_of),
        "map": charts.add("alignment-map", plots.alignment_map(r, names)),
        "matrix": charts.add("distances", plots.distance_matrix(r, names)),
    }


def _bloc_text(al: Any, bloc: tuple[str, ...], names: Mapping[str, str]) -> str:
    """"China, Russia (0.14 apart)": members and their mean distance."""
    text = ", ".join(names[a] for a in bloc)
    if len(bloc) < 2:
        return text
    idx = [al.actors.index(a) for a in bloc]
    d = al.distance[np.ix_(idx, idx)][np.triu_indices(len(idx), 1)]
    return f"{text} ({np.nanmean(d):.2f} apart)"


def _perception_section(scenario: Scenario, fc: Forecast, issues: Sequence[str],
                        charts: _Charts) -> dict[str, Any] | None:
    model = fc.models.get("eum")
    if not isinstance(model, ExpectedUtility):
        return None
    last = fc.snapshot == len(scenario.snapshots) - 1
    arrays = scenario.arrays(None if last else fc.as_of)
    per = perceptions(arrays, model=model)
    shown = [i for i in issues if arrays.present[:, scenario.issue_index[i]].sum() > 1]
    if not shown:
        return None
    names = [a.name for a in scenario.actors]
    tables = []
    for iid in shown:
        j = scenario.issue_index[iid]
        present = [k for k in range(len(names)) if arrays.present[k, j]]
        rows = []
        for a in present:
            cells = []
            for b in present:
                region = QUADRANTS[int(per.quadrant[j, a, b])]
                who = {1: "gives way", -1: "wins"}.get(int(per.yields[j, a, b]), "")
                cells.append({
                    "region": "" if region == "none" else region, "who": who,
                    "eu": "" if a == b or not np.isfinite(per.challenge[j, a, b]) else
                    f"{per.challenge[j, a, b]:+.2f} / {per.challenged[j, a, b]:+.2f}",
                })
            rows.append({"actor": names[a], "cells": cells})
        tables.append({"issue": scenario.issue(iid).name,
                       "columns": [names[b] for b in present], "rows": rows})
    return {"chart": charts.add("perceptions", plots.perceptions(per, scenario, shown)),
            "tables": tables}


def _timeline_section(tl: Timeline, charts: _Charts) -> dict[str, Any]:
    rows = []
    for k, iid in enumerate(tl.issues):
        issue = tl.scenario.issue(iid)
        d = _digits(issue.scale.span)
        for mi, m in enumerate(tl.models):
            cells = []
            for t in range(len(tl.dates)):
                text = _num(tl.outcome[t, mi, k], d)
                if math.isfinite(tl.low[t, mi, k]):
                    text += f" [{_num(tl.low[t, mi, k], d)}–{_num(tl.high[t, mi, k], d)}]"
                cells.append(text)
            rows.append({"issue": issue.name if mi == 0 else "", "model": m, "cells": cells,
                         "span": len(tl.models) if mi == 0 else 0})
    return {
        "dates": [f"{d}" + (f" ({lab})" if lab else "")
                  for d, lab in zip(tl.dates, tl.labels, strict=True)],
        "rows": rows,
        "intervals": tl.has_intervals,
        "chart": charts.add("timeline", plots.timeline(tl)),
    }
