"""BDM-style CSV: one row per actor on a single issue, ``Actor,Capability,Position,Salience``.

This is the input of Bueno de Mesquita's expected utility model as its replications share it.
The header is case-insensitive, in any column order, and accepts synonyms: ``Stakeholder`` for
Actor and ``Resources``, ``Power`` or ``Influence`` for Capability. Blank lines and trailing
empty cells are ignored.

Salience scale: ``options.salience_scale`` when given; otherwise 0–1 when every salience is at
most 1, 0–100 when none is a fraction below 1, and an error naming the rows when the file
mixes the two (docs/decisions/formats.md, FMT-15).

Issue scale: the files give positions in arbitrary units (years, 0–1, 0–100, prices). The scale
is 0–1 when every position lies in [0, 1] and they span at least half of it, 0–100 when every
position lies in [0, 100] and they span at least half of it, and otherwise [lowest position,
highest position] — the range Bueno de Mesquita's model normalises distances by. (When all
positions are equal the scale is 0–100 if they lie in it, else that value ± 1.)

The scenario's id and title, and the issue's id and name, come from the file name.
``capabilities``: ``weights`` (default, the file's column) or ``equal`` (every actor 1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.io.cells import LineMap, infer_salience_scale, number, records
from detente.io.document import scenario_from_document
from detente.io.formats import Format, ReadOptions
from detente.scenario import Scenario

ROLES: dict[str, tuple[str, ...]] = {
    "actor": ("actor", "stakeholder"),
    "capability": ("capability", "resources", "power", "influence"),
    "position": ("position",),
    "salience": ("salience",),
}
SYNONYMS = {name: role for role, names in ROLES.items() for name in names}
CAPABILITY_SCHEMES = ("weights", "equal")


def _header_roles(cells: list[str]) -> list[str | None]:
    return [SYNONYMS.get(c.strip().strip('"').strip().lower()) for c in cells]


def _trim(cells: list[str]) -> list[str]:
    out = [c.strip() for c in cells]
    while out and not out[-1]:
        out.pop()
    return out


def sniff(path: Path, text: str) -> bool:
    """The first non-blank line is a header naming exactly actor, capability, position, salience."""
    for line in text[:4096].splitlines()[:20]:
        if line.strip():
            cells = _trim(next(csv.reader([line]), []))
            roles = _header_roles(cells)
            return len(cells) == 4 and set(roles) == set(ROLES)
    return False




def issue_scale(positions: list[float]) -> tuple[float, float]:
    """The issue scale implied by a file's positions (the rule in the module docstring)."""
    lo, hi = min(positions), max(positions)
    if lo == hi:
        return (0.0, 100.0) if 0 <= lo <= 100 else (lo - 1.0, hi + 1.0)
    if lo >= 0 and hi <= 1 and hi - lo >= 0.5:
        return 0.0, 1.0
    if lo >= 0 and hi <= 100 and hi - lo >= 50:
        return 0.0, 100.0
    return lo, hi


def _capability_scheme(options: ReadOptions, file: str) -> str:
    scheme = (options.capabilities or "weights").strip().lower()
    if scheme not in CAPABILITY_SCHEMES:
        raise InputError(
            f"unknown capability scheme {options.capabilities!r} for this format",
            file=file,
            hint=f"choose from: {', '.join(CAPABILITY_SCHEMES)}",
        )
    return scheme


