"""The weighted median lands on a position or a midpoint (hypothesis).

The invariants every model keeps are checked in ``test_model_contract.py``.
"""

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
    # 0 or at least 1e-6: weights far below that underflow when capabilities are rescaled
    sal = draw(arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(1e-6, 1))))
    cap = draw(arrays(np.float64, n, elements=st.floats(0.01, 1000, allow_nan=False)))
    return pos, sal, cap


def solve(model, pos, sal, cap) -> float:  # type: ignore[no-untyped-def]
    batch = IssueBatch.create(position=pos[None], salience=sal[None], capability=cap[None],
                              lower=0.0, upper=100.0)
    return float(model.solve(batch).outcome[0])


@settings(max_examples=100, deadline=None)
@given(problems())
def test_median_is_a_position_or_midpoint(p) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap = p
    out = solve(WeightedMedian(), pos, sal, cap)
    mids = {(a + b) / 2 for a in pos for b in pos}
    assert out in set(pos) | mids
