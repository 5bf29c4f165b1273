"""The ``Workspace``: one DuckDB file holding scenarios, runs, results and Monte Carlo draws.

DuckDB lets one process at a time open a file for writing and locks it for as long as the
connection is open. A ``Workspace`` opens its connection on entry and closes it on exit; a
process that finds the file locked retries until ``timeout`` seconds have passed and then
fails with :class:`WorkspaceBusy`. Every run is written in one transaction: after a crash the
workspace holds each run either whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from detente.errors import DetenteError, InputError
from detente.forecasting import Forecast
from detente.io.document import scenario_from_document
from detente.models.base import IssueForecast, Model
from detente.scenario import Scenario
from detente.store.hashing import canonical_json, inputs_hash, scenario_document, scenario_key
from detente.store.opening import (
    WorkspaceDamaged,
    check_signature,
    connect,
    first_line,
    is_damage,
)
from detente.store.schema import CURRENT_VERSION, SchemaError, migrate, version_of
from detente.version import version

DEFAULT_NAME = "detente.duckdb"
ENV_VAR = "DETENTE_WORKSPACE"
EXPORT_TABLES = (
    "scenarios", "snapshots", "runs", "issue_results", "question_results", "round_summaries",
    "round_positions", "simulation_summaries", "draws",
)
#: Exported with the rest when no runs are picked (``detente sweep export`` writes a sweep's
#: rows on their own).
SWEEP_TABLES = ("sweeps", "sweep_variations", "sweep_results", "sweep_questions")


def default_path() -> Path:
    """``$DETENTE_WORKSPACE`` if set, else ``detente.duckdb`` in the current directory."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path.cwd() / DEFAULT_NAME


class WorkspaceBusy(DetenteError):
    """Another process held the workspace for longer than we were willing to wait."""


# ------------------------------------------------------------------ the simulation contract


class QuestionProbabilityLike(Protocol):
    @property
    def p(self) -> float: ...
    @property
    def se(self) -> float: ...


class IssueSummaryLike(Protocol):
    @property
    def mean(self) -> float: ...
    @property
    def median(self) -> float: ...
    @property
    def sd(self) -> float: ...
    @property
    def interval(self) -> tuple[float, float]: ...
    @property
    def questions(self) -> Mapping[str, QuestionProbabilityLike]: ...


class SimulationLike(Protocol):
    """What ``detente.uncertainty.simulation`` returns, as far as the workspace needs it."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def snapshot(self) -> int: ...
    @property
    def draws(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def models(self) -> Mapping[str, Model]: ...
    @property
    def samples(self) -> Mapping[str, Mapping[str, NDArray[np.float64]]]: ...
    def summary(self, model: str, issue: str) -> IssueSummaryLike: ...


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class StoredScenario:
    """A scenario revision in the workspace."""

    key: str
    id: str
    title: str
    revision: int
    added_at: dt.datetime
    source: str | None
    snapshots: int
    new: bool = False


@dataclass(frozen=True)
class RecordedRun:
    """The outcome of recording one model's run: its id and whether it was already there."""

    run_id: int
    model: str
    snapshot: int
    as_of: dt.date | None
    reused: bool


