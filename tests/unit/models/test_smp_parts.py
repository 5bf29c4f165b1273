"""The building blocks of the spatial model of politics, each checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from detente.models.smp import engine
from detente.models.smp.bargain import interpolate, round4
from detente.models.smp.challenge import best_targets
from detente.models.smp.election import (
    coalitions,
    conditional_pce,
    election,
    estimated_risk,
    markov_incentive_pce,
    markov_uniform_pce,
    ordered_product,
    ordered_sum,
    risk_attitudes,
    victory,
    vote,
)
from detente.models.smp.engine import Problems, simulate, unique_positions
from detente.models.smp.options import Settings
from detente.models.smp.utility import distance, utility


@pytest.mark.parametrize(
    ("rule", "du", "expected"),
    [
        ("Prop", 0.3, 2 * 0.3),
        ("Prop", -0.3, -2 * 0.3),
        ("Cubic", 0.3, 2 * 0.027),
        ("PropCbc", 0.3, 2 * (0.5 * 0.3 + 0.5 * 0.027)),
        ("Binary", 0.3, 2.0),
        ("Binary", 5e-9, 2 * 0.5),  # saturates only at a difference of 1e-8
        ("PropBin", 0.3, 2 * (0.8 * 0.3 + 0.2)),
        ("ASymProsp", 0.3, 2 * 0.3 * 2 / 3),  # gains count two thirds
        ("ASymProsp", -0.3, -2 * 0.3),  # losses in full
    ],
)
def test_vote_rules(rule: str, du: float, expected: float) -> None:
    got = vote(rule, 2.0, np.array(du), np.array(0.0))
    assert float(got) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("model", "p"),
    # KTAB's tutorial: a 2:1 ratio gives the stronger coalition 2/3, 4/5, 16/17, 256/257
    [("Linear", 2 / 3), ("Square", 4 / 5), ("Quartic", 16 / 17), ("Octic", 256 / 257),
     ("Binary", 1 / (1 + 1e-6))],
)
def test_victory_probability_models(model: str, p: float) -> None:
    c = np.array([[1e-8, 1.0], [2.0, 1e-8]])  # option 1 has twice option 0's support
    pv = victory(model, c)
    assert pv[1, 0] == pytest.approx(p, rel=1e-12)
    assert pv[0, 1] == pytest.approx(1 - p, rel=1e-9)
    assert pv[0, 0] == pv[1, 1] == 0.5


def test_binary_victory_interpolates_near_a_tie() -> None:
    c = np.array([[1e-8, 1.0], [1.05, 1e-8]])  # 5 % ahead: halfway to certainty
    r = 1.05 / 2.05
    expected = (r * 2.1 - 1) / 0.1
    assert victory("Binary", c)[1, 0] == pytest.approx(expected, rel=1e-9)


def test_coalitions_add_positive_votes_per_side() -> None:
    # two voters, three options; v[k, a, b] = voter k's vote for a over b
    u = np.array([[0.9, 0.5, 0.1], [0.2, 0.6, 0.4]])
    w = np.array([1.0, 2.0])
    v = vote("Prop", w[:, None, None], u[:, :, None], u[:, None, :])
    c = coalitions(v)
    assert c[1, 0] == pytest.approx(1e-8 + 2 * 0.4)  # voter 1 prefers 1 over 0
    assert c[0, 1] == pytest.approx(1e-8 + 1 * 0.4)  # voter 0 prefers 0 over 1
    assert c[2, 1] == pytest.approx(1e-8)
    assert c[1, 2] == pytest.approx(1e-8 + 0.4 + 2 * 0.2)
    assert np.all(np.diag(c) == 1e-8)


def test_coalitions_follow_ktab_lower_triangle_for_asymmetric_votes() -> None:
    # KTAB scans a > b only: with prospect voting the loss side of pair (1, 0) counts fully
    u = np.array([[0.2, 0.5]])
    v = vote("ASymProsp", np.ones((1, 1, 1)), u[:, :, None], u[:, None, :])
    c = coalitions(v)
    assert c[1, 0] == pytest.approx(1e-8 + 0.3 * 2 / 3)
    assert c[0, 1] == pytest.approx(1e-8)


def test_conditional_pce_multiplies_pairwise_victories() -> None:
    pv = np.array([[0.5, 0.8, 0.6], [0.2, 0.5, 0.3], [0.4, 0.7, 0.5]])
    p = conditional_pce(pv, np.ones(3, dtype=bool))
    raw = np.array([0.5 * 0.8 * 0.6, 0.2 * 0.5 * 0.3, 0.4 * 0.7 * 0.5])
    assert p == pytest.approx(raw / raw.sum())
    masked = conditional_pce(pv, np.array([True, False, True]))
    raw2 = np.array([0.5 * 0.6, 0.0, 0.4 * 0.5])
    assert masked == pytest.approx(raw2 / raw2.sum())


def test_markov_pces_are_stationary_distributions() -> None:
    c = np.array([[1e-8, 3.0, 1.0], [1.0, 1e-8, 2.0], [2.0, 1.0, 1e-8]])
    pv = victory("Linear", c)
    opts = np.ones(3, dtype=bool)
    p = markov_uniform_pce(pv, opts)
    assert p.sum() == pytest.approx(1.0)
    q = (pv * (p[:, None] + p[None, :])).sum(axis=1) / 3  # KTAB's update, at its fixed point
    assert q == pytest.approx(p, abs=1e-5)
    pi = markov_incentive_pce(c, "Linear", opts)
    assert pi.sum() == pytest.approx(1.0)
    assert np.all(pi > 0)


@pytest.mark.parametrize(
    ("rng", "expected"),
    [("Min", [1.0, 1 / 3, 0.0]), ("Mid", [1.0, 0.0, -0.5]), ("Max", [1.0, -1 / 3, -1.0])],
)
def test_risk_attitudes_from_probabilities(rng: str, expected: list[float]) -> None:
    p = np.array([0.5, 0.3, 0.2])
    assert risk_attitudes(p, np.ones(3, dtype=bool), rng) == pytest.approx(expected)


def test_risk_attitudes_of_equal_probabilities_are_neutral() -> None:
    r = risk_attitudes(np.array([0.5, 0.5]), np.ones(2, dtype=bool), "Mid")
    assert np.all(r == 0.0)


@pytest.mark.parametrize(
    ("adjust", "expected"),
    [("None", 0.9), ("OneThird", (1.8 - 0.3) / 3), ("Half", 0.3), ("TwoThirds", (0.9 - 0.6) / 3),
     ("Full", -0.3)],
)
def test_estimated_risk(adjust: str, expected: float) -> None:
    assert float(estimated_risk(np.array(0.9), np.array(-0.3), adjust)) == pytest.approx(expected)


def test_distance_weights_dimensions_by_salience() -> None:
    ideal = np.array([[0.2, 0.4]])
    pos = np.array([[0.6, 0.1]])
    sal = np.array([[0.3, 0.1]])
    d = distance(ideal, pos, sal)[0, 0]
    assert d == pytest.approx(np.sqrt(((0.4 * 0.3) ** 2 + (0.3 * 0.1) ** 2) / (0.09 + 0.01)))
    one = distance(np.array([[0.7]]), np.array([[0.25]]), np.array([[0.5]]))[0, 0]
    assert one == pytest.approx(0.45)


def test_utility_curves_with_risk_attitude() -> None:
    d = np.array([0.0, 0.5, 1.0])
    assert utility(d, np.zeros(3)) == pytest.approx([1.0, 0.5, 0.0])
    assert utility(d, np.ones(3)) == pytest.approx([1.0, 0.75, 0.0])  # risk averse: concave
    assert utility(d, np.full(3, -0.5)) == pytest.approx([1.0, 0.375, 0.0])


def test_round4_and_s2p2_bargain() -> None:
    assert float(round4(np.array(0.12346))) == 0.1235
    assert float(round4(np.array(0.12344))) == 0.1234
    # i: position 0.2, salience 0.5, p 0.8; j: 0.6, 0.4, 0.2 → weights 0.16 and 0.0064
    t_i, s_i, t_j, s_j = (np.array([[x]]) for x in (0.2, 0.5, 0.6, 0.4))
    b_i, b_j = interpolate("S2P2", t_i, s_i, np.array([[0.8]]), t_j, s_j, np.array([[0.2]]))
    assert float(b_i[0, 0]) == 0.2154  # (0.160001·0.2 + 0.0064·0.6) / 0.166401
    assert float(b_j[0, 0]) == 0.2154  # (0.16·0.2 + 0.006401·0.6) / 0.166401
    s1_i, s1_j = interpolate("S1P1", t_i, s_i, np.array([[0.8]]), t_j, s_j, np.array([[0.2]]))
    assert float(s1_i[0, 0]) == 0.2667  # (0.400001·0.2 + 0.08·0.6) / 0.480001
    assert float(s1_j[0, 0]) == 0.2667  # (0.4·0.2 + 0.080001·0.6) / 0.480001
    mx_i, mx_j = interpolate("S2PMax", t_i, s_i, np.array([[0.8]]), t_j, s_j, np.array([[0.2]]))
    assert float(mx_i[0, 0]) == 0.2  # the likelier winner does not move
    assert float(mx_j[0, 0]) == pytest.approx(0.6 - 0.4 * (0.6 * 0.25) / (0.15 + 1e-6 + 0.4 * 0.16))


def test_best_targets_first_of_equal_gains_and_threshold() -> None:
    gain = np.array([[-np.inf, 0.2, 0.2], [5e-6, -np.inf, -0.1], [0.3, 0.1, -np.inf]])
    target, value = best_targets(gain)
    assert target.tolist() == [1, -1, 0]
    assert value.tolist() == [0.2, 0.0, 0.3]


def test_ordered_sum_and_product_run_in_index_order() -> None:
    rng = np.random.default_rng(3)
    for shape in [(200, 1, 1), (50, 3), (40, 2, 5), (1, 4), (7,)]:
        x = rng.random(shape) * rng.choice([1e-9, 1.0, 1e9], size=shape)
        acc = np.full(shape[1:], 0.125)
        prod = np.ones(shape[1:])
        for k in range(shape[0]):
            acc = acc + x[k]
            prod = prod * (0.5 + x[k] * 1e-9)
        assert np.array_equal(ordered_sum(x.copy(), 0.125), acc)
        assert np.array_equal(ordered_product(0.5 + x * 1e-9), prod)


def test_unique_positions_follow_ktab_tolerance() -> None:
    pos = np.array([[[0.1], [0.1005], [0.2], [0.1009], [0.2011]]])
    leader = unique_positions(pos, np.ones((1, 5), dtype=bool))
    assert leader.tolist() == [[0, 0, 2, 0, 4]]  # 0.2011 is 0.0011 from 0.2: distinct


def test_election_over_identical_options_splits_evenly() -> None:
    u = np.array([[[0.5, 0.5], [0.7, 0.7]]])
    p = election("Conditional", "Linear", "Prop", np.array([[1.0, 2.0]]), u,
                 np.ones((1, 2), dtype=bool), np.ones((1, 2), dtype=bool))
    assert p.tolist() == [[0.5, 0.5]]


def test_actors_who_agree_stop_after_ktabs_minimum_of_two_turns() -> None:
    n = 4
    problems = Problems(np.full((1, n, 1), 0.4), np.full((1, n, 1), 0.5), np.ones((1, n)),
                        np.ones((1, n), dtype=bool))
    trace = simulate(problems, Settings())
    assert trace.turns.tolist() == [2]
    assert np.all(trace.positions == 0.4)
    assert np.all(trace.target == -1)
    assert trace.prob[-1, 0].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_a_lone_actor_is_not_simulated() -> None:
    problems = Problems(np.array([[[0.3], [0.9]]]), np.array([[[0.5], [0.0]]]),
                        np.ones((1, 2)), np.array([[True, False]]))
    trace = simulate(problems, Settings())
    assert trace.turns.tolist() == [0]
    assert trace.prob[0, 0, 0] == 1.0


@pytest.mark.parametrize("transitions", ["Deterministic", "Stochastic"])
def test_blocks_of_rows_change_nothing(monkeypatch: pytest.MonkeyPatch,
                                       transitions: str) -> None:
    """A batch run in blocks gives every row the same trace as one block (rows that stop
    early are padded as if they had stayed); stochastic rows keep their own generators."""
    rng = np.random.default_rng(4)
    b, n = 11, 6
    present = rng.uniform(size=(b, n)) < 0.85
    present[0, 1:] = False  # one actor: no turn at all
    problems = Problems(rng.uniform(0, 1, (b, n, 1)), rng.uniform(0.2, 1, (b, n, 1)),
                        rng.uniform(1, 10, (b, n)), present)
    settings = Settings(state_transitions=transitions)
    whole = simulate(problems, settings, seed=5)
    monkeypatch.setattr(engine, "ROW_BLOCK", 3)
    blocked = simulate(problems, settings, seed=5)
    assert len(set(whole.turns.tolist())) > 1  # the blocks end after different turns
    for name in ("positions", "risk", "leader", "prob", "turns", "converged", "target", "gain",
                 "p_win", "offer_init", "offer_rcvr", "adopted_init", "adopted_rcvr"):
        assert np.array_equal(getattr(whole, name), getattr(blocked, name), equal_nan=True), name
