"""``detente backtest``: each model's accuracy against recorded outcomes, and calibration."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.options import (
    ModelChoice,
    Output,
    RangeShapeOpt,
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


class BacktestFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command("backtest")
@grouped
def backtest_command(
    file: Annotated[Path, typer.Argument(
        help="Scenario with recorded outcomes (a DEU III table, examples/korea-2018.yaml).")],
    models: ModelChoice,
    source: Source,
    draws: Annotated[int, typer.Option(
        "--draws", "-n", help="Monte Carlo draws for question probabilities (0: none).")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the draws and of the folds.")] = 0,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Snapshot reported first (default: the latest); all are scored.")
    ] = None,
    position_sd: Annotated[float | None, typer.Option(
        "--position-sd", help="sd of positions that state no uncertainty, share of the scale "
        "(default: the backtest's, docs/decisions/backtest.md).", show_default=False)] = None,
    salience_sd: Annotated[float | None, typer.Option(
        "--salience-sd", help="sd of saliences that state none, on 0-1 (default: the "
        "backtest's).", show_default=False)] = None,
    capability_sd: Annotated[float | None, typer.Option(
        "--capability-sd", help="sd of capabilities that state none, share of the value "
        "(default: the backtest's).", show_default=False)] = None,
    range_shape: RangeShapeOpt = "triangular",
    folds: Annotated[int, typer.Option(help="Cross-validation folds of the ensemble.")] = 5,
    ensemble: Annotated[bool, typer.Option(
        "--ensemble/--no-ensemble", help="Also score an ensemble of the models.")] = True,
    output_format: Annotated[
        BacktestFormat, typer.Option("--format", help="table or json.")
    ] = BacktestFormat.table,
    output: Output = None,
    save_learned: Annotated[Path | None, typer.Option(
        "--save-learned", help="Write the ensemble weights and model-error sds fitted on "
        "every case, with their provenance, to this JSON file (needs enough cases).")] = None,
    workers: Workers = 0,
    scheduler: Scheduler = None,
    show_progress: ShowProgress = None,
) -> None:
    """Score each model's forecasts and probabilities against the recorded outcomes.

    DEU III capability schemes: --capabilities weights (the file's weight row, default),
    equal, or council (Council votes under the Treaty of Nice).
    """
    from detente.backtest.learned import learned_document
    from detente.backtest.runner import BACKTEST_DEFAULTS, backtest
    from detente.render.backtest import backtest_tables
    from detente.uncertainty import DefaultUncertainty

    scenario = source.load(file)
    base = BACKTEST_DEFAULTS
    defaults = DefaultUncertainty(
        base.position if position_sd is None else position_sd,
        base.salience if salience_sd is None else salience_sd,
        base.capability if capability_sd is None else capability_sd)
    with executor(scheduler, workers) as ex, progress_bar(show_progress) as callback:
        bt = backtest(scenario, models.resolve(scenario), draws=draws, seed=seed, as_of=as_of,
                      defaults=defaults,
                      shape=range_shape,  # type: ignore[arg-type]  # checked inside
                      folds=folds, ensemble=ensemble, progress=callback, executor=ex)
    if save_learned is not None:
        write_text(json.dumps(learned_document(bt, file), indent=2) + "\n", save_learned)
    if output_format is BacktestFormat.json:
        write_text(json.dumps(bt.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
        return
    show(backtest_tables(bt), output)
