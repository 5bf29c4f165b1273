"""``detente sweep`` through the real entry point: run, list, export, discover, bad specs
(one line, exit 2, nothing stored) and a client killed with SIGKILL, then resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import ROOT
from tests.integration.test_cli import DETENTE, assert_user_error, run

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"
VARY = ("--vary", "actors.city.capability=2:8", "--vary", "stances.green.size.salience=20:100",
        "--vary", "eum.Q=0.6:1")


def sweep(ws: Path, *extra: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    return run("sweep", HARBOUR, *VARY, "--n", "16", "--draws", "40", "-m", "eum",
               "-m", "compromise", "--position-sd", "0.1", "--scheduler", "in-process",
               "-w", ws, *extra, ok=ok)


def test_run_list_export_and_discover(tmp_path: Path) -> None:
    ws = tmp_path / "ws.duckdb"
    out = sweep(ws, "-o", tmp_path / "rows.parquet")
    assert "sweep 1: 16 variations, on in-process, 1 worker" in out.stderr
    assert "sweep 1 done: 16 variations computed" in out.stderr
    listed = json.loads(run("sweep", "list", "-w", ws, "--format", "json").stdout)
    assert [(s["sweep"], s["variations"], s["done"]) for s in listed] == [(1, 16, 16)]
    rows = pd.read_parquet(tmp_path / "rows.parquet")
    assert len(rows) == 16 * 2 * 2 and "p_go" in rows.columns
    run("sweep", "export", "1", "-o", tmp_path / "again.csv", "--format", "csv", "-w", ws)
    assert len(pd.read_csv(tmp_path / "again.csv")) == len(rows)
    found = json.loads(run("sweep", "discover", "1", "--question", "go", "--model",
                           "compromise", "--threshold", "0.5", "--format", "json",
                           "--plot", tmp_path / "tradeoff.svg", "-w", ws).stdout)
    assert found["question"] == "go" and found["cases"] == 16
    assert {s["variable"] for s in found["feature_scores"]} == {
        "actors.city.capability", "stances.green.size.salience", "eum.Q"}
    assert (tmp_path / "tradeoff.svg").read_text().lstrip().startswith("<?xml")
    table = run("sweep", "discover", "1", "-q", "go", "-m", "compromise", "-w", ws).stdout
    assert "which varied input matters most" in table
    report = tmp_path / "report.html"
    run("report", HARBOUR, "-o", report, "--draws", "0", "--sweep", "1:go:compromise",
        "-w", ws)
    html = report.read_text()
    assert '<section id="discovery">' in html and "P(go) &gt; 0.5" in html
    assert "stances.green.size.salience" in html
    assert_user_error(run("report", HARBOUR, "-o", report, "--draws", "0", "--sweep", "one",
                          "-w", ws, ok=False), "--sweep", "expected RUN:QID[:MODEL]")


@pytest.mark.parametrize(("args", "words"), [
    (("--vary", "actors.mayor.capability=1:3"), ["--vary actors.mayor.capability",
                                                 "unknown actor 'mayor'"]),
    (("--vary", "stances.city.size.position=50:150"), ["outside the scale of issue 'size'"]),
    (("--vary", "eum.speed=1:2"), ["model 'eum' has no parameter 'speed'"]),
    (("--vary", "eum.Q=0.5:1", "--n", "0"), ["--n: n must be a whole number >= 1, got 0"]),
    (("--vary", "eum.Q=0.5:1", "--sample", "grid", "--n", "1"), ["at least 2 levels"]),
    ((), ["nothing to vary"]),
])
def test_bad_specs_are_one_line_and_store_nothing(tmp_path: Path, args: tuple[str, ...],
                                                  words: list[str]) -> None:
    ws = tmp_path / "ws.duckdb"
    proc = run("sweep", HARBOUR, *args, "-m", "eum", "-w", ws, ok=False)
    assert_user_error(proc, *words)
    assert not ws.exists()  # checked before the workspace was touched


def test_bad_commands(tmp_path: Path) -> None:
    ws = tmp_path / "ws.duckdb"
    sweep(ws)
    assert_user_error(run("sweep", "--resume", "7", "-w", ws, ok=False), "no sweep 7")
    assert_user_error(run("sweep", "discover", "1", "-q", "nope", "-w", ws, ok=False),
                      "unknown question 'nope'", "known: go")
    assert_user_error(run("sweep", "discover", "1", "-q", "go", "-m", "smp", "-w", ws,
                          ok=False), "did not run model 'smp'")
    assert_user_error(run("sweep", "--resume", "1", HARBOUR, "-w", ws, ok=False),
                      "--resume takes the stored sweep as it was")


def test_a_client_killed_mid_sweep_resumes_to_the_same_rows(tmp_path: Path) -> None:
    args = [str(DETENTE), "sweep", str(HARBOUR), *VARY, "--n", "120", "--draws", "300",
            "--batch", "1", "-m", "eum", "--position-sd", "0.1", "--scheduler", "in-process"]
    ref = tmp_path / "ref.duckdb"
    run(*args[1:], "-w", ref, "-o", tmp_path / "ref.parquet")
    ws = tmp_path / "ws.duckdb"
    proc = subprocess.Popen([*args, "-w", str(ws)], stderr=subprocess.PIPE, text=True,
                            env={"COLUMNS": "160", "PATH": str(DETENTE.parent)})
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith("sweep 1: 120 variations"), line  # stored: it can be resumed
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    listed = json.loads(run("sweep", "list", "-w", ws, "--format", "json").stdout)
    done = listed[0]["done"]
    assert done < 120, "the sweep finished before it was killed; make it longer"
    out = run("sweep", "--resume", "1", "-w", ws, "--scheduler", "in-process",
              "-o", tmp_path / "resumed.parquet")
    assert f"{120 - done:,} variations computed" in out.stderr
    resumed = pd.read_parquet(tmp_path / "resumed.parquet")
    pd.testing.assert_frame_equal(resumed, pd.read_parquet(tmp_path / "ref.parquet"),
                                  check_exact=True)
    assert len(resumed) == 120 * 2


def test_a_sweep_file_gives_the_rows_of_the_same_options(tmp_path: Path) -> None:
    sweep(tmp_path / "a.duckdb", "-o", tmp_path / "a.parquet")
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        f"scenario: {HARBOUR}\nvary:\n  actors.city.capability: 2:8\n"
        "  stances.green.size.salience: [20, 100]\n  eum.Q: [0.6, 1]\n"
        "n: 16\ndraws: 40\nmodels: [eum, compromise]\nposition_sd: 0.1\n", encoding="utf-8")
    run("sweep", "--file", spec, "--scheduler", "in-process", "-w", tmp_path / "b.duckdb",
        "-o", tmp_path / "b.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "b.parquet"),
                                  pd.read_parquet(tmp_path / "a.parquet"), check_exact=True)
    assert_user_error(run("sweep", "--file", spec, "--vary", "eum.Q=0.5:1", "-w",
                          tmp_path / "c.duckdb", ok=False), "not both")


def test_ctrl_c_stops_after_a_stored_task_and_the_sweep_resumes(tmp_path: Path) -> None:
    ws = tmp_path / "ws.duckdb"
    args = [str(DETENTE), "sweep", str(HARBOUR), *VARY, "--n", "300", "--draws", "300",
            "--batch", "2", "-m", "eum", "--workers", "2", "-w", str(ws)]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={"COLUMNS": "160", "PATH": str(DETENTE.parent)})
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith("sweep 1: 300 variations")
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the client and its workers
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 130, rest
    assert "Traceback" not in rest
    assert "stopping once the next task is stored" in rest
    assert "finish with: detente sweep --resume 1" in rest
    done = json.loads(run("sweep", "list", "-w", ws, "--format", "json").stdout)[0]["done"]
    assert 0 < done < 300
    out = run("sweep", "--resume", "1", "-w", ws, "--scheduler", "in-process")
    assert f"{300 - done:,} variations computed ({done:,} already stored)" in out.stderr
