"""The workspace's runs as rich tables: what was recorded, the list of runs, one run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from detente.render.numbers import cell

if TYPE_CHECKING:
    import pandas as pd

    from detente.scenario import Scenario
    from detente.store.workspace import RecordedRun, RunInfo


def missing_answer(answer: Any) -> bool:
    """A stored yes/no answer that is absent (None, or NaN where the forecast was NaN)."""
    return answer is None or (isinstance(answer, float) and answer != answer)


def recorded_table(scenario: Scenario, recorded: Sequence[RecordedRun],
                   results: Mapping[int, Any], where: str) -> Table:
    """Per issue, the forecast of each run just recorded (or reused)."""
    table = Table(title=f"{scenario.title}: runs recorded in {where}", title_justify="left")
    table.add_column("issue", style="bold", max_width=28)
    for r in recorded:
        table.add_column(f"run {r.run_id}\n{r.model}\n{r.as_of or ''}", justify="right")
    for issue in scenario.issues:
        table.add_row(issue.name, *(cell(results[r.run_id].get(issue.id)) for r in recorded))
    return table


def runs_table(found: Sequence[RunInfo], where: str) -> Table:
    """One row per recorded run."""
    table = Table(title=f"Runs in {where}", title_justify="left")
    for col in ("run", "kind", "scenario", "as of", "model", "seed", "draws", "version",
                "recorded (UTC)", "inputs"):
        table.add_column(col)
    for r in found:
        table.add_row(str(r.run_id), r.kind, f"{r.scenario_id}@{r.revision}",
                      str(r.as_of or "–"), r.model, cell(r.seed), cell(r.draws),
                      r.detente_version, r.created_at.strftime("%Y-%m-%d %H:%M"),
                      (r.inputs_hash or "–")[:12])
    return table


def run_view(info: RunInfo, tables: Mapping[str, pd.DataFrame]) -> Group:
    """One run: what ran on what with which parameters, and its results."""
    params = ", ".join(f"{k}={v!r}" for k, v in info.parameters.items()) or "none"
    head = Text.assemble(
        (f"run {info.run_id}", "bold"), f" — {info.kind} of ", (info.model, "bold"),
        f" on {info.scenario_title} ({info.scenario_id}@{info.revision}), as of "
        f"{info.as_of or '–'}\n  parameters: {params}\n  seed: {cell(info.seed)}  draws: "
        f"{cell(info.draws)}  detente {info.detente_version}  recorded "
        f"{info.created_at:%Y-%m-%d %H:%M} UTC\n  inputs hash: {info.inputs_hash}")
    table = Table(title_justify="left", show_lines=False)
    table.add_column("issue", style="bold")
    if info.kind == "simulation":
        for col in ("mean", "median", "sd", "5 %", "95 %"):
            table.add_column(col, justify="right")
        for row in tables["simulation_summaries"].itertuples():
            table.add_row(str(row.issue), *(cell(getattr(row, c))
                                            for c in ("mean", "median", "sd", "p5", "p95")))
    else:
        rounds = tables["round_summaries"]
        table.add_column("forecast", justify="right")
        table.add_column("nearest anchor")
        table.add_column("median by round")
        for row in tables["issue_results"].itertuples():
            path = rounds[rounds.issue == row.issue]["median"].tolist()
            table.add_row(str(row.issue), cell(row.outcome), str(row.label or ""),
                          " → ".join(cell(x) for x in path) if path else "")
    parts: list[Text | Table] = [head, table]
    questions = tables["question_results"]
    if len(questions):
        qt = Table(title="Questions", title_justify="left")
        qt.add_column("issue")
        qt.add_column("question")
        if info.kind == "simulation":
            qt.add_column("probability", justify="right")
            for row in questions.itertuples():
                qt.add_row(str(row.issue), str(row.question), f"{row.p:.3f} ± {row.se:.3f}")
        else:
            qt.add_column("answer", justify="center")
            for row in questions.itertuples():
                answer = row.answer
                text = "–" if missing_answer(answer) else ("yes" if answer else "no")
                qt.add_row(str(row.issue), str(row.question), text)
        parts.append(qt)
    return Group(*parts)
