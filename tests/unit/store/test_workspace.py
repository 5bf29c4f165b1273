"""The workspace in one process: round trips, identical runs, revisions, export, errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

import detente
from detente.errors import InputError
from detente.models import ExpectedUtility
from detente.store import Workspace, default_path, inputs_hash, scenario_key
from tests.helpers import EXAMPLES, ROOT
from tests.simulation_fixtures import fake_simulation

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"


@pytest.fixture(scope="module")
def korea() -> detente.Scenario:
    return detente.load(EXAMPLES / "korea-2018.yaml")


def test_forecast_round_trip(tmp_path: Path, korea: detente.Scenario) -> None:
    fc = detente.forecast(korea, as_of="2017-11-19")
    with Workspace(tmp_path / "ws.duckdb") as ws:
        recorded = ws.record_forecast(fc)
        assert [r.model for r in recorded] == list(fc.models)
        assert not any(r.reused for r in recorded)
        runs = ws.runs()
        assert [r.run_id for r in runs] == [r.run_id for r in recorded]
        eum = next(r for r in runs if r.model == "eum")
        assert eum.parameters == ExpectedUtility().parameters()
        assert eum.as_of.isoformat() == "2017-11-19"
        assert eum.snapshot == 1
        assert eum.detente_version == detente.__version__
        assert eum.inputs_hash == inputs_hash(korea, 1)
        assert eum.scenario_key == scenario_key(korea)
        results = ws.table("issue_results", eum.run_id).set_index("issue")
        for issue in korea.issues:
            f = fc.results["eum"].issues[issue.id]
            assert results.loc[issue.id, "outcome"] == f.outcome
            assert results.loc[issue.id, "rounds"] == len(f.rounds)
        rounds = ws.table("round_summaries", eum.run_id)
        talks = rounds[rounds.issue == "talks"]
        expected = [fc.results["eum"].issues["talks"].initial.median,  # type: ignore[union-attr]
                    *(r.median for r in fc.results["eum"].issues["talks"].rounds)]
        assert talks["median"].tolist() == expected
        pos = ws.table("round_positions", eum.run_id)
        assert len(pos) == sum(
            (len(f.rounds) + 1) * len(f.initial.positions)  # type: ignore[union-attr]
            for f in fc.results["eum"].issues.values()
        )
        answers = ws.table("question_results", eum.run_id)
        assert len(answers) == sum(len(i.questions) for i in korea.issues)
        assert ws.scenario("korea-2018") == korea


def test_identical_run_is_recognised(tmp_path: Path, korea: detente.Scenario) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = ws.record_forecast(detente.forecast(korea, ["median", "eum"]))
        again = ws.record_forecast(detente.forecast(korea, ["median", "eum"]))
        assert [r.run_id for r in again] == [r.run_id for r in first]
        assert all(r.reused for r in again)
        # other parameters, another snapshot: new runs
        other = ws.record_forecast(detente.forecast(korea, ["eum"], rounds=3))
        assert not other[0].reused
        earlier = ws.record_forecast(detente.forecast(korea, ["median"], as_of="2017-10-22"))
        assert not earlier[0].reused
        assert len(ws.runs()) == 4


def test_later_snapshots_leave_earlier_runs_identical(tmp_path: Path) -> None:
    sc = detente.load(HARBOUR)
    first_only = sc.model_copy(update={"snapshots": sc.snapshots[:1]})
    first_only = detente.Scenario(**{k: getattr(first_only, k) for k in type(sc).model_fields})
    assert inputs_hash(first_only, 0) == inputs_hash(sc, 0)
    assert inputs_hash(sc, 0) != inputs_hash(sc, 1)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        (a,) = ws.record_forecast(detente.forecast(first_only, ["median"]))
        (b,) = ws.record_forecast(detente.forecast(sc, ["median"], as_of="2024-03-01"))
        assert b.reused and b.run_id == a.run_id
        # the two files are two revisions of one scenario id
        revisions = [s.revision for s in ws.scenarios() if s.id == sc.id]
        assert revisions == [1, 2]
        assert ws.scenario(f"{sc.id}@1") == first_only
        assert ws.scenario(sc.id) == sc


def test_add_is_idempotent(tmp_path: Path) -> None:
    sc = detente.load(HARBOUR)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        first = ws.add_scenario(sc, source="harbour.yaml")
        again = ws.add_scenario(sc)
        assert first.new and not again.new
        assert (first.key, first.revision, first.snapshots) == (again.key, 1, 2)
        assert first.source == "harbour.yaml"


def test_simulation_round_trip(tmp_path: Path) -> None:
    sc = detente.load(HARBOUR)
    sim = fake_simulation(sc, draws=5000, seed=3)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        recorded = ws.record_simulation(sim)
        assert len(recorded) == len(sim.models)
        run = ws.run(recorded[0].run_id)
        assert (run.kind, run.seed, run.draws) == ("simulation", 3, 5000)
        draws = ws.draws(run.run_id)
        for issue, values in sim.samples[run.model].items():
            np.testing.assert_array_equal(draws[issue], values)
        summary = ws.table("simulation_summaries", run.run_id).set_index("issue")
        s = sim.summary(run.model, "size")
        assert summary.loc["size", "p5"] == s.interval[0]
        assert summary.loc["size", "median"] == s.median
        q = ws.table("question_results", run.run_id)
        assert q.loc[0, "p"] == s.questions["go"].p
        assert q.loc[0, "se"] == pytest.approx(s.questions["go"].se)
        assert all(r.reused for r in ws.record_simulation(sim))
        other = fake_simulation(sc, draws=5000, seed=4)
        assert not any(r.reused for r in ws.record_simulation(other))


def test_export_parquet_and_csv(tmp_path: Path) -> None:
    sc = detente.load(HARBOUR)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        runs = ws.record_forecast(detente.forecast(sc))
        sim = ws.record_simulation(fake_simulation(sc, draws=1000, models=["median"]))
        files = ws.export(tmp_path / "out")
        only = ws.export(tmp_path / "one", "csv", runs=[sim[0].run_id])
    names = {f.name for f in files}
    assert {"runs.parquet", "draws.parquet", "issue_results.parquet"} <= names
    assert {"sweeps.parquet", "sweep_results.parquet"} <= names  # the whole workspace
    assert not any(f.name.startswith("sweep") for f in only)  # runs picked: no sweeps
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM '{tmp_path / 'out' / 'runs.parquet'}'").fetchone()
    assert n == (len(runs) + 1,)
    d = con.execute(
        f"SELECT count(*), count(DISTINCT issue) FROM '{tmp_path / 'out' / 'draws.parquet'}'"
    ).fetchone()
    assert d == (2000, 2)
    one_runs = (tmp_path / "one" / "runs.csv").read_text().splitlines()
    assert len(one_runs) == 2 and all(p.suffix == ".csv" for p in only)


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no workspace here"):
        Workspace(tmp_path / "none.duckdb", create=False).open()
    with pytest.raises(InputError, match="folder does not exist"):
        Workspace(tmp_path / "no" / "ws.duckdb").open()
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    with pytest.raises(InputError, match="not a DuckDB file"):
        Workspace(junk).open()
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (a INT)").close()
    with pytest.raises(detente.DetenteError, match="not a detente workspace"):
        Workspace(other).open()
    with Workspace(tmp_path / "ws.duckdb") as ws:
        with pytest.raises(InputError, match="no run 7"):
            ws.run(7)
        with pytest.raises(InputError, match="no stored scenario"):
            ws.scenario("nothing")
        with pytest.raises(InputError, match="export format"):
            ws.export(tmp_path / "x", "xlsx")


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DETENTE_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_path() == tmp_path / "detente.duckdb"
    monkeypatch.setenv("DETENTE_WORKSPACE", str(tmp_path / "w.duckdb"))
    assert default_path() == tmp_path / "w.duckdb"
