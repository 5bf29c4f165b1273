"""Compromise and weighted median against hand-computed results."""

from __future__ import annotations

import math

import numpy as np
import pytest

from detente.models import Compromise, IssueBatch, WeightedMedian
from detente.models.base import weighted_median
from tests.helpers import BDM1994, ROOT, make_scenario


def bdm_scenario():  # type: ignore[no-untyped-def]
    return make_scenario(
        {a: x for a, _, x, _ in BDM1994},
        {a: s / 100 for a, _, _, s in BDM1994},
        {a: c for a, c, _, _ in BDM1994},
        scale={"min": 4, "max": 10},
    )


def test_bdm_round_zero() -> None:
    """Scholz et al. (2011) report round 0 as weighted median 7.0 and weighted mean 7.39."""
    sc = bdm_scenario()
    # By hand: weights c·s sum to 67.7; Σ w·x = 4·24.8 + 7·9.3 + 10·33.6 = 500.3.
    assert Compromise().run(sc).outcome("x") == pytest.approx(500.3 / 67.7)
    assert round(Compromise().run(sc).outcome("x"), 2) == 7.39
    # Cumulative weight: 24.8 at 4, 34.1 at 7 (> 33.85 = half), so the median is 7.
    assert WeightedMedian().run(sc).outcome("x") == 7.0


def test_median_exact_half_is_midpoint() -> None:
    x = np.array([[0.0, 100.0], [0.0, 100.0]])
    w = np.array([[1.0, 1.0], [1.0, 2.0]])
    np.testing.assert_allclose(weighted_median(x, w), [50.0, 100.0])


def test_median_ignores_zero_weights() -> None:
    x = np.array([[10.0, 20.0, 90.0, 95.0]])
    w = np.array([[1.0, 0.0, 0.0, 1.0]])  # only 10 and 95 count: exact half at 10
    np.testing.assert_allclose(weighted_median(x, w), [52.5])


def test_absent_actors_do_not_count() -> None:
    batch = IssueBatch.create(
        position=np.array([[20.0, 60.0, np.nan]]),
        salience=np.array([[1.0, 1.0, 1.0]]),
        capability=np.array([[1.0, 3.0, 100.0]]),
        lower=0.0,
        upper=100.0,
    )
    assert Compromise().solve(batch).outcome[0] == pytest.approx(50.0)
    assert WeightedMedian().solve(batch).outcome[0] == 60.0


def test_zero_salience_falls_back_to_capability() -> None:
    sc = make_scenario({"A": 10, "B": 40}, {"A": 0.0, "B": 0.0}, {"A": 1, "B": 2})
    assert Compromise().run(sc).outcome("x") == pytest.approx(30.0)
    assert WeightedMedian().run(sc).outcome("x") == 40.0


def test_per_issue_capability_is_used() -> None:
    from detente.io import load

    sc = load(ROOT / "tests" / "data" / "harbour.yaml")
    # year issue at the latest snapshot: city 2026 (cap 5, sal .4), port 2025 (cap 4 on
    # this issue, sal .6); green has no stance there.
    expected = (5 * 0.4 * 2026 + 4 * 0.6 * 2025) / (5 * 0.4 + 4 * 0.6)
    assert Compromise().run(sc).outcome("year") == pytest.approx(expected)


def test_issue_without_stances() -> None:
    from detente.scenario import Scenario

    sc = Scenario.model_validate({
        "id": "t", "title": "T",
        "actors": [{"id": "A", "capability": 1}],
        "issues": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
        "stances": [{"actor": "A", "issue": "x", "position": 5, "salience": 1}],
    })
    res = Compromise().run(sc)
    assert res.outcome("x") == 5
    assert math.isnan(res.outcome("y"))
