"""The workspace under real processes: a writer killed mid-write, two writers at once, and a
writer that gives up waiting."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from detente.store import CURRENT_VERSION, Workspace, WorkspaceBusy
from tests.helpers import ROOT

WRITER = ROOT / "tests" / "integration" / "workspace_writer.py"
ISSUES = 2  # the harbour scenario's


def start_writer(path: Path, first: int, count: int, draws: int,
                 timeout: float = 60.0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(first), str(count), str(draws),
         str(timeout)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def check_complete(path: Path) -> dict[int, int]:
    """Every run in the workspace is whole: its summaries, questions and every draw.

    Returns seed → run id."""
    with Workspace(path, timeout=30) as ws:
        seeds = {}
        for run in ws.runs():
            assert run.kind == "simulation"
            assert run.draws is not None and run.seed is not None
            summaries = ws.table("simulation_summaries", run.run_id)
            assert len(summaries) == ISSUES
            draws = ws.draws(run.run_id)
            assert sorted(draws) == ["size", "year"]
            assert all(len(v) == run.draws for v in draws.values())
            assert len(ws.table("question_results", run.run_id)) == 1
            seeds[run.seed] = run.run_id
        return seeds


def test_kill_9_mid_write_keeps_every_committed_run(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    proc = start_writer(path, first=1, count=1000, draws=300_000)
    committed: dict[int, int] = {}
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            word, seed, *rest = line.split()
            if word == "committed":
                committed[int(seed)] = int(rest[0])
            if word == "begin" and int(seed) == 4:
                time.sleep(0.1)  # the fourth write is under way: 600,000 rows of draws
                break
    finally:
        proc.kill()  # SIGKILL: no clean-up, no rollback, no close
        proc.wait(timeout=30)
    assert proc.returncode == -9
    assert len(committed) == 3
    survivors = check_complete(path)
    # every committed run is there and whole; the interrupted one is absent or whole
    assert {s: survivors[s] for s in committed} == committed
    assert set(survivors) <= {1, 2, 3, 4}
    # and the workspace takes new writes
    again = start_writer(path, first=50, count=1, draws=1000)
    assert again.wait(timeout=60) == 0, again.stderr.read() if again.stderr else ""
    assert 50 in check_complete(path)


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    a = start_writer(path, first=100, count=6, draws=20_000)
    b = start_writer(path, first=200, count=6, draws=20_000)
    outs = [p.communicate(timeout=300) for p in (a, b)]
    assert a.returncode == 0, outs[0][1]
    assert b.returncode == 0, outs[1][1]
    seeds = check_complete(path)
    assert sorted(seeds) == [*range(100, 106), *range(200, 206)]
    assert len(set(seeds.values())) == 12  # distinct run ids
    reported = {int(ln.split()[1]): int(ln.split()[2])
                for out, _ in outs for ln in out.splitlines() if ln.startswith("committed")}
    assert reported == seeds


def test_a_writer_that_cannot_wait_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    with Workspace(path):  # this process holds the file
        proc = start_writer(path, first=1, count=1, draws=100, timeout=0.5)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "in use by another process" in err
    # nothing half-written: the refused writer never got in
    with Workspace(path) as ws:
        assert ws.runs() == []


def test_busy_is_one_line_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "ws.duckdb"
    detente = Path(sys.executable).with_name("detente")
    with Workspace(path):
        proc = subprocess.run(
            [str(detente), "runs", "--workspace", str(path), "--wait", "0.3"],
            capture_output=True, text=True, timeout=120,
        )
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "in use by another process" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_workspace_busy_in_process(tmp_path: Path) -> None:
    """Within one process DuckDB shares the database, so only another process is refused;
    the error type is what the command line turns into exit code 2."""
    path = tmp_path / "ws.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(20)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(WorkspaceBusy, match="in use by another process"), \
                Workspace(path, timeout=0.4):
            pass
        assert time.monotonic() - started >= 0.4
    finally:
        holder.kill()
        holder.wait(timeout=30)
    with Workspace(path) as ws:
        assert ws.schema_version == CURRENT_VERSION