@dataclass(frozen=True)
class RunInfo:
    """One row of the runs table, with the scenario it belongs to."""

    run_id: int
    kind: str
    scenario_id: str
    scenario_title: str
    revision: int
    scenario_key: str
    snapshot: int
    as_of: dt.date | None
    model: str
    parameters: dict[str, Any]
    seed: int | None
    draws: int | None
    detente_version: str
    inputs_hash: str | None
    created_at: dt.datetime
    elapsed_s: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``detente runs --format json``)."""
        return {
            "run": self.run_id, "kind": self.kind, "scenario": self.scenario_id,
            "revision": self.revision, "as_of": None if self.as_of is None else str(self.as_of),
            "snapshot": self.snapshot, "model": self.model, "parameters": self.parameters,
            "seed": self.seed, "draws": self.draws, "detente_version": self.detente_version,
            "inputs_hash": self.inputs_hash, "created_at": self.created_at.isoformat(),
            "elapsed_s": self.elapsed_s,
        }


_RUN_COLUMNS = (
    "r.run_id, r.kind, s.id, s.title, s.revision, r.scenario_key, r.snapshot, r.as_of, r.model, "
    "r.parameters, r.seed, r.draws, r.detente_version, r.inputs_hash, r.created_at, r.elapsed_s"
)


def _run_info(row: tuple[Any, ...]) -> RunInfo:
    values = list(row)
    values[9] = json.loads(values[9])
    return RunInfo(*values)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


# ------------------------------------------------------------------ the workspace


class Workspace:
    """A DuckDB workspace file; use as a context manager (``with Workspace(path) as ws``).

    ``timeout`` is how long to wait, in seconds, for another process to release the file.
    ``create`` false refuses to create a workspace that does not exist yet.
    """

    def __init__(
        self, path: Path | str | None = None, *, timeout: float = 30.0, create: bool = True,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.timeout = timeout
        self.create = create and not read_only
        self.read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None

    # -- connection -----------------------------------------------------------------------

    def __enter__(self) -> Workspace:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.close()
        except duckdb.Error:
            self._con = None
        if exc is not None and is_damage(exc):
            raise WorkspaceDamaged(self.path, first_line(exc)) from None

    def open(self) -> None:
        """Connect (waiting while another process holds the file) and migrate the schema.

        An existing file is first opened read-only and its schema version read, so a file
        that is not a workspace, or a damaged one, is refused before anything could write
        to it. ``read_only`` workspaces stay read-only (``runs``, ``show``, ``export``).
        """
        if self._con is not None:
            return
        exists = self.path.exists()
        if not exists and (not self.create or self.read_only):
            raise InputError(
                "no workspace here", file=str(self.path),
                hint="record something first with 'detente add' or 'detente run', "
                     "or pass --workspace PATH",
            )
        if self.path.parent and not self.path.parent.exists():
            raise InputError("the folder does not exist", file=str(self.path),
                             hint="create it or choose another --workspace path")
        check_signature(self.path)
        version = 0
        if exists and self.path.stat().st_size > 0:
            probe = self._connect(read_only=True)
            try:
                version = self._version(probe)
            finally:
                probe.close()
        if self.read_only and version == CURRENT_VERSION:
            self._con = self._connect(read_only=True)
            return
        if self.read_only and not os.access(self.path, os.W_OK):
            raise InputError(
                f"the workspace has schema version {version} and needs an upgrade to "
                f"{CURRENT_VERSION}, which needs write access", file=str(self.path),
                hint="run any detente command on it once with write access, or on a copy")
        self._con = self._connect(read_only=False)
        try:
            migrate(self._con)
        except duckdb.Error as exc:
            self.close()
            if is_damage(exc):
                raise WorkspaceDamaged(self.path, first_line(exc)) from None
            raise
        except BaseException:
            self.close()
            raise

    def _version(self, con: duckdb.DuckDBPyConnection) -> int:
        """The schema version, with damage and foreign files as one-line errors."""
        try:
            return version_of(con)
        except SchemaError as exc:
            raise InputError(str(exc), file=str(self.path),
                             hint="choose another --workspace path; detente never changes "
                                  "this file") from None
        except ValueError as exc:
            raise WorkspaceDamaged(self.path, f"the schema version is not a number: "
                                              f"{first_line(exc)}") from None
        except duckdb.Error as exc:
            if is_damage(exc):
                raise WorkspaceDamaged(self.path, first_line(exc)) from None
            raise

    def _connect(self, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.timeout
        delay = 0.02
        while True:
            try:
                return connect(self.path, read_only=read_only)
            except duckdb.Error as exc:
                text = str(exc)
                left = deadline - time.monotonic()
                if left <= 0:
                    holder = text.split("(PID ", 1)[1].split(")", 1)[0] if "(PID " in text else "?"
                    raise WorkspaceBusy(
                        f"{self.path}: the workspace is in use by another process (PID {holder}) "
                        f"and stayed busy for {self.timeout:g} s (try again, or wait longer "
                        f"with --wait SECONDS)"
                    ) from None
                time.sleep(min(delay, left))
                delay = min(delay * 2, 0.25)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise RuntimeError("the workspace is not open; use 'with Workspace(...) as ws'")
        return self._con

    @property
    def schema_version(self) -> int:
        return version_of(self.con)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: committed whole on success, rolled back on any error."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def _insert(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        name = f"_incoming_{table}"
        self.con.register(name, frame)
        try:
            cols = ", ".join(frame.columns)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            self.con.unregister(name)

    # -- scenarios ------------------------------------------------------------------------

    def add_scenario(self, scenario: Scenario, source: str | None = None) -> StoredScenario:
        """Store a scenario; an identical one already stored is returned as it is."""
        key = scenario_key(scenario)
        found = self._scenario_row(key)
        if found is not None:
            return found
        with self.transaction() as con:
            row = con.execute(
                "SELECT coalesce(max(revision), 0) + 1 FROM scenarios WHERE id = ?", [scenario.id]
            ).fetchone()
            revision = int(row[0]) if row else 1
            con.execute(
                "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?)",
                [key, scenario.id, scenario.title, revision, _now(), source,
                 canonical_json(scenario_document(scenario))],
            )
            self._insert("snapshots", pd.DataFrame({
                "scenario_key": key,
                "idx": range(len(scenario.snapshots)),
                "as_of": [s.as_of for s in scenario.snapshots],
                "label": [s.label for s in scenario.snapshots],
            }))
        stored = self._scenario_row(key)
        assert stored is not None
        return StoredScenario(**{**stored.__dict__, "new": True})

    def _scenario_row(self, key: str) -> StoredScenario | None:
        row = self.con.execute(
            "SELECT s.scenario_key, s.id, s.title, s.revision, s.added_at, s.source, "
            "(SELECT count(*) FROM snapshots n WHERE n.scenario_key = s.scenario_key) "
            "FROM scenarios s WHERE scenario_key = ?", [key]
        ).fetchone()
        return None if row is None else StoredScenario(*row)

    def scenarios(self) -> list[StoredScenario]:
        """Every stored scenario revision, by id then revision."""
        keys = self.con.execute(
            "SELECT scenario_key FROM scenarios ORDER BY id, revision"
        ).fetchall()
        return [s for (k,) in keys if (s := self._scenario_row(k)) is not None]

    def scenario(self, ref: str) -> Scenario:
        """A stored scenario by id (latest revision), ``id@revision`` or key prefix."""
        name, _, rev = ref.partition("@")
        if rev:
            row = self.con.execute(
                "SELECT document FROM scenarios WHERE id = ? AND revision = ?", [name, int(rev)]
            ).fetchone()
        else:
            row = self.con.execute(
                "SELECT document FROM scenarios WHERE id = ? OR scenario_key LIKE ? "
                "ORDER BY (id = ?) DESC, revision DESC LIMIT 1", [name, f"{name}%", name]
            ).fetchone()
        if row is None:
            raise InputError(f"no stored scenario {ref!r}", field="scenario",
                             hint="'detente runs' lists what the workspace holds")
        return scenario_from_document(json.loads(row[0]))

    # -- runs -----------------------------------------------------------------------------

    def find_run(
        self,
        scenario: Scenario,
        snapshot: int,
        model: Model,
        *,
        kind: str = "forecast",
        seed: int | None = None,
        draws: int | None = None,
    ) -> int | None:
        """The id of an identical run already recorded (same inputs hash, model, parameters,
        seed, draws and detente version), or None."""
        params = model.parameters()
        seed = seed if seed is not None else params.get("seed")
        row = self.con.execute(
            "SELECT run_id FROM runs WHERE inputs_hash = ? AND model = ? AND parameters = ? "
            "AND seed IS NOT DISTINCT FROM ? AND draws IS NOT DISTINCT FROM ? "
            "AND detente_version = ? AND kind = ? ORDER BY run_id LIMIT 1",
            [inputs_hash(scenario, snapshot), model.name, canonical_json(params), seed, draws,
             version(), kind],
        ).fetchone()
        return None if row is None else int(row[0])

    def _new_run(
        self,
        con: duckdb.DuckDBPyConnection,
        scenario: Scenario,
        snapshot: int,
        model: Model,
        *,
        kind: str,
        seed: int | None,
        draws: int | None,
        elapsed: float | None,
    ) -> int:
        row = con.execute("SELECT nextval('run_ids')").fetchone()
        assert row is not None
        run_id = int(row[0])
        params = model.parameters()
        con.execute(
            "INSERT INTO runs (run_id, scenario_key, snapshot, as_of, model, parameters, seed, "
            "detente_version, created_at, inputs_hash, kind, draws, elapsed_s) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, scenario_key(scenario), snapshot, scenario.snapshots[snapshot].as_of,
             model.name, canonical_json(params),
             seed if seed is not None else params.get("seed"), version(), _now(),
             inputs_hash(scenario, snapshot), kind, draws, elapsed],
        )
        return run_id

    def record_forecast(self, fc: Forecast, *, elapsed: float | None = None) -> list[RecordedRun]:
        """Record each model's forecast as a run, each in its own transaction.

        A run identical to one already recorded is not written again; its id is returned
        with ``reused`` set.
        """
        sc = fc.scenario
        self.add_scenario(sc)
        out: list[RecordedRun] = []
        as_of = sc.snapshots[fc.snapshot].as_of
        for name, model in fc.models.items():
            known = self.find_run(sc, fc.snapshot, model)
            if known is not None:
                out.append(RecordedRun(known, name, fc.snapshot, as_of, reused=True))
                continue
            with self.transaction() as con:
                run_id = self._new_run(con, sc, fc.snapshot, model, kind="forecast", seed=None,
                                       draws=None, elapsed=elapsed)
                self._write_forecast(run_id, sc, fc.results[name].issues)
            out.append(RecordedRun(run_id, name, fc.snapshot, as_of, reused=False))
        return out

    def _write_forecast(
        self, run_id: int, scenario: Scenario, issues: Mapping[str, IssueForecast]
    ) -> None:
        results: list[tuple[Any, ...]] = []
        questions: list[tuple[Any, ...]] = []
        summaries: list[tuple[Any, ...]] = []
        positions: list[tuple[Any, ...]] = []
        for issue in scenario.issues:
            f = issues[issue.id]
            x = _num(f.outcome)
            results.append((run_id, issue.id, x, issue.label_at(f.outcome),
                            f.converged, len(f.rounds) if f.initial is not None else None))
            for q in issue.questions:
                questions.append((run_id, issue.id, q.id, None if x is None else q.holds(x)))
            if f.initial is not None:
                for r, state in enumerate((f.initial, *f.rounds)):
                    summaries.append((run_id, issue.id, r, _num(state.median), _num(state.mean)))
                    positions.extend((run_id, issue.id, r, a, _num(p))
                                     for a, p in state.positions.items())
        self._insert("issue_results", pd.DataFrame(
            results, columns=["run_id", "issue", "outcome", "label", "converged", "rounds"]))
        self._insert("question_results", pd.DataFrame(
            questions, columns=["run_id", "issue", "question", "answer"]))
        self._insert("round_summaries", pd.DataFrame(
            summaries, columns=["run_id", "issue", "round", "median", "mean"]))
        self._insert("round_positions", pd.DataFrame(
            positions, columns=["run_id", "issue", "round", "actor", "position"]))

    def forecast(
        self,
        scenario: Scenario,
        models: Sequence[str | Model] | None = None,
        *,
        snapshots: Sequence[int] | None = None,
        rounds: int | None = None,
    ) -> list[RecordedRun]:
        """Forecast and record each model at each snapshot (default: the latest), running
        only the models whose identical run is not recorded yet."""
        from detente.forecasting import forecast, resolve_models

        chosen = resolve_models(models, scenario=scenario, rounds=rounds)
        self.add_scenario(scenario)
        out: list[RecordedRun] = []
        for index in snapshots if snapshots is not None else [len(scenario.snapshots) - 1]:
            as_of = scenario.snapshots[index].as_of
            known = {m.name: self.find_run(scenario, index, m) for m in chosen}
            missing = [m for m in chosen if known[m.name] is None]
            done: dict[str, RecordedRun] = {}
            if missing:
                started = time.perf_counter()
                last = index == len(scenario.snapshots) - 1
                fc = forecast(scenario, missing, as_of=None if last else as_of)
                elapsed = (time.perf_counter() - started) / len(missing)
                done = {r.model: r for r in self.record_forecast(fc, elapsed=elapsed)}
            for m in chosen:
                run_id = known[m.name]
                out.append(done[m.name] if run_id is None
                           else RecordedRun(run_id, m.name, index, as_of, reused=True))
        return out

    def record_simulation(
        self, sim: SimulationLike, *, elapsed: float | None = None
    ) -> list[RecordedRun]:
        """Record a Monte Carlo simulation: one run per model with its summaries, question
        probabilities and every draw, each run in one transaction."""
        sc = sim.scenario
        self.add_scenario(sc)
        as_of = sc.snapshots[sim.snapshot].as_of
        out: list[RecordedRun] = []
        for name, model in sim.models.items():
            known = self.find_run(sc, sim.snapshot, model, kind="simulation", seed=sim.seed,
                                  draws=sim.draws)
            if known is not None:
                out.append(RecordedRun(known, name, sim.snapshot, as_of, reused=True))
                continue
            with self.transaction() as con:
                run_id = self._new_run(con, sc, sim.snapshot, model, kind="simulation",
                                       seed=sim.seed, draws=sim.draws, elapsed=elapsed)
                self._write_simulation(run_id, sim, name)
            out.append(RecordedRun(run_id, name, sim.snapshot, as_of, reused=False))
        return out

    def _write_simulation(self, run_id: int, sim: SimulationLike, model: str) -> None:
        summaries: list[tuple[Any, ...]] = []
        questions: list[tuple[Any, ...]] = []
        frames: list[pd.DataFrame] = []
        for issue in sim.scenario.issues:
            s = sim.summary(model, issue.id)
            summaries.append((run_id, issue.id, _num(s.mean), _num(s.median), _num(s.sd),
                              _num(s.interval[0]), _num(s.interval[1])))
            questions.extend((run_id, issue.id, qid, None, _num(q.p), _num(q.se))
                             for qid, q in s.questions.items())
            values = np.asarray(sim.samples[model][issue.id], dtype=np.float64)
            frames.append(pd.DataFrame({
                "run_id": np.full(values.size, run_id, dtype=np.int64),
                "issue": issue.id,
                "draw": np.arange(values.size, dtype=np.int32),
                "value": values,
            }))
        self._insert("simulation_summaries", pd.DataFrame(
            summaries, columns=["run_id", "issue", "mean", "median", "sd", "p5", "p95"]))
        self._insert("question_results", pd.DataFrame(
            questions, columns=["run_id", "issue", "question", "answer", "p", "se"]))
        if frames:
            self._insert("draws", pd.concat(frames, ignore_index=True))

    # -- reading --------------------------------------------------------------------------

    def runs(self, scenario: str | None = None) -> list[RunInfo]:
        """Every recorded run (of one scenario id when given), oldest first."""
        where, args = ("WHERE s.id = ?", [scenario]) if scenario else ("", [])
        rows = self.con.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs r JOIN scenarios s USING (scenario_key) "
            f"{where} ORDER BY r.run_id", args
        ).fetchall()
        return [_run_info(r) for r in rows]

    def run(self, run_id: int) -> RunInfo:
        """One run by id."""
        row = self.con.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs r JOIN scenarios s USING (scenario_key) "
            f"WHERE r.run_id = ?", [run_id]
        ).fetchone()
        if row is None:
            raise InputError(f"no run {run_id} in this workspace", field="RUN",
                             hint="'detente runs' lists the recorded runs")
        return _run_info(row)

    def table(self, name: str, run_id: int) -> pd.DataFrame:
        """One result table of a run (issue_results, question_results, round_summaries,
        round_positions, simulation_summaries or draws) as a data frame."""
        if name not in EXPORT_TABLES[3:]:
            raise ValueError(f"unknown result table {name!r}")
        order = {"round_summaries": "issue, round", "round_positions": "issue, round, actor",
                 "draws": "issue, draw", "question_results": "issue, question"}.get(name, "issue")
        return self.con.execute(
            f"SELECT * FROM {name} WHERE run_id = ? ORDER BY {order}", [run_id]
        ).df()

    def draws(self, run_id: int) -> dict[str, NDArray[np.float64]]:
        """The Monte Carlo draws of a simulation run, per issue, in draw order."""
        frame = self.table("draws", run_id)
        return {str(issue): g["value"].to_numpy(dtype=np.float64)
                for issue, g in frame.groupby("issue", sort=False)}

    def export(
        self, directory: Path, fmt: str = "parquet", runs: Sequence[int] | None = None
    ) -> list[Path]:
        """Write every table (only the given runs' rows when ``runs`` is set; the sweep
        tables only when it is not) as Parquet or CSV files into ``directory``; the paths
        written."""
        if fmt not in ("parquet", "csv"):
            raise InputError(f"unknown export format {fmt!r}", field="--format",
                             hint="use parquet or csv")
        directory.mkdir(parents=True, exist_ok=True)
        ids = ", ".join(str(int(r)) for r in runs) if runs else None
        written = []
        for table in EXPORT_TABLES + (SWEEP_TABLES if ids is None else ()):
            query = f"SELECT * FROM {table}"
            if ids is not None:
                if table in ("scenarios", "snapshots"):
                    query += f" WHERE scenario_key IN (SELECT scenario_key FROM runs " \
                             f"WHERE run_id IN ({ids}))"
                else:
                    query += f" WHERE run_id IN ({ids})"
            target = directory / f"{table}.{fmt}"
            literal = str(target).replace("'", "''")
            options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
            self.con.execute(f"COPY ({query}) TO '{literal}' ({options})")
            written.append(target)
        return written
