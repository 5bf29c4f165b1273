"""The spatial model of politics reproduces KTAB: turns, final positions, probabilities.

Reference figures (tests/data/smp_ktab_reference.json) are KTAB's inputs and the results of
KTAB (lsyaseen/KTAB @ 3b5b063) run with default parameters, or with one parameter changed, on
its shipped examples; the file states its sources. The inputs are written back as KTAB CSV and
read by detente's KTAB reader, so these tests need nothing outside the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from detente.io import load
from detente.models import SpatialModelOfPolitics
from detente.models.smp.result import SmpRun
from tests.smp_reference import REFERENCE, ktab_csv, model_for

DEFAULT_CASES = ["dummyData_3Dim", "SOE-Pol-Comp", "SOE-Policy", "SOE-Competitive",
                 "dummyData_6Dim", "dummyData-a040", "dummyData-a080"]
VARIANT_CASES = [c for c in REFERENCE["cases"] if "__" in c]
TOLERANCE = 1e-6  # the acceptance asks for 1e-3 on the 0–100 scale; we hold ourselves to more


@cache
def reference_run(name: str, directory: Path) -> SmpRun:
    case = REFERENCE["cases"][name]
    path = directory / f"{case['input']}.csv"
    if not path.exists():
        path.write_text(ktab_csv(case["input"]), encoding="utf-8")
    return model_for(case).simulate(load(path, "ktab"))[0]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ktab")


def check(name: str, run: SmpRun) -> None:
    case = REFERENCE["cases"][name]
    actors = [a[0] for a in REFERENCE["inputs"][case["input"]]["actors"]]
    assert run.turns == case["turns"]
    final = run.positions[-1]
    assert np.abs(final - np.array(case["final_positions"])).max() <= TOLERANCE
    mine = {f.actors[0]: f for f in run.final}
    assert len(mine) == len(case["distinct"])
    for entry in case["distinct"]:
        leader = actors[entry["leader"]]
        assert abs(mine[leader].probability - entry["probability"]) <= TOLERANCE
    assert sum(f.probability for f in run.final) == pytest.approx(1.0, abs=1e-9)
    assert np.abs(run.expected - np.array(case["expected"])).max() <= TOLERANCE
    assert np.abs(run.modal - np.array(case["modal"])).max() <= TOLERANCE


@pytest.mark.parametrize("name", DEFAULT_CASES)
def test_default_parameters_reproduce_ktab(name: str, workdir: Path) -> None:
    check(name, reference_run(name, workdir))


@pytest.mark.parametrize("name", VARIANT_CASES)
def test_every_parameter_reproduces_ktab(name: str, workdir: Path) -> None:
    check(name, reference_run(name, workdir))


@pytest.mark.parametrize("name", ["dummyData_3Dim", "SOE-Pol-Comp"])
def test_challenges_match_ktabs_log(name: str, workdir: Path) -> None:
    run = reference_run(name, workdir)
    actors = [a[0] for a in REFERENCE["inputs"][name]["actors"]]
    expected = REFERENCE["challenges"][name]
    mine = sorted([c.turn, actors.index(c.initiator), actors.index(c.target), c.gain]
                  for c in run.challenges)
    assert [m[:3] for m in mine] == [e[:3] for e in expected]
    assert all(abs(m[3] - e[3]) <= 0.0005 + 1e-9 for m, e in zip(mine, expected, strict=True))


def test_per_issue_equals_joint_on_one_dimension(workdir: Path) -> None:
    path = workdir / "SOE-Policy-per-issue.csv"
    path.write_text(ktab_csv("SOE-Policy"), encoding="utf-8")
    sc = load(path, "ktab")
    joint = SpatialModelOfPolitics(joint=True).run(sc)
    alone = SpatialModelOfPolitics(joint=False).run(sc)
    for issue, fc in joint.issues.items():
        assert alone.issues[issue].outcome == fc.outcome
        assert alone.issues[issue].details["turns"] == fc.details["turns"] == 19
