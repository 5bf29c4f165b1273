"""Sweeps in the workspace: the spec, and per variation its inputs, summaries and questions.

Each task's variations are written in one transaction: a variation is stored whole (its
``sweep_variations`` row with every model × issue row and every question) or not at all,
and the key of ``sweep_variations`` refuses a second copy, so a resumed sweep can neither
lose nor duplicate anything. The client is the only writer (DuckDB lets one process write).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from detente.errors import InputError
from detente.store.hashing import canonical_json, scenario_key
from detente.version import version

if TYPE_CHECKING:
    from detente.models.base import Model
    from detente.scenario import Scenario
    from detente.store.workspace import Workspace
    from detente.sweep.runner import SweepContext, VariationBatch
    from detente.sweep.spec import SweepSpec


@dataclass(frozen=True)
class SweepInfo:
    """One stored sweep and how far it got."""

    sweep_id: int
    scenario_id: str
    scenario_key: str
    snapshot: int
    as_of: dt.date | None
    spec: dict[str, Any]
    variables: list[str]
    variations: int
    done: int
    detente_version: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    elapsed_s: float | None

    @property
    def complete(self) -> bool:
        return self.done == self.variations

    def to_dict(self) -> dict[str, Any]:
        return {"sweep": self.sweep_id, "scenario": self.scenario_id,
                "as_of": None if self.as_of is None else str(self.as_of),
                "variables": self.variables, "variations": self.variations, "done": self.done,
                "models": self.spec["models"], "draws": self.spec["draws"],
                "sample": self.spec["sample"], "seed": self.spec["seed"],
                "detente_version": self.detente_version,
                "created_at": self.created_at.isoformat(),
                "elapsed_s": self.elapsed_s}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SweepStore:
    """The sweep tables of an open workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def create(self, scenario: Scenario, snapshot: int, spec: SweepSpec,
               models: Sequence[Model]) -> int:
        """A new sweep (its scenario stored too); its id."""
        self.ws.add_scenario(scenario)
        doc = spec.to_dict()
        doc["parameters"] = {m.name: m.parameters() for m in models}
        doc["issues"] = [i.id for i in scenario.issues]
        with self.ws.transaction() as con:
            row = con.execute("SELECT nextval('sweep_ids')").fetchone()
            assert row is not None
            sweep_id = int(row[0])
            con.execute(
                "INSERT INTO sweeps (sweep_id, scenario_key, snapshot, as_of, spec, variables, "
                "variations, detente_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sweep_id, scenario_key(scenario), snapshot, scenario.snapshots[snapshot].as_of,
                 canonical_json(doc), [v.path for v in spec.variables], spec.variations,
                 version(), _now()])
        return sweep_id

    def info(self, sweep_id: int) -> SweepInfo:
        """A stored sweep, or a one-line error."""
        found = self._infos("WHERE w.sweep_id = ?", [int(sweep_id)])
        if not found:
            raise InputError(f"no sweep {sweep_id} in this workspace", field="RUN",
                             hint="'detente sweep list' lists the stored sweeps")
        return found[0]

    def all(self) -> list[SweepInfo]:
        """Every stored sweep, oldest first."""
        return self._infos("", [])

    def _infos(self, where: str, args: list[Any]) -> list[SweepInfo]:
        rows = self.ws.con.execute(
            "SELECT w.sweep_id, s.id, w.scenario_key, w.snapshot, w.as_of, w.spec, w.variables, "
            "w.variations, (SELECT count(*) FROM sweep_variations v "
            "WHERE v.sweep_id = w.sweep_id), w.detente_version, w.created_at, w.finished_at, "
            f"w.elapsed_s FROM sweeps w JOIN scenarios s USING (scenario_key) {where} "
            "ORDER BY w.sweep_id", args).fetchall()
        out = []
        for r in rows:
            values = list(r)
            values[5] = json.loads(values[5])
            values[6] = list(values[6])
            out.append(SweepInfo(*values))
        return out

    def done(self, sweep_id: int) -> NDArray[np.int64]:
        """The variations already stored, in order."""
        rows = self.ws.con.execute(
            "SELECT variation FROM sweep_variations WHERE sweep_id = ? ORDER BY variation",
            [int(sweep_id)]).fetchnumpy()
        return np.asarray(rows["variation"], dtype=np.int64)

    def write(self, sweep_id: int, batch: VariationBatch, ctx: SweepContext) -> None:
        """One task's variations, in one transaction."""
        import pyarrow as pa

        v = len(batch.variations)
        models = [m.name for m in ctx.models]
        issues = [i.id for i in ctx.issues]
        m, n = len(models), len(issues)
        k = batch.inputs.shape[1]
        offsets = pa.array(np.arange(0, v * k + 1, k, dtype=np.int32))
        variations = pa.table({
            "sweep_id": pa.array(np.full(v, sweep_id, dtype=np.int64)),
            "variation": pa.array(batch.variations.astype(np.int32)),
            "inputs": pa.ListArray.from_arrays(offsets, pa.array(batch.inputs.reshape(-1))),
        })
        stats = batch.stats.reshape(v * m * n, -1)
        results = pd.DataFrame({
            "sweep_id": np.full(v * m * n, sweep_id, dtype=np.int64),
            "variation": np.repeat(batch.variations, m * n).astype(np.int32),
            "model": np.tile(np.repeat(models, n), v),
            "issue": np.tile(issues, v * m),
        })
        for c, name in enumerate(("mean", "median", "sd", "p5", "p95")):
            results[name] = stats[:, c]
        q = len(ctx.questions)
        probs = batch.questions.reshape(v * m * q, 2)
        questions = pd.DataFrame({
            "sweep_id": np.full(v * m * q, sweep_id, dtype=np.int64),
            "variation": np.repeat(batch.variations, m * q).astype(np.int32),
            "model": np.tile(np.repeat(models, q), v),
            "issue": np.tile([issues[j] for j, _ in ctx.questions], v * m),
            "question": np.tile([qq.id for _, qq in ctx.questions], v * m),
            "p": probs[:, 0],
            "se": probs[:, 1],
        })
        con = self.ws.con
        frames = {"sweep_variations": variations, "sweep_results": results,
                  "sweep_questions": questions}
        for table, frame in frames.items():
            con.register(f"_incoming_{table}", frame)
        try:
            with self.ws.transaction():
                for table in frames:
                    con.execute(f"INSERT INTO {table} SELECT * FROM _incoming_{table}")
        finally:
            for table in frames:
                con.unregister(f"_incoming_{table}")

    def finish(self, sweep_id: int, elapsed: float) -> None:
        """Mark the sweep finished once every variation is stored; add the time spent."""
        info = self.info(sweep_id)
        if not info.complete:
            return
        self.ws.con.execute(
            "UPDATE sweeps SET finished_at = coalesce(finished_at, ?), "
            "elapsed_s = coalesce(elapsed_s, 0) + ? WHERE sweep_id = ?",
            [_now(), float(elapsed), int(sweep_id)])

    def rows_query(self, sweep_id: int, model: str | None = None) -> str:
        """SQL for one row per variation × model × issue: the varied inputs (one column per
        variable), mean, median, sd, p5, p95 and ``p_QID`` per question of the issue."""
        info = self.info(sweep_id)
        sid = int(sweep_id)
        inputs = ", ".join(f"v.inputs[{k + 1}] AS {_ident(name)}"
                           for k, name in enumerate(info.variables))
        qids = [r[0] for r in self.ws.con.execute(
            "SELECT DISTINCT question FROM sweep_questions WHERE sweep_id = ? ORDER BY 1",
            [sid]).fetchall()]
        pivot = ", ".join(f"max(p) FILTER (WHERE question = {_literal(q)}) AS "
                          f"{_ident('p_' + q)}" for q in qids)
        models = "[" + ", ".join(map(_literal, info.spec["models"])) + "]"
        issues = "[" + ", ".join(map(_literal, info.spec["issues"])) + "]"
        where = f"r.sweep_id = {sid}"
        if model is not None:
            where += f" AND r.model = {_literal(model)}"
        questions = "" if not qids else (
            f"LEFT JOIN (SELECT variation, model, issue, {pivot} FROM sweep_questions "
            f"WHERE sweep_id = {sid} GROUP BY variation, model, issue) q "
            "USING (variation, model, issue) ")
        where = where.replace("r.model", "model")
        qcols = "".join(f", q.{_ident('p_' + x)}" for x in qids)
        return (f"SELECT variation, {inputs}, model, issue, r.mean, r.median, r.sd, "
                f"r.p5, r.p95{qcols} FROM sweep_results r "
                f"JOIN sweep_variations v USING (sweep_id, variation) {questions}"
                f"WHERE {where} ORDER BY variation, list_position({models}, model), "
                f"list_position({issues}, issue)")

    def rows(self, sweep_id: int, model: str | None = None) -> pd.DataFrame:
        """The rows of :meth:`rows_query` as a data frame."""
        return self.ws.con.execute(self.rows_query(sweep_id, model)).df()

    def export(self, sweep_id: int, path: Path, fmt: str = "parquet") -> Path:
        """Write the rows to a Parquet (or CSV) file, streamed by DuckDB."""
        if fmt not in ("parquet", "csv"):
            raise InputError(f"unknown export format {fmt!r}", field="--format",
                             hint="use parquet or csv")
        options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        tmp = path.with_name(f".{path.name}.tmp")
        self.ws.con.execute(f"COPY ({self.rows_query(sweep_id)}) TO {_literal(str(tmp))} "
                            f"({options})")
        tmp.replace(path)
        return path
