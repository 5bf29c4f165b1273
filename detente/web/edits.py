"""Edits of a scenario, as the editor sends them, applied to its document.

Each edit is a small pydantic model tagged by ``op``. They apply to the scenario's document
(saliences on 0–100, as scenario files write them); the edited document is then validated as
a whole by the scenario validator, so an edit that would make the scenario invalid is refused
with the validator's message and field, and nothing is stored.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from detente.errors import InputError
from detente.scenario import Anchor, Evidence, KnownOutcome, Question, Scenario

Text = Annotated[str, Field(min_length=1, max_length=200)]
Number = Annotated[float, Field(allow_inf_nan=False)]
Spread = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Index = Annotated[int, Field(ge=0, le=10_000)]


class Op(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SetStance(Op):
    """Set an actor's position and/or salience (0–100) on an issue at one snapshot; a number
    left out keeps its value (and, at a later snapshot, its evidence). ``clear`` removes the
    snapshot's own entry (a later snapshot then inherits again)."""

    op: Literal["set_stance"] = "set_stance"
    snapshot: Index
    actor: Text
    issue: Text
    position: Number | None = None
    position_sd: Spread | None = None
    salience: Number | None = None
    salience_sd: Spread | None = None
    clear: bool = False


class SetEvidence(Op):
    """Replace the evidence of an actor's stance on an issue at one snapshot."""

    op: Literal["set_evidence"] = "set_evidence"
    snapshot: Index
    actor: Text
    issue: Text
    evidence: list[Evidence] = Field(max_length=100)


class AddActor(Op):
    op: Literal["add_actor"] = "add_actor"
    id: Text
    name: str | None = Field(None, max_length=200)
    capability: Number
    capability_sd: Spread | None = None
    bloc: str | None = Field(None, max_length=200)
    colour: str | None = Field(None, max_length=7)


class UpdateActor(Op):
    """Change an actor; ``new_id`` renames it everywhere it is referred to."""

    op: Literal["update_actor"] = "update_actor"
    actor: Text
    new_id: Text | None = None
    name: str | None = Field(None, max_length=200)
    capability: Number | None = None
    capability_sd: Spread | None = None
    bloc: str | None = Field(None, max_length=200)
    colour: str | None = Field(None, max_length=7)


class RemoveActor(Op):
    """Remove an actor with its stances, capability changes and leverage."""

    op: Literal["remove_actor"] = "remove_actor"
    actor: Text


class AddIssue(Op):
    op: Literal["add_issue"] = "add_issue"
    id: Text
    name: Text
    min: Number = 0.0
    max: Number = 100.0
    unit: str | None = Field(None, max_length=100)
    status_quo: Number | None = None


class UpdateIssue(Op):
    """Change an issue; only the fields sent change (``outcome: null`` removes it)."""

    op: Literal["update_issue"] = "update_issue"
    issue: Text
    name: Text | None = None
    description: str | None = Field(None, max_length=5000)
    min: Number | None = None
    max: Number | None = None
    unit: str | None = Field(None, max_length=100)
    status_quo: Number | None = None
    anchors: list[Anchor] | None = Field(None, max_length=100)
    questions: list[Question] | None = Field(None, max_length=100)
    outcome: KnownOutcome | None = None


class RemoveIssue(Op):
    op: Literal["remove_issue"] = "remove_issue"
    issue: Text


class SetLeverage(Op):
    """Set how much ``source``'s pressure counts on ``target``; ``weight: null`` removes it."""

    op: Literal["set_leverage"] = "set_leverage"
    source: Text
    target: Text
    weight: Number | None = None


class NewSnapshot(Op):
    """A new, later snapshot starting from the state of snapshot ``from_snapshot``."""

    op: Literal["new_snapshot"] = "new_snapshot"
    from_snapshot: Index
    as_of: dt.date
    label: str | None = Field(None, max_length=200)


class UpdateSnapshot(Op):
    op: Literal["update_snapshot"] = "update_snapshot"
    snapshot: Index
    as_of: dt.date | None = None
    label: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=5000)


