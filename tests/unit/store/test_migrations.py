"""Schema versions: a version-1 workspace with data in it is upgraded in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

import detente
from detente.store import CURRENT_VERSION, Workspace, inputs_hash, scenario_key
from detente.store import schema as schema_mod
from detente.store.hashing import canonical_json, scenario_document
from tests.helpers import ROOT
from tests.simulation_fixtures import fake_simulation

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"


@pytest.fixture
def v1_workspace(tmp_path: Path) -> Path:
    """A workspace as version 1 wrote it: the harbour scenario and one median run of its
    first snapshot, with outcomes (no inputs hash, no questions, no draws)."""
    sc = detente.load(HARBOUR)
    fc = detente.forecast(sc, ["median"], as_of="2024-03-01")
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(schema_mod.SCHEMA_V1)
    key = scenario_key(sc)
    con.execute(
        "INSERT INTO scenarios VALUES (?, ?, ?, 1, ?, 'harbour.yaml', ?)",
        [key, sc.id, sc.title, dt.datetime(2024, 6, 2, 9, 0),
         canonical_json(scenario_document(sc))],
    )
    for i, snap in enumerate(sc.snapshots):
        con.execute("INSERT INTO snapshots VALUES (?, ?, ?, ?)", [key, i, snap.as_of, snap.label])
    con.execute(
        "INSERT INTO runs VALUES (nextval('run_ids'), ?, 0, ?, 'median', '{}', NULL, ?, ?)",
        [key, sc.snapshots[0].as_of, detente.__version__, dt.datetime(2024, 6, 2, 9, 1)],
    )
    for issue in sc.issues:
        out = fc.outcome("median", issue.id)
        con.execute("INSERT INTO issue_results VALUES (1, ?, ?, ?, NULL, NULL)",
                    [issue.id, out, issue.label_at(out)])
    con.close()
    return path


def test_version_one_is_upgraded_with_its_data(v1_workspace: Path) -> None:
    sc = detente.load(HARBOUR)
    with Workspace(v1_workspace) as ws:
        assert ws.schema_version == CURRENT_VERSION == 4
        (run,) = ws.runs()
        assert (run.run_id, run.kind, run.model, run.snapshot) == (1, "forecast", "median", 0)
        assert run.inputs_hash == inputs_hash(sc, 0)
        assert run.draws is None
        answers = ws.table("question_results", 1)
        # harbour's question: at least half the plan is built (size >= 50); median was 70
        assert answers[["issue", "question", "answer"]].values.tolist() == [["size", "go", True]]
        # the old run is recognised as identical to a new one, and new runs continue the ids
        (again,) = ws.record_forecast(detente.forecast(sc, ["median"], as_of="2024-03-01"))
        assert again.reused and again.run_id == 1
        (new,) = ws.record_forecast(detente.forecast(sc, ["median"]))
        assert new.run_id == 2 and not new.reused
        ws.record_simulation(fake_simulation(sc, draws=100, models=["median"]))
        assert len(ws.table("draws", ws.runs()[-1].run_id)) == 200
        # the stored revision became the scenario's first version
        from detente.store.versions import latest
        first = latest(ws, "harbour")
        assert (first.version, first.based_on) == (1, None)
        assert first.scenario_key == scenario_key(sc)


def test_failed_migration_leaves_version_one(
    v1_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("ALTER TABLE runs ADD COLUMN inputs_hash VARCHAR")
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema_mod, "MIGRATIONS",
                        (schema_mod.MIGRATIONS[0], schema_mod.Migration(2, "broken", broken)))
    with pytest.raises(RuntimeError, match="power cut"):
        Workspace(v1_workspace).open()
    con = duckdb.connect(str(v1_workspace))
    assert schema_mod.version_of(con) == 1
    columns = [r[0] for r in con.execute("DESCRIBE runs").fetchall()]
    assert "inputs_hash" not in columns
    con.close()
    monkeypatch.undo()
    with Workspace(v1_workspace) as ws:
        assert ws.schema_version == CURRENT_VERSION


def test_newer_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with Workspace(path):
        pass
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(detente.DetenteError, match="schema version 9, newer"):
        Workspace(path).open()


def test_every_version_is_reachable_step_by_step(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "steps.duckdb"))
    assert schema_mod.migrate(con, target=1) == [1]
    assert schema_mod.version_of(con) == 1
    assert schema_mod.migrate(con, target=2) == [2]
    assert schema_mod.migrate(con) == [3, 4]
    assert schema_mod.migrate(con) == []
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"sweeps", "sweep_variations", "sweep_results", "sweep_questions"} <= tables


def test_a_version_three_workspace_gets_the_sweep_tables(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "three.duckdb"))
    schema_mod.migrate(con, target=2)
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    assert schema_mod.migrate(con) == [4]
    assert schema_mod.version_of(con) == 4
