"""The weighted Nash bargaining solution against a closed form and a numerical optimiser."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from detente.models import Compromise, NashBargaining
from detente.models.base import IssueBatch
from tests.helpers import make_scenario


def nash_product(x: float, pos: np.ndarray, w: np.ndarray, q: float) -> float:
    """Σ wᵢ log((q − xᵢ)² − (x − xᵢ)²), −inf where someone is worse off than at q."""
    gain = (q - pos) ** 2 - (x - pos) ** 2
    return -math.inf if (gain <= 0).any() else float((w * np.log(gain)).sum())


def solve(pos: list[float], sal: list[float], cap: list[float], q: float, lo: float = 0,
          hi: float = 100) -> float:
    batch = IssueBatch.create(position=np.array([pos]), salience=np.array([sal]),
                              capability=np.array([cap]), lower=lo, upper=hi,
                              status_quo=np.array([q]))
    return float(NashBargaining().solve(batch).outcome[0])


def test_two_actors_closed_form() -> None:
    """With both ideals above q the first-order condition is a quadratic in x.

    w1/(x − a1) + w2/(x − a2) = (w1 + w2)/(q − x), aᵢ = 2xᵢ − q; the root in (q, min aᵢ).
    """
    q, x1, x2, w1, w2 = 10.0, 60.0, 90.0, 0.3, 0.5
    a1, a2 = 2 * x1 - q, 2 * x2 - q
    # w1 (x − a2)(q − x) + w2 (x − a1)(q − x) − W (x − a1)(x − a2) = 0, expanded:
    w = w1 + w2
    c2 = -w1 - w2 - w
    c1 = w1 * (q + a2) + w2 * (q + a1) + w * (a1 + a2)
    c0 = -w1 * a2 * q - w2 * a1 * q - w * a1 * a2
    roots = [r.real for r in np.roots([c2, c1, c0]) if q < r.real < min(a1, a2)]
    assert len(roots) == 1
    assert solve([x1, x2], [0.3, 0.5], [1.0, 1.0], q) == pytest.approx(roots[0], abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_matches_a_numerical_optimiser(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    q = float(rng.uniform(0, 30))
    pos = rng.uniform(q + 1, 100, n)
    sal, cap = rng.uniform(0.1, 1, n), rng.uniform(0.5, 3, n)
    hi = float(min(100, (2 * pos - q).min()))
    best = minimize_scalar(lambda x: -nash_product(x, pos, sal * cap, q),
                           bounds=(q + 1e-9, hi - 1e-9), method="bounded",
                           options={"xatol": 1e-10})
    assert solve(list(pos), list(sal), list(cap), q) == pytest.approx(best.x, abs=1e-6)


def test_mirror_image_below_the_status_quo() -> None:
    up = solve([60, 90], [0.3, 0.5], [1, 1], 10)
    down = solve([100 - 60, 100 - 90], [0.3, 0.5], [1, 1], 90)
    assert down == pytest.approx(100 - up, abs=1e-9)


def test_actors_on_both_sides_keep_the_status_quo() -> None:
    assert solve([20, 80], [0.5, 0.5], [1, 1], 50) == 50
    assert solve([50, 80], [0.5, 0.5], [1, 1], 50) == 50  # one actor stands on it


def test_distant_status_quo_tends_to_the_compromise() -> None:
    pos, sal, cap = [20.0, 55.0, 80.0], [0.9, 0.4, 0.6], [1.0, 2.0, 0.5]
    mean = np.average(pos, weights=np.multiply(sal, cap))
    near = solve(pos, sal, cap, -1e4, lo=-1e6, hi=100)
    far = solve(pos, sal, cap, -1e6, lo=-1e6, hi=100)
    assert abs(far - mean) < 0.01 < abs(near - mean)


def test_no_status_quo_gives_the_compromise() -> None:
    sc = make_scenario({"a": 10, "b": 70}, {"a": 0.5, "b": 0.9}, {"a": 1, "b": 2})
    res = NashBargaining().run(sc)
    assert res.outcome("x") == pytest.approx(Compromise().run(sc).outcome("x"))
    with_sq = make_scenario({"a": 10, "b": 70}, {"a": 0.5, "b": 0.9}, {"a": 1, "b": 2},
                            status_quo=0)
    out = NashBargaining().run(with_sq).outcome("x")
    assert 0 < out < 20  # a at 10 accepts nothing beyond 20
