"""The adapter between the simulation contract's plain data and the report's charts.

The report takes Monte Carlo results only in the contract's JSON form: a simulation
document (``detente simulate --format json``, ``Simulation.to_dict()``) and tornado bars
(``tornado(...)`` as a list of dicts). Everything that reads those shapes lives here, so
that wiring the report to the live simulation is one call: ``simulation_data(sim)`` or
``tornado_data(bars)``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from detente.errors import InputError
from detente.report.plots import Distribution, QuestionBar, TornadoRow
from detente.scenario import Issue, Scenario

TORNADO_KEYS = ("input", "actor", "quantity", "low", "high", "outcome_low", "outcome_high",
                "swing")


@dataclass(frozen=True)
class TornadoInput:
    """One tornado chart: the model and issue it is about, and its bars (contract dicts)."""

    model: str
    issue: str
    bars: Sequence[Mapping[str, Any]]


def simulation_data(sim: Any) -> dict[str, Any]:
    """A ``Simulation`` (or anything with ``to_dict``) as the contract's JSON document."""
    doc: dict[str, Any] = sim.to_dict()
    return doc


def tornado_data(bars: Iterable[Any]) -> list[dict[str, Any]]:
    """``TornadoBar`` objects (dataclasses or mappings) as the contract's list of dicts."""
    out = []
    for b in bars:
        d = dataclasses.asdict(b) if dataclasses.is_dataclass(b) else dict(b)  # type: ignore[arg-type]
        out.append({k: d[k] for k in TORNADO_KEYS})
    return out


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=str(path), hint="check the path") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", file=str(path), line=exc.lineno) from None


def _problem(path: str | None, field: str, message: str) -> InputError:
    return InputError(message, file=path, field=field,
                      hint="give the output of 'detente simulate FILE --format json'")


def check_simulation(doc: Any, path: str | None = None) -> dict[str, Any]:
    """The document, if it has the contract's shape; else a located InputError."""
    if not isinstance(doc, Mapping):
        raise _problem(path, "(top)", "a simulation document is a JSON object")
    for key in ("scenario", "draws", "seed", "models", "issues"):
        if key not in doc:
            raise _problem(path, key, f"missing {key!r}")
    for k, issue in enumerate(doc["issues"]):
        where = f"issues[{k}]"
        for key in ("id", "scale", "forecasts"):
            if key not in issue:
                raise _problem(path, f"{where}.{key}", f"missing {key!r}")
        for model, fc in issue["forecasts"].items():
            at = f"{where}.forecasts.{model}"
            for key in ("mean", "median", "sd", "interval", "questions", "histogram"):
                if key not in fc:
                    raise _problem(path, f"{at}.{key}", f"missing {key!r}")
            hist = fc["histogram"]
            if len(hist.get("edges", [])) != len(hist.get("counts", [])) + 1:
                raise _problem(path, f"{at}.histogram",
                               "edges must be one longer than counts")
            if len(fc["interval"]) != 2:
                raise _problem(path, f"{at}.interval", "the interval is [p5, p95]")
    return dict(doc)


def read_simulation(path: Path) -> dict[str, Any]:
    """A simulation document from a JSON file, checked."""
    return check_simulation(_load_json(path), str(path))


def read_tornado(path: Path, model: str | None, issue: str | None) -> TornadoInput:
    """Tornado bars from a JSON file: the contract's list, or ``{"model", "issue", "bars"}``.

    For a bare list, ``model`` and ``issue`` say what it is about.
    """
    data = _load_json(path)
    if isinstance(data, Mapping):
        model = data.get("model", model)
        issue = data.get("issue", issue)
        data = data.get("bars")
    if not isinstance(data, list):
        raise InputError("tornado bars are a JSON list of objects", file=str(path),
                         hint="give the JSON form of detente.analysis.sensitivity.tornado")
    for k, bar in enumerate(data):
        missing = [key for key in TORNADO_KEYS if not isinstance(bar, Mapping) or key not in bar]
        if missing:
            raise InputError(f"missing {missing[0]!r}", file=str(path), field=f"[{k}]",
                             hint=f"each bar has {', '.join(TORNADO_KEYS)}")
    if not model or not issue:
        raise InputError("say which model and issue the tornado is about", file=str(path),
                         hint="pass --tornado-model and --tornado-issue")
    return TornadoInput(model, issue, data)


# ---------------------------------------------------------------------- to chart data


def simulated_as_of(doc: Mapping[str, Any]) -> str | None:
    """The snapshot date a simulation document is about."""
    value = (doc.get("scenario") or {}).get("as_of")
    return None if value is None else str(value)


def distribution_panels(
    doc: Mapping[str, Any], scenario: Scenario, issues: Sequence[str]
) -> list[tuple[Issue, list[Distribution]]]:
    """Per issue (in ``issues`` order, those the document has), each model's histogram."""
    by_id = {entry["id"]: entry for entry in doc["issues"]}
    panels = []
    for iid in issues:
        entry = by_id.get(iid)
        if entry is None or iid not in scenario.issue_index:
            continue
        dists = [
            Distribution(
                model=m,
                edges=np.asarray(fc["histogram"]["edges"], dtype=float),
                counts=np.asarray(fc["histogram"]["counts"], dtype=float),
                mean=float(fc["mean"]),
                interval=(float(fc["interval"][0]), float(fc["interval"][1])),
            )
            for m, fc in entry["forecasts"].items()
        ]
        panels.append((scenario.issue(iid), dists))
    return panels


@dataclass(frozen=True)
class SummaryRow:
    """One issue and model of a simulation: its summary numbers."""

    issue: str
    model: str
    mean: float
    median: float
    sd: float
    low: float
    high: float


def summary_rows(doc: Mapping[str, Any], issues: Sequence[str]) -> list[SummaryRow]:
    by_id = {entry["id"]: entry for entry in doc["issues"]}
    return [
        SummaryRow(iid, m, fc["mean"], fc["median"], fc["sd"], *fc["interval"])
        for iid in issues if iid in by_id
        for m, fc in by_id[iid]["forecasts"].items()
    ]


def question_bars(
    doc: Mapping[str, Any], scenario: Scenario, issues: Sequence[str]
) -> list[QuestionBar]:
    """Each question's probability and standard error per model."""
    by_id = {entry["id"]: entry for entry in doc["issues"]}
    bars = []
    for iid in issues:
        entry = by_id.get(iid)
        if entry is None or iid not in scenario.issue_index:
            continue
        texts = {q.id: q.text for q in scenario.issue(iid).questions}
        for m, fc in entry["forecasts"].items():
            for qid, q in fc["questions"].items():
                p = float(q["p"])
                se = float(q.get("se", math.nan))
                bars.append(QuestionBar(texts.get(qid, qid), m, p, 0.0 if math.isnan(se) else se))
    return bars


def tornado_rows(t: TornadoInput) -> list[TornadoRow]:
    """The bars, largest swing first."""
    rows = [TornadoRow(str(b["input"]), float(b["outcome_low"]), float(b["outcome_high"]),
                       float(b["low"]), float(b["high"]), float(b["swing"])) for b in t.bars]
    return sorted(rows, key=lambda r: -r.swing)
