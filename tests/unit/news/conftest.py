"""A small scenario for the reader's tests: three actors with aliases, two issues."""

from __future__ import annotations

from typing import Any

import pytest

from detente.scenario import Scenario


def border_doc() -> dict[str, Any]:
    return {
        "id": "border",
        "title": "Border dispute",
        "actors": [
            {"id": "NOR", "name": "Nordland", "capability": 3,
             "aliases": ["Nordstad", "the Nordish", "Nordish", "President Anna Berg",
                         "Anna Berg"]},
            {"id": "SUD", "name": "Sudland", "capability": 2,
             "aliases": ["Sudstad", "Sudish", "Prime Minister Karl Ek", "Karl Ek"]},
            {"id": "UN", "name": "United Nations", "capability": 1, "aliases": ["UN"]},
        ],
        "issues": [
            {"id": "talks", "name": "Direct talks on the border",
             "keywords": ["talks", "negotiations", "dialogue", "meet"],
             "anchors": {0: "No contact", 50: "Working-level talks",
                         100: "A border treaty signed"},
             "status_quo": 10},
            {"id": "railway", "name": "Cross-border railway",
             "keywords": ["railway", "rail link", "trains"],
             "anchors": {0: "Railway shelved", 100: "Railway built and operating"},
             "status_quo": 0},
        ],
        "snapshots": [{"as_of": "2020-01-01", "stances": [
            {"actor": "NOR", "issue": "talks", "position": 40, "salience": 0.5}]}],
    }


@pytest.fixture
def border() -> Scenario:
    return Scenario.model_validate(border_doc())
