"""Hypothesis strategies: random valid files of every format, and mutations of them that a
hostile but fair user (or a damaged disk, or a bad export) could produce."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fuzz.files import WRITERS, Problem, ValidFile

SCALES = ((0.0, 100.0), (0.0, 1.0), (-50.0, 50.0), (2020.0, 2030.0), (0.0, 10.0))
WRONG_TYPES = (b"abc", b"true", b"[1]", b"{a: 1}", b"", b"null", b"~", b"'12'", b"1 2")
EXTREMES = (b"1e308", b"-1e308", b"nan", b"NaN", b".nan", b"inf", b"-inf", b".inf", b"1e309",
            b"0x10", b"1,5", b"5e-324", b"-0", b"1e15", b"1e16", b"99999999999999999999",
            b"-1", b"0", b"101", b"1_000")
INSERTS = (b"[/]", b"[/bold]", b"[red]", b":100:", b":smile:", b"\x00", b"\x07", b"\x1b[31m",
           "\u202e".encode(), "\ufeff".encode(), b"'", b'"', b"\t", b"#", b"&a", b"*a", b"<",
           b"]]>", b"&amp;", b"%", b"{{", b"\\")
NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])")
KINDS = tuple(WRITERS)
MUTATIONS = ("truncate", "flip", "duplicate_line", "delete_line", "wrong_type", "extreme",
             "insert", "bom", "cr", "crlf", "nest", "alias_bomb", "huge_token", "swap_lines")


@dataclass(frozen=True)
class Case:
    """One input: the valid file it started from, the mutations applied, the bytes."""

    valid: ValidFile
    mutations: tuple[str, ...]
    data: bytes

    @property
    def mutated(self) -> bool:
        return bool(self.mutations)

    def describe(self) -> str:
        return f"{self.valid.kind} {self.valid.name} mutated by {list(self.mutations)}"


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 3))
    scales = tuple(draw(st.sampled_from(SCALES)) for _ in range(m))
    caps = tuple(draw(st.integers(1, 100_000)) / 100 for _ in range(n))
    positions = tuple(
        tuple(round(lo + draw(st.integers(0, 100)) / 100 * (hi - lo), 6)
              for lo, hi in scales) for _ in range(n))
    saliences = [[draw(st.integers(0, 100)) / 100 for _ in range(m)] for _ in range(n)]
    hundred = draw(st.booleans())
    if hundred and max(max(r) for r in saliences) <= 0.01:
        saliences[0][0] = 0.5  # a 0–100 file needs a salience above 1 to say so
    return Problem(caps, scales, positions, tuple(map(tuple, saliences)), hundred)


@st.composite
def valid_files(draw: st.DrawFn) -> ValidFile:
    kind = draw(st.sampled_from(KINDS))
    return WRITERS[kind](draw(problems()))


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def _mutate(draw: st.DrawFn, data: bytes, kind: str) -> bytes:
    size = len(data)
    if kind == "truncate":
        return data[: draw(st.integers(0, max(0, size - 1)))]
    if kind == "flip":
        raw = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            if raw:
                raw[draw(st.integers(0, len(raw) - 1))] ^= draw(st.integers(1, 255))
        return bytes(raw)
    if kind in ("duplicate_line", "delete_line", "swap_lines"):
        lines = _lines(data)
        k = draw(st.integers(0, len(lines) - 1))
        if kind == "duplicate_line":
            lines.insert(k, lines[k])
        elif kind == "delete_line":
            del lines[k]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        return b"\n".join(lines)
    if kind in ("wrong_type", "extreme", "huge_token"):
        spots = list(NUMBER.finditer(data))
        if not spots:
            return data
        spot = spots[draw(st.integers(0, len(spots) - 1))]
        new = (draw(st.sampled_from(WRONG_TYPES)) if kind == "wrong_type"
               else draw(st.sampled_from(EXTREMES)) if kind == "extreme"
               else draw(st.sampled_from([b"9", b"k", b"["])) * 200_000)
        return data[: spot.start()] + new + data[spot.end():]
    if kind == "insert":
        at = draw(st.integers(0, size))
        return data[:at] + draw(st.sampled_from(INSERTS)) + data[at:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "cr":
        return data.replace(b"\n", b"\r")
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "nest":
        depth = draw(st.sampled_from([10, 70, 500, 3000]))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b"{a: ", b"}"), (b"{\"a\": ", b"}"),
                                               (b"<a>", b"</a>")]))
        at = draw(st.integers(0, size))
        return data[:at] + opener * depth + closer * depth + data[at:]
    # alias bomb: nine levels of ten aliases each
    bomb = b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"a%d: &a%d [%s]\n" % (k, k, b", ".join([b"*a%d" % (k - 1)] * 10)) for k in range(1, 9))
    return data + b"\n" + bomb


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A valid file (one in seven left as it is) with one to three mutations."""
    valid = draw(valid_files())
    data = valid.text.encode("utf-8")
    count = draw(st.sampled_from([0, 1, 1, 1, 2, 2, 3]))
    applied = []
    for _ in range(count):
        kind = draw(st.sampled_from(MUTATIONS))
        data = draw(_mutate(data, kind))
        applied.append(kind)
    return Case(valid, tuple(applied), data)
