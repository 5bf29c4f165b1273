"""The tagged input format of the Decide exchange model (Stokman's model as the peer tool runs it).

One record per line, the first cell a tag, cells separated by tabs (or, in files without a
tab, by ``;`` or ``,``); any cell may be quoted with ``'`` or ``"``:

- ``#A  id  name  [comment]`` an actor;
- ``#P  id  name  [description]`` an issue;
- ``#M  issue  value  [meaning]`` a labelled point of an issue's scale: the scale runs from
  the smallest to the largest ``#M`` value, in any order (0–100 where an issue has none);
  points with a meaning become anchors;
- ``#D  actor  issue  position  salience  power  [comment]`` a stance;
- ``#/``, ``#0`` comments; ``#O`` the scenario's title.

Saliences are on 0–1 or 0–100: ``options.salience_scale`` when given, else 0–1 when every
salience is at most 1, 0–100 when none is a fraction below 1, and an error naming the rows when
the file mixes the two (docs/decisions/formats.md, FMT-15). Power is the actor's capability on
that issue: an actor's capability is the power on its first ``#D`` row, a row with another
power gives the actor a capability of its own on that issue. Actors without any ``#D`` row, and
missing ``#D`` rows, are kept: such an actor takes no part in that issue. The writer writes the
latest snapshot, quoted with ``'`` like the peer's sample files (an apostrophe inside a name
becomes ’); the format has no status quo, dates or evidence. The model rescales every scale to
0–100 internally, as the peer does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.io.cells import LineMap, infer_salience_scale, number
from detente.io.document import scenario_from_document
from detente.io.formats import Format, ReadOptions
from detente.scenario import Scenario

TAGS = ("#A", "#P", "#M", "#D")
COMMENTS = ("#/", "#0", "#O")
_CELLS = {"#A": 1, "#P": 1, "#M": 2, "#D": 5}
_USAGE = {
    "#A": "#A<TAB>id<TAB>name",
    "#P": "#P<TAB>id<TAB>name",
    "#M": "#M<TAB>issue<TAB>value<TAB>meaning",
    "#D": "#D<TAB>actor<TAB>issue<TAB>position<TAB>salience<TAB>power",
}


def _unquote(cell: str) -> str:
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] and cell[0] in "'\"":
        return cell[1:-1].strip()
    return cell


def _delimiter(lines: list[str]) -> str:
    tagged = [ln for ln in lines if ln.lstrip().lstrip("'\"").startswith("#")]
    if any("\t" in ln for ln in tagged):
        return "\t"
    if any(";" in ln for ln in tagged):
        return ";"
    return ","


def _tag(line: str, delimiter: str) -> str:
    return _unquote(line.split(delimiter, 1)[0]).upper()


def sniff(path: Path, text: str) -> bool:
    """The first records are ``#A``/``#P``/``#M``/``#D`` tagged lines (comments may precede)."""
    lines = [ln for ln in text[:8192].lstrip("\ufeff").splitlines() if ln.strip()][:40]
    if not lines:
        return False
    delim = _delimiter(lines)
    tags = [_tag(ln, delim) for ln in lines]
    data = [t for t in tags if t not in COMMENTS]
    return bool(data) and data[0] in TAGS and sum(t in TAGS for t in data) >= len(data) * 0.9


@dataclass
class _Parsed:
    """What the records of a file say, with the line each came from."""

    title: str | None = None
    actors: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    issues: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    points: dict[str, list[tuple[int, float, str]]] = field(default_factory=dict)
    stances: list[tuple[int, str, str, float, float, float]] = field(default_factory=list)




