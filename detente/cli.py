"""The ``detente`` command line."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from detente.errors import DetenteError, InputError
from detente.forecast import forecast as run_forecast
from detente.io import FORMATS, ReadOptions, dumps, format_for_output, load
from detente.io.schema import scenario_schema
from detente.models import REGISTRY
from detente.render import forecast_table, render_csv, render_json, render_table
from detente.scenario import Scenario

app = typer.Typer(
    name="detente",
    help="Forecast multi-actor negotiations with the field's established models.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


InputFormat = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        "-f",
        help=f"Format of FILE (default: detected). One of: {', '.join(FORMATS)}.",
    ),
]
Capabilities = Annotated[
    str | None,
    typer.Option(help="Capability scheme for formats that need one (DEU: weights|equal|council)."),
]
SalienceScaleOpt = Annotated[
    str | None,
    typer.Option("--salience-scale", help="0-1 or 0-100, for files that do not say."),
]


def _load(
    path: Path, input_format: str | None, capabilities: str | None, salience: str | None
) -> Scenario:
    return load(path, input_format, ReadOptions(capabilities=capabilities, salience_scale=salience))


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)


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
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use the snapshot in force on this date.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Forecast every issue with each model, side by side."""
    scenario = _load(file, input_format, capabilities, salience_scale)
    fc = run_forecast(scenario, model, as_of=as_of, rounds=rounds)
    if output_format is OutputFormat.json:
        _write(render_json(fc), output)
    elif output_format is OutputFormat.csv:
        _write(render_csv(fc), output)
    elif output is None:
        Console(width=max(Console().width, 100)).print(forecast_table(fc))
    else:
        _write(render_table(fc), output)


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
        scenario = _load(file, input_format, capabilities, salience_scale)
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
    scenario = _load(source, input_format, capabilities, salience_scale)
    fmt = output_format or format_for_output(target)
    _write(dumps(scenario, fmt), target)
    err.print(f"wrote {target} ({fmt})", highlight=False)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Print the JSON Schema of scenario files."""
    _write(json.dumps(scenario_schema(), indent=2) + "\n", output)


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


def main() -> None:
    """Entry point: user errors become one line on stderr and exit code 2."""
    try:
        app()
    except DetenteError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
