"""Checking a workspace file, and copying what can still be read out of a damaged one.

``check`` opens the file read-only and reads every row of every table; ``repair`` copies each
readable scenario and each run whose rows all read back into a new workspace, one
transaction per scenario or run, so a run is copied whole or not at all. The damaged file is
only ever opened read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from detente.errors import InputError
from detente.store.opening import WorkspaceDamaged, check_signature, connect, first_line
from detente.store.workspace import EXPORT_TABLES, Workspace

_RUN_TABLES = EXPORT_TABLES[3:]


@dataclass
class CheckReport:
    """What reading a workspace file found: rows per table, and every problem."""

    path: Path
    version: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.problems


@dataclass
class RepairReport:
    """What ``repair`` copied and what it left behind."""

    source: Path
    target: Path
    scenarios: int = 0
    runs: int = 0
    skipped_scenarios: list[str] = field(default_factory=list)
    skipped_runs: list[int] = field(default_factory=list)


def _open_source(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise InputError("no such file", file=str(path), hint="check the path")
    check_signature(path)
    return connect(path, read_only=True)


def check(path: Path) -> CheckReport:
    """Read every row of every table of a workspace file, read-only."""
    report = CheckReport(path)
    try:
        con = _open_source(path)
    except WorkspaceDamaged as exc:
        report.problems.append(f"the file cannot be opened at all ({exc.reason}); nothing "
                               "in it can be read, restore a copy")
        return report
    try:
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            report.version = None if row is None else str(row[0])
            if report.version is None or not report.version.isdigit():
                report.problems.append(f"schema version is not a number: {report.version!r}")
        except duckdb.Error as exc:
            report.problems.append(f"meta: {first_line(exc)}")
        for table in EXPORT_TABLES:
            try:
                got = con.execute(f"SELECT count(hash(t)) FROM {table} t").fetchone()
                report.rows[table] = int(got[0]) if got else 0
            except duckdb.Error as exc:
                report.problems.append(f"{table}: {first_line(exc)}")
    finally:
        con.close()
    return report


def _ids(con: duckdb.DuckDBPyConnection, query: str) -> list[object]:
    try:
        return [r[0] for r in con.execute(query).fetchall()]
    except duckdb.Error:
        return []


def repair(source: Path, target: Path) -> RepairReport:
    """Copy every readable scenario and run of ``source`` into a new workspace ``target``."""
    if target.exists():
        raise InputError("the target exists already", file=str(target),
                         hint="repair writes a new file; choose a path that does not exist")
    if target.resolve() == source.resolve():
        raise InputError("the target is the damaged file itself", file=str(target),
                         hint="repair never changes the damaged file; give another -o path")
    try:
        probe = _open_source(source)
    except WorkspaceDamaged as exc:
        raise InputError(f"the file cannot be opened at all ({exc.reason}), so nothing can be "
                         "copied out of it", file=str(source),
                         hint="restore a copy from a backup") from None
    probe.close()
    report = RepairReport(source, target)
    with Workspace(target) as ws:
        con = ws.con
        literal = str(source).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS src (READ_ONLY)")
        present = {str(t) for t in _ids(con, "SELECT table_name FROM information_schema.tables "
                                             "WHERE table_catalog = 'src'")}
        run_tables = [(t, "run_id = ?") for t in _RUN_TABLES if t in present]
        try:
            for key in _ids(con, "SELECT scenario_key FROM src.scenarios"):
                if _copy(con, [("scenarios", "scenario_key = ?"),
                               ("snapshots", "scenario_key = ?")], key):
                    report.scenarios += 1
                else:
                    report.skipped_scenarios.append(str(key))
            copied = set(_ids(con, "SELECT scenario_key FROM main.scenarios"))
            for run_id in _ids(con, "SELECT run_id FROM src.runs ORDER BY run_id"):
                owner = _ids(con, f"SELECT scenario_key FROM src.runs WHERE run_id = {run_id}")
                if owner and owner[0] in copied and _copy(
                        con, [("runs", "run_id = ?"), *run_tables], run_id):
                    report.runs += 1
                else:
                    report.skipped_runs.append(int(str(run_id)))
            top = con.execute("SELECT coalesce(max(run_id), 0) FROM main.runs").fetchone()
            con.execute(f"CREATE OR REPLACE SEQUENCE run_ids START {int(top[0]) + 1 if top else 1}")
        finally:
            con.execute("DETACH src")
    return report


def _copy(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]], key: object) -> bool:
    """Copy the rows of one scenario or run, in one transaction; False if any failed."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table, where in tables:
            con.execute(f"INSERT INTO main.{table} BY NAME SELECT * FROM src.{table} "
                        f"WHERE {where}", [key])
    except duckdb.Error:
        con.execute("ROLLBACK")
        return False
    con.execute("COMMIT")
    return True
