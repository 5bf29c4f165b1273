"""What the commands share: option groups, common options, and writing to the terminal.

An option group is a dataclass whose fields are typer options; a command takes it as one
parameter (``source: Source``) and :func:`grouped` spreads its fields into the command's
options, so each group is declared once for every command. Everything here is light to
import: heavy modules are imported inside the functions that need them, which keeps
``detente --help`` quick.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from detente.errors import InputError
from detente.models.registry import REGISTRY

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from detente.execution.base import Executor
    from detente.models.base import Model
    from detente.models.settings import Settings
    from detente.scenario import Scenario

_MODELS = ", ".join(REGISTRY.builtin_names())

# ------------------------------------------------------------------ option groups


@dataclass(frozen=True)
class Source:
    """How to read the scenario file: format and the choices a format may need."""

    input_format: Annotated[str | None, typer.Option(
        "--input-format", "-f", help="Format of FILE (default: detected from its content and "
        "extension): yaml, json, csv, bdm, ktab, deu or decide.",
        rich_help_panel="Reading the file")] = None
    capabilities: Annotated[str | None, typer.Option(
        "--capabilities", help="Capability scheme for formats that need one (DEU: "
        "weights|equal|council).", rich_help_panel="Reading the file")] = None
    salience_scale: Annotated[str | None, typer.Option(
        "--salience-scale", help="0-1 or 0-100, for files that do not say.",
        rich_help_panel="Reading the file")] = None

    def load(self, path: Path) -> Scenario:
        """The scenario in ``path``, read with these options."""
        from detente.io import ReadOptions, load

        return load(path, self.input_format,
                    ReadOptions(capabilities=self.capabilities,
                                salience_scale=self.salience_scale))


@dataclass(frozen=True)
class ModelChoice:
    """Which models run, with which parameters."""

    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help=f"Model to run (repeatable; default: every model): {_MODELS}; "
        "'detente models' lists them with their parameters.",
        rich_help_panel="Models")] = None
    settings: Annotated[list[str] | None, typer.Option(
        "--set", "-s", metavar="MODEL.PARAM=VALUE", help="A model parameter, e.g. --set "
        "eum.Q=0.8 or --set eum.preset=scholz-code (repeatable; over the file's models: "
        "block).", rich_help_panel="Models")] = None
    rounds: Annotated[int | None, typer.Option(
        "--rounds", min=1, help="Round cap of every dynamic model (e.g. eum, smp).",
        rich_help_panel="Models")] = None
    max_memory: Annotated[str | None, typer.Option(
        "--max-memory", metavar="SIZE", help="Most memory a model run may plan to use, e.g. "
        "8G or 500M (default: $DETENTE_MAX_MEMORY, else a quarter of the machine's).",
        rich_help_panel="Models")] = None

    def parsed(self) -> Settings:
        """The ``--set`` values as settings (names checked, values as written)."""
        from detente.models.settings import parse_assignments

        return parse_assignments(self.settings or [])

    def resolve(self, scenario: Scenario | None = None, *, joint: bool | None = None,
                default: list[str] | None = None) -> list[Model]:
        """The model instances, with the scenario's settings and ``--set`` over them."""
        from detente.forecasting import resolve_models
        from detente.limits import parse_bytes, set_memory_limit

        if self.max_memory is not None:
            set_memory_limit(parse_bytes(self.max_memory, field="--max-memory"))
        return resolve_models(self.model or default, settings=self.parsed(),
                              scenario=scenario, rounds=self.rounds, joint=joint)

    def one(self, scenario: Scenario | None = None, default: str = "eum") -> Model:
        """The single model a command is about (``-m`` given at most once)."""
        names = self.model or [default]
        if len(names) > 1:
            raise InputError(f"this command takes one model, got {len(names)}",
                             field="--model", hint="give --model once")
        return self.resolve(scenario, default=names)[0]


_Command = TypeVar("_Command", bound=Callable[..., Any])


