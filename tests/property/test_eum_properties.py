"""The expected utility model keeps every actor within the initial positions, in every round
(hypothesis, with every option). The invariants every model keeps are checked in
``test_model_contract.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from detente.models.base import BatchSolution, IssueBatch
from detente.models.eum import ExpectedUtility

Problem = tuple[np.ndarray, np.ndarray, np.ndarray]

# positions on a coarse grid half the time, so that ties and shared positions are common
coordinates = st.one_of(
    st.floats(0, 100, allow_nan=False, allow_subnormal=False),
    st.integers(0, 5).map(lambda k: 20.0 * k),
)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 8))
    pos = draw(arrays(np.float64, n, elements=coordinates))
    sal = draw(arrays(np.float64, n, elements=st.floats(0, 1, allow_subnormal=False)))
    cap = draw(arrays(np.float64, n, elements=st.floats(0.01, 100, allow_subnormal=False)))
    return pos, sal, cap


models = st.builds(
    ExpectedUtility,
    rounds=st.integers(0, 6),
    Q=st.sampled_from([1.0, 0.5]),
    improvement=st.sampled_from(["constant", "median"]),
    probability=st.sampled_from(["all_pairs", "pair"]),
    dyad_risk=st.sampled_from(["perceiver", "challenger"]),
    offer_choice=st.sampled_from(["scholz", "least_move", "highest_eu"]),
)


def solve(model: ExpectedUtility, pos: np.ndarray, sal: np.ndarray, cap: np.ndarray) -> Any:
    batch = IssueBatch.create(position=pos[None], salience=sal[None], capability=cap[None])
    return model.solve(batch)


def trajectory(sol: BatchSolution) -> np.ndarray:
    assert sol.positions is not None
    return sol.positions[:, 0]


@settings(max_examples=80, deadline=None)
@given(problems(), models)
def test_outcome_within_initial_positions(p: Problem, model: ExpectedUtility) -> None:
    pos, sal, cap = p
    sol = solve(model, pos, sal, cap)
    lo, hi = pos.min(), pos.max()
    assert lo - 1e-9 <= sol.outcome[0] <= hi + 1e-9
    path = trajectory(sol)
    assert (path >= lo - 1e-9).all() and (path <= hi + 1e-9).all()
