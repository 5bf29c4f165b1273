"""A simulation as text or a table: rich table, JSON, tidy CSV/Parquet rows, raw draws."""

from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Group
from rich.table import Table

from detente.render.console import as_text
from detente.render.numbers import in_units
from detente.uncertainty.simulation import Simulation

if TYPE_CHECKING:
    import pandas as pd



def simulation_table(sim: Simulation) -> Group:
    """Per issue and model: mean, median, 5–95 % interval; then P(yes) of each question."""
    sc = sim.scenario
    when = f" — as of {sim.as_of}" if sim.as_of else ""
    table = Table(title=f"{sc.title}{when}: {sim.draws:,} draws, seed {sim.seed}",
                  title_justify="left", show_lines=True)
    table.add_column("Issue", style="bold", max_width=28)
    for name in sim.models:
        table.add_column(f"{name}\nmean (median) [5–95 %]", max_width=30)
    for issue in sc.issues:
        span = issue.scale.span
        row = [issue.name]
        for name in sim.models:
            s = sim.summary(name, issue.id)
            row.append(f"{in_units(s.mean, span)} ({in_units(s.median, span)})\n"
                       f"[{in_units(s.interval[0], span)}, {in_units(s.interval[1], span)}]")
        table.add_row(*row)
    parts: list[Table] = [table]
    questions = [(i, q) for i in sc.issues for q in i.questions]
    if questions:
        title = "P(yes) ± Monte Carlo standard error"
        if sim.calibration:
            title += "; calibrated (model error added, as learned on DEU III) in brackets"
        qt = Table(title=title, title_justify="left")
        qt.add_column("Question", max_width=40)
        qt.add_column("Condition")
        for name in sim.models:
            qt.add_column(name, justify="right")
        for issue, q in questions:
            cells = []
            for name in sim.models:
                p = sim.summary(name, issue.id).questions[q.id]
                cal = "" if p.calibrated is None else f"\n[{p.calibrated:.2f}]"
                cells.append("–" if math.isnan(p.p) else f"{p.p:.3f} ± {p.se:.3f}{cal}")
            qt.add_row(q.text, f"{issue.id} {q.op} {q.threshold:g}", *cells)
        parts.append(qt)
    return Group(*parts)


def render_table(sim: Simulation, width: int = 120) -> str:
    return as_text(simulation_table(sim), width)


def render_json(sim: Simulation) -> str:
    return json.dumps(sim.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def summary_frame(sim: Simulation) -> pd.DataFrame:
    """Tidy rows: as_of, issue, model, quantity (mean, median, sd, p5, p95, P(question)),
    value and se (the Monte Carlo standard error, for probabilities)."""
    import pandas as pd

    as_of = "" if sim.as_of is None else sim.as_of.isoformat()
    rows: list[dict[str, Any]] = []
    for issue in sim.scenario.issues:
        for name in sim.models:
            s = sim.summary(name, issue.id)
            stats = {"mean": s.mean, "median": s.median, "sd": s.sd,
                     "p5": s.interval[0], "p95": s.interval[1]}
            for k, v in stats.items():
                rows.append({"as_of": as_of, "issue": issue.id, "model": name,
                             "quantity": k, "value": v, "se": math.nan})
            for qid, p in s.questions.items():
                rows.append({"as_of": as_of, "issue": issue.id, "model": name,
                             "quantity": f"P({qid})", "value": p.p, "se": p.se})
                if p.calibrated is not None:
                    rows.append({"as_of": as_of, "issue": issue.id, "model": name,
                                 "quantity": f"P_calibrated({qid})", "value": p.calibrated,
                                 "se": math.nan})
    return pd.DataFrame(rows, columns=["as_of", "issue", "model", "quantity", "value", "se"])


def samples_frame(sim: Simulation) -> pd.DataFrame:
    """Every draw: draw, model, issue, value (long form)."""
    import pandas as pd

    frames = []
    draw = np.arange(sim.draws, dtype=np.int64)
    for name, per_issue in sim.samples.items():
        for issue, values in per_issue.items():
            frames.append(pd.DataFrame({"draw": draw, "model": name, "issue": issue,
                                        "value": values}))
    return pd.concat(frames, ignore_index=True)


def render_csv(frame: pd.DataFrame) -> str:
    return str(frame.to_csv(index=False, lineterminator="\n", float_format="%.10g",
                            na_rep=""))


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as Parquet (needs pyarrow)."""
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, engine="pyarrow")
    return buf.getvalue()
