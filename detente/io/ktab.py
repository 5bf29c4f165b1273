"""KTAB's spatial model of politics (SMP) inputs: its CSV and its XML scenario files.

CSV: row 1 ``ScenarioName,Description,numActors,numDims`` (a trailing comma or further cells
are ignored, as KTAB ignores them); row 2 the header ``Actor,Description,Power,<dim>
position,<dim> salience,...`` (the third column may be called Power, Influence or anything
else); then one row per actor. Cells are trimmed; trailing empty cells are ignored. The counts
in row 1 must match the header's dimensions and the actor rows.

XML (KTAB's ``smpSchema.xsd``): ``Scenario`` with ``name``, ``desc``, ``prngSeed``, optional
``ModelParameters``, ``Dimensions/dName``, ``Actors/Actor`` (``name``, ``description``,
``capability``, ``Position/dCoord``, ``Salience/dSal``) and ``IdealAdjustment`` with at
least one ``iaPair`` (the XSD marks the block optional, but KTAB's reader stops without it, so
a file lacking it is refused with the fix named). The model parameters, the seed and the ideal
adjustments become the scenario's settings of the ``smp`` model (``models: {smp: ...}``),
with ``joint: true``, since KTAB runs all dimensions as one space.

Each dimension becomes an issue on 0–100 (KTAB's position scale); each per-dimension salience
(0–100; KTAB requires an actor's saliences to sum to at most 100) becomes that issue's salience
on 0–100; power/influence/capability becomes capability (KTAB allows 0; detente needs > 0).
``capabilities``: ``weights`` (default, the file's column) or ``equal`` (every actor 1).
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from detente.errors import InputError
from detente.io.cells import LineMap, number, records
from detente.io.document import scenario_from_document
from detente.io.formats import Format, ReadOptions
from detente.io.text import read_text
from detente.models.smp.options import BY_KTAB, CHOICES
from detente.scenario import Scenario

CAPABILITY_SCHEMES = ("weights", "equal")
# The enumerations of smpSchema.xsd, plus the spellings KTAB's reader itself expects where they
# differ from the schema's ("Prop" for "Proportional", "None" for "No").
MODEL_PARAMETERS: dict[str, tuple[str, ...]] = {
    c.ktab: (*c.values, *c.aliases) for c in CHOICES
}
_SALIENCE_TOLERANCE = 1e-6


@dataclass
class _Actor:
    name: str
    description: str
    capability: float
    positions: list[float]
    saliences: list[float]
    line: int
    position_lines: list[int]
    salience_lines: list[int]
    capability_line: int


@dataclass
class _Ktab:
    name: str
    description: str
    dimensions: list[str]
    actors: list[_Actor]
    dimension_lines: list[int]
    parameters: dict[str, str] = field(default_factory=dict)
    parameter_lines: dict[str, int] = field(default_factory=dict)


# --- detection ------------------------------------------------------------------------------


def _is_xml(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def sniff(path: Path, text: str) -> bool:
    """CSV: row 1 has integer counts in cells 3 and 4 and row 2 starts ``Actor,Description``.

    XML: a ``Scenario`` root with a ``prngSeed`` or a reference to ``smpSchema`` near the top.
    """
    head = text[:4096].lstrip("\ufeff")
    if _is_xml(head):
        return bool(re.search(r"<Scenario[\s>]", head)) and (
            "<prngSeed" in head or "smpSchema" in head
        )
    lines = [ln for ln in head.splitlines()[:3] if ln.strip()]
    if len(lines) < 2:
        return False
    first = [c.strip() for c in next(csv.reader([lines[0]], skipinitialspace=True), [])]
    second = [c.strip().lower() for c in next(csv.reader([lines[1]]), [])]
    return (
        len(first) >= 4
        and first[2].isdigit()
        and first[3].isdigit()
        and second[:2] == ["actor", "description"]
    )


# --- CSV ------------------------------------------------------------------------------------




def _fit(cells: list[str], width: int = 0) -> list[str]:
    """The cells without trailing empty ones beyond ``width``."""
    out = list(cells)
    while len(out) > width and not out[-1]:
        out.pop()
    return out


def _number(cell: str, *, file: str, line: int, field: str, what: str) -> float:
    return number(cell, file=file, line=line, field=field, what=what,
                  empty_hint="write a number; KTAB itself silently reads an empty value as 0")


def _count(cell: str, *, file: str, line: int, what: str) -> int:
    try:
        n = int(cell)
    except ValueError:
        raise InputError(f"row 1 must give the number of {what} in this cell, got {cell!r}",
                         file=file, line=line, field=f"num{what.capitalize()}",
                         hint="row 1 is ScenarioName,Description,numActors,numDims") from None
    if n < 1:
        raise InputError(f"row 1 gives {n} {what}", file=file, line=line,
                         field=f"num{what.capitalize()}", hint="it must be at least 1")
    return n


def _dimension_name(header: str, k: int) -> str:
    name = re.sub(r"\s*position\s*$", "", header, flags=re.IGNORECASE).strip()
    return name or header.strip() or f"dim{k + 1}"


def _read_csv(file: str, text: str) -> _Ktab:
    table = records(text, file, skipinitialspace=True, skip_blank=False)
    while table and not any(table[-1][1]):
        table.pop()
    while table and not any(table[0][1]):
        table.pop(0)
    if not table:
        raise InputError("the file is empty", file=file,
                         hint="row 1: ScenarioName,Description,numActors,numDims")
    line1, row1 = table[0]
    if len(row1) < 4:
        raise InputError(
            f"row 1 has {len(row1)} cell(s); it needs ScenarioName,Description,numActors,numDims",
            file=file, line=line1, hint="see KTAB's examples/smp/doc/*.csv")
    n_actors = _count(row1[2], file=file, line=line1, what="actors")
    n_dims = _count(row1[3], file=file, line=line1, what="dims")
    if len(table) < 2 or not any(table[1][1]):
        raise InputError("the header row is missing", file=file, line=line1 + 1,
                         hint="row 2: Actor,Description,Power,<dim> position,<dim> salience,...")
    line2, header = table[1][0], _fit(table[1][1])
    pairs, odd = divmod(len(header) - 3, 2)
    if len(header) < 5 or odd:
        raise InputError(
            f"the header has {len(header)} cells; it needs Actor, Description, Power and a "
            "position and a salience column per dimension", file=file, line=line2)
    if pairs != n_dims:
        raise InputError(
            f"row 1 says {n_dims} dimension(s) but the header has {pairs} position/salience "
            "pair(s)", file=file, line=line2, field="numDims",
            hint="make the count in row 1 match the columns")
    dims = [_dimension_name(header[3 + 2 * d], d) for d in range(n_dims)]
    width = 3 + 2 * n_dims
    rows = [(ln, _fit(cells, width)) for ln, cells in table[2:] if any(cells)]
    if len(rows) != n_actors:
        where = rows[n_actors][0] if len(rows) > n_actors else (rows[-1][0] if rows else line2)
        raise InputError(
            f"row 1 says {n_actors} actor(s) but {len(rows)} actor row(s) follow the header",
            file=file, line=where, field="numActors",
            hint="make the count in row 1 match the rows, or remove stray rows")
    actors: list[_Actor] = []
    for line, cells in rows:
        if len(cells) != width:
            raise InputError(
                f"expected {width} cells (actor, description, power and {n_dims} "
                f"position/salience pair(s)), found {len(cells)}", file=file, line=line,
                hint="one actor per row; quote descriptions that hold a comma")
        if not cells[0]:
            raise InputError("empty actor name", file=file, line=line, field=header[0] or "Actor",
                             hint="name every actor")
        cap = _number(cells[2], file=file, line=line, field=header[2] or "Power",
                      what="capability")
        pos = [_number(cells[3 + 2 * d], file=file, line=line, field=header[3 + 2 * d],
                       what=f"position on {dims[d]!r}") for d in range(n_dims)]
        sal = [_number(cells[4 + 2 * d], file=file, line=line, field=header[4 + 2 * d],
                       what=f"salience on {dims[d]!r}") for d in range(n_dims)]
        actors.append(_Actor(cells[0], cells[1], cap, pos, sal, line,
                             [line] * n_dims, [line] * n_dims, line))
    ktab = _Ktab(row1[0], row1[1], dims, actors, [line2] * n_dims)
    _check(ktab, file, field_names=(header[2] or "Power", header[3::2], header[4::2]))
    return ktab


# --- XML ------------------------------------------------------------------------------------


def _parse_xml(file: str, text: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The element tree and the line each element starts on."""
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    def doctype(name: str, *args: object) -> None:
        # KTAB's files have no DTD; entities in one could expand, or name outside files
        raise InputError("the file declares a DTD (<!DOCTYPE ...>), which KTAB's scenario "
                         "files do not use", file=file, line=parser.CurrentLineNumber,
                         hint="remove the <!DOCTYPE ...> block and any &entity; references")

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(text.lstrip("\ufeff"), True)
    except expat.ExpatError as exc:
        raise InputError(f"not well-formed XML: {expat.errors.messages[exc.code]}", file=file,
                         line=exc.lineno, hint="fix the XML at this line") from None
    return builder.close(), lines