def grouped(func: _Command) -> _Command:
    """Spread each option-group parameter of ``func`` into its fields, for typer.

    ``def forecast(file: ..., source: Source)`` becomes a command with the options
    ``--input-format``, ``--capabilities`` and ``--salience-scale``, and ``func`` receives
    them as one ``Source``.
    """
    sig = inspect.signature(func, eval_str=True)
    params: list[inspect.Parameter] = []
    spread: list[inspect.Parameter] = []  # keyword-only, after the command's own
    groups: dict[str, tuple[type[Any], list[str]]] = {}
    for p in sig.parameters.values():
        cls = p.annotation
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            params.append(p)
            continue
        hints = typing.get_type_hints(cls, include_extras=True)
        names = [f.name for f in dataclasses.fields(cls)]
        spread += [inspect.Parameter(f"{p.name}__{f.name}", inspect.Parameter.KEYWORD_ONLY,
                                     default=f.default, annotation=hints[f.name])
                   for f in dataclasses.fields(cls)]
        groups[p.name] = (cls, names)
    params += spread

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for name, (cls, fields) in groups.items():
            kwargs[name] = cls(**{f: kwargs.pop(f"{name}__{f}") for f in fields})
        return func(*args, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {q.name: q.annotation for q in params}
    return typing.cast(_Command, wrapper)


# ------------------------------------------------------------------ common options

AsOf = Annotated[str | None, typer.Option("--as-of", help="Use the snapshot in force on this "
                                          "date (YYYY-MM-DD; default: the latest).")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")]
WorkspaceOpt = Annotated[Path | None, typer.Option(
    "--workspace", "-w", help="Workspace file (default: $DETENTE_WORKSPACE, else "
    "./detente.duckdb).", show_default=False)]
WaitOpt = Annotated[float, typer.Option(
    "--wait", min=0, help="Seconds to wait while another process uses the workspace.")]
Draws = Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws (> 0).")]
Seed = Annotated[int, typer.Option(help="Seed of the random numbers: same seed, same output.")]
ShowProgress = Annotated[bool | None, typer.Option(
    "--progress/--no-progress", help="Progress bar on stderr (default: when it is a terminal).")]
JointOpt = Annotated[bool | None, typer.Option(
    "--joint/--per-issue", help="smp: all issues as one multi-dimensional space, or each "
    "issue on its own (default: the file's setting; KTAB files: joint).")]
PositionSd = Annotated[float, typer.Option(
    "--position-sd", help="sd of positions that state no uncertainty, as a share of the "
    "issue's scale (0.1 = 10 points on 0-100); default 0: exact.")]
SalienceSd = Annotated[float, typer.Option(
    "--salience-sd", help="sd of saliences that state none, on 0-1; default 0.")]
CapabilitySd = Annotated[float, typer.Option(
    "--capability-sd", help="sd of capabilities that state none, as a share of the value.")]
RangeShapeOpt = Annotated[str, typer.Option(
    "--range-shape", help="Distribution of a stated range: triangular, uniform or normal.")]
Workers = Annotated[int, typer.Option(
    help="Processes computing tasks side by side (0 = one per core; with --scheduler local "
    "the Dask workers).")]
Scheduler = Annotated[str | None, typer.Option(
    "--scheduler", help="Where the tasks run: processes (default), in-process, local (a Dask "
    "LocalCluster here; prints its dashboard) or tcp://HOST:8786 (a Dask cluster); default "
    "$DETENTE_SCHEDULER. Same seed, same results on every one.", show_default=False)]
IssuesOpt = Annotated[list[str] | None, typer.Option(
    "--issue", "-i", help="Only this issue (repeatable; default all).")]

# ------------------------------------------------------------------ writing


@functools.cache
def _console(stderr: bool) -> Console:
    from rich.console import Console

    # user text (names, labels, messages) is printed literally: no markup, no emoji codes
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def stdout() -> Console:
    return _console(False)


def stderr() -> Console:
    return _console(True)


def say(message: str) -> None:
    """One line on stderr, printed as it is."""
    stderr().print(message, soft_wrap=True)


def error(message: str, kind: str = "error") -> None:
    """``error: message`` on stderr, the message printed as it is."""
    from rich.text import Text

    stderr().print(Text.assemble((kind, "red" if kind == "error" else "yellow"), ": ",
                                 message), soft_wrap=True)


def write_text(text: str, output: Path | None) -> None:
    """Print, or replace ``output`` only once the whole text is written."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror}", file=str(output)) from None


def show(renderable: RenderableType, output: Path | None = None, width: int = 100) -> None:
    """Tables on the terminal (at least ``width`` wide), or as plain text into ``output``."""
    from rich.console import Console

    if output is None:
        con = stdout()
        Console(width=max(con.width, width), markup=False, emoji=False,
                highlight=False).print(renderable)
        return
    import io

    buf = io.StringIO()
    Console(file=buf, width=max(120, width), force_terminal=False, markup=False,
            emoji=False, highlight=False).print(renderable)
    write_text(buf.getvalue(), output)


@contextmanager
def executor(scheduler: str | None, workers: int) -> Iterator[Executor]:
    """The backend of ``--scheduler`` and ``--workers``; a Dask cluster's dashboard is named
    on stderr, and the backend is closed at the end."""
    from detente.execution import executor_for

    chosen = executor_for(scheduler, workers)
    with chosen:
        dashboard = getattr(chosen, "dashboard", None)
        if dashboard:
            say(f"{chosen.describe()}; dashboard: {dashboard}")
        yield chosen


@contextmanager
def progress_bar(show: bool | None, what: str = "draws"
                 ) -> Iterator[Callable[[int, int], None] | None]:
    """A callback drawing a progress bar on stderr (done/total, rate, time left), or None
    when it is not wanted. The backends call it as each task finishes."""
    con = stderr()
    if show is None:
        show = con.is_terminal
    if not show:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("working"), BarColumn(), TextColumn(
            "{task.completed:,.0f}/{task.total:,.0f} " + what), _rate_column(what),
            TimeRemainingColumn(), console=con, transient=True) as bar:
        task = bar.add_task(what, total=1)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _rate_column(what: str) -> Any:
    """A progress column showing the rate, e.g. "1,234 draws/s"."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:,.0f} {what}/s")

    return Rate()
