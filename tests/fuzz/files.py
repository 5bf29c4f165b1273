"""Valid input files of every format, written from one random problem, with the numbers each
file says (so a reader that reads them differently is caught)."""

from __future__ import annotations

import json
from dataclasses import dataclass

#: (format name, file name) of every kind of file the fuzzer writes.
KINDS = (("yaml", "case.yaml"), ("json", "case.json"), ("csv", "case.csv"),
         ("bdm", "case.csv"), ("ktab", "case.csv"), ("ktab", "case.xml"), ("deu", "case.tsv"),
         ("decide", "case.csv"))
DEU_ACTORS = ("com", "ep", "de", "fr", "it", "es", "pl", "nl")


@dataclass(frozen=True)
class Problem:
    """Actors × issues with every number a file will state (saliences on 0–1)."""

    capabilities: tuple[float, ...]
    scales: tuple[tuple[float, float], ...]
    positions: tuple[tuple[float, ...], ...]  # [actor][issue]
    saliences: tuple[tuple[float, ...], ...]  # [actor][issue], 0–1, multiples of 0.01
    hundred: bool  # saliences written on 0–100

    @property
    def actors(self) -> list[str]:
        return [f"a{i}" for i in range(len(self.capabilities))]

    @property
    def issues(self) -> list[str]:
        return [f"i{j}" for j in range(len(self.scales))]


@dataclass(frozen=True)
class ValidFile:
    """A file's name, format and text, and what it says: (actor, issue) → (position,
    salience on 0–1), actor → capability."""

    kind: str
    name: str
    text: str
    stances: dict[tuple[str, str], tuple[float, float]]
    capabilities: dict[str, float]