def _text(el: ET.Element | None) -> str:
    return "" if el is None or el.text is None else el.text.strip()


def _read_xml(file: str, text: str) -> _Ktab:
    root, lines = _parse_xml(file, text)
    if root.tag != "Scenario":
        raise InputError(f"the root element is <{root.tag}>, not <Scenario>", file=file,
                         line=lines.get(root), hint="see KTAB's smpSchema.xsd")

    def child(parent: ET.Element, tag: str) -> ET.Element:
        el = parent.find(tag)
        if el is None:
            raise InputError(f"<{parent.tag}> has no <{tag}>", file=file,
                             line=lines.get(parent), field=tag,
                             hint="see KTAB's smpSchema.xsd")
        return el

    params: dict[str, str] = {}
    param_lines: dict[str, int] = {}
    seed = root.find("prngSeed")
    if seed is not None and _text(seed):
        params["prngSeed"] = _text(seed)
        param_lines["prngSeed"] = lines[seed]
    mp = root.find("ModelParameters")
    if mp is not None:
        for el in mp:
            if el.tag not in MODEL_PARAMETERS:
                raise InputError(f"unknown model parameter <{el.tag}>", file=file,
                                 line=lines.get(el), field=el.tag,
                                 hint=f"KTAB knows: {', '.join(MODEL_PARAMETERS)}")
            if _text(el) not in MODEL_PARAMETERS[el.tag]:
                raise InputError(f"unknown {el.tag} {_text(el)!r}", file=file,
                                 line=lines.get(el), field=el.tag,
                                 hint=f"choose from: {', '.join(MODEL_PARAMETERS[el.tag])}")
            params[el.tag] = _text(el)
            param_lines[el.tag] = lines[el]

    dims_el = child(root, "Dimensions")
    dim_els = dims_el.findall("dName")
    if not dim_els:
        raise InputError("<Dimensions> lists no <dName>", file=file, line=lines.get(dims_el),
                         hint="name each dimension in a <dName>")
    dims = []
    for k, el in enumerate(dim_els):
        if not _text(el):
            raise InputError(f"empty dimension name (dName {k + 1})", file=file,
                             line=lines.get(el), field="dName", hint="name every dimension")
        dims.append(_text(el))
    n_dims = len(dims)

    actors_el = child(root, "Actors")
    actor_els = actors_el.findall("Actor")
    if not actor_els:
        raise InputError("<Actors> lists no <Actor>", file=file, line=lines.get(actors_el))
    actors: list[_Actor] = []
    for a_el in actor_els:
        a_line = lines[a_el]
        name_el = child(a_el, "name")
        name = _text(name_el)
        if not name:
            raise InputError("empty actor name", file=file, line=lines[name_el],
                             field="name", hint="name every actor")
        cap_el = child(a_el, "capability")
        cap = _number(_text(cap_el), file=file, line=lines[cap_el], field="capability",
                      what=f"capability of {name!r}")
        values: dict[str, tuple[list[float], list[int]]] = {}
        for block, tag, what in (("Position", "dCoord", "position"),
                                 ("Salience", "dSal", "salience")):
            b_el = child(a_el, block)
            els = b_el.findall(tag)
            if len(els) != n_dims:
                raise InputError(
                    f"actor {name!r} has {len(els)} <{tag}> in <{block}>, but there are "
                    f"{n_dims} dimensions", file=file, line=lines[b_el], field=tag,
                    hint=f"give one <{tag}> per <dName>")
            nums = [
                _number(_text(el), file=file, line=lines[el], field=tag,
                        what=f"{what} of {name!r} on {dims[d]!r} ({tag} {d + 1})")
                for d, el in enumerate(els)
            ]
            values[block] = nums, [lines[el] for el in els]
        pos, pos_lines = values["Position"]
        sal, sal_lines = values["Salience"]
        actors.append(_Actor(name, _text(a_el.find("description")), cap, pos, sal, a_line,
                             pos_lines, sal_lines, lines[cap_el]))

    ktab = _Ktab(_text(root.find("name")), _text(root.find("desc")), dims, actors,
                 [lines[el] for el in dim_els], params, param_lines)
    _check(ktab, file, field_names=("capability", ["dCoord"] * n_dims, ["dSal"] * n_dims))
    known = {a.name for a in actors}
    ia = root.find("IdealAdjustment")
    pairs = [] if ia is None else ia.findall("iaPair")
    if not pairs:
        where = ia if ia is not None else actors_el
        raise InputError(
            "no <IdealAdjustment> block" if ia is None else "<IdealAdjustment> has no <iaPair>",
            file=file, line=lines.get(where), field="IdealAdjustment",
            hint="KTAB's reader requires at least one <iaPair> after <Actors> (it exits "
                 "silently otherwise); e.g. <iaPair><adjustingIdeal>A</adjustingIdeal>"
                 "<referencePos>A</referencePos><adjust>1</adjust></iaPair> keeps the identity")
    for pair in pairs:
        who, ref = _text(pair.find("adjustingIdeal")), _text(pair.find("referencePos"))
        for tag, a in (("adjustingIdeal", who), ("referencePos", ref)):
            if a not in known:
                raise InputError(f"<{tag}> names unknown actor {a!r}", file=file,
                                 line=lines[pair], field=tag,
                                 hint=f"use an actor name: {', '.join(sorted(known))}")
        adj = _text(pair.find("adjust"))
        _number(adj, file=file, line=lines[pair], field="adjust", what="ideal adjustment")
        params[f"IdealAdjustment:{who}:{ref}"] = adj
        param_lines[f"IdealAdjustment:{who}:{ref}"] = lines[pair]
    return ktab


