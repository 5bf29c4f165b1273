"""The command line through its real entry point: output formats, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from detente.models import REGISTRY
from tests.helpers import ROOT

DETENTE = Path(sys.executable).with_name("detente")
HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"


def run(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(DETENTE), *map(str, args)], capture_output=True, text=True, timeout=120,
        env={"COLUMNS": "160", "PATH": str(DETENTE.parent)},
    )
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def assert_user_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], lines[0]


def test_entry_point_installed() -> None:
    assert DETENTE.exists(), "install the package (make setup) to get the detente command"


def test_forecast_table_has_labels() -> None:
    out = run("forecast", HARBOUR, "-m", "compromise", "-m", "median").stdout
    assert "Harbour expansion" in out
    assert "2024-06-01" in out
    assert "Size of the expansion" in out
    assert "Year works start" in out
    assert "Compromise" in out
    assert "Weighted median" in out
    assert "half the plan" in out  # nearest anchor label
    assert "At least half the plan is built" in out  # the question table


def test_forecast_json_contract() -> None:
    doc = json.loads(run("forecast", HARBOUR, "--format", "json").stdout)
    assert doc["scenario"]["id"] == "harbour"
    assert doc["scenario"]["as_of"] == "2024-06-01"
    ids = [i["id"] for i in doc["issues"]]
    assert ids == ["size", "year"]
    size = doc["issues"][0]
    assert size["name"] == "Size of the expansion"
    comp = size["forecasts"]["compromise"]
    # latest snapshot: city 55 (5×.8), port 100 (3×.9), green 0 (2×1.0)
    expected = (5 * 0.8 * 55 + 3 * 0.9 * 100 + 2 * 1.0 * 0) / (5 * 0.8 + 3 * 0.9 + 2 * 1.0)
    assert comp["outcome"] == pytest.approx(expected)
    assert comp["questions"] == {"go": expected >= 50}
    assert size["known_outcome"]["value"] == 60
    year = doc["issues"][1]["forecasts"]["median"]["outcome"]
    assert 2025 <= year <= 2026


def test_forecast_as_of_and_model_choice() -> None:
    doc = json.loads(
        run("forecast", HARBOUR, "--format", "json", "--as-of", "2024-04-15", "-m", "median").stdout
    )
    assert doc["scenario"]["as_of"] == "2024-03-01"
    assert list(doc["issues"][0]["forecasts"]) == ["median"]
    # first snapshot: city 70 (5×.8=4), port 100 (2.7), green 0 (1×1) → median 70
    assert doc["issues"][0]["forecasts"]["median"]["outcome"] == 70


def test_forecast_csv() -> None:
    lines = run("forecast", HARBOUR, "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("as_of,issue,issue_name,model,outcome")
    assert len(lines) == 1 + 2 * len(REGISTRY.defaults())  # two issues, every default model


def test_forecast_to_file(tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    run("forecast", HARBOUR, "--format", "json", "-o", out)
    assert json.loads(out.read_text())["issues"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("forecast", "missing.yaml"), ("missing.yaml", "file not found")),
        (("forecast", HARBOUR, "-m", "oracle"), ("unknown model 'oracle'",)),
        (("forecast", HARBOUR, "--as-of", "1999-01-01"), ("no snapshot on or before",)),
        (("forecast", HARBOUR, "--as-of", "yesterday"), ("not a date",)),
        (("forecast", HARBOUR, "--input-format", "excel"), ("unknown format 'excel'",)),
    ],
)
def test_user_errors(args: tuple[str, ...], words: tuple[str, ...]) -> None:
    assert_user_error(run(*args, ok=False), *words)


def test_bad_option_value_exits_2() -> None:
    proc = run("forecast", HARBOUR, "--format", "xml", ok=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_bad_file_one_line(tmp_path: Path) -> None:
    text = HARBOUR.read_text().replace("position: 100\n", "position: 140\n", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    line = text.splitlines().index("        position: 140") + 1
    assert_user_error(run("forecast", bad, ok=False), f"bad.yaml:{line}:", "outside the scale")


def test_validate(tmp_path: Path) -> None:
    proc = run("validate", HARBOUR)
    assert "ok" in proc.stdout
    assert "3 actors, 2 issues, 2 snapshot(s)" in proc.stdout
    assert "0 number(s) without evidence" in proc.stdout
    doc = yaml.safe_load(HARBOUR.read_text())
    doc["snapshots"][0]["stances"][0]["evidence"] = []
    doc["snapshots"][0]["stances"][1]["actor"] = "nobody"
    doc["snapshots"][0]["stances"][2]["position"] = 500
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc))
    proc = run("validate", bad, ok=False)
    assert proc.returncode == 2
    assert proc.stderr.count("error") == 2
    assert "Traceback" not in proc.stderr
    doc["snapshots"][0]["stances"][1]["actor"] = "port"
    doc["snapshots"][0]["stances"][2]["position"] = 0
    bad.write_text(yaml.safe_dump(doc))
    proc = run("validate", bad)
    assert "2 number(s) without evidence" in proc.stdout
    assert run("validate", bad, "--strict", ok=False).returncode == 2


def test_convert_round_trip(tmp_path: Path) -> None:
    j, c, y = tmp_path / "s.json", tmp_path / "s.csv", tmp_path / "s.yaml"
    run("convert", HARBOUR, j)
    run("convert", j, y)
    run("convert", y, c)
    a = json.loads(run("forecast", HARBOUR, "--format", "json").stdout)
    for p in (j, y, c):
        b = json.loads(run("forecast", p, "--format", "json").stdout)
        for ia, ib in zip(a["issues"], b["issues"], strict=True):
            for m in ("compromise", "median"):
                assert ia["forecasts"][m]["outcome"] == pytest.approx(ib["forecasts"][m]["outcome"])


def test_convert_refuses_unknown_target(tmp_path: Path) -> None:
    target = tmp_path / "s.docx"
    assert_user_error(run("convert", HARBOUR, target, ok=False), "output format")
    assert not target.exists()


def as_json(path: Path) -> object:
    """A YAML file as the JSON document it stands for (dates become strings)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


