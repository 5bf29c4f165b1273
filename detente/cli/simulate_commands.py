"""``detente simulate``: probabilities from Monte Carlo over input uncertainty."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from detente.cli.common import (
    AsOf,
    Capabilities,
    Draws,
    InputFormat,
    Output,
    SalienceScaleOpt,
    Seed,
    ShowProgress,
    WaitOpt,
    WorkspaceOpt,
    app,
    err,
    load_scenario,
    progress_bar,
    write_text,
)
from detente.errors import InputError
from detente.models import REGISTRY
from detente.render.simulation import (
    parquet_bytes,
    render_csv,
    render_json,
    render_table,
    samples_frame,
    simulation_table,
    summary_frame,
)
from detente.uncertainty import DefaultUncertainty, simulate
from detente.uncertainty.inputs import RANGE_SHAPES


class SimFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"


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
@app.command("simulate")
def simulate_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Model to run (repeatable): {', '.join(REGISTRY)}. "
                     "Default: every model that solves issues in batches (not exchange)."),
    ] = None,
    draws: Draws = 10_000,
    seed: Seed = 0,
    rounds: Annotated[int | None, typer.Option(help="Round cap for dynamic models.")] = None,
    as_of: AsOf = None,
    position_sd: PositionSd = 0.0,
    salience_sd: SalienceSd = 0.0,
    capability_sd: CapabilitySd = 0.0,
    range_shape: RangeShapeOpt = "triangular",
    save: Annotated[bool, typer.Option(
        "--save", help="Record the runs, with every draw, in the workspace.")] = False,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
    calibrate: Annotated[bool, typer.Option(
        "--calibrate", help="Also give each question's probability with the model's own error "
        "added (as learned on the DEU III development split).")] = False,
    output_format: Annotated[
        SimFormat, typer.Option("--format", help="table, json, csv or parquet.")
    ] = SimFormat.table,
    samples: Annotated[bool, typer.Option(
        "--samples", help="csv/parquet: every draw (draw, model, issue, value) instead of "
        "the summary.")] = False,
    output: Output = None,
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
                       workers=workers, calibrate=calibrate)
    if save:
        from detente.store import Workspace

        with Workspace(workspace, timeout=wait) as ws:
            for r in ws.record_simulation(sim):
                how = "identical run already recorded" if r.reused else "recorded"
                err.print(f"{how}: run {r.run_id} ({r.model}, {sim.draws:,} draws) in "
                          f"{ws.path}", highlight=False)
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
