"""Each class of bad input found by fuzzing, with its minimal input, through the real command
line: one line on stderr naming file, line or field and a fix, exit code 2, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.in_process import Outcome, invoke

BASE = """detente: 1
id: t
title: T
salience_scale: 0-100
actors:
  - {id: a, capability: 5}
  - {id: b, capability: 3}
issues:
  - id: x
    name: X
stances:
  - {actor: a, issue: x, position: 70, salience: 80}
  - {actor: b, issue: x, position: 20, salience: 50}
"""
LONG = "actor,issue,position,salience,capability"
KTAB_XML = """<?xml version="1.0"?>
<Scenario>
<name>S</name><desc>d</desc><prngSeed>7</prngSeed>
<Dimensions><dName>D1</dName></Dimensions>
<Actors>
<Actor><name>A</name><description>a</description><capability>CAP</capability>
<Position><dCoord>30</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>
<Actor><name>B</name><description>b</description><capability>20</capability>
<Position><dCoord>70</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>
</Actors>
<IdealAdjustment><iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>B</referencePos>
<adjust>ADJ</adjust></iaPair></IdealAdjustment>
</Scenario>
"""


def _json(extra: str) -> str:
    doc = {"detente": 1, "id": "t", "title": "T", "salience_scale": "0-100",
           "actors": [{"id": "a", "capability": 5}], "issues": [{"id": "x", "name": "X"}],
           "stances": [{"actor": "a", "issue": "x", "position": 1, "salience": 2}]}
    return json.dumps(doc)[:-1] + ", " + extra + "}"


# name, file name, content, words the one line must hold
CASES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("yaml nested 900 deep", "f.yaml", BASE + "extra: " + "[" * 900 + "]" * 900 + "\n",
     ("f.yaml:14", "nested more than 64")),
    ("yaml mappings nested 900 deep", "f.yaml", BASE + "extra: " + "{a: " * 900 + "1"
     + "}" * 900 + "\n", ("f.yaml:14", "nested")),
    ("json nested 5000 deep", "f.json", _json('"x": ' + "[" * 5000 + "]" * 5000),
     ("f.json:1", "nested more than 64")),
    ("yaml alias bomb", "f.yaml", BASE + "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
     + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n"
               for p, c in zip("abcdefgh", "bcdefghi", strict=True)), ("aliases expand",)),
    ("yaml alias inside itself", "f.yaml", BASE + "loop: &a [1, *a]\n",
     ("f.yaml:14", "alias refers to a value that contains it")),
    ("yaml impossible date", "f.yaml", BASE + "sources: [{id: s, title: t, date: 2024-13-45}]\n",
     ("f.yaml:14", "2024-13-45", "month")),
    ("yaml integer of 200000 digits", "f.yaml", BASE.replace("capability: 5", "capability: "
     + "9" * 200_000), ("f.yaml:6", "cannot read the value")),
    ("json integer of 200000 digits", "f.json", _json('"x": ' + "9" * 200_000),
     ("f.json:1", "200,000 digits")),
    ("yaml key is a list", "f.yaml", BASE + "? [1, 2]\n: 3\n", ("f.yaml:14", "key is a list")),
    ("yaml key is a mapping", "f.yaml", BASE + "? {a: 1}\n: 3\n",
     ("f.yaml:14", "key is a mapping")),
    ("yaml control character", "f.yaml", BASE.replace("title: T", "title: T\x07"),
     ("f.yaml:3", "U+0007")),
    ("yaml NUL", "f.yaml", BASE.replace("title: T", "title: T\x00"), ("f.yaml:3", "U+0000")),
    ("json key twice", "f.json", '{\n "id": "t",\n "id": "u"\n}\n', ("f.json:3", "'id'")),
    ("version 99", "f.yaml", BASE.replace("detente: 1", "detente: 99"),
     ("f.yaml:1", "unknown format version 99")),
    ("version one", "f.yaml", BASE.replace("detente: 1", "detente: one"),
     ("f.yaml:1", "'one'")),
    ("version [1]", "f.yaml", BASE.replace("detente: 1", "detente: [1]"),
     ("f.yaml:1", "[1]")),
    ("integer date", "f.yaml", BASE.replace("stances:", "as_of: 0\nstances:"),
     ("f.yaml:11", "ISO date")),
    ("capability near 1e308", "f.yaml", BASE.replace("capability: 5", "capability: 1e308"),
     ("f.yaml:6", "too large")),
    ("position near 1e308", "f.yaml", BASE.replace("name: X", "name: X\n    scale: "
     "{min: 0, max: 1e308}"), ("f.yaml:11", "scale.max", "too large")),
    ("scale bound NaN", "f.yaml", BASE.replace("name: X", "name: X\n    scale: {min: 0, "
     "max: .nan}"), ("f.yaml:11", "not a finite number")),
    ("scale bound 1e309", "f.yaml", BASE.replace("name: X", "name: X\n    scale: {min: 0, "
     "max: 1e309}"), ("f.yaml:11", "not a finite number")),
    ("scale bound -inf", "f.yaml", BASE.replace("name: X", "name: X\n    scale: {min: -.inf, "
     "max: 100}"), ("f.yaml:11", "not a finite number")),
    ("scale bound 1,5", "f.yaml", BASE.replace("name: X", "name: X\n    scale: {min: 0, "
     "max: '1,5'}"), ("f.yaml:11", "'1,5'")),
    ("csv cell over the field limit", "f.csv",
     f'{LONG}\na,x,70,80,5\nb,x,"{"9" * 200_000}",50,3\n', ("f.csv:3", "longer than")),
    ("csv evidence nested 60000 deep", "f.csv", f'{LONG},evidence\na,x,70,80,5,"'
     + "[" * 60_000 + "]" * 60_000 + '"\n', ("f.csv:2", "evidence", "64 levels")),
    ("csv integer date", "f.csv", f"{LONG},as_of\na,x,70,80,5,0\n", ("f.csv:2", "ISO date")),
    ("csv column twice", "f.csv", f"{LONG},position\na,x,70,80,5,10\n",
     ("f.csv:1", "'position' appears twice")),
    ("csv scale repeated differently", "f.csv", f"{LONG},scale_min,scale_max\n"
     "a,x,70,80,5,0,100\nb,x,20,50,3,0,200\n", ("f.csv:3", "scale_max", "line 2")),
    ("csv scale repeated as NaN", "f.csv", f"{LONG},scale_min,scale_max\n"
     "a,x,70,80,5,0,100\nb,x,20,50,3,0,nan\n", ("f.csv:3", "scale_max", "finite")),
    ("csv scale repeated as 0x10", "f.csv", f"{LONG},scale_min,scale_max\n"
     "a,x,70,80,5,0,100\nb,x,20,50,3,0,0x10\n", ("f.csv:3", "'0x10'")),
    ("csv saliences on two scales", "f.csv", f"{LONG}\na,x,70,0.8,5\nb,x,20,2,3\n",
     ("f.csv:2", "line 3", "--salience-scale")),
    ("bdm saliences on two scales", "f.csv", "Actor,Capability,Position,Salience\n"
     "a,5,80,0.9\nb,3,20,0.8\nc,3,25,0.7\nd,1,75,2\n", ("f.csv:2", "line 5", "mixes")),
    ("decide saliences on two scales", "f.csv", "#A\ta\tA\n#A\tb\tB\n#A\tc\tC\n#P\tx\tX\n"
     "#D\ta\tx\t80\t0.9\t5\n#D\tb\tx\t20\t0.8\t3\n#D\tc\tx\t25\t2\t3\n",
     ("f.csv:5", "line 7", "--salience-scale")),
    ("decide salience above its range", "f.csv", "#A\ta\tA\n#A\tb\tB\n#P\tx\tX\n"
     "#D\ta\tx\t80\t150\t5\n#D\tb\tx\t20\t80\t3\n", ("f.csv:4", "salience 150")),
    ("ktab xml 0x10", "f.xml", KTAB_XML.replace("CAP", "0x10").replace("ADJ", "0.5"),
     ("f.xml:6", "'0x10'")),
    ("ktab xml ideal adjustment out of range", "f.xml",
     KTAB_XML.replace("CAP", "10").replace("ADJ", "5"),
     ("f.xml:11", "ideal_adjustment", "[0, 1]")),
    ("ktab xml malformed", "f.xml", KTAB_XML.replace("CAP", "10").replace("ADJ", "0.5")
     .replace("</Actors>", "</Actorz>"), ("f.xml:10", "not well-formed")),
    ("ktab xml entity expansion", "f.xml", KTAB_XML.replace("CAP", "10").replace("ADJ", "0.5")
     .replace('<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n<!DOCTYPE Scenario [\n'
              '<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n')
     .replace("<name>S</name>", "<name>&b;</name>"), ("f.xml:2", "DTD")),
    ("unknown key of a megabyte", "f.json", _json(json.dumps("k" * 1_000_000) + ": 1"),
     ("f.json", "unknown field", "more characters")),
]


def _assert_one_line(result: Outcome, words: tuple[str, ...]) -> None:
    assert result.traceback is None, result.traceback
    assert result.code == 2, (result.stdout, result.stderr)
    assert len(result.lines) == 1, result.stderr
    line = result.lines[0]
    assert len(line) < 1200, line[:300]
    for w in words:
        assert w in line, line


@pytest.mark.parametrize(("name", "filename", "content", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_input_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, filename: str, content: str,
    words: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(filename).write_text(content, encoding="utf-8")
    for command in ("forecast", "simulate"):
        args = [command, filename] + (["-m", "median", "-n", "20"] if command == "simulate"
                                      else ["-m", "median"])
        _assert_one_line(invoke(*args), words)
    validated = invoke("validate", filename)
    assert validated.traceback is None and validated.code == 2
    assert all(w in validated.lines[0] for w in words), validated.lines[0]


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_bare_cr_and_crlf_files_read_like_lf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in (("long.csv", f"{LONG}\na,x,70,80,5\nb,x,20,50,3\n"),
                       ("bdm.csv", "Actor,Capability,Position,Salience\na,5,70,80\nb,3,20,50\n"),
                       ("s.yaml", BASE)):
        Path(name).write_bytes(text.replace("\n", ending).encode())
        result = invoke("forecast", name, "-m", "median", "--format", "json")
        assert result.code == 0, result.stderr
        outcome = json.loads(result.stdout)["issues"][0]["forecasts"]["median"]["outcome"]
        assert outcome == 70.0


def test_salience_scale_option_settles_a_mixed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.csv").write_text("Actor,Capability,Position,Salience\na,5,80,0.9\nb,3,20,50\n")
    result = invoke("forecast", "f.csv", "--salience-scale", "0-100", "-m", "median",
                    "--format", "json")
    assert result.code == 0, result.stderr
    # 0.9 of 100 against 50 of 100: b's weight dominates
    assert json.loads(result.stdout)["issues"][0]["forecasts"]["median"]["outcome"] == 20.0


@pytest.mark.parametrize("text", ["[/]", "[/bold]", "[red]x", ":100: :smile:"])
def test_user_text_is_printed_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.yaml").write_text(BASE.replace("name: X", f"name: '{text}'"))
    for args in (["forecast", "f.yaml", "-m", "median"], ["simulate", "f.yaml", "-m", "median",
                                                          "-n", "20"], ["validate", "f.yaml"]):
        result = invoke(*args)
        assert result.code == 0 and result.traceback is None, result.stderr
    assert text in invoke("forecast", "f.yaml", "-m", "median").stdout


def test_line_100_is_not_an_emoji(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.yaml").write_text("#\n" * 99 + "id: [\n")
    result = invoke("validate", "f.yaml")
    assert result.code == 2
    assert "f.yaml:10" in result.lines[0] and "💯" not in result.stderr
