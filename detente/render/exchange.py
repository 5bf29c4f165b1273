"""The settlement package (``detente.analysis.settlement``) as rich tables."""

from __future__ import annotations

from rich.table import Table

from detente.analysis.settlement import Settlement
from detente.render.numbers import fixed


def settlement_tables(report: Settlement, top: int = 12) -> list[Table]:
    """Outcomes with and without trading, the largest packages, and gains per actor."""
    return [_outcome_table(report), _package_table(report, top), _actor_table(report)]


def _outcome_table(report: Settlement) -> Table:
    run = report.run
    t = Table(title=f"{report.scenario.title}: outcomes with and without trading",
              title_justify="left")
    t.add_column("Issue", style="bold")
    t.add_column("Status quo", justify="right")
    for name in report.single:
        t.add_column(report.labels[name], justify="right", max_width=14)
    t.add_column("Exchange start", justify="right")
    t.add_column("Exchange final", justify="right", style="bold")
    for k, issue in enumerate(report.scenario.issues):
        sq = report.scenario.status_quo(issue.id, report.as_of)
        row = [issue.id, "–" if sq is None else f"{sq:.1f}"]
        row += [fixed(v[issue.id]) for v in report.single.values()]
        row += [fixed(float(run.initial_outcome[k])), fixed(float(run.outcome[k]))]
        t.add_row(*row)
    return t

def _package_table(report: Settlement, top: int) -> Table:
    t = Table(title=f"Packages traded (largest {min(top, len(report.packages))} of "
                    f"{len(report.packages)}, summed over {len(report.run.voting_outcome)} "
                    "rounds)", title_justify="left")
    for col in ("Actor", "gives way on", "for", "which gives way on", "trades",
                "shift", "shift", "gain", "gain"):
        t.add_column(col, justify="right" if col in ("trades", "shift", "gain") else "left")
    for p in report.packages[:top]:
        t.add_row(p.first, p.first_gives, p.second, p.second_gives, str(p.trades),
                  f"{p.shift_first_gives:+.1f}", f"{p.shift_second_gives:+.1f}",
                  f"{p.gain_first:.2f}", f"{p.gain_second:.2f}")
    return t

def _actor_table(report: Settlement) -> Table:
    run = report.run
    t = Table(title="Gains per actor (salience × outcome movement; own trades and "
                    "externalities)", title_justify="left")
    for col in ("Actor", "own trades", "gained from others", "lost to others", "net"):
        t.add_column(col, justify="left" if col == "Actor" else "right")
    for i, a in enumerate(run.actors):
        own, got, lost = run.own[i].sum(), run.gained[i].sum(), run.lost[i].sum()
        t.add_row(a, f"{own:.2f}", f"{got:.2f}", f"{lost:.2f}", f"{own + got + lost:+.2f}")
    return t
