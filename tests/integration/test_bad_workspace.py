"""Damaged, foreign and read-only workspace files through the real command line: one line
naming the file and what to do, exit code 2, and the file never changed."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.helpers import ROOT
from tests.in_process import invoke

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"
COMMANDS = (("runs",), ("show", "1"), ("export", "out"), ("add", str(HARBOUR)))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with one scenario and one recorded run."""
    path = tmp_path_factory.mktemp("ws") / "sound.duckdb"
    result = invoke("run", HARBOUR, "-m", "median", "-w", path)
    assert result.code == 0, result.stderr
    return path


def _damaged(sound: Path, tmp_path: Path, kind: str) -> Path:
    data = sound.read_bytes()
    path = tmp_path / f"{kind}.duckdb"
    if kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "flipped":
        raw = bytearray(data)
        for i in range(20000, 20100):
            raw[i] ^= 0xFF
        path.write_bytes(bytes(raw))
    else:  # a schema version that is not a number
        path.write_bytes(data)
        con = duckdb.connect(str(path))
        con.execute("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
        con.close()
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty home directory: nothing may appear in it (no ~/.duckdb)."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HOME", str(path))
    monkeypatch.chdir(tmp_path)
    yield path
    assert list(path.iterdir()) == []


def _refused(path: Path, *words: str) -> None:
    before = _digest(path)
    for command in COMMANDS:
        result = invoke(*command, "-w", path)
        assert result.traceback is None, result.traceback
        assert result.code == 2, (command, result.stdout, result.stderr)
        assert len(result.lines) == 1, result.stderr
        for w in (str(path), *words):
            assert w in result.lines[0], result.lines[0]
    assert _digest(path) == before


@pytest.mark.parametrize("kind", ["truncated", "flipped", "version"])
def test_damaged_workspace_one_line_untouched(
    sound: Path, tmp_path: Path, home: Path, kind: str
) -> None:
    path = _damaged(sound, tmp_path, kind)
    _refused(path, "workspace damaged", "detente workspace check", "workspace repair")


def test_sqlite_file_refused_without_network(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    _refused(path, "SQLite database, not a detente workspace")


def test_text_file_and_other_duckdb_refused(tmp_path: Path, home: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("hello\n")
    _refused(text, "not a DuckDB file")
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE x (a INTEGER)")
    con.close()
    _refused(other, "not a detente workspace")


def test_connections_never_load_extensions(tmp_path: Path) -> None:
    from detente.store.opening import connect

    con = connect(tmp_path / "ws.duckdb", read_only=False)
    settings = dict(con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN "
        "('autoload_known_extensions', 'autoinstall_known_extensions')").fetchall())
    con.close()
    assert settings == {"autoload_known_extensions": "false",
                        "autoinstall_known_extensions": "false"}


def test_check_and_repair(sound: Path, tmp_path: Path, home: Path) -> None:
    ok = invoke("workspace", "check", sound)
    assert ok.code == 0 and "sound" in ok.stdout, ok.stderr
    truncated = _damaged(sound, tmp_path, "truncated")
    before = _digest(truncated)
    checked = invoke("workspace", "check", truncated)
    assert checked.code == 2 and checked.traceback is None
    assert "damaged" in checked.stderr
    repaired = tmp_path / "repaired.duckdb"
    result = invoke("workspace", "repair", truncated, "-o", repaired)
    assert result.code == 0, result.stderr
    assert "is unchanged" in result.stderr
    assert _digest(truncated) == before
    assert invoke("workspace", "check", repaired).code == 0
    listed = invoke("runs", "-w", repaired)
    assert listed.code == 0 and listed.traceback is None
    # a sound file copies whole
    whole = tmp_path / "whole.duckdb"
    assert invoke("workspace", "repair", sound, "-o", whole).code == 0
    runs = invoke("runs", "-w", whole, "--format", "json")
    assert '"model": "median"' in runs.stdout
    again = invoke("run", HARBOUR, "-m", "median", "-w", whole)
    assert again.code == 0 and "reused" in again.stderr
    new = invoke("run", HARBOUR, "-m", "compromise", "-w", whole)
    assert new.code == 0, new.stderr


def test_reading_commands_open_read_only(sound: Path, tmp_path: Path) -> None:
    """runs, show and export work while another process holds a read-only connection,
    which a read-write open could not share."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; "
         "c = duckdb.connect(sys.argv[1], read_only=True); print('ready', flush=True); "
         "time.sleep(60)", str(sound)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        for command in (("runs",), ("show", "1"), ("export", str(tmp_path / "out"))):
            result = invoke(*command, "-w", sound, "--wait", "0")
            assert result.code == 0, (command, result.stderr)
        busy = invoke("add", HARBOUR, "-w", sound, "--wait", "0")
        assert busy.code == 2 and "in use by another process" in busy.stderr
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not bind the superuser")
def test_read_only_file(sound: Path, tmp_path: Path) -> None:
    path = tmp_path / "ro.duckdb"
    path.write_bytes(sound.read_bytes())
    path.chmod(0o444)
    assert invoke("runs", "-w", path).code == 0
    result = invoke("add", HARBOUR, "-w", path)
    assert result.code == 2 and "read-only" in result.stderr
