"""Every backend runs the same tasks to the same results, reporting progress as tasks finish."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from detente.errors import InputError
from detente.execution import Executor, InProcess, Processes, executor_for
from detente.execution.base import child_seed
from detente.io import load
from detente.uncertainty import simulate

HARBOUR = Path(__file__).resolve().parents[2] / "data" / "harbour.yaml"


def _square(context: int, task: int) -> tuple[int, float]:
    rng = np.random.Generator(np.random.PCG64(child_seed(context, task)))
    return task * task, float(rng.random())


@pytest.fixture(params=["in-process", "processes", "dask"])
def backend(request: pytest.FixtureRequest) -> Executor:
    if request.param == "dask":
        ex: Executor = request.getfixturevalue("dask_local")
        return ex
    return InProcess() if request.param == "in-process" else Processes(2)


def test_results_come_back_in_task_order_with_their_own_seeds(backend: Executor) -> None:
    seen: list[tuple[int, int]] = []
    out = backend.map(_square, 7, list(range(23)), progress=lambda d, t: seen.append((d, t)))
    expected = InProcess().map(_square, 7, list(range(23)))
    assert out == expected
    assert [r[0] for r in out] == [k * k for k in range(23)]
    assert len({r[1] for r in out}) == 23  # every task its own child seed
    assert seen == [(k, 23) for k in range(1, 24)]  # once per finished task, in order


def test_run_yields_each_index_once(backend: Executor) -> None:
    indices = sorted(i for i, _ in backend.run(_square, 1, list(range(10))))
    assert indices == list(range(10))


def test_simulate_gives_the_same_bytes_on_every_backend(backend: Executor) -> None:
    sc = load(HARBOUR)
    # 5000 draws: three tasks of at most 2048 draws
    ref = simulate(sc, ["compromise", "median"], draws=5000, seed=3, executor=InProcess())
    got = simulate(sc, ["compromise", "median"], draws=5000, seed=3, executor=backend)
    for model, issues in ref.samples.items():
        for issue, values in issues.items():
            assert got.samples[model][issue].tobytes() == values.tobytes()
    done: list[int] = []
    simulate(sc, ["compromise"], draws=5000, seed=3, executor=backend,
             progress=lambda d, t: done.append(d))
    assert done[-1] == 5000 and len(done) == 3


def test_child_seeds_are_the_spawned_children() -> None:
    spawned = np.random.SeedSequence(11).spawn(4)
    assert child_seed(11, 3).generate_state(4).tolist() == spawned[3].generate_state(4).tolist()


def test_the_scheduler_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DETENTE_SCHEDULER", raising=False)
    assert isinstance(executor_for(None, 1), InProcess)
    assert isinstance(executor_for("in-process", 4), InProcess)
    proc = executor_for(None, 2)
    assert isinstance(proc, Processes) and proc.workers == 2
    assert executor_for(None, 0).workers == (os.cpu_count() or 1) or isinstance(
        executor_for(None, 0), InProcess)
    monkeypatch.setenv("DETENTE_SCHEDULER", "in-process")
    assert isinstance(executor_for(None, 2), InProcess)


def test_an_unknown_scheduler_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DETENTE_SCHEDULER", raising=False)
    with pytest.raises(InputError, match=r"--scheduler: unknown scheduler 'nowhere'"):
        executor_for("nowhere")
    monkeypatch.setenv("DETENTE_SCHEDULER", "ray")
    with pytest.raises(InputError, match=r"\$DETENTE_SCHEDULER: unknown scheduler 'ray'"):
        executor_for(None)
    with pytest.raises(InputError, match="--workers"):
        executor_for("processes", -1)


def test_an_unreachable_scheduler_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr("detente.execution.cluster.CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        executor_for("tcp://127.0.0.1:9")


def test_an_existing_cluster_by_its_address(dask_local: Executor) -> None:
    address = dask_local.client.scheduler.address  # type: ignore[attr-defined]
    assert address.startswith("tcp://")
    with executor_for(address) as remote:
        assert remote.describe() == f"dask ({address}), 2 workers"
        assert remote.map(_square, 7, list(range(9))) == InProcess().map(
            _square, 7, list(range(9)))


class _Watched(list[int]):
    """Tasks that remember the highest index a backend has asked for."""

    highest = -1

    def __getitem__(self, index: int) -> int:  # type: ignore[override]
        self.highest = max(self.highest, index)
        return super().__getitem__(index)


@pytest.mark.parametrize("backend", ["processes", "dask"], indirect=True)
def test_only_a_window_of_tasks_is_in_flight(backend: Executor) -> None:
    tasks = _Watched(range(200))
    results = backend.run(_square, 1, tasks)
    next(results)
    assert tasks.highest < 4 * backend.workers + 2  # the rest waits for results to be read
    assert len(list(results)) == 199
