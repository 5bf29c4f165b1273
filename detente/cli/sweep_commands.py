"""``detente sweep``: run, resume, list, export and explore sweeps.

``detente sweep SCENARIO --vary PATH=LO:HI ...`` is ``detente sweep run SCENARIO ...``: the
group runs a sweep unless its first word names one of its other commands.
"""

from __future__ import annotations

import enum
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from detente.cli.app import app
from detente.cli.options import (
    AsOf,
    CapabilitySd,
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


class _RunByDefault(TyperGroup):
    """A group whose first argument, unless it names a command, starts ``run``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


sweep_app = typer.Typer(
    name="sweep", cls=_RunByDefault, no_args_is_help=True,
    help="Sweeps: many variations of the inputs and model parameters, each with its own "
    "Monte Carlo, stored in the workspace; scenario discovery on the results. "
    "'detente sweep SCENARIO --vary PATH=LO:HI ...' runs one.")
app.add_typer(sweep_app, name="sweep", rich_help_panel="Sweeps")


class Sample(enum.StrEnum):
    lhs = "lhs"
    sobol = "sobol"
    grid = "grid"


class ListFormat(enum.StrEnum):
    table = "table"
    json = "json"


class ExportFormat(enum.StrEnum):
    parquet = "parquet"
    csv = "csv"


@sweep_app.command("run")
@grouped
def run_command(
    models: ModelChoice,
    source: Source,
    file: Annotated[Path | None, typer.Argument(
        help="Scenario file (not needed with --resume, or with a sweep file that names "
        "one).", show_default=False)] = None,
    vary: Annotated[list[str] | None, typer.Option(
        "--vary", "-v", metavar="PATH=LO:HI", help="An input to vary (repeatable): "
        "actors.A.capability, stances.A.I.position, stances.A.I.salience (0-100), "
        "issues.I.status_quo or MODEL.PARAM (e.g. eum.Q=0.5:1).")] = None,
    sweep_file: Annotated[Path | None, typer.Option(
        "--file", "-F", help="A YAML sweep file (vary:, sample:, n:, draws:, models:, set:, "
        "scenario:) instead of the options.", show_default=False)] = None,
    sample: Annotated[Sample, typer.Option(
        "--sample", help="lhs (Latin hypercube), sobol (scrambled Sobol) or grid.")
    ] = Sample.lhs,
    n: Annotated[int, typer.Option(
        "--n", help="Variations (grid: levels per variable, n ** variables variations).")
    ] = 100,
    draws: Annotated[int, typer.Option(
        "--draws", help="Monte Carlo draws per variation.")] = 100,
    seed: Seed = 0,
    as_of: AsOf = None,
    position_sd: PositionSd = 0.0,
    salience_sd: SalienceSd = 0.0,
    capability_sd: CapabilitySd = 0.0,
    range_shape: RangeShapeOpt = "triangular",
    batch: Annotated[int | None, typer.Option(
        "--batch", help="Variations per task (default: about 20,000 model-draws a task; "
        "results do not depend on it).", show_default=False)] = None,
    resume: Annotated[int | None, typer.Option(
        "--resume", metavar="RUN", help="Finish sweep RUN: only its missing variations are "
        "computed.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Also write the rows to this Parquet file at the end.")
    ] = None,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
    workers: Workers = 0,
    scheduler: Scheduler = None,
    show_progress: ShowProgress = None,
) -> None:
    """Run a sweep (or finish one with --resume), streaming its rows into the workspace.

    Every variation is checked before anything runs; each gets its own draws, so results
    do not depend on the backend, the workers or the tasks.
    """
    from detente.errors import InputError
    from detente.store import Workspace
    from detente.store.sweeps import SweepStore
    from detente.sweep.runner import resume_sweep, run_sweep
    from detente.sweep.spec import SweepSpec, parse_vary, read_sweep_file

    where: list[str] | None = None
    scenario = None
    if resume is not None:
        if file is not None or vary or sweep_file is not None:
            raise InputError("--resume takes the stored sweep as it was", field="--resume",
                             hint="give --resume RUN alone (with --workspace, --scheduler)")
    elif sweep_file is not None:
        if vary:
            raise InputError("give the variables in the sweep file or with --vary, not both",
                             field="--vary")
        spec, named, where = read_sweep_file(sweep_file)
        target = file or named
        if target is None:
            raise InputError("no scenario", file=str(sweep_file), field="scenario",
                             hint="name it in the file (scenario: FILE) or on the command line")
        scenario = source.load(target)
    else:
        if file is None:
            raise InputError("no scenario file", field="FILE",
                             hint="detente sweep SCENARIO --vary PATH=LO:HI ...")
        variables = tuple(parse_vary(v) for v in vary or [])
        spec = SweepSpec(
            variables=variables, n=n, sample=sample.value, draws=draws, seed=seed,
            models=tuple(models.model or ["eum"]), settings=models.parsed(), as_of=as_of,
            rounds=models.rounds, position_sd=position_sd, salience_sd=salience_sd,
            capability_sd=capability_sd, range_shape=range_shape, batch=batch)
        scenario = source.load(file)
    if scenario is not None:
        from detente.sweep.spec import check

        spec = check(spec, scenario, where)  # before a worker or the workspace is touched
    with Workspace(workspace, timeout=wait) as ws:
        store = SweepStore(ws)
        if resume is not None:
            store.info(resume)  # a one-line error before any worker starts
        with executor(scheduler, workers) as ex, _stop_on_ctrl_c() as stopping:
            current: list[int] = []

            def started(sweep_id: int, total: int, already: int) -> None:
                current.append(sweep_id)
                stored = f", {already:,} already stored" if already else ""
                say(f"sweep {sweep_id}: {total:,} variations{stored}, on {ex.describe()}")

            try:
                with progress_bar(show_progress, "variations") as callback:

                    def tick(done: int, total: int) -> None:
                        if callback is not None:
                            callback(done, total)
                        if stopping.is_set():  # a safe point: the last task is stored
                            raise KeyboardInterrupt

                    if resume is not None:
                        out = resume_sweep(ws, resume, executor=ex, progress=tick,
                                           on_start=started)
                    else:
                        assert scenario is not None
                        out = run_sweep(scenario, spec, ws, executor=ex, progress=tick,
                                        where=where, on_start=started)
            except BaseException:
                if not (stopping.is_set() and current):
                    raise
                info = store.info(current[0])
                say(f"interrupted: {info.done:,} of {info.variations:,} variations stored "
                    f"in sweep {info.sweep_id}; finish with: detente sweep --resume "
                    f"{info.sweep_id}")
                sys.exit(130)
        rate = out.computed / out.elapsed if out.elapsed > 0 else float("nan")
        say(f"sweep {out.sweep_id} done: {out.computed:,} variations computed"
            + (f" ({out.already:,} already stored)" if out.already else "")
            + f" in {out.elapsed:.1f} s ({rate:,.1f} variations/s), in {ws.path}")
        if output is not None:
            store.export(out.sweep_id, output)
            say(f"rows written to {output}")
        say(f"next: detente sweep discover {out.sweep_id} --question QID")


@contextmanager
def _stop_on_ctrl_c() -> Iterator[threading.Event]:
    """The first Ctrl-C asks the sweep to stop once the next task is stored; a second one
    stops at once (each task is still stored whole or not at all)."""
    stopping = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            signal.signal(signal.SIGINT, signal.default_int_handler)
            raise KeyboardInterrupt
        stopping.set()
        say("stopping once the next task is stored (Ctrl-C again to stop at once)")

    if threading.current_thread() is not threading.main_thread():
        yield stopping
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stopping
    finally:
        signal.signal(signal.SIGINT, previous)


@sweep_app.command("list")
def list_command(
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")
                             ] = ListFormat.table,
) -> None:
    """The stored sweeps, with how far each got."""
    from detente.render.sweep import sweeps_table
    from detente.store import Workspace
    from detente.store.sweeps import SweepStore

    with Workspace(workspace, timeout=wait, create=False) as ws:
        infos = SweepStore(ws).all()
    if output_format is ListFormat.json:
        write_text(json.dumps([i.to_dict() for i in infos], indent=2) + "\n", None)
        return
    show(sweeps_table(infos))


@sweep_app.command("export")
def export_command(
    run: Annotated[int, typer.Argument(metavar="RUN", help="The sweep's number.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    output_format: Annotated[ExportFormat, typer.Option(
        "--format", help="parquet or csv.")] = ExportFormat.parquet,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Write a sweep's rows to Parquet or CSV: one per variation × model × issue.

    Columns: the varied inputs, mean, median, sd, p5, p95 and p_QID per question.
    """
    from detente.store import Workspace
    from detente.store.sweeps import SweepStore

    with Workspace(workspace, timeout=wait, create=False) as ws:
        SweepStore(ws).export(run, output, output_format.value)
    say(f"sweep {run} written to {output}")


@sweep_app.command("discover")
def discover_command(
    run: Annotated[int, typer.Argument(metavar="RUN", help="The sweep's number.")],
    question: Annotated[str, typer.Option("--question", "-q", help="The question (QID).")],
    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="The model (default: the sweep's first).")] = None,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="A variation is of interest when P(yes) exceeds this.")] = 0.5,
    min_density: Annotated[float, typer.Option(
        "--min-density", help="Choose the box with the most coverage at this density.")
    ] = 0.8,
    boxes: Annotated[int, typer.Option("--boxes", min=1, help="PRIM boxes to find.")] = 1,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Write the trade-off chart (coverage against density) to this PNG, "
        "SVG or PDF file.", show_default=False)] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")
                             ] = ListFormat.table,
    output: Output = None,
    workspace: WorkspaceOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Scenario discovery: PRIM boxes where P(question) > threshold, and feature scores.

    The boxes come with coverage, density and quasi-p-values; the extra-trees feature scores
    say which varied input matters most. Needs the optional extra 'discovery'
    (ema-workbench).
    """
    from detente.render.sweep import discovery_tables
    from detente.store import Workspace
    from detente.sweep.discovery import discover

    with Workspace(workspace, timeout=wait, create=False) as ws:
        found = discover(ws, run, question, model=model, threshold=threshold,
                         min_density=min_density, boxes=boxes)
    if plot is not None:
        from detente.render.sweep import tradeoff_figure

        tradeoff_figure(found, plot)
    doc: dict[str, Any] = found.to_dict()
    if output_format is ListFormat.json:
        write_text(json.dumps(doc, indent=2, allow_nan=False) + "\n", output)
        return
    show(discovery_tables(found), output)
