"""DEU III (Decision-making in the European Union) issues, as a tab-separated table.

Layout (the preparation in ``blksv/predictioneers_game``'s ``deu3.csv``): row 1 the header;
row 2, where its metadata cells are blank, a weight per actor in the ``p<actor>`` columns; then
one issue per row. ``p<actor>`` is the actor's position (0–100), ``s<actor>`` its salience
(0–100), ``rp`` the reference point (→ the issue's status quo) and ``out`` the adopted outcome
(→ the issue's known outcome). A blank cell or 999 means missing. The metadata columns
``prnrnmc, isnrnmc, prnr, prname, isnr, type, council, proc, counvte, proccde, issues, intro,
finact`` go into each issue's description; other columns are ignored.

Actors are the column codes (``com``, ``ep``, ``at``, ``be``, …) with readable names. An actor
without a position on an issue takes no stance there. A position without a salience gets
salience 0 (:data:`MISSING_SALIENCE`), as the peer implementation reads an empty cell, so such
a position carries no weight in the salience-weighted models.

Capabilities (``options.capabilities``): ``weights`` (default) the file's weight row;
``equal`` every actor 1; ``council`` the Council of the EU's qualified-majority vote weights
under the Treaty of Nice (:data:`NICE_VOTES`), with the Commission and the Parliament given
the largest member state's weight, 29, as the weight row gives them the largest state's 4.1.
Saliences are always read on 0–100 (the format fixes it).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.io.cells import LineMap, records
from detente.io.document import scenario_from_document
from detente.io.formats import Format, ReadOptions
from detente.scenario import Scenario

METADATA = (
    "prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "type", "council", "proc", "counvte",
    "proccde", "issues", "intro", "finact",
)
MISSING_CODE = 999.0
MISSING_SALIENCE = 0.0
"""Salience (0–100) of a position whose salience cell is blank or 999."""

ACTOR_NAMES: dict[str, str] = {
    "com": "European Commission",
    "ep": "European Parliament",
    "at": "Austria",
    "be": "Belgium",
    "bu": "Bulgaria",
    "cr": "Croatia",
    "cy": "Cyprus",
    "cz": "Czech Republic",
    "dk": "Denmark",
    "ee": "Estonia",
    "fi": "Finland",
    "fr": "France",
    "de": "Germany",
    "el": "Greece",
    "hu": "Hungary",
    "ie": "Ireland",
    "it": "Italy",
    "lv": "Latvia",
    "lt": "Lithuania",
    "lu": "Luxembourg",
    "mt": "Malta",
    "nl": "Netherlands",
    "pl": "Poland",
    "pt": "Portugal",
    "ro": "Romania",
    "si": "Slovenia",
    "sk": "Slovakia",
    "es": "Spain",
    "se": "Sweden",
    "uk": "United Kingdom",
}

NICE_VOTES: dict[str, int] = {
    "de": 29, "fr": 29, "it": 29, "uk": 29,
    "es": 27, "pl": 27,
    "ro": 14,
    "nl": 13,
    "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12,
    "at": 10, "bu": 10, "se": 10,
    "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7,
    "cy": 4, "ee": 4, "lv": 4, "lu": 4, "si": 4,
    "mt": 3,
}
"""Council votes under qualified majority, 1 Nov 2004 – 31 Oct 2014 (to 31 Mar 2017 on request).

