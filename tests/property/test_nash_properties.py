"""Nash bargaining leaves nobody worse off than the status quo (hypothesis). The invariants
every model keeps are checked in ``test_model_contract.py``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from detente.models import IssueBatch, NashBargaining


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    n = draw(st.integers(1, 10))
    pos = draw(arrays(np.float64, n, elements=st.floats(0, 100, allow_nan=False)))
    sal = draw(arrays(np.float64, n, elements=st.floats(0.05, 1, allow_nan=False)))
    cap = draw(arrays(np.float64, n, elements=st.floats(0.01, 100, allow_nan=False)))
    return pos, sal, cap, draw(st.floats(0, 100, allow_nan=False))


def solve(pos: np.ndarray, sal: np.ndarray, cap: np.ndarray, sq: float) -> float:
    batch = IssueBatch.create(position=pos[None], salience=sal[None], capability=cap[None],
                              lower=0.0, upper=100.0, status_quo=np.array([sq]))
    return float(NashBargaining().solve(batch).outcome[0])


@settings(max_examples=120, deadline=None)
@given(problems())
def test_nobody_worse_off_than_the_status_quo(p) -> None:  # type: ignore[no-untyped-def]
    pos, sal, cap, sq = p
    out = solve(pos, sal, cap, sq)
    assert 0 <= out <= 100
    assert (np.abs(out - pos) <= np.abs(sq - pos) + 1e-9).all()
    if (pos > sq).all() or (pos < sq).all():
        assert min(pos.min(), sq) - 1e-9 <= out <= max(pos.max(), sq) + 1e-9
    else:
        assert out == sq
