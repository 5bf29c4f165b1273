"""Tornado, pivotal actors, what it takes and Sobol indices on cases computed by hand.

With two or three actors and the compromise model the forecast is Σ cᵢsᵢxᵢ / Σ cᵢsᵢ, so
every number below follows from that formula.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from detente.analysis import pivotal_actors, sobol_indices, tornado, what_it_takes
from detente.errors import InputError
from tests.helpers import make_scenario

QUESTION = [{"id": "half", "text": "At least half", "op": ">=", "threshold": 50}]


def test_tornado_by_hand() -> None:
    # forecast = (x_a + x_b) / 2 with equal weights; a's range [10, 40] swings it 15
    sc = make_scenario({"a": {"value": 20, "range": [10, 40]}, "b": {"value": 80, "sd": 5}},
                       {"a": 0.5, "b": 0.5}, {"a": 1, "b": 1})
    bars = tornado(sc, "compromise", "x")
    assert [b.input for b in bars] == ["position a x", "position b x"]
    a, b = bars
    assert (a.low, a.high) == (10, 40)
    assert (a.outcome_low, a.outcome_high, a.swing) == pytest.approx((45, 60, 15))
    # b's sd: the 5th and 95th percentiles of N(80, 5²) truncated to the scale [0, 100]
    ends = stats.truncnorm(-80 / 5, 20 / 5, loc=80, scale=5).ppf([0.05, 0.95])
    assert (b.low, b.high) == pytest.approx(tuple(ends))
    assert b.swing == pytest.approx((ends[1] - ends[0]) / 2)
    assert set(a.to_dict()) == {"input", "actor", "quantity", "low", "high", "outcome_low",
                                "outcome_high", "swing"}


def test_tornado_salience_and_capability() -> None:
    sc = make_scenario({"a": 20, "b": 60}, {"a": {"value": 0.5, "range": [0.25, 1.0]}, "b": 0.5},
                       {"a": 1, "b": {"value": 1, "range": [0.5, 3]}})
    bars = {b.input: b for b in tornado(sc, "compromise", "x")}
    sal = bars["salience a x"]
    # (20 s + 60·0.5) / (s + 0.5) at both ends of a's salience range
    assert sal.outcome_low == pytest.approx((20 * 0.25 + 60 * 0.5) / 0.75)
    assert sal.outcome_high == pytest.approx((20 * 1.0 + 60 * 0.5) / 1.5)
    cap = bars["capability b"]
    assert cap.outcome_low == pytest.approx((20 * 0.5 + 60 * 0.25) / 0.75)
    assert cap.outcome_high == pytest.approx((20 * 0.5 + 60 * 1.5) / 2.0)


def test_tornado_without_uncertainty_is_empty_unless_defaults() -> None:
    from detente.uncertainty import DefaultUncertainty

    sc = make_scenario({"a": 20, "b": 60}, {"a": 0.5, "b": 0.5}, {"a": 1, "b": 1})
    assert tornado(sc, "median", "x") == []
    bars = tornado(sc, "compromise", "x", defaults=DefaultUncertainty(position=0.1))
    # sd 10 points: b's 5th-95th percentiles (truncated at 0 and 100) move the mean by half
    lo, hi = stats.truncnorm(-6, 4, loc=60, scale=10).ppf([0.05, 0.95])
    assert len(bars) == 2 and bars[0].swing == pytest.approx((hi - lo) / 2)


def test_pivotal_actors_by_hand() -> None:
    sc = make_scenario({"a": 0, "b": 50, "c": 100}, {"a": 1.0, "b": 0.5, "c": 0.5},
                       {"a": 1, "b": 2, "c": 4})
    # weights 1, 1, 2: forecast (0 + 50 + 200) / 4 = 62.5
    rows = {p.actor: p for p in pivotal_actors(sc, "compromise", "x")}
    assert rows["a"].forecast == pytest.approx(62.5)
    assert rows["a"].without == pytest.approx(250 / 3)
    assert rows["b"].without == pytest.approx(200 / 3)
    assert rows["c"].without == pytest.approx(25)
    assert rows["c"].shift == pytest.approx(25 - 62.5)
    assert rows["c"].effective_power == 2 and rows["c"].power_share == pytest.approx(0.5)
    assert [p.actor for p in pivotal_actors(sc, "compromise", "x")] == ["c", "a", "b"]


def test_what_it_takes_by_hand() -> None:
    # now (20·0.5 + 60·0.5) / 1 = 40: "at least half" is no
    sc = make_scenario({"a": 20, "b": 60}, {"a": 0.5, "b": 0.5}, {"a": 1, "b": 1},
                       questions=QUESTION)
    got = {c.quantity: c for c in what_it_takes(sc, "compromise", "a", "half")}
    assert not got["position"].answer_now
    assert got["position"].needed == pytest.approx(40, abs=1e-3)  # (x + 60)/2 = 50
    assert got["salience"].needed == pytest.approx(1 / 6, abs=1e-4)  # (20s + 30)/(s + .5) = 50
    assert got["capability"].needed == pytest.approx(1 / 3, abs=1e-4)  # (20c + 60)/(c + 1) = 50
    assert got["capability"].forecast_after == pytest.approx(50, abs=1e-2)
    b = {c.quantity: c for c in what_it_takes(sc, "compromise", "b", "half")}
    assert not b["salience"].reachable  # would need s_b = 1.5 > 1
    assert b["salience"].to_dict()["reachable"] is False
    assert b["position"].needed == pytest.approx(80, abs=1e-3)


def test_what_it_takes_errors() -> None:
    sc = make_scenario({"a": 20, "b": 60}, {"a": 0.5, "b": 0.5}, {"a": 1, "b": 1},
                       questions=QUESTION)
    with pytest.raises(InputError, match="unknown actor 'z'"):
        what_it_takes(sc, "compromise", "z", "half")
    with pytest.raises(InputError, match="unknown question 'nope'"):
        what_it_takes(sc, "compromise", "a", "nope")
    with pytest.raises(InputError, match="unknown issue 'y'"):
        tornado(sc, "compromise", "y")
    with pytest.raises(InputError, match="unknown model"):
        pivotal_actors(sc, "nope", "x")


def test_sobol_of_a_linear_forecast() -> None:
    # fixed weights 1, 2, 1: forecast = (x_a + 2 x_b + x_c) / 4, linear, so S1 = ST =
    # wᵢ² var(xᵢ) / Σ w² var; symmetric triangular ranges have var = h²/6 (half-width h)
    half = {"a": 10.0, "b": 4.0, "c": 20.0}
    mid = {"a": 30.0, "b": 50.0, "c": 60.0}
    sc = make_scenario({k: {"value": mid[k], "range": [mid[k] - half[k], mid[k] + half[k]]}
                        for k in mid}, {"a": 0.5, "b": 1.0, "c": 0.5}, {"a": 1, "b": 1, "c": 1})
    w = {"a": 1.0, "b": 2.0, "c": 1.0}
    var = {k: w[k] ** 2 * half[k] ** 2 / 6 for k in w}
    total = sum(var.values())
    res = {s.actor: s for s in sobol_indices(sc, "compromise", "x", samples=2048, seed=1)}
    for k in w:
        assert res[k].s1 == pytest.approx(var[k] / total, abs=max(0.03, res[k].s1_conf))
        assert res[k].st == pytest.approx(var[k] / total, abs=max(0.03, res[k].st_conf))
    assert [s.actor for s in sobol_indices(sc, "compromise", "x", samples=256)] == ["c", "a", "b"]
    with pytest.raises(InputError, match="power of 2"):
        sobol_indices(sc, "compromise", "x", samples=1000)


def test_sobol_constant_forecast() -> None:
    sc = make_scenario({"a": {"value": 20, "range": [10, 30]}, "b": 60}, {"a": 0.0, "b": 0.5},
                       {"a": 1, "b": 1})
    (only,) = sobol_indices(sc, "compromise", "x", samples=64)
    assert only.s1 == 0 and only.st == 0
    assert not math.isnan(only.s1)
