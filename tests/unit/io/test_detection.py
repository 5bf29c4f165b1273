"""Format detection: every peer file and detente's own long CSV is recognised, unambiguously."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import InputError
from detente.io import FORMATS, detect_format, dumps, load

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / ".." / "shared" / "data"

EXPECTED = {
    "eum/bdm1994_emission_standards.csv": "bdm",
    "eum/china_actors.csv": "bdm",
    "eum/greece2015.csv": "bdm",
    "eum/honduras_crisis.csv": "bdm",
    "eum/iran2013_election.csv": "bdm",
    "eum/saudi_oil_price_17actors.csv": "bdm",
    "ktab/dummyData_3Dim.csv": "ktab",
    "ktab/dummyData_3Dim-no-final-comma.csv": "ktab",
    "ktab/dummyData_6Dim.csv": "ktab",
    "ktab/SOE-Pol-Comp.csv": "ktab",
    "ktab/SOE-Policy.csv": "ktab",
    "ktab/SOE-Competitive.csv": "ktab",
    "ktab/dummyData-a040.csv": "ktab",
    "ktab/dummyData-a080.csv": "ktab",
    "ktab/dummyData-a160.csv": "ktab",
    "ktab/dummyData_3Dim.xml": "ktab",
    "ktab/smpExample.xml": "ktab",
    "deu3/deu3-dev.tsv": "deu",
}


def sniffed_by(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [f.name for f in FORMATS.values() if f.sniff is not None and f.sniff(path, text)]


@pytest.mark.shared
@pytest.mark.parametrize(("name", "fmt"), EXPECTED.items())
def test_peer_files_detected_unambiguously(name: str, fmt: str) -> None:
    if not DATA.is_dir():
        pytest.skip("../shared (peer data sets) is not available")
    path = DATA / name
    assert sniffed_by(path) == [fmt]
    assert detect_format(path, path.read_bytes().decode("utf-8-sig")).name == fmt


def test_peer_formats_are_registered() -> None:
    assert {"bdm", "ktab", "deu"} <= set(FORMATS)


def test_detente_long_csv_is_not_taken_for_a_peer_format(tmp_path: Path) -> None:
    harbour = load(ROOT / "tests" / "data" / "harbour.yaml")
    p = tmp_path / "harbour.csv"
    p.write_text(dumps(harbour, "csv"), encoding="utf-8")
    assert sniffed_by(p) == ["csv"]
    assert load(p).id == "harbour"


def test_bdm_writer_output_is_detected_as_bdm(tmp_path: Path) -> None:
    p = tmp_path / "one.csv"
    p.write_text("Actor,Capability,Position,Salience\na,1,10,50\nb,2,90,50\n", encoding="utf-8")
    sc = load(p)
    q = tmp_path / "again.csv"
    q.write_text(dumps(sc, "bdm"), encoding="utf-8")
    assert sniffed_by(q) == ["bdm"]


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("a.csv", "stakeholder,resources,position,salience\nx,1,2,3\n", "bdm"),
        ("a.txt", "Actor , Power , Position , Salience\nx,1,2,3\n", "bdm"),
        ("k.csv", "S,desc,3,1\nActor,Description,Power,P Position,P Salience\n", "ktab"),
        ("k.txt", "S, desc , 3 , 1 ,\n Actor , Description,Influence,P,S,\n", "ktab"),
        ("k.dat", '<?xml version="1.0"?>\n<Scenario>\n<name>n</name>\n<desc/>\n'
                  "<prngSeed>1</prngSeed>\n", "ktab"),
        ("d.txt", "prnr\tprname\tisnr\tpcom\tscom\trp\tout\n", "deu"),
        ("long.csv", "actor,issue,position,salience,capability\na,x,1,2,3\n", "csv"),
    ],
)
def test_sniffers_on_small_files(tmp_path: Path, name: str, text: str, fmt: str) -> None:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    assert sniffed_by(p) == [fmt]


def test_extension_fallbacks_and_ambiguity(tmp_path: Path) -> None:
    xml = tmp_path / "odd.xml"
    xml.write_text("<Other/>\n", encoding="utf-8")
    assert detect_format(xml, xml.read_text()).name == "ktab"  # the only .xml reader
    with pytest.raises(InputError, match="root element is <Other>"):
        load(xml)
    tsv = tmp_path / "odd.tsv"
    tsv.write_text("a\tb\n", encoding="utf-8")
    assert detect_format(tsv, tsv.read_text()).name == "deu"
    csv_ = tmp_path / "odd.csv"
    csv_.write_text("who,what\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell which format"):
        load(csv_)


def test_a_bdm_header_with_an_issue_column_is_long_csv(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("actor,issue,capability,position,salience\n", encoding="utf-8")
    assert sniffed_by(p) == ["csv"]


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "\ufeff", "just words", '"unterminated,\n', "<", "a\tb\tc", "1,2,3,4\n5,6"],
)
def test_sniffers_say_no_to_odd_text(tmp_path: Path, text: str) -> None:
    p = tmp_path / "odd.csv"
    for name in ("bdm", "ktab", "deu"):
        sniff = FORMATS[name].sniff
        assert sniff is not None
        assert sniff(p, text) is False
