"""Sweeps end to end: every backend stores the same rows; an interrupted sweep resumes to the
same rows; a worker killed mid-sweep changes nothing; nothing is stored twice."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from detente.execution import Executor, InProcess, Processes
from detente.io import load
from detente.store import Workspace
from detente.store.sweeps import SweepStore
from detente.sweep import SweepSpec, parse_vary, resume_sweep, run_sweep

HARBOUR = Path(__file__).resolve().parents[1] / "data" / "harbour.yaml"
VARY = ("actors.city.capability=2:8", "stances.green.size.salience=20:100", "eum.Q=0.6:1")


def _spec(n: int = 12, batch: int = 3, draws: int = 60) -> SweepSpec:
    return SweepSpec(variables=tuple(parse_vary(v) for v in VARY), n=n, draws=draws, seed=4,
                     models=("eum", "compromise"), position_sd=0.1, batch=batch)


def _sweep(path: Path, executor: Executor, spec: SweepSpec | None = None) -> pd.DataFrame:
    with Workspace(path) as ws:
        out = run_sweep(load(HARBOUR), spec or _spec(), ws, executor=executor)
        assert out.computed == out.variations
        return SweepStore(ws).rows(out.sweep_id)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return _sweep(tmp_path_factory.mktemp("ref") / "ws.duckdb", InProcess())


def test_rows_hold_inputs_summaries_and_questions(reference: pd.DataFrame) -> None:
    assert list(reference.columns) == [
        "variation", "actors.city.capability", "stances.green.size.salience", "eum.Q",
        "model", "issue", "mean", "median", "sd", "p5", "p95", "p_go"]
    assert len(reference) == 12 * 2 * 2  # variations × models × issues
    assert reference["issue"].tolist()[:4] == ["size", "year", "size", "year"]
    size = reference[reference["issue"] == "size"]
    assert size["p_go"].between(0, 1).all() and reference[reference["issue"] == "year"][
        "p_go"].isna().all()
    assert (size["p5"] <= size["median"]).all() and (size["median"] <= size["p95"]).all()
    assert reference["actors.city.capability"].between(2, 8).all()
    # the inputs matter: the forecasts differ across the variations
    assert size[size["model"] == "compromise"]["mean"].nunique() == 12


@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_every_backend_stores_the_same_rows(backend: str, reference: pd.DataFrame,
                                            tmp_path: Path,
                                            request: pytest.FixtureRequest) -> None:
    ex: Executor = (request.getfixturevalue("dask_local") if backend == "dask"
                    else Processes(2))
    pd.testing.assert_frame_equal(_sweep(tmp_path / "ws.duckdb", ex), reference,
                                  check_exact=True)


def test_the_task_size_does_not_change_the_rows(reference: pd.DataFrame,
                                                tmp_path: Path) -> None:
    rows = _sweep(tmp_path / "ws.duckdb", InProcess(), _spec(batch=5))
    pd.testing.assert_frame_equal(rows, reference, check_exact=True)


def test_an_interrupted_sweep_resumes_to_the_same_rows(reference: pd.DataFrame,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"

    def stop_after_two_tasks(done: int, total: int) -> None:
        if done >= 6:
            raise KeyboardInterrupt

    with Workspace(path) as ws, pytest.raises(KeyboardInterrupt):
        run_sweep(load(HARBOUR), _spec(), ws, progress=stop_after_two_tasks)
    with Workspace(path) as ws:
        store = SweepStore(ws)
        (info,) = store.all()
        assert (info.done, info.variations, info.finished_at) == (6, 12, None)
        again = resume_sweep(ws, info.sweep_id, executor=Processes(2))
        assert (again.computed, again.already) == (6, 6)
        rows = store.rows(info.sweep_id)
        assert store.info(info.sweep_id).finished_at is not None
        # resuming a finished sweep computes nothing and stores nothing twice
        assert resume_sweep(ws, info.sweep_id).computed == 0
        counts = [ws.con.execute(f"SELECT count(*) FROM {t}").fetchone()
                  for t in ("sweep_variations", "sweep_results", "sweep_questions")]
    pd.testing.assert_frame_equal(rows, reference, check_exact=True)
    assert counts == [(12,), (12 * 2 * 2,), (12 * 2 * 1,)]


def test_a_variation_cannot_be_stored_twice(tmp_path: Path) -> None:
    import duckdb
    import numpy as np

    from detente.sweep.runner import build_context, run_variations
    from detente.sweep.spec import check

    sc = load(HARBOUR)
    spec = check(_spec(), sc)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        store = SweepStore(ws)
        sid = store.create(sc, 1, spec, [])
        ctx = build_context(sc, spec)
        batch = run_variations(ctx, np.array([0, 1]))
        store.write(sid, batch, ctx)
        with pytest.raises(duckdb.ConstraintException):
            store.write(sid, run_variations(ctx, np.array([1, 2])), ctx)
        assert store.done(sid).tolist() == [0, 1]  # the failed task left nothing behind
        assert ws.con.execute("SELECT count(*) FROM sweep_results").fetchone() == (8,)


@pytest.fixture
def own_cluster() -> Iterator[Executor]:
    pytest.importorskip("distributed")
    from detente.execution import Dask

    with Dask(None, 2) as ex:
        yield ex


def test_a_worker_killed_mid_sweep_changes_nothing(own_cluster: Executor, tmp_path: Path
                                                   ) -> None:
    spec = _spec(n=24, batch=2, draws=300)
    ref = _sweep(tmp_path / "ref.duckdb", InProcess(), spec)
    client = own_cluster.client  # type: ignore[attr-defined]
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_one(done: int, total: int) -> None:
        if done >= 2 and not killed:
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    with Workspace(tmp_path / "ws.duckdb") as ws:
        out = run_sweep(load(HARBOUR), spec, ws, executor=own_cluster, progress=kill_one)
        rows = SweepStore(ws).rows(out.sweep_id)
    assert killed and killed[0] not in client.run(os.getpid).values()
    pd.testing.assert_frame_equal(rows, ref, check_exact=True)


def test_the_python_entry_point(reference: pd.DataFrame, tmp_path: Path) -> None:
    from detente.errors import InputError
    from detente.sweep import sweep

    with Workspace(tmp_path / "ws.duckdb") as ws:
        out = sweep(load(HARBOUR), {"actors.city.capability": (2, 8),
                                    "stances.green.size.salience": (20, 100),
                                    "eum.Q": (0.6, 1)},
                    n=12, draws=60, seed=4, models=["eum", "compromise"], workspace=ws,
                    position_sd=0.1, batch=3)
        assert (out.sweep_id, out.variations, out.computed) == (1, 12, 12)
        pd.testing.assert_frame_equal(SweepStore(ws).rows(1), reference, check_exact=True)
        with pytest.raises(InputError, match=r"vary actors\.mayor\.capability: unknown actor"):
            sweep(load(HARBOUR), {"actors.mayor.capability": (1, 2)}, n=2, workspace=ws)


def test_a_local_worker_killed_stops_the_sweep_resumably(tmp_path: Path) -> None:
    import multiprocessing

    from detente.errors import DetenteError

    killed: list[int] = []
    before = {p.pid for p in multiprocessing.active_children()}  # e.g. a Dask cluster's

    def kill_a_worker(done: int, total: int) -> None:
        workers = [p.pid for p in multiprocessing.active_children() if p.pid not in before]
        if done >= 3 and workers and not killed:
            killed.append(workers[0] or 0)
            os.kill(workers[0] or 0, signal.SIGKILL)

    spec = _spec(n=24, batch=1, draws=300)
    reference = _sweep(tmp_path / "ref.duckdb", InProcess(), spec)
    path = tmp_path / "ws.duckdb"
    with Workspace(path) as ws:
        with pytest.raises(DetenteError, match=r"worker process stopped.*--resume 1"):
            run_sweep(load(HARBOUR), spec, ws, executor=Processes(2), progress=kill_a_worker)
        assert killed
        again = resume_sweep(ws, 1, executor=Processes(2))
        assert again.already >= 3
        pd.testing.assert_frame_equal(SweepStore(ws).rows(1), reference, check_exact=True)