def _num(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def _sal(p: Problem, s: float) -> str:
    return _num(round(s * 100, 6)) if p.hundred else _num(s)


def _said(p: Problem, actors: list[str] | None = None) -> tuple[
        dict[tuple[str, str], tuple[float, float]], dict[str, float]]:
    names = actors or p.actors
    stances = {(a, i): (p.positions[k][j], p.saliences[k][j])
               for k, a in enumerate(names) for j, i in enumerate(p.issues)}
    return stances, dict(zip(names, p.capabilities, strict=True))


def native_document(p: Problem) -> dict[str, object]:
    return {
        "detente": 1, "id": "fuzz", "title": "Fuzz case",
        "salience_scale": "0-100" if p.hundred else "0-1",
        "actors": [{"id": a, "capability": c} for a, c in zip(p.actors, p.capabilities,
                                                              strict=True)],
        "issues": [{"id": i, "name": f"Issue {i}", "scale": {"min": lo, "max": hi},
                    "status_quo": lo, "anchors": {lo: "low end", hi: "high end"},
                    "questions": [{"id": "q", "text": "Above the middle?", "op": ">=",
                                   "threshold": (lo + hi) / 2}]}
                   for i, (lo, hi) in zip(p.issues, p.scales, strict=True)],
        "stances": [{"actor": a, "issue": i, "position": p.positions[k][j],
                     "salience": round(p.saliences[k][j] * 100, 6) if p.hundred
                     else p.saliences[k][j]}
                    for k, a in enumerate(p.actors) for j, i in enumerate(p.issues)],
    }


def yaml_file(p: Problem) -> ValidFile:
    doc = native_document(p)
    lines = ["detente: 1", "id: fuzz", "title: Fuzz case",
             f"salience_scale: {doc['salience_scale']}", "actors:"]
    lines += [f"  - {{id: {a}, name: Actor {a}, capability: {_num(c)}}}"
              for a, c in zip(p.actors, p.capabilities, strict=True)]
    lines.append("issues:")
    for i, (lo, hi) in zip(p.issues, p.scales, strict=True):
        lines += [f"  - id: {i}", f"    name: Issue {i}",
                  f"    scale: {{min: {_num(lo)}, max: {_num(hi)}}}",
                  f"    status_quo: {_num(lo)}",
                  f"    anchors: {{{_num(lo)}: low end, {_num(hi)}: high end}}",
                  "    questions:",
                  f"      - {{id: q, text: Above the middle?, op: '>=', "
                  f"threshold: {_num((lo + hi) / 2)}}}"]
    lines.append("stances:")
    for k, a in enumerate(p.actors):
        for j, i in enumerate(p.issues):
            lines += [f"  - actor: {a}", f"    issue: {i}",
                      f"    position: {_num(p.positions[k][j])}",
                      f"    salience: {_sal(p, p.saliences[k][j])}"]
    return ValidFile("yaml", "case.yaml", "\n".join(lines) + "\n", *_said(p))


def json_file(p: Problem) -> ValidFile:
    return ValidFile("json", "case.json", json.dumps(native_document(p), indent=1) + "\n",
                     *_said(p))


def long_csv_file(p: Problem) -> ValidFile:
    rows = [f"# salience_scale: {'0-100' if p.hundred else '0-1'}",
            "actor,issue,position,salience,capability,scale_min,scale_max,status_quo"]
    for k, a in enumerate(p.actors):
        for j, i in enumerate(p.issues):
            lo, hi = p.scales[j]
            rows.append(f"{a},{i},{_num(p.positions[k][j])},{_sal(p, p.saliences[k][j])},"
                        f"{_num(p.capabilities[k])},{_num(lo)},{_num(hi)},{_num(lo)}")
    return ValidFile("csv", "case.csv", "\n".join(rows) + "\n", *_said(p))


def bdm_file(p: Problem) -> ValidFile:
    one = Problem(p.capabilities, (p.scales[0],), tuple((r[0],) for r in p.positions),
                  tuple((r[0],) for r in p.saliences), p.hundred)
    rows = ["Actor,Capability,Position,Salience"]
    rows += [f"{a},{_num(c)},{_num(one.positions[k][0])},{_sal(one, one.saliences[k][0])}"
             for k, (a, c) in enumerate(zip(one.actors, one.capabilities, strict=True))]
    stances, caps = _said(one)
    issue = "case"
    return ValidFile("bdm", "case.csv", "\n".join(rows) + "\n",
                     {(a, issue): v for (a, _), v in stances.items()}, caps)


def _ktab_numbers(p: Problem) -> tuple[list[list[float]], list[list[float]]]:
    """Positions on 0–100 and saliences on 0–100 summing to at most 100 per actor."""
    m = len(p.issues)
    pos = [[round((x - lo) / (hi - lo) * 100, 6) for x, (lo, hi) in zip(row, p.scales,
                                                                        strict=True)]
           for row in p.positions]
    sal = [[round(s * 100 / m, 6) for s in row] for row in p.saliences]
    return pos, sal


def _ktab_said(p: Problem, pos: list[list[float]], sal: list[list[float]]) -> tuple[
        dict[tuple[str, str], tuple[float, float]], dict[str, float]]:
    dims = [f"d{j}" for j in range(len(p.issues))]
    stances = {(a, d): (pos[k][j], sal[k][j] / 100) for k, a in enumerate(p.actors)
               for j, d in enumerate(dims)}
    return stances, dict(zip(p.actors, p.capabilities, strict=True))


def ktab_csv_file(p: Problem) -> ValidFile:
    pos, sal = _ktab_numbers(p)
    m = len(p.issues)
    header = ["Actor", "Description", "Power"]
    for j in range(m):
        header += [f"d{j} position", f"d{j} salience"]
    rows = [f"Fuzz,Fuzz case,{len(p.actors)},{m}", ",".join(header)]
    for k, a in enumerate(p.actors):
        cells = [a, f"actor {a}", _num(p.capabilities[k])]
        for j in range(m):
            cells += [_num(pos[k][j]), _num(sal[k][j])]
        rows.append(",".join(cells))
    return ValidFile("ktab", "case.csv", "\n".join(rows) + "\n", *_ktab_said(p, pos, sal))


def ktab_xml_file(p: Problem) -> ValidFile:
    pos, sal = _ktab_numbers(p)
    m = len(p.issues)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Scenario>", "  <name>Fuzz</name>",
           "  <desc>Fuzz case</desc>", "  <prngSeed>7</prngSeed>", "  <ModelParameters>",
           "    <VictoryProbModel>Linear</VictoryProbModel>", "  </ModelParameters>",
           "  <Dimensions>", *(f"    <dName>d{j}</dName>" for j in range(m)),
           "  </Dimensions>", "  <Actors>"]
    for k, a in enumerate(p.actors):
        out += ["    <Actor>", f"      <name>{a}</name>",
                f"      <description>actor {a}</description>",
                f"      <capability>{_num(p.capabilities[k])}</capability>", "      <Position>",
                *(f"        <dCoord>{_num(pos[k][j])}</dCoord>" for j in range(m)),
                "      </Position>", "      <Salience>",
                *(f"        <dSal>{_num(sal[k][j])}</dSal>" for j in range(m)),
                "      </Salience>", "    </Actor>"]
    first = p.actors[0]
    out += ["  </Actors>", "  <IdealAdjustment>", "    <iaPair>",
            f"      <adjustingIdeal>{first}</adjustingIdeal>",
            f"      <referencePos>{first}</referencePos>", "      <adjust>1</adjust>",
            "    </iaPair>", "  </IdealAdjustment>", "</Scenario>"]
    return ValidFile("ktab", "case.xml", "\n".join(out) + "\n", *_ktab_said(p, pos, sal))


