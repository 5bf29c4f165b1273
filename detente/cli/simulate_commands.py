"""``detente simulate``: probabilities from Monte Carlo over input uncertainty."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.options import (
    AsOf,
    CapabilitySd,
    Draws,
    ModelChoice,
    Output,
    PositionSd,
    RangeShapeOpt,
    SalienceSd,
    Scheduler,
    Seed,
    ShowProgress,
    Source,
    WaitOpt,
    Workers,
    WorkspaceOpt,
    executor,
    grouped,
    progress_bar,
    say,
    show,
    write_text,
)


class SimFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"


@app.command("simulate")
@grouped
def simulate_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    models: ModelChoice,
    source: Source,
    draws: Draws = 10_000,
    seed: Seed = 0,
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
    scheduler: Scheduler = None,
    show_progress: ShowProgress = None,
) -> None:
    """Forecast distributions and question probabilities by Monte Carlo over the inputs.

    Default models: those that solve issues in batches (not exchange; name it to run it
    draw by draw).
    """
    from detente.errors import InputError
    from detente.render import simulation as render
    from detente.uncertainty import DefaultUncertainty, simulate

    if output_format is SimFormat.parquet and output is None:
        raise InputError("parquet is binary and is not printed", field="--format",
                         hint="write it to a file with --output FILE.parquet")
    scenario = source.load(file)
    chosen = models.resolve(scenario)
    if not models.model:
        chosen = [m for m in chosen if m.tags().batched]
    defaults = DefaultUncertainty(position_sd, salience_sd, capability_sd)
    with executor(scheduler, workers) as ex, progress_bar(show_progress) as callback:
        sim = simulate(scenario, chosen, draws=draws, seed=seed, as_of=as_of,
                       progress=callback, defaults=defaults,
                       shape=range_shape,  # type: ignore[arg-type]  # checked inside
                       executor=ex, calibrate=calibrate)
    if save:
        from detente.store import Workspace

        with Workspace(workspace, timeout=wait) as ws:
            for r in ws.record_simulation(sim):
                how = "identical run already recorded" if r.reused else "recorded"
                say(f"{how}: run {r.run_id} ({r.model}, {sim.draws:,} draws) in {ws.path}")
    if output_format is SimFormat.json:
        write_text(render.render_json(sim), output)
    elif output_format in (SimFormat.csv, SimFormat.parquet):
        frame = render.samples_frame(sim) if samples else render.summary_frame(sim)
        if output_format is SimFormat.csv:
            write_text(render.render_csv(frame), output)
        else:
            assert output is not None
            tmp = output.with_name(f".{output.name}.tmp")
            tmp.write_bytes(render.parquet_bytes(frame))
            tmp.replace(output)
    else:
        show(render.simulation_table(sim), output)