# --- shared checks and conversion -----------------------------------------------------------


def _check(
    ktab: _Ktab, file: str, field_names: tuple[str, list[str], list[str]]
) -> None:
    """KTAB's own limits: capability, positions and saliences in range, unique names."""
    cap_field, pos_fields, sal_fields = field_names
    seen: dict[str, int] = {}
    for a in ktab.actors:
        if a.name in seen:
            raise InputError(f"actor {a.name!r} appears twice (first on line {seen[a.name]})",
                             file=file, line=a.line, hint="give each actor its own name")
        seen[a.name] = a.line
        if a.capability <= 0:
            raise InputError(
                f"capability of {a.name!r} must be > 0, got {a.capability:g}", file=file,
                line=a.capability_line, field=cap_field,
                hint="detente needs a positive capability; drop an actor that carries no weight")
        for d, dim in enumerate(ktab.dimensions):
            x, s = a.positions[d], a.saliences[d]
            if not 0 <= x <= 100:
                raise InputError(f"position {x:g} of {a.name!r} on {dim!r} is outside 0–100",
                                 file=file, line=a.position_lines[d], field=pos_fields[d],
                                 hint="KTAB positions lie on 0–100")
            if not 0 <= s <= 100:
                raise InputError(f"salience {s:g} of {a.name!r} on {dim!r} is outside 0–100",
                                 file=file, line=a.salience_lines[d], field=sal_fields[d],
                                 hint="KTAB saliences lie on 0–100")
        total = sum(a.saliences)
        if total > 100 + _SALIENCE_TOLERANCE:
            raise InputError(
                f"the saliences of {a.name!r} sum to {total:g}, above 100", file=file,
                line=a.salience_lines[-1], field=sal_fields[-1],
                hint="KTAB's saliences are shares of one actor's attention; scale them down")
    dupes = [d for k, d in enumerate(ktab.dimensions) if d in ktab.dimensions[:k]]
    if dupes:
        k = ktab.dimensions.index(dupes[0], ktab.dimensions.index(dupes[0]) + 1)
        raise InputError(f"dimension {dupes[0]!r} is named twice", file=file,
                         line=ktab.dimension_lines[k], hint="give each dimension its own name")


