"""The workspace schema, versioned, and the migrations between versions.

Version 1 kept scenarios, their snapshots, forecast runs, per-issue outcomes and per-round
positions. Version 2 adds what makes runs comparable and Monte Carlo work storable: the hash
of each run's inputs (to recognise a repeated run), the kind of run and its number of draws,
question answers and probabilities, simulation summaries and the draws themselves. Each
migration runs in one transaction together with the version bump, so a workspace is always
at one version or the next, never in between. Version 3 adds scenario versions: every save
from the web app is a new version of a scenario (its history, and undo), each recording the
version it was based on.
Version 4 adds sweeps: each sweep's spec, its variations' inputs, and per variation, model
and issue the summary of its draws and its question probabilities.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from detente.errors import DetenteError

#: The version this code writes.
CURRENT_VERSION = 4

SCHEMA_V1 = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
CREATE TABLE scenarios (
    scenario_key VARCHAR PRIMARY KEY,
    id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    added_at TIMESTAMP NOT NULL,
    source VARCHAR,
    document VARCHAR NOT NULL
);
CREATE TABLE snapshots (
    scenario_key VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    as_of DATE,
    label VARCHAR,
    PRIMARY KEY (scenario_key, idx)
);
CREATE SEQUENCE run_ids START 1;
CREATE TABLE runs (
    run_id BIGINT PRIMARY KEY,
    scenario_key VARCHAR NOT NULL,
    snapshot INTEGER NOT NULL,
    as_of DATE,
    model VARCHAR NOT NULL,
    parameters VARCHAR NOT NULL,
    seed BIGINT,
    detente_version VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE issue_results (
    run_id BIGINT NOT NULL,
    issue VARCHAR NOT NULL,
    outcome DOUBLE,
    label VARCHAR,
    converged BOOLEAN,
    rounds INTEGER,
    PRIMARY KEY (run_id, issue)
);
CREATE TABLE round_positions (
    run_id BIGINT NOT NULL,
    issue VARCHAR NOT NULL,
    round INTEGER NOT NULL,
    actor VARCHAR NOT NULL,
    position DOUBLE
);
CREATE TABLE round_summaries (
    run_id BIGINT NOT NULL,
    issue VARCHAR NOT NULL,
    round INTEGER NOT NULL,
    median DOUBLE,
    mean DOUBLE
);
"""
"""Version 1 as it was first shipped; tests build old workspaces from it."""

_V2_DDL = """
ALTER TABLE runs ADD COLUMN inputs_hash VARCHAR;
ALTER TABLE runs ADD COLUMN kind VARCHAR DEFAULT 'forecast';
ALTER TABLE runs ADD COLUMN draws INTEGER;
ALTER TABLE runs ADD COLUMN elapsed_s DOUBLE;
CREATE TABLE question_results (
    run_id BIGINT NOT NULL,
    issue VARCHAR NOT NULL,
    question VARCHAR NOT NULL,
    answer BOOLEAN,
    p DOUBLE,
    se DOUBLE
);
CREATE TABLE simulation_summaries (
    run_id BIGINT NOT NULL,
    issue VARCHAR NOT NULL,
    mean DOUBLE,
    median DOUBLE,
    sd DOUBLE,
    p5 DOUBLE,
    p95 DOUBLE
);
CREATE TABLE draws (
    run_id BIGINT NOT NULL,
    issue VARCHAR NOT NULL,
    draw INTEGER NOT NULL,
    value DOUBLE
);
CREATE INDEX runs_by_inputs ON runs (inputs_hash, model);
"""


