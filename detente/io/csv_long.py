"""Long CSV: one row per actor and issue (and snapshot date).

Required columns: ``actor, issue, position, salience, capability``. Optional: ``as_of`` (one
snapshot per date), ``actor_name, bloc, issue_name, scale_min, scale_max, scale_unit``,
``status_quo`` (per date), ``{position,salience,capability}_{sd,low,high}`` and ``evidence``
(a JSON list of evidence entries). Lines starting with ``#`` before the header may set
``id``, ``title`` and ``salience_scale`` (``# salience_scale: 0-100``); without it the scale
is 0–1 when every salience is at most 1, else 0–100.

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
from detente.io.cells import LineMap
from detente.io.document import document_from_scenario, scenario_from_document
from detente.io.formats import ReadOptions
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
    reader = csv.DictReader(io.StringIO("".join(lines[skip:])))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}",
            file=file,
            line=skip + 1,
            hint=f"the header needs {', '.join(REQUIRED)}",
        )
    unknown = [h for h in header if h and h not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]!r}",
            file=file,
            line=skip + 1,
            hint=f"known columns: {', '.join(REQUIRED + OPTIONAL)}",
        )
    reader.fieldnames = header

    rows: list[tuple[int, dict[str, str]]] = []
    for raw in reader:
        line_no = skip + reader.line_num
        if None in raw:
            raise InputError("more cells than header columns", file=file, line=line_no)
        row = {k: (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
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
        if row.get("scale_min") or row.get("scale_max") or row.get("scale_unit"):
            iss.setdefault("scale", {"min": row.get("scale_min") or 0,
                                     "max": row.get("scale_max") or 100,
                                     "unit": row.get("scale_unit") or None})
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
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"evidence is not a JSON list: {exc.msg}",
                    file=file,
                    line=line_no,
                    field="evidence",
                ) from None
        snaps.setdefault(row.get("as_of", ""), []).append((line_no, stance))

    scale = options.salience_scale or directives.get("salience_scale")
    if scale is None:
        try:
            top = max(float(r["salience"]) for _, r in rows if r["salience"])
        except ValueError:
            top = 100.0  # a non-number is reported with its line by validation
        scale = "0-1" if top <= 1 else "0-100"

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
