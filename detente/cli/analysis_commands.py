"""Commands that analyse a scenario: timeline, align, perceptions."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.options import (
    AsOf,
    IssuesOpt,
    ModelChoice,
    Output,
    Source,
    grouped,
    show,
    write_text,
)
from detente.cli.report_commands import SimulationOpt, ThresholdOpt


class TextFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command("timeline", rich_help_panel="Analysis")
@grouped
def timeline_command(
    file: Annotated[Path, typer.Argument(help="Scenario file with dated snapshots.")],
    models: ModelChoice,
    source: Source,
    issue: IssuesOpt = None,
    simulation: SimulationOpt = None,
    output_format: Annotated[TextFormat, typer.Option("--format", help="table, json or csv.")] = (
        TextFormat.table
    ),
    output: Output = None,
) -> None:
    """Each model's forecast per issue at every snapshot (with simulated intervals)."""
    from detente.analysis.timeline import timeline
    from detente.render.analysis import timeline_table
    from detente.report.builder import pick_issues
    from detente.report.contract import read_simulation

    scenario = source.load(file)
    chosen = pick_issues(scenario, issue)
    tl = timeline(scenario, models.resolve(scenario), issues=chosen,
                  simulations=[read_simulation(p) for p in simulation or []])
    if output_format is TextFormat.json:
        write_text(json.dumps(tl.to_dict(), indent=2) + "\n", output)
    elif output_format is TextFormat.csv:
        write_text(tl.frame().to_csv(index=False), output)
    else:
        show(timeline_table(tl, scenario), output)


@app.command(rich_help_panel="Analysis")
@grouped
def align(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    source: Source,
    as_of: AsOf = None,
    issue: IssuesOpt = None,
    threshold: ThresholdOpt = 0.2,
    output_format: Annotated[TextFormat, typer.Option("--format", help="table or json.")] = (
        TextFormat.table
    ),
) -> None:
    """Who is lined up with whom: distances, blocs and moves across snapshots."""
    from detente.analysis.alignment import realign
    from detente.forecasting import snapshot_index
    from detente.render.analysis import alignment_tables
    from detente.report.builder import pick_issues

    scenario = source.load(file)
    index = snapshot_index(scenario, as_of)
    r = realign(scenario, threshold=threshold, issues=pick_issues(scenario, issue),
                snapshots=list(range(index + 1)))
    if output_format is not TextFormat.table:
        write_text(json.dumps(r.to_dict(), indent=2) + "\n", None)
        return
    show(alignment_tables(r, {a.id: a.name for a in scenario.actors}))


@app.command("perceptions", rich_help_panel="Analysis")
@grouped
def perceptions_command(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    issue: Annotated[str, typer.Option("--issue", "-i", help="The issue.")],
    models: ModelChoice,
    source: Source,
    as_of: AsOf = None,
    at_round: Annotated[int, typer.Option("--round", min=0, help="Perceptions at the start "
                                          "of this round (0: the stated positions).")] = 0,
    output_format: Annotated[TextFormat, typer.Option("--format", help="table or json.")] = (
        TextFormat.table
    ),
) -> None:
    """How each actor sees each other in the expected utility model, on one issue.

    Bueno de Mesquita's perceptual regions; --set eum.PARAM=VALUE applies.
    """
    from detente.analysis.issue_runner import find_issue
    from detente.forecasting import snapshot_index
    from detente.models.eum import ExpectedUtility, perceptions
    from detente.render.analysis import perceptions_table

    scenario = source.load(file)
    find_issue(scenario, issue)
    eum = models.one(scenario, default="eum")
    if not isinstance(eum, ExpectedUtility):
        from detente.errors import InputError

        raise InputError("perceptions are the expected utility model's", field="--model",
                         hint="use --model eum")
    index = snapshot_index(scenario, as_of)
    key = None if index == len(scenario.snapshots) - 1 else scenario.snapshots[index].as_of
    arrays = scenario.arrays(key)
    per = perceptions(arrays, at_round=at_round, model=eum)
    j = scenario.issue_index[issue]
    ids = [a.id for a in scenario.actors]
    present = list(arrays.present[:, j])
    if output_format is not TextFormat.table:
        doc = {"issue": issue, "round": at_round, "pairs": per.pairs(j, ids, present)}
        write_text(json.dumps(doc, indent=2) + "\n", None)
        return
    show(perceptions_table(per, j, scenario.issue(issue).name, ids, present))
