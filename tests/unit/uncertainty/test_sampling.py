"""Sampling from stated uncertainty: distributions, bounds, seeds, blocks and chunks.

Tolerances follow from the Monte Carlo standard error: a sample mean of N draws from a
distribution with standard deviation σ lies within 5σ/√N of the true mean except with
probability about 6e-7; the seeds are fixed, so each test either always passes or always
fails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from detente.errors import InputError
from detente.uncertainty import DefaultUncertainty, scenario_inputs, simulate
from detente.uncertainty.inputs import (
    pert_quantile,
    triangular_quantile,
    truncated_normal_quantile,
)
from detente.uncertainty.sampling import BLOCK, Sampler, block_uniforms
from tests.helpers import make_scenario

N = 40_000
Z = 5.0  # standard errors allowed


def _mean_ok(x: np.ndarray, mean: float, sd: float) -> None:
    assert abs(x.mean() - mean) < Z * sd / math.sqrt(x.size), (x.mean(), mean)


def test_truncated_normal_matches_scipy() -> None:
    u = np.random.default_rng(1).random(N)
    x = truncated_normal_quantile(u, 90.0, 15.0, 0.0, 100.0)
    dist = stats.truncnorm((0 - 90) / 15, (100 - 90) / 15, loc=90, scale=15)
    assert x.min() >= 0 and x.max() <= 100
    _mean_ok(x, dist.mean(), dist.std())
    # the quantile function itself equals scipy's
    q = np.array([0.01, 0.3, 0.5, 0.9])
    assert truncated_normal_quantile(q, 90.0, 15.0, 0.0, 100.0) == pytest.approx(dist.ppf(q))


def test_triangular_and_pert_means() -> None:
    u = np.random.default_rng(2).random(N)
    a, c, b = 10.0, 20.0, 60.0
    tri = triangular_quantile(u, a, c, b)
    tri_sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    _mean_ok(tri, (a + b + c) / 3, tri_sd)
    assert triangular_quantile(np.array([0.0, 1.0]), a, c, b) == pytest.approx([a, b])
    pert = pert_quantile(u, a, c, b)
    alpha, beta = 1 + 4 * (c - a) / (b - a), 1 + 4 * (b - c) / (b - a)
    pert_sd = (b - a) * math.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    _mean_ok(pert, (a + 4 * c + b) / 6, pert_sd)
    assert pert.min() >= a and pert.max() <= b


def test_blocks_do_not_depend_on_the_request() -> None:
    whole = block_uniforms(7, 0, 5 * BLOCK, 3)
    part = block_uniforms(7, 2 * BLOCK, 3 * BLOCK + 5, 3)
    assert np.array_equal(part, whole[2 * BLOCK: 3 * BLOCK + 5])
    assert not np.array_equal(block_uniforms(8, 0, BLOCK, 3), whole[:BLOCK])
    with pytest.raises(ValueError, match="block boundary"):
        block_uniforms(7, 3, 10, 3)


def _three_actors(**pos: object) -> object:
    return make_scenario(
        {"a": pos.get("a", 20.0), "b": pos.get("b", 50.0), "c": pos.get("c", 90.0)},  # type: ignore[dict-item]
        {"a": 0.5, "b": 1.0, "c": 0.25},
        {"a": 2.0, "b": 1.0, "c": 4.0},
    )


def test_actor_capability_is_one_input_for_all_issues() -> None:
    from detente.io.document import scenario_from_document

    doc = {
        "id": "two", "title": "Two issues",
        "actors": [{"id": "a", "capability": {"value": 2, "sd": 1}}, {"id": "b", "capability": 1}],
        "issues": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
        "stances": [
            {"actor": "a", "issue": "x", "position": 10, "salience": 1},
            {"actor": "a", "issue": "y", "position": 10, "salience": 1,
             "capability": {"value": 3, "range": [2, 5]}},
            {"actor": "b", "issue": "x", "position": 90, "salience": 1},
            {"actor": "b", "issue": "y", "position": 90, "salience": 1},
        ],
    }
    sc = scenario_from_document(doc, default_salience_scale="0-1")
    inputs = scenario_inputs(sc, 0)
    caps = [x for x in inputs if x.quantity == "capability" and x.uncertain]
    assert [(x.actor, x.issue, x.kind) for x in caps] == [("a", None, "normal"),
                                                          ("a", "y", "triangular")]
    sampled = Sampler(sc.arrays(), inputs).sample(3, 0, 500)
    assert np.all(sampled.capability > 0)
    assert sampled.capability[:, 0, 1].min() >= 2 and sampled.capability[:, 0, 1].max() <= 5
    assert np.all(sampled.capability[:, 1, :] == 1.0)  # b states no uncertainty


def test_defaults_apply_only_where_nothing_is_stated() -> None:
    sc = _three_actors()
    none = scenario_inputs(sc, 0)
    assert not any(x.uncertain for x in none)
    some = scenario_inputs(sc, 0, DefaultUncertainty(position=0.1, salience=0.05,
                                                     capability=0.2))
    pos = [x for x in some if x.quantity == "position"]
    assert all(x.kind == "normal" and x.sd == pytest.approx(10.0) for x in pos)
    cap = [x for x in some if x.quantity == "capability"]
    assert [x.sd for x in cap] == pytest.approx([0.4, 0.2, 0.8])
    with pytest.raises(InputError, match="--position-sd"):
        DefaultUncertainty(position=-1)


def test_stated_uncertainty_wins_over_defaults() -> None:
    sc = make_scenario({"a": {"value": 40, "range": [30, 55]}, "b": 60}, {"a": 1, "b": 1},
                       {"a": 1, "b": 1})
    inputs = scenario_inputs(sc, 0, DefaultUncertainty(position=0.2), shape="pert")
    by_actor = {x.actor: x for x in inputs if x.quantity == "position"}
    assert by_actor["a"].kind == "pert" and (by_actor["a"].low, by_actor["a"].high) == (30, 55)
    assert by_actor["b"].kind == "normal" and by_actor["b"].sd == pytest.approx(20.0)
    with pytest.raises(InputError, match="range shape"):
        scenario_inputs(sc, 0, shape="uniform")  # type: ignore[arg-type]


def test_simulate_reproducible_and_chunk_independent() -> None:
    sc = make_scenario({"a": {"value": 30, "sd": 10}, "b": {"value": 70, "range": [50, 90]}},
                       {"a": {"value": 0.6, "sd": 0.2}, "b": 0.8}, {"a": 1, "b": 2})
    one = simulate(sc, ["compromise", "eum"], draws=1000, seed=11)
    again = simulate(sc, ["compromise", "eum"], draws=1000, seed=11, chunk=64)
    prefix = simulate(sc, ["compromise", "eum"], draws=300, seed=11, chunk=128)
    other = simulate(sc, ["compromise"], draws=1000, seed=12)
    for m in ("compromise", "eum"):
        assert np.array_equal(one.samples[m]["x"], again.samples[m]["x"])
        assert np.array_equal(one.samples[m]["x"][:300], prefix.samples[m]["x"])
    assert not np.array_equal(one.samples["compromise"]["x"], other.samples["compromise"]["x"])


def test_workers_do_not_change_the_result() -> None:
    sc = make_scenario({"a": {"value": 30, "sd": 10}, "b": 70}, {"a": 0.6, "b": 0.8},
                       {"a": 1, "b": 2})
    serial = simulate(sc, ["compromise"], draws=2000, seed=5, chunk=256)
    parallel = simulate(sc, ["compromise"], draws=2000, seed=5, chunk=256, workers=2)
    assert np.array_equal(serial.samples["compromise"]["x"],
                          parallel.samples["compromise"]["x"])


def test_workers_do_not_change_the_compiled_eum() -> None:
    """The compiled engine first runs here, then in forked worker processes (one thread
    each); the draws are the same bytes either way."""
    sc = make_scenario({"a": {"value": 30, "sd": 10}, "b": {"value": 70, "range": [50, 90]},
                        "c": 55}, {"a": 0.6, "b": 0.8, "c": {"value": 0.5, "sd": 0.2}},
                       {"a": 1, "b": 2, "c": 1.5})
    serial = simulate(sc, ["eum"], draws=3000, seed=5, chunk=512)
    parallel = simulate(sc, ["eum"], draws=3000, seed=5, chunk=512, workers=2)
    assert np.array_equal(serial.samples["eum"]["x"], parallel.samples["eum"]["x"])


@pytest.mark.parametrize("draws", [0, -5, 2.5, True])
def test_bad_draws(draws: object) -> None:
    with pytest.raises(InputError, match="--draws"):
        simulate(_three_actors(), draws=draws)  # type: ignore[arg-type]


def test_unknown_model_and_bad_seed() -> None:
    with pytest.raises(InputError, match="unknown model"):
        simulate(_three_actors(), ["nope"], draws=10)
    with pytest.raises(InputError, match="--seed"):
        simulate(_three_actors(), draws=10, seed=-1)
    with pytest.raises(InputError, match="--workers"):
        simulate(_three_actors(), draws=10, workers=-1)
