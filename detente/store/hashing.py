"""Content hashes: of a whole scenario (its identity in the workspace) and of the inputs one
snapshot gives a model (the identity of a run)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from detente.io.document import document_from_scenario
from detente.scenario import Scenario


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: equal values give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=str)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a plain document with saliences on 0–1 (how the workspace keeps it)."""
    return document_from_scenario(scenario, "0-1")


def scenario_key(scenario: Scenario) -> str:
    """SHA-256 of the whole scenario, every snapshot and every word of evidence included."""
    return _digest(canonical_json(scenario_document(scenario)))


def snapshot_scenario(scenario: Scenario, snapshot: int) -> Scenario:
    """The one-snapshot scenario that a model sees at snapshot index ``snapshot``."""
    last = len(scenario.snapshots) - 1
    return scenario.at(None if snapshot == last else scenario.snapshots[snapshot].as_of)


def inputs_hash(scenario: Scenario, snapshot: int) -> str:
    """SHA-256 of everything in force at one snapshot, inherited changes resolved.

    Snapshots added later, or edits to earlier ones that leave this state unchanged, do not
    change it; any change to a number, a name, a question or a piece of evidence does.
    """
    return _digest(canonical_json(scenario_document(snapshot_scenario(scenario, snapshot))))
