"""YAML and JSON: round trips, and bad input reported with file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.errors import InputError
from detente.io import dumps, load, save
from detente.scenario import Scenario

DATA = Path(__file__).resolve().parents[2] / "data"

GOOD = """\
id: t
title: T
salience_scale: 0-100
actors:
  - {id: A, capability: 2}
  - {id: B, capability: 1}
issues:
  - {id: x, name: X}
stances:
  - {actor: A, issue: x, position: 30, salience: 50}
  - {actor: B, issue: x, position: 80, salience: 40}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load(path)
    return info.value


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("position: 80", "position: 180", 11, "stances[1].position", "outside the scale"),
        ("position: 80", "position: .nan", 11, "stances[1].position", "not a finite number"),
        ("position: 80", "position: high", 11, "stances[1].position", "not a finite number"),
        ("salience: 40", "salience: 140", 11, "stances[1].salience", "outside 0–100"),
        ("actor: B, issue", "actor: C, issue", 11, "stances[1].actor", "unknown actor 'C'"),
        ("issue: x, pos", "issue: y, pos", 10, "stances[0].issue", "unknown issue 'y'"),
        ("capability: 1}", "capability: -1}", 6, "actors[1]", "capability must be > 0"),
        ("{id: B,", "{id: A,", 6, "actors[1].id", "duplicate id 'A'"),
        ("  - {id: x, name: X}", "  - {id: x, name: X, colour: red}", 8, "issues[0].colour",
         "unknown field"),
        ("salience_scale: 0-100", "salience_scale: 0-10", 3, "salience_scale", "0-100 or 0-1"),
    ],
)
def test_yaml_errors_are_located(
    tmp_path: Path, old: str, new: str, line: int, field: str, words: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    err = error_of(path)
    assert err.file == str(path)
    assert err.line == line
    assert err.field == field
    assert words in str(err)
    assert "\n" not in str(err)


def test_no_actors(tmp_path: Path) -> None:
    text = GOOD.replace("  - {id: A, capability: 2}\n  - {id: B, capability: 1}\n", "")
    err = error_of(write(tmp_path, text.replace("actors:\n", "actors: []\n")))
    assert (err.line, err.field) == (4, "actors")
    assert "is empty" in str(err)


def test_missing_salience_scale(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("salience_scale: 0-100\n", "")))
    assert "salience_scale: 0-100" in str(err)


def test_malformed_yaml(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("  - {id: x, name: X}", "  - {id: x, name: X")))
    assert "not valid YAML" in str(err)
    assert err.line is not None


def test_duplicate_key(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD + "title: Again\n"))
    assert "'title' appears twice" in str(err)
    assert err.line == 12


def test_not_a_mapping(tmp_path: Path) -> None:
    assert "must be a mapping" in str(error_of(write(tmp_path, "- a\n- b\n")))


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in str(error_of(write(tmp_path, "\n")))


def test_all_problems_listed(tmp_path: Path) -> None:
    text = GOOD.replace("position: 80", "position: 180")
    text = text.replace("actor: A, issue", "actor: Q, issue")
    err = error_of(write(tmp_path, text))
    assert len(err.all) == 2
    assert "1 more" in str(err)


def test_json_errors(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, '{"id": "t",\n "title": }', "s.json"))
    assert "not valid JSON" in str(err)
    assert err.line == 2
    err = error_of(write(tmp_path, '{"id": "t", "id": "u"}', "s.json"))
    assert "appears twice" in str(err)
    doc = json.loads(dumps(load(DATA / "harbour.yaml"), "json"))
    doc["snapshots"][0]["stances"][2]["position"] = "NaN"
    p = write(tmp_path, json.dumps(doc, indent=2), "s.json")
    err = error_of(p)
    assert err.field == "snapshots[0].stances[2].position"
    assert err.line is not None
    assert '"position"' in p.read_text().splitlines()[err.line - 1]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip(tmp_path: Path, fmt: str) -> None:
    original = load(DATA / "harbour.yaml")
    path = tmp_path / f"copy.{fmt}"
    save(original, path)
    again = load(path)
    assert again == original
    assert dumps(again, fmt) == path.read_text()


def test_yaml_keeps_salience_0_100(tmp_path: Path) -> None:
    text = dumps(load(DATA / "harbour.yaml"), "yaml")
    assert "salience_scale: 0-100" in text
    assert "salience: 80" in text


def test_unknown_extension(tmp_path: Path) -> None:
    p = write(tmp_path, "hello", "s.txt")
    assert "--input-format" in str(error_of(p))


def test_missing_file(tmp_path: Path) -> None:
    assert "file not found" in str(error_of(tmp_path / "nope.yaml"))


def test_scenario_equality_is_by_value() -> None:
    a, b = load(DATA / "harbour.yaml"), load(DATA / "harbour.yaml")
    assert a == b
    assert isinstance(a, Scenario)
