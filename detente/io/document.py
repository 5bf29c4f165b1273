"""Turning a parsed document (nested dicts and lists) into a Scenario, with located errors.

Every format ends here: its reader builds the document and, where it can, a locator that maps
a field path to a line of the file; validation problems then name file, line and field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from detente.errors import InputError, Loc, ScenarioProblem, format_loc
from detente.limits import ACTORS, ISSUES, SNAPSHOTS
from detente.scenario import SALIENCE_DIVISOR, Scenario

Locator = Callable[[Loc], int | None]

#: The versions of the scenario format this code reads (the ``detente:`` key).
FORMAT_VERSIONS = (1,)

_HINTS = {
    "missing": "add it",
    "extra_forbidden": "remove it or check its spelling",
    "finite_number": "NaN and inf are not allowed",
    "float_parsing": "write a plain number such as 42 or 0.5",
    "float_type": "write a plain number such as 42 or 0.5",
    "date_from_datetime_parsing": "use an ISO date such as 2018-01-02",
    "date_parsing": "use an ISO date such as 2018-01-02",
    "date_type": "use an ISO date such as 2018-01-02",
    "too_short": "add at least one entry",
}


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind in ("finite_number", "float_parsing", "float_type"):
        return f"not a finite number: {err.get('input')!r}"
    if kind == "too_short":
        return "is empty"
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg


def _file_loc(loc: Loc, doc: Mapping[str, Any]) -> Loc:
    """The path as the file writes it (single-snapshot shorthand, bare numbers)."""
    if loc[:2] == ("snapshots", 0) and "snapshots" not in doc and "stances" in doc:
        loc = loc[2:]
    if len(loc) > 1 and loc[-1] == "value":
        loc = loc[:-1]
    return loc


def _prune(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop length complaints caused by an item that itself failed validation."""
    locs = [tuple(e["loc"]) for e in errors]
    return [
        e for e in errors
        if not (e["type"] == "too_short"
                and any(len(o) > len(tuple(e["loc"])) and o[: len(e["loc"])] == tuple(e["loc"])
                        for o in locs))
    ]


def scenario_from_document(
    data: Any,
    *,
    file: str | None = None,
    locate: Locator | None = None,
    default_salience_scale: str | None = None,
) -> Scenario:
    """Validate a document into a Scenario; every problem becomes a located InputError."""

    def at(loc: Loc) -> int | None:
        return locate(_file_loc(loc, doc)) if locate else None

    def field(loc: Loc) -> str | None:
        return format_loc(_file_loc(loc, doc)) or None

    doc: dict[str, Any] = dict(data) if isinstance(data, Mapping) else {}
    if not isinstance(data, Mapping):
        raise InputError(
            "the document must be a mapping with id, title, actors, issues and stances",
            file=file,
            line=1,
            hint="see 'detente schema' or examples/korea-2018.yaml",
        )
    for key, limit in (("actors", ACTORS), ("issues", ISSUES), ("snapshots", SNAPSHOTS)):
        if isinstance(doc.get(key), list):
            limit.check(len(doc[key]), file=file)
    scale = doc.pop("salience_scale", default_salience_scale)
    if scale is None:
        raise InputError(
            "the file does not say which scale its saliences use",
            file=file,
            line=1,
            field="salience_scale",
            hint="add 'salience_scale: 0-100' or 'salience_scale: 0-1'",
        )
    scale = str(scale).replace(" ", "").replace("–", "-")
    if scale not in SALIENCE_DIVISOR:
        raise InputError(
            f"salience_scale must be 0-100 or 0-1, got {scale!r}",
            file=file,
            line=at(("salience_scale",)),
            field="salience_scale",
        )
    if "detente" in doc:
        version = doc.pop("detente")
        if type(version) is not int or version not in FORMAT_VERSIONS:
            raise InputError(
                f"unknown format version {version!r}", file=file, line=at(("detente",)),
                field="detente",
                hint=f"this detente reads version {', '.join(map(str, FORMAT_VERSIONS))}: "
                     "write 'detente: 1', or upgrade detente for a newer file")
    try:
        return Scenario.model_validate(doc, context={"salience_scale": scale})
    except ValidationError as exc:
        errors = [
            InputError(
                _message(e),
                file=file,
                line=at(tuple(e["loc"])),
                field=field(tuple(e["loc"])),
                hint=_HINTS.get(e["type"]),
            )
            for e in _prune(exc.errors())
        ]
    except ScenarioProblem as exc:
        errors = [
            InputError(msg, file=file, line=at(loc), field=field(loc), hint=hint)
            for loc, msg, hint in exc.problems
        ]
    first, *rest = errors
    raise InputError(
        first.message,
        file=first.file,
        line=first.line,
        field=first.field,
        hint=first.hint,
        more=rest,
    )


def document_from_scenario(scenario: Scenario, salience_scale: str = "0-100") -> dict[str, Any]:
    """The scenario as a plain document (JSON types), saliences on ``salience_scale``."""
    doc = scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    factor = SALIENCE_DIVISOR[salience_scale]
    if factor != 1.0:
        for snap in doc.get("snapshots", []):
            for st in snap.get("stances", []):
                sal = st.get("salience", {})
                for key in ("value", "sd", "low", "high"):
                    if key in sal and sal[key] is not None:
                        sal[key] = round(sal[key] * factor, 10)
    for snap in doc.get("snapshots", []):
        for st in snap.get("stances", []):
            for key in ("position", "salience", "capability"):
                if key in st:
                    st[key] = _compact_estimate(st[key])
        if "capabilities" in snap:
            caps = snap["capabilities"]
            snap["capabilities"] = {k: _compact_estimate(v) for k, v in caps.items()}
    for actor in doc.get("actors", []):
        actor["capability"] = _compact_estimate(actor["capability"])
    ordered = {"detente": 1, "salience_scale": salience_scale}
    ordered.update(doc)
    return ordered


def _compact_estimate(est: dict[str, Any]) -> Any:
    """``{value: 3}`` → ``3``; a range as ``range: [low, high]``."""
    est = {k: v for k, v in est.items() if v is not None}
    if set(est) == {"value"}:
        return est["value"]
    if "low" in est:
        est["range"] = [est.pop("low"), est.pop("high")]
    return est