def _scheme(options: ReadOptions, file: str) -> str:
    scheme = (options.capabilities or "weights").strip().lower()
    if scheme not in CAPABILITY_SCHEMES:
        raise InputError(f"unknown capability scheme {options.capabilities!r} for this format",
                         file=file, hint=f"choose from: {', '.join(CAPABILITY_SCHEMES)}")
    return scheme


def _scenario(path: Path, ktab: _Ktab, scheme: str) -> Scenario:
    file = str(path)
    stem = path.stem.strip() or "scenario"
    description = ktab.description or None
    smp, smp_lines = settings_from_ktab(ktab.parameters, ktab.parameter_lines)
    actors: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    stance_lines: list[tuple[int, int]] = []
    for a in ktab.actors:
        actor: dict[str, Any] = {"id": a.name,
                                 "capability": 1.0 if scheme == "equal" else a.capability}
        if a.description:
            actor["description"] = a.description
        actors.append(actor)
        for d, dim in enumerate(ktab.dimensions):
            stances.append({"actor": a.name, "issue": dim, "position": a.positions[d],
                            "salience": a.saliences[d]})
            stance_lines.append((a.position_lines[d], a.salience_lines[d]))
    doc = {
        "id": stem,
        "title": ktab.name or stem,
        "description": description,
        "actors": actors,
        "issues": [{"id": d, "name": d, "scale": {"min": 0, "max": 100}}
                   for d in ktab.dimensions],
        "snapshots": [{"stances": stances}],
        # KTAB runs every dimension in one space, with the settings the file carries
        "models": {"smp": {"joint": True, **smp}},
    }

    locate = LineMap(
        actors=[a.line for a in ktab.actors],
        issues=ktab.dimension_lines,
        stances=[[pos for pos, _ in stance_lines]],
        salience_stances=[[sal for _, sal in stance_lines]],
        models={"smp": smp_lines},
    )

    return scenario_from_document(doc, file=file, locate=locate,
                                  default_salience_scale="0-100")


