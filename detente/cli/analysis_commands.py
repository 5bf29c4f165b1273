"""Commands that analyse a scenario: timeline, align, perceptions."""

from __future__ import annotations

import enum
import io
import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from detente.cli.common import (
    AsOf,
    Capabilities,
    InputFormat,
    Output,
    SalienceScaleOpt,
    app,
    load_scenario,
    write_text,
)
from detente.cli.report_commands import (
    IssuesOpt,
    ModelsOpt,
    RoundsOpt,
    SimulationOpt,
    ThresholdOpt,
)
from detente.errors import InputError
from detente.forecast import snapshot_index


class TextFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _console() -> Console:
    return Console(width=max(Console().width, 100))


def _n(x: float, digits: int = 1) -> str:
    return "–" if not math.isfinite(x) else f"{x:.{digits}f}"


@app.command("timeline", rich_help_panel="Analysis")
def timeline_command(
    file: Annotated[Path, typer.Argument(help="Scenario file with dated snapshots.")],
    model: ModelsOpt = None,
    rounds: RoundsOpt = None,
    issue: IssuesOpt = None,
    simulation: SimulationOpt = None,
    output_format: Annotated[TextFormat, typer.Option("--format", help="table, json or csv.")] = (
        TextFormat.table
    ),
    output: Output = None,
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Each model's forecast per issue at every snapshot (with simulated intervals)."""
    from detente.analysis.timeline import timeline
    from detente.report.builder import pick_issues
    from detente.report.contract import read_simulation

    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    chosen = pick_issues(scenario, issue)
    tl = timeline(scenario, model, rounds=rounds, issues=chosen,
                  simulations=[read_simulation(p) for p in simulation or []])
    if output_format is TextFormat.json:
        write_text(json.dumps(tl.to_dict(), indent=2) + "\n", output)
        return
    if output_format is TextFormat.csv:
        write_text(tl.frame().to_csv(index=False), output)
        return
    table = Table(title=f"{escape(scenario.title)}: forecasts by snapshot", title_justify="left",
                  show_lines=True)
    table.add_column("issue", style="bold", max_width=30)
    table.add_column("model")
    for d, lab in zip(tl.dates, tl.labels, strict=True):
        table.add_column(f"{d or '–'}" + (f"\n{escape(lab)}" if lab else ""), justify="right")
    for k, iid in enumerate(tl.issues):
        for mi, m in enumerate(tl.models):
            cells = []
            for t in range(len(tl.dates)):
                text = _n(tl.outcome[t, mi, k])
                if math.isfinite(tl.low[t, mi, k]):
                    text += f" [{_n(tl.low[t, mi, k])}–{_n(tl.high[t, mi, k])}]"
                cells.append(text)
            table.add_row(escape(scenario.issue(iid).name) if mi == 0 else "", m, *cells)
    if output is None:
        _console().print(table)
    else:
        buf = io.StringIO()
        Console(file=buf, width=120).print(table)
        write_text(buf.getvalue(), output)


@app.command(rich_help_panel="Analysis")
def align(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    as_of: AsOf = None,
    issue: IssuesOpt = None,
    threshold: ThresholdOpt = 0.2,
    output_format: Annotated[TextFormat, typer.Option("--format", help="table or json.")] = (
        TextFormat.table
    ),
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """Who is lined up with whom: distances, blocs and moves across snapshots."""
    from detente.analysis.alignment import realign
    from detente.report.builder import pick_issues

    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    index = snapshot_index(scenario, as_of)
    r = realign(scenario, threshold=threshold, issues=pick_issues(scenario, issue),
                snapshots=list(range(index + 1)))
    names = {a.id: escape(a.name) for a in scenario.actors}
    last = r.snapshots[-1]
    if output_format is not TextFormat.table:
        doc: dict[str, Any] = {
            "threshold": threshold, "explained": r.explained, "actors": list(r.actors),
            "snapshots": [{
                "as_of": None if s.as_of is None else s.as_of.isoformat(), "label": s.label,
                "distance": [[None if not math.isfinite(x) else x for x in row]
                             for row in s.distance.tolist()],
                "blocs": [list(b) for b in s.blocs()],
                "map": [[None if not math.isfinite(x) else x for x in row]
                        for row in s.coords.tolist()],
            } for s in r.snapshots],
            "moves": [_move_dict(r.move(a)) for a in r.actors] if len(r.snapshots) > 1 else [],
        }
        write_text(json.dumps(doc, indent=2) + "\n", None)
        return
    con = _console()
    keep = [i for i, b in enumerate(last.bloc) if b > 0]
    table = Table(title=f"Distances at {last.as_of or 'the snapshot'} (0 = same positions, "
                  f"1 = opposite ends of every scale)", title_justify="left")
    table.add_column("")
    for i in keep:
        table.add_column(names[r.actors[i]], justify="right", max_width=12)
    for i in keep:
        table.add_row(names[r.actors[i]],
                      *("·" if i == k else _n(last.distance[i, k], 2) for k in keep))
    con.print(table)
    blocs = Table(title=f"Blocs (average distance below {threshold:g})", title_justify="left")
    blocs.add_column("snapshot")
    blocs.add_column("blocs")
    for s in r.snapshots:
        blocs.add_row(f"{s.as_of or '–'}" + (f" {escape(s.label)}" if s.label else ""),
                      "\n".join(f"{k}. " + ", ".join(names[a] for a in b)
                                for k, b in enumerate(s.blocs(), 1)))
    con.print(blocs)
    if len(r.snapshots) > 1:
        moves = Table(title=f"Moves {r.snapshots[0].as_of} → {last.as_of} (others held where "
                      f"they stood at the start)", title_justify="left")
        for col in ("actor", "moved", "closer to", "further from"):
            moves.add_column(col)
        for a in r.actors:
            mv = r.move(a)
            if math.isfinite(mv.moved) and mv.moved > 1e-9:
                moves.add_row(names[a], f"{mv.moved:.3f}",
                              f"{names[mv.closer[0]]} ({mv.closer[1]:.2f} → {mv.closer[2]:.2f})",
                              f"{names[mv.further[0]]} ({mv.further[1]:.2f} → "
                              f"{mv.further[2]:.2f})")
        con.print(moves)


def _move_dict(mv: Any) -> dict[str, Any]:
    def num(x: float) -> float | None:
        return None if not math.isfinite(x) else x

    return {"actor": mv.actor, "moved": num(mv.moved),
            "closer": {"actor": mv.closer[0], "from": num(mv.closer[1]),
                       "to": num(mv.closer[2])},
            "further": {"actor": mv.further[0], "from": num(mv.further[1]),
                        "to": num(mv.further[2])}}


@app.command("perceptions", rich_help_panel="Analysis")
def perceptions_command(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    issue: Annotated[str, typer.Option("--issue", "-i", help="The issue.")],
    as_of: AsOf = None,
    at_round: Annotated[int, typer.Option("--round", min=0, help="Perceptions at the start "
                                          "of this round (0: the stated positions).")] = 0,
    output_format: Annotated[TextFormat, typer.Option("--format", help="table or json.")] = (
        TextFormat.table
    ),
    input_format: InputFormat = None,
    capabilities: Capabilities = None,
    salience_scale: SalienceScaleOpt = None,
) -> None:
    """How each actor sees each other actor in the expected utility model (Bueno de
    Mesquita's perceptual regions) on one issue."""
    from detente.models.eum import QUADRANTS, perceptions

    scenario = load_scenario(file, input_format, capabilities, salience_scale)
    if issue not in scenario.issue_index:
        raise InputError(f"unknown issue {issue!r}", field="--issue",
                         hint=f"use an issue id, e.g. {', '.join(list(scenario.issue_index)[:8])}")
    index = snapshot_index(scenario, as_of)
    key = None if index == len(scenario.snapshots) - 1 else scenario.snapshots[index].as_of
    arrays = scenario.arrays(key)
    per = perceptions(arrays, at_round=at_round)
    j = scenario.issue_index[issue]
    present = [i for i in range(len(scenario.actors)) if arrays.present[i, j]]
    ids = [scenario.actors[i].id for i in present]
    if output_format is not TextFormat.table:
        rows = []
        for a in present:
            for b in present:
                if a == b:
                    continue
                x, y = per.challenge[j, a, b], per.challenged[j, a, b]
                rows.append({
                    "perceiver": scenario.actors[a].id, "other": scenario.actors[b].id,
                    "challenge": None if not math.isfinite(x) else float(x),
                    "challenged": None if not math.isfinite(y) else float(y),
                    "region": QUADRANTS[int(per.quadrant[j, a, b])],
                    "gives_way": {1: scenario.actors[a].id,
                                  -1: scenario.actors[b].id}.get(int(per.yields[j, a, b])),
                })
        write_text(json.dumps({"issue": issue, "round": at_round, "pairs": rows}, indent=2)
                   + "\n", None)
        return
    table = Table(title=f"{escape(scenario.issue(issue).name)}: row actor's view of column actor "
                  f"(E(challenge) / E(being challenged), region, who gives way)",
                  title_justify="left", show_lines=True)
    table.add_column("perceiver", style="bold")
    for other in ids:
        table.add_column(other, max_width=18)
    for a in present:
        cells = []
        for b in present:
            if a == b:
                cells.append("·")
                continue
            region = QUADRANTS[int(per.quadrant[j, a, b])]
            who = {1: scenario.actors[a].id, -1: scenario.actors[b].id}.get(
                int(per.yields[j, a, b]))
            cells.append(f"{_n(per.challenge[j, a, b], 2)} / {_n(per.challenged[j, a, b], 2)}"
                         f"\n{region}" + (f"\n{who} gives way" if who else ""))
        table.add_row(scenario.actors[a].id, *cells)
    _console().print(table)
