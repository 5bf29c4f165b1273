"""Sweeps as text: the stored sweeps, and scenario discovery (PRIM boxes, feature scores)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Group
from rich.table import Table

from detente.store.sweeps import SweepInfo
from detente.sweep.discovery import Discovery


def sweeps_table(infos: Sequence[SweepInfo]) -> Table:
    """One row per stored sweep."""
    t = Table(title=f"{len(infos)} sweep(s)", title_justify="left")
    for col in ("sweep", "scenario", "as of", "variables", "sample", "variations", "done",
                "draws", "models", "seconds"):
        t.add_column(col, justify="right" if col in ("sweep", "variations", "done", "draws",
                                                      "seconds") else "left")
    for i in infos:
        t.add_row(str(i.sweep_id), i.scenario_id, str(i.as_of or "–"), ", ".join(i.variables),
                  str(i.spec["sample"]), f"{i.variations:,}", f"{i.done:,}",
                  f"{i.spec['draws']:,}", ", ".join(i.spec["models"]),
                  "–" if i.elapsed_s is None else f"{i.elapsed_s:,.1f}")
    return t


def _p(x: float | None) -> str:
    return "–" if x is None else f"{x:.2g}"


def discovery_tables(d: Discovery) -> Group:
    """The question, each box with its limits, then the feature scores."""
    head = Table(title=f"sweep {d.sweep_id}, {d.model}: P({d.question}) > {d.threshold:g} in "
                 f"{d.of_interest:,} of {d.cases:,} variations", title_justify="left",
                 show_header=False, box=None)
    for note in d.notes:
        head.add_row(f"note: {note}")
    parts: list[Table] = [head]
    for k, box in enumerate(d.boxes, 1):
        t = Table(title=f"box {k}: {box.describe()}", title_justify="left")
        for col in ("input", "from", "to", "qp (from)", "qp (to)"):
            t.add_column(col, justify="left" if col == "input" else "right")
        for x in box.limits:
            t.add_row(x.variable, f"{x.low:.4g}", f"{x.high:.4g}", _p(x.qp_low), _p(x.qp_high))
        parts.append(t)
    if d.scores:
        t = Table(title="which varied input matters most (extra-trees feature scores)",
                  title_justify="left")
        t.add_column("input")
        t.add_column("score", justify="right")
        for name, score in d.scores:
            t.add_row(name, f"{score:.3f}")
        parts.append(t)
    return Group(*parts)


def tradeoff_figure(d: Discovery, path: Path) -> None:
    """Each box's peeling trajectory, coverage against density, the chosen box marked
    (the EMA Workbench's trade-off plot), as PNG, SVG or PDF."""
    from detente.report.plots import save, sweep_tradeoff

    save(sweep_tradeoff(d), path)
