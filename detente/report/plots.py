"""The charts of a report, as matplotlib figures, and their SVG or PNG form.

Colours are the Okabe–Ito palette (distinguishable with the common colour-vision
deficiencies), sequential scales use cividis. Text a user wrote is passed through ``_t`` so
that matplotlib never reads it as mathematics; the SVG writer escapes it as XML.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from detente.analysis.alignment import Realignment
from detente.analysis.timeline import Timeline
from detente.errors import InputError
from detente.forecasting import Forecast
from detente.models import ModelResult
from detente.models.eum import QUADRANTS, Perceptions
from detente.scenario import Issue, Scenario

if TYPE_CHECKING:
    from detente.sweep.discovery import Discovery

#: Okabe & Ito (2008), "Color universal design"; yellow last, as it is faint on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
           "#F0E442")
GREY = "#8c8c8c"


def model_colour(name: str) -> str:
    """One colour per model in every chart: by the model's place in the registry."""
    from detente.models import REGISTRY

    order = [*REGISTRY, "ensemble"]
    k = order.index(name) if name in order else len(order) + sum(map(ord, name))
    return PALETTE[k % len(PALETTE)]
STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=PALETTE),
    "svg.fonttype": "none",
    "figure.dpi": 100,
}
WIDTH = 9.0  # inches; the report shows charts at its column width
REGION_COLOURS = {"none": "#ffffff", "conflict": "#D55E00", "compromise": "#56B4E9",
                  "capitulation": "#0072B2", "status quo": "#ececec"}

P = ParamSpec("P")


def styled(fn: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the figure under the report's style."""
    @wraps(fn)
    def inner(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with mpl.rc_context(STYLE):  # type: ignore[arg-type]
            return fn(*args, **kwargs)
    return inner


def _t(text: str | None) -> str:
    """User text as literal text: no mathtext (``$``)."""
    return "" if text is None else text.replace("$", r"\$")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def actor_colours(actors: Sequence[str], weight: Sequence[float] | None = None) -> dict[str, str]:
    """A colour per actor: palette colours for up to seven (the heaviest when there are
    more), grey for the rest."""
    order = list(range(len(actors)))
    if weight is not None and len(actors) > 7:
        order = sorted(order, key=lambda i: -weight[i])
    top = set(order[:7])
    out, k = {}, 0
    for i, a in enumerate(actors):
        if i in top:
            out[a] = PALETTE[k % 7]
            k += 1
        else:
            out[a] = GREY
    return out


def _grid(n: int, cols: int, panel_h: float, width: float = WIDTH) -> tuple[Figure, list[Axes]]:
    cols = max(1, min(cols, n))
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width, panel_h * rows + 0.4), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _scale_axis(ax: Axes, issue: Issue, axis: str = "x") -> None:
    pad = 0.02 * issue.scale.span
    lim = (issue.scale.min - pad, issue.scale.max + pad)
    if axis == "x":
        ax.set_xlim(*lim)
        if issue.scale.unit:
            ax.set_xlabel(_t(issue.scale.unit))
    else:
        ax.set_ylim(*lim)
        if issue.scale.unit:
            ax.set_ylabel(_t(issue.scale.unit))


# ---------------------------------------------------------------------- forecasts


@styled
def forecasts(fc: Forecast, issues: Sequence[str]) -> Figure:
    """Each model's forecast on each issue's scale, with the status quo and, where
    recorded, what happened."""
    sc = fc.scenario
    fig, axes = _grid(len(issues), 1, 0.95)
    models = list(fc.models)
    for ax, iid in zip(axes, issues, strict=True):
        issue = sc.issue(iid)
        ax.set_title(_t(_short(issue.name, 90)))
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-0.8, len(models) - 0.2)
        _scale_axis(ax, issue)
        sq = sc.state(fc.snapshot).status_quo[iid]
        if sq is not None:
            ax.axvline(sq, color=GREY, ls=":", lw=1.2)
        if issue.outcome is not None:
            ax.axvline(issue.outcome.value, color="black", lw=1.4)
        for k, m in enumerate(models):
            x = fc.outcome(m, iid)
            if math.isfinite(x):
                ax.plot([x], [k], "o", ms=7, color=model_colour(m), zorder=3)
    handles = [Line2D([], [], marker="o", ls="", color=model_colour(m),
                      label=_t(fc.models[m].label)) for m in models]
    handles.append(Line2D([], [], color=GREY, ls=":", label="status quo"))
    if any(sc.issue(i).outcome is not None for i in issues):
        handles.append(Line2D([], [], color="black", label="recorded outcome"))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(5, len(handles)))
    return fig


