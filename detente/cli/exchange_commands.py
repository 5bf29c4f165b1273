"""``detente exchange``: the exchange model's trades and gains beside the single-issue models."""

from __future__ import annotations

import enum
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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
from detente.forecast import snapshot_index
from detente.models.exchange import SOLUTIONS, Exchange
from detente.render.exchange import exchange_report


class ReportFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command("exchange")
def exchange(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    rounds: Annotated[int, typer.Option(min=1, help="Maximum number of rounds.")] = 10,
    solution: Annotated[
        str, typer.Option(help=f"Exchange solution: {', '.join(SOLUTIONS)}.")
    ] = "equal_gain",
    p: Annotated[
        float, typer.Option("--p", min=0.0, max=1.0,
                            help="Randomized equal gain: 0 = equal gain, up to 1.")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="Seed for ties and random draws.")] = 0,
    top: Annotated[int, typer.Option(min=1, help="How many packages to list.")] = 12,
    as_of: AsOf = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="table or json.")
    ] = ReportFormat.table,
    output: Output = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Show the trades the exchange model finds, who gains, and how outcomes differ."""
    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    snapshot_index(scenario, as_of)  # a clear error for a bad date
    model = Exchange(rounds=rounds, solution=solution, p=p, seed=seed)
    report = exchange_report(scenario, model, as_of=as_of)
    if output_format is ReportFormat.json:
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
        write_text(text + "\n", output)
        return
    if output is None:
        console = Console(width=max(Console().width, 110))
    else:
        console = Console(file=io.StringIO(), width=120, force_terminal=False)
    for table in report.tables(top):
        console.print(table)
    if output is not None:
        write_text(console.file.getvalue(), output)  # type: ignore[attr-defined]
