"""Pieces shared by the command modules: the app, common options, loading and writing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from detente.io import FORMATS, ReadOptions, load
from detente.models import REGISTRY, Model, get_model
from detente.scenario import Scenario

app = typer.Typer(
    name="detente",
    help="Forecast multi-actor negotiations with the field's established models.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)


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
JointOpt = Annotated[
    bool | None,
    typer.Option(
        "--joint/--per-issue",
        help="smp: run all issues as one multi-dimensional space, or each issue on its own "
        "(default: joint for KTAB inputs, per issue otherwise).",
    ),
]
SalienceScaleOpt = Annotated[
    str | None,
    typer.Option("--salience-scale", help="0-1 or 0-100, for files that do not say."),
]


def load_scenario(
    path: Path, input_format: str | None, capabilities: str | None, salience: str | None
) -> Scenario:
    """Read a scenario file with the command's format options."""
    return load(path, input_format, ReadOptions(capabilities=capabilities, salience_scale=salience))


def models_for(path: Path, fmt: str, names: list[str] | None) -> list[Model]:
    """The models to run (the scenario's own settings apply when it is given to forecast)."""
    del path, fmt
    return [get_model(n) for n in names or REGISTRY.defaults()]


def joint_default(fmt: str, joint: bool | None) -> bool | None:
    """As asked; otherwise the scenario's settings decide (KTAB files: joint)."""
    del fmt
    return joint


def write_text(text: str, output: Path | None) -> None:
    """Print, or replace ``output`` only once the whole text is written."""
    if output is None:
        sys.stdout.write(text)
    else:
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Use the snapshot in force on this date.")
]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")]
WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="Workspace file (default: $DETENTE_WORKSPACE, else "
                 "./detente.duckdb).", show_default=False),
]
WaitOpt = Annotated[
    float,
    typer.Option("--wait", min=0, help="Seconds to wait while another process uses the "
                 "workspace."),
]
Draws = Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws (> 0).")]
Seed = Annotated[int, typer.Option(help="Seed of the random numbers: same seed, same output.")]
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
