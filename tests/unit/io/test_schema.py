"""The published JSON Schema stays in step with the scenario model."""

from __future__ import annotations

import json

import jsonschema

from detente.io.schema import scenario_schema
from tests.helpers import ROOT


def test_published_schema_is_current() -> None:
    published = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    assert published == scenario_schema(), "regenerate: detente schema -o docs/scenario.schema.json"


def test_schema_is_valid_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(scenario_schema())


def test_schema_accepts_shorthand_and_rejects_typos() -> None:
    v = jsonschema.Draft202012Validator(scenario_schema())
    doc = {
        "id": "t", "title": "T", "salience_scale": "0-1",
        "actors": [{"id": "A", "capability": 1}],
        "issues": [{"id": "x", "name": "X", "anchors": {"0": "none"}}],
        "stances": [{"actor": "A", "issue": "x", "position": {"value": 3, "range": [1, 5]},
                     "salience": 0.5}],
    }
    assert v.is_valid(doc)
    doc["issues"][0]["colour"] = "red"
    assert not v.is_valid(doc)
