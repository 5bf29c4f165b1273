"""KTAB's SMP inputs (CSV and XML): the shipped examples, parameters, and malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import InputError
from detente.io import ktab, load
from detente.io.formats import ReadOptions
from detente.models.smp import SpatialModelOfPolitics
from detente.scenario import Scenario

ROOT = Path(__file__).resolve().parents[3]
KTAB = ROOT / ".." / "shared" / "data" / "ktab"


def ktab_file(name: str) -> Path:
    if not KTAB.is_dir():
        pytest.skip("../shared (peer data sets) is not available")
    return KTAB / name


def write(tmp_path: Path, text: str, name: str = "case.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --- the shipped examples -------------------------------------------------------------------

KTAB_CSV = {
    "dummyData_3Dim.csv": (7, 3),
    "dummyData_3Dim-no-final-comma.csv": (7, 3),
    "dummyData_6Dim.csv": (27, 6),
    "SOE-Pol-Comp.csv": (13, 2),
    "SOE-Policy.csv": (26, 1),
    "SOE-Competitive.csv": (34, 1),
    "dummyData-a040.csv": (40, 1),
    "dummyData-a080.csv": (80, 1),
    "dummyData-a160.csv": (160, 1),
}


@pytest.mark.shared
@pytest.mark.parametrize(("name", "shape"), KTAB_CSV.items())
def test_reads_every_ktab_csv(name: str, shape: tuple[int, int]) -> None:
    n_actors, n_dims = shape
    sc = load(ktab_file(name))
    assert len(sc.actors) == n_actors
    assert len(sc.issues) == n_dims
    assert all((i.scale.min, i.scale.max) == (0, 100) for i in sc.issues)
    assert len(sc.stances()) == n_actors * n_dims
    assert sc.id == Path(name).stem


@pytest.mark.shared
def test_soe_pol_comp_values() -> None:
    sc = load(ktab_file("SOE-Pol-Comp.csv"))
    assert [i.id for i in sc.issues] == ["Policy", "Competitive"]
    assert sc.title == "China Policy/Competitive; scen 2"
    xj = sc.actor("XJ")
    assert xj.description == "Xi Jinping"
    assert xj.capability.value == 100
    st = {(s.actor, s.issue): s for s in sc.stances()}
    assert st["XJ", "Policy"].position.value == 30
    assert st["XJ", "Policy"].salience.value == pytest.approx(0.24)  # 24 on 0-100
    assert st["WY", "Competitive"].salience.value == pytest.approx(0.46)


@pytest.mark.shared
def test_stray_spaces_and_missing_final_comma() -> None:
    a040 = load(ktab_file("dummyData-a040.csv"))  # cells padded with two spaces
    assert a040.actors[0].id == "Act-1001"
    assert a040.actors[0].description == "Desc-1001"
    assert a040.issues[0].id == "XYZ"
    with_comma = load(ktab_file("dummyData_3Dim.csv"))
    without = load(ktab_file("dummyData_3Dim-no-final-comma.csv"))
    assert with_comma.stances() == without.stances()
    assert [i.id for i in with_comma.issues] == ["Pstn1", "Pstn2", "Pstn3"]


IDENTITY_BLOCK = ("  <IdealAdjustment>\n    <iaPair><adjustingIdeal>SActor-00</adjustingIdeal>"
                  "<referencePos>SActor-00</referencePos><adjust>1</adjust></iaPair>\n"
                  "  </IdealAdjustment>\n</Scenario>")


@pytest.mark.shared
def test_xml_without_ideal_adjustment_is_a_located_error() -> None:
    # KTAB's reader needs the block (its XSD says optional) and exits silently without it.
    path = ktab_file("dummyData_3Dim.xml")
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
                if "<Actors>" in t)
    with pytest.raises(InputError) as exc:
        load(path)
    assert exc.value.line == line
    assert exc.value.field == "IdealAdjustment"
    assert "no <IdealAdjustment> block" in exc.value.message
    assert "<iaPair>" in (exc.value.hint or "")
    assert "\n" not in str(exc.value)


@pytest.mark.shared
def test_xml_once_repaired_matches_the_csv(tmp_path: Path) -> None:
    text = ktab_file("dummyData_3Dim.xml").read_text(encoding="utf-8-sig")
    fixed = write(tmp_path, text.replace("</Scenario>", IDENTITY_BLOCK), "dummyData_3Dim.xml")
    xml = load(fixed)
    csv_ = load(ktab_file("dummyData_3Dim.csv"))
    assert [a.id for a in xml.actors] == [a.id for a in csv_.actors]
    assert [a.capability.value for a in xml.actors] == [a.capability.value for a in csv_.actors]

    def values(sc: Scenario) -> list[float]:
        return [x for s in sc.stances() for x in (s.position.value, s.salience.value)]

    assert values(xml) == pytest.approx(values(csv_))
    smp = xml.models["smp"]  # the file's KTAB settings become the scenario's smp settings
    assert smp["joint"] is True and smp["seed"] == "03707583219545544125"
    assert smp["ideal_adjustment"] == [["SActor-00", "SActor-00", "1"]]
    assert ktab.ktab_parameters(fixed) == {
        "prngSeed": "03707583219545544125",
        "IdealAdjustment:SActor-00:SActor-00": "1",
    }
    assert ktab.ktab_parameters(ktab_file("dummyData_3Dim.csv")) == {}


def test_empty_ideal_adjustment_block_is_refused(tmp_path: Path) -> None:
    text = XML.replace(XML[XML.index("    <iaPair>"):XML.index("  </IdealAdjustment>")], "")
    with pytest.raises(InputError, match="<IdealAdjustment> has no <iaPair>"):
        load(write(tmp_path, text, "empty.xml"))


@pytest.mark.shared
def test_smp_example_empty_coordinate_is_a_located_error() -> None:
    path = ktab_file("smpExample.xml")
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
                if "<dCoord></dCoord>" in t)
    with pytest.raises(InputError) as exc:
        load(path)
    err = exc.value
    assert err.line == line
    assert err.field == "dCoord"
    assert "empty position of 'Alice' on 'FirstDim'" in err.message
    assert "\n" not in str(err)


@pytest.mark.shared
def test_smp_example_parameters_once_repaired(tmp_path: Path) -> None:
    text = ktab_file("smpExample.xml").read_text(encoding="utf-8-sig")
    fixed = write(tmp_path, text.replace("<dCoord></dCoord>", "<dCoord>52.8</dCoord>"),
                  "smpExample.xml")
    sc = load(fixed)
    assert [i.id for i in sc.issues] == ["FirstDim", "SecondDim", "YADN"]
    assert len(sc.actors) == 5
    params = ktab.ktab_parameters(fixed)
    assert params["prngSeed"] == "03507583219545544127"
    assert params["VictoryProbModel"] == "Linear"
    assert params["BargnModel"] == "InitOnlyInterp"
    assert params["IdealAdjustment:Bob:Alice"] == "0.07"
    assert len([k for k in params if k.startswith("IdealAdjustment:")]) == 6
    smp = sc.models["smp"]  # the same settings, as the smp model's parameters
    assert smp["seed"] == "03507583219545544127" and smp["bargain_model"] == "InitOnlyInterp"
    assert ["Bob", "Alice", "0.07"] in smp["ideal_adjustment"]
    model = SpatialModelOfPolitics.configure(smp)
    assert model.joint and model.seed == 3507583219545544127
    assert ("Bob", "Alice", 0.07) in model.ideal_adjustment


# --- small files ----------------------------------------------------------------------------

GOOD = (
    "Tiny ,\"A, quoted description\", 3, 2,\n"
    "Actor,Description,Power,Trade Position,Trade Salience,Tax Position,Tax Salience,\n"
    "A, First , 10, 20, 30, 80, 40,\n"
    "B,, 5, 60, 50, 10, 50,\n"
    "C,Third, 1, 100, 0, 50, 100\n"
)


def test_small_csv(tmp_path: Path) -> None:
    sc = load(write(tmp_path, GOOD))
    assert sc.title == "Tiny"
    assert sc.description == "A, quoted description"
    assert [i.id for i in sc.issues] == ["Trade", "Tax"]
    st = {(s.actor, s.issue): s for s in sc.stances()}
    assert st["C", "Tax"].salience.value == 1.0
    assert st["A", "Trade"].position.value == 20
    assert sc.actor("A").description == "First"
    eq = load(write(tmp_path, GOOD, "eq.csv"), options=ReadOptions(capabilities="equal"))
    assert {a.capability.value for a in eq.actors} == {1.0}


def _lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize(
    ("edit", "line", "words"),
    [
        (lambda ls: [ls[0].replace(" 3,", " 4,"), *ls[1:]], 5, "says 4 actor(s) but 3"),
        (lambda ls: [ls[0].replace(" 3,", " 2,"), *ls[1:]], 5, "says 2 actor(s) but 3"),
        (lambda ls: [ls[0].replace(" 2,", " 3,"), *ls[1:]], 2, "says 3 dimension(s) but"),
        (lambda ls: [ls[0].replace(" 3,", " three,"), *ls[1:]], 1, "number of actors"),
        (lambda ls: [*ls[:2], "A, First , 10, 20, 30, 80,", *ls[3:]], 3, "empty salience"),
        (lambda ls: [*ls[:2], "A, First , 10, 20, 30, 80, 40, 5", *ls[3:]], 3, "found 8"),
        (lambda ls: [*ls[:2], "A, First , 10, 20", *ls[3:]], 3, "found 4"),
        (lambda ls: [*ls[:2], "A, First , ten, 20, 30, 80, 40", *ls[3:]], 3, "not a number"),
        (lambda ls: [*ls[:2], "A, First , 10, nan, 30, 80, 40", *ls[3:]], 3, "finite"),
        (lambda ls: [*ls[:2], "A, First , 10, 20, inf, 80, 40", *ls[3:]], 3, "finite"),
        (lambda ls: [*ls[:2], "A, First , 0, 20, 30, 80, 40", *ls[3:]], 3, "must be > 0"),
        (lambda ls: [*ls[:2], "A, First , -2, 20, 30, 80, 40", *ls[3:]], 3, "must be > 0"),
        (lambda ls: [*ls[:2], "A, First , 1, 120, 30, 80, 40", *ls[3:]], 3, "outside 0–100"),
        (lambda ls: [*ls[:2], "A, First , 1, 20, 60, 80, 41", *ls[3:]], 3, "sum to 101"),
        (lambda ls: [*ls[:3], "A, Again, 5, 60, 50, 10, 50", *ls[4:]], 4, "appears twice"),
        (lambda ls: [*ls[:3], " , Nobody, 5, 60, 50, 10, 50", *ls[4:]], 4, "empty actor name"),
    ],
)
def test_malformed_csv(tmp_path: Path, edit: object, line: int, words: str) -> None:
    assert callable(edit)
    text = "\n".join(edit(_lines(GOOD))) + "\n"
    p = write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load(p, "ktab")
    err = exc.value
    assert words in err.message
    assert err.file == str(p)
    assert err.line == line


def test_empty_header_only_and_missing_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        load(write(tmp_path, "", "e.csv"), "ktab")
    with pytest.raises(InputError, match="empty"):
        ktab.read(tmp_path / "x.csv", "  \n", ReadOptions())
    with pytest.raises(InputError, match="header row is missing"):
        load(write(tmp_path, "Tiny,desc,3,2,\n", "h.csv"), "ktab")
    header_only = "\n".join(_lines(GOOD)[:2]) + "\n"
    with pytest.raises(InputError, match=r"says 3 actor\(s\) but 0") as exc:
        load(write(tmp_path, header_only, "ho.csv"), "ktab")
    assert exc.value.line == 2
    with pytest.raises(InputError, match="row 1 has 2 cell"):
        load(write(tmp_path, "Tiny,desc\nActor,Description,Power,P,S\n", "r1.csv"), "ktab")


XML = """<?xml version="1.0" encoding="UTF-8"?>
<Scenario>
  <name>Small</name>
  <desc>Three actors</desc>
  <prngSeed>42</prngSeed>
  <ModelParameters>
    <VictoryProbModel>Quartic</VictoryProbModel>
  </ModelParameters>
  <Dimensions><dName>Only</dName></Dimensions>
  <Actors>
    <Actor><name>A</name><description>a</description><capability>10</capability>
      <Position><dCoord>10</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>
    <Actor><name>B</name><description>b</description><capability>20</capability>
      <Position><dCoord>90</dCoord></Position><Salience><dSal>70</dSal></Salience></Actor>
    <Actor><name>C</name><description>c</description><capability>5</capability>
      <Position><dCoord>50</dCoord></Position><Salience><dSal>100</dSal></Salience></Actor>
  </Actors>
  <IdealAdjustment>
    <iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>B</referencePos>
      <adjust>0.25</adjust></iaPair>
  </IdealAdjustment>
