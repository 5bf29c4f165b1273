"""``detente simulate``: probabilities from Monte Carlo over input uncertainty."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from detente.cli.common import (
    Capabilities,
    InputFormat,
    SalienceScaleOpt,
    app,
    err,
    load_scenario,
    write_text,
)
from detente.errors import InputError
from detente.models import REGISTRY
from detente.uncertainty import DefaultUncertainty, simulate
from detente.uncertainty.inputs import RANGE_SHAPES
from detente.uncertainty.output import (
    parquet_bytes,
    render_csv,
    render_json,
    render_table,
    samples_frame,
    simulation_table,
    summary_frame,
)


class SimFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"


Draws = Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws (> 0).")]
Seed = Annotated[int, typer.Option(help="Seed of the random numbers: same seed, same output.")]
PositionSd = Annotated[float, typer.Option(
    "--position-sd", help="sd of positions that state no uncertainty, as a share of the "
    "issue's scale (0.1 = 10 points on 0-100); default 0: exact.")]
SalienceSd = Annotated[float, typer.Option(
    "--salience-sd", help="sd of saliences that state none, on 0-1; default 0.")]
CapabilitySd = Annotated[float, typer.Option(
    "--capability-sd", help="sd of capabilities that state none, as a share of the value.")]
RangeShapeOpt = Annotated[str, typer.Option(
    "--range-shape", help=f"Distribution of a stated range: {', '.join(RANGE_SHAPES)}.")]
Workers = Annotated[int, typer.Option(
    help="Processes computing chunks of draws side by side (0 = one per core).")]
ShowProgress = Annotated[bool | None, typer.Option(
    "--progress/--no-progress", help="Progress bar on stderr (default: when it is a terminal).")]


@contextmanager
def progress_bar(show: bool | None, console: Console = err
                 ) -> Iterator[Callable[[int, int], None] | None]:
    """A callback drawing a progress bar on stderr, or None when it is not wanted."""
    if show is None:
        show = console.is_terminal
    if not show:
        yield None
        return
    with Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.completed:,.0f}/"
                  "{task.total:,.0f} draws"), TimeRemainingColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("draws", total=1)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@app.command("simulate")
def simulate_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Model to run (repeatable; default all): "
                     f"{', '.join(REGISTRY)}."),
    ] = None,
    draws: Draws = 10_000,
    seed: Seed = 0,
    rounds: Annotated[int | None, typer.Option(help="Round cap for dynamic models.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use the snapshot in force on this date.")
    ] = None,
    position_sd: PositionSd = 0.0,
    salience_sd: SalienceSd = 0.0,
    capability_sd: CapabilitySd = 0.0,
    range_shape: RangeShapeOpt = "triangular",
    output_format: Annotated[
        SimFormat, typer.Option("--format", help="table, json, csv or parquet.")
    ] = SimFormat.table,
    samples: Annotated[bool, typer.Option(
        "--samples", help="csv/parquet: every draw (draw, model, issue, value) instead of "
        "the summary.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    workers: Workers = 0,
    show_progress: ShowProgress = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Forecast distributions and question probabilities by Monte Carlo over the inputs."""
    if output_format is SimFormat.parquet and output is None:
        raise InputError("parquet is binary and is not printed", field="--format",
                         hint="write it to a file with --output FILE.parquet")
    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    defaults = DefaultUncertainty(position_sd, salience_sd, capability_sd)
    with progress_bar(show_progress) as callback:
        sim = simulate(scenario, model, draws=draws, seed=seed, as_of=as_of, rounds=rounds,
                       progress=callback, defaults=defaults,
                       shape=range_shape,  # type: ignore[arg-type]  # checked inside
                       workers=workers)
    if output_format is SimFormat.json:
        write_text(render_json(sim), output)
    elif output_format in (SimFormat.csv, SimFormat.parquet):
        frame = samples_frame(sim) if samples else summary_frame(sim)
        if output_format is SimFormat.csv:
            write_text(render_csv(frame), output)
        else:
            assert output is not None
            tmp = output.with_name(f".{output.name}.tmp")
            tmp.write_bytes(parquet_bytes(frame))
            tmp.replace(output)
    elif output is None:
        Console(width=max(Console().width, 100)).print(simulation_table(sim))
    else:
        write_text(render_table(sim), output)
    sys.stdout.flush()
