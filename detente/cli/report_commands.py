"""Commands that draw: report (one self-contained HTML file) and plot (single charts)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from detente.cli.app import app
from detente.cli.options import (
    AsOf,
    IssuesOpt,
    ModelChoice,
    Seed,
    ShowProgress,
    Source,
    WorkspaceOpt,
    grouped,
    progress_bar,
    say,
    write_text,
)

if TYPE_CHECKING:
    from detente.models.base import Model
    from detente.report.contract import TornadoInput
    from detente.scenario import Scenario

SimulationOpt = Annotated[
    list[Path] | None,
    typer.Option("--simulation", help="Simulation result, the JSON of 'detente simulate "
                 "--format json' (repeatable: one per snapshot for the timeline)."),
]
TornadoOpt = Annotated[
    Path | None,
    typer.Option("--tornado", help="Tornado bars as JSON (a list of bars, or an object with "
                 "model, issue and bars)."),
]
TornadoModelOpt = Annotated[
    str | None, typer.Option("--tornado-model", help="Model the tornado list is about.")
]
TornadoIssueOpt = Annotated[
    str | None, typer.Option("--tornado-issue", help="Issue the tornado list is about.")
]
ReportDraws = Annotated[int, typer.Option(
    "--draws", "-n", min=0, help="Monte Carlo draws per snapshot for distributions, question "
    "probabilities, timeline intervals and tornado charts (0: none; ignored with "
    "--simulation).")]
ThresholdOpt = Annotated[
    float, typer.Option(min=0.0, help="Bloc threshold: the average distance (0-1) below "
                        "which actors form a bloc.")
]


class Chart(enum.StrEnum):
    forecasts = "forecasts"
    rounds = "rounds"
    timeline = "timeline"
    map = "map"
    distances = "distances"
    perceptions = "perceptions"
    distributions = "distributions"
    questions = "questions"
    tornado = "tornado"


def _tornado_inputs(
    scenario: Scenario, path: Path | None, model: str | None, issue: str | None,
    models: list[Model], issues: list[str] | None,
) -> list[TornadoInput]:
    from detente.report.contract import read_tornado

    if path is None:
        return []
    names = [m.name for m in models]
    default_model = model or ("eum" if "eum" in names else names[0])
    default_issue = issue or (issues[0] if issues else
                              scenario.issues[0].id if len(scenario.issues) == 1 else None)
    return [read_tornado(path, default_model, default_issue)]


def _discoveries(items: list[str], workspace: Path | None) -> list[Any]:
    """``RUN:QID[:MODEL]`` options as scenario discoveries read from the workspace."""
    if not items:
        return []
    from detente.errors import InputError
    from detente.store import Workspace
    from detente.sweep.discovery import discover

    out = []
    with Workspace(workspace, create=False) as ws:
        for item in items:
            run, _, rest = item.partition(":")
            question, _, model = rest.partition(":")
            if not run.isdigit() or not question:
                raise InputError(f"expected RUN:QID[:MODEL], got {item!r}", field="--sweep",
                                 hint="e.g. --sweep 1:direct_talks_held:eum")
            out.append(discover(ws, int(run), question, model=model or None))
    return out


@app.command(rich_help_panel="Reports")
@grouped
def report(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    models: ModelChoice,
    source: Source,
    as_of: AsOf = None,
    issue: IssuesOpt = None,
    simulation: SimulationOpt = None,
    tornado: TornadoOpt = None,
    tornado_model: TornadoModelOpt = None,
    tornado_issue: TornadoIssueOpt = None,
    draws: ReportDraws = 1000,
    seed: Seed = 0,
    threshold: ThresholdOpt = 0.2,
    sweep: Annotated[list[str] | None, typer.Option(
        "--sweep", metavar="RUN:QID[:MODEL]", help="Add scenario discovery on a stored sweep "
        "for a question (repeatable), e.g. --sweep 1:direct_talks_held:eum.")] = None,
    workspace: WorkspaceOpt = None,
    show_progress: ShowProgress = None,
    interactive: Annotated[bool, typer.Option(
        "--interactive", help="Add the web app's interactive charts (Vega, inlined; needs "
        "vl-convert-python).")] = False,
) -> None:
    """Write one self-contained HTML report with every chart.

    Inputs and evidence, forecasts, rounds, distributions, sensitivity, alignment,
    perceptions and the timeline.
    """
    from detente.report import build_report
    from detente.report.builder import pick_issues
    from detente.report.contract import read_simulation
    from detente.report.live import batched_models, simulations, tornadoes

    scenario = source.load(file)
    if issue:  # simulate and explain only what the report shows
        scenario = scenario.restrict(pick_issues(scenario, issue))
    chosen_models = models.resolve(scenario)
    sims = [read_simulation(p) for p in simulation or []]
    bars = _tornado_inputs(scenario, tornado, tornado_model, tornado_issue, chosen_models,
                           issue)
    if draws and not sims:
        with progress_bar(show_progress) as callback:
            sims = simulations(scenario, chosen_models, draws=draws, seed=seed,
                               progress=callback)
    if draws and not bars:
        runnable = {m.name: m for m in batched_models(chosen_models)}
        which = tornado_model or ("eum" if "eum" in runnable else next(iter(runnable), None))
        if which is not None:
            chosen = pick_issues(scenario, issue)
            bars = tornadoes(scenario, runnable.get(which, which), chosen, as_of=as_of)
    found = _discoveries(sweep or [], workspace)
    html = build_report(scenario, models=chosen_models, as_of=as_of, issues=issue,
                        simulations=sims, tornado=bars, threshold=threshold,
                        interactive=interactive, discoveries=found)
    write_text(html, output)
    say(f"wrote {output} ({len(html) // 1024} KB)")


@app.command(rich_help_panel="Reports")
@grouped
def plot(
    chart: Annotated[Chart, typer.Argument(help="Which chart: " + ", ".join(c.value
                                                                         for c in Chart))],
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Image file (.png, .svg, .pdf).")],
    models: ModelChoice,
    source: Source,
    as_of: AsOf = None,
    issue: IssuesOpt = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="perceptions: one actor's plane on one issue.")
    ] = None,
    simulation: SimulationOpt = None,
    tornado: TornadoOpt = None,
    tornado_model: TornadoModelOpt = None,
    tornado_issue: TornadoIssueOpt = None,
    threshold: ThresholdOpt = 0.2,
) -> None:
    """Write one chart as PNG, SVG or PDF."""
    from detente.errors import InputError
    from detente.report import charts

    scenario = source.load(file)
    if output.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(f"cannot write a chart as {output.suffix or 'a file without extension'}",
                         file=str(output), hint="use .png, .svg or .pdf")
    from detente.report.contract import read_simulation

    sims = [read_simulation(p) for p in simulation or []]
    chosen_models = models.resolve(scenario)
    bars = _tornado_inputs(scenario, tornado, tornado_model, tornado_issue, chosen_models,
                           issue)
    fig = charts.chart(chart.value, scenario, models=chosen_models if models.model or
                       models.settings or models.rounds else None, as_of=as_of,
                       issues=issue, actor=actor, simulations=sims,
                       tornado=bars, threshold=threshold)
    from detente.report.plots import save

    save(fig, output)
    say(f"wrote {output}")