@styled
def trajectories(result: ModelResult, scenario: Scenario, issues: Sequence[str]) -> Figure:
    """Each actor's position round by round in a dynamic model, with the median."""
    shown = [i for i in issues if result.issues[i].initial is not None]
    if not shown:
        raise InputError(f"model {result.model!r} has no rounds to plot", field="--model",
                         hint="choose a dynamic model such as eum")
    actors = [a.id for a in scenario.actors]
    names = {a.id: a.name for a in scenario.actors}
    arrays = scenario.arrays(result.as_of if len(scenario.snapshots) > 1 else None)
    weight = np.nansum(arrays.capability * arrays.salience, axis=1)
    colours = actor_colours(actors, weight.tolist())
    fig, axes = _grid(len(shown), 2, 2.1)
    for ax, iid in zip(axes, shown, strict=True):
        f = result.issues[iid]
        assert f.initial is not None
        states = (f.initial, *f.rounds)
        rounds = np.arange(len(states))
        for a in actors:
            if a in f.initial.positions:
                ys = [s.positions[a] for s in states]
                ax.plot(rounds, ys, color=colours[a], lw=1.6 if colours[a] != GREY else 0.8,
                        alpha=1.0 if colours[a] != GREY else 0.6)
        ax.plot(rounds, [s.median for s in states], color="black", ls="--", lw=1.2)
        ax.set_title(_t(_short(scenario.issue(iid).name, 55)))
        _scale_axis(ax, scenario.issue(iid), "y")
        ax.set_xlabel("round")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles = [Line2D([], [], color=c, lw=2, label=_t(names[a]))
               for a, c in colours.items() if c != GREY]
    handles.append(Line2D([], [], color="black", ls="--", label="median"))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(8, len(handles)))
    return fig


# ---------------------------------------------------------------------- simulation contract


@dataclass(frozen=True)
class Distribution:
    """One model's outcome distribution for one issue, from the contract's histogram."""

    model: str
    edges: np.ndarray
    counts: np.ndarray
    mean: float
    interval: tuple[float, float]


@styled
def distributions(panels: Sequence[tuple[Issue, Sequence[Distribution]]]) -> Figure:
    """Histograms of simulated outcomes per issue, each model with its 5–95 % interval."""
    fig, axes = _grid(len(panels), 2, 1.9)
    models: list[str] = []
    for _, dists in panels:
        models += [d.model for d in dists if d.model not in models]
    colour = {m: model_colour(m) for m in models}
    for ax, (issue, dists) in zip(axes, panels, strict=True):
        shares = [d.counts / d.counts.sum() if d.counts.sum() else d.counts.astype(float)
                  for d in dists]
        top = max((float(s.max()) for s in shares if s.size), default=1.0) or 1.0
        for k, (d, share) in enumerate(zip(dists, shares, strict=True)):
            ax.stairs(share, d.edges, color=colour[d.model], lw=1.5, fill=False)
            ax.stairs(share, d.edges, color=colour[d.model], alpha=0.15, fill=True)
            ax.axvline(d.mean, color=colour[d.model], lw=1.0)
            ax.plot(d.interval, [top * (1.06 + 0.07 * k)] * 2, color=colour[d.model], lw=3,
                    solid_capstyle="butt")
        ax.set_title(_t(_short(issue.name, 55)))
        _scale_axis(ax, issue)
        ax.set_ylabel("share of draws")
        if issue.outcome is not None:
            ax.axvline(issue.outcome.value, color="black", lw=1.2, ls="--")
    handles: list[Any] = [Patch(color=colour[m], alpha=0.6, label=_t(m)) for m in models]
    handles.append(Line2D([], [], color=GREY, lw=3, label="5–95 % interval"))
    handles.append(Line2D([], [], color="black", ls="--", label="recorded outcome"))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(6, len(handles)))
    return fig


