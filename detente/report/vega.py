"""Interactive charts as Vega-Lite specifications, drawn from the result documents.

Each function takes the JSON document that the command line prints and the API returns
(``forecast --format json``, ``simulate --format json``, tornado bars) and gives a Vega-Lite
spec (a plain dict): the web app draws them with vega-embed, and any page that loads
vega-embed can draw the same spec. Hovering shows values; clicking a legend entry shows or
hides a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = 520
AXIS = {"format": "~f", "labelOverlap": True}  # numbers in the scale's own units


def _toggle(field: str) -> list[dict[str, Any]]:
    """A legend-bound selection: clicking an entry shows only it (shift-click adds more)."""
    return [{"name": "pick", "select": {"type": "point", "fields": [field]}, "bind": "legend"}]


def _faded() -> dict[str, Any]:
    return {"condition": {"param": "pick", "value": 1}, "value": 0.15}


def forecast_chart(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Each model's forecast per issue on the issue's whole scale, with the status quo and
    the recorded outcome (grey ticks) where there is one."""
    rows = []
    for k, issue in enumerate(doc["issues"]):
        scale = issue["scale"]
        values: list[dict[str, Any]] = [
            {"model": model, "value": f["outcome"], "label": f.get("label") or "",
             "layer": "forecast"}
            for model, f in issue["forecasts"].items() if f.get("outcome") is not None]
        if issue.get("status_quo") is not None:
            values.append({"what": "status quo", "value": issue["status_quo"], "layer": "mark"})
        known = issue.get("known_outcome")
        if known is not None:
            values.append({"what": "recorded", "value": known["value"], "layer": "mark"})
        x = {"field": "value", "type": "quantitative", "title": None,
             "scale": {"domain": [scale["min"], scale["max"]]}, "axis": AXIS}
        pick = f"pick{k}"
        rows.append({
            "title": {"text": issue["name"], "anchor": "start", "fontSize": 12},
            "width": WIDTH, "height": 34,
            "data": {"values": values},
            "layer": [
                {"transform": [{"filter": "datum.layer == 'mark'"}],
                 "mark": {"type": "tick", "thickness": 2, "size": 24, "color": "#777"},
                 "encoding": {"x": x, "tooltip": [{"field": "what"},
                                                  {"field": "value", "format": ".1f"}]}},
                {"transform": [{"filter": "datum.layer == 'forecast'"}],
                 "mark": {"type": "point", "filled": True, "size": 90},
                 "params": [{"name": pick, "select": {"type": "point", "fields": ["model"]},
                             "bind": "legend"}],
                 "encoding": {
                     "x": x,
                     "color": {"field": "model", "type": "nominal", "title": "model",
                               "scale": {"domain": list(doc["models"])}},
                     "opacity": {"condition": {"param": pick, "value": 1}, "value": 0.15},
                     "tooltip": [{"field": "model"}, {"field": "value", "format": ".1f"},
                                 {"field": "label", "title": "nearest anchor"}]}},
            ],
        })
    return {"$schema": SCHEMA,
            "description": "forecasts per issue; grey ticks: status quo and recorded outcome",
            "vconcat": rows, "resolve": {"legend": {"color": "shared"}}}


def trajectory_chart(doc: Mapping[str, Any], issue_id: str) -> dict[str, Any]:
    """The median position by round of every dynamic model on one issue."""
    issue = next(i for i in doc["issues"] if i["id"] == issue_id)
    rows: list[dict[str, Any]] = []
    for model, f in issue["forecasts"].items():
        states = ([f["initial"]] if f.get("initial") else []) + list(f.get("rounds") or [])
        rows.extend({"model": model, "round": r, "median": s["median"]}
                    for r, s in enumerate(states) if s.get("median") is not None)
    return {
        "$schema": SCHEMA,
        "title": issue["name"],
        "width": 360, "height": 200,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "params": _toggle("model"),
        "encoding": {
            "x": {"field": "round", "type": "quantitative", "axis": {"tickMinStep": 1}},
            "y": {"field": "median", "type": "quantitative", "axis": AXIS,
                  "scale": {"domain": [issue["scale"]["min"], issue["scale"]["max"]]}},
            "color": {"field": "model", "type": "nominal"},
            "opacity": _faded(),
            "tooltip": [{"field": "model"}, {"field": "round"},
                        {"field": "median", "format": ".1f"}],
        },
    }


def distribution_chart(doc: Mapping[str, Any], issue_id: str) -> dict[str, Any]:
    """A simulation's outcome distribution on one issue, per model (share of draws)."""
    issue = next(i for i in doc["issues"] if i["id"] == issue_id)
    rows: list[dict[str, Any]] = []
    for model, f in issue["forecasts"].items():
        hist = f.get("histogram") or {}
        edges, counts = hist.get("edges", []), hist.get("counts", [])
        total = sum(counts) or 1
        rows.extend({"model": model, "from": edges[k], "to": edges[k + 1],
                     "share": c / total} for k, c in enumerate(counts))
    return {
        "$schema": SCHEMA,
        "title": issue["name"],
        "width": 360, "height": 160,
        "data": {"values": rows},
        "mark": {"type": "rect", "opacity": 0.6},
        "params": _toggle("model"),
        "encoding": {
            "x": {"field": "from", "type": "quantitative", "title": issue["name"],
                  "axis": AXIS,
                  "scale": {"domain": [issue["scale"]["min"], issue["scale"]["max"]]}},
            "x2": {"field": "to"},
            "y": {"field": "share", "type": "quantitative", "stack": None,
                  "axis": {"format": "%"}},
            "color": {"field": "model", "type": "nominal"},
            "opacity": _faded(),
            "tooltip": [{"field": "model"}, {"field": "from", "format": ".1f"},
                        {"field": "to", "format": ".1f"},
                        {"field": "share", "format": ".1%"}],
        },
    }


