"""``detente backtest``: each model's accuracy against recorded outcomes, and calibration."""

from __future__ import annotations

import enum
import hashlib
import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.table import Table

from detente import __version__
from detente.backtest import Backtest, backtest
from detente.backtest.runner import BACKTEST_DEFAULTS
from detente.cli.common import (
    Capabilities,
    InputFormat,
    Output,
    SalienceScaleOpt,
    ShowProgress,
    app,
    load_scenario,
    progress_bar,
    write_text,
)
from detente.cli.simulate_commands import RangeShapeOpt, Workers
from detente.errors import InputError
from detente.models import REGISTRY
from detente.uncertainty import DefaultUncertainty


class BacktestFormat(enum.StrEnum):
    table = "table"
    json = "json"


def _pct(x: float | None) -> str:
    return "–" if x is None or math.isnan(x) else f"{100 * x:.0f} %"


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def backtest_tables(bt: Backtest) -> Group:
    """Per snapshot: a row per model; then the main snapshot's reliability tables."""
    parts: list[Table] = []
    for snap in bt.snapshots:
        when = f", as of {snap.as_of}" if snap.as_of else ""
        n_q = len(snap.questions)
        t = Table(title=f"{bt.scenario.title}{when}: {len(snap.issues)} issues with an "
                  f"outcome, {n_q} questions, {bt.draws:,} draws", title_justify="left")
        for col in ("model", "n", "MAE", "within 10", "within 20", "questions right",
                    "Brier", "Brier calibrated (σ)"):
            t.add_column(col, justify="left" if col == "model" else "right")
        for name, s in snap.scores.items():
            label = name
            if s.note:
                label += " (cv)" if "cross-validated" in s.note else " (given weights)"
            cal = "–" if s.brier_calibrated is None else (
                f"{s.brier_calibrated:.3f} ({s.model_error_sd:.2f})")
            t.add_row(label, str(s.n), _num(s.mae), _pct(s.within_10), _pct(s.within_20),
                      _pct(s.accuracy), _num(s.brier, 3), cal)
        parts.append(t)
        if snap.weights:
            w = ", ".join(f"{k} {v:.2f}" for k, v in snap.weights.items())
            note = next((s.note for s in snap.scores.values() if s.note), "")
            parts.append(Table(title=f"ensemble weights: {w} ({note})", title_justify="left",
                               show_header=False, box=None))
    main = bt.snapshots[bt.main]
    when = f" as of {main.as_of}" if main.as_of and len(bt.snapshots) > 1 else ""
    for kind in ("reliability", "reliability_calibrated"):
        bins = {n: getattr(s, kind) for n, s in main.scores.items() if getattr(s, kind)}
        if not bins:
            continue
        title = "Reliability" + (" (calibrated)" if kind.endswith("calibrated") else
                                 " (input uncertainty only)")
        r = Table(title=f"{title}{when}: mean P(yes) / observed frequency (n)",
                  title_justify="left")
        r.add_column("P(yes) bin")
        for name in bins:
            r.add_column(name, justify="right")
        first = next(iter(bins.values()))
        for k, edge in enumerate(first):
            cells = ["–" if not b[k].n else
                     f"{b[k].mean_p:.2f} / {b[k].observed:.2f} ({b[k].n})"
                     for b in bins.values()]
            r.add_row(f"{edge.low:.1f}–{edge.high:.1f}", *cells)
        parts.append(r)
    return Group(*parts)


def learned_document(bt: Backtest, file: Path) -> dict[str, Any]:
    """Ensemble weights and model-error sds fitted on every case, with their provenance."""
    snap = bt.snapshots[bt.main]
    score = snap.scores.get("ensemble")
    if snap.weights is None or score is None or not score.note or "cross" not in score.note:
        raise InputError("nothing cross-validated to save", field="--save-learned",
                         hint="it needs at least 20 scored issues in 5 or more cases")
    if bt.draws == 0:
        raise InputError("calibration needs draws", field="--save-learned",
                         hint="run with --draws 100 or more")
    return {
        "learned_on": f"{file.name} ({score.n} scored issues)",
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
        "detente_version": __version__,
        "draws": bt.draws,
        "seed": bt.seed,
        "default_sd": {"position": bt.defaults.position, "salience": bt.defaults.salience,
                       "capability": bt.defaults.capability},
        "ensemble": {
            "members": list(snap.weights),
            "weights": list(snap.weights.values()),
            "fit": "least squares on the simplex",
            "cross_validated_mae": score.mae,
            "member_mae": {k: v.mae for k, v in snap.scores.items() if k != "ensemble"},
        },
        "model_error_sd": {k: v.model_error_sd for k, v in snap.scores.items()},
        "cross_validated_brier": {k: {"input_uncertainty_only": v.brier,
                                      "calibrated": v.brier_calibrated}
                                  for k, v in snap.scores.items()},
    }


@app.command("backtest")
def backtest_command(
    file: Annotated[Path, typer.Argument(
        help="Scenario with recorded outcomes (a DEU III table, examples/korea-2018.yaml).")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help=f"Model to score (repeatable; default all): "
                     f"{', '.join(REGISTRY)}."),
    ] = None,
    draws: Annotated[int, typer.Option(
        "--draws", "-n", help="Monte Carlo draws for question probabilities (0: none).")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the draws and of the folds.")] = 0,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Snapshot reported first (default: the latest); all are scored.")
    ] = None,
    position_sd: Annotated[float, typer.Option(
        "--position-sd", help="sd of positions that state no uncertainty, share of the scale.")
    ] = BACKTEST_DEFAULTS.position,
    salience_sd: Annotated[float, typer.Option(
        "--salience-sd", help="sd of saliences that state none, on 0-1.")
    ] = BACKTEST_DEFAULTS.salience,
    capability_sd: Annotated[float, typer.Option(
        "--capability-sd", help="sd of capabilities that state none, share of the value.")
    ] = BACKTEST_DEFAULTS.capability,
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
    show_progress: ShowProgress = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Score each model's forecasts and probabilities against the recorded outcomes.

    DEU III capability schemes: --capabilities weights (the file's weight row, default),
    equal, or council (Council votes under the Treaty of Nice).
    """
    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    defaults = DefaultUncertainty(position_sd, salience_sd, capability_sd)
    with progress_bar(show_progress) as callback:
        bt = backtest(scenario, model, draws=draws, seed=seed, as_of=as_of, defaults=defaults,
                      shape=range_shape,  # type: ignore[arg-type]  # checked inside
                      folds=folds, ensemble=ensemble, progress=callback, workers=workers)
    if save_learned is not None:
        write_text(json.dumps(learned_document(bt, file), indent=2) + "\n", save_learned)
    if output_format is BacktestFormat.json:
        write_text(json.dumps(bt.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
        return
    group = backtest_tables(bt)
    if output is None:
        Console(width=max(Console().width, 100)).print(group)
    else:
        import io

        con = Console(file=io.StringIO(), width=120, force_terminal=False)
        con.print(group)
        write_text(con.file.getvalue(), output)  # type: ignore[attr-defined]
