"""Reading tables cell by cell with every problem located.

Records keep the line they start on, numbers are parsed with a one-line error naming file,
line and field, and a :class:`LineMap` takes a scenario's field path (as validation reports
it) back to the line of the table it came from.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from detente.errors import InputError, Loc


def records(
    text: str, file: str, *, delimiter: str = ",", skip_blank: bool = True,
    skipinitialspace: bool = False, what: str = "CSV",
) -> list[tuple[int, list[str]]]:
    """The records of a delimited table, each with the line it starts on, cells stripped."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter,
                        skipinitialspace=skipinitialspace)
    out: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            stripped = [c.strip() for c in cells]
            if any(stripped) or not skip_blank:
                out.append((start, stripped))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise InputError(
                f"a cell is longer than {csv.field_size_limit():,} characters", file=file,
                line=last + 1, hint="a quote opened on this line and never closed makes "
                "the rest of the file one cell; close it") from None
        raise InputError(f"unreadable {what}: {exc}", file=file, line=reader.line_num,
                         hint="check the quotes on this line") from None
    return out


def header_columns(cells: Sequence[str], *, file: str, line: int) -> list[str]:
    """A header's column names, lower case; a name given twice is an error naming both."""
    names = [c.strip().lower() for c in cells]
    seen: dict[str, int] = {}
    for k, name in enumerate(names):
        if name and name in seen:
            raise InputError(
                f"column {cells[k].strip()!r} appears twice (columns {seen[name] + 1} and "
                f"{k + 1})", file=file, line=line,
                hint="give each column once; which one holds the numbers cannot be guessed")
        seen[name] = k
    return names


def number(
    cell: str, *, file: str, line: int, field: str, what: str | None = None,
    empty_hint: str = "every row needs a number here",
) -> float:
    """A finite number from a cell, or an InputError naming the cell (``what`` names the
    quantity in the message, default the field)."""
    name = what or field
    if not cell:
        raise InputError(f"empty {name}", file=file, line=line, field=field, hint=empty_hint)
    try:
        x = float(cell)
    except ValueError:
        raise InputError(f"{name} is not a number: {cell!r}", file=file, line=line,
                         field=field, hint="write a plain number such as 42 or 0.5") from None
    if not math.isfinite(x):
        raise InputError(f"{name} is not a finite number: {cell!r}", file=file, line=line,
                         field=field, hint="NaN and inf are not allowed")
    return x


@dataclass(frozen=True)
class LineMap:
    """Where each part of a scenario document came from in a table.

    ``actors[i]`` and ``issues[j]`` are the lines of actor i and issue j, ``stances[s][k]``
    the line of stance k of snapshot s; ``salience_stances`` likewise where a stance's
    salience stands on a line of its own (KTAB's XML); ``default`` answers anything else.
    """

    actors: Sequence[int] = ()
    issues: Sequence[int] = ()
    stances: Sequence[Sequence[int]] = ()
    salience_stances: Sequence[Sequence[int]] | None = None
    #: ``models[model][parameter]``: the line of a model setting the table carries
    models: Mapping[str, Mapping[str, int]] = dataclasses.field(default_factory=dict)
    default: int | None = None

    def __call__(self, loc: Loc) -> int | None:
        head = loc[0] if loc else None
        index = loc[1] if len(loc) > 1 else None
        if head == "models" and isinstance(index, str):
            by_param = self.models.get(index, {})
            key = loc[2] if len(loc) > 2 else None
            found = by_param.get(key) if isinstance(key, str) else None
            if isinstance(key, str) and len(loc) > 3 and isinstance(loc[3], int):
                found = by_param.get(f"{key}[{loc[3]}]", found)
            return found or next(iter(by_param.values()), self.default)
        if head in ("actors", "issues") and isinstance(index, int):
            lines = self.actors if head == "actors" else self.issues
            return lines[index] if index < len(lines) else self.default
        if head == "snapshots" and len(loc) >= 3 and loc[2] != "stances" \
                and isinstance(index, int) and index < len(self.stances) and self.stances[index]:
            return self.stances[index][0]  # a snapshot's own field: its first row
        if head == "snapshots" and len(loc) >= 4 and loc[2] == "stances":
            s, k = loc[1], loc[3]
            table = self.stances
            if loc[4:5] == ("salience",) and self.salience_stances is not None:
                table = self.salience_stances
            if isinstance(s, int) and isinstance(k, int) and s < len(table) \
                    and k < len(table[s]):
                return table[s][k]
        return self.default


def infer_salience_scale(
    saliences: Sequence[tuple[int, float]], *, file: str, field: str = "salience"
) -> str:
    """The salience scale of a file that does not state one (docs/decisions/formats.md, FMT-15).

    ``saliences`` are (line, value) pairs. Every value at most 1: 0–1. Otherwise 0–100, unless
    a value also lies strictly between 0 and 1 with a fraction: then the file mixes the two
    scales, and guessing would shrink or inflate some saliences a hundredfold, so it is an
    error naming both rows and asking for ``--salience-scale``.
    """
    values = [(ln, x) for ln, x in saliences if math.isfinite(x)]
    if not values:
        return "0-100"
    top_line, top = max(values, key=lambda v: v[1])
    if top <= 1:
        return "0-1"
    small = [(ln, x) for ln, x in values if 0 < x < 1]
    if small:
        ln, x = small[0]
        raise InputError(
            f"salience {x:g} reads as 0–1 but the salience {top:g} on line {top_line} as "
            "0–100: the file mixes the two scales", file=file, line=ln, field=field,
            hint="fix the row that is on the other scale, or say which scale the file uses "
                 "with --salience-scale 0-1 or 0-100")
    return "0-100"
