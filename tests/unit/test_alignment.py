"""Alignment: distances by hand, blocs, the map, moves, and the Korea case."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import detente
from detente.analysis.alignment import alignment, blocs, classical_mds, pair_distances, realign
from detente.errors import InputError
from detente.io.document import scenario_from_document
from tests.helpers import EXAMPLES


def three_issue_scenario() -> detente.Scenario:
    stances = {  # actor: [(position, salience) on issues p (0-100), q (0-10), r (0-1)]
        "a": [(0, 1.0), (0, 0.5), None],
        "b": [(50, 0.5), (10, 0.5), (1, 1.0)],
        "c": [(100, 0.0), None, (0, 0.0)],
    }
    scales = {"p": (0, 100), "q": (0, 10), "r": (0, 1)}
    doc = {
        "id": "t", "title": "T",
        "actors": [{"id": a, "capability": 1} for a in stances],
        "issues": [{"id": k, "name": k, "scale": {"min": lo, "max": hi}}
                   for k, (lo, hi) in scales.items()],
        "stances": [{"actor": a, "issue": k, "position": v[0], "salience": v[1]}
                    for a, vals in stances.items() for k, v in zip(scales, vals, strict=True)
                    if v is not None],
    }
    return scenario_from_document(doc, default_salience_scale="0-1")


def test_distances_by_hand() -> None:
    al = alignment(three_issue_scenario())
    # a-b: p: gap .5, weight (1+.5)/2=.75; q: gap 1, weight .5  -> (.375+.5)/1.25 = .7
    assert al.between("a", "b") == pytest.approx(0.7)
    # a-c share only p: gap 1, weight .5 -> 1
    assert al.between("a", "c") == pytest.approx(1.0)
    # b-c: p gap .5 weight .25, r gap 1 weight .5 -> (.125 + .5)/.75
    assert al.between("b", "c") == pytest.approx(0.625 / 0.75)
    assert al.shared.tolist() == [[2, 2, 1], [2, 3, 2], [1, 2, 2]]
    assert al.similarity("a", "b") == pytest.approx(0.3)
    assert al.nearest("c") == ("b", pytest.approx(0.625 / 0.75))


def test_zero_salience_and_no_common_issue() -> None:
    x = np.array([[0.0, np.nan], [1.0, np.nan], [np.nan, 0.3]])
    s = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    d, shared = pair_distances(x, s, np.isfinite(x))
    assert d[0, 1] == 1.0  # no salience anywhere: the plain mean
    assert np.isnan(d[0, 2]) and shared[0, 2] == 0


def test_mds_recovers_a_configuration() -> None:
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(9, 2))
    d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
    coords, shown = classical_mds(d)
    assert shown == pytest.approx(1.0)
    back = np.linalg.norm(coords[:, None] - coords[None], axis=2)
    np.testing.assert_allclose(back, d, atol=1e-9)


def test_blocs_cut_at_the_threshold() -> None:
    d = np.array([[0, .05, .9, .8], [.05, 0, .85, .9], [.9, .85, 0, .1], [.8, .9, .1, 0]])
    assert blocs(d, 0.2).tolist() == [1, 1, 2, 2]
    assert blocs(d, 0.05).tolist() == [1, 1, 2, 3]
    assert blocs(d, 2.0).tolist() == [1, 1, 1, 1]
    with pytest.raises(InputError, match="threshold"):
        realign(three_issue_scenario(), threshold=0)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 7), st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_distance_invariants(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, m))
    s = rng.uniform(size=(n, m))
    present = rng.uniform(size=(n, m)) < 0.8
    d, shared = pair_distances(x, s, present)
    finite = np.isfinite(d)
    assert np.all((d[finite] >= -1e-12) & (d[finite] <= 1 + 1e-12))
    np.testing.assert_allclose(np.nan_to_num(d, nan=-1), np.nan_to_num(d.T, nan=-1))
    assert np.all(np.diag(d)[present.any(axis=1)] == 0)
    perm = rng.permutation(n)
    d2, _ = pair_distances(x[perm], s[perm], present[perm])
    np.testing.assert_allclose(np.nan_to_num(d2, nan=-1),
                               np.nan_to_num(d[np.ix_(perm, perm)], nan=-1))
    assert np.array_equal(shared, shared.T)


@pytest.fixture(scope="module")
def korea() -> detente.Scenario:
    return detente.load(EXAMPLES / "korea-2018.yaml")


def test_korea_china_and_russia(korea: detente.Scenario) -> None:
    r = realign(korea)
    assert [str(s.as_of) for s in r.snapshots] == ["2017-10-22", "2017-11-19", "2018-01-02"]
    for al in r.snapshots:
        assert ("CHN", "RUS") in al.blocs() and ("USA", "JPN") in al.blocs()
        # China and Russia are each other's nearest, closer than any pair across the two
        # camps; only the US and Japan are closer still
        assert al.nearest("CHN")[0] == "RUS" and al.nearest("RUS")[0] == "CHN"
        cross = [al.between(a, b) for a, b in itertools.product(("CHN", "RUS"),
                                                                 ("USA", "JPN", "KOR", "PRK"))]
        assert al.between("CHN", "RUS") < min(cross)
    assert r.snapshots[-1].between("CHN", "RUS") < r.snapshots[0].between("CHN", "RUS")


def test_korea_south_korea_moves_towards_china(korea: detente.Scenario) -> None:
    r = realign(korea)
    move = r.move("KOR", 0, 1)  # October to November 2017, the China-South Korea thaw
    assert move.moved > 0
    assert move.closer[0] == "CHN" and move.closer[2] < move.closer[1]
    assert move.further[0] == "USA" and move.further[2] > move.further[1]
    first, last = r.snapshots[0], r.snapshots[-1]
    assert last.between("KOR", "CHN") < first.between("KOR", "CHN")
    assert last.between("KOR", "USA") > first.between("KOR", "USA")
    # on the common map South Korea's point moves towards China's
    k, c = r.actors.index("KOR"), r.actors.index("CHN")
    gap = [np.linalg.norm(s.coords[k] - s.coords[c]) for s in r.snapshots]
    assert gap[-1] < gap[0]
    assert r.movement().shape == (2, 6)
    assert r.movement()[1, r.actors.index("KOR")] == 0  # no new KOR positions in January


def test_issue_filter_and_absent_actors() -> None:
    al = alignment(three_issue_scenario(), issues=["r"])
    assert al.bloc.tolist()[0] == 0  # a takes no stance on r
    assert np.isnan(al.coords[0]).all() and np.isfinite(al.coords[1:]).all()
