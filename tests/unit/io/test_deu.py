"""DEU III tables: the development split, capability schemes, missing values and bad rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.errors import InputError
from detente.io import deu, load
from detente.io.formats import ReadOptions
from detente.models import Compromise

ROOT = Path(__file__).resolve().parents[3]
DEU3 = ROOT / ".." / "shared" / "data" / "deu3" / "deu3-dev.tsv"


@pytest.fixture(scope="module")
def dev() -> Path:
    if not DEU3.is_file():
        pytest.skip("../shared (peer data sets) is not available")
    return DEU3


# --- the development split ------------------------------------------------------------------


@pytest.mark.shared
def test_dev_split_shape(dev: Path) -> None:
    sc = load(dev)
    assert len(sc.issues) == 237
    assert len(sc.actors) == 30
    assert [a.id for a in sc.actors][:4] == ["com", "ep", "at", "be"]
    assert sc.actor("com").name == "European Commission"
    assert sc.actor("uk").name == "United Kingdom"
    assert sum(i.outcome is not None for i in sc.issues) == 230


@pytest.mark.shared
def test_dev_split_hand_checked_cells(dev: Path) -> None:
    sc = load(dev)
    st = {(s.actor, s.issue): s for s in sc.stances()}
    buses = sc.issue("d00060i1")  # file line 3
    assert buses.name == "buses (issue 1)"
    assert "d00060" in (buses.description or "")
    assert "codecision" in (buses.description or "")
    assert buses.status_quo is None  # rp blank
    assert buses.outcome is not None
    assert buses.outcome.value == 50
    assert buses.outcome.description == "adopted outcome (DEU III)"
    assert st["com", "d00060i1"].position.value == 100
    assert st["com", "d00060i1"].salience.value == pytest.approx(0.8)
    assert st["de", "d00060i1"].salience.value == pytest.approx(0.9)
    assert ("bu", "d00060i1") not in st  # blank position (salience 0): no stance
    takeovers = sc.issue("d95341i1")
    assert takeovers.status_quo == 0
    assert st["de", "d95341i1"].position.value == 0
    assert st["ep", "d95341i1"].salience.value == pytest.approx(0.6)
    assert sc.issue("d96112i1").status_quo == 100
    assert sc.issue("d95341i2").outcome is None  # out blank
    assert "final act" not in (buses.description or "")  # finact 999 = missing
    # positions without a salience read with salience 0, as the peer reads an empty cell
    assert st["el", "d04156i1"].position.value == 40
    assert st["el", "d04156i1"].salience.value == 0
    assert sc.actor("de").capability.value == pytest.approx(4.1)
    assert sc.actor("mt").capability.value == pytest.approx(0.02)


@pytest.mark.shared
def test_compromise_mae_on_dev_split(dev: Path) -> None:
    sc = load(dev)
    result = Compromise().run(sc)
    errors = [abs(result.outcome(i.id) - i.outcome.value) for i in sc.issues
              if i.outcome is not None]
    mae = float(np.mean(errors))
    print(f"DEU III dev split, compromise model, weight row: MAE = {mae:.3f} (n = {len(errors)})")
    assert len(errors) == 230
    assert mae == pytest.approx(22.2, abs=0.5)


@pytest.mark.shared
def test_capability_schemes_on_dev_split(dev: Path) -> None:
    council = load(dev, options=ReadOptions(capabilities="council"))
    caps = {a.id: a.capability.value for a in council.actors}
    assert caps["de"] == caps["com"] == caps["ep"] == 29
    assert caps["mt"] == 3
    assert caps["pl"] == 27
    assert sum(v for k, v in caps.items() if k not in ("com", "ep")) == 352
    equal = load(dev, options=ReadOptions(capabilities="equal"))
    assert {a.capability.value for a in equal.actors} == {1.0}


# --- small files ----------------------------------------------------------------------------

META = ["prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "type", "council", "proc", "counvte",
        "proccde", "issues", "intro", "finact"]
ACTORS = ["com", "ep", "de", "fr"]
HEADER = [*META, *(f"p{a}" for a in ACTORS), *(f"s{a}" for a in ACTORS), "rp", "out"]


def row(isnr: str = "x01i1", p: tuple[str, ...] = ("100", "50", "0", "20"),
        s: tuple[str, ...] = ("80", "60", "90", "40"), rp: str = "0", out: str = "30",
        finact: str = "04-07-01") -> list[str]:
    meta = ["1", "2", isnr[:3], "widgets", isnr, "Dir", "IM", "COD", "QMV", "3", "2",
            "23-03-00", finact]
    return [*meta, *p, *s, rp, out]


WEIGHTS = [""] * len(META) + ["4.1", "4.1", "4.1", "2.8"] + [""] * 6


def table(tmp_path: Path, rows: list[list[str]], name: str = "case.tsv",
          weights: list[str] | None = WEIGHTS) -> Path:
    lines = [HEADER, *([weights] if weights is not None else []), *rows]
    p = tmp_path / name
    p.write_text("\n".join("\t".join(r) for r in lines) + "\n", encoding="utf-8")
    return p


def test_small_table(tmp_path: Path) -> None:
    p = table(tmp_path, [row(), row("x01i2", rp="", out="999")])
    sc = load(p)
    assert [i.id for i in sc.issues] == ["x01i1", "x01i2"]
    assert sc.issue("x01i1").status_quo == 0
    assert sc.issue("x01i2").status_quo is None
    assert sc.issue("x01i2").outcome is None
    assert sc.actor("fr").capability.value == pytest.approx(2.8)
    assert "final act 04-07-01" in (sc.issue("x01i1").description or "")


def test_missing_values(tmp_path: Path) -> None:
    p = table(tmp_path, [row(p=("100", "", "999", "20"), s=("80", "60", "90", ""))])
    sc = load(p)
    st = {s.actor: s for s in sc.stances()}
    assert set(st) == {"com", "fr"}  # blank and 999 positions: no stance
    assert st["fr"].salience.value == deu.MISSING_SALIENCE  # position without salience
    p2 = table(tmp_path, [row(s=("999", "60", "90", "40"))], "s999.tsv")
    assert {s.actor: s for s in load(p2).stances()}["com"].salience.value == 0


def test_schemes_and_unknown_scheme(tmp_path: Path) -> None:
    p = table(tmp_path, [row()])
    council = load(p, options=ReadOptions(capabilities="council"))
    assert {a.id: a.capability.value for a in council.actors} == {
        "com": 29, "ep": 29, "de": 29, "fr": 29}
    with pytest.raises(InputError, match="unknown capability scheme 'gdp'") as exc:
        load(p, options=ReadOptions(capabilities="gdp"))
    assert "weights" in (exc.value.hint or "")
    assert "equal" in (exc.value.hint or "")
    assert "council" in (exc.value.hint or "")


def test_no_weight_row(tmp_path: Path) -> None:
    p = table(tmp_path, [row()], weights=None)
    with pytest.raises(InputError, match="no weight row") as exc:
        load(p)
    assert "--capabilities equal" in (exc.value.hint or "")
    assert len(load(p, options=ReadOptions(capabilities="equal")).issues) == 1


def _with(cells: list[str], column: str, value: str) -> list[str]:
    out = list(cells)
    out[HEADER.index(column)] = value
    return out


@pytest.mark.parametrize(
    ("rows", "weights", "line", "field", "words"),
    [
        ([row()[:-1]], WEIGHTS, 3, None, "expected 23 tab-separated cells, found 22"),
        ([[*row(), "7"]], WEIGHTS, 3, None, "found 24"),
        ([_with(row(), "pde", "abc")], WEIGHTS, 3, "pde", "not a number"),
        ([_with(row(), "sfr", "nan")], WEIGHTS, 3, "sfr", "not a finite number"),
        ([_with(row(), "out", "inf")], WEIGHTS, 3, "out", "not a finite number"),
        ([_with(row(), "pep", "120")], WEIGHTS, 3, "pep", "outside 0–100"),
        ([_with(row(), "rp", "-5")], WEIGHTS, 3, "rp", "outside 0–100"),
        ([row()], _with(WEIGHTS, "pde", "0"), 2, "pde", "must be > 0"),
        ([row()], _with(WEIGHTS, "pfr", "-1"), 2, "pfr", "must be > 0"),
        ([row()], _with(WEIGHTS, "pfr", ""), 2, "pfr", "no weight for actor 'fr'"),
        ([row(), row()], WEIGHTS, 4, "isnr", "appears twice (first on line 3)"),
        ([row(), _with(row(), "isnr", "")], WEIGHTS, 4, "isnr", "empty isnr"),
    ],
)
def test_malformed_rows(tmp_path: Path, rows: list[list[str]], weights: list[str], line: int,
                        field: str | None, words: str) -> None:
    p = table(tmp_path, rows, weights=weights)
    with pytest.raises(InputError) as exc:
        load(p, "deu")
    err = exc.value
    assert words in err.message
    assert err.file == str(p)
    assert err.line == line
    if field is not None:
        assert err.field == field


def test_bad_headers_empty_and_header_only(tmp_path: Path) -> None:
    dup = tmp_path / "dup.tsv"
    dup.write_text("\t".join([*HEADER, "pde"]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="'pde' appears twice") as exc:
        load(dup, "deu")
    assert exc.value.line == 1
    lone = tmp_path / "lone.tsv"
    lone.write_text("\t".join([*HEADER, "pxx"]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no salience column 'sxx'"):
        load(lone, "deu")
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        load(empty, "deu")
    with pytest.raises(InputError, match="empty"):
        deu.read(empty, "\n", ReadOptions())
    with pytest.raises(InputError, match="no issue rows"):
        load(table(tmp_path, [], "header.tsv", weights=None), "deu")
    with pytest.raises(InputError, match="no issue rows"):
        load(table(tmp_path, [], "weights.tsv"), "deu")
    no_isnr = tmp_path / "noisnr.tsv"
    no_isnr.write_text("pcom\tscom\n50\t50\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column isnr"):
        load(no_isnr, "deu")


def test_council_scheme_needs_known_codes(tmp_path: Path) -> None:
    header = "isnr\tpxx\tsxx\tpde\tsde\trp\tout\n"
    p = tmp_path / "codes.tsv"
    p.write_text(header + "\t1\t\t1\t\t\t\ni1\t50\t50\t60\t60\t0\t55\n", encoding="utf-8")
    with pytest.raises(InputError, match="no Council vote weight for actor 'xx'"):
        load(p, "deu", ReadOptions(capabilities="council"))
    sc = load(p, "deu")
    assert sc.actor("xx").name == "xx"