def read(path: Path, text: str, options: ReadOptions) -> Scenario:
    """Read a BDM-style CSV into a one-issue scenario."""
    file = str(path)
    scheme = _capability_scheme(options, file)
    body = records(text, file)
    if not body:
        raise InputError("the file is empty", file=file,
                         hint="write a header Actor,Capability,Position,Salience and one row "
                              "per actor")
    header_line, header = body[0][0], _trim(body[0][1])
    roles = _header_roles(header)
    accepted = "; ".join(f"{r}: {', '.join(n)}" for r, n in ROLES.items())
    for k, (cell, role) in enumerate(zip(header, roles, strict=True)):
        if role is None:
            raise InputError(f"unknown column {cell!r} (column {k + 1})", file=file,
                             line=header_line, hint=f"the header names, any case: {accepted}")
        if roles.index(role) != k:
            raise InputError(f"column {cell!r} repeats the {role} column", file=file,
                             line=header_line, hint="give each of the four columns once")
    missing = [r for r in ROLES if r not in roles]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=file, line=header_line,
                         hint=f"the header names, any case: {accepted}")
    col = {role: roles.index(role) for role in ROLES}
    if len(body) == 1:
        raise InputError("no data rows after the header", file=file, line=header_line,
                         hint="add one row per actor: name, capability, position, salience")

    actors: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    saliences: list[float] = []
    positions: list[float] = []
    for line, cells in body[1:]:
        while len(cells) > 4 and not cells[-1]:
            cells = cells[:-1]
        if len(cells) != 4:
            raise InputError(
                f"expected 4 cells ({', '.join(header)}), found {len(cells)}",
                file=file, line=line, hint="one actor per row; quote names that hold a comma")
        name = cells[col["actor"]]
        if not name:
            raise InputError("empty actor name", file=file, line=line,
                             field=header[col["actor"]], hint="name every actor")
        if name in seen:
            raise InputError(f"actor {name!r} appears twice (first on line {seen[name]})",
                             file=file, line=line, field=header[col["actor"]],
                             hint="keep one row per actor")
        seen[name] = line
        cap = number(cells[col["capability"]], file=file, line=line,
                      field=header[col["capability"]])
        if cap <= 0:
            raise InputError(f"capability must be > 0, got {cap:g}", file=file, line=line,
                             field=header[col["capability"]],
                             hint="give every actor a positive capability, or drop the row")
        pos = number(cells[col["position"]], file=file, line=line,
                      field=header[col["position"]])
        sal = number(cells[col["salience"]], file=file, line=line,
                      field=header[col["salience"]])
        if sal < 0:
            raise InputError(f"salience must be >= 0, got {sal:g}", file=file, line=line,
                             field=header[col["salience"]],
                             hint="saliences run from 0 to 1 or from 0 to 100")
        actors.append({"id": name, "capability": 1.0 if scheme == "equal" else cap})
        stances.append({"actor": name, "issue": "", "position": pos, "salience": sal})
        positions.append(pos)
        saliences.append(sal)
        lines.append(line)

    scale = options.salience_scale or infer_salience_scale(
        list(zip(lines, saliences, strict=True)), file=file, field=header[col["salience"]])
    stem = path.stem.strip() or "scenario"
    for st in stances:
        st["issue"] = stem
    lo, hi = issue_scale(positions)
    doc = {
        "id": stem,
        "title": stem,
        "description": f"Imported from the BDM-style CSV {path.name}.",
        "actors": actors,
        "issues": [{"id": stem, "name": stem, "scale": {"min": lo, "max": hi}}],
        "snapshots": [{"stances": stances}],
    }

    locate = LineMap(actors=lines, issues=[header_line], stances=[lines])
    return scenario_from_document(doc, file=file, locate=locate, default_salience_scale=scale)




def write(scenario: Scenario) -> str:
    """The latest state of a one-issue scenario; saliences on 0–100, capabilities as numbers."""
    if len(scenario.issues) != 1:
        names = ", ".join(repr(i.id) for i in scenario.issues)
        raise InputError(
            f"the bdm format holds one issue; this scenario has {len(scenario.issues)}: {names}",
            hint="write the csv format instead, which keeps every issue; detente convert "
                 "has no --issue option to pick one",
        )
    state = scenario.state(len(scenario.snapshots) - 1)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Actor", "Capability", "Position", "Salience"])
    for st in state.stances:
        cap = st.capability or state.capabilities.get(st.actor, scenario.actor(st.actor).capability)
        w.writerow([st.actor, _num(cap.value), _num(st.required_position.value),
                    _num(st.required_salience.value * 100)])
    return buf.getvalue()


def _num(x: float) -> int | float:
    r = round(x, 10)
    return int(r) if float(r).is_integer() else r


FORMAT = Format(
    "bdm",
    "BDM-style CSV: Actor,Capability,Position,Salience (one issue)",
    (".csv",),
    read=read,
    write=write,
    sniff=sniff,
)
