"""simulate, backtest and explain --sobol give the same output on every backend."""

from __future__ import annotations

import json

import pytest

from detente.analysis.explain import explain
from detente.backtest.runner import backtest
from detente.execution import Executor, InProcess, Processes
from detente.io import load
from detente.uncertainty import DefaultUncertainty
from tests.helpers import EXAMPLES, ROOT
from tests.integration.test_cli import assert_user_error, run

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"
KOREA = EXAMPLES / "korea-2018.yaml"


def test_simulate_prints_the_same_bytes_on_every_scheduler() -> None:
    args = ("simulate", HARBOUR, "--draws", "5000", "--seed", "3", "--format", "json")
    one = run(*args, "--scheduler", "in-process")
    two = run(*args, "--workers", "2")
    dask = run(*args, "--scheduler", "local", "--workers", "2")
    assert one.stdout == two.stdout == dask.stdout
    assert "dashboard: http://" in dask.stderr


def test_an_unknown_scheduler_is_a_user_error() -> None:
    assert_user_error(run("simulate", HARBOUR, "--scheduler", "yarn", ok=False),
                      "--scheduler", "unknown scheduler 'yarn'")


@pytest.fixture(params=["processes", "dask"])
def other(request: pytest.FixtureRequest) -> Executor:
    if request.param == "dask":
        ex: Executor = request.getfixturevalue("dask_local")
        return ex
    return Processes(2)


def test_backtest_with_draws_is_the_same_on_every_backend(other: Executor) -> None:
    sc = load(KOREA)
    kw = {"draws": 3000, "seed": 2, "ensemble": False}
    ref = backtest(sc, ["compromise", "median"], executor=InProcess(), **kw)  # type: ignore[arg-type]
    got = backtest(sc, ["compromise", "median"], executor=other, **kw)  # type: ignore[arg-type]
    assert json.dumps(got.to_dict(), sort_keys=True) == json.dumps(ref.to_dict(), sort_keys=True)
    assert ref.snapshots[-1].scores["compromise"].brier is not None


def test_sobol_indices_are_the_same_on_every_backend(other: Executor,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    sc = load(HARBOUR)
    kw = {"issues": ["size"], "sobol": True, "sobol_samples": 512, "seed": 1,
          "defaults": DefaultUncertainty(position=0.1, salience=0.1)}
    whole = explain(sc, "eum", **kw)  # type: ignore[arg-type]  # one batch: 512 (k + 2) rows
    monkeypatch.setattr("detente.analysis.sobol.TASK_ROWS", 700)
    done: list[tuple[int, int]] = []
    split = explain(sc, "eum", executor=other, progress=lambda d, t: done.append((d, t)),
                    **kw)  # type: ignore[arg-type]
    assert json.dumps(split) == json.dumps(whole)
    assert done[-1][0] == done[-1][1] > 1
    assert whole["issues"][0]["sobol"][0]["st"] > 0
