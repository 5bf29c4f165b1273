"""The spatial model's engine on multi-dimensional problems: the expected outcome and every
position stay within the positions, the final probabilities sum to 1 (hypothesis). The
invariants every model keeps are checked in ``test_model_contract.py``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.models.smp.engine import Problems, Trace, simulate
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


def np_approx(x: float) -> object:
    import pytest

    return pytest.approx(x, abs=1e-9)
