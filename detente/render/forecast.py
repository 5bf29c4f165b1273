"""Forecasts as text: a rich table for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json
import math

from rich.console import Group
from rich.table import Table
from rich.text import Text

from detente.forecasting import Forecast
from detente.render.console import as_text
from detente.render.numbers import in_units


def forecast_table(fc: Forecast) -> Group:
    """Per issue, each model's forecast with the nearest anchor label; then the questions."""
    sc = fc.scenario
    snap = sc.snapshots[fc.snapshot]
    when = f" — as of {snap.as_of}" if snap.as_of else ""
    label = f" ({snap.label})" if snap.label else ""
    known = any(i.outcome is not None for i in sc.issues)
    table = Table(title=f"{sc.title}{when}{label}", title_justify="left", show_lines=True)
    table.add_column("Issue", style="bold", max_width=28)
    table.add_column("Status quo", justify="right")
    for name, model in fc.models.items():
        table.add_column(model.label if len(fc.models) < 4 else name, max_width=24)
    if known:
        table.add_column("Recorded outcome", style="dim", max_width=24)
    for issue in sc.issues:
        span = issue.scale.span
        sq_value = sc.state(fc.snapshot).status_quo[issue.id]
        sq = "–" if sq_value is None else in_units(sq_value, span)
        row: list[Text | str] = [issue.name, sq]
        for name in fc.models:
            x = fc.outcome(name, issue.id)
            cell = Text(in_units(x, span), style="bold")
            lab = issue.label_at(x)
            if lab:
                cell.append(f"\n{lab}", style="italic")
            row.append(cell)
        if known:
            out = issue.outcome
            row.append(
                "–" if out is None else f"{in_units(out.value, span)}\n{issue.label_at(out.value)}"
            )
        table.add_row(*row)
    parts: list[Table | Text] = [table]
    questions = [(i, q) for i in sc.issues for q in i.questions]
    if questions:
        qt = Table(title="Questions (yes = the forecast meets the condition)", title_justify="left")
        qt.add_column("Question", max_width=40)
        qt.add_column("Condition")
        for name in fc.models:
            qt.add_column(name, justify="center")
        if known:
            qt.add_column("Recorded", justify="center", style="dim")
        for issue, q in questions:
            cells = []
            for name in fc.models:
                x = fc.outcome(name, issue.id)
                cells.append("–" if math.isnan(x) else ("yes" if q.holds(x) else "no"))
            if known:
                out = issue.outcome
                cells.append("–" if out is None else ("yes" if q.holds(out.value) else "no"))
            qt.add_row(q.text, f"{issue.id} {q.op} {q.threshold:g}", *cells)
        parts.append(qt)
    return Group(*parts)


def render_table(fc: Forecast, width: int | None = None) -> str:
    return as_text(forecast_table(fc), width or 120)


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(fc: Forecast) -> str:
    """Issues × models as a Markdown table (numbers), then the questions (yes/no)."""
    sc = fc.scenario
    snap = sc.snapshots[fc.snapshot]
    state = sc.state(fc.snapshot)
    known = any(i.outcome is not None for i in sc.issues)
    head = ["Issue", "Status quo", *fc.models, *(["Recorded"] if known else [])]
    lines = [
        f"{sc.title}" + (f", as of {snap.as_of}" if snap.as_of else "") + ":",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" + "---:|" * (len(head) - 1),
    ]
    for issue in sc.issues:
        span = issue.scale.span
        sq = state.status_quo[issue.id]
        cells = [_md(issue.name), "–" if sq is None else in_units(sq, span)]
        cells += [in_units(fc.outcome(m, issue.id), span) for m in fc.models]
        if known:
            cells.append("–" if issue.outcome is None else in_units(issue.outcome.value, span))
        lines.append("| " + " | ".join(cells) + " |")
    questions = [(i, q) for i in sc.issues for q in i.questions]
    if questions:
        qhead = ["Question", *fc.models, *(["Recorded"] if known else [])]
        lines += ["", "| " + " | ".join(qhead) + " |",
                  "|" + "---|" + ":---:|" * (len(qhead) - 1)]
        for issue, q in questions:
            cells = [_md(f"{q.text} ({issue.id} {q.op} {q.threshold:g})")]
            for m in fc.models:
                x = fc.outcome(m, issue.id)
                cells.append("–" if math.isnan(x) else ("yes" if q.holds(x) else "no"))
            if known:
                out = issue.outcome
                cells.append("–" if out is None else ("yes" if q.holds(out.value) else "no"))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_json(fc: Forecast) -> str:
    return json.dumps(fc.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_csv(fc: Forecast) -> str:
    """One row per issue and model: outcome, nearest anchor, question answers."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["as_of", "issue", "issue_name", "model", "outcome", "label", "rounds",
                "questions_yes"])
    as_of = "" if fc.as_of is None else fc.as_of.isoformat()
    for issue in fc.scenario.issues:
        for name, res in fc.results.items():
            f = res.issues[issue.id]
            yes = [q.id for q in issue.questions
                   if not math.isnan(f.outcome) and q.holds(f.outcome)]
            w.writerow([as_of, issue.id, issue.name, name,
                        "" if math.isnan(f.outcome) else repr(round(f.outcome, 10)),
                        issue.label_at(f.outcome) or "",
                        len(f.rounds) if f.initial is not None else "", ";".join(yes)])
    return buf.getvalue()