</Scenario>
"""


def test_small_xml(tmp_path: Path) -> None:
    p = write(tmp_path, XML, "small.xml")
    sc = load(p)
    assert sc.title == "Small"
    assert [s.position.value for s in sc.stances()] == [10, 90, 50]
    assert ktab.ktab_parameters(p) == {
        "prngSeed": "42",
        "VictoryProbModel": "Quartic",
        "IdealAdjustment:A:B": "0.25",
    }


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("<dCoord>90</dCoord>", "<dCoord>ninety</dCoord>", 14, "not a number"),
        ("<dCoord>90</dCoord>", "<dCoord>NaN</dCoord>", 14, "finite"),
        ("<dCoord>90</dCoord>", "<dCoord>90</dCoord><dCoord>5</dCoord>", 14, "has 2 <dCoord>"),
        ("<dSal>70</dSal>", "", 14, "has 0 <dSal>"),
        ("<capability>20</capability>", "<capability>0</capability>", 13, "must be > 0"),
        ("<capability>20</capability>", "<capability>-1</capability>", 13, "must be > 0"),
        ("<capability>20</capability>", "", 13, "has no <capability>"),
        ("<name>B</name>", "<name>A</name>", 13, "appears twice"),
        ("<dSal>70</dSal>", "<dSal>170</dSal>", 14, "outside 0–100"),
        ("Quartic", "Sixth", 7, "unknown VictoryProbModel"),
        ("<referencePos>B</referencePos>", "<referencePos>Z</referencePos>", 19, "unknown actor"),
        ("</Actors>", "", 22, "not well-formed"),
        ("<Dimensions><dName>Only</dName></Dimensions>", "", 2, "has no <Dimensions>"),
        ("<dName>Only</dName>", "<dName></dName>", 9, "empty dimension name"),
    ],
)
def test_malformed_xml(tmp_path: Path, old: str, new: str, line: int, words: str) -> None:
    assert old in XML
    p = write(tmp_path, XML.replace(old, new, 1), "bad.xml")
    with pytest.raises(InputError) as exc:
        load(p)
    assert words in exc.value.message
    assert exc.value.line == line
    assert exc.value.file == str(p)


def test_unknown_capability_scheme(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown capability scheme") as exc:
        load(write(tmp_path, GOOD), options=ReadOptions(capabilities="council"))
    assert "weights, equal" in (exc.value.hint or "")
