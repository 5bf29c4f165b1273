"""Long CSV: one row per actor and issue (and snapshot date).

Required columns: ``actor, issue, position, salience, capability``. Optional: ``as_of`` (one
snapshot per date), ``actor_name, bloc, issue_name, scale_min, scale_max, scale_unit``,
``status_quo`` (per date), ``{position,salience,capability}_{sd,low,high}`` and ``evidence``
(a JSON list of evidence entries). Lines starting with ``#`` before the header may set
``id``, ``title`` and ``salience_scale`` (``# salience_scale: 0-100``); without it the scale
follows docs/decisions/formats.md, FMT-15 (0–1 when every salience is at most 1, 0–100 when
none is a fraction below 1, an error when they mix). A column named twice, and an issue's
``scale_*`` cells that differ between its rows, are errors naming the row.

An actor's capability is the one on its first row; a row whose capability differs gives the
actor a capability of its own on that issue.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.io.cells import LineMap, header_columns, infer_salience_scale, number, records
from detente.io.document import document_from_scenario, scenario_from_document
from detente.io.formats import ReadOptions
from detente.io.nesting import MAX_DEPTH, check_depth
from detente.scenario import Scenario

REQUIRED = ("actor", "issue", "position", "salience", "capability")
ESTIMATES = ("position", "salience", "capability")
OPTIONAL = (
    "as_of",
    "actor_name",
    "bloc",
    "issue_name",
    "scale_min",
    "scale_max",
    "scale_unit",
    "status_quo",
    *(f"{q}_{k}" for q in ESTIMATES for k in ("sd", "low", "high")),
    "evidence",
)
DIRECTIVES = ("id", "title", "description", "salience_scale")


def sniff(path: Path, text: str) -> bool:
    """A header row naming at least actor, issue, position and salience."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            cols = {c.strip().lower() for c in line.split(",")}
            return {"actor", "issue", "position", "salience"} <= cols
    return False


def _estimate(row: dict[str, str], q: str) -> Any:
    value = row.get(q, "").strip()
    sd = row.get(f"{q}_sd", "").strip()
    low, high = row.get(f"{q}_low", "").strip(), row.get(f"{q}_high", "").strip()
    if not (sd or low or high):
        return value
    est: dict[str, Any] = {"value": value}
    if sd:
        est["sd"] = sd
    if low or high:
        est["low"], est["high"] = low or None, high or None
    return est


def _maybe_float(cell: str) -> float | None:
    """The number in a cell, or None (a non-number is reported with its line by validation)."""
    try:
        return float(cell)
    except ValueError:
        return None


def _scale_cells(
    given: dict[str, tuple[Any, int]], row: dict[str, str], *, file: str, line: int, issue: str
) -> None:
    """Record an issue's scale cells; a row repeating one must agree with the first."""
    for col in ("scale_min", "scale_max", "scale_unit"):
        cell = row.get(col, "")
        if not cell:
            continue
        value: Any = cell if col == "scale_unit" else number(cell, file=file, line=line,
                                                             field=col)
        if col in given and given[col][0] != value:
            first, first_line = given[col]
            shown = f"{first:g}" if isinstance(first, float) else repr(first)
            raise InputError(
                f"{col} {cell!r} of issue {issue!r} differs from {shown} on line "
                f"{first_line}", file=file, line=line, field=col,
                hint="give an issue's scale once, or the same on every row")
        given.setdefault(col, (value, line))