class RemoveSnapshot(Op):
    op: Literal["remove_snapshot"] = "remove_snapshot"
    snapshot: Index


class SetModel(Op):
    """A model's settings for this scenario (``values`` empty: back to the defaults)."""

    op: Literal["set_model"] = "set_model"
    model: Text
    values: dict[str, str | float | bool | None] = Field(max_length=50)


class UpdateScenario(Op):
    op: Literal["update_scenario"] = "update_scenario"
    title: Text | None = None
    description: str | None = Field(None, max_length=5000)


Edit = Annotated[
    SetStance | SetEvidence | AddActor | UpdateActor | RemoveActor | AddIssue | UpdateIssue
    | RemoveIssue | SetLeverage | NewSnapshot | UpdateSnapshot | RemoveSnapshot | SetModel
    | UpdateScenario,
    Field(discriminator="op"),
]


# ------------------------------------------------------------------ applying


def _estimate(value: float, sd: float | None) -> Any:
    return value if sd is None else {"value": value, "sd": sd}


def _revalue(old: Any, value: float | None, sd: float | None, sd_given: bool) -> Any:
    """A new estimate: the new value (and sd when given), else what ``old`` stated."""
    if value is None and not sd_given:
        return old
    base: dict[str, Any] = dict(old) if isinstance(old, dict) else (
        {} if old is None else {"value": old})
    if value is not None:
        base["value"] = value
    if "value" not in base:
        raise InputError("give a value together with its uncertainty", field="position")
    if sd_given:
        base.pop("range", None)
        base.pop("low", None)
        base.pop("high", None)
        base.pop("sd", None)
        if sd is not None:
            base["sd"] = sd
    return base["value"] if set(base) == {"value"} else base


def _snapshot(doc: dict[str, Any], index: int) -> dict[str, Any]:
    snaps: list[dict[str, Any]] = doc["snapshots"]
    if index >= len(snaps):
        raise InputError(f"no snapshot {index} (the scenario has {len(snaps)})",
                         field="snapshot", hint="choose a snapshot from the list")
    return snaps[index]


def _find(items: list[dict[str, Any]], key: str, value: str, what: str) -> dict[str, Any]:
    for item in items:
        if item.get(key) == value:
            return item
    known = ", ".join(str(i.get(key)) for i in items[:12])
    raise InputError(f"unknown {what} {value!r} (known: {known})", field=what)


def _stance(snap: dict[str, Any], actor: str, issue: str) -> dict[str, Any] | None:
    for st in snap.get("stances", []):
        if st["actor"] == actor and st["issue"] == issue:
            return st  # type: ignore[no-any-return]
    return None


def _set_stance(doc: dict[str, Any], e: SetStance) -> None:
    _find(doc["actors"], "id", e.actor, "actor")
    _find(doc["issues"], "id", e.issue, "issue")
    snap = _snapshot(doc, e.snapshot)
    stances: list[dict[str, Any]] = snap.setdefault("stances", [])
    st = _stance(snap, e.actor, e.issue)
    if e.clear:
        if st is not None:
            stances.remove(st)
        return
    if st is None:
        st = {"actor": e.actor, "issue": e.issue}
        stances.append(st)
    sent = e.model_fields_set
    for q in ("position", "salience"):
        new = _revalue(st.get(q), getattr(e, q), getattr(e, f"{q}_sd"), f"{q}_sd" in sent)
        if new is not None:
            st[q] = new


def _set_evidence(doc: dict[str, Any], e: SetEvidence) -> None:
    _find(doc["actors"], "id", e.actor, "actor")
    _find(doc["issues"], "id", e.issue, "issue")
    snap = _snapshot(doc, e.snapshot)
    st = _stance(snap, e.actor, e.issue)
    if st is None:
        st = {"actor": e.actor, "issue": e.issue}
        snap.setdefault("stances", []).append(st)
    st["evidence"] = [ev.model_dump(mode="json", exclude_defaults=True) for ev in e.evidence]