def test_schema_validates_files(tmp_path: Path) -> None:
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(as_json(HARBOUR))
    j = tmp_path / "s.json"
    run("convert", HARBOUR, j)
    validator.validate(json.loads(j.read_text()))
    korea = ROOT / "examples" / "korea-2018.yaml"
    if korea.exists():
        validator.validate(as_json(korea))
    bad = as_json(HARBOUR)
    bad["actors"][0]["capability"] = "lots"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)


def test_models_and_formats_listed() -> None:
    out = run("models").stdout
    assert "compromise" in out
    assert "median" in out
    assert "Achen" in out
    out = run("formats").stdout
    assert "yaml" in out
    assert "csv" in out


def test_duplicate_alias_is_one_located_line(tmp_path: Path) -> None:
    doc = yaml.safe_load(HARBOUR.read_text())
    doc["actors"][0]["aliases"] = ["the Port"]
    doc["actors"][1]["aliases"] = ["the port"]
    bad = tmp_path / "aliases.yaml"
    bad.write_text(yaml.safe_dump(doc, sort_keys=False))
    assert_user_error(run("forecast", bad, ok=False), "aliases.yaml:", "actors[1].aliases[0]",
                      "already names actor")


def test_unratified_proposals_are_listed_and_held_back(tmp_path: Path) -> None:
    doc = yaml.safe_load(HARBOUR.read_text())
    stance = doc["snapshots"][-1]["stances"][0]
    stance["evidence"] = [{"basis": "proposed", "source": "minutes", "locator": "line 3",
                           "paraphrase": "The mayor said the city backs the plan."}]
    path = tmp_path / "proposed.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    proc = run("validate", path)
    assert "1 unratified proposal(s)" in proc.stdout
    assert f"stance {stance['actor']}/{stance['issue']}" in proc.stderr
    assert "not yet ratified" in proc.stderr
    assert run("validate", path, "--strict", ok=False).returncode == 2
    assert_user_error(run("forecast", path, "-m", "median", ok=False), "unratified",
                      "--use-proposed")
    proc = run("forecast", path, "-m", "median", "--use-proposed")
    assert "warning" in proc.stderr and "unratified" in proc.stderr
