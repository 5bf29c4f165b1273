"""Running one model on many variants of one issue, in one batch where the model allows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np

from detente.arrays import ScenarioArrays, build_arrays
from detente.errors import InputError
from detente.forecasting import resolve_models, snapshot_index
from detente.models.base import IssueBatch, Model
from detente.scenario import Issue, Question, Scenario
from detente.types import Bool, Float
from detente.uncertainty.inputs import (
    DefaultUncertainty,
    RangeShape,
    UncertainInput,
    scenario_inputs,
)
from detente.uncertainty.sampling import Sampler
from detente.uncertainty.simulation import quiet_masked_arithmetic


@dataclass(frozen=True)
class IssueRows:
    """R variants of one issue: (R, actors) position, salience, capability and presence."""

    position: Float
    salience: Float
    capability: Float
    present: Bool

    @property
    def size(self) -> int:
        return int(self.position.shape[0])


@dataclass(frozen=True)
class IssueRunner:
    """One model, one issue of one snapshot: the base inputs and a way to solve variants."""

    scenario: Scenario
    snapshot: int
    model: Model
    issue: Issue
    base: ScenarioArrays
    inputs: tuple[UncertainInput, ...]

    @property
    def column(self) -> int:
        return self.scenario.issue_index[self.issue.id]

    @property
    def sampler(self) -> Sampler:
        return Sampler(self.base, self.inputs)

    def issue_inputs(self) -> tuple[UncertainInput, ...]:
        """The uncertain inputs that set a cell of this issue."""
        m = len(self.base.issues)
        j = self.column
        return tuple(x for x in self.inputs
                     if x.uncertain and any(c % m == j for c in x.cells))

    def rows(self, count: int = 1) -> IssueRows:
        """``count`` copies of the issue's point inputs (writable)."""
        j = self.column
        b = self.base

        def rep(a: np.ndarray) -> np.ndarray:
            return np.repeat(a[None, :, j], count, axis=0)

        return IssueRows(rep(np.where(b.present, b.position, 0.0)), rep(b.salience),
                         rep(b.capability), rep(b.present).astype(bool))

    def rows_from_values(self, inputs: tuple[UncertainInput, ...], values: Float) -> IssueRows:
        """Variants with ``inputs`` set to ``values`` (R, k), everything else at its value."""
        s = self.sampler.from_values(values, inputs)
        j = self.column
        present = np.repeat(self.base.present[None, :, j], values.shape[0], axis=0)
        return IssueRows(s.position[:, :, j].copy(), s.salience[:, :, j].copy(),
                         s.capability[:, :, j].copy(), present)

    def solve(self, rows: IssueRows) -> Float:
        """The model's forecast for every variant (R,): one batch where the model has one."""
        j = self.column
        r = rows.size
        solver = self.model.issue_solver()
        if solver is not None:
            batch = IssueBatch.create(
                position=rows.position, salience=rows.salience, capability=rows.capability,
                present=rows.present, lower=np.full(r, self.base.lower[j]),
                upper=np.full(r, self.base.upper[j]),
                status_quo=np.full(r, self.base.status_quo[j]),
            )
            with quiet_masked_arithmetic():
                out = solver(batch).outcome
            return np.where(rows.present.any(axis=1), out, np.nan)
        result = np.empty(r)
        for k in range(r):
            result[k] = self.model.run_arrays(self._arrays(rows, k))[self.issue.id].outcome
        return result

    def _arrays(self, rows: IssueRows, k: int) -> ScenarioArrays:
        j = self.column
        b = self.base

        def put(a: np.ndarray, col: np.ndarray) -> np.ndarray:
            out = a.copy()
            out[:, j] = col
            out.setflags(write=False)
            return out

        present = put(b.present, rows.present[k])
        position = put(b.position, np.where(rows.present[k], rows.position[k], np.nan))
        return dataclasses.replace(
            b, position=position, present=present,
            salience=put(b.salience, np.where(rows.present[k], rows.salience[k], 0.0)),
            capability=put(b.capability, rows.capability[k]),
        )

    def point(self) -> float:
        """The forecast at the stated values."""
        return float(self.solve(self.rows(1))[0])


def issue_runner(
    scenario: Scenario,
    model: str | Model,
    issue: str,
    *,
    as_of: dt.date | str | None = None,
    rounds: int | None = None,
    defaults: DefaultUncertainty | None = None,
    shape: RangeShape = "triangular",
) -> IssueRunner:
    """An ``IssueRunner`` with user-facing errors for an unknown model or issue."""
    index = snapshot_index(scenario, as_of)
    (chosen,) = resolve_models([model], scenario=scenario, rounds=rounds)
    return IssueRunner(scenario, index, chosen, find_issue(scenario, issue),
                       build_arrays(scenario, index),
                       scenario_inputs(scenario, index, defaults, shape))


def find_issue(scenario: Scenario, issue: str) -> Issue:
    if issue not in scenario.issue_index:
        known = ", ".join(s.id for s in scenario.issues[:12])
        raise InputError(f"unknown issue {issue!r}", field="--issue", hint=f"known: {known}")
    return scenario.issue(issue)


def find_actor(scenario: Scenario, actor: str) -> int:
    if actor not in scenario.actor_index:
        known = ", ".join(a.id for a in scenario.actors[:12])
        raise InputError(f"unknown actor {actor!r}", field="--actor", hint=f"known: {known}")
    return scenario.actor_index[actor]


def find_question(scenario: Scenario, question: str, issue: str | None = None
                  ) -> tuple[Issue, Question]:
    """The question with this id (on ``issue`` where given; it must be unambiguous)."""
    pool = [find_issue(scenario, issue)] if issue is not None else list(scenario.issues)
    hits = [(i, q) for i in pool for q in i.questions if q.id == question]
    if not hits:
        known = ", ".join(q.id for i in pool for q in i.questions) or "none"
        raise InputError(f"unknown question {question!r}", field="--question",
                         hint=f"known: {known}")
    if len(hits) > 1:
        raise InputError(f"question {question!r} is asked on several issues", field="--question",
                         hint="name the issue with --issue")
    return hits[0]
