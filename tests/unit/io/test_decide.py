"""The Decide exchange model's tagged format: the peer's samples, messy files, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import InputError
from detente.io import FORMATS, ReadOptions, detect_format, dumps, load

GOOD = """\
#A\tUSA\tUnited States
#A\tCHN\tChina
#A\tEU\tEuropean Union
#P\tcut\tEmission cut
#M\tcut\t0\tnone
#M\tcut\t100\tfull
#P\tfund\tFunding
#D\tUSA\tcut\t20\t0.8\t1.0
#D\tCHN\tcut\t40\t0.6\t0.8
#D\tEU\tcut\t90\t0.9\t0.7
#D\tUSA\tfund\t10\t0.3\t1.0
#D\tCHN\tfund\t80\t0.9\t0.8
#D\tEU\tfund\t60\t0.5\t0.7
"""


def write(tmp_path: Path, text: str, name: str = "case.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(path: Path, **options: str) -> InputError:
    with pytest.raises(InputError) as info:
        load(path, "decide", ReadOptions(**options))
    return info.value


def test_reads_actors_issues_scale_and_stances(tmp_path: Path) -> None:
    sc = load(write(tmp_path, GOOD))
    assert [a.id for a in sc.actors] == ["USA", "CHN", "EU"]
    assert sc.actor("USA").name == "United States"
    cut = sc.issue("cut")
    assert (cut.scale.min, cut.scale.max) == (0, 100)
    assert [a.label for a in cut.anchors] == ["none", "full"]
    arrays = sc.arrays()
    assert arrays.position[2, 0] == 90
    assert arrays.salience[1, 1] == pytest.approx(0.9)
    assert arrays.capability[1, 0] == pytest.approx(0.8)


def test_detected_by_content_whatever_the_extension(tmp_path: Path) -> None:
    for name in ("case.txt", "case.csv", "case"):
        p = write(tmp_path, GOOD, name)
        assert detect_format(p, GOOD).name == "decide"


def test_quoted_like_the_peer_samples(tmp_path: Path) -> None:
    quoted = "".join(
        "\t".join(f"'{c}'" if not c.replace(".", "").isdigit() else c for c in line.split("\t"))
        + "\n" for line in GOOD.splitlines())
    assert quoted.startswith("'#A'\t'USA'")
    sc = load(write(tmp_path, quoted))
    assert sc.arrays().position[0, 0] == 20
    double = GOOD.replace("\tUSA\t", '\t"USA"\t')
    assert load(write(tmp_path, double)).actors[0].id == "USA"


def test_descending_scale_points(tmp_path: Path) -> None:
    text = GOOD.replace("#M\tcut\t0\tnone\n#M\tcut\t100\tfull",
                        "#M\tcut\t100\tfull\n#M\tcut\t0\tnone")
    cut = load(write(tmp_path, text)).issue("cut")
    assert (cut.scale.min, cut.scale.max) == (0, 100)


def test_scale_in_other_units(tmp_path: Path) -> None:
    text = GOOD.replace("#M\tcut\t0\tnone\n#M\tcut\t100\tfull", "#M\tcut\t0.5\t\n#M\tcut\t7\t")
    text = text.replace("cut\t20\t", "cut\t1\t").replace("cut\t40\t", "cut\t3\t")
    text = text.replace("cut\t90\t", "cut\t6.5\t")
    cut = load(write(tmp_path, text)).issue("cut")
    assert (cut.scale.min, cut.scale.max) == (0.5, 7)
    assert cut.anchors == ()


def test_missing_stance_rows_and_actors_without_stances(tmp_path: Path) -> None:
    text = GOOD.replace("#D\tEU\tfund\t60\t0.5\t0.7\n", "") + "#A\tRUS\tRussia\n"
    sc = load(write(tmp_path, text))
    arrays = sc.arrays()
    assert not arrays.present[sc.actor_index["EU"], sc.issue_index["fund"]]
    assert not arrays.present[sc.actor_index["RUS"]].any()


def test_comments_title_blank_lines_and_trailing_cells(tmp_path: Path) -> None:
    text = ("\n#O\tClimate talks\n#/\tID\tFull name\n" + GOOD.replace("\n", "\t\n", 3)
            + "\n#/ the end\n")
    sc = load(write(tmp_path, text))
    assert sc.title == "Climate talks"
    assert len(sc.actors) == 3


def test_salience_and_power_on_0_100(tmp_path: Path) -> None:
    text = GOOD
    for s in ("0.8", "0.6", "0.9", "0.3", "0.5"):
        text = text.replace(f"\t{s}\t", f"\t{round(float(s) * 100)}\t")
    text = text.replace("\t1.0\n", "\t100\n").replace("\t0.8\n", "\t80\n").replace(
        "\t0.7\n", "\t70\n")
    a = load(write(tmp_path, text)).arrays()
    b = load(write(tmp_path, GOOD, "b.csv")).arrays()
    assert a.salience == pytest.approx(b.salience)
    assert a.capability == pytest.approx(b.capability * 100)


def test_semicolon_separated_unquoted(tmp_path: Path) -> None:
    sc = load(write(tmp_path, GOOD.replace("\t", ";")), "decide")
    assert sc.arrays().position[1, 1] == 80


def test_power_per_issue_becomes_a_stance_capability(tmp_path: Path) -> None:
    text = GOOD.replace("#D\tUSA\tfund\t10\t0.3\t1.0", "#D\tUSA\tfund\t10\t0.3\t0.5")
    sc = load(write(tmp_path, text))
    assert sc.actor("USA").capability.value == 1.0
    assert sc.arrays().capability[0].tolist() == [1.0, 0.5]


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("#D\tCHN\tcut\t40", "#D\tCHX\tcut\t40"), 9, ("unknown actor 'CHX'", "#A")),
        (("#D\tCHN\tcut\t40", "#D\tCHN\tcat\t40"), 9, ("unknown issue 'cat'", "#P")),
        (("#P\tfund\tFunding", "#P\tfund\tFunding\n#M\tfnd\t5"), 8,
         ("#M for unknown issue 'fnd'",)),
        (("\t40\t0.6", "\tforty\t0.6"), 9, ("position", "not a number: 'forty'")),
        (("\t0.6\t0.8", "\t0.6\t-0.8"), 9, ("power must be > 0",)),
        (("\t0.6\t0.8", "\t160\t0.8"), 9, ("salience 160 is outside",)),
        (("#D\tCHN\tcut\t40\t0.6\t0.8", "#D\tCHN\tcut\t40\t0.6"), 9, ("#D needs 5 cell(s)",)),
        (("#D\tEU\tcut\t90", "#D\tEU\tcut\t190"), 10, ("position 190", "outside the scale")),
        (("#A\tCHN\tChina", "#A\tUSA\tChina"), 2, ("actor 'USA' defined twice", "line 1")),
        (("#P\tfund\tFunding", "#P\tcut\tFunding"), 7, ("issue 'cut' defined twice",)),
        (("#M\tcut\t100\tfull", "#M\tcut\t0\tfull"), 5, ("span no range",)),
        (("#P\tfund\tFunding", "#X\tfund\tFunding"), 7, ("unknown record '#X'",)),
    ],
)
def test_bad_input_names_the_line(
    tmp_path: Path, change: tuple[str, str], line: int, words: tuple[str, ...]
) -> None:
    text = GOOD.replace(*change, 1)
    assert text != GOOD
    err = error_of(write(tmp_path, text))
    assert err.line == line, str(err)
    message = str(err)
    assert "\n" not in message
    for w in words:
        assert w in message


def test_second_stance_row_is_refused(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD + "#D\tEU\tfund\t65\t0.5\t0.7\n"))
    assert err.line == 14
    assert "second #D row" in str(err) and "line 13" in str(err)


def test_empty_sections_are_refused(tmp_path: Path) -> None:
    no_stances = "".join(x + "\n" for x in GOOD.splitlines() if not x.startswith("#D"))
    assert "no #D" in str(error_of(write(tmp_path, no_stances)))
    assert "no #A" in str(error_of(write(tmp_path, "#P\tx\tX\n#D\ta\tx\t1\t1\t1\n")))


def test_round_trip_through_the_writer(tmp_path: Path) -> None:
    sc = load(write(tmp_path, GOOD.replace("#D\tUSA\tfund\t10\t0.3\t1.0", "#D\tUSA\tfund\t10\t"
                                           "0.3\t0.5")))
    text = dumps(sc, "decide")
    assert text.splitlines()[1].startswith("#A\t'USA'\t'United States'")
    back = load(write(tmp_path, text, "back.csv"))
    a, b = sc.arrays(), back.arrays()
    assert (a.position == b.position).all()
    assert a.salience == pytest.approx(b.salience)
    assert a.capability == pytest.approx(b.capability)
    assert [x.label for x in back.issue("cut").anchors] == ["none", "full"]


def test_registered_as_a_peer_format() -> None:
    fmt = FORMATS["decide"]
    assert fmt.read is not None and fmt.write is not None and fmt.sniff is not None


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "actors", "issues", "stances"),
    [("sample_data.txt", 10, 6, 60), ("copenhagen.csv", 11, 7, 75), ("cop21.csv", 15, 13, 181)],
)
def test_peer_samples_load(
    shared: Path, name: str, actors: int, issues: int, stances: int
) -> None:
    path = shared / "data" / "decide" / name
    assert detect_format(path, path.read_text()).name == "decide"
    sc = load(path)
    assert (len(sc.actors), len(sc.issues), len(sc.stances())) == (actors, issues, stances)


@pytest.mark.shared
def test_sample_scale_in_own_units(shared: Path) -> None:
    sc = load(shared / "data" / "decide" / "sample_data.txt")
    hoogte = sc.issue("tol-hoogte")
    assert (hoogte.scale.min, hoogte.scale.max) == (0.5, 7)


@pytest.mark.shared
def test_peer_file_with_errors_names_both_errors(shared: Path, tmp_path: Path) -> None:
    """Unquoted, no #M, missing #D rows, comments: all read; two bad numbers are named."""
    path = shared / "data" / "decide" / "copenhagen_with_errors.csv"
    err = error_of(path)
    assert [e.line for e in err.all] == [86, 87]
    assert "position 160 lies outside the scale [0, 100] of issue 'Control'" in str(err)
    assert "power must be > 0, got -0.247" in str(err.all[1])
    fixed = path.read_text().replace("-0.247", "0.247").replace("Control\t160", "Control\t60")
    sc = load(write(tmp_path, fixed, path.name))
    assert sc.title == "Copenhagen negotiations"
    assert sc.arrays().present.sum() == 11 * 7 - 2  # Russia lacks two #D rows