def settings_from_ktab(
    parameters: Mapping[str, str], lines: Mapping[str, int] | None = None
) -> tuple[dict[str, Any], dict[str, int]]:
    """KTAB's settings as ``smp`` parameters, with the line each came from.

    ``ModelParameters`` become the nine choices, ``prngSeed`` the seed and each
    ``IdealAdjustment:<actor>:<reference>`` an ``ideal_adjustment`` entry; the values stay as
    written, to be checked as the model's parameters.
    """
    lines = lines or {}
    out: dict[str, Any] = {}
    where: dict[str, int] = {}
    adjust: list[list[str]] = []
    for key, value in parameters.items():
        if key in BY_KTAB:
            name = BY_KTAB[key].param
        elif key == "prngSeed":
            name = "seed"
        elif key.startswith("IdealAdjustment:"):
            _, who, ref = key.split(":", 2)
            if key in lines:
                where[f"ideal_adjustment[{len(adjust)}]"] = lines[key]
            adjust.append([who, ref, value])
            name = "ideal_adjustment"
        else:
            continue
        if name != "ideal_adjustment":
            out[name] = value
        if key in lines:
            where.setdefault(name, lines[key])
    if adjust:
        out["ideal_adjustment"] = adjust
    return out, where


def _read_any(path: Path, text: str) -> _Ktab:
    file = str(path)
    if not text.strip():
        raise InputError("the file is empty", file=file,
                         hint="row 1: ScenarioName,Description,numActors,numDims")
    if _is_xml(text) or path.suffix.lower() == ".xml":
        return _read_xml(file, text)
    return _read_csv(file, text)


def read(path: Path, text: str, options: ReadOptions) -> Scenario:
    """Read a KTAB SMP CSV or XML file: one issue per dimension, all on 0–100."""
    scheme = _scheme(options, str(path))
    return _scenario(path, _read_any(path, text), scheme)


def ktab_parameters(path: str | Path) -> dict[str, str]:
    """KTAB settings a file carries beyond the scenario, as written in it.

    XML: ``prngSeed``, the nine ``ModelParameters`` (e.g. ``VictoryProbModel``) where given,
    and ``IdealAdjustment:<adjusting actor>:<reference actor>`` for each ``iaPair``; missing
    pairs mean KTAB's identity default (1 for an actor on itself, 0 otherwise). CSV files carry
    none, so the result is empty.
    """
    p = Path(path)
    text = read_text(p)
    return dict(_read_any(p, text).parameters)


FORMAT = Format(
    "ktab",
    "KTAB spatial model of politics: SMP CSV or XML (one issue per dimension)",
    (".csv", ".xml"),
    read=read,
    sniff=sniff,
)
