"""Who is lined up with whom: actor distances, blocs, a 2-D map, and how they change.

The distance between two actors is the salience-weighted mean, over the issues on which
both take a stance, of how far apart their positions are as a share of the issue's scale:

    d_ab = Σ_k w_abk |x_ak − x_bk| / (max_k − min_k)  /  Σ_k w_abk,   w_abk = (s_ak + s_bk) / 2

so 0 means the same position everywhere and 1 opposite ends of every scale. Blocs are the
groups left by average-linkage hierarchical clustering cut at ``threshold`` (SciPy); the map
is classical (Torgerson) multidimensional scaling. Across snapshots every (actor, date) is
placed on one common map, so an actor's movement on it is real movement of its positions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from detente.arrays import ScenarioArrays
from detente.errors import InputError
from detente.render.numbers import json_ready
from detente.scenario import Scenario
from detente.types import Bool, Float

#: Default bloc threshold: actors whose average distance is below a fifth of the scales.
THRESHOLD = 0.2
#: Rows per block when computing distances, to bound (rows, points, issues) arrays.
_BLOCK_ELEMENTS = 1 << 22


def _normalised(arrays: ScenarioArrays) -> Float:
    """Positions as a share of each issue's scale, 0–1 (NaN where absent)."""
    span = arrays.upper - arrays.lower
    x = (arrays.position - arrays.lower) / np.where(span > 0, span, 1.0)
    return np.where(arrays.present, x, np.nan)


