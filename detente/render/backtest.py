"""A backtest as rich tables: accuracy per model and snapshot, then reliability."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table

from detente.backtest.metrics import PairedDifference
from detente.backtest.runner import Backtest
from detente.render.numbers import fixed, percent


def backtest_tables(bt: Backtest) -> Group:
    """Per snapshot: a row per model; then the main snapshot's reliability tables."""
    parts: list[Table] = []
    for snap in bt.snapshots:
        when = f", as of {snap.as_of}" if snap.as_of else ""
        n_q = len(snap.questions)
        t = Table(title=f"{bt.scenario.title}{when}: {len(snap.issues)} issues with an "
                  f"outcome, {n_q} questions, {bt.draws:,} draws", title_justify="left")
        for col in ("model", "n", "MAE", "vs compromise [95%]", "within 10", "within 20",
                    "questions right", "Brier", "Brier calibrated (σ)"):
            t.add_column(col, justify="left" if col == "model" else "right")
        for name, s in snap.scores.items():
            label = name
            if s.note:
                label += " (cv)" if "cross-validated" in s.note else " (given weights)"
            cal = "–" if s.brier_calibrated is None else (
                f"{s.brier_calibrated:.3f} ({s.model_error_sd:.2f})")
            t.add_row(label, str(s.n), fixed(s.mae), paired(s.vs_baseline),
                      percent(s.within_10), percent(s.within_20),
                      percent(s.accuracy), fixed(s.brier, 3), cal)
        parts.append(t)
        parts.append(Table(title="vs compromise: difference of MAE on the same issues, 95% "
                           "interval over cases resampled (* excludes 0)",
                           title_justify="left", show_header=False, box=None))
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


def paired(d: PairedDifference | None) -> str:
    """"−1.23 [−2.10, −0.40]*": the difference, its interval, * where it excludes 0."""
    if d is None or d.n == 0:
        return "–"
    return f"{d.difference:+.2f} [{d.low:+.2f}, {d.high:+.2f}]" + ("*" if d.clear else "")
