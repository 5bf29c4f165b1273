"""What the pages show, as JSON documents: the stance grid, the diff of two snapshots, the
leverage matrix and the scenario overview."""

from __future__ import annotations

from typing import Any

from detente.errors import InputError
from detente.scenario import Estimate, Scenario, Stance


def _spread(est: Estimate | None, factor: float = 1.0) -> dict[str, Any]:
    if est is None:
        return {"value": None, "sd": None, "low": None, "high": None}
    return {
        "value": est.value * factor,
        "sd": None if est.sd is None else est.sd * factor,
        "low": None if est.low is None else est.low * factor,
        "high": None if est.high is None else est.high * factor,
    }


def snapshot_index(scenario: Scenario, snapshot: int | None) -> int:
    """A snapshot index checked against the scenario (None: the latest)."""
    last = len(scenario.snapshots) - 1
    if snapshot is None:
        return last
    if not 0 <= snapshot <= last:
        raise InputError(f"no snapshot {snapshot} (the scenario has snapshots 0 to {last})",
                         field="snapshot", hint="choose a snapshot from the list")
    return snapshot


def snapshots(scenario: Scenario) -> list[dict[str, Any]]:
    return [{"index": k, "as_of": None if s.as_of is None else s.as_of.isoformat(),
             "label": s.label, "note": s.note, "changes": len(s.stances)}
            for k, s in enumerate(scenario.snapshots)]


def actors(scenario: Scenario, snapshot: int) -> list[dict[str, Any]]:
    caps = scenario.state(snapshot).capabilities
    out = []
    for a in scenario.actors:
        cap = caps.get(a.id, a.capability)
        out.append({"id": a.id, "name": a.name, "bloc": a.bloc, "colour": a.colour,
                    "capability": _spread(cap), "evidence": len(a.evidence)})
    return out


def issues(scenario: Scenario, snapshot: int) -> list[dict[str, Any]]:
    sq = scenario.state(snapshot).status_quo
    return [{
        "id": i.id, "name": i.name, "description": i.description,
        "min": i.scale.min, "max": i.scale.max, "unit": i.scale.unit,
        "status_quo": sq[i.id],
        "anchors": [a.model_dump(mode="json") for a in i.anchors],
        "questions": [q.model_dump(mode="json") for q in i.questions],
        "outcome": None if i.outcome is None else i.outcome.model_dump(mode="json"),
    } for i in scenario.issues]


def _cell(st: Stance, own: bool) -> dict[str, Any]:
    return {
        "actor": st.actor, "issue": st.issue, "own": own,
        "position": _spread(st.position), "salience": _spread(st.salience, 100.0),
        "evidence": [e.model_dump(mode="json", exclude_defaults=True) for e in st.evidence],
    }


def grid(scenario: Scenario, snapshot: int) -> dict[str, Any]:
    """Actors × issues at one snapshot: each cell's position, salience (0–100), uncertainty,
    evidence, and whether the snapshot states it (``own``) or inherits it."""
    own = {(s.actor, s.issue) for s in scenario.snapshots[snapshot].stances}
    return {
        "snapshot": snapshot,
        "actors": actors(scenario, snapshot),
        "issues": issues(scenario, snapshot),
        "cells": [_cell(st, (st.actor, st.issue) in own)
                  for st in scenario.state(snapshot).stances],
        "sources": [s.model_dump(mode="json", exclude_none=True) for s in scenario.sources],
    }


def leverage(scenario: Scenario, snapshot: int) -> dict[str, Any]:
    """The leverage in force at a snapshot as a matrix: rows press on columns (1 = ordinary)."""
    lev = scenario.state(snapshot).leverage
    ids = [a.id for a in scenario.actors]
    return {"actors": ids,
            "weights": [[lev.get((a, b), 1.0) for b in ids] for a in ids],
            "stated": [{"from": a, "to": b, "weight": w} for (a, b), w in lev.items()]}


def diff(scenario: Scenario, a: int, b: int) -> dict[str, Any]:
    """What moved between snapshots ``a`` and ``b``: positions, saliences, capabilities and
    status quo, each move with the evidence that snapshot ``b`` gives for it."""
    sa, sb = scenario.state(a), scenario.state(b)
    before = {(s.actor, s.issue): s for s in sa.stances}
    after = {(s.actor, s.issue): s for s in sb.stances}
    moves = []
    for key in sorted(set(before) | set(after),
                      key=lambda k: (scenario.actor_index.get(k[0], 0),
                                     scenario.issue_index.get(k[1], 0))):
        old, new = before.get(key), after.get(key)
        changes = {}
        for q, factor in (("position", 1.0), ("salience", 100.0)):
            x = None if old is None else getattr(old, q)
            y = None if new is None else getattr(new, q)
            xv = None if x is None else x.value * factor
            yv = None if y is None else y.value * factor
            if xv != yv:
                changes[q] = {"from": xv, "to": yv,
                              "by": None if xv is None or yv is None else yv - xv}
        if changes:
            moves.append({"actor": key[0], "issue": key[1], **changes,
                          "evidence": [] if new is None else
                          [e.model_dump(mode="json", exclude_defaults=True)
                           for e in new.evidence]})
    caps = []
    for actor in scenario.actors:
        x = sa.capabilities.get(actor.id, actor.capability).value
        y = sb.capabilities.get(actor.id, actor.capability).value
        if x != y:
            caps.append({"actor": actor.id, "from": x, "to": y})
    sq = [{"issue": i, "from": sa.status_quo[i], "to": sb.status_quo[i]}
          for i in sa.status_quo if sa.status_quo[i] != sb.status_quo[i]]
    return {"a": a, "b": b, "stances": moves, "capabilities": caps, "status_quo": sq,
            "snapshots": snapshots(scenario)}
