"""Model parameters from the command line and from scenario files: same names, same checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT
from tests.integration.test_cli import HARBOUR, assert_user_error, run

KOREA = ROOT / "examples" / "korea-2018.yaml"


def forecast_json(*args: str | Path) -> dict:  # type: ignore[type-arg]
    out: dict = json.loads(run("forecast", *args, "--format", "json").stdout)  # type: ignore[type-arg]
    return out


def outcomes(doc: dict, model: str) -> dict[str, float]:  # type: ignore[type-arg]
    return {i["id"]: i["forecasts"][model]["outcome"] for i in doc["issues"]}


def test_set_changes_the_model_and_is_reported() -> None:
    plain = forecast_json(KOREA, "-m", "eum")
    short = forecast_json(KOREA, "-m", "eum", "--set", "eum.rounds=1")
    assert short["models"]["eum"]["parameters"]["rounds"] == 1
    assert all(len(i["forecasts"]["eum"]["rounds"]) <= 1 for i in short["issues"])
    assert outcomes(plain, "eum") != outcomes(short, "eum")
    # the same as the --rounds shorthand, and as Python
    assert outcomes(short, "eum") == outcomes(forecast_json(KOREA, "-m", "eum", "--rounds", "1"),
                                               "eum")
    import detente

    fc = detente.forecast(detente.load(KOREA), ["eum"], settings={"eum": {"rounds": 1}})
    assert {i.id: fc.outcome("eum", i.id) for i in fc.scenario.issues} == pytest.approx(
        outcomes(short, "eum"), abs=1e-12)


def test_values_are_read_as_their_type() -> None:
    doc = forecast_json(HARBOUR, "-m", "eum", "--set", "eum.capitulation=false",
                        "--set", "eum.Q=0.5", "--set", "eum.improvement=median")
    params = doc["models"]["eum"]["parameters"]
    assert params["capitulation"] is False and params["Q"] == 0.5
    assert params["improvement"] == "median"


@pytest.mark.parametrize(("args", "words"), [
    (["--set", "eum.q=0.5"], ["--set", "eum.q", "no parameter 'q'", "valid:", "Q"]),
    (["--set", "nope.Q=0.5"], ["unknown model 'nope'", "choose from", "eum"]),
    (["--set", "eum.Q=2"], ["--set eum.Q", "less than or equal to 1", "got '2'"]),
    (["--set", "eum.rounds=ten"], ["eum.rounds", "valid integer"]),
    (["--set", "eum.offer_choice=best"], ["eum.offer_choice", "scholz"]),
    (["--set", "eumQ"], ["--set", "MODEL.PARAM=VALUE"]),
    (["--set", "eum.preset=nope"], ["eum.preset", "no preset 'nope'"]),
    (["--set", "exchange.fixed_weight=0.9"], ["fixed_weight + salience_weight"]),
])
def test_bad_settings_are_one_line_errors(args: list[str], words: list[str]) -> None:
    assert_user_error(run("forecast", HARBOUR, "-m", "eum", "-m", "exchange", *args, ok=False),
                      *words)


def _with_models(tmp_path: Path, block: object) -> Path:
    doc = yaml.safe_load(HARBOUR.read_text(encoding="utf-8"))
    doc["models"] = block
    path = tmp_path / "harbour.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_a_models_block_applies_and_the_command_line_wins(tmp_path: Path) -> None:
    path = _with_models(tmp_path, {"eum": {"rounds": 2, "Q": 0.5}})
    doc = forecast_json(path, "-m", "eum")
    assert doc["models"]["eum"]["parameters"]["rounds"] == 2
    assert doc["models"]["eum"]["parameters"]["Q"] == 0.5
    over = forecast_json(path, "-m", "eum", "--set", "eum.rounds=3")
    assert over["models"]["eum"]["parameters"]["rounds"] == 3
    assert over["models"]["eum"]["parameters"]["Q"] == 0.5
    # written back out, the block survives a round trip
    again = tmp_path / "again.yaml"
    run("convert", path, again)
    assert yaml.safe_load(again.read_text(encoding="utf-8"))["models"] == {
        "eum": {"rounds": 2, "Q": 0.5}}
    assert "settings for eum" in run("validate", path).stdout


@pytest.mark.parametrize(("block", "words"), [
    ({"eum": {"Q": 3}}, ["harbour.yaml:", "models.eum.Q", "less than or equal to 1"]),
    ({"eum": {"q": 3}}, ["harbour.yaml:", "models.eum.q", "no parameter 'q'"]),
    ({"eumm": {"Q": 1}}, ["harbour.yaml:", "models.eumm", "unknown model 'eumm'"]),
])
def test_a_bad_models_block_names_file_line_and_field(tmp_path: Path, block: object,
                                                      words: list[str]) -> None:
    path = _with_models(tmp_path, block)
    proc = run("validate", path, ok=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    line = proc.stderr.strip().splitlines()[0]
    assert all(w in line for w in words), line
    assert line.split("harbour.yaml:")[1].split(":")[0].isdigit()  # a line number


def test_models_lists_parameters_and_presets() -> None:
    text = run("models", "eum").stdout
    assert "Q = 1.0" in text and "probability" in text and "Scholz" in text
    doc = json.loads(run("models", "--format", "json").stdout)
    names = [d["name"] for d in doc]
    assert {"compromise", "eum", "smp", "ensemble"} <= set(names)
    eum = next(d for d in doc if d["name"] == "eum")
    q = next(p for p in eum["parameters"] if p["name"] == "Q")
    assert (q["kind"], q["ge"], q["le"], q["default"]) == ("float", 0, 1, 1.0)
    assert "dynamic" in eum["tags"] and "batched" in eum["tags"]
    ensemble = next(d for d in doc if d["name"] == "ensemble")
    assert ensemble["default"] is False and "equal" in ensemble["presets"]


def test_the_ensemble_runs_when_named() -> None:
    doc = forecast_json(KOREA, "-m", "compromise", "-m", "median", "-m", "eum",
                        "-m", "ensemble")
    w = doc["models"]["ensemble"]["parameters"]["weights"]
    for issue in doc["issues"]:
        f = issue["forecasts"]
        combined = sum(wk * f[m]["outcome"] for wk, m in zip(w, ("compromise", "median", "eum"),
                                                              strict=True))
        assert f["ensemble"]["outcome"] == pytest.approx(combined, abs=1e-9)
    assert "ensemble" not in forecast_json(KOREA)["models"]  # not among the defaults
