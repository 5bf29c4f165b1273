"""Timelines, alignment and the expected utility model's perceptions as rich tables."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from rich.console import Group
from rich.table import Table

from detente.analysis.alignment import Realignment
from detente.analysis.timeline import Timeline
from detente.models.eum.perceptual import Perceptions
from detente.render.numbers import fixed
from detente.scenario import Scenario


def timeline_table(tl: Timeline, scenario: Scenario) -> Table:
    """Per issue and model, the forecast at every snapshot (with its interval if simulated)."""
    table = Table(title=f"{scenario.title}: forecasts by snapshot", title_justify="left",
                  show_lines=True)
    table.add_column("issue", style="bold", max_width=30)
    table.add_column("model")
    for d, lab in zip(tl.dates, tl.labels, strict=True):
        table.add_column(f"{d or '–'}" + (f"\n{lab}" if lab else ""), justify="right")
    for k, iid in enumerate(tl.issues):
        for mi, m in enumerate(tl.models):
            cells = []
            for t in range(len(tl.dates)):
                text = fixed(tl.outcome[t, mi, k])
                if math.isfinite(tl.low[t, mi, k]):
                    text += f" [{fixed(tl.low[t, mi, k])}–{fixed(tl.high[t, mi, k])}]"
                cells.append(text)
            table.add_row(scenario.issue(iid).name if mi == 0 else "", m, *cells)
    return table


def alignment_tables(r: Realignment, names: Mapping[str, str]) -> Group:
    """Distances at the last snapshot, blocs at every snapshot, and who moved where."""
    last = r.snapshots[-1]
    keep = [i for i, b in enumerate(last.bloc) if b > 0]
    parts: list[Table] = []
    table = Table(title=f"Distances at {last.as_of or 'the snapshot'} (0 = same positions, "
                  f"1 = opposite ends of every scale)", title_justify="left")
    table.add_column("")
    for i in keep:
        table.add_column(names[r.actors[i]], justify="right", max_width=12)
    for i in keep:
        table.add_row(names[r.actors[i]],
                      *("·" if i == k else fixed(last.distance[i, k], 2) for k in keep))
    parts.append(table)
    blocs = Table(title=f"Blocs (average distance below {r.threshold:g})", title_justify="left")
    blocs.add_column("snapshot")
    blocs.add_column("blocs")
    for s in r.snapshots:
        blocs.add_row(f"{s.as_of or '–'}" + (f" {s.label}" if s.label else ""),
                      "\n".join(f"{k}. " + ", ".join(names[a] for a in b)
                                for k, b in enumerate(s.blocs(), 1)))
    parts.append(blocs)
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
        parts.append(moves)
    return Group(*parts)


def perceptions_table(per: Perceptions, row: int, title: str, actors: Sequence[str],
                      present: Sequence[bool]) -> Table:
    """Row actor's view of column actor: E(challenge) / E(being challenged), region, and
    who gives way."""
    idx = [k for k, p in enumerate(present) if p]
    table = Table(title=f"{title}: row actor's view of column actor (E(challenge) / E(being "
                  f"challenged), region, who gives way)", title_justify="left", show_lines=True)
    table.add_column("perceiver", style="bold")
    for k in idx:
        table.add_column(actors[k], max_width=18)
    for a in idx:
        cells = []
        for b in idx:
            if a == b:
                cells.append("·")
                continue
            who = {1: actors[a], -1: actors[b]}.get(int(per.yields[row, a, b]))
            cells.append(f"{fixed(per.challenge[row, a, b], 2)} / "
                         f"{fixed(per.challenged[row, a, b], 2)}\n{per.region(row, a, b)}"
                         + (f"\n{who} gives way" if who else ""))
        table.add_row(actors[a], *cells)
    return table