def pair_distances(x: Float, s: Float, present: Bool) -> tuple[Float, NDArray[np.int64]]:
    """Distances between every pair of points (rows), and the number of issues they share.

    ``x`` (points, issues) are positions on 0–1, ``s`` saliences, ``present`` whether the
    point takes a stance. Pairs without a common issue get NaN. Where both saliences are 0
    on every shared issue, the plain mean over those issues is used.
    """
    n, m = x.shape
    xs = np.where(present, x, 0.0)
    ss = np.where(present, s, 0.0)
    out = np.full((n, n), np.nan)
    shared = np.zeros((n, n), dtype=np.int64)
    step = max(1, _BLOCK_ELEMENTS // max(1, n * m))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        both = present[lo:hi, None, :] & present[None, :, :]
        gap = np.abs(xs[lo:hi, None, :] - xs[None, :, :])
        w = 0.5 * (ss[lo:hi, None, :] + ss[None, :, :]) * both
        wsum = w.sum(axis=2)
        count = both.sum(axis=2)
        plain = np.where(both, gap, 0.0).sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = (w * gap).sum(axis=2) / wsum
            unweighted = plain / count
        block = np.where(wsum > 0, weighted, unweighted)
        out[lo:hi] = np.where(count > 0, block, np.nan)
        shared[lo:hi] = count
    return out, shared


def complete(distance: Float) -> Float:
    """A full symmetric matrix for clustering and the map: pairs without a common issue get
    the mean of the known distances (neither close nor far), the diagonal 0."""
    d = distance.copy()
    off = ~np.eye(len(d), dtype=bool)
    known = d[off & np.isfinite(d)]
    d[~np.isfinite(d)] = known.mean() if known.size else 0.0
    np.fill_diagonal(d, 0.0)
    return 0.5 * (d + d.T)


def blocs(distance: Float, threshold: float = THRESHOLD) -> NDArray[np.int64]:
    """Bloc number (1, 2, …, largest bloc first) of each point: average-linkage clusters
    whose members are on average closer than ``threshold``."""
    n = len(distance)
    if n == 1:
        return np.ones(1, dtype=np.int64)
    tree = linkage(squareform(complete(distance), checks=False), method="average")
    raw = fcluster(tree, t=threshold, criterion="distance")
    # renumber: larger blocs first, ties by first member
    labels = sorted(set(raw.tolist()), key=lambda c: (-(raw == c).sum(), int(np.argmax(raw == c))))
    rank = {c: k + 1 for k, c in enumerate(labels)}
    return np.array([rank[c] for c in raw], dtype=np.int64)


def classical_mds(distance: Float, dims: int = 2) -> tuple[Float, float]:
    """Torgerson's classical scaling: coordinates (points, dims) and the share of the
    (positive) eigenvalue mass the map shows."""
    d = complete(distance)
    n = len(d)
    j = np.eye(n) - 1.0 / n
    b = -0.5 * j @ (d**2) @ j
    vals, vecs = np.linalg.eigh(b)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    positive = vals[vals > 1e-12]
    k = min(dims, positive.size)
    coords = np.zeros((n, dims))
    coords[:, :k] = vecs[:, :k] * np.sqrt(vals[:k])
    shown = float(positive[:k].sum() / positive.sum()) if positive.size else 1.0
    return coords, shown


@dataclass(frozen=True)
class Alignment:
    """Actor alignment at one snapshot.

    ``distance`` (actors × actors, 0–1, NaN without a common issue), ``shared`` the number
    of issues each pair shares, ``bloc`` each actor's bloc number (0 for an actor with no
    stance), ``coords`` its place on the map (NaN when it has no stance).
    """

    as_of: dt.date | None
    label: str | None
    actors: tuple[str, ...]
    names: tuple[str, ...]
    distance: Float
    shared: NDArray[np.int64]
    bloc: NDArray[np.int64]
    coords: Float

    def between(self, a: str, b: str) -> float:
        """The distance between two actors (by id)."""
        return float(self.distance[self.actors.index(a), self.actors.index(b)])

    def similarity(self, a: str, b: str) -> float:
        """1 − distance: 1 for the same positions everywhere."""
        return 1.0 - self.between(a, b)

    def blocs(self) -> list[tuple[str, ...]]:
        """The blocs as tuples of actor ids, bloc 1 first."""
        top = int(self.bloc.max()) if self.bloc.size else 0
        return [tuple(a for a, b in zip(self.actors, self.bloc, strict=True) if b == k)
                for k in range(1, top + 1)]

    def nearest(self, a: str) -> tuple[str, float]:
        """The actor closest to ``a`` and its distance."""
        i = self.actors.index(a)
        row = np.where(np.arange(len(self.actors)) == i, np.nan, self.distance[i])
        if not np.isfinite(row).any():
            return "", float("nan")
        k = int(np.nanargmin(row))
        return self.actors[k], float(row[k])


@dataclass(frozen=True)
class Move:
    """One actor's move between two snapshots: how far (``moved``, on the distance scale),
    and the actor it came closest to and the one it drew furthest from, each as
    (actor, distance before, distance after)."""

    actor: str
    start: dt.date | None
    end: dt.date | None
    moved: float
    closer: tuple[str, float, float]
    further: tuple[str, float, float]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = json_ready({
            "actor": self.actor, "moved": self.moved,
            "closer": {"actor": self.closer[0], "from": self.closer[1], "to": self.closer[2]},
            "further": {"actor": self.further[0], "from": self.further[1],
                        "to": self.further[2]}})
        return out


@dataclass(frozen=True)
class Realignment:
    """Alignment at every snapshot on one common map, and the moves between them.

    ``joint`` holds the distances between every (snapshot, actor) point, snapshot-major;
    ``explained`` is the share of the joint map's eigenvalue mass that its two axes show.
    """

    snapshots: tuple[Alignment, ...]
    joint: Float
    explained: float
    threshold: float

    @property
    def actors(self) -> tuple[str, ...]:
        return self.snapshots[0].actors

    def to_dict(self) -> dict[str, Any]:
        """JSON form: per snapshot the distances, blocs and map; the moves from first to last."""
        doc = {
            "threshold": self.threshold, "explained": self.explained,
            "actors": list(self.actors),
            "snapshots": [{
                "as_of": None if s.as_of is None else s.as_of.isoformat(), "label": s.label,
                "distance": s.distance, "blocs": [list(b) for b in s.blocs()],
                "map": s.coords,
            } for s in self.snapshots],
            "moves": ([self.move(a).to_dict() for a in self.actors]
                      if len(self.snapshots) > 1 else []),
        }
        out: dict[str, Any] = json_ready(doc)
        return out

    def state_distance(self, actor: str, start: int, end: int) -> float:
        """How far ``actor``'s positions moved between two snapshots (indices into
        ``snapshots``), on the distance scale."""
        n = len(self.actors)
        i = self.actors.index(actor)
        t, u = start % len(self.snapshots), end % len(self.snapshots)
        return float(self.joint[t * n + i, u * n + i])

    def movement(self) -> Float:
        """(snapshots − 1, actors): each actor's move from one snapshot to the next."""
        return np.array([[self.state_distance(a, t - 1, t) for a in self.actors]
                         for t in range(1, len(self.snapshots))]).reshape(-1, len(self.actors))

    def move(self, actor: str, start: int = 0, end: int = -1) -> Move:
        """How far ``actor``'s own positions moved between two snapshots, and towards and
        away from whom: its distance to each other actor as that actor stood at ``start``,
        before and after the move (so that others' moves do not count as its own)."""
        n = len(self.actors)
        t, u = start % len(self.snapshots), end % len(self.snapshots)
        i = self.actors.index(actor)
        before = self.joint[t * n + i, t * n: (t + 1) * n]
        after = self.joint[u * n + i, t * n: (t + 1) * n]
        change = after - before
        change[i] = np.nan
        others = [k for k in range(n) if np.isfinite(change[k])]
        moved = self.state_distance(actor, t, u)
        a, b = self.snapshots[t], self.snapshots[u]
        if not others:
            none = ("", float("nan"), float("nan"))
            return Move(actor, a.as_of, b.as_of, moved, none, none)
        c = min(others, key=lambda k: change[k])
        f = max(others, key=lambda k: change[k])
        return Move(actor, a.as_of, b.as_of, moved,
                    (self.actors[c], float(before[c]), float(after[c])),
                    (self.actors[f], float(before[f]), float(after[f])))


def realign(
    scenario: Scenario,
    *,
    threshold: float = THRESHOLD,
    issues: list[str] | None = None,
    snapshots: list[int] | None = None,
) -> Realignment:
    """Alignment at each snapshot (default: all) on one joint map.

    ``issues`` restricts the distances to those issues (default: all).
    """
    if not threshold > 0:
        raise InputError(f"the bloc threshold must be above 0, got {threshold:g}",
                         field="--threshold", hint="e.g. 0.2, a fifth of the scales")
    chosen = snapshots if snapshots is not None else list(range(len(scenario.snapshots)))
    cols = (list(range(len(scenario.issues))) if issues is None
            else [scenario.issue_index[i] for i in issues])
    views = [scenario.arrays(_as_of(scenario, t)) for t in chosen]
    xs = np.concatenate([_normalised(v)[:, cols] for v in views])
    ss = np.concatenate([v.salience[:, cols] for v in views])
    ps = np.concatenate([v.present[:, cols] for v in views])
    joint, shared = pair_distances(xs, ss, ps)
    has: Bool = np.asarray(ps.any(axis=1), dtype=bool)
    coords = np.full((len(xs), 2), np.nan)
    explained = 1.0
    if has.any():
        sub = joint[np.ix_(has, has)]
        c, explained = classical_mds(sub)
        coords[has] = _orient(c, xs[has])
    n = len(scenario.actors)
    out = []
    for k, t in enumerate(chosen):
        sl = slice(k * n, (k + 1) * n)
        dist = joint[sl, sl]
        present = has[sl]
        bloc = np.zeros(n, dtype=np.int64)
        if present.any():
            bloc[present] = blocs(dist[np.ix_(present, present)], threshold)
        snap = scenario.snapshots[t]
        out.append(Alignment(
            as_of=snap.as_of, label=snap.label,
            actors=tuple(a.id for a in scenario.actors),
            names=tuple(a.name for a in scenario.actors),
            distance=dist, shared=shared[sl, sl], bloc=bloc, coords=coords[sl],
        ))
    return Realignment(tuple(out), joint, explained, threshold)


def alignment(
    scenario: Scenario,
    as_of: dt.date | str | None = None,
    *,
    threshold: float = THRESHOLD,
    issues: list[str] | None = None,
) -> Alignment:
    """Alignment at the snapshot in force at ``as_of`` (default: the latest)."""
    index = scenario.snapshot_index(as_of)
    return realign(scenario, threshold=threshold, issues=issues, snapshots=[index]).snapshots[0]


def _as_of(scenario: Scenario, index: int) -> dt.date | None:
    return None if index == len(scenario.snapshots) - 1 else scenario.snapshots[index].as_of


def _orient(coords: Float, x: Float) -> Float:
    """Fix the map's arbitrary signs: axis 1 increases with the mean position (towards the
    high ends of the scales), axis 2 puts the first point on its positive side."""
    out = coords.copy()
    mean_pos = np.nanmean(x, axis=1)
    if (np.nanstd(mean_pos) > 0 and np.std(out[:, 0]) > 0
            and np.corrcoef(out[:, 0], mean_pos)[0, 1] < 0):
        out[:, 0] *= -1
    if out[0, 1] < 0:
        out[:, 1] *= -1
    return out