@dataclass(frozen=True)
class QuestionBar:
    """A question's probability under one model, with its Monte Carlo standard error."""

    label: str
    model: str
    p: float
    se: float


@styled
def question_probabilities(bars: Sequence[QuestionBar]) -> Figure:
    """Probability of yes for each question and model, with 95 % Monte Carlo error bars."""
    labels: list[str] = []
    models: list[str] = []
    for b in bars:
        if b.label not in labels:
            labels.append(b.label)
        if b.model not in models:
            models.append(b.model)
    height = 0.8 / max(1, len(models))
    fig = Figure(figsize=(WIDTH, 0.45 * len(labels) * max(1, len(models)) ** 0.5 + 1.0),
                 layout="constrained")
    ax = fig.subplots()
    for k, m in enumerate(models):
        rows = [b for b in bars if b.model == m]
        y = np.array([labels.index(b.label) for b in rows]) + (k - (len(models) - 1) / 2) * height
        ax.barh(y, [b.p for b in rows], height=height * 0.9, color=model_colour(m),
                xerr=[1.96 * b.se for b in rows], error_kw={"lw": 0.8, "capsize": 2},
                label=_t(m))
    ax.set_yticks(range(len(labels)), [_t(_short(lab, 70)) for lab in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability of yes")
    ax.axvline(0.5, color=GREY, ls=":", lw=1)
    ax.legend(loc="lower right")
    return fig


@dataclass(frozen=True)
class TornadoRow:
    """One bar of a tornado chart (contract fields)."""

    input: str
    outcome_low: float
    outcome_high: float
    low: float
    high: float
    swing: float


@styled
def tornado(rows: Sequence[TornadoRow], issue: Issue, model: str, base: float | None,
            limit: int = 15) -> Figure:
    """One-at-a-time sensitivity: the forecast with each input at its low and high value,
    largest swing on top."""
    shown = list(rows)[:limit]
    fig = Figure(figsize=(WIDTH, 0.32 * len(shown) + 1.3), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(shown))
    lows = np.array([r.outcome_low for r in shown])
    highs = np.array([r.outcome_high for r in shown])
    ax.hlines(y, lows, highs, color=GREY, lw=1)
    ax.plot(lows, y, "o", color=PALETTE[0], label="input at its low value")
    ax.plot(highs, y, "s", color=PALETTE[5], label="input at its high value")
    ax.set_yticks(y, [_t(_short(f"{r.input} ({r.low:.3g}–{r.high:.3g})", 60)) for r in shown])
    ax.invert_yaxis()
    if base is not None and math.isfinite(base):
        ax.axvline(base, color="black", lw=1, ls="--", label="forecast")
    _scale_axis(ax, issue)
    ax.set_title(_t(f"{_short(issue.name, 70)} — {model}"))
    fig.legend(loc="outside lower center", ncols=3)
    return fig


# ---------------------------------------------------------------------- alignment


def _place_labels(ax: Axes, points: Sequence[tuple[float, float]], labels: Sequence[str],
                  fontsize: float = 8.5) -> None:
    """Label points, trying four offsets per label so that labels do not overlap (boxes
    estimated from the text length and the axes' size)."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    width_in = fig.get_figwidth() * ax.get_position().width
    height_in = fig.get_figheight() * ax.get_position().height
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    per_pt_x = (x1 - x0) / (width_in * 72)
    per_pt_y = (y1 - y0) / (height_in * 72)
    placed: list[tuple[float, float, float, float]] = []
    options = ((6, 5, "left"), (6, -13, "left"), (-6, 5, "right"), (-6, -13, "right"),
               (6, 16, "left"), (6, -24, "left"))
    for (px, py), text in zip(points, labels, strict=True):
        w = 0.6 * fontsize * len(text) * per_pt_x
        h = 1.2 * fontsize * per_pt_y
        choice = options[0]
        for dx, dy, ha in options:
            left = px + dx * per_pt_x - (w if ha == "right" else 0)
            bottom = py + dy * per_pt_y
            box = (left, bottom, left + w, bottom + h)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                       for b in placed):
                choice = (dx, dy, ha)
                placed.append(box)
                break
        else:
            placed.append((px, py, px + w, py + h))
        ax.annotate(text, (px, py), xytext=choice[:2], textcoords="offset points",
                    ha=choice[2], fontsize=fontsize)


@styled
def alignment_map(r: Realignment, names: Mapping[str, str]) -> Figure:
    """Actors on the joint map, coloured by bloc at the last snapshot, with the path each
    took from the first snapshot."""
    last = r.snapshots[-1]
    fig = Figure(figsize=(WIDTH * 0.72, 5.2), layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal", adjustable="datalim")
    bloc_colour = {b: PALETTE[(b - 1) % 7] for b in set(last.bloc.tolist()) if b > 0}
    ends: list[tuple[float, float]] = []
    labels: list[str] = []
    for i, a in enumerate(r.actors):
        path = np.array([s.coords[i] for s in r.snapshots])
        ok = np.isfinite(path).all(axis=1)
        if not ok.any():
            continue
        colour = bloc_colour.get(int(last.bloc[i]), GREY)
        pts = path[ok]
        if len(pts) > 1:
            ax.plot(pts[:, 0], pts[:, 1], color=colour, lw=1, alpha=0.7)
            ax.plot(pts[:-1, 0], pts[:-1, 1], "o", ms=4, mfc="white", color=colour)
            if np.linalg.norm(pts[-1] - pts[0]) > 1e-9:
                ax.annotate("", xy=pts[-1], xytext=pts[-2],
                            arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.2})
        ax.plot(*pts[-1], "o", ms=9, color=colour, zorder=3)
        ends.append((float(pts[-1][0]), float(pts[-1][1])))
        labels.append(_t(_short(names.get(a, a), 24)))
    ax.margins(0.18)
    _place_labels(ax, ends, labels)
    ax.set_xlabel("map axis 1 (towards the high ends of the scales →)")
    ax.set_ylabel("map axis 2")
    dates = [str(s.as_of) for s in r.snapshots if s.as_of is not None]
    span = f", {dates[0]} → {dates[-1]}" if len(dates) > 1 else ""
    ax.set_title(f"Actors by similarity of positions{span}")
    ax.text(1.0, -0.12, f"the two axes show {r.explained:.0%} of the spread",
            transform=ax.transAxes, ha="right", fontsize=7.5, color=GREY)
    members = last.blocs()
    handles = [Line2D([], [], marker="o", ls="", color=c,
                      label=_t(_short(", ".join(names.get(a, a) for a in members[b - 1]), 40)))
               for b, c in sorted(bloc_colour.items())]
    if len(r.snapshots) > 1:
        handles.append(Line2D([], [], marker="o", mfc="white", color=GREY,
                              label="earlier snapshots"))
    ax.legend(handles=handles, loc="best", title="blocs (latest snapshot)")
    return fig


@styled
def distance_matrix(r: Realignment, names: Mapping[str, str], snapshot: int = -1) -> Figure:
    """Salience-weighted distances between actors (0 = same positions, 1 = opposite)."""
    al = r.snapshots[snapshot]
    keep = [i for i in range(len(al.actors)) if al.bloc[i] > 0]
    order = sorted(keep, key=lambda i: (al.bloc[i], i))
    d = al.distance[np.ix_(order, order)]
    n = len(order)
    size = min(WIDTH * 0.72, max(3.5, 0.42 * n + 1.6))
    fig = Figure(figsize=(size + 0.9, size), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(d, cmap="cividis_r", vmin=0, vmax=1)
    labels = [_t(_short(names.get(al.actors[i], al.actors[i]), 18)) for i in order]
    ax.set_xticks(range(n), labels, rotation=45, ha="right")
    ax.set_yticks(range(n), labels)
    if n <= 16:
        for a in range(n):
            for b in range(n):
                if a != b and math.isfinite(d[a, b]):
                    ax.text(b, a, f"{d[a, b]:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if d[a, b] > 0.55 else "black")
    when = f" at {al.as_of}" if al.as_of else ""
    ax.set_title(f"Distances{when}, actors grouped by bloc")
    fig.colorbar(im, ax=ax, shrink=0.8, label="distance")
    return fig


@styled
def perceptions(per: Perceptions, scenario: Scenario, issues: Sequence[str]) -> Figure:
    """For each issue, how each row actor sees each column actor in the expected utility
    model: the perceptual region, and who is expected to give way."""
    actors = [a.id for a in scenario.actors]
    names = [_t(_short(a.name, 14)) for a in scenario.actors]
    cols = 2 if len(actors) <= 10 else 1
    fig, axes = _grid(len(issues), cols, min(6.0, 0.35 * len(actors) + 1.6))
    cmap = ListedColormap([REGION_COLOURS[q] for q in QUADRANTS])
    for ax, iid in zip(axes, issues, strict=True):
        j = scenario.issue_index[iid]
        q = per.quadrant[j]
        ax.imshow(q, cmap=cmap, vmin=-0.5, vmax=len(QUADRANTS) - 0.5)
        if len(actors) <= 12:
            for a in range(len(actors)):
                for b in range(len(actors)):
                    mark = {1: "gives", -1: "wins"}.get(int(per.yields[j, a, b]), "")
                    if mark:
                        ax.text(b, a, mark, ha="center", va="center", fontsize=6.5,
                                color="white" if q[a, b] in (1, 3) else "black")
        ax.set_xticks(range(len(actors)), names, rotation=45, ha="right", fontsize=7)
        ax.set_yticks(range(len(actors)), names, fontsize=7)
        ax.set_title(_t(_short(scenario.issue(iid).name, 42 if cols == 2 else 90)))
    handles = [Patch(facecolor=REGION_COLOURS[q], edgecolor=GREY, label=q)
               for q in QUADRANTS[1:]]
    fig.legend(handles=handles, loc="outside lower center", ncols=4,
               title="row actor's view of column actor; 'gives': the row actor is expected "
                     "to give way, 'wins': the column actor is")
    return fig


@styled
def perception_plane(per: Perceptions, scenario: Scenario, issue: str, actor: str) -> Figure:
    """One actor's perceptual plane on one issue: for each other actor j, E^i(U_ij)
    (horizontal) against E^i(U_ji) (vertical), with the regions' borders."""
    j = scenario.issue_index[issue]
    i = scenario.actor_index[actor]
    x, y = per.challenge[j, i], per.challenged[j, i]
    fig = Figure(figsize=(6.2, 5.6), layout="constrained")
    ax = fig.subplots()
    lim = float(np.nanmax(np.abs(np.concatenate([x, y])))) * 1.15 if np.isfinite(x).any() else 1
    lim = lim or 1.0
    t = np.array([-lim, lim])
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)
    ax.plot([0, lim], [0, lim], color=GREY, lw=0.8, ls=":")
    ax.plot(t, -t, color=GREY, lw=0.8, ls=":")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    points, labels = [], []
    for k, other in enumerate(scenario.actors):
        if math.isfinite(x[k]):
            region = QUADRANTS[int(per.quadrant[j, i, k])]
            ax.plot(x[k], y[k], "o", ms=8, color=REGION_COLOURS[region], mec="black", mew=0.6)
            points.append((float(x[k]), float(y[k])))
            labels.append(_t(_short(other.name, 24)))
    _place_labels(ax, points, labels)
    me = _t(scenario.actors[i].name)
    ax.set_xlabel(f"{me}'s expected utility of challenging the other")
    ax.set_ylabel(f"what {me} believes the other expects from challenging it")
    for (px, py), text in (((0.75, 0.95), "conflict"), ((0.75, 0.05), f"{me} prevails"),
                           ((0.05, 0.95), f"{me} gives way"), ((0.05, 0.05), "status quo")):
        ax.text(px, py, text, transform=ax.transAxes, fontsize=8, color=GREY,
                va="top" if py > 0.5 else "bottom")
    ax.set_title(_t(f"{_short(scenario.issue(issue).name, 50)}: as {me} sees it"))
    return fig


# ---------------------------------------------------------------------- timeline


@styled
def timeline(tl: Timeline) -> Figure:
    """Each model's forecast per issue across the snapshots, with intervals where
    simulated and the recorded outcome."""
    fig, axes = _grid(len(tl.issues), 2, 2.0)
    x = np.arange(len(tl.dates))
    ticks = [str(d) if d is not None else f"#{k + 1}" for k, d in enumerate(tl.dates)]
    for ax, iid in zip(axes, tl.issues, strict=True):
        issue = tl.scenario.issue(iid)
        k = tl.issues.index(iid)
        for mi, m in enumerate(tl.models):
            c = model_colour(m)
            offset = (mi - (len(tl.models) - 1) / 2) * 0.04
            ax.plot(x + offset, tl.outcome[:, mi, k], "o-", color=c, lw=1.5, ms=4)
            lo, hi = tl.low[:, mi, k], tl.high[:, mi, k]
            ok = np.isfinite(lo)
            if ok.any():
                ax.vlines(x[ok] + offset, lo[ok], hi[ok], color=c, lw=3, alpha=0.45)
        if issue.outcome is not None:
            ax.axhline(issue.outcome.value, color="black", ls="--", lw=1)
        ax.set_xticks(x, ticks, fontsize=7.5)
        ax.set_xlim(-0.3, len(x) - 0.7)
        _scale_axis(ax, issue, "y")
        ax.set_title(_t(_short(issue.name, 55)))
    handles = [Line2D([], [], color=model_colour(m), marker="o", label=_t(m))
               for m in tl.models]
    if tl.has_intervals:
        handles.append(Line2D([], [], color=GREY, lw=3, alpha=0.6, label="5–95 % interval"))
    handles.append(Line2D([], [], color="black", ls="--", label="recorded outcome"))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(6, len(handles)))
    return fig


