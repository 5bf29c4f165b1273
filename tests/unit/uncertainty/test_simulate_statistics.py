"""Monte Carlo results against known answers, with tolerances from the standard error.

The compromise model with fixed weights w and independent normal positions N(μᵢ, σᵢ²) has
outcome Σ wᵢxᵢ / Σ wᵢ, itself normal with mean Σ wᵢμᵢ / W and variance Σ wᵢ²σᵢ² / W². The
scale is wide enough (0–10,000, positions more than 50 sd inside) that truncation is nil.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from detente.arrays import ScenarioArrays
from detente.models import Compromise, IssueForecast, Model, get_model
from detente.uncertainty import simulate
from tests.helpers import make_scenario

DRAWS = 20_000
Z = 5.0

MU = {"a": 4000.0, "b": 5000.0, "c": 6500.0}
SD = {"a": 40.0, "b": 80.0, "c": 20.0}
SAL = {"a": 0.5, "b": 1.0, "c": 0.25}
CAP = {"a": 2.0, "b": 1.0, "c": 4.0}


def _analytic() -> tuple[float, float]:
    w = {k: SAL[k] * CAP[k] for k in MU}
    total = sum(w.values())
    mean = sum(w[k] * MU[k] for k in MU) / total
    var = sum(w[k] ** 2 * SD[k] ** 2 for k in MU) / total ** 2
    return mean, math.sqrt(var)


@pytest.fixture(scope="module")
def normal_case() -> object:
    return make_scenario({k: {"value": MU[k], "sd": SD[k]} for k in MU}, SAL, CAP,
                         scale={"min": 0, "max": 10_000},
                         questions=[{"id": "high", "text": "High", "op": ">=",
                                     "threshold": 5010.0}])


def test_compromise_normal_mean_and_variance(normal_case: object) -> None:
    mean, sd = _analytic()
    sim = simulate(normal_case, ["compromise"], draws=DRAWS, seed=3)  # type: ignore[arg-type]
    x = sim.samples["compromise"]["x"]
    assert x.shape == (DRAWS,)
    assert abs(x.mean() - mean) < Z * sd / math.sqrt(DRAWS)
    # the sample variance of N normal draws has relative sd sqrt(2/(N-1))
    assert abs(x.var(ddof=1) / sd ** 2 - 1) < Z * math.sqrt(2 / (DRAWS - 1))
    s = sim.summary("compromise", "x")
    assert s.mean == pytest.approx(x.mean())
    assert s.sd == pytest.approx(x.std(ddof=1))
    # percentiles: the 5 % quantile's standard error is sqrt(q(1-q)/N) / density
    for q, got in ((0.05, s.interval[0]), (0.5, s.median), (0.95, s.interval[1])):
        true = stats.norm.ppf(q, mean, sd)
        se = math.sqrt(q * (1 - q) / DRAWS) / stats.norm.pdf(true, mean, sd)
        assert abs(got - true) < Z * se


def test_question_probability_and_its_standard_error(normal_case: object) -> None:
    mean, sd = _analytic()
    sim = simulate(normal_case, ["compromise"], draws=DRAWS, seed=4)  # type: ignore[arg-type]
    p_true = 1 - stats.norm.cdf(5010.0, mean, sd)
    got = sim.summary("compromise", "x").questions["high"]
    assert abs(got.p - p_true) < Z * math.sqrt(p_true * (1 - p_true) / DRAWS)
    assert got.se == pytest.approx(math.sqrt(got.p * (1 - got.p) / DRAWS))


def test_json_document(normal_case: object) -> None:
    sim = simulate(normal_case, ["compromise", "median"], draws=500, seed=1)  # type: ignore[arg-type]
    doc = sim.to_dict()
    assert doc["draws"] == 500 and doc["seed"] == 1
    assert set(doc["models"]) == {"compromise", "median"}
    assert {"label", "citation", "parameters"} <= set(doc["models"]["median"])
    (issue,) = doc["issues"]
    assert issue["scale"] == {"min": 0.0, "max": 10_000.0, "unit": None}
    fc = issue["forecasts"]["compromise"]
    assert set(fc) >= {"mean", "median", "sd", "interval", "questions", "histogram"}
    assert len(fc["histogram"]["edges"]) == 41 and len(fc["histogram"]["counts"]) == 40
    assert fc["histogram"]["edges"][0] == 0 and fc["histogram"]["edges"][-1] == 10_000
    assert sum(fc["histogram"]["counts"]) == 500
    assert set(fc["questions"]["high"]) == {"p", "se"}
    assert fc["interval"][0] <= fc["median"] <= fc["interval"][1]


class ArraysOnlyCompromise(Model):
    """The compromise model reached only through ``run_arrays`` (the per-draw fallback)."""

    name = "compromise_arrays"
    label = "Compromise via run_arrays"
    citation = Compromise.citation

    def run_arrays(self, arrays: ScenarioArrays) -> dict[str, IssueForecast]:
        return Compromise().run_arrays(arrays)


def test_fallback_path_gives_the_batch_distribution() -> None:
    sc = make_scenario({"a": {"value": 30, "sd": 10}, "b": {"value": 70, "range": [50, 90]},
                        "c": 55},
                       {"a": {"value": 0.6, "sd": 0.2}, "b": 0.8, "c": {"value": 0.5,
                                                                         "range": [0.2, 0.9]}},
                       {"a": 1, "b": {"value": 2, "sd": 0.5}, "c": 1})
    batch = simulate(sc, [Compromise()], draws=300, seed=9)
    loop = simulate(sc, [ArraysOnlyCompromise()], draws=300, seed=9, chunk=64)
    assert loop.samples["compromise_arrays"]["x"] == pytest.approx(
        batch.samples["compromise"]["x"], rel=1e-12)
    assert np.std(batch.samples["compromise"]["x"]) > 1.0  # the inputs do vary


def test_exact_inputs_give_the_point_forecast() -> None:
    sc = make_scenario({"a": 20, "b": 60}, {"a": 0.5, "b": 1.0}, {"a": 1, "b": 1})
    sim = simulate(sc, ["compromise", "eum"], draws=64, seed=0)
    for name in ("compromise", "eum"):
        point = get_model(name).run(sc).outcome("x")
        assert np.all(sim.samples[name]["x"] == point)
        assert sim.summary(name, "x").sd == 0
