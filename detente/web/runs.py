"""Running models for the app: forecasts (immediate, cached), simulations (background jobs),
explanations and backtests; every run recorded in the workspace like a CLI run."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import HTTPException

from detente.errors import InputError
from detente.report import vega
from detente.scenario import Scenario
from detente.store import versions
from detente.store.hashing import canonical_json
from detente.web import documents
from detente.web.state import AppState


def _scenario(st: AppState, sid: str, version: int | None) -> tuple[versions.Version, Scenario]:
    with st.use() as ws:
        try:
            v = versions.latest(ws, sid)
            if version is not None and version != v.version:
                v = versions.get(ws, sid, version)
        except InputError as exc:
            raise HTTPException(404, exc.message) from None
    return v, st.scenario(v)


def _as_of(sc: Scenario, k: int) -> Any:
    return None if k == len(sc.snapshots) - 1 else sc.snapshots[k].as_of


def run_forecast(
    st: AppState, sid: str, version: int | None, snapshot: int | None,
    models: Sequence[str] | None, settings: Mapping[str, Mapping[str, Any]] | None,
) -> bytes:
    """The forecast document with its charts and the ids of the recorded runs, as JSON
    (a repeated request is answered from the cache without serialising again)."""
    from detente.forecasting import forecast

    v, sc = _scenario(st, sid, version)
    k = documents.snapshot_index(sc, snapshot)
    key = (v.scenario_key, k, tuple(models or ()), canonical_json(settings or {}))
    cached = st.forecasts.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    fc = forecast(sc, models, as_of=_as_of(sc, k), settings=settings)
    with st.use() as ws:
        recorded = ws.record_forecast(fc)
    doc = fc.to_dict()
    doc["version"] = v.version
    doc["snapshot_index"] = k
    doc["runs"] = {r.model: {"run": r.run_id, "reused": r.reused} for r in recorded}
    doc["charts"] = {
        "forecasts": vega.forecast_chart(doc),
        "rounds": {i["id"]: vega.trajectory_chart(doc, i["id"]) for i in doc["issues"]
                   if any(f.get("rounds") for f in i["forecasts"].values())},
    }
    st.forecasts.put(key, json.dumps({**doc, "cached": True}).encode())
    return json.dumps({**doc, "cached": False}).encode()


def run_timeline(st: AppState, sid: str, version: int | None,
                 models: Sequence[str] | None,
                 settings: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """Every model's forecast at every snapshot (``detente timeline`` JSON) with a chart per
    issue."""
    from detente.analysis.timeline import timeline
    from detente.forecasting import resolve_models

    v, sc = _scenario(st, sid, version)
    key = ("timeline", v.scenario_key, tuple(models or ()), canonical_json(settings or {}))
    cached = st.forecasts.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    doc: dict[str, Any] = timeline(sc, resolve_models(models, settings=settings,
                                                      scenario=sc)).to_dict()
    doc["charts"] = {i.id: vega.timeline_chart(doc, i.id, (i.scale.min, i.scale.max), i.name)
                     for i in sc.issues}
    st.forecasts.put(key, doc)
    return doc


def start_simulation(
    st: AppState, sid: str, version: int | None, snapshot: int | None,
    models: Sequence[str] | None, settings: Mapping[str, Mapping[str, Any]] | None,
    draws: int, seed: int,
) -> dict[str, Any]:
    """Start a simulation job; its result is the simulation document with its charts."""
    from detente.forecasting import resolve_models

    v, sc = _scenario(st, sid, version)
    k = documents.snapshot_index(sc, snapshot)
    chosen = resolve_models(models, settings=settings, scenario=sc)
    if models is None:
        chosen = [m for m in chosen if m.tags().batched]

    def work(progress: Callable[[int, int], None]) -> dict[str, Any]:
        import time

        from detente.uncertainty import simulate

        started = time.perf_counter()
        sim = simulate(sc, chosen, draws=draws, seed=seed, as_of=_as_of(sc, k),
                       progress=progress)
        elapsed = time.perf_counter() - started
        with st.use() as ws:
            recorded = ws.record_simulation(sim, elapsed=elapsed)
        doc: dict[str, Any] = sim.to_dict()
        doc["version"] = v.version
        doc["runs"] = {r.model: {"run": r.run_id, "reused": r.reused} for r in recorded}
        doc["charts"] = {
            "questions": vega.question_chart(doc),
            "distributions": {i["id"]: vega.distribution_chart(doc, i["id"])
                              for i in doc["issues"]},
        }
        return doc

    return st.jobs.start("simulate", sid, work).to_dict()


def run_explain(st: AppState, sid: str, version: int | None, snapshot: int | None,
                model: str, issue: str) -> dict[str, Any]:
    """Tornado bars for one model and issue, with their chart."""
    from detente.analysis.sensitivity import tornado
    from detente.forecasting import forecast
    from detente.report.contract import tornado_data

    _, sc = _scenario(st, sid, version)
    k = documents.snapshot_index(sc, snapshot)
    if issue not in sc.issue_index:
        raise InputError(f"unknown issue {issue!r}", field="issue",
                         hint=f"use an id from: {', '.join(sc.issue_index)}")
    bars = tornado_data(tornado(sc, model, issue, as_of=_as_of(sc, k)))
    base = forecast(sc, [model], as_of=_as_of(sc, k)).outcome(model, issue)
    return {"model": model, "issue": issue, "snapshot": k, "outcome": base, "bars": bars,
            "chart": vega.tornado_chart(bars, base, f"{sc.issue(issue).name}: {model}")}


def run_backtest(st: AppState, sid: str, version: int | None,
                 models: Sequence[str] | None) -> dict[str, Any]:
    """Point-forecast scores at every snapshot against the recorded outcomes."""
    from detente.backtest import backtest

    _, sc = _scenario(st, sid, version)
    if not any(i.outcome is not None for i in sc.issues):
        raise InputError("no issue of this scenario has a recorded outcome", field="outcome",
                         hint="record what happened on an issue first (Issues: outcome)")
    doc: dict[str, Any] = backtest(sc, models, draws=0, ensemble=False).to_dict()
    return doc


def run_document(st: AppState, run_id: int) -> dict[str, Any]:
    """A run's record and results as plain data."""
    with st.use() as ws:
        try:
            info = ws.run(run_id)
        except InputError as exc:
            raise HTTPException(404, exc.message) from None
        tables = {name: ws.table(name, run_id) for name in
                  ("issue_results", "question_results", "simulation_summaries")}
    out = info.to_dict()
    for name, frame in tables.items():
        frame = frame.drop(columns=["run_id"])
        out[name] = [{k: (None if _missing(x) else x) for k, x in row.items()}
                     for row in frame.to_dict(orient="records")]
    return out


def _missing(x: Any) -> bool:
    try:
        return bool(x != x)  # NaN
    except (TypeError, ValueError):
        return False


def compare(st: AppState, a: int, b: int) -> dict[str, Any]:
    """Two runs issue by issue: each one's outcome (a forecast's, or a simulation's mean)
    and the difference."""
    docs = [run_document(st, a), run_document(st, b)]

    def values(doc: dict[str, Any]) -> dict[str, float | None]:
        if doc["kind"] == "simulation":
            return {r["issue"]: r["mean"] for r in doc["simulation_summaries"]}
        return {r["issue"]: r["outcome"] for r in doc["issue_results"]}

    va, vb = values(docs[0]), values(docs[1])
    rows = []
    for issue in dict.fromkeys([*va, *vb]):
        x, y = va.get(issue), vb.get(issue)
        rows.append({"issue": issue, "a": x, "b": y,
                     "difference": None if x is None or y is None else y - x})
    return {"a": docs[0], "b": docs[1], "issues": rows}