@styled
def sweep_tradeoff(d: Discovery) -> Figure:
    """Scenario discovery's trade-off: each PRIM box's peeling trajectory, coverage against
    density, coloured by the number of restricted inputs, the chosen box ringed."""
    fig = Figure(figsize=(6.0, 4.2), layout="constrained")
    ax = fig.add_subplot()
    cmap = mpl.colormaps["cividis"]
    top = max((r for b in d.boxes for _, _, r in b.trajectory), default=1) or 1
    for k, box in enumerate(d.boxes, 1):
        cov = [c for c, _, _ in box.trajectory]
        den = [x for _, x, _ in box.trajectory]
        dims = [r for _, _, r in box.trajectory]
        ax.plot(cov, den, color=GREY, lw=0.8, zorder=1)
        ax.scatter(cov, den, c=dims, cmap=cmap, vmin=0, vmax=top, s=18, zorder=2)
        ax.scatter([box.coverage], [box.density], s=120, facecolors="none",
                   edgecolors=PALETTE[5], linewidths=1.5, zorder=3)
        ax.annotate(f"box {k}", (box.coverage, box.density), xytext=(6, 6),
                    textcoords="offset points", fontsize=8)
    ax.axhline(d.min_density, color=GREY, lw=0.6, ls="--")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("coverage (share of the variations of interest inside the box)")
    ax.set_ylabel("density (share of the box's variations of interest)")
    ax.set_title(_t(f"P({d.question}) > {d.threshold:g}, {d.model}: PRIM's trade-off"))
    sm = mpl.cm.ScalarMappable(cmap=cmap, norm=mpl.colors.Normalize(0, top))
    bar = fig.colorbar(sm, ax=ax, label="restricted inputs")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    return fig


# ---------------------------------------------------------------------- output


def to_svg(fig: Figure, salt: str) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog), its ids unique by
    ``salt`` so that several can share one HTML page."""
    buf = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    svg = text[text.index("<svg"):]
    if "<script" in svg.lower() or "<foreignobject" in svg.lower():
        raise ValueError("refusing to inline an SVG with scripts or foreign content")
    return svg


def save(fig: Figure, path: Path) -> None:
    """Write the figure to ``path``; the format follows the extension (png, svg, pdf)."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(f"cannot write a chart as {path.suffix or 'a file without extension'}",
                         file=str(path), hint="use .png, .svg or .pdf")
    with mpl.rc_context({"svg.fonttype": "none"}):
        fig.savefig(path, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