Treaty of Nice, Protocol on the enlargement of the European Union, Art. 3, as amended by the
2003 and 2005 Acts of Accession; consolidated as Protocol (No 36) on transitional provisions,
Art. 3(3) (OJ C 115, 9.5.2008); Croatia's 7 from its 2012 Act of Accession (OJ L 112,
24.4.2012). 345 votes for 27 states, 352 with Croatia.
"""
INSTITUTION_VOTES = 29
"""Council-scheme weight of the Commission and the Parliament: that of the largest states."""

CAPABILITY_SCHEMES = ("weights", "equal", "council")
_TYPES = {"Dir": "directive", "Reg": "regulation", "Dec": "decision"}
_PROCEDURES = {"COD": "codecision", "CNS": "consultation"}


def sniff(path: Path, text: str) -> bool:
    """The first line is a tab-separated header naming isnr, prname, rp and out."""
    first = text[:4096].lstrip("\ufeff").split("\n", 1)[0]
    cells = {c.strip().lower() for c in first.split("\t")}
    return {"isnr", "prname", "rp", "out"} <= cells


def _value(cell: str, *, file: str, line: int, field: str, low: float = 0.0,
           high: float = 100.0) -> float | None:
    """A number in [low, high], or None for blank / 999."""
    if not cell:
        return None
    try:
        x = float(cell)
    except ValueError:
        raise InputError(f"not a number: {cell!r}", file=file, line=line, field=field,
                         hint="write a number, or leave the cell blank (or 999) if missing"
                         ) from None
    if not math.isfinite(x):
        raise InputError(f"not a finite number: {cell!r}", file=file, line=line, field=field,
                         hint="NaN and inf are not allowed; leave the cell blank if missing")
    if x == MISSING_CODE:
        return None
    if not low <= x <= high:
        raise InputError(f"{x:g} is outside {low:g}–{high:g}", file=file, line=line,
                         field=field, hint="DEU positions and saliences lie on 0–100; "
                         "999 or a blank cell marks a missing value")
    return x


def _scheme(options: ReadOptions, file: str) -> str:
    scheme = (options.capabilities or "weights").strip().lower()
    if scheme not in CAPABILITY_SCHEMES:
        raise InputError(
            f"unknown capability scheme {options.capabilities!r} for DEU data", file=file,
            hint="choose from: weights (the file's weight row), equal, council (Nice votes)")
    return scheme


def read(path: Path, text: str, options: ReadOptions) -> Scenario:
    """Read DEU III issues into one scenario: one issue per row, one actor per column pair."""
    file = str(path)
    scheme = _scheme(options, file)
    table = records(text, file, delimiter="\t", what="table")
    if not table:
        raise InputError("the file is empty", file=file,
                         hint="row 1: a tab-separated header with isnr and p<actor>/s<actor>")
    header_line, raw_header = table[0]
    header = [h.lower() for h in raw_header]
    col = {h: k for k, h in enumerate(header) if h}
    for k, h in enumerate(header):
        if h and col[h] != k:
            raise InputError(f"column {h!r} appears twice", file=file, line=header_line,
                             field=h, hint="name each column once")
    if "isnr" not in col:
        raise InputError("missing column isnr", file=file, line=header_line,
                         hint="the header needs isnr and p<actor>/s<actor> column pairs")
    codes: list[str] = []
    for h in header:
        if h in METADATA or h in ("rp", "out") or len(h) < 2:
            continue
        if h[0] == "p":
            if "s" + h[1:] not in col:
                raise InputError(f"position column {h!r} has no salience column 's{h[1:]}'",
                                 file=file, line=header_line, field=h,
                                 hint="give each actor a p<actor> and an s<actor> column")
            codes.append(h[1:])
        elif h[0] == "s" and "p" + h[1:] not in col:
            raise InputError(f"salience column {h!r} has no position column 'p{h[1:]}'",
                             file=file, line=header_line, field=h,
                             hint="give each actor a p<actor> and an s<actor> column")
    if not codes:
        raise InputError("no actor columns (p<actor> and s<actor>)", file=file,
                         line=header_line, hint="e.g. pcom and scom for the Commission")

    width = len(header)
    for line, cells in table[1:]:
        if len(cells) != width:
            raise InputError(f"expected {width} tab-separated cells, found {len(cells)}",
                             file=file, line=line,
                             hint="keep every row as wide as the header; blank = missing")
    rows = table[1:]
    weight_row: tuple[int, list[str]] | None = None
    if rows and not any(rows[0][1][col[m]] for m in METADATA if m in col):
        weight_row, rows = rows[0], rows[1:]
    if not rows:
        raise InputError("no issue rows", file=file, line=header_line,
                         hint="add one row per issue after the header (and weight row)")

    actors = _actors(codes, col, scheme, weight_row, file=file, header_line=header_line)
    actor_line = weight_row[0] if weight_row else header_line

    issues: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    issue_lines: list[int] = []
    stance_lines: list[int] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        isnr = cells[col["isnr"]]
        if not isnr:
            raise InputError("empty isnr (issue id)", file=file, line=line, field="isnr",
                             hint="give every issue row its issue id")
        if isnr in seen:
            raise InputError(f"issue {isnr!r} appears twice (first on line {seen[isnr]})",
                             file=file, line=line, field="isnr",
                             hint="keep one row per issue")
        seen[isnr] = line
        meta = {m: cells[col[m]] for m in METADATA if m in col}
        issue: dict[str, Any] = {
            "id": isnr,
            "name": _issue_name(meta),
            "description": _issue_description(meta),
            "scale": {"min": 0, "max": 100},
        }
        if "rp" in col:
            rp = _value(cells[col["rp"]], file=file, line=line, field="rp")
            if rp is not None:
                issue["status_quo"] = rp
        if "out" in col:
            out = _value(cells[col["out"]], file=file, line=line, field="out")
            if out is not None:
                issue["outcome"] = {"value": out, "description": "adopted outcome (DEU III)"}
        issues.append(issue)
        issue_lines.append(line)
        for code in codes:
            pos = _value(cells[col["p" + code]], file=file, line=line, field="p" + code)
            sal = _value(cells[col["s" + code]], file=file, line=line, field="s" + code)
            if pos is None:
                continue
            stances.append({
                "actor": code,
                "issue": isnr,
                "position": pos,
                "salience": MISSING_SALIENCE if sal is None else sal,
            })
            stance_lines.append(line)

    labels = {
        "weights": "the file's weight row",
        "equal": "equal (1 each)",
        "council": "Council votes under the Treaty of Nice (Commission and Parliament 29)",
    }
    doc = {
        "id": path.stem.strip() or "deu",
        "title": f"DEU III issues ({path.stem})",
        "description": (
            f"Issues of EU legislative proposals from the DEU III data set ({path.name}); "
            f"capabilities: {labels[scheme]}. Status quo = reference point, outcome = "
            "adopted outcome."
        ),
        "actors": actors,
        "issues": issues,
        "snapshots": [{"stances": stances}],
    }

    locate = LineMap(actors=[actor_line] * len(actors), issues=issue_lines,
                     stances=[stance_lines])

    return scenario_from_document(doc, file=file, locate=locate,
                                  default_salience_scale="0-100")


def _actors(
    codes: list[str],
    col: dict[str, int],
    scheme: str,
    weight_row: tuple[int, list[str]] | None,
    *,
    file: str,
    header_line: int,
) -> list[dict[str, Any]]:
    """One actor per column code, with the capability the scheme gives it."""
    out: list[dict[str, Any]] = []
    for code in codes:
        if scheme == "equal":
            cap: float = 1.0
        elif scheme == "council":
            if code in ("com", "ep"):
                cap = INSTITUTION_VOTES
            elif code in NICE_VOTES:
                cap = NICE_VOTES[code]
            else:
                raise InputError(
                    f"no Council vote weight for actor {code!r}", file=file, line=header_line,
                    field="p" + code,
                    hint=f"the council scheme knows: com, ep, {', '.join(sorted(NICE_VOTES))}; "
                         "use --capabilities weights or equal")
        else:
            if weight_row is None:
                raise InputError(
                    "no weight row: the second row must leave the metadata columns blank and "
                    "give a weight per actor", file=file, line=header_line + 1,
                    hint="add the weight row, or use --capabilities equal or council")
            line, cells = weight_row
            w = _value(cells[col["p" + code]], file=file, line=line, field="p" + code,
                       low=-math.inf, high=math.inf)
            if w is None:
                raise InputError(f"no weight for actor {code!r}", file=file, line=line,
                                 field="p" + code,
                                 hint="give every actor a positive weight in the weight row")
            if w <= 0:
                raise InputError(f"weight of {code!r} must be > 0, got {w:g}", file=file,
                                 line=line, field="p" + code,
                                 hint="give every actor a positive weight in the weight row")
            cap = w
        out.append({"id": code, "name": ACTOR_NAMES.get(code, code), "capability": cap})
    return out


def _issue_name(meta: dict[str, str]) -> str:
    isnr = meta.get("isnr", "")
    m = re.search(r"i(\d+)$", isnr)
    base = meta.get("prname") or meta.get("prnr") or isnr
    return f"{base} (issue {m.group(1)})" if m else base


def _issue_description(meta: dict[str, str]) -> str:
    """Proposal, issue number, instrument, procedure and dates as the file writes them."""
    parts = []
    prnr, prname = meta.get("prnr", ""), meta.get("prname", "")
    if prnr or prname:
        parts.append(f"DEU III proposal {prnr} ({prname})" if prnr and prname
                     else f"DEU III proposal {prnr or prname}")
    m = re.search(r"i(\d+)$", meta.get("isnr", ""))
    if m:
        total = meta.get("issues", "")
        parts.append(f"issue {m.group(1)}" + (f" of {total}" if total else ""))
    kind = meta.get("type", "")
    if kind:
        parts.append(_TYPES.get(kind, kind))
    proc = meta.get("proc", "")
    if proc:
        parts.append(f"{_PROCEDURES.get(proc, proc)} procedure")
    if meta.get("council"):
        parts.append(f"{meta['council']} Council")
    if meta.get("counvte"):
        parts.append(f"Council vote {meta['counvte']}")
    for key, label in (("intro", "introduced"), ("finact", "final act")):
        value = meta.get(key, "")
        if value and value != "999":
            parts.append(f"{label} {value}")
    return "; ".join(parts) or "DEU III issue"


FORMAT = Format(
    "deu",
    "DEU III table (tab-separated): one issue per row, p<actor>/s<actor> columns",
    (".tsv",),
    read=read,
    sniff=sniff,
)
