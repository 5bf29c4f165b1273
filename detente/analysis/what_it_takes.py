"""What would it take: the smallest change of one input that flips a question's answer.

For one actor and one question, each of the actor's position, salience and capability on
the question's issue is changed alone, the other inputs kept at their stated values. The
search evaluates the model on a grid over the quantity's whole valid range (the issue's
scale; salience 0–1; capability from 1/100 to 100 times its value, spaced evenly in log),
takes the flipping grid point nearest the stated value, and narrows the boundary between it
and its non-flipping neighbour by repeated subdivision. Every step runs as one batch. A
quantity whose whole range leaves the answer unchanged is "not reachable" (for capability:
within the factor searched). A forecast that is not monotone in the quantity may flip in
a narrow window between grid points that the search does not see; ``grid`` sets the
resolution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from detente.analysis.issue_runner import IssueRunner, find_actor, find_question, issue_runner
from detente.errors import InputError
from detente.models.base import Model
from detente.scenario import Question, Scenario
from detente.types import Float

QuantityName = Literal["position", "salience", "capability"]
QUANTITIES: tuple[QuantityName, ...] = ("position", "salience", "capability")
#: Capability is searched from its value / CAPABILITY_FACTOR to its value × CAPABILITY_FACTOR.
CAPABILITY_FACTOR = 100.0
#: Points per subdivision step, and steps (the boundary ends within span / 16**STEPS).
SUBDIVISIONS = 16
STEPS = 6


@dataclass(frozen=True)
class Change:
    """The smallest change of one quantity that flips the answer, or None if unreachable."""

    actor: str
    question: str
    issue: str
    quantity: QuantityName
    current: float
    answer_now: bool
    needed: float | None
    change: float | None
    forecast_now: float
    forecast_after: float | None

    @property
    def reachable(self) -> bool:
        return self.needed is not None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "reachable": self.reachable}


def _answers(question: Question, x: Float) -> np.ndarray:
    t = question.threshold
    return {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t}[question.op]


def _solve_at(runner: IssueRunner, actor: int, quantity: QuantityName, values: Float) -> Float:
    rows = runner.rows(values.size)
    getattr(rows, quantity)[:, actor] = values
    return runner.solve(rows)


def _search(runner: IssueRunner, actor: int, quantity: QuantityName, question: Question,
            grid: int) -> tuple[float, float, float | None, float | None]:
    """(current, forecast now, value needed, forecast there) for one quantity."""
    rows = runner.rows(1)
    current = float(getattr(rows, quantity)[0, actor])
    now = runner.point()
    answer = bool(_answers(question, np.array([now]))[0])
    if quantity == "position":
        lo, hi = float(runner.base.lower[runner.column]), float(runner.base.upper[runner.column])
        points = np.linspace(lo, hi, grid)
    elif quantity == "salience":
        points = np.linspace(0.0, 1.0, grid)
    else:
        points = current * np.geomspace(1.0 / CAPABILITY_FACTOR, CAPABILITY_FACTOR, grid)
    points = np.union1d(points, [current])
    out = _solve_at(runner, actor, quantity, points)
    flips = np.isfinite(out) & (_answers(question, out) != answer)
    if not flips.any():
        return current, now, None, None

    def distance(x: Float) -> Float:
        return np.abs(np.log(x / current)) if quantity == "capability" else np.abs(x - current)

    k = int(np.flatnonzero(flips)[np.argmin(distance(points[flips]))])
    here = int(np.flatnonzero(points == current)[0])
    # walk from the flipping point one grid step back toward the stated value
    inner = k - 1 if k > here else k + 1
    a, b = float(points[inner]), float(points[k])  # a keeps the answer, b flips it
    fb = float(out[k])
    for _ in range(STEPS):
        probe = np.linspace(a, b, SUBDIVISIONS + 1)[1:-1]
        res = _solve_at(runner, actor, quantity, probe)
        flipped = np.isfinite(res) & (_answers(question, res) != answer)
        if flipped.any():
            first = int(np.argmax(flipped))
            b, fb = float(probe[first]), float(res[first])
            if first > 0:
                a = float(probe[first - 1])
        else:
            a = float(probe[-1])
    return current, now, b, fb


def what_it_takes(
    scenario: Scenario,
    model: str | Model,
    actor: str,
    question: str,
    *,
    issue: str | None = None,
    as_of: dt.date | str | None = None,
    rounds: int | None = None,
    grid: int = 201,
) -> list[Change]:
    """For ``actor`` and ``question``: the smallest flipping change of each quantity."""
    if grid < 3:
        raise InputError(f"grid must have at least 3 points, got {grid}", field="grid")
    the_issue, q = find_question(scenario, question, issue)
    a = find_actor(scenario, actor)
    runner = issue_runner(scenario, model, the_issue.id, as_of=as_of, rounds=rounds)
    if not runner.base.present[a, runner.column]:
        raise InputError(f"actor {actor!r} takes no stance on issue {the_issue.id!r}",
                         field="--actor", hint="choose an actor with a stance on that issue")
    out = []
    for quantity in QUANTITIES:
        current, now, needed, after = _search(runner, a, quantity, q, grid)
        answer = bool(_answers(q, np.array([now]))[0])
        out.append(Change(actor, q.id, the_issue.id, quantity, current, answer, needed,
                          None if needed is None else needed - current, now, after))
    return out
