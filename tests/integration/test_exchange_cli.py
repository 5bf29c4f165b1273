"""``detente exchange`` and the exchange model through ``detente forecast``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT

DETENTE = Path(sys.executable).with_name("detente")
KOREA = EXAMPLES / "korea-2018.yaml"


def run(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(DETENTE), *map(str, args)], capture_output=True, text=True, timeout=120,
        env={"COLUMNS": "160", "PATH": str(DETENTE.parent)}, cwd=ROOT,
    )
    assert (proc.returncode == 0) == ok, proc.stderr
    return proc


def test_exchange_table_on_the_korea_case() -> None:
    out = run("exchange", KOREA).stdout
    assert "outcomes with and without trading" in out
    assert "Packages traded" in out
    assert "Gains per actor" in out
    for name in ("Compromise", "Nash", "Exchange final", "denuclearization", "PRK"):
        assert name in out


def test_exchange_json_is_reproducible() -> None:
    a = json.loads(run("exchange", KOREA, "--format", "json", "--seed", "3").stdout)
    b = json.loads(run("exchange", KOREA, "--format", "json", "--seed", "3").stdout)
    assert a == b
    assert a["rounds"] >= 1 and a["packages"]
    issue = a["issues"][0]
    assert set(issue["single_issue"]) >= {"compromise", "median", "nash"}
    assert issue["exchange_start"] == pytest.approx(issue["single_issue"]["compromise"])
    first = a["packages"][0]
    assert first["gain_first"] > 0 and first["gain_second"] > 0


def test_exchange_bad_options_are_one_line() -> None:
    proc = run("exchange", KOREA, "--solution", "haggle", ok=False)
    assert proc.returncode == 2
    err = proc.stderr
    assert "exchange.solution: must be 'equal_gain' or 'random_rate', got 'haggle'" in err
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1
    assert "Traceback" not in err


def test_forecast_exchange_json_contract(tmp_path: Path) -> None:
    doc = json.loads(run("forecast", KOREA, "--model", "exchange", "--rounds", "10",
                         "--format", "json").stdout)
    for issue in doc["issues"]:
        fc = issue["forecasts"]["exchange"]
        assert issue["scale"]["min"] <= fc["outcome"] <= issue["scale"]["max"]
        assert 1 <= len(fc["rounds"]) <= 10
        assert fc["rounds"][-1]["mean"] == pytest.approx(fc["outcome"])
    assert doc["models"]["exchange"]["parameters"]["rounds"] == 10


@pytest.mark.shared
def test_forecast_on_a_decide_file(shared: Path, tmp_path: Path) -> None:
    sample = shared / "data" / "decide" / "sample_data.txt"
    copy = tmp_path / "toll.dat"
    copy.write_text(sample.read_text())
    doc = json.loads(run("forecast", copy, "--input-format", "decide", "--model", "exchange",
                         "--model", "nash", "--rounds", "10", "--format", "json").stdout)
    by_id = {i["id"]: i for i in doc["issues"]}
    hoogte = by_id["tol-hoogte"]["forecasts"]["exchange"]
    assert 0.5 <= hoogte["outcome"] <= 7  # in the issue's own units
    assert len(hoogte["rounds"]) == 10
    assert by_id["woonwerkverkeer"]["forecasts"]["exchange"]["initial"]["mean"] == \
        pytest.approx(52.49, abs=0.005)


def test_exchange_table_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "korea.txt"
    run("exchange", KOREA, "--top", "3", "-o", out)
    text = out.read_text()
    assert "Packages traded (largest 3 of" in text
    assert "Gains per actor" in text
