"""The vectorised exchange engine gives the same rounds as the loop-based reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.io import load
from detente.models.exchange.engine import Round, Rules, simulate
from tests.unit.models.exchange_reference import RefRound, reference_rounds

SAMPLES = ["sample_data.txt", "copenhagen.csv", "cop21.csv"]


def unit_arrays(path: Path) -> tuple[np.ndarray, ...]:
    """Positions on 0–100, saliences, capabilities and presence of a scenario file."""
    arrays = load(path).arrays()
    span = arrays.upper - arrays.lower
    pos = np.where(arrays.present, (np.nan_to_num(arrays.position) - arrays.lower) * 100 / span,
                   0.0)
    return pos, arrays.salience, arrays.capability, arrays.present


def random_problem(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    n, m = int(rng.integers(3, 9)), int(rng.integers(2, 6))
    pos = rng.choice([0.0, 10.0, 25.0, 40.0, 50.0, 60.0, 75.0, 90.0, 100.0], size=(n, m))
    sal = rng.choice([0.1, 0.3, 0.5, 0.6, 0.8, 0.9, 1.0], size=(n, m))
    cap = np.repeat(rng.uniform(0.2, 2.0, size=(n, 1)), m, axis=1)
    present = rng.random((n, m)) > 0.1
    return pos, sal, cap, present


def assert_same(engine: list[Round], ref: list[RefRound]) -> None:
    assert len(engine) == len(ref)
    for e, r in zip(engine, ref, strict=True):
        assert [(t.i, t.j, t.p, t.q) for t in e.trades] == [(t.i, t.j, t.p, t.q) for t in r.trades]
        for te, tr in zip(e.trades, r.trades, strict=True):
            assert abs(te.shift_p) == pytest.approx(tr.dp, rel=1e-9, abs=1e-9)
            assert abs(te.shift_q) == pytest.approx(tr.dq, rel=1e-9, abs=1e-9)
            assert te.gain_i == pytest.approx(tr.gain_i, rel=1e-9, abs=1e-12)
            assert te.gain_j == pytest.approx(tr.gain_j, rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(e.voting_outcome, r.voting_outcome, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(e.preference_outcome, r.preference_outcome, rtol=1e-12)
        np.testing.assert_allclose(e.own, np.array(r.own), atol=1e-9)
        np.testing.assert_allclose(e.gained, np.array(r.gained), atol=1e-9)
        np.testing.assert_allclose(e.lost, np.array(r.lost), atol=1e-9)


SOLUTIONS = [("equal_gain", 0.0), ("equal_gain", 0.5), ("random_rate", 0.0)]


@pytest.mark.parametrize(("solution", "p"), SOLUTIONS)
def test_random_problems_match_the_reference(solution: str, p: float) -> None:
    gen = np.random.default_rng(20)
    traded = 0
    for case in range(25):
        pos, sal, cap, present = random_problem(gen)
        rules = Rules(rounds=4, solution=solution, p=p)
        engine = simulate(pos, sal, cap, present, rules, np.random.default_rng(case))
        ref = reference_rounds(pos, sal, cap, present, rounds=4, solution=solution,
                               p_random=p, seed=case)
        assert_same(engine, ref)
        traded += sum(len(r.trades) for r in engine)
    assert traded > 50  # the cases do exercise exchanges


@pytest.mark.shared
@pytest.mark.parametrize("name", SAMPLES)
def test_samples_match_the_reference(shared: Path, name: str) -> None:
    pos, sal, cap, present = unit_arrays(shared / "data" / "decide" / name)
    engine = simulate(pos, sal, cap, present, Rules(rounds=10), np.random.default_rng(3))
    ref = reference_rounds(pos, sal, cap, present, rounds=10, seed=3)
    assert len(engine) == 10
    assert_same(engine, ref)
