"""The spatial model of politics against KTAB on seeded random scenarios no one tuned for.

``tests/data/smp_ktab_random.json`` holds KTAB's results (lsyaseen/KTAB @ 3b5b063, smpc
``--csv FILE --logmin`` or ``--xml``, full-precision dump, one thread; written by
``benchmarks/bench_smp_random.py``) on 32 random scenarios: 16 one-dimensional with 10-38
actors and 8 with 2-4 dimensions under default parameters (KTAB CSV), 8 with 1-3 dimensions
and random model parameters (KTAB XML). Each is regenerated from its seed, written as KTAB
would read it, read by detente's KTAB reader and run jointly with the file's parameters, as
KTAB runs a file (docs/models/smp.md, SMP-10).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from detente.io import load
from detente.io.ktab import ktab_parameters
from detente.models import SpatialModelOfPolitics
from detente.models.smp.result import SmpRun
from tests.smp_reference import RANDOM_SEEDS, random_fixture, random_scenario

FIXTURE = random_fixture()
STORED = {case["seed"]: case for case in FIXTURE["scenarios"]}
#: Final positions on 0-100: KTAB's bargains are rounded to 1e-4 on [0, 1], so equal runs
#: give equal positions; 1e-9 leaves room for the last bit of the scaling back to 0-100.
POSITION_TOLERANCE = 1e-9
#: Probabilities and expected outcomes: sums in KTAB's order, measured to about 1e-14.
PROBABILITY_TOLERANCE = 1e-9


@cache
def run(seed: int, directory: Path) -> SmpRun:
    sc = random_scenario(seed)
    path = directory / f"{sc.name}{sc.suffix}"
    path.write_text(sc.text(), encoding="utf-8")
    model = SpatialModelOfPolitics.from_ktab(ktab_parameters(path), joint=True)
    return model.simulate(load(path, "ktab"))[0]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ktab-random")


def test_fixture_covers_every_seed() -> None:
    assert sorted(STORED) == list(RANDOM_SEEDS)
    assert all(case["precision"] == "full" for case in STORED.values())
    one = [c for c in STORED.values() if len(c["dimensions"]) == 1]
    many = [c for c in STORED.values() if len(c["dimensions"]) > 1]
    assert len(one) >= 16 and len(many) >= 8
    assert max(len(c["actors"]) for c in one) >= 35
    variants = [c for c in STORED.values() if c["parameters"]]
    assert len(variants) == 8
    for name in ("VotingRule", "PCEModel", "BargnModel", "InterVecBrgn"):
        assert len({c["parameters"][name] for c in variants}) >= 3, name


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_generator_reproduces_the_stored_inputs(seed: int) -> None:
    sc = random_scenario(seed).to_dict()
    for key in ("style", "dimensions", "actors", "parameters"):
        assert sc[key] == STORED[seed][key], key


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_same_turns_and_final_positions(seed: int, workdir: Path) -> None:
    mine, ktab = run(seed, workdir), STORED[seed]
    assert mine.turns == ktab["turns"]
    final = np.array(ktab["final_positions"])
    assert mine.positions[-1].shape == final.shape
    assert np.abs(mine.positions[-1] - final).max() <= POSITION_TOLERANCE


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_same_probabilities_and_expected_outcome(seed: int, workdir: Path) -> None:
    mine, ktab = run(seed, workdir), STORED[seed]
    probability = {mine.actors.index(f.actors[0]): f.probability for f in mine.final}
    theirs = {d["leader"]: d["probability"] for d in ktab["distinct"]}
    assert set(probability) == set(theirs)  # the same distinct positions, same first holders
    for leader, p in theirs.items():
        assert abs(probability[leader] - p) <= PROBABILITY_TOLERANCE
    final = np.array(ktab["final_positions"])
    expected = sum(d["probability"] * final[d["leader"]] for d in ktab["distinct"])
    assert np.abs(mine.expected - expected).max() <= PROBABILITY_TOLERANCE
