"""Commands that draw: report (one self-contained HTML file) and plot (single charts)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from detente.cli.common import (
    AsOf,
    Capabilities,
    InputFormat,
    SalienceScaleOpt,
    Seed,
    ShowProgress,
    app,
    err,
    load_scenario,
    progress_bar,
    write_text,
)
from detente.errors import InputError
from detente.models import REGISTRY
from detente.scenario import Scenario

if TYPE_CHECKING:
    from detente.report.contract import TornadoInput

ModelsOpt = Annotated[
    list[str] | None,
    typer.Option("--model", "-m", help=f"Model (repeatable; default all): {', '.join(REGISTRY)}."),
]
RoundsOpt = Annotated[int | None, typer.Option(min=1, help="Round cap for dynamic models.")]
IssuesOpt = Annotated[
    list[str] | None,
    typer.Option("--issue", "-i", help="Only this issue (repeatable; default all)."),
]
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
    models: list[str] | None, issues: list[str] | None,
) -> list[TornadoInput]:
    from detente.report.contract import read_tornado

    if path is None:
        return []
    default_model = model or ("eum" if not models or "eum" in models else models[0])
    default_issue = issue or (issues[0] if issues else
                              scenario.issues[0].id if len(scenario.issues) == 1 else None)
    return [read_tornado(path, default_model, default_issue)]


@app.command(rich_help_panel="Reports")
def report(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    model: ModelsOpt = None,
    rounds: RoundsOpt = None,
    as_of: AsOf = None,
    issue: IssuesOpt = None,
    simulation: SimulationOpt = None,
    tornado: TornadoOpt = None,
    tornado_model: TornadoModelOpt = None,
    tornado_issue: TornadoIssueOpt = None,
    draws: ReportDraws = 1000,
    seed: Seed = 0,
    threshold: ThresholdOpt = 0.2,
    show_progress: ShowProgress = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Write one self-contained HTML report: inputs and evidence, forecasts, rounds,
    distributions, sensitivity, alignment, perceptions and the timeline."""
    from detente.report import build_report
    from detente.report.builder import pick_issues
    from detente.report.contract import read_simulation
    from detente.report.live import batched_models, simulations, tornadoes

    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    if issue:  # simulate and explain only what the report shows
        scenario = scenario.restrict(pick_issues(scenario, issue))
    sims = [read_simulation(p) for p in simulation or []]
    bars = _tornado_inputs(scenario, tornado, tornado_model, tornado_issue, model, issue)
    if draws and not sims:
        with progress_bar(show_progress) as callback:
            sims = simulations(scenario, model, draws=draws, seed=seed, rounds=rounds,
                               progress=callback)
    if draws and not bars:
        runnable = [m.name for m in batched_models(model, rounds)]
        which = tornado_model or ("eum" if "eum" in runnable else runnable[0] if runnable
                                  else None)
        if which is not None:
            chosen = pick_issues(scenario, issue)
            bars = tornadoes(scenario, which, chosen, as_of=as_of, rounds=rounds)
    html = build_report(scenario, models=model, as_of=as_of, issues=issue, rounds=rounds,
                        simulations=sims, tornado=bars, threshold=threshold)
    write_text(html, output)
    err.print(f"wrote {output} ({len(html) // 1024} KB)", highlight=False)


@app.command(rich_help_panel="Reports")
def plot(
    chart: Annotated[Chart, typer.Argument(help="Which chart: " + ", ".join(c.value
                                                                         for c in Chart))],
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Image file (.png, .svg, .pdf).")],
    model: ModelsOpt = None,
    rounds: RoundsOpt = None,
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
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Write one chart as PNG, SVG or PDF."""
    from detente.report import charts

    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    if output.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(f"cannot write a chart as {output.suffix or 'a file without extension'}",
                         file=str(output), hint="use .png, .svg or .pdf")
    from detente.report.contract import read_simulation

    sims = [read_simulation(p) for p in simulation or []]
    bars = _tornado_inputs(scenario, tornado, tornado_model, tornado_issue, model, issue)
    fig = charts.chart(chart.value, scenario, models=model, rounds=rounds, as_of=as_of,
                       issues=issue, actor=actor, simulations=sims,
                       tornado=bars, threshold=threshold)
    from detente.report.plots import save

    save(fig, output)
    err.print(f"wrote {output}", highlight=False)
