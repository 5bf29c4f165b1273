"""Helpers shared by the tests: paths and small scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detente.io.document import scenario_from_document
from detente.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared").resolve()
EXAMPLES = ROOT / "examples"

# Bueno de Mesquita (1994), Table 1 p. 78; also Scholz, Calbert & Smith (2011), Table 1.
# EC emission standards for medium cars: position = years; salience on 0-100.
BDM1994: list[tuple[str, float, float, float]] = [  # actor, capability, position, salience
    ("Netherlands", 0.08, 4, 80),
    ("Belgium", 0.08, 7, 40),
    ("Luxembourg", 0.03, 4, 20),
    ("Germany", 0.16, 4, 80),
    ("France", 0.16, 10, 60),
    ("Italy", 0.16, 10, 60),
    ("UK", 0.16, 10, 90),
    ("Ireland", 0.05, 7, 10),
    ("Denmark", 0.05, 4, 100),
    ("Greece", 0.08, 7, 70),
]


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
