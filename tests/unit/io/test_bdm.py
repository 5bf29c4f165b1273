"""The BDM-style CSV (Actor,Capability,Position,Salience): reading, scale rules, writing, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import InputError
from detente.io import bdm, dumps, load
from detente.io.formats import ReadOptions
from detente.scenario import Scenario

ROOT = Path(__file__).resolve().parents[3]
EUM = ROOT / ".." / "shared" / "data" / "eum"


def eum(name: str) -> Path:
    if not EUM.is_dir():
        pytest.skip("../shared (peer data sets) is not available")
    return EUM / name


def write(tmp_path: Path, text: str, name: str = "case.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --- the peer files -------------------------------------------------------------------------

EUM_FILES = {
    # file: (actors, scale min, scale max, first actor's salience on 0-1)
    "bdm1994_emission_standards.csv": (10, 4.0, 10.0, 0.8),
    "china_actors.csv": (24, 0.0, 100.0, 0.5),
    "greece2015.csv": (11, 0.0, 100.0, 1.0),
    "honduras_crisis.csv": (5, 0.0, 1.0, 1.0),
    "iran2013_election.csv": (8, 1.0, 10.0, 0.7),
    "saudi_oil_price_17actors.csv": (17, 12.85, 14.25, 0.8),
}


@pytest.mark.shared
@pytest.mark.parametrize(("name", "expected"), EUM_FILES.items())
def test_reads_every_eum_file(name: str, expected: tuple[int, float, float, float]) -> None:
    n_actors, lo, hi, first_salience = expected
    sc = load(eum(name))
    assert len(sc.actors) == n_actors
    assert len(sc.issues) == 1
    issue = sc.issues[0]
    assert (issue.scale.min, issue.scale.max) == (lo, hi)
    assert sc.id == sc.title == issue.id == Path(name).stem
    stances = sc.stances()
    assert len(stances) == n_actors
    assert stances[0].salience.value == pytest.approx(first_salience)


@pytest.mark.shared
def test_emission_standards_values() -> None:
    sc = load(eum("bdm1994_emission_standards.csv"))
    assert [a.id for a in sc.actors][:3] == ["Netherlands", "Belgium", "Luxembourg"]
    st = {s.actor: s for s in sc.stances()}
    assert st["France"].position.value == 10
    assert st["Belgium"].salience.value == pytest.approx(0.4)  # 40 on 0-100
    assert sc.actor("Germany").capability.value == pytest.approx(0.16)
    assert {s.position.value for s in st.values()} == {4, 7, 10}


@pytest.mark.shared
def test_iran_saliences_are_on_0_1_and_synonyms_read() -> None:
    sc = load(eum("iran2013_election.csv"))
    assert {s.actor: s.salience.value for s in sc.stances()}["VEL"] == pytest.approx(0.25)
    china = load(eum("china_actors.csv"))  # Stakeholder,Resources,Position,Salience
    assert china.actor("Shangkun").capability.value == 100


# --- rules ----------------------------------------------------------------------------------


def test_header_synonyms_any_case_and_order(tmp_path: Path) -> None:
    p = write(tmp_path, "SALIENCE,stakeholder,Position,Influence\n50,a,10,2\n100,b,60,1\n")
    sc = load(p, "bdm")
    assert sc.actor("a").capability.value == 2
    assert {s.actor: s.salience.value for s in sc.stances()} == {"a": 0.5, "b": 1.0}


def test_salience_scale_option_overrides_the_guess(tmp_path: Path) -> None:
    p = write(tmp_path, "actor,power,position,salience\na,1,0,1\nb,1,100,0.5\n")
    guessed = load(p)
    assert [s.salience.value for s in guessed.stances()] == [1.0, 0.5]
    forced = load(p, options=ReadOptions(salience_scale="0-100"))
    assert [s.salience.value for s in forced.stances()] == [pytest.approx(0.01),
                                                           pytest.approx(0.005)]


@pytest.mark.parametrize(
    ("positions", "scale"),
    [
        ([4, 7, 10], (4, 10)),  # years: the positions' own range
        ([12.85, 14.25], (12.85, 14.25)),  # prices
        ([1, 8, 10], (1, 10)),  # a 1-10 placement
        ([10, 100], (0, 100)),  # spans most of 0-100
        ([40, 100], (0, 100)),
        ([20, 60], (20, 60)),  # within 0-100 but narrow: its own range
        ([0, 0.5, 1], (0, 1)),
        ([0.2, 0.4], (0.2, 0.4)),
        ([-5, 5], (-5, 5)),
        ([30, 30], (0, 100)),
        ([150, 150], (149, 151)),
    ],
)
def test_issue_scale_rule(positions: list[float], scale: tuple[float, float]) -> None:
    assert bdm.issue_scale([float(x) for x in positions]) == pytest.approx(scale)


def test_equal_capabilities_and_unknown_scheme(tmp_path: Path) -> None:
    p = write(tmp_path, "actor,capability,position,salience\na,5,0,50\nb,2,100,50\n")
    sc = load(p, options=ReadOptions(capabilities="equal"))
    assert {a.capability.value for a in sc.actors} == {1.0}
    with pytest.raises(InputError, match="unknown capability scheme") as exc:
        load(p, options=ReadOptions(capabilities="council"))
    assert "weights, equal" in str(exc.value)


def test_blank_lines_quotes_and_trailing_commas(tmp_path: Path) -> None:
    p = write(tmp_path, 'Actor,Capability,Position,Salience,\n\n"Smith, J.",1,2,30,\nB,1,5,40\n\n')
    sc = load(p)
    assert [a.id for a in sc.actors] == ["Smith, J.", "B"]


# --- writing --------------------------------------------------------------------------------


def test_write_round_trips(tmp_path: Path) -> None:
    p = write(tmp_path, "actor,capability,position,salience\na,0.5,4,80\nb,2,10,35\nc,1,7,100\n")
    sc = load(p)
    text = dumps(sc, "bdm")
    assert text.splitlines()[0] == "Actor,Capability,Position,Salience"
    assert "a,0.5,4,80" in text.splitlines()
    again = load(write(tmp_path, text, "again.csv"))
    def key(s: Scenario) -> list[tuple[str, float, float]]:
        return [(st.actor, st.position.value, st.salience.value) for st in s.stances()]

    assert key(again) == key(sc)
    assert again.actors == sc.actors
    assert again.issues[0].scale == sc.issues[0].scale


def test_write_refuses_several_issues() -> None:
    harbour = load(ROOT / "tests" / "data" / "harbour.yaml")
    with pytest.raises(InputError) as exc:
        dumps(harbour, "bdm")
    msg = str(exc.value)
    assert "'size', 'year'" in msg
    assert "csv format" in msg


# --- errors ---------------------------------------------------------------------------------

HEADER = "Actor,Capability,Position,Salience\n"


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        ("a,1,2\n", 2, None, "expected 4 cells"),
        ("a,1,2,3,4\n", 2, None, "found 5"),
        ("a,one,2,30\n", 2, "Capability", "not a number"),
        ("a,1,x,30\n", 2, "Position", "not a number"),
        ("a,1,2,nan\n", 2, "Salience", "not a finite number"),
        ("a,1,inf,30\n", 2, "Position", "not a finite number"),
        ("a,0,2,30\n", 2, "Capability", "capability must be > 0"),
        ("a,-1,2,30\n", 2, "Capability", "capability must be > 0"),
        ("a,1,2,-3\n", 2, "Salience", "salience must be >= 0"),
        ("a,1,2,30\nb,1,2,\n", 3, "Salience", "empty"),
        ("a,1,2,30\na,2,3,40\n", 3, "Actor", "appears twice (first on line 2)"),
        (",1,2,30\n", 2, "Actor", "empty actor name"),
        ("a,1,2,150\nb,1,3,40\n", 2, "salience", "outside 0–100"),
    ],
)
def test_malformed_rows(tmp_path: Path, body: str, line: int, field: str | None,
                        words: str) -> None:
    p = write(tmp_path, HEADER + body)
    with pytest.raises(InputError) as exc:
        load(p, "bdm")
    err = exc.value
    assert words in err.message
    assert err.file == str(p)
    assert err.line == line
    if field is not None:
        assert field in (err.field or "")


def test_empty_and_header_only(tmp_path: Path) -> None:
    empty = write(tmp_path, "", "empty.csv")
    with pytest.raises(InputError, match="empty"):
        load(empty, "bdm")
    with pytest.raises(InputError, match="empty"):
        bdm.read(empty, "\n\n", ReadOptions())
    only = write(tmp_path, HEADER, "only.csv")
    with pytest.raises(InputError, match="no data rows") as exc:
        load(only, "bdm")
    assert exc.value.line == 1


def test_bad_headers(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown column 'votes'") as exc:
        load(write(tmp_path, "actor,votes,position,salience\na,1,2,3\n"), "bdm")
    assert exc.value.line == 1
    assert "stakeholder" in (exc.value.hint or "")
    with pytest.raises(InputError, match="missing column"):
        load(write(tmp_path, "actor,position,salience\na,2,3\n", "m.csv"), "bdm")
    with pytest.raises(InputError, match="repeats the capability column"):
        load(write(tmp_path, "actor,power,influence,salience\na,1,2,3\n", "r.csv"), "bdm")
