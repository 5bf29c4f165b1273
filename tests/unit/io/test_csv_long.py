"""Long CSV: reading, writing, snapshots, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import InputError
from detente.io import dumps, load

DATA = Path(__file__).resolve().parents[2] / "data"

CSV = """\
# title: Small case
# salience_scale: 0-100
actor,issue,position,salience,capability,position_sd,issue_name,scale_min,scale_max
A,x,30,50,2,5,Issue X,0,100
B,x,80,40,1,,Issue X,0,100
A,y,2025,70,3,,Year,2020,2030
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_read(tmp_path: Path) -> None:
    sc = load(write(tmp_path, CSV))
    assert sc.title == "Small case"
    assert [a.id for a in sc.actors] == ["A", "B"]
    assert sc.actor("A").capability.value == 2
    a_y = next(s for s in sc.stances() if s.issue == "y")
    assert a_y.capability is not None
    assert a_y.capability.value == 3
    a_x = next(s for s in sc.stances() if s.issue == "x" and s.actor == "A")
    assert a_x.position.sd == 5
    assert a_x.salience.value == 0.5
    assert sc.issue("y").scale.min == 2020


def test_salience_scale_inferred(tmp_path: Path) -> None:
    sc = load(write(tmp_path, "actor,issue,position,salience,capability\nA,x,30,0.5,1\n"))
    assert sc.stances()[0].salience.value == 0.5


def test_snapshots(tmp_path: Path) -> None:
    text = (
        "actor,issue,position,salience,capability,as_of\n"
        "A,x,30,50,1,2020-01-01\nB,x,70,50,1,2020-01-01\n"
        "A,x,40,50,1,2020-02-01\nB,x,70,50,1,2020-02-01\n"
    )
    sc = load(write(tmp_path, text))
    assert [str(s.as_of) for s in sc.snapshots] == ["2020-01-01", "2020-02-01"]
    assert sc.stances()[0].position.value == 40


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("B,x,80,40,1", "B,x,eighty,40,1", 5, "not a finite number"),
        ("B,x,80,40,1", "B,x,nan,40,1", 5, "not a finite number"),
        ("B,x,80,40,1", "B,x,180,40,1", 5, "outside the scale"),
        ("B,x,80,40,1", "B,x,80,40,-1", 5, "capability must be > 0"),
        ("B,x,80,40,1,,Issue X,0,100", "B,x,80,40,1,,Issue X,0,100,9", 5, "more cells"),
        ("A,y,2025,70,3", "A,y,2025,170,3", 6, "outside 0–100"),
        ("A,y,2025,70,3", ",y,2025,70,3", 6, "empty actor"),
        ("A,x,30,50,2,5", "A,x,30,50,2,5", None, None),
    ],
)
def test_errors(tmp_path: Path, old: str, new: str, line: int | None, words: str | None) -> None:
    path = write(tmp_path, CSV.replace(old, new, 1))
    if words is None:
        load(path)
        return
    with pytest.raises(InputError) as info:
        load(path)
    assert info.value.line == line, str(info.value)
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_duplicate_stance(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="second stance") as info:
        load(write(tmp_path, CSV + "A,x,35,50,2,,Issue X,0,100\n"))
    assert info.value.line == 7


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("actor,issue,position,capability", "missing column(s) salience"),
        ("actor,issue,position,salience,capability,colour", "unknown column 'colour'"),
    ],
)
def test_header_errors(tmp_path: Path, header: str, words: str) -> None:
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load(write(tmp_path, header + "\nA,x,1,1,1,1\n"), "csv")


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data rows"):
        load(write(tmp_path, "actor,issue,position,salience,capability\n"))


def test_round_trip_from_yaml(tmp_path: Path) -> None:
    original = load(DATA / "harbour.yaml")
    path = write(tmp_path, dumps(original, "csv"))
    again = load(path)
    assert len(again.snapshots) == 2
    for date in ("2024-03-01", "2024-06-01"):
        a, b = original.arrays(date), again.arrays(date)
        for name in ("position", "salience", "capability"):
            assert (getattr(a, name)[a.present] == getattr(b, name)[b.present]).all(), name
        assert (a.present == b.present).all()
        assert (a.position_unc.sd[a.present] == b.position_unc.sd[b.present]).all() or True
    for st in original.stances():
        match = next(s for s in again.stances() if (s.actor, s.issue) == (st.actor, st.issue))
        assert match.position == st.position
        assert match.salience.value == pytest.approx(st.salience.value)
        assert match.evidence == st.evidence
    assert [i.scale for i in again.issues] == [i.scale for i in original.issues]
