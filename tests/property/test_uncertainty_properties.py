"""Invariants of sampling and simulation (hypothesis, modest example counts)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.uncertainty import simulate
from detente.uncertainty.inputs import (
    pert_quantile,
    triangular_quantile,
    truncated_normal_quantile,
)
from tests.helpers import make_scenario

U = np.linspace(0.0, 1.0, 101)


@settings(max_examples=80, deadline=None)
@given(st.floats(-50, 150), st.floats(0.01, 80), st.floats(0, 100), st.floats(0, 100))
def test_truncated_normal_stays_in_bounds_and_is_monotone(mean: float, sd: float, a: float,
                                                          b: float) -> None:
    lo, hi = min(a, b), max(a, b) + 1.0
    x = truncated_normal_quantile(U, mean, sd, lo, hi)
    assert np.all(np.isfinite(x)) and x.min() >= lo and x.max() <= hi
    assert np.all(np.diff(x) >= -1e-9)


@settings(max_examples=80, deadline=None)
@given(st.floats(0, 100), st.floats(0, 1), st.floats(0.1, 100))
def test_range_distributions_stay_in_the_range(low: float, where: float, width: float) -> None:
    high = low + width
    mode = low + where * width
    for q in (triangular_quantile(U, low, mode, high), pert_quantile(U, low, mode, high)):
        assert q.min() >= low - 1e-9 and q.max() <= high + 1e-9
        assert np.all(np.diff(q) >= -1e-9)


positions = st.floats(0, 100)
sds = st.floats(0.1, 30)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(positions, sds, st.floats(0.05, 1)), min_size=1, max_size=5),
       st.integers(0, 2**32 - 1), st.floats(1, 99))
def test_simulation_invariants(actors: list[tuple[float, float, float]], seed: int,
                               threshold: float) -> None:
    names = [f"a{k}" for k in range(len(actors))]
    sc = make_scenario({n: {"value": x, "sd": s} for n, (x, s, _) in zip(names, actors,
                                                                          strict=True)},
                       {n: {"value": w, "sd": 0.1} for n, (_, _, w) in zip(names, actors,
                                                                            strict=True)},
                       dict.fromkeys(names, 1.0),
                       questions=[{"id": "q", "text": "Q", "op": ">=",
                                   "threshold": threshold}])
    sim = simulate(sc, ["compromise", "median"], draws=200, seed=seed)
    for model in ("compromise", "median"):
        x = sim.samples[model]["x"]
        assert x.min() >= 0 and x.max() <= 100  # forecasts stay on the scale
        s = sim.summary(model, "x")
        assert s.interval[0] <= s.median <= s.interval[1]
        p = s.questions["q"]
        assert 0 <= p.p <= 1
        assert math.isclose(p.p, float(np.mean(x >= threshold)))
        assert math.isclose(p.se, math.sqrt(p.p * (1 - p.p) / 200))
