"""Scenario discovery on a stored sweep: where in the varied inputs does the answer come out yes?

The cases are one model's variations; a case is "of interest" when the probability of the
question exceeds ``threshold``. PRIM (Friedman & Fisher 1999), as the EMA Workbench
implements it (Kwakkel 2017), peels the box of the varied inputs down to regions dense in
such cases; each point of its peeling trajectory trades coverage (the share of all cases of
interest inside the box) for density (the share of the box's cases that are of interest).
Of each box's trajectory we report the box with the highest coverage whose density reaches
``min_density`` (else the densest), with its limits and their quasi-p-values, and the whole
trajectory for the trade-off chart. Feature scores come from extra trees fitted to the
probability (the EMA Workbench's ``get_ex_feature_scores``, scikit-learn underneath).
docs/decisions/sweeps.md, SWP-5.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from detente.errors import InputError

#: PRIM's own threshold: marks the cases y = 1 and accepts every box (see ``prim_boxes``).
PRIM_ACCEPT = 1e-9


@dataclass(frozen=True)
class Limit:
    """One restricted input of a box: ``low`` ≤ input ≤ ``high``, and PRIM's quasi-p-values
    of the restriction (how likely it is to be chance)."""

    variable: str
    low: float
    high: float
    qp_low: float | None
    qp_high: float | None


@dataclass(frozen=True)
class Box:
    """A region of the varied inputs, and how well it captures the cases of interest."""

    limits: tuple[Limit, ...]
    coverage: float
    density: float
    mass: float
    cases: int
    of_interest: int
    #: the peeling trajectory: (coverage, density, restricted inputs) per step
    trajectory: tuple[tuple[float, float, int], ...] = ()
    chosen: int = -1

    def describe(self) -> str:
        """"0.80 coverage, 0.90 density when a ≤ 3 and b ≥ 70"."""
        rule = " and ".join(_rule(x) for x in self.limits) or "anywhere"
        return (f"coverage {self.coverage:.2f}, density {self.density:.2f} "
                f"({self.of_interest} of {self.cases} variations) when {rule}")


def _rule(x: Limit) -> str:
    """The restriction as written: a side PRIM did not restrict has no quasi-p-value."""
    if x.qp_low is None and x.qp_high is not None:
        return f"{x.variable} ≤ {x.high:.4g}"
    if x.qp_high is None and x.qp_low is not None:
        return f"{x.variable} ≥ {x.low:.4g}"
    return f"{x.low:.4g} ≤ {x.variable} ≤ {x.high:.4g}"


@dataclass(frozen=True)
class Discovery:
    """PRIM boxes and feature scores for one question of one model in one sweep."""

    sweep_id: int
    model: str
    issue: str
    question: str
    threshold: float
    min_density: float
    cases: int
    of_interest: int
    boxes: tuple[Box, ...]
    scores: tuple[tuple[str, float], ...]
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "sweep": self.sweep_id, "model": self.model, "issue": self.issue,
            "question": self.question, "threshold": self.threshold,
            "min_density": self.min_density, "cases": self.cases,
            "of_interest": self.of_interest,
            "boxes": [{"limits": [x.__dict__ for x in b.limits], "coverage": b.coverage,
                       "density": b.density, "mass": b.mass, "cases": b.cases,
                       "of_interest": b.of_interest,
                       "trajectory": [{"coverage": c, "density": d, "restricted": r}
                                      for c, d, r in b.trajectory], "chosen": b.chosen}
                      for b in self.boxes],
            "feature_scores": [{"variable": v, "score": s} for v, s in self.scores],
            "notes": list(self.notes),
        }


def _ema() -> tuple[Any, Any, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # optional parallel back ends it does not find
            from ema_workbench.analysis import feature_scoring, prim
            from ema_workbench.analysis.scenario_discovery_util import RuleInductionType
    except ImportError:
        raise InputError("scenario discovery needs the optional 'discovery' extra",
                         field="discover",
                         hint="pip install 'detente[discovery]' (ema-workbench)") from None
    return prim, feature_scoring, RuleInductionType


def _num(x: Any) -> float | None:
    v = float(x)
    return None if math.isnan(v) or v < 0 else v


def prim_boxes(x: pd.DataFrame, y: np.ndarray, *, min_density: float, boxes: int,
               peel_alpha: float = 0.05) -> list[Box]:
    """Up to ``boxes`` PRIM boxes, one after the other on the cases the earlier ones left.

    PRIM peels every box down to its minimum mass and we choose on the trajectory. PRIM's
    own threshold both marks the cases of interest (y ≥ threshold) and accepts a box whose
    last step reaches it; just above 0 it marks y = 1 and keeps every trajectory, so a box
    whose last step misses ``min_density`` is not lost. Covering stops when a box is no
    denser than the cases it started from.
    """
    prim, _, _ = _ema()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alg = prim.Prim(x, y.astype(float), threshold=PRIM_ACCEPT, peel_alpha=peel_alpha)
        out: list[Box] = []
        for _ in range(boxes):
            box = alg.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory.reset_index(drop=True)
            if len(traj) < 2 or float(traj["density"].max()) <= float(traj["density"].iloc[0]):
                break  # nothing denser than what is left
            dense = traj.index[traj["density"] >= min_density]
            pick = (int(traj.loc[dense, "coverage"].idxmax()) if len(dense)
                    else int(traj["density"].idxmax()))
            stats, lims = box.inspect(pick, style="data")[0]
            limits = tuple(
                Limit(str(name), float(row.iloc[0]), float(row.iloc[1]), _num(row.iloc[2]),
                      _num(row.iloc[3]))
                for name, row in lims.iterrows())
            out.append(Box(limits, float(stats["coverage"]), float(stats["density"]),
                           float(stats["mass"]), int(stats["n"]), int(stats["k"]),
                           tuple((float(c), float(d), int(r)) for c, d, r in zip(
                               traj["coverage"], traj["density"], traj["res_dim"],
                               strict=True)), pick))
            if int(stats["res_dim"]) == 0:
                break
    return out


def feature_scores(x: pd.DataFrame, p: np.ndarray, seed: int = 0) -> list[tuple[str, float]]:
    """Each varied input's share of the extra trees' importance for the probability."""
    _, scoring, rule = _ema()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores, _ = scoring.get_ex_feature_scores(x, p, mode=rule.REGRESSION, random_state=seed)
    return [(str(k), float(v)) for k, v in scores.iloc[:, 0].items()]


def discover(
    ws: Any,
    sweep_id: int,
    question: str,
    *,
    model: str | None = None,
    threshold: float = 0.5,
    min_density: float = 0.8,
    boxes: int = 1,
) -> Discovery:
    """PRIM boxes and feature scores of ``question`` in a stored sweep (see the module)."""
    from detente.store.sweeps import SweepStore

    store = SweepStore(ws)
    info = store.info(sweep_id)
    if not 0.0 <= threshold < 1.0:
        raise InputError(f"threshold must lie in [0, 1), got {threshold:g}", field="--threshold")
    if not 0.0 < min_density <= 1.0:
        raise InputError(f"min density must lie in (0, 1], got {min_density:g}",
                         field="--min-density")
    models = list(info.spec["models"])
    name = model or models[0]
    if name not in models:
        raise InputError(f"sweep {sweep_id} did not run model {name!r}", field="--model",
                         hint=f"it ran: {', '.join(models)}")
    hit = ws.con.execute("SELECT DISTINCT issue FROM sweep_questions WHERE sweep_id = ? "
                         "AND question = ?", [int(sweep_id), question]).fetchall()
    if not hit:
        known = [r[0] for r in ws.con.execute(
            "SELECT DISTINCT question FROM sweep_questions WHERE sweep_id = ? ORDER BY 1",
            [int(sweep_id)]).fetchall()]
        raise InputError(f"unknown question {question!r}", field="--question",
                         hint=f"known: {', '.join(known) or 'none'}")
    issue = str(hit[0][0])
    rows = store.rows(sweep_id, name)
    rows = rows[rows["issue"] == issue]
    x = rows[info.variables].reset_index(drop=True).astype(float)
    p = rows[f"p_{question}"].to_numpy(dtype=float)
    y = p > threshold
    notes: list[str] = []
    if not info.complete:
        notes.append(f"the sweep is incomplete: {info.done:,} of {info.variations:,} "
                     "variations")
    found: list[Box] = []
    if y.all() or not y.any():
        notes.append(f"every variation answers {'yes' if y.all() else 'no'}: there is no "
                     "region to find")
    else:
        found = prim_boxes(x, y, min_density=min_density, boxes=boxes)
    scores = feature_scores(x, p, seed=int(info.spec["seed"])) if np.ptp(p) > 0 else []
    return Discovery(sweep_id, name, issue, question, threshold, min_density, len(p),
                     int(y.sum()), tuple(found), tuple(scores), tuple(notes))
