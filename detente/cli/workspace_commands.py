"""Commands on the workspace: add, run, runs, show, export, workspace check and repair."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from detente.cli.app import app
from detente.cli.options import (
    AsOf,
    ModelChoice,
    Source,
    WaitOpt,
    WorkspaceOpt,
    error,
    grouped,
    say,
    show,
    write_text,
)

if TYPE_CHECKING:
    import pandas as pd


class ListFormat(enum.StrEnum):
    table = "table"
    json = "json"


class ExportFormat(enum.StrEnum):
    parquet = "parquet"
    csv = "csv"


@app.command(rich_help_panel="Workspace")
@grouped
def add(
    file: Annotated[Path, typer.Argument(help="Scenario file to store.")],
    source: Source,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Store a scenario (a new revision when it changed) in the workspace."""
    from detente.store import Workspace

    scenario = source.load(file)
    with Workspace(workspace, timeout=wait) as ws:
        stored = ws.add_scenario(scenario, source=str(file))
        where = ws.path
    what = "stored" if stored.new else "already stored:"
    typer.echo(f"{what} {stored.id} revision {stored.revision} ({stored.snapshots} "
               f"snapshot(s), key {stored.key[:12]}) in {where}")


@app.command("run", rich_help_panel="Workspace")
@grouped
def run_command(
    file: Annotated[Path, typer.Argument(help="Scenario file to forecast and record.")],
    models: ModelChoice,
    source: Source,
    as_of: AsOf = None,
    all_snapshots: Annotated[
        bool, typer.Option("--all-snapshots", help="Forecast every snapshot.")
    ] = False,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Forecast with each model and record the runs; identical runs are reused, not redone."""
    from detente.errors import InputError
    from detente.forecasting import snapshot_index
    from detente.render.workspace import recorded_table
    from detente.store import Workspace

    scenario = source.load(file)
    if all_snapshots and as_of:
        raise InputError("--as-of and --all-snapshots exclude each other", field="--as-of",
                         hint="give one of them")
    indices = (list(range(len(scenario.snapshots))) if all_snapshots
               else [snapshot_index(scenario, as_of)])
    with Workspace(workspace, timeout=wait) as ws:
        recorded = ws.forecast(scenario, models.resolve(scenario), snapshots=indices)
        results = {r.run_id: ws.table("issue_results", r.run_id).set_index("issue")["outcome"]
                   for r in recorded}
    for r in recorded:
        if r.reused:
            say(f"run {r.run_id} ({r.model}, {r.as_of or 'undated'}) is identical "
                f"(inputs, model, parameters, seed, version): reused")
    show(recorded_table(scenario, recorded, results, str(ws.path)))


@app.command(rich_help_panel="Workspace")
def runs(
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Only runs of this scenario id.")
    ] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = (
        ListFormat.table
    ),
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """List the recorded runs."""
    from detente.render.workspace import runs_table
    from detente.store import Workspace

    with Workspace(workspace, timeout=wait, read_only=True) as ws:
        found = ws.runs(scenario)
    if output_format is ListFormat.json:
        write_text(json.dumps([r.to_dict() for r in found], indent=2) + "\n", None)
        return
    if not found:
        say(f"no runs recorded in {ws.path}" + (f" for {scenario}" if scenario else ""))
        return
    show(runs_table(found, str(ws.path)), width=120)


@app.command("show", rich_help_panel="Workspace")
def show_run(
    run: Annotated[int, typer.Argument(help="Run id (see 'detente runs').")],
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = (
        ListFormat.table
    ),
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Show one run: what was run on what, and its results per issue and per round."""
    from detente.render.workspace import run_view
    from detente.store import Workspace

    with Workspace(workspace, timeout=wait, read_only=True) as ws:
        info = ws.run(run)
        order = [i.id for i in ws.scenario(info.scenario_key).issues]
        tables = {name: _in_order(ws.table(name, run), order) for name in (
            "issue_results", "question_results", "round_summaries", "simulation_summaries")}
    if output_format is ListFormat.json:
        doc = info.to_dict()
        for name, frame in tables.items():
            doc[name] = json.loads(frame.drop(columns="run_id").to_json(orient="records"))
        write_text(json.dumps(doc, indent=2) + "\n", None)
        return
    show(run_view(info, tables))


def _in_order(frame: pd.DataFrame, issues: list[str]) -> pd.DataFrame:
    """Rows in the scenario's order of issues (stable within an issue)."""
    rank = {issue: k for k, issue in enumerate(issues)}
    return frame.sort_values("issue", key=lambda col: col.map(rank), kind="stable")


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
    from detente.store import Workspace

    with Workspace(workspace, timeout=wait, read_only=True) as ws:
        if run:
            for r in run:
                ws.run(r)  # a clear error for an unknown id
        files = ws.export(directory, output_format.value, run)
    say(f"wrote {len(files)} files to {directory}: " + ", ".join(f.name for f in files))


workspace_app = typer.Typer(help="Check a workspace file, or copy what is readable out of a "
                            "damaged one.", no_args_is_help=True)
app.add_typer(workspace_app, name="workspace", rich_help_panel="Workspace")


@workspace_app.command("check")
def workspace_check(
    file: Annotated[Path, typer.Argument(help="Workspace file to check (opened read-only).")],
) -> None:
    """Read every row of every table; exit 2 when anything cannot be read."""
    from detente.store.repair import check

    report = check(file)
    counts = ", ".join(f"{t} {n:,}" for t, n in report.rows.items())
    if report.sound:
        typer.echo(f"{file}: sound — schema version {report.version}; {counts}")
        return
    for problem in report.problems:
        error(f"{file}: {problem}")
    if report.rows:
        say(f"{file}: damaged — readable: {counts or 'nothing'} (copy it out with `detente "
            f"workspace repair {file} -o NEW`)")
    raise typer.Exit(2)


@workspace_app.command("repair")
def workspace_repair(
    file: Annotated[Path, typer.Argument(help="Damaged workspace file (only read).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="New workspace file to "
                                         "write (must not exist).")],
) -> None:
    """Copy every readable scenario and run into a new workspace; the damaged file is kept."""
    from detente.store.repair import repair

    report = repair(file, output)
    lost = len(report.skipped_scenarios) + len(report.skipped_runs)
    say(f"wrote {output}: {report.scenarios} scenario revision(s) and {report.runs} run(s) "
        f"copied" + (f"; {len(report.skipped_scenarios)} scenario(s) and "
                     f"{len(report.skipped_runs)} run(s) could not be read"
                     + (f" (runs {', '.join(map(str, report.skipped_runs[:20]))})"
                        if report.skipped_runs else "") if lost else "")
        + f"; {file} is unchanged")