def question_chart(doc: Mapping[str, Any]) -> dict[str, Any]:
    """P(yes) of every question per model, with a 95 % interval from its standard error."""
    rows: list[dict[str, Any]] = []
    for issue in doc["issues"]:
        texts = {q["id"]: q["text"] for q in issue.get("questions", [])}
        for model, f in issue["forecasts"].items():
            for qid, q in (f.get("questions") or {}).items():
                p, se = q.get("p"), q.get("se") or 0.0
                if p is None:
                    continue
                rows.append({"question": texts.get(qid, qid), "model": model, "p": p,
                             "low": max(0.0, p - 1.96 * se), "high": min(1.0, p + 1.96 * se)})
    base = {"y": {"field": "question", "type": "nominal", "title": None,
                  "axis": {"labelLimit": 320}},
            "yOffset": {"field": "model"},
            "color": {"field": "model", "type": "nominal"}}
    return {
        "$schema": SCHEMA,
        "width": 360,
        "data": {"values": rows},
        "encoding": base,
        "layer": [
            {"mark": {"type": "bar"},
             "params": _toggle("model"),
             "encoding": {"x": {"field": "p", "type": "quantitative", "title": "P(yes)",
                                "scale": {"domain": [0, 1]}},
                          "opacity": _faded(),
                          "tooltip": [{"field": "model"}, {"field": "question"},
                                      {"field": "p", "format": ".3f"},
                                      {"field": "low", "format": ".3f"},
                                      {"field": "high", "format": ".3f"}]}},
            {"mark": {"type": "rule", "color": "#222"},
             "encoding": {"x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}}},
        ],
    }


def timeline_chart(doc: Mapping[str, Any], issue_id: str, scale: tuple[float, float],
                   name: str = "") -> dict[str, Any]:
    """Each model's forecast on one issue at every snapshot (``detente timeline`` JSON),
    with the simulated interval where the document has one."""
    issue = next(i for i in doc["issues"] if i["id"] == issue_id)
    dates = [s["as_of"] for s in doc["snapshots"]]
    rows = [{"model": model, "as_of": dates[t], "outcome": p["outcome"],
             "low": (p.get("interval") or [None, None])[0],
             "high": (p.get("interval") or [None, None])[1]}
            for model, points in issue["forecasts"].items()
            for t, p in enumerate(points) if p.get("outcome") is not None]
    y = {"field": "outcome", "type": "quantitative", "title": None, "axis": AXIS,
         "scale": {"domain": list(scale)}}
    return {
        "$schema": SCHEMA, "title": name or issue_id, "width": 360, "height": 180,
        "data": {"values": rows},
        "encoding": {"x": {"field": "as_of", "type": "temporal", "title": None},
                     "color": {"field": "model", "type": "nominal"}},
        "layer": [
            {"mark": {"type": "area", "opacity": 0.15},
             "transform": [{"filter": "datum.low != null"}],
             "encoding": {"y": {**y, "field": "low"}, "y2": {"field": "high"}}},
            {"mark": {"type": "line", "point": True},
             "params": _toggle("model"),
             "encoding": {"y": y, "opacity": _faded(),
                          "tooltip": [{"field": "model"}, {"field": "as_of", "type": "temporal"},
                                      {"field": "outcome", "format": ".1f"}]}},
        ],
    }


def tornado_chart(bars: Sequence[Mapping[str, Any]], base: float | None = None,
                  title: str = "") -> dict[str, Any]:
    """Tornado bars: the outcome when each uncertain input is at its low and high end."""
    rows = [{"input": f"{b.get('actor', '')} {b.get('quantity', '')}".strip() or str(k),
             "low": b["outcome_low"], "high": b["outcome_high"], "swing": b["swing"]}
            for k, b in enumerate(bars)]
    layers: list[dict[str, Any]] = [{
        "mark": "bar",
        "encoding": {
            "y": {"field": "input", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "low", "type": "quantitative", "title": "outcome",
                  "scale": {"zero": False}},
            "x2": {"field": "high"},
            "tooltip": [{"field": "input"}, {"field": "low", "format": ".1f"},
                        {"field": "high", "format": ".1f"}, {"field": "swing", "format": ".1f"}],
        },
    }]
    if base is not None:
        layers.append({"data": {"values": [{"base": base}]}, "mark": {"type": "rule"},
                       "encoding": {"x": {"field": "base", "type": "quantitative"}}})
    return {"$schema": SCHEMA, "title": title, "width": WIDTH, "data": {"values": rows},
            "layer": layers}
