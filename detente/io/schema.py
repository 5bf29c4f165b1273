"""The published JSON Schema of detente's YAML/JSON scenario documents."""

from __future__ import annotations

from typing import Any

from detente.scenario import Scenario

SCHEMA_ID = "https://detente.dev/schema/scenario-1.json"

_NUMBER = {"type": "number"}
_ESTIMATE = {
    "description": "A number, or a number with uncertainty: {value, sd} or {value, range}.",
    "anyOf": [
        _NUMBER,
        {
            "type": "object",
            "properties": {
                "value": _NUMBER,
                "sd": {"type": "number", "minimum": 0},
                "range": {"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2},
                "low": _NUMBER,
                "high": _NUMBER,
            },
            "required": ["value"],
            "additionalProperties": False,
        },
    ],
}


def scenario_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) for a scenario file, derived from the pydantic models.

    It describes the file as written: bare numbers for estimates, anchors as a list or a
    ``{value: label}`` mapping, and ``stances`` at the top level for a single snapshot.
    """
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    defs = schema.setdefault("$defs", {})
    defs["Estimate"] = _ESTIMATE
    issue = defs["Issue"]["properties"]
    issue["anchors"] = {
        "description": "Labelled points of the scale: a list, or a mapping value -> label.",
        "anyOf": [
            {"type": "array", "items": {"$ref": "#/$defs/Anchor"}},
            {"type": "object", "additionalProperties": {"type": "string"}},
        ],
    }
    props = schema["properties"]
    props["detente"] = {"description": "File format version.", "const": 1}
    props["salience_scale"] = {
        "description": "The scale of every salience in this file; stored as 0-1.",
        "enum": ["0-1", "0-100"],
    }
    props["as_of"] = {
        "description": "Date of the single snapshot (shorthand with top-level stances).",
        "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
    }
    props["stances"] = {
        "description": "Stances of a single snapshot (shorthand for snapshots: [{stances}]).",
        "type": "array",
        "items": {"$ref": "#/$defs/Stance"},
    }
    from detente.models.settings import settings_schema

    props["models"] = settings_schema()
    schema["required"] = ["id", "title", "actors", "issues", "salience_scale"]
    schema["oneOf"] = [{"required": ["snapshots"]}, {"required": ["stances"]}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "detente scenario"
    return schema