def deu_file(p: Problem) -> ValidFile:
    actors = list(DEU_ACTORS[: len(p.actors)])
    meta = ["prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "type", "council", "proc",
            "counvte", "proccde", "issues", "intro", "finact"]
    header = [*meta, *(f"p{a}" for a in actors), *(f"s{a}" for a in actors), "rp", "out"]
    weights = [""] * len(meta) + [_num(c) for c in p.capabilities] + [""] * (len(actors) + 2)
    pos, _ = _ktab_numbers(p)
    rows = [header, weights]
    stances: dict[tuple[str, str], tuple[float, float]] = {}
    for j in range(len(p.issues)):
        isnr = f"x01i{j + 1}"
        rows.append(["1", str(j + 1), "x01", "widgets", isnr, "Dir", "IM", "COD", "QMV", "3",
                     "2", "23-03-00", "04-07-01",
                     *(_num(pos[k][j]) for k in range(len(actors))),
                     *(_num(round(p.saliences[k][j] * 100, 6)) for k in range(len(actors))),
                     "0", "50"])
        for k, a in enumerate(actors):
            stances[(a, isnr)] = (pos[k][j], p.saliences[k][j])
    text = "\n".join("\t".join(r) for r in rows) + "\n"
    return ValidFile("deu", "case.tsv", text, stances, dict(zip(actors, p.capabilities,
                                                               strict=True)))


def decide_file(p: Problem) -> ValidFile:
    rows = ["#O\tFuzz case"]
    rows += [f"#A\t{a}\tActor {a}" for a in p.actors]
    for i, (lo, hi) in zip(p.issues, p.scales, strict=True):
        rows += [f"#P\t{i}\tIssue {i}", f"#M\t{i}\t{_num(lo)}\tlow end",
                 f"#M\t{i}\t{_num(hi)}\thigh end"]
    for k, a in enumerate(p.actors):
        for j, i in enumerate(p.issues):
            rows.append(f"#D\t{a}\t{i}\t{_num(p.positions[k][j])}\t"
                        f"{_sal(p, p.saliences[k][j])}\t{_num(p.capabilities[k])}")
    return ValidFile("decide", "case.csv", "\n".join(rows) + "\n", *_said(p))


WRITERS = {"yaml": yaml_file, "json": json_file, "csv": long_csv_file, "bdm": bdm_file,
           "ktab-csv": ktab_csv_file, "ktab-xml": ktab_xml_file, "deu": deu_file,
           "decide": decide_file}
