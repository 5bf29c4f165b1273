"""Invariants of the compromise and weighted-median models (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from detente.models import Compromise, IssueBatch, WeightedMedian

MODELS = [Compromise(), WeightedMedian()]


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 12))
    pos = draw(arrays(np.float64, n, elements=st.floats(0, 100, allow_nan=False)))
    # saliences of 0 or at least 1e-9: tinier ones (5e-324) underflow when multiplied by a
    # capability, which no real input does
    sal = draw(arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(1e-9, 1))))
    cap = draw(arrays(np.float64, n, elements=st.floats(0.01, 1000, allow_nan=False)))
    return pos, sal, cap


def solve(model, pos, sal, cap) -> float:  # type: ignore[no-untyped-def]
    batch = IssueBatch.create(position=pos[None], salience=sal[None], capability=cap[None],
                              lower=0.0, upper=100.0)
    return float(model.solve(batch).outcome[0])


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(MODELS))
def test_outcome_within_positions(p, model) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap = p
    out = solve(model, pos, sal, cap)
    assert pos.min() - 1e-9 <= out <= pos.max() + 1e-9


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(MODELS), st.randoms(use_true_random=False))
def test_actor_order_irrelevant(p, model, rnd) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap = p
    perm = list(range(len(pos)))
    rnd.shuffle(perm)
    a = solve(model, pos, sal, cap)
    b = solve(model, pos[perm], sal[perm], cap[perm])
    assert np.isclose(a, b, rtol=1e-12, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(MODELS), st.floats(0.001, 1000))
def test_capability_scale_irrelevant(p, model, k) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap = p
    assert np.isclose(solve(model, pos, sal, cap), solve(model, pos, sal, cap * k),
                      rtol=1e-9, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(problems(), st.sampled_from(MODELS))
def test_same_input_same_output(p, model) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap = p
    assert solve(model, pos, sal, cap) == solve(model, pos.copy(), sal.copy(), cap.copy())


@settings(max_examples=100, deadline=None)
@given(problems())
def test_median_is_a_position_or_midpoint(p) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap = p
    out = solve(WeightedMedian(), pos, sal, cap)
    mids = {(a + b) / 2 for a in pos for b in pos}
    assert out in set(pos) | mids


@settings(max_examples=60, deadline=None)
@given(problems(), st.integers(2, 5))
def test_batch_equals_rows(p, reps) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap = p
    rng = np.random.default_rng(len(pos))
    P = np.clip(pos[None] + rng.normal(0, 10, (reps, len(pos))), 0, 100)
    batch = IssueBatch.create(position=P, salience=np.tile(sal, (reps, 1)),
                              capability=np.tile(cap, (reps, 1)), lower=0.0, upper=100.0)
    for model in MODELS:
        together = model.solve(batch).outcome
        alone = [solve(model, P[r], sal, cap) for r in range(reps)]
        np.testing.assert_allclose(together, alone, rtol=1e-12, atol=1e-12)
