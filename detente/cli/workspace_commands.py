"""Commands on the workspace: add, run, runs, show, export."""

from __future__ import annotations

import enum
import json
import math
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from detente.cli.common import (
    AsOf,
    Capabilities,
    InputFormat,
    SalienceScaleOpt,
    WaitOpt,
    WorkspaceOpt,
    app,
    err,
    load_scenario,
    write_text,
)
from detente.errors import InputError
from detente.forecast import snapshot_index
from detente.models import REGISTRY
from detente.store import RunInfo, Workspace


class ListFormat(enum.StrEnum):
    table = "table"
    json = "json"


class ExportFormat(enum.StrEnum):
    parquet = "parquet"
    csv = "csv"


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, float):
        return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.0f}"
    return str(x)


@app.command(rich_help_panel="Workspace")
def add(
    file: Annotated[Path, typer.Argument(help="Scenario file to store.")],
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Store a scenario (a new revision when it changed) in the workspace."""
    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    with Workspace(workspace, timeout=wait) as ws:
        stored = ws.add_scenario(scenario, source=str(file))
        where = ws.path
    what = "stored" if stored.new else "already stored:"
    typer.echo(f"{what} {stored.id} revision {stored.revision} ({stored.snapshots} "
               f"snapshot(s), key {stored.key[:12]}) in {where}")


@app.command("run", rich_help_panel="Workspace")
def run_command(
    file: Annotated[Path, typer.Argument(help="Scenario file to forecast and record.")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Model (repeatable; default all): "
                     f"{', '.join(REGISTRY)}."),
    ] = None,
    rounds: Annotated[int | None, typer.Option(min=1, help="Round cap for dynamic models.")] = None,
    as_of: AsOf = None,
    all_snapshots: Annotated[
        bool, typer.Option("--all-snapshots", help="Forecast every snapshot.")
    ] = False,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Forecast with each model and record the runs; identical runs are reused, not redone."""
    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    if all_snapshots and as_of:
        raise InputError("--as-of and --all-snapshots exclude each other", field="--as-of",
                         hint="give one of them")
    indices = (list(range(len(scenario.snapshots))) if all_snapshots
               else [snapshot_index(scenario, as_of)])
    with Workspace(workspace, timeout=wait) as ws:
        recorded = ws.forecast(scenario, model, snapshots=indices, rounds=rounds)
        results = {r.run_id: ws.table("issue_results", r.run_id).set_index("issue")["outcome"]
                   for r in recorded}
    for r in recorded:
        if r.reused:
            err.print(f"run {r.run_id} ({r.model}, {r.as_of or 'undated'}) is identical "
                      f"(inputs, model, parameters, seed, version): reused", highlight=False)
    table = Table(title=f"{escape(scenario.title)}: runs recorded in {escape(str(ws.path))}",
                  title_justify="left")
    table.add_column("issue", style="bold", max_width=28)
    for r in recorded:
        table.add_column(f"run {r.run_id}\n{r.model}\n{r.as_of or ''}", justify="right")
    for issue in scenario.issues:
        table.add_row(escape(issue.name),
                      *(_fmt(results[r.run_id].get(issue.id)) for r in recorded))
    Console(width=max(Console().width, 100)).print(table)


def _run_dict(info: RunInfo) -> dict[str, Any]:
    return {
        "run": info.run_id, "kind": info.kind, "scenario": info.scenario_id,
        "revision": info.revision, "as_of": None if info.as_of is None else str(info.as_of),
        "snapshot": info.snapshot, "model": info.model, "parameters": info.parameters,
        "seed": info.seed, "draws": info.draws, "detente_version": info.detente_version,
        "inputs_hash": info.inputs_hash, "created_at": info.created_at.isoformat(),
        "elapsed_s": info.elapsed_s,
    }


@app.command(rich_help_panel="Workspace")
def runs(
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="Only runs of this scenario id.")
    ] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = (
        ListFormat.table
    ),
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """List the recorded runs."""
    with Workspace(workspace, timeout=wait, create=False) as ws:
        found = ws.runs(scenario)
    if output_format is ListFormat.json:
        write_text(json.dumps([_run_dict(r) for r in found], indent=2) + "\n", None)
        return
    if not found:
        err.print(f"no runs recorded in {ws.path}" + (f" for {scenario}" if scenario else ""))
        return
    table = Table(title=f"Runs in {escape(str(ws.path))}", title_justify="left")
    for col in ("run", "kind", "scenario", "as of", "model", "seed", "draws", "version",
                "recorded (UTC)", "inputs"):
        table.add_column(col)
    for r in found:
        table.add_row(str(r.run_id), r.kind, f"{escape(r.scenario_id)}@{r.revision}",
                      str(r.as_of or "–"), r.model, _fmt(r.seed), _fmt(r.draws),
                      r.detente_version, r.created_at.strftime("%Y-%m-%d %H:%M"),
                      (r.inputs_hash or "–")[:12])
    Console(width=max(Console().width, 120)).print(table)


