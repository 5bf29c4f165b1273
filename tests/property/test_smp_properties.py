"""Invariants of the spatial model of politics (hypothesis, modest example counts)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.models.smp.engine import POSITION_TOLERANCE, Problems, Trace, simulate
from detente.models.smp.options import Settings

ORDER_EXAMPLES = 20
GRID = 1e-4  # KTAB rounds bargains to this on [0, 1]; positions may overshoot by half of it


@st.composite
def problems(draw: st.DrawFn, max_actors: int = 7, max_dims: int = 2,
             distinct: bool = False) -> Problems:
    """Random KTAB-like problems; ``distinct`` keeps actors apart (no exact ties)."""
    n = draw(st.integers(3, max_actors))
    d = draw(st.integers(1, max_dims))
    cents = st.integers(0, 10_000).map(lambda x: x / 10_000)
    if distinct:  # positions at least 2 apart on 0–100, all weights different
        ticks = draw(st.lists(st.integers(0, 50), min_size=n * d, max_size=n * d,
                              unique=True))
        pos = (np.array(ticks, dtype=float) * 0.02).reshape(n, d)
        cap = np.array(draw(st.lists(st.integers(1, 2_000), min_size=n, max_size=n,
                                     unique=True)), dtype=float) / 10
    else:
        pos = np.array(draw(st.lists(st.lists(cents, min_size=d, max_size=d),
                                     min_size=n, max_size=n)))
        cap = np.array(draw(st.lists(st.integers(1, 200).map(float), min_size=n, max_size=n)))
    share = st.integers(5, 100).map(lambda x: x / 100)
    sal = np.array(draw(st.lists(st.lists(share, min_size=d, max_size=d),
                                 min_size=n, max_size=n, unique_by=tuple))) / d
    return Problems(np.minimum(pos, 1.0)[None], sal[None], cap[None],
                    np.ones((1, n), dtype=bool))


def expected(trace: Trace) -> np.ndarray:
    t = int(trace.turns[0])
    return np.asarray(np.einsum("n,nd->d", trace.prob[t, 0], trace.positions[t, 0]))


@settings(max_examples=25, deadline=None)
@given(problems())
def test_expected_outcome_within_the_positions(p: Problems) -> None:
    trace = simulate(p, Settings(max_turns=30))
    t = int(trace.turns[0])
    assert trace.prob[t, 0].sum() == np_approx(1.0)
    lo, hi = p.position[0].min(axis=0), p.position[0].max(axis=0)
    out = expected(trace)
    assert np.all(out >= lo - GRID) and np.all(out <= hi + GRID)
    assert np.all(trace.positions >= lo - GRID) and np.all(trace.positions <= hi + GRID)


@settings(max_examples=ORDER_EXAMPLES, deadline=None)
@given(problems(distinct=True), st.randoms(use_true_random=False))
def test_actor_order_is_irrelevant_in_deterministic_mode(p: Problems, rnd: object) -> None:
    # Exact ties (identical actors, positions within KTAB's tolerance) go to the first actor,
    # as in KTAB, so order can matter there; distinct actors must move the same way in any
    # order. Final positions closer than the tolerance form one distinct position whose
    # representative is its first holder (KTAB's grouping), so the expected outcome may move
    # by up to the tolerance, and more where closeness chains (a~b, b~c, not a~c) regroup.
    n = p.position.shape[1]
    perm = np.arange(n)
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    shuffled = Problems(p.position[:, perm], p.salience[:, perm], p.capability[:, perm],
                        p.present[:, perm])
    a = simulate(p, Settings(max_turns=30))
    b = simulate(shuffled, Settings(max_turns=30))
    assert a.turns[0] == b.turns[0]
    t = int(a.turns[0])
    assert np.allclose(a.positions[t, 0][perm], b.positions[t, 0], atol=1e-9)
    final = a.positions[t, 0]
    close = np.linalg.norm(final[:, None] - final[None, :], axis=-1) < POSITION_TOLERANCE
    if np.array_equal(close, (close.astype(int) @ close.astype(int)) > 0):  # no chains
        assert np.allclose(expected(a), expected(b), atol=POSITION_TOLERANCE)


@settings(max_examples=15, deadline=None)
@given(problems(), st.integers(0, 2**32))
def test_same_seed_same_result_in_stochastic_mode(p: Problems, seed: int) -> None:
    s = Settings(state_transitions="Stochastic", max_turns=30)
    a, b = simulate(p, s, seed), simulate(p, s, seed)
    assert np.array_equal(a.positions, b.positions)
    assert np.array_equal(a.prob, b.prob)


@settings(max_examples=10, deadline=None)
@given(st.lists(problems(max_actors=5, max_dims=1), min_size=2, max_size=4))
def test_a_batch_equals_its_rows_run_alone(ps: list[Problems]) -> None:
    n = max(p.position.shape[1] for p in ps)

    def pad(x: np.ndarray, fill: float) -> np.ndarray:
        out = np.full((1, n, *x.shape[2:]), fill)
        out[:, : x.shape[1]] = x
        return out

    batch = Problems(
        np.concatenate([pad(p.position, 0.0) for p in ps]),
        np.concatenate([pad(p.salience, 0.0) for p in ps]),
        np.concatenate([pad(p.capability, 1.0) for p in ps]),
        np.concatenate([pad(p.present, 0.0).astype(bool) for p in ps]),
    )
    together = simulate(batch, Settings(max_turns=30))
    for row, p in enumerate(ps):
        alone = simulate(p, Settings(max_turns=30))
        t, k = int(alone.turns[0]), p.position.shape[1]
        assert together.turns[row] == t
        assert np.array_equal(together.positions[t, row, :k], alone.positions[t, 0])
        assert np.array_equal(together.prob[t, row, :k], alone.prob[t, 0])


def np_approx(x: float) -> object:
    import pytest

    return pytest.approx(x, abs=1e-9)
