"""The workspace commands through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.helpers import EXAMPLES, ROOT

DETENTE = Path(sys.executable).with_name("detente")
HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"


def run(*args: str | Path, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(DETENTE), *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={"COLUMNS": "160", "PATH": str(DETENTE.parent)})
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_add_run_runs_show_export(tmp_path: Path) -> None:
    out = run("add", HARBOUR, cwd=tmp_path).stdout
    assert "stored harbour revision 1 (2 snapshot(s)" in out
    assert (tmp_path / "detente.duckdb").exists()  # the default, in the current directory
    assert "already stored" in run("add", HARBOUR, cwd=tmp_path).stdout
    first = run("run", HARBOUR, "--all-snapshots", "-m", "median", cwd=tmp_path)
    assert "run 1" in first.stdout and "run 2" in first.stdout
    again = run("run", HARBOUR, "-m", "median", cwd=tmp_path)
    assert "run 2 (median, 2024-06-01) is identical" in again.stderr
    listed = json.loads(run("runs", "--format", "json", cwd=tmp_path).stdout)
    assert [(r["run"], r["model"], r["as_of"]) for r in listed] == [
        (1, "median", "2024-03-01"), (2, "median", "2024-06-01")]
    shown = json.loads(run("show", "2", "--format", "json", cwd=tmp_path).stdout)
    assert shown["model"] == "median" and shown["kind"] == "forecast"
    assert [r["issue"] for r in shown["issue_results"]] == ["size", "year"]
    table = run("show", "2", cwd=tmp_path).stdout
    assert "run 2" in table and "inputs hash" in table
    run("export", "out", "--run", "2", cwd=tmp_path)
    count = duckdb.connect().execute(
        f"SELECT count(*) FROM '{tmp_path / 'out' / 'runs.parquet'}'").fetchone()
    assert count == (1,)


def test_workspace_option_and_env(tmp_path: Path) -> None:
    ws = tmp_path / "a" / "k.duckdb"
    ws.parent.mkdir()
    run("run", EXAMPLES / "korea-2018.yaml", "-m", "compromise", "--workspace", ws, cwd=tmp_path)
    assert ws.exists() and not (tmp_path / "detente.duckdb").exists()
    proc = subprocess.run([str(DETENTE), "runs"], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env={"PATH": str(DETENTE.parent),
                                             "DETENTE_WORKSPACE": str(ws), "COLUMNS": "160"})
    assert proc.returncode == 0 and "korea-2018@1" in proc.stdout


def test_errors_are_one_line(tmp_path: Path) -> None:
    for args, words in [
        (("runs",), "no workspace here"),
        (("show", "4"), "no workspace here"),
        (("run", HARBOUR, "--as-of", "2024-04-01", "--all-snapshots"), "exclude each other"),
    ]:
        proc = run(*args, cwd=tmp_path, ok=False)
        assert proc.returncode == 2, proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and words in lines[0], proc.stderr
    run("add", HARBOUR, cwd=tmp_path)
    proc = run("show", "4", cwd=tmp_path, ok=False)
    assert proc.returncode == 2 and "no run 4" in proc.stderr


def test_simulate_save_records_every_draw(tmp_path: Path) -> None:
    ws = tmp_path / "w.duckdb"
    args = ("simulate", HARBOUR, "-m", "compromise", "-m", "median", "--draws", "300",
            "--seed", "5", "--save", "-w", ws, "--format", "json")
    first = run(*args, cwd=tmp_path)
    assert first.stderr.count("recorded: run") == 2
    doc = json.loads(first.stdout)  # stdout stays a clean document
    again = run(*args, cwd=tmp_path)
    assert again.stderr.count("identical run already recorded") == 2
    with duckdb.connect(str(ws), read_only=True) as con:
        assert con.execute("select count(*) from runs").fetchone() == (2,)
        n_draws = con.execute("select count(*) from draws").fetchone()
    assert n_draws == (300 * 2 * len(doc["issues"]),)  # draws × models × issues
