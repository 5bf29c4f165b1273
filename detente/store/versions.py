"""Versions of a scenario: every save is a new version that names the version it was based on.

A save based on a version that is no longer the latest is refused (:class:`StaleVersion`):
two editors never overwrite each other silently. Only validated scenarios are stored, and
each save is one transaction, so a crash loses at most the save under way
(docs/decisions/web.md, WEB-1).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from detente.errors import DetenteError, InputError
from detente.store.hashing import canonical_json, scenario_document, scenario_key

if TYPE_CHECKING:
    from detente.scenario import Scenario
    from detente.store.workspace import Workspace


@dataclass(frozen=True)
class Version:
    """One saved version of a scenario (its document on the workspace's 0–1 salience scale)."""

    scenario_id: str
    version: int
    based_on: int | None
    saved_at: dt.datetime
    note: str | None
    scenario_key: str
    document: str

    def scenario(self) -> Scenario:
        """The stored scenario, validated again."""
        from detente.io.document import scenario_from_document

        return scenario_from_document(json.loads(self.document))

    def info(self) -> dict[str, Any]:
        """JSON form without the document."""
        return {"scenario": self.scenario_id, "version": self.version, "based_on": self.based_on,
                "saved_at": self.saved_at.isoformat(), "note": self.note,
                "scenario_key": self.scenario_key}


class StaleVersion(DetenteError):
    """A save based on a version that is no longer the latest."""

    def __init__(self, scenario_id: str, based_on: int | None, current: int | None) -> None:
        self.scenario_id = scenario_id
        self.based_on = based_on
        self.current = current
        if based_on is None:
            text = (f"a scenario with id {scenario_id!r} already exists (version {current}); "
                    f"open it, or give the new one another id")
        else:
            text = (f"scenario {scenario_id!r} changed since you opened it (you opened version "
                    f"{based_on}, it is now at version {current}): reload it, or merge your "
                    f"change into the latest version")
        super().__init__(text)


_COLUMNS = "scenario_id, version, based_on, saved_at, note, scenario_key, document"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _current(con: duckdb.DuckDBPyConnection, scenario_id: str) -> int | None:
    row = con.execute("SELECT max(version) FROM scenario_versions WHERE scenario_id = ?",
                      [scenario_id]).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def save(
    ws: Workspace, scenario: Scenario, *, based_on: int | None, note: str | None = None
) -> Version:
    """Store ``scenario`` as the next version; ``based_on`` None creates a new scenario.

    Raises :class:`StaleVersion` when ``based_on`` is not the latest version (or, creating,
    when the id is taken). A save that changes nothing returns the latest version as it is.
    """
    document = canonical_json(scenario_document(scenario))
    key = scenario_key(scenario)
    sid = scenario.id
    try:
        with ws.transaction() as con:
            current = _current(con, sid)
            if current != based_on:
                raise StaleVersion(sid, based_on, current)
            if current is not None:
                row = con.execute(
                    "SELECT scenario_key FROM scenario_versions WHERE scenario_id = ? "
                    "AND version = ?", [sid, current]).fetchone()
                if row is not None and row[0] == key:
                    return get(ws, sid, current)
            number = 1 if current is None else current + 1
            con.execute(
                f"INSERT INTO scenario_versions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [sid, number, based_on, _now(), note, key, document],
            )
    except duckdb.ConstraintException:  # another writer took the number first
        raise StaleVersion(sid, based_on, _current(ws.con, sid)) from None
    return get(ws, sid, number)


def get(ws: Workspace, scenario_id: str, version: int) -> Version:
    """One version of a scenario."""
    row = ws.con.execute(
        f"SELECT {_COLUMNS} FROM scenario_versions WHERE scenario_id = ? AND version = ?",
        [scenario_id, version],
    ).fetchone()
    if row is None:
        raise InputError(f"scenario {scenario_id!r} has no version {version}", field="version",
                         hint="the scenario's history lists its versions")
    return Version(*row)


def latest(ws: Workspace, scenario_id: str) -> Version:
    """The latest version of a scenario."""
    current = _current(ws.con, scenario_id)
    if current is None:
        raise InputError(f"no scenario {scenario_id!r} in this workspace", field="scenario",
                         hint="the workspace home lists the scenarios")
    return get(ws, scenario_id, current)


def history(ws: Workspace, scenario_id: str) -> list[Version]:
    """Every version of a scenario, newest first."""
    rows = ws.con.execute(
        f"SELECT {_COLUMNS} FROM scenario_versions WHERE scenario_id = ? ORDER BY version DESC",
        [scenario_id],
    ).fetchall()
    if not rows:
        latest(ws, scenario_id)  # raises the unknown-scenario error
    return [Version(*r) for r in rows]


def listing(ws: Workspace) -> list[Version]:
    """The latest version of every scenario, by id."""
    rows = ws.con.execute(
        f"SELECT {_COLUMNS} FROM scenario_versions v WHERE version = "
        f"(SELECT max(version) FROM scenario_versions w WHERE w.scenario_id = v.scenario_id) "
        f"ORDER BY scenario_id"
    ).fetchall()
    return [Version(*r) for r in rows]


def restore(ws: Workspace, scenario_id: str, version: int, *, based_on: int) -> Version:
    """Save an earlier version again as the latest (undo is restoring the one before)."""
    old = get(ws, scenario_id, version)
    return save(ws, old.scenario(), based_on=based_on, note=f"restored version {version}")
