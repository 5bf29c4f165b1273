"""``detente explain``: what drives a model's forecast, who is pivotal, what would flip it."""

from __future__ import annotations

import enum
import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.table import Table

from detente.analysis import pivotal_actors, sobol_indices, tornado, what_it_takes
from detente.analysis.issue_runner import find_actor, find_issue, find_question
from detente.cli.common import (
    AsOf,
    Capabilities,
    InputFormat,
    Output,
    SalienceScaleOpt,
    app,
    load_scenario,
    write_text,
)
from detente.cli.simulate_commands import CapabilitySd, PositionSd, RangeShapeOpt, SalienceSd
from detente.errors import InputError
from detente.forecast import resolve_models, snapshot_index
from detente.models import REGISTRY
from detente.scenario import Scenario
from detente.uncertainty import DefaultUncertainty


class ExplainFormat(enum.StrEnum):
    table = "table"
    json = "json"


def _num(x: float | None) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:.4g}"


def explain_document(
    scenario: Scenario,
    model: str,
    *,
    issues: list[str],
    actor: str | None,
    question: str | None,
    question_issue: str | None,
    as_of: str | None,
    rounds: int | None,
    defaults: DefaultUncertainty,
    shape: str,
    sobol: bool,
    sobol_samples: int,
    seed: int,
) -> dict[str, Any]:
    """Every explanation asked for, as one JSON-ready document."""
    index = snapshot_index(scenario, as_of)
    key = scenario.snapshots[index].as_of if len(scenario.snapshots) > 1 else None
    kw: dict[str, Any] = {"as_of": key, "rounds": rounds}
    unc: dict[str, Any] = {"defaults": defaults, "shape": shape}
    doc: dict[str, Any] = {"model": model, "as_of": None if key is None else key.isoformat(),
                           "issues": []}
    for issue in issues:
        bars = tornado(scenario, model, issue, **kw, **unc)
        pivots = pivotal_actors(scenario, model, issue, **kw)
        entry: dict[str, Any] = {
            "id": issue,
            "forecast": pivots[0].forecast if pivots else None,
            "tornado": [b.to_dict() for b in bars],
            "pivotal": [p.to_dict() for p in pivots],
        }
        if sobol:
            entry["sobol"] = [s.to_dict() for s in sobol_indices(
                scenario, model, issue, **kw, **unc, samples=sobol_samples, seed=seed)]
        doc["issues"].append(entry)
    if actor is not None and question is not None:
        doc["what_it_takes"] = [c.to_dict() for c in what_it_takes(
            scenario, model, actor, question, issue=question_issue, **kw)]
    clean: dict[str, Any] = _finite(doc)
    return clean