def _parse(text: str, file: str) -> _Parsed:
    raw = text.lstrip("\ufeff").splitlines()
    delim = _delimiter(raw)
    out = _Parsed()
    seen_d: dict[tuple[str, str], int] = {}
    for line, content in enumerate(raw, start=1):
        if not content.strip():
            continue
        cells = [_unquote(c) for c in content.split(delim)]
        tag = cells[0].upper()
        rest = cells[1:]
        if tag[:2] in COMMENTS:
            words = [cells[0][2:].strip(), *rest] if tag[:2] == "#O" else []
            if out.title is None and any(words):
                out.title = " ".join(c for c in words if c)
            continue
        if tag not in TAGS:
            raise InputError(
                f"unknown record {cells[0][:20]!r}", file=file, line=line,
                hint="each line starts with #A, #P, #M or #D (#/ for comments)")
        while rest and not rest[-1]:
            rest.pop()
        if len(rest) < _CELLS[tag] or not all(rest[: _CELLS[tag]]):
            raise InputError(
                f"{tag} needs {_CELLS[tag]} cell(s) after the tag, found "
                f"{sum(1 for c in rest[: _CELLS[tag]] if c)}", file=file, line=line,
                hint=f"write {_USAGE[tag]} (tab separated)")
        if tag == "#A":
            key = rest[0]
            if key in out.actors:
                raise InputError(f"actor {key!r} defined twice (first on line "
                                 f"{out.actors[key][0]})", file=file, line=line,
                                 hint="keep one #A line per actor")
            out.actors[key] = (line, rest[1] if len(rest) > 1 and rest[1] else key,
                               " ".join(rest[2:]))
        elif tag == "#P":
            key = rest[0]
            if key in out.issues:
                raise InputError(f"issue {key!r} defined twice (first on line "
                                 f"{out.issues[key][0]})", file=file, line=line,
                                 hint="keep one #P line per issue")
            out.issues[key] = (line, rest[1] if len(rest) > 1 and rest[1] else key,
                               " ".join(rest[2:]))
        elif tag == "#M":
            value = number(rest[1], file=file, line=line, field="value")
            out.points.setdefault(rest[0], []).append((line, value, " ".join(rest[2:])))
        else:
            actor, issue = rest[0], rest[1]
            if (actor, issue) in seen_d:
                raise InputError(
                    f"second #D row for actor {actor!r} on issue {issue!r} (first on line "
                    f"{seen_d[(actor, issue)]})", file=file, line=line,
                    hint="keep one #D row per actor and issue")
            seen_d[(actor, issue)] = line
            pos = number(rest[2], file=file, line=line, field="position")
            sal = number(rest[3], file=file, line=line, field="salience")
            power = number(rest[4], file=file, line=line, field="power")
            out.stances.append((line, actor, issue, pos, sal, power))
    return out


def _problems(parsed: _Parsed, scales: dict[str, dict[str, float]], file: str
              ) -> list[InputError]:
    """Every reference, range and scale problem of the #M and #D rows, in line order."""
    out: list[InputError] = []
    for issue, points in parsed.points.items():
        if issue not in parsed.issues:
            out.append(InputError(f"#M for unknown issue {issue!r}", file=file,
                                  line=points[0][0],
                                  hint="define the issue with a #P line or fix the id"))
    for line, actor, issue, pos, sal, power in parsed.stances:
        if actor not in parsed.actors:
            known = ", ".join(list(parsed.actors)[:8])
            out.append(InputError(f"#D for unknown actor {actor!r}", file=file, line=line,
                                  hint=f"define it with an #A line or use a known id ({known})"))
        if issue not in parsed.issues:
            known = ", ".join(list(parsed.issues)[:8])
            out.append(InputError(f"#D for unknown issue {issue!r}", file=file, line=line,
                                  hint=f"define it with a #P line or use a known id ({known})"))
        elif issue in scales:
            lo, hi = scales[issue]["min"], scales[issue]["max"]
            if not lo <= pos <= hi:
                out.append(InputError(
                    f"position {pos:g} lies outside the scale [{lo:g}, {hi:g}] of issue "
                    f"{issue!r}", file=file, line=line, field="position",
                    hint="fix the number, or widen the scale with #M points"))
        if not 0 <= sal <= 100:
            out.append(InputError(f"salience {sal:g} is outside 0–1 and 0–100", file=file,
                                  line=line, field="salience",
                                  hint="saliences run from 0 to 1 (or 0 to 100)"))
        if power <= 0:
            out.append(InputError(f"power must be > 0, got {power:g}", file=file, line=line,
                                  field="power",
                                  hint="give the actor a positive power, or drop the row: an "
                                       "actor without power takes no part"))
    return sorted(out, key=lambda e: e.line or 0)


def _scale(points: list[tuple[int, float, str]], file: str) -> dict[str, float]:
    values = [v for _, v, _ in points]
    if len(values) == 1 or min(values) == max(values):
        raise InputError(f"the #M points of this issue span no range (only {values[0]:g})",
                         file=file, line=points[0][0],
                         hint="give at least two #M points, e.g. 0 and 100, or none "
                              "for the default 0–100")
    return {"min": min(values), "max": max(values)}


