"""Helpers shared by the tests: paths and small scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detente.io.document import scenario_from_document
from detente.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared").resolve()
EXAMPLES = ROOT / "examples"


def make_scenario(
    positions: dict[str, float],
    saliences: dict[str, float],
    capabilities: dict[str, float],
    **issue: Any,
) -> Scenario:
    """A one-issue scenario from three dicts keyed by actor id (saliences on 0-1)."""
    doc = {
        "id": "tiny",
        "title": "Tiny",
        "actors": [{"id": a, "capability": c} for a, c in capabilities.items()],
        "issues": [{"id": "x", "name": "X", **issue}],
        "stances": [
            {"actor": a, "issue": "x", "position": p, "salience": saliences[a]}
            for a, p in positions.items()
        ],
    }
    return scenario_from_document(doc, default_salience_scale="0-1")
