"""Commands on scenarios: forecast, validate, convert, schema, models, formats."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.options import (
    AsOf,
    JointOpt,
    ModelChoice,
    Output,
    Source,
    error,
    grouped,
    say,
    show,
    write_text,
)

FileArg = Annotated[Path, typer.Argument(
    help="Scenario file (YAML, JSON, CSV or a peer format).")]


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ListFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command()
@grouped
def forecast(
    file: FileArg,
    models: ModelChoice,
    source: Source,
    as_of: AsOf = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, json, csv or markdown.")
    ] = OutputFormat.table,
    output: Output = None,
    joint: JointOpt = None,
    use_proposed: Annotated[bool, typer.Option(
        "--use-proposed", help="Forecast even when stances in force are a reading's "
        "unratified proposals (basis: proposed).")] = False,
) -> None:
    """Forecast every issue with each model, side by side."""
    from detente.evidence import unratified_in_force
    from detente.forecasting import forecast as run_forecast
    from detente.render import forecast as render

    scenario = source.load(file)
    fc = run_forecast(scenario, models.resolve(scenario, joint=joint), as_of=as_of)
    unratified = unratified_in_force(scenario, as_of)
    if unratified:
        listed = ", ".join(unratified[:6]) + (" ..." if len(unratified) > 6 else "")
        message = (f"{file}: {len(unratified)} stance(s) in force are unratified proposals "
                   f"of a reading: {listed}")
        if not use_proposed:
            error(message + " (ratify them by changing their evidence's basis from 'proposed' "
                  "to 'source', or pass --use-proposed)")
            raise typer.Exit(2)
        error(message, kind="warning")
    if output_format is OutputFormat.json:
        write_text(render.render_json(fc), output)
    elif output_format is OutputFormat.csv:
        write_text(render.render_csv(fc), output)
    elif output_format is OutputFormat.markdown:
        write_text(render.render_markdown(fc), output)
    else:
        show(render.forecast_table(fc), output)


@app.command()
@grouped
def validate(
    file: Annotated[Path, typer.Argument(help="Scenario file to check.")],
    source: Source,
    strict: Annotated[
        bool, typer.Option(
            help="Also fail when a number has no evidence or is an unratified proposal.")
    ] = False,
) -> None:
    """Check a scenario file and list every problem, one per line."""
    from detente.errors import InputError
    from detente.evidence import proposed_entries, unsupported_numbers

    try:
        scenario = source.load(file)
    except InputError as exc:
        for problem in exc.all:
            error(str(problem))
        raise typer.Exit(2) from None
    gaps = unsupported_numbers(scenario)
    for gap in gaps:
        error(f"{file}: {gap}", kind="error" if strict else "warning")
    proposed = proposed_entries(scenario)
    for entry in proposed:
        error(f"{file}: {entry}", kind="unratified")
    n_st = sum(len(s.stances) for s in scenario.snapshots)
    dates = [str(s.as_of) for s in scenario.snapshots if s.as_of]
    span = f" ({dates[0]} … {dates[-1]})" if len(dates) > 1 else (f" ({dates[0]})" if dates else "")
    settings = f", settings for {', '.join(scenario.models)}" if scenario.models else ""
    typer.echo(
        f"{file}: ok — {len(scenario.actors)} actors, {len(scenario.issues)} issues, "
        f"{len(scenario.snapshots)} snapshot(s){span}, {n_st} stance entries, "
        f"{len(gaps)} number(s) without evidence, {len(proposed)} unratified "
        f"proposal(s){settings}"
    )
    if strict and (gaps or proposed):
        raise typer.Exit(2)


@app.command()
@grouped
def convert(
    source_file: Annotated[Path, typer.Argument(metavar="SOURCE", help="Input scenario file.")],
    target: Annotated[Path, typer.Argument(help="Output file (.yaml, .json or .csv).")],
    source: Source,
    output_format: Annotated[
        str | None, typer.Option("--output-format", "-t", help="Format to write.")
    ] = None,
) -> None:
    """Convert a scenario between formats (peer formats in, detente formats out)."""
    from detente.io import dumps, format_for_output

    scenario = source.load(source_file)
    fmt = output_format or format_for_output(target)
    write_text(dumps(scenario, fmt), target)
    say(f"wrote {target} ({fmt})")


@app.command()
def schema(output: Output = None) -> None:
    """Print the JSON Schema of scenario files."""
    import json

    from detente.io.schema import scenario_schema

    write_text(json.dumps(scenario_schema(), indent=2) + "\n", output)


@app.command("models")
def list_models(
    name: Annotated[str | None, typer.Argument(help="Only this model.")] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = (
        ListFormat.table),
) -> None:
    """List the models: what they can do, their parameters, presets and citations."""
    import json

    from detente.models.registry import REGISTRY
    from detente.render.models import model_document, models_text

    names = [REGISTRY.cls(name).name] if name else list(REGISTRY)
    docs = [model_document(REGISTRY[n]) for n in names]
    if output_format is ListFormat.json:
        write_text(json.dumps(docs if name is None else docs[0], indent=2) + "\n", None)
    else:
        show(models_text(docs))


@app.command("formats")
def list_formats() -> None:
    """List the file formats that can be read and written."""
    from detente.io import FORMATS

    for fmt in FORMATS.values():
        rw = ("read" if fmt.read else "") + ("/write" if fmt.write else "")
        typer.echo(f"{fmt.name:6} {rw.strip('/'):10} {', '.join(fmt.extensions):14} "
                   f"{fmt.description}")
