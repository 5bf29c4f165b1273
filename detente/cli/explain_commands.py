"""``detente explain``: what drives a model's forecast, who is pivotal, what would flip it."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.options import (
    AsOf,
    CapabilitySd,
    IssuesOpt,
    ModelChoice,
    Output,
    PositionSd,
    RangeShapeOpt,
    SalienceSd,
    Scheduler,
    ShowProgress,
    Source,
    Workers,
    executor,
    grouped,
    progress_bar,
    show,
    write_text,
)


class ExplainFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command("explain")
@grouped
def explain_command(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    models: ModelChoice,
    source: Source,
    issue: IssuesOpt = None,
    actor: Annotated[str | None, typer.Option(
        "--actor", "-a", help="With --question: what this actor would have to change.")] = None,
    question: Annotated[str | None, typer.Option(
        "--question", "-q", help="With --actor: the question whose answer should flip.")] = None,
    as_of: AsOf = None,
    sobol: Annotated[bool, typer.Option(
        "--sobol/--no-sobol", help="Also Sobol indices (runs the model N·(k + 2) times).")
    ] = False,
    sobol_samples: Annotated[int, typer.Option(
        "--sobol-samples", help="Sobol base sample N (a power of 2).")] = 1024,
    seed: Annotated[int, typer.Option(help="Seed of the Sobol indices' bootstrap.")] = 0,
    position_sd: PositionSd = 0.0,
    salience_sd: SalienceSd = 0.0,
    capability_sd: CapabilitySd = 0.0,
    range_shape: RangeShapeOpt = "triangular",
    top: Annotated[int, typer.Option(help="Rows per table.")] = 10,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", help="table or json.")
    ] = ExplainFormat.table,
    output: Output = None,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    show_progress: ShowProgress = None,
) -> None:
    """Tornado sensitivity, pivotal actors, Sobol indices and what it would take.

    Explains one model (--model, default eum).
    """
    from detente.analysis.explain import explain
    from detente.render.explain import explain_tables
    from detente.uncertainty import DefaultUncertainty

    scenario = source.load(file)
    with executor(scheduler, workers if sobol else 1) as ex, \
            progress_bar(show_progress if sobol else False, "Sobol tasks") as callback:
        doc = explain(
            scenario, models.one(scenario), issues=issue, actor=actor, question=question,
            as_of=as_of, defaults=DefaultUncertainty(position_sd, salience_sd, capability_sd),
            shape=range_shape, sobol=sobol, sobol_samples=sobol_samples, seed=seed,
            executor=ex, progress=callback)
    if output_format is ExplainFormat.json:
        write_text(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                   output)
        return
    show(explain_tables(doc, scenario, top), output)
