"""Backtest metrics and the ensemble on small cases computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from detente.backtest import backtest, brier, mae, reliability, within
from detente.backtest.ensemble_cv import cross_validate, fold_of, issue_group
from detente.backtest.metrics import absolute_errors
from detente.errors import InputError
from detente.io.document import scenario_from_document
from detente.models import Compromise, WeightedMedian
from detente.models.base import IssueBatch
from detente.models.ensemble import Ensemble, fit_weights


def test_metrics_by_hand() -> None:
    err = absolute_errors(np.array([10.0, 50.0, 95.0]), np.array([0.0, 65.0, 100.0]))
    assert err.tolist() == [10.0, 15.0, 5.0]
    assert mae(err) == pytest.approx(10.0)
    assert within(err, 10) == pytest.approx(2 / 3)
    assert within(err, 20) == 1.0
    # a 2024-2030 scale: 1.5 years off is 25 points of 100
    assert absolute_errors(np.array([2026.0]), np.array([2027.5]), 6.0).tolist() == [25.0]
    assert brier(np.array([1.0, 0.0, 0.7, 0.2]), np.array([1, 0, 0, 1])) == pytest.approx(
        (0 + 0 + 0.49 + 0.64) / 4)


def test_reliability_table_by_hand() -> None:
    p = np.array([0.05, 0.08, 0.55, 0.95, 1.0])
    y = np.array([0, 1, 1, 1, 0])
    table = reliability(p, y)
    assert len(table) == 10
    assert table[0].n == 2 and table[0].mean_p == pytest.approx(0.065)
    assert table[0].observed == 0.5
    assert table[5].n == 1 and table[5].observed == 1.0
    assert table[9].n == 2 and table[9].mean_p == pytest.approx(0.975)
    assert table[3].n == 0 and table[3].observed is None


def _fixture() -> object:
    """Two issues with outcomes, one without; two actors of equal weight."""
    doc = {
        "id": "bt", "title": "Backtest fixture",
        "actors": [{"id": "a", "capability": 1}, {"id": "b", "capability": 3}],
        "issues": [
            {"id": "p", "name": "P", "outcome": {"value": 40, "description": "d"},
             "questions": [{"id": "hi", "text": "High", "op": ">=", "threshold": 50}]},
            {"id": "q", "name": "Q", "outcome": {"value": 90, "description": "d"}},
            {"id": "r", "name": "R"},
        ],
        "stances": [
            {"actor": "a", "issue": "p", "position": 0, "salience": 1},
            {"actor": "b", "issue": "p", "position": 80, "salience": 1},
            {"actor": "a", "issue": "q", "position": 100, "salience": 0.5},
            {"actor": "b", "issue": "q", "position": 60, "salience": 0.5},
            {"actor": "a", "issue": "r", "position": 10, "salience": 1},
            {"actor": "b", "issue": "r", "position": 20, "salience": 1},
        ],
    }
    return scenario_from_document(doc, default_salience_scale="0-1")


def test_backtest_fixture_by_hand() -> None:
    sc = _fixture()
    bt = backtest(sc, ["compromise", "median"], draws=0, ensemble=False)  # type: ignore[arg-type]
    s = bt.snapshots[0]
    # compromise: p = (0 + 3·80)/4 = 60 (error 20), q = (100 + 3·60)/4 = 70 (error 20)
    assert s.forecasts["compromise"].tolist() == [60.0, 70.0]
    comp = s.scores["compromise"]
    assert (comp.n, comp.mae, comp.within_10, comp.within_20) == (2, 20.0, 0.0, 1.0)
    # median: b holds 3/4 of the weight: 80 and 60, errors 40 and 30
    assert s.scores["median"].mae == 35.0
    # only p has a named question (outcome 40 → no); both models say yes at 60 and 80
    assert [(i, q.id, y) for i, q, y in s.questions] == [("p", "hi", False)]
    assert comp.accuracy == 0.0 and comp.brier is None
    doc = bt.to_dict()
    assert doc["models"]["compromise"]["mae"] == 20.0
    assert doc["models"]["compromise"]["n"] == 2


def test_backtest_probabilities_and_midpoint_questions() -> None:
    sc = scenario_from_document({
        "id": "mid", "title": "Midpoint",
        "actors": [{"id": "a", "capability": 1}, {"id": "b", "capability": 1}],
        "issues": [{"id": "p", "name": "P", "outcome": {"value": 70, "description": "d"}}],
        "stances": [{"actor": "a", "issue": "p", "position": 40, "salience": 1},
                    {"actor": "b", "issue": "p", "position": 80, "salience": 1}],
    }, default_salience_scale="0-1")
    bt = backtest(sc, ["compromise"], draws=400, seed=2, ensemble=False)
    s = bt.snapshots[0]
    ((issue, q, yes),) = s.questions
    assert (issue, q.op, q.threshold, yes) == ("p", ">=", 50.0, True)
    p = s.probabilities["compromise"][0]
    assert 0.5 < p < 1.0  # forecast 60 ± 10-point noise per position
    assert s.scores["compromise"].brier == pytest.approx((1 - p) ** 2)


def test_backtest_errors() -> None:
    sc = _fixture()
    with pytest.raises(InputError, match="--draws"):
        backtest(sc, draws=-1)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="--folds"):
        backtest(sc, draws=0, folds=1)  # type: ignore[arg-type]
    no_outcome = scenario_from_document({
        "id": "n", "title": "N", "actors": [{"id": "a", "capability": 1}],
        "issues": [{"id": "p", "name": "P"}],
        "stances": [{"actor": "a", "issue": "p", "position": 1, "salience": 1}]},
        default_salience_scale="0-1")
    with pytest.raises(InputError, match="no issue has a recorded outcome"):
        backtest(no_outcome, draws=0)


def test_fit_weights_recovers_a_convex_combination() -> None:
    rng = np.random.default_rng(0)
    f = rng.uniform(0, 100, (50, 3))
    y = f @ np.array([0.2, 0.0, 0.8])
    assert fit_weights(f, y) == pytest.approx([0.2, 0.0, 0.8], abs=1e-6)
    assert fit_weights(f[:, :1], y).tolist() == [1.0]


def test_folds_keep_groups_together() -> None:
    groups = ["g1", "g1", "g2", "g3", "g3", "g3", "g4", "g5", "g6"]
    fold = fold_of(groups, 3, seed=1)
    for g in set(groups):
        assert len({fold[k] for k, x in enumerate(groups) if x == g}) == 1
    assert set(fold.tolist()) == {0, 1, 2}
    assert fold_of(groups, 3, seed=1).tolist() == fold.tolist()


def test_cross_validation_is_out_of_fold() -> None:
    # member 0 is right everywhere except in group "odd", where member 1 is: the held-out
    # weights of that fold must come from the other folds only
    f = np.array([[10.0, 0.0]] * 8 + [[0.0, 30.0]] * 2)
    y = np.array([10.0] * 8 + [30.0] * 2)
    groups = [f"g{k}" for k in range(8)] + ["odd", "odd"]
    cv = cross_validate(f, y, groups, folds=5, seed=0)
    fold = fold_of(groups, 5, seed=0)
    held = fold == fold[-1]
    assert cv.fold_weights[fold[-1]] == pytest.approx([1.0, 0.0], abs=1e-6)
    assert cv.forecasts[held][-2:] == pytest.approx([0.0, 0.0], abs=1e-5)


def test_issue_group_reads_the_deu_proposal() -> None:
    from detente.scenario import Issue

    deu = Issue(id="d00060i1", name="x", description="DEU III proposal d00060 (buses); issue 1")
    assert issue_group(deu) == "d00060"
    assert issue_group(Issue(id="talks", name="t")) == "talks"


def test_ensemble_model_is_the_weighted_sum() -> None:
    rng = np.random.default_rng(1)
    batch = IssueBatch.create(position=rng.uniform(0, 100, (20, 5)),
                              salience=rng.uniform(0.1, 1, (20, 5)),
                              capability=rng.uniform(1, 5, (20, 5)), lower=0, upper=100)
    ens = Ensemble(members=("compromise", "median"), weights=(1.0, 3.0))
    expected = (0.25 * Compromise().solve(batch).outcome
                + 0.75 * WeightedMedian().solve(batch).outcome)
    assert ens.solve(batch).outcome == pytest.approx(expected)
    learned = Ensemble.learned()
    assert learned.members == ("compromise", "median", "eum")
    assert sum(learned.weights) == pytest.approx(1.0)
    with pytest.raises(InputError, match="weights"):
        Ensemble(members=("compromise",), weights=(1.0, 2.0))
    with pytest.raises(InputError, match=">= 0"):
        Ensemble(members=("compromise", "median"), weights=(-1.0, 2.0))


def test_calibrated_probabilities_by_hand() -> None:
    from scipy.stats import norm

    from detente.backtest.calibration import fit_sigma, probabilities
    from detente.scenario import Question

    up = Question(id="u", text="u", op=">=", threshold=50)
    down = Question(id="d", text="d", op="<=", threshold=50)
    x = np.array([[40.0, 40.0], [60.0, 40.0]])  # two draws, two questions
    span = np.array([100.0, 100.0])
    # σ = 0: shares of draws; σ = 0.1: mean of Φ(±(x − 50)/10)
    assert probabilities(x, [up, down], span, 0.0).tolist() == [0.5, 1.0]
    p = probabilities(x, [up, down], span, 0.1)
    assert p[0] == pytest.approx((norm.cdf(-1) + norm.cdf(1)) / 2)
    assert p[1] == pytest.approx(norm.cdf(1))
    # forecasts always on the right side: no model error fits best; always wrong: large
    right = np.array([[70.0, 30.0, 80.0]])
    qs = [up, up, up]
    three = np.full(3, 100.0)
    assert fit_sigma(right, qs, three, np.array([1.0, 0.0, 1.0])) == 0.0
    assert fit_sigma(right, qs, three, np.array([0.0, 1.0, 0.0])) == 1.0


def test_paired_difference_by_hand() -> None:
    from detente.backtest.metrics import paired_difference

    base = np.array([10.0, 20.0, 30.0, 40.0])
    # one case a, one case b: the model is better by 2 on every issue
    d = paired_difference(base - 2.0, base, ["a", "a", "b", "b"], draws=500, seed=3)
    assert (d.n, d.cases, d.difference) == (4, 2, -2.0)
    assert d.low == d.high == -2.0 and d.clear
    # better on case a, worse on case b by as much: the interval straddles 0
    d = paired_difference(base + np.array([-5, -5, 5, 5]), base, ["a", "a", "b", "b"])
    assert d.difference == 0.0 and d.low == -5.0 and d.high == 5.0 and not d.clear
    # resampling by case: a resample is the mean over its cases' issues, weighted by size
    d = paired_difference(np.array([1.0, 1.0, 1.0, 4.0]), np.zeros(4), ["a", "a", "a", "b"],
                          draws=2000)
    assert d.difference == 1.75 and d.low == 1.0 and d.high == 4.0
    # issues either side lacks are left out; the same seed gives the same interval
    e = np.array([1.0, np.nan, 3.0, 0.0, 2.0, 5.0])
    first = paired_difference(e, np.ones(6), list("abcdef"), seed=1)
    assert first.n == 5 and first == paired_difference(e, np.ones(6), list("abcdef"), seed=1)
    assert first.low < first.difference < first.high


def test_backtest_compares_every_model_with_compromise() -> None:
    sc = _fixture()
    bt = backtest(sc, ["median"], draws=0, ensemble=False)  # type: ignore[arg-type]
    d = bt.snapshots[0].scores["median"].vs_baseline
    # median errors 40, 30; compromise (run as the baseline) 20, 20; two cases of one issue
    assert d is not None and (d.n, d.cases, d.difference) == (2, 2, 15.0)
    assert (d.low, d.high) == (10.0, 20.0) and d.clear
    assert bt.to_dict()["models"]["median"]["vs_baseline"]["excludes_zero"] is True