def _to_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Add run identity, kinds, questions, simulation summaries and draws.

    Existing runs become forecasts; their inputs hash is computed from the stored scenario
    document, and their question answers from the stored outcomes.
    """
    from detente.io.document import scenario_from_document
    from detente.store.hashing import inputs_hash

    con.execute(_V2_DDL)
    con.execute("UPDATE runs SET kind = 'forecast'")
    docs = con.execute(
        "SELECT DISTINCT s.scenario_key, s.document FROM scenarios s "
        "JOIN runs r USING (scenario_key)"
    ).fetchall()
    for key, document in docs:
        scenario = scenario_from_document(json.loads(document))
        snaps = con.execute(
            "SELECT DISTINCT snapshot FROM runs WHERE scenario_key = ?", [key]
        ).fetchall()
        for (snap,) in snaps:
            con.execute(
                "UPDATE runs SET inputs_hash = ? WHERE scenario_key = ? AND snapshot = ?",
                [inputs_hash(scenario, snap), key, snap],
            )
        questions = [(i.id, q.id, q.op, q.threshold) for i in scenario.issues for q in i.questions]
        for issue, qid, op, threshold in questions:
            con.execute(
                f"INSERT INTO question_results (run_id, issue, question, answer) "
                f"SELECT r.run_id, i.issue, ?, CASE WHEN i.outcome IS NULL THEN NULL "
                f"ELSE i.outcome {op} ? END "
                f"FROM runs r JOIN issue_results i USING (run_id) "
                f"WHERE r.scenario_key = ? AND i.issue = ?",
                [qid, threshold, key, issue],
            )


_V3_DDL = """
CREATE TABLE scenario_versions (
    scenario_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    based_on INTEGER,
    saved_at TIMESTAMP NOT NULL,
    note VARCHAR,
    scenario_key VARCHAR NOT NULL,
    document VARCHAR NOT NULL,
    PRIMARY KEY (scenario_id, version)
);
"""

_V4_DDL = """
CREATE SEQUENCE sweep_ids START 1;
CREATE TABLE sweeps (
    sweep_id BIGINT PRIMARY KEY,
    scenario_key VARCHAR NOT NULL,
    snapshot INTEGER NOT NULL,
    as_of DATE,
    spec VARCHAR NOT NULL,
    variables VARCHAR[] NOT NULL,
    variations INTEGER NOT NULL,
    detente_version VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    elapsed_s DOUBLE
);
CREATE TABLE sweep_variations (
    sweep_id BIGINT NOT NULL,
    variation INTEGER NOT NULL,
    inputs DOUBLE[] NOT NULL,
    PRIMARY KEY (sweep_id, variation)
);
CREATE TABLE sweep_results (
    sweep_id BIGINT NOT NULL,
    variation INTEGER NOT NULL,
    model VARCHAR NOT NULL,
    issue VARCHAR NOT NULL,
    mean DOUBLE,
    median DOUBLE,
    sd DOUBLE,
    p5 DOUBLE,
    p95 DOUBLE
);
CREATE TABLE sweep_questions (
    sweep_id BIGINT NOT NULL,
    variation INTEGER NOT NULL,
    model VARCHAR NOT NULL,
    issue VARCHAR NOT NULL,
    question VARCHAR NOT NULL,
    p DOUBLE,
    se DOUBLE
);
"""


def _to_v3(con: duckdb.DuckDBPyConnection) -> None:
    """Add scenario versions; every stored revision becomes a version, in revision order."""
    con.execute(_V3_DDL)
    con.execute(
        "INSERT INTO scenario_versions "
        "SELECT id, row_number() OVER (PARTITION BY id ORDER BY revision), "
        "CASE WHEN revision > 1 THEN revision - 1 END, added_at, "
        "'revision ' || revision || coalesce(' from ' || source, ''), scenario_key, document "
        "FROM scenarios"
    )


def _to_v4(con: duckdb.DuckDBPyConnection) -> None:
    """Add the sweep tables (a variation's rows are written with its sweep_variations row,
    whose key refuses a second copy)."""
    con.execute(_V4_DDL)


@dataclass(frozen=True)
class Migration:
    """The step from ``version - 1`` to ``version``."""

    version: int
    description: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def _create_v1(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_V1)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "scenarios, snapshots, runs, outcomes, rounds", _create_v1),
    Migration(2, "inputs hash, run kinds, questions, simulation summaries, draws", _to_v2),
    Migration(3, "scenario versions: history of every save", _to_v3),
    Migration(4, "sweeps: specs, variations, per-variation summaries and questions", _to_v4),
)


class SchemaError(DetenteError):
    """The workspace file is not one this version of detente can use."""


def version_of(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open workspace (0 for an empty database)."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    if not tables:
        return 0
    if "meta" not in tables:
        raise SchemaError("this DuckDB file is not a detente workspace (it has no meta table)")
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise SchemaError("the workspace has no schema version")
    return int(row[0])


def migrate(con: duckdb.DuckDBPyConnection, target: int = CURRENT_VERSION) -> list[int]:
    """Bring the workspace up to ``target``, one transaction per step; the steps applied."""
    current = version_of(con)
    if current > CURRENT_VERSION:
        raise SchemaError(
            f"the workspace has schema version {current}, newer than this detente knows "
            f"({CURRENT_VERSION}); upgrade detente to use it"
        )
    applied: list[int] = []
    for step in MIGRATIONS:
        if current < step.version <= target:
            con.execute("BEGIN TRANSACTION")
            try:
                step.apply(con)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(step.version)]
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            applied.append(step.version)
            current = step.version
    return applied
