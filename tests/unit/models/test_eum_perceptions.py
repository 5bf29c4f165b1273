"""EUM perceptions: each actor's view of each other actor, against a plain per-pair reading."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from detente.models.base import IssueBatch
from detente.models.eum import QUADRANTS, ExpectedUtility, perceptions
from tests.helpers import BDM1994, make_scenario

NAMES = [r[0] for r in BDM1994]


def batch() -> IssueBatch:
    return IssueBatch.create(
        position=np.array([[r[2] for r in BDM1994]], float),
        salience=np.array([[r[3] / 100 for r in BDM1994]]),
        capability=np.array([[r[1] for r in BDM1994]]),
    )


def plain_expected_utilities(
    x: list[float], s: list[float], c: list[float]
) -> tuple[list[list[float]], list[list[float]]]:
    """E^i(U_ij) and E^i(U_ji) at Q = 1, one pair at a time (Scholz et al. 2011, eqs. 15-33).

    Probabilities divide each pair's votes by the votes over all pairs; i judges both
    utilities with its own risk exponent.
    """
    n = len(x)
    w = [a * b for a, b in zip(c, s, strict=True)]
    span = max(x) - min(x)

    def d(a: float, b: float) -> float:
        return abs(a - b) / span

    def probs(r: list[float]) -> list[list[float]]:
        def vote(k: int, i: int, j: int) -> float:  # k's vote for i over j
            return w[k] * (d(x[k], x[j]) ** r[k] - d(x[k], x[i]) ** r[k])

        total = sum(abs(vote(k, i, j)) for k in range(n) for i in range(n) for j in range(n))
        return [[sum(max(0.0, vote(k, i, j)) for k in range(n)) / total
                 if x[i] != x[j] else 0.0 for j in range(n)] for i in range(n)]

    def eu(i: int, j: int, r: float, p: list[list[float]]) -> float:  # i challenging j
        u_s = 2 - 4 * (0.5 - 0.5 * d(x[i], x[j])) ** r
        u_f = 2 - 4 * (0.5 + 0.5 * d(x[i], x[j])) ** r
        u_sq = 2 - 4 * 0.5**r
        return s[j] * (p[i][j] * u_s + (1 - p[i][j]) * u_f) + (1 - s[j]) * u_s - u_sq

    ones = [1.0] * n
    p1 = probs(ones)
    danger = [sum(eu(j, i, 1.0, p1) for j in range(n) if j != i) for i in range(n)]
    hi, lo = max(danger), min(danger)
    big_r = [(2 * g - hi - lo) / (hi - lo) for g in danger]
    r = [(1 - b / 3) / (1 + b / 3) for b in big_r]
    p = probs(r)
    mine = [[eu(i, j, r[i], p) for j in range(n)] for i in range(n)]
    theirs = [[eu(j, i, r[i], p) for j in range(n)] for i in range(n)]
    return mine, theirs


def test_round_zero_matches_plain_reading() -> None:
    per = perceptions(batch())
    x = [float(r[2]) for r in BDM1994]
    mine, theirs = plain_expected_utilities(x, [r[3] / 100 for r in BDM1994],
                                            [r[1] for r in BDM1994])
    for i, j in itertools.product(range(len(x)), repeat=2):
        if x[i] == x[j]:
            assert np.isnan(per.challenge[0, i, j])
            assert per.region(0, i, j) == "none"
            continue
        assert per.challenge[0, i, j] == pytest.approx(mine[i][j], abs=1e-9)
        assert per.challenged[0, i, j] == pytest.approx(theirs[i][j], abs=1e-9)


def test_regions_follow_the_signs() -> None:
    per = perceptions(batch())
    a, b, q = per.challenge[0], per.challenged[0], per.quadrant[0]
    ok = ~np.isnan(a)
    assert np.all(q[~ok] == 0)
    names = np.array(QUADRANTS)[q]
    assert np.all(names[ok & (a > 0) & (b > 0)] == "conflict")
    assert np.all(names[ok & (a <= 0) & (b <= 0)] == "status quo")
    mixed = ok & ((a > 0) != (b > 0))
    assert np.all(np.isin(names[mixed], ["compromise", "capitulation"]))
    # who yields: the side whose expected utility is lower
    assert np.all(per.yields[0][mixed] == np.where(a[mixed] > b[mixed], -1, 1))
    # i's view of (i, j) and j's view of (j, i) are different numbers: each uses its own r
    assert not np.allclose(np.nan_to_num(a), np.nan_to_num(b.T))


def test_regions_predict_round_one_moves() -> None:
    """An actor moves in round 1 exactly when it sees some actor it must yield to."""
    bt = batch()
    per = perceptions(bt)
    sol = ExpectedUtility().solve(bt)
    assert sol.positions is not None
    moved = np.abs(sol.positions[1, 0] - sol.positions[0, 0]) > 1e-9
    must_yield = (per.yields[0] == 1).any(axis=1)
    assert moved.tolist() == must_yield.tolist()
    belgium, france = NAMES.index("Belgium"), NAMES.index("France")
    assert per.region(0, belgium, france) == "compromise"
    assert per.yields[0, belgium, france] == 1


def test_later_round_uses_the_positions_reached() -> None:
    bt = batch()
    sol = ExpectedUtility(rounds=2, tolerance=0).solve(bt)
    assert sol.positions is not None
    second = perceptions(bt, at_round=1)
    moved = np.abs(sol.positions[2, 0] - sol.positions[1, 0]) > 1e-9
    assert moved.tolist() == (second.yields[0] == 1).any(axis=1).tolist()
    same = np.isclose(sol.positions[1, 0][:, None], sol.positions[1, 0][None, :])
    assert np.all(second.quadrant[0][same] == 0)


def test_arrays_and_absent_actors() -> None:
    sc = make_scenario({"a": 10, "b": 60, "c": 90}, {"a": 0.9, "b": 0.5, "c": 0.4},
                       {"a": 2, "b": 1, "c": 1})
    per = perceptions(sc.arrays())
    assert per.challenge.shape == (1, 3, 3)
    assert np.isnan(np.diagonal(per.challenge[0])).all()
    with pytest.raises(ValueError, match="at_round"):
        perceptions(sc.arrays(), at_round=-1)
    # an empty slot takes no part: its row and column are "none", the rest is unchanged
    bt = IssueBatch.create(position=np.array([[10, 60, np.nan, 90]]),
                           salience=np.array([[0.9, 0.5, 0.7, 0.4]]),
                           capability=np.array([[2, 1, 5, 1]]))
    gap = perceptions(bt)
    assert np.all(gap.quadrant[0, 2] == 0)
    assert np.all(gap.quadrant[0, :, 2] == 0)
    keep = [0, 1, 3]
    np.testing.assert_allclose(gap.challenge[0][np.ix_(keep, keep)], per.challenge[0])