@app.command(rich_help_panel="Workspace")
def show(
    run: Annotated[int, typer.Argument(help="Run id (see 'detente runs').")],
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = (
        ListFormat.table
    ),
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Show one run: what was run on what, and its results per issue and per round."""
    with Workspace(workspace, timeout=wait, create=False) as ws:
        info = ws.run(run)
        order = [i.id for i in ws.scenario(info.scenario_key).issues]
        tables = {name: _in_order(ws.table(name, run), order) for name in (
            "issue_results", "question_results", "round_summaries", "simulation_summaries")}
    if output_format is ListFormat.json:
        doc = _run_dict(info)
        for name, frame in tables.items():
            doc[name] = json.loads(frame.drop(columns="run_id").to_json(orient="records"))
        write_text(json.dumps(doc, indent=2) + "\n", None)
        return
    con = Console(width=max(Console().width, 100))
    params = ", ".join(f"{k}={v!r}" for k, v in info.parameters.items()) or "none"
    con.print(
        f"[bold]run {info.run_id}[/bold] — {info.kind} of [bold]{info.model}[/bold] on "
        f"{escape(info.scenario_title)} ({escape(info.scenario_id)}@{info.revision}), as of "
        f"{info.as_of or '–'}\n  parameters: {params}\n  seed: {_fmt(info.seed)}  draws: "
        f"{_fmt(info.draws)}  detente {info.detente_version}  recorded "
        f"{info.created_at:%Y-%m-%d %H:%M} UTC\n  inputs hash: {info.inputs_hash}",
        highlight=False, markup=True,
    )
    _show_results(con, info, tables)


def _in_order(frame: pd.DataFrame, issues: list[str]) -> pd.DataFrame:
    """Rows in the scenario's order of issues (stable within an issue)."""
    rank = {issue: k for k, issue in enumerate(issues)}
    return frame.sort_values("issue", key=lambda col: col.map(rank), kind="stable")


def _show_results(con: Console, info: RunInfo, tables: dict[str, Any]) -> None:
    table = Table(title_justify="left", show_lines=False)
    table.add_column("issue", style="bold")
    if info.kind == "simulation":
        summary = tables["simulation_summaries"]
        for col in ("mean", "median", "sd", "5 %", "95 %"):
            table.add_column(col, justify="right")
        for row in summary.itertuples():
            table.add_row(row.issue, *(_fmt(getattr(row, c))
                                       for c in ("mean", "median", "sd", "p5", "p95")))
    else:
        rounds = tables["round_summaries"]
        table.add_column("forecast", justify="right")
        table.add_column("nearest anchor")
        table.add_column("median by round")
        for row in tables["issue_results"].itertuples():
            path = rounds[rounds.issue == row.issue]["median"].tolist()
            table.add_row(escape(row.issue), _fmt(row.outcome), escape(row.label or ""),
                          " → ".join(_fmt(x) for x in path) if path else "")
    con.print(table)
    questions = tables["question_results"]
    if len(questions):
        qt = Table(title="Questions", title_justify="left")
        qt.add_column("issue")
        qt.add_column("question")
        if info.kind == "simulation":
            qt.add_column("probability", justify="right")
            for row in questions.itertuples():
                qt.add_row(row.issue, row.question, f"{row.p:.3f} ± {row.se:.3f}")
        else:
            qt.add_column("answer", justify="center")
            for row in questions.itertuples():
                answer = row.answer
                text = "–" if answer is None or answer != answer else ("yes" if answer else "no")
                qt.add_row(row.issue, row.question, text)
        con.print(qt)


@app.command(rich_help_panel="Workspace")
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the tables into.")],
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="parquet or csv.")
    ] = ExportFormat.parquet,
    run: Annotated[
        list[int] | None, typer.Option("--run", "-r", help="Only these runs (repeatable).")
    ] = None,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Export the workspace tables (runs, results, rounds, draws, …) as Parquet or CSV."""
    with Workspace(workspace, timeout=wait, create=False) as ws:
        if run:
            for r in run:
                ws.run(r)  # a clear error for an unknown id
        files = ws.export(directory, output_format.value, run)
    err.print(f"wrote {len(files)} files to {directory}: "
              + ", ".join(f.name for f in files), highlight=False)