def read(path: Path, text: str, options: ReadOptions) -> Scenario:
    file = str(path)
    lines = text.splitlines(keepends=True)
    directives: dict[str, str] = {}
    skip = 0
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        skip += 1
        body = stripped.lstrip("#").strip()
        if ":" in body:
            key, _, value = body.partition(":")
            if key.strip().lower() in DIRECTIVES:
                directives[key.strip().lower()] = value.strip()
    table = records("".join(lines[skip:]), file)
    if not table:
        raise InputError("no header row", file=file, line=skip + 1,
                         hint=f"the header needs {', '.join(REQUIRED)}")
    header_line, header_cells = table[0]
    header = header_columns(header_cells, file=file, line=skip + header_line)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}",
            file=file,
            line=skip + header_line,
            hint=f"the header needs {', '.join(REQUIRED)}",
        )
    unknown = [h for h in header if h and h not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]!r}",
            file=file,
            line=skip + header_line,
            hint=f"known columns: {', '.join(REQUIRED + OPTIONAL)}",
        )

    rows: list[tuple[int, dict[str, str]]] = []
    for start, cells in table[1:]:
        line_no = skip + start
        if len(cells) > len(header) and any(cells[len(header):]):
            raise InputError("more cells than header columns", file=file, line=line_no,
                             hint="quote a cell that holds a comma")
        row = {h: (cells[k] if k < len(cells) else "") for k, h in enumerate(header) if h}
        for col in ("actor", "issue"):
            if not row[col]:
                raise InputError(f"empty {col}", file=file, line=line_no, field=col)
        rows.append((line_no, row))
    if not rows:
        raise InputError("no data rows", file=file, hint="add one row per actor and issue")

    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    actor_line: dict[str, int] = {}
    issue_line: dict[str, int] = {}
    snaps: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    scales: dict[str, dict[str, tuple[Any, int]]] = {}
    sq_changes: dict[str, dict[str, str]] = {}
    for line_no, row in rows:
        a, i = row["actor"], row["issue"]
        if a not in actors:
            actor_line[a] = line_no
            actors[a] = {"id": a, "capability": _estimate(row, "capability")}
            if row.get("actor_name"):
                actors[a]["name"] = row["actor_name"]
            if row.get("bloc"):
                actors[a]["bloc"] = row["bloc"]
        if i not in issues:
            issue_line[i] = line_no
            issues[i] = {"id": i, "name": row.get("issue_name") or i}
        iss = issues[i]
        _scale_cells(scales.setdefault(i, {}), row, file=file, line=line_no, issue=i)
        if row.get("status_quo"):
            iss.setdefault("status_quo", row["status_quo"])
            if row["status_quo"] != iss["status_quo"]:
                sq_changes.setdefault(row.get("as_of", ""), {})[i] = row["status_quo"]
        stance: dict[str, Any] = {
            "actor": a,
            "issue": i,
            "position": _estimate(row, "position"),
            "salience": _estimate(row, "salience"),
        }
        if row["capability"] and _estimate(row, "capability") != actors[a]["capability"]:
            stance["capability"] = _estimate(row, "capability")
        if row.get("evidence"):
            try:
                stance["evidence"] = json.loads(row["evidence"])
                check_depth(stance["evidence"], file, row["evidence"])
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"evidence is not a JSON list: {exc.msg}",
                    file=file,
                    line=line_no,
                    field="evidence",
                ) from None
            except (RecursionError, InputError):
                raise InputError(f"evidence nests lists and mappings more than {MAX_DEPTH} "
                                 "levels deep", file=file, line=line_no, field="evidence",
                                 hint="evidence is a JSON list of entries") from None
        snaps.setdefault(row.get("as_of", ""), []).append((line_no, stance))

    for i, given in scales.items():
        if given:
            issues[i]["scale"] = {"min": given.get("scale_min", (0.0, 0))[0],
                                  "max": given.get("scale_max", (100.0, 0))[0],
                                  "unit": given.get("scale_unit", (None, 0))[0]}
    scale = options.salience_scale or directives.get("salience_scale")
    if scale is None:
        scale = infer_salience_scale(
            [(ln, x) for ln, r in rows if (x := _maybe_float(r["salience"])) is not None],
            file=file)

    dates = sorted(snaps)
    snapshot_docs = [
        {"as_of": d or None, "inherit": False, "status_quo": sq_changes.get(d, {}),
         "stances": [s for _, s in snaps[d]]}
        for d in dates
    ]
    locate = LineMap(
        actors=list(actor_line.values()),
        issues=list(issue_line.values()),
        stances=[[ln for ln, _ in snaps[d]] for d in dates],
    )

    doc = {
        "id": directives.get("id") or path.stem,
        "title": directives.get("title") or path.stem,
        "description": directives.get("description"),
        "actors": list(actors.values()),
        "issues": list(issues.values()),
        "snapshots": snapshot_docs,
    }
    return scenario_from_document(doc, file=file, locate=locate, default_salience_scale=scale)


def write(scenario: Scenario) -> str:
    """All stances in force at every snapshot, saliences on 0–100."""
    doc = document_from_scenario(scenario, "0-100")
    dated = len(scenario.snapshots) > 1 or scenario.snapshots[0].as_of is not None
    out_rows: list[dict[str, Any]] = []
    for k, snap in enumerate(scenario.snapshots):
        state = scenario.state(k)
        caps = state.capabilities
        for st in state.stances:
            actor = scenario.actor(st.actor)
            issue = scenario.issue(st.issue)
            cap = st.capability or caps.get(actor.id, actor.capability)
            row: dict[str, Any] = {
                "as_of": snap.as_of.isoformat() if dated and snap.as_of else "",
                "actor": actor.id,
                "actor_name": actor.name if actor.name != actor.id else "",
                "bloc": actor.bloc or "",
                "issue": issue.id,
                "issue_name": issue.name,
                "scale_min": issue.scale.min,
                "scale_max": issue.scale.max,
                "scale_unit": issue.scale.unit or "",
                "status_quo": _num(state.status_quo[issue.id]),
            }
            for q, est in (("position", st.required_position),
                           ("salience", st.required_salience.scaled(100)),
                           ("capability", cap)):
                row[q] = _num(est.value)
                row[f"{q}_sd"] = _num(est.sd)
                row[f"{q}_low"] = _num(est.low)
                row[f"{q}_high"] = _num(est.high)
            row["evidence"] = (
                json.dumps([e.model_dump(mode="json", exclude_defaults=True)
                            for e in st.evidence], ensure_ascii=False)
                if st.evidence else ""
            )
            out_rows.append(row)
    columns = [c for c in ("as_of", "actor", "actor_name", "bloc", "issue", "issue_name",
                           "scale_min", "scale_max", "scale_unit", "status_quo",
                           *_estimate_columns(),
                           "evidence")
               if c in REQUIRED or any(r[c] != "" for r in out_rows)]
    buf = io.StringIO()
    buf.write(f"# id: {doc['id']}\n# title: {doc['title']}\n# salience_scale: 0-100\n")
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(out_rows)
    return buf.getvalue()


def _estimate_columns() -> list[str]:
    return [f"{q}{k}" for q in ESTIMATES for k in ("", "_sd", "_low", "_high")]


def _num(x: float | None) -> str | float:
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else round(x, 10)
