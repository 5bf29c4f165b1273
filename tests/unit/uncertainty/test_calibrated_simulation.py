"""Calibrated question probabilities in a simulation: the model's own error added."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.stats import norm

from detente.backtest.learned import learned
from detente.scenario import Issue
from detente.uncertainty import simulate
from detente.uncertainty.summary import summarize
from tests.helpers import EXAMPLES, make_scenario

ISSUE = Issue.model_validate({
    "id": "x", "name": "X", "questions": [
        {"id": "hi", "text": "x at least 60", "op": ">=", "threshold": 60},
        {"id": "lo", "text": "x below 30", "op": "<", "threshold": 30},
    ]})


def test_constant_forecast_gives_the_normal_tail() -> None:
    """Draws all at 50 with a model error of 0.2 of a 0–100 span: P(x >= 60) = 1 − Φ(0.5)."""
    s = summarize(np.full(4000, 50.0), ISSUE, model_error_sd=0.2)
    assert s.questions["hi"].p == 0.0
    assert s.questions["hi"].calibrated == pytest.approx(1 - norm.cdf(10 / 20))
    assert s.questions["lo"].calibrated == pytest.approx(norm.cdf(-20 / 20))


def test_spread_forecast_averages_the_tails() -> None:
    x = np.array([40.0, 70.0])
    s = summarize(x, ISSUE, model_error_sd=0.1)
    expected = np.mean(1 - norm.cdf((60 - x) / 10))
    assert s.questions["hi"].calibrated == pytest.approx(expected)
    assert s.questions["hi"].p == 0.5


def test_no_model_error_no_calibrated_field() -> None:
    s = summarize(np.full(10, 50.0), ISSUE)
    assert s.questions["hi"].calibrated is None
    assert "p_calibrated" not in s.questions["hi"].to_dict()


def test_simulation_uses_the_learned_model_errors() -> None:
    from detente.io import load

    korea = load(EXAMPLES / "korea-2018.yaml")
    sim = simulate(korea, ["compromise", "eum"], draws=500, seed=3, calibrate=True)
    sds = learned()["model_error_sd"]
    assert sim.calibration == {"compromise": sds["compromise"], "eum": sds["eum"]}
    doc = json.loads(json.dumps(sim.to_dict()))
    assert doc["calibration"]["model_error_sd"]["eum"] == sds["eum"]
    q = doc["issues"][0]["forecasts"]["compromise"]["questions"]["direct_talks_held"]
    draws = sim.samples["compromise"]["talks"]
    expected = float(np.mean(1 - norm.cdf((60 - draws) / (sds["compromise"] * 100))))
    assert q["p_calibrated"] == pytest.approx(expected)
    # calibration pulls a near-certain answer towards the middle
    assert q["p"] > 0.9 > q["p_calibrated"] > 0.5
    plain = simulate(korea, ["compromise"], draws=500, seed=3)
    assert plain.calibration == {}
    assert "calibration" not in plain.to_dict()
    np.testing.assert_array_equal(plain.samples["compromise"]["talks"], draws)


def test_model_without_learned_error_keeps_plain_probabilities() -> None:
    """The exchange model has no model error learned on DEU (it has no batched path)."""
    assert learned()["model_error_sd"].get("exchange") is None
    sc = make_scenario({"A": 20, "B": 80}, {"A": 1, "B": 1}, {"A": 1, "B": 1},
                       questions=[{"id": "q", "text": "q", "threshold": 50}])
    sim = simulate(sc, ["exchange", "compromise"], draws=20, calibrate=True)
    assert "exchange" not in sim.calibration
    assert sim.summary("exchange", "x").questions["q"].calibrated is None
    assert sim.summary("compromise", "x").questions["q"].calibrated is not None
    assert not math.isnan(sim.summary("exchange", "x").questions["q"].p)
