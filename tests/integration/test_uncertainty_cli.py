"""``detente simulate``, ``explain`` and ``backtest`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import EXAMPLES, ROOT
from tests.integration.test_cli import assert_user_error, run

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"
KOREA = EXAMPLES / "korea-2018.yaml"


def test_simulate_json_contract() -> None:
    out = run("simulate", KOREA, "-m", "compromise", "-m", "eum", "--draws", "300",
              "--seed", "7", "--format", "json").stdout
    doc = json.loads(out)
    assert {"detente_version", "scenario", "draws", "seed", "models", "issues"} <= set(doc)
    assert doc["draws"] == 300 and doc["seed"] == 7
    assert doc["scenario"]["as_of"] == "2018-01-02"
    talks = next(i for i in doc["issues"] if i["id"] == "talks")
    assert {"id", "name", "scale", "status_quo", "anchors", "questions", "known_outcome",
            "forecasts"} <= set(talks)
    fc = talks["forecasts"]["eum"]
    assert {"mean", "median", "sd", "interval", "questions", "histogram"} <= set(fc)
    p = fc["questions"]["direct_talks_held"]
    assert 0 <= p["p"] <= 1 and p["se"] == pytest.approx((p["p"] * (1 - p["p"]) / 300) ** 0.5)
    assert len(fc["histogram"]["counts"]) == 40


def test_simulate_same_seed_same_bytes(tmp_path: Path) -> None:
    args = ("simulate", HARBOUR, "--draws", "500", "--seed", "3", "--workers", "1")
    a = run(*args, "--format", "json").stdout
    b = run(*args, "--format", "json", "--workers", "2").stdout
    c = run("simulate", HARBOUR, "--draws", "500", "--seed", "4", "--format", "json").stdout
    assert a == b and a != c
    for name in ("one", "two"):
        run(*args, "--format", "parquet", "--samples", "-o", tmp_path / f"{name}.parquet")
    one = (tmp_path / "one.parquet").read_bytes()
    assert one == (tmp_path / "two.parquet").read_bytes()
    frame = pd.read_parquet(tmp_path / "one.parquet")
    assert list(frame.columns) == ["draw", "model", "issue", "value"]
    from detente.models import REGISTRY

    batched = [n for n in REGISTRY.defaults() if REGISTRY[n]().tags().batched]
    assert len(frame) == 500 * 2 * len(batched)  # draws × issues × models simulated


def test_simulate_csv_and_table(tmp_path: Path) -> None:
    csv = run("simulate", HARBOUR, "--draws", "200", "--format", "csv").stdout
    lines = csv.splitlines()
    assert lines[0] == "as_of,issue,model,quantity,value,se"
    assert any(",size,compromise,P(go)," in ln for ln in lines)
    table = run("simulate", HARBOUR, "--draws", "200", "-m", "median").stdout
    assert "Harbour expansion" in table and "200 draws" in table and "P(yes)" in table
    run("simulate", HARBOUR, "--draws", "200", "--format", "parquet", "-o",
        tmp_path / "s.parquet")
    summary = pd.read_parquet(tmp_path / "s.parquet")
    assert set(summary["quantity"]) >= {"mean", "median", "sd", "p5", "p95", "P(go)"}


def test_progress_bar_stays_off_stdout() -> None:
    proc = run("simulate", HARBOUR, "--draws", "3000", "--format", "json", "--progress",
               "--workers", "1")
    json.loads(proc.stdout)  # nothing but the document


@pytest.mark.parametrize(("args", "words"), [
    (("simulate", HARBOUR, "--draws", "0"), ("--draws", "above 0")),
    (("simulate", HARBOUR, "--draws", "-3"), ("--draws",)),
    (("simulate", HARBOUR, "-m", "nope"), ("unknown model 'nope'",)),
    (("simulate", HARBOUR, "--position-sd", "-1"), ("--position-sd",)),
    (("simulate", HARBOUR, "--range-shape", "box"), ("range shape",)),
    (("simulate", HARBOUR, "--format", "parquet"), ("--output",)),
    (("explain", HARBOUR, "-m", "compromise", "--issue", "nope"), ("unknown issue 'nope'",)),
    (("explain", HARBOUR, "-m", "compromise", "--actor", "city", "--question", "nope"),
     ("unknown question 'nope'",)),
    (("explain", HARBOUR, "-m", "compromise", "--actor", "mayor", "--question", "go"),
     ("unknown actor 'mayor'",)),
    (("explain", HARBOUR, "-m", "compromise", "--actor", "city"), ("--question",)),
    (("explain", HARBOUR, "-m", "compromise", "-i", "year", "--actor", "city", "--question",
      "go"), ("unknown question 'go'",)),
    (("explain", HARBOUR, "-m", "compromise", "-i", "nope", "--actor", "city", "--question",
      "go"), ("unknown issue 'nope'",)),
    (("explain", HARBOUR, "-m", "nope"), ("unknown model",)),
    (("explain", HARBOUR, "--sobol", "--sobol-samples", "100"), ("power of 2",)),
    (("backtest", HARBOUR, "--draws", "-1"), ("--draws",)),
    (("backtest", HARBOUR, "-m", "nope"), ("unknown model",)),
])
def test_bad_input_one_line_exit_2(args: tuple[str, ...], words: tuple[str, ...]) -> None:
    assert_user_error(run(*args, ok=False), *words)


def test_inconsistent_uncertainty_in_a_file(tmp_path: Path) -> None:
    text = HARBOUR.read_text().replace("position: {value: 70, sd: 10}",
                                       "position: {value: 70, sd: -10}")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    assert_user_error(run("simulate", bad, ok=False), "bad.yaml", "position")
    text = HARBOUR.read_text().replace("range: [80, 100]", "range: [100, 80]")
    bad.write_text(text)
    assert_user_error(run("simulate", bad, ok=False), "bad.yaml", "salience")


def test_explain_json(tmp_path: Path) -> None:
    out = run("explain", KOREA, "-m", "compromise", "-i", "talks", "--actor", "USA",
              "--question", "direct_talks_held", "--sobol", "--sobol-samples", "64",
              "--format", "json").stdout
    doc = json.loads(out)
    (issue,) = doc["issues"]
    assert issue["id"] == "talks"
    bars = issue["tornado"]
    assert bars and [b["swing"] for b in bars] == sorted((b["swing"] for b in bars),
                                                         reverse=True)
    assert set(bars[0]) == {"input", "actor", "quantity", "low", "high", "outcome_low",
                            "outcome_high", "swing"}
    assert {p["actor"] for p in issue["pivotal"]} == {"PRK", "KOR", "CHN", "RUS", "USA", "JPN"}
    assert issue["sobol"] and {"s1", "st"} <= set(issue["sobol"][0])
    assert [c["quantity"] for c in doc["what_it_takes"]] == ["position", "salience",
                                                             "capability"]
    table = run("explain", KOREA, "-m", "median", "-i", "talks").stdout
    assert "pivotal actors" in table and "swing" in table


def test_backtest_korea_json() -> None:
    doc = json.loads(run("backtest", KOREA, "--draws", "200", "--format", "json").stdout)
    from detente.models import REGISTRY

    assert set(doc["models"]) == {*REGISTRY.defaults(), "ensemble"}
    assert doc["as_of"] == "2018-01-02"
    assert [s["as_of"] for s in doc["snapshots"]] == ["2017-10-22", "2017-11-19", "2018-01-02"]
    comp = doc["models"]["compromise"]
    assert comp["n"] == 7 and comp["n_questions"] == 11
    assert 0 <= comp["brier"] <= 1 and len(comp["reliability"]) == 10
    assert 0 <= comp["brier_calibrated"] <= 1 and comp["model_error_sd"] > 0
    assert "DEU" not in json.dumps(doc["models"]["compromise"])
    assert "deu3-dev.tsv" in doc["models"]["ensemble"]["note"]
    table = run("backtest", KOREA, "--draws", "50").stdout
    assert "ensemble (given weights)" in table and "Reliability" in table
