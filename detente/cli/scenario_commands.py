"""Commands on scenarios: forecast, validate, convert, schema, models, formats."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from detente.cli.common import (
    AsOf,
    Capabilities,
    InputFormat,
    JointOpt,
    Output,
    SalienceScaleOpt,
    app,
    err,
    joint_default,
    load_scenario,
    write_text,
)
from detente.errors import InputError
from detente.forecast import forecast as run_forecast
from detente.io import FORMATS, dumps, format_for_output, format_name
from detente.io.schema import scenario_schema
from detente.models import REGISTRY
from detente.render.forecast import (
    forecast_table,
    render_csv,
    render_json,
    render_markdown,
    render_table,
)


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command()
def forecast(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Model to run (repeatable; default all): "
                     f"{', '.join(REGISTRY)}."),
    ] = None,
    rounds: Annotated[
        int | None, typer.Option(min=1, help="Round cap for dynamic models (e.g. eum).")
    ] = None,
    as_of: AsOf = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, json, csv or markdown.")
    ] = OutputFormat.table,
    output: Output = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
    joint: JointOpt = None,
) -> None:
    """Forecast every issue with each model, side by side."""
    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    fmt = format_name(file, input_format)
    fc = run_forecast(scenario, model, as_of=as_of, rounds=rounds,
                      joint=joint_default(fmt, joint))
    if output_format is OutputFormat.json:
        write_text(render_json(fc), output)
    elif output_format is OutputFormat.csv:
        write_text(render_csv(fc), output)
    elif output_format is OutputFormat.markdown:
        write_text(render_markdown(fc), output)
    elif output is None:
        Console(width=max(Console().width, 100)).print(forecast_table(fc))
    else:
        write_text(render_table(fc), output)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Scenario file to check.")],
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
    strict: Annotated[
        bool, typer.Option(help="Also fail when a number has no evidence.")
    ] = False,
) -> None:
    """Check a scenario file and list every problem, one per line."""
    try:
        scenario = load_scenario(file, input_format, capabilities, salience_scale)
    except InputError as exc:
        for problem in exc.all:
            err.print(f"[red]error[/red]: {problem}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    from detente.evidence import unsupported_numbers

    gaps = unsupported_numbers(scenario)
    for gap in gaps:
        err.print(f"[yellow]{'error' if strict else 'warning'}[/yellow]: {file}: {gap}",
                  highlight=False, soft_wrap=True)
    n_st = sum(len(s.stances) for s in scenario.snapshots)
    dates = [str(s.as_of) for s in scenario.snapshots if s.as_of]
    span = f" ({dates[0]} … {dates[-1]})" if len(dates) > 1 else (f" ({dates[0]})" if dates else "")
    typer.echo(
        f"{file}: ok — {len(scenario.actors)} actors, {len(scenario.issues)} issues, "
        f"{len(scenario.snapshots)} snapshot(s){span}, {n_st} stance entries, "
        f"{len(gaps)} number(s) without evidence"
    )
    if strict and gaps:
        raise typer.Exit(2)


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="Input scenario file.")],
    target: Annotated[Path, typer.Argument(help="Output file (.yaml, .json or .csv).")],
    input_format: InputFormat = None,
    output_format: Annotated[
        str | None, typer.Option("--output-format", "-t", help="Format to write.")
    ] = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Convert a scenario between formats (peer formats in, detente formats out)."""
    scenario = load_scenario(source, input_format, capabilities, salience_scale)
    fmt = output_format or format_for_output(target)
    write_text(dumps(scenario, fmt), target)
    err.print(f"wrote {target} ({fmt})", highlight=False)


@app.command()
def schema(
    output: Output = None,
) -> None:
    """Print the JSON Schema of scenario files."""
    write_text(json.dumps(scenario_schema(), indent=2) + "\n", output)


@app.command("models")
def list_models() -> None:
    """List the models with their parameters and citations."""
    con = Console()
    for name, cls in REGISTRY.items():
        params = ", ".join(f"{k}={v!r}" for k, v in cls().parameters().items()) or "none"
        con.print(f"[bold]{name}[/bold] — {cls.label}\n  parameters: {params}\n  "
                  f"[dim]{cls.citation}[/dim]", highlight=False)


@app.command("formats")
def list_formats() -> None:
    """List the file formats that can be read and written."""
    con = Console()
    for fmt in FORMATS.values():
        rw = ("read" if fmt.read else "") + ("/write" if fmt.write else "")
        con.print(f"[bold]{fmt.name:6}[/bold] {rw.strip('/'):10} {', '.join(fmt.extensions):14} "
                  f"{fmt.description}", highlight=False)