def _rename_actor(doc: dict[str, Any], old: str, new: str) -> None:
    if any(a["id"] == new for a in doc["actors"]):
        raise InputError(f"an actor with id {new!r} already exists", field="new_id",
                         hint="choose another id")

    def levs(items: list[dict[str, Any]]) -> None:
        for lv in items:
            for end in ("from", "to"):
                if lv.get(end) == old:
                    lv[end] = new

    levs(doc.get("leverage", []))
    for snap in doc["snapshots"]:
        for st in snap.get("stances", []):
            if st["actor"] == old:
                st["actor"] = new
        caps = snap.get("capabilities", {})
        if old in caps:
            caps[new] = caps.pop(old)
        levs(snap.get("leverage", []))


def _update_actor(doc: dict[str, Any], e: UpdateActor) -> None:
    actor = _find(doc["actors"], "id", e.actor, "actor")
    sent = e.model_fields_set
    if "capability" in sent or "capability_sd" in sent:
        actor["capability"] = _revalue(actor["capability"], e.capability, e.capability_sd,
                                       "capability_sd" in sent)
    for name in ("name", "bloc", "colour"):
        if name in sent:
            value = getattr(e, name)
            if value in (None, ""):
                actor.pop(name, None)
            else:
                actor[name] = value
    if e.new_id is not None and e.new_id != e.actor:
        _rename_actor(doc, e.actor, e.new_id)
        actor["id"] = e.new_id


def _remove_actor(doc: dict[str, Any], e: RemoveActor) -> None:
    actor = _find(doc["actors"], "id", e.actor, "actor")
    doc["actors"].remove(actor)

    def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [lv for lv in items if e.actor not in (lv.get("from"), lv.get("to"))]

    doc["leverage"] = keep(doc.get("leverage", []))
    for snap in doc["snapshots"]:
        snap["stances"] = [st for st in snap.get("stances", []) if st["actor"] != e.actor]
        snap.get("capabilities", {}).pop(e.actor, None)
        if "leverage" in snap:
            snap["leverage"] = keep(snap["leverage"])


def _add_actor(doc: dict[str, Any], e: AddActor) -> None:
    actor: dict[str, Any] = {"id": e.id, "capability": _estimate(e.capability, e.capability_sd)}
    for name in ("name", "bloc", "colour"):
        value = getattr(e, name)
        if value:
            actor[name] = value
    doc["actors"].append(actor)


def _add_issue(doc: dict[str, Any], e: AddIssue) -> None:
    issue: dict[str, Any] = {"id": e.id, "name": e.name, "scale": {"min": e.min, "max": e.max}}
    if e.unit:
        issue["scale"]["unit"] = e.unit
    if e.status_quo is not None:
        issue["status_quo"] = e.status_quo
    doc["issues"].append(issue)


def _update_issue(doc: dict[str, Any], e: UpdateIssue) -> None:
    issue = _find(doc["issues"], "id", e.issue, "issue")
    sent = e.model_fields_set
    scale = issue.setdefault("scale", {})
    for name in ("min", "max", "unit"):
        if name in sent:
            value = getattr(e, name)
            if value is None:
                scale.pop(name, None)
            else:
                scale[name] = value
    for name in ("name", "description", "status_quo"):
        if name in sent:
            value = getattr(e, name)
            if value is None or value == "":
                issue.pop(name, None)
            else:
                issue[name] = value
    for name in ("anchors", "questions"):
        if name in sent:
            items = getattr(e, name) or []
            issue[name] = [x.model_dump(mode="json", exclude_defaults=False) for x in items]
    if "outcome" in sent:
        if e.outcome is None:
            issue.pop("outcome", None)
        else:
            issue["outcome"] = e.outcome.model_dump(mode="json", exclude_none=True)


def _remove_issue(doc: dict[str, Any], e: RemoveIssue) -> None:
    issue = _find(doc["issues"], "id", e.issue, "issue")
    doc["issues"].remove(issue)
    for snap in doc["snapshots"]:
        snap["stances"] = [st for st in snap.get("stances", []) if st["issue"] != e.issue]
        snap.get("status_quo", {}).pop(e.issue, None)


