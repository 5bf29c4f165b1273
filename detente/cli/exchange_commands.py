"""``detente exchange``: the exchange model's trades and who gains, beside the other models."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from detente.cli.app import app
from detente.cli.options import AsOf, ModelChoice, Output, Source, grouped, show, write_text


class ReportFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command("exchange")
@grouped
def exchange(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, JSON, CSV or a peer format).")],
    models: ModelChoice,
    source: Source,
    solution: Annotated[str | None, typer.Option(
        help="Exchange solution: equal_gain or random_rate (as --set exchange.solution).")
    ] = None,
    p: Annotated[float | None, typer.Option(
        "--p", min=0.0, max=1.0, help="Randomized equal gain: 0 = equal gain, up to 1 (as "
        "--set exchange.p).")] = None,
    seed: Annotated[int | None, typer.Option(
        help="Seed for ties and random draws (as --set exchange.seed).")] = None,
    top: Annotated[int, typer.Option(min=1, help="How many packages to list.")] = 12,
    as_of: AsOf = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="table or json.")
    ] = ReportFormat.table,
    output: Output = None,
) -> None:
    """Show the trades the exchange model finds, who gains, and how outcomes differ.

    --model chooses the single-issue models shown beside it (default: every one).
    """
    from detente.analysis.settlement import settlement
    from detente.forecasting import resolve_models, snapshot_index
    from detente.models.exchange import Exchange
    from detente.render.exchange import settlement_tables

    scenario = source.load(file)
    snapshot_index(scenario, as_of)  # a clear error for a bad date
    given: dict[str, Any] = {k: v for k, v in (("solution", solution), ("p", p),
                                                ("seed", seed)) if v is not None}
    settings = models.parsed()
    settings["exchange"] = {**settings.get("exchange", {}), **given}
    model = resolve_models(["exchange"], settings=settings, scenario=scenario,
                           rounds=models.rounds)[0]
    assert isinstance(model, Exchange)
    single = [m for m in models.resolve(scenario) if not m.tags().multi_issue]
    report = settlement(scenario, model, as_of=as_of, single=single)
    if output_format is ReportFormat.json:
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
        write_text(text + "\n", output)
        return
    from rich.console import Group

    show(Group(*settlement_tables(report, top)), output, width=110)