def _finite(value: Any) -> Any:
    """The same structure with NaN numbers replaced by None (JSON null)."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def explain_tables(doc: dict[str, Any], scenario: Scenario, top: int) -> Group:
    """The document as rich tables."""
    parts: list[Table] = []
    for entry in doc["issues"]:
        issue = scenario.issue(entry["id"])
        t = Table(title=f"{issue.name} — {doc['model']} forecast {_num(entry['forecast'])}: "
                  f"inputs by swing (top {top})", title_justify="left")
        for col in ("input", "low", "high", "forecast at low", "forecast at high", "swing"):
            t.add_column(col, justify="left" if col == "input" else "right")
        for b in entry["tornado"][:top]:
            t.add_row(b["input"], _num(b["low"]), _num(b["high"]), _num(b["outcome_low"]),
                      _num(b["outcome_high"]), _num(b["swing"]))
        if not entry["tornado"]:
            t.add_row("no input states any uncertainty (see --position-sd)", *[""] * 5)
        parts.append(t)
        p = Table(title=f"{issue.name}: pivotal actors", title_justify="left")
        for col in ("actor", "effective power", "share", "forecast without", "shift"):
            p.add_column(col, justify="left" if col == "actor" else "right")
        for a in entry["pivotal"]:
            p.add_row(a["actor"], _num(a["effective_power"]), _num(a["power_share"]),
                      _num(a["without"]), _num(a["shift"]))
        parts.append(p)
        if "sobol" in entry:
            s = Table(title=f"{issue.name}: Sobol indices (top {top}, ± 95 % half-width)",
                      title_justify="left")
            for col in ("input", "first order S1", "total ST"):
                s.add_column(col, justify="left" if col == "input" else "right")
            for x in entry["sobol"][:top]:
                s.add_row(x["input"], f"{_num(x['s1'])} ± {_num(x['s1_conf'])}",
                          f"{_num(x['st'])} ± {_num(x['st_conf'])}")
            parts.append(s)
    if "what_it_takes" in doc:
        w = Table(title="What would it take to flip the answer", title_justify="left")
        for col in ("actor", "question", "quantity", "now", "answer now", "needed", "change",
                    "forecast then"):
            w.add_column(col)
        for c in doc["what_it_takes"]:
            w.add_row(c["actor"], c["question"], c["quantity"], _num(c["current"]),
                      "yes" if c["answer_now"] else "no",
                      _num(c["needed"]) if c["reachable"] else "not reachable",
                      _num(c["change"]), _num(c["forecast_after"]))
        parts.append(w)
    return Group(*parts)


@app.command("explain")
def explain_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    model: Annotated[str, typer.Option("--model", "-m",
                                       help=f"Model to explain: {', '.join(REGISTRY)}.")] = "eum",
    issue: Annotated[list[str] | None, typer.Option(
        "--issue", "-i", help="Issue to explain (repeatable; default: every issue).")] = None,
    actor: Annotated[str | None, typer.Option(
        "--actor", "-a", help="With --question: what this actor would have to change.")] = None,
    question: Annotated[str | None, typer.Option(
        "--question", "-q", help="With --actor: the question whose answer should flip.")] = None,
    as_of: AsOf = None,
    rounds: Annotated[int | None, typer.Option(help="Round cap for dynamic models.")] = None,
    sobol: Annotated[bool, typer.Option(
        "--sobol/--no-sobol", help="Also Sobol indices (runs the model N·(k + 2) times).")
    ] = False,
    sobol_samples: Annotated[int, typer.Option(
        "--sobol-samples", help="Sobol base sample N (a power of 2).")] = 1024,
    seed: Annotated[int, typer.Option(help="Seed of the Sobol indices' bootstrap.")] = 0,
    position_sd: PositionSd = 0.0,
    salience_sd: SalienceSd = 0.0,
    capability_sd: CapabilitySd = 0.0,
    range_shape: RangeShapeOpt = "triangular",
    top: Annotated[int, typer.Option(help="Rows per table.")] = 10,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", help="table or json.")
    ] = ExplainFormat.table,
    output: Output = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Tornado sensitivity, pivotal actors, Sobol indices and what it would take."""
    if (actor is None) != (question is None):
        raise InputError("--actor and --question go together",
                         field="--actor" if actor is None else "--question",
                         hint="give both, e.g. --actor USA --question direct_talks_held")
    if sobol and (sobol_samples < 2 or sobol_samples & (sobol_samples - 1)):
        raise InputError(f"samples must be a power of 2 (>= 2), got {sobol_samples}",
                         field="--sobol-samples", hint="e.g. 1024")
    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    resolve_models([model])
    for name in issue or []:
        find_issue(scenario, name)
    if actor is not None and question is not None:
        find_actor(scenario, actor)
        find_question(scenario, question, issue[0] if issue and len(issue) == 1 else None)
    chosen = issue or [s.id for s in scenario.issues]
    doc = explain_document(
        scenario, model, issues=chosen, actor=actor, question=question,
        question_issue=issue[0] if issue and len(issue) == 1 else None, as_of=as_of,
        rounds=rounds, defaults=DefaultUncertainty(position_sd, salience_sd, capability_sd),
        shape=range_shape, sobol=sobol, sobol_samples=sobol_samples, seed=seed)
    if output_format is ExplainFormat.json:
        write_text(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                   output)
        return
    group = explain_tables(doc, scenario, top)
    if output is None:
        Console(width=max(Console().width, 100)).print(group)
    else:
        import io

        con = Console(file=io.StringIO(), width=120, force_terminal=False)
        con.print(group)
        write_text(con.file.getvalue(), output)  # type: ignore[attr-defined]