def _set_leverage(doc: dict[str, Any], e: SetLeverage) -> None:
    for who in (e.source, e.target):
        _find(doc["actors"], "id", who, "actor")
    levs = [lv for lv in doc.get("leverage", [])
            if (lv.get("from"), lv.get("to")) != (e.source, e.target)]
    if e.weight is not None:
        old = [lv for lv in doc.get("leverage", [])
               if (lv.get("from"), lv.get("to")) == (e.source, e.target)]
        entry = {"from": e.source, "to": e.target, "weight": e.weight}
        if old and old[0].get("evidence"):
            entry["evidence"] = old[0]["evidence"]
        levs.append(entry)
    doc["leverage"] = levs


def _new_snapshot(doc: dict[str, Any], e: NewSnapshot) -> None:
    from detente.io.document import document_from_scenario, scenario_from_document

    snaps = doc["snapshots"]
    _snapshot(doc, e.from_snapshot)
    if e.from_snapshot == len(snaps) - 1:
        entry: dict[str, Any] = {"as_of": e.as_of.isoformat()}
    else:
        sc = scenario_from_document(copy.deepcopy(doc))
        flat = document_from_scenario(sc.at(sc.snapshots[e.from_snapshot].as_of), "0-100")
        entry = flat["snapshots"][0]
        entry["as_of"] = e.as_of.isoformat()
        entry["inherit"] = False
    if e.label:
        entry["label"] = e.label
    snaps.append(entry)


def _update_snapshot(doc: dict[str, Any], e: UpdateSnapshot) -> None:
    snap = _snapshot(doc, e.snapshot)
    for name in ("as_of", "label", "note"):
        if name in e.model_fields_set:
            value = getattr(e, name)
            if value in (None, ""):
                snap.pop(name, None)
            else:
                snap[name] = value.isoformat() if isinstance(value, dt.date) else value


def _remove_snapshot(doc: dict[str, Any], e: RemoveSnapshot) -> None:
    _snapshot(doc, e.snapshot)
    if len(doc["snapshots"]) == 1:
        raise InputError("a scenario keeps at least one snapshot", field="snapshot")
    del doc["snapshots"][e.snapshot]


def _set_model(doc: dict[str, Any], e: SetModel) -> None:
    models = doc.setdefault("models", {})
    values = {k: v for k, v in e.values.items() if v not in (None, "")}
    if values:
        models[e.model] = values
    else:
        models.pop(e.model, None)


def _update_scenario(doc: dict[str, Any], e: UpdateScenario) -> None:
    for name in ("title", "description"):
        if name in e.model_fields_set:
            value = getattr(e, name)
            if value in (None, ""):
                doc.pop(name, None)
            else:
                doc[name] = value


_APPLY: dict[type[Op], Any] = {
    SetStance: _set_stance, SetEvidence: _set_evidence, AddActor: _add_actor,
    UpdateActor: _update_actor, RemoveActor: _remove_actor, AddIssue: _add_issue,
    UpdateIssue: _update_issue, RemoveIssue: _remove_issue, SetLeverage: _set_leverage,
    NewSnapshot: _new_snapshot, UpdateSnapshot: _update_snapshot,
    RemoveSnapshot: _remove_snapshot, SetModel: _set_model, UpdateScenario: _update_scenario,
}


def editable_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the editor edits it: a document with saliences on 0–100."""
    from detente.io.document import document_from_scenario

    return document_from_scenario(scenario, "0-100")


def apply_edits(scenario: Scenario, edits: list[Op]) -> Scenario:
    """The scenario with ``edits`` applied in order, validated; an InputError (naming the
    edit and the field) when an edit does not apply or the result is invalid."""

    doc = editable_document(scenario)
    for k, e in enumerate(edits):
        try:
            _APPLY[type(e)](doc, e)
        except InputError as exc:
            raise InputError(exc.message, field=exc.field or f"edits[{k}]",
                             hint=exc.hint) from None
    return validated(doc)


def validated(doc: Any) -> Scenario:
    """A document validated into a scenario (the validator's located errors otherwise)."""
    from detente.io.document import scenario_from_document

    if isinstance(doc, dict) and "salience_scale" not in doc:
        doc = {**doc, "salience_scale": "0-100"}
    return scenario_from_document(doc)