def read(path: Path, text: str, options: ReadOptions) -> Scenario:
    """Read a Decide input file into a one-snapshot scenario."""
    file = str(path)
    parsed = _parse(text, file)
    if not parsed.actors:
        raise InputError("no #A (actor) lines", file=file, line=1,
                         hint="define each actor with #A<TAB>id<TAB>name")
    if not parsed.issues:
        raise InputError("no #P (issue) lines", file=file, line=1,
                         hint="define each issue with #P<TAB>id<TAB>name")
    if not parsed.stances:
        raise InputError("no #D (stance) lines", file=file, line=1,
                         hint="give positions with #D<TAB>actor<TAB>issue<TAB>position"
                              "<TAB>salience<TAB>power")
    scales = {key: _scale(parsed.points[key], file) if parsed.points.get(key)
              else {"min": 0.0, "max": 100.0} for key in parsed.issues}
    problems = _problems(parsed, scales, file)
    if problems:
        first, *rest = problems
        raise InputError(first.message, file=first.file, line=first.line, field=first.field,
                         hint=first.hint, more=rest)
    scale = options.salience_scale or infer_salience_scale(
        [(s[0], s[4]) for s in parsed.stances], file=file)

    first_power: dict[str, float] = {}
    for _line, actor, _issue, _pos, _sal, power in parsed.stances:
        first_power.setdefault(actor, power)
    issues: list[dict[str, Any]] = []
    issue_lines: list[int] = []
    for key, (line, name, description) in parsed.issues.items():
        entry: dict[str, Any] = {"id": key, "name": name}
        if description and description != name:
            entry["description"] = description
        points = parsed.points.get(key, [])
        entry["scale"] = scales[key]
        if points:
            labels = {v: m for _, v, m in points if m}
            if labels:
                entry["anchors"] = [{"value": v, "label": m} for v, m in sorted(labels.items())]
        issues.append(entry)
        issue_lines.append(line)
    actors = [
        {"id": key, "name": name, "capability": first_power.get(key, 1.0),
         **({"description": comment} if comment else {})}
        for key, (_line, name, comment) in parsed.actors.items()
    ]
    actor_lines = [line for line, _, _ in parsed.actors.values()]
    stances = []
    for _line, actor, issue, pos, sal, power in parsed.stances:
        st: dict[str, Any] = {"actor": actor, "issue": issue, "position": pos, "salience": sal}
        if power != first_power[actor]:
            st["capability"] = power
        stances.append(st)
    stance_lines = [s[0] for s in parsed.stances]
    stem = path.stem.strip() or "decide"
    doc = {
        "id": re.sub(r"\s+", "-", stem),
        "title": parsed.title or stem,
        "description": f"Imported from the Decide exchange model input {path.name}.",
        "actors": actors,
        "issues": issues,
        "snapshots": [{"stances": stances}],
    }

    locate = LineMap(actors=actor_lines, issues=issue_lines, stances=[stance_lines])

    return scenario_from_document(doc, file=file, locate=locate, default_salience_scale=scale)


def _q(text: str) -> str:
    clean = " ".join(text.replace("'", "’").split())
    return f"'{clean}'"


def _n(x: float) -> str:
    r = round(x, 10)
    return str(int(r)) if float(r).is_integer() else repr(r)


def write(scenario: Scenario) -> str:
    """The latest snapshot as a Decide input file (saliences on 0–1, power = capability)."""
    state = scenario.state(len(scenario.snapshots) - 1)
    rows: list[list[str]] = [["#O", _q(scenario.title)]]
    for a in scenario.actors:
        rows.append(["#A", _q(a.id), _q(a.name), _q(a.description or "")])
    for s in scenario.issues:
        rows.append(["#P", _q(s.id), _q(s.name), _q(s.description or "")])
        labels = {a.value: a.label for a in s.anchors}
        for v in sorted({s.scale.min, s.scale.max, *labels}):
            rows.append(["#M", _q(s.id), _n(v), _q(labels.get(v, ""))])
    for st in state.stances:
        cap = st.capability or state.capabilities.get(st.actor,
                                                      scenario.actor(st.actor).capability)
        rows.append(["#D", _q(st.actor), _q(st.issue), _n(st.required_position.value),
                     _n(st.required_salience.value), _n(cap.value)])
    return "".join("\t".join(r) + "\n" for r in rows)


FORMAT = Format(
    "decide",
    "Decide exchange model input: #A actors, #P issues, #M scale points, #D stances",
    (".csv",),
    read=read,
    write=write,
    sniff=sniff,
)
