"""Sweep specs: paths, ranges and files, every mistake a one-line error before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import InputError
from detente.io import load
from detente.sweep.spec import SweepSpec, check, parse_vary, read_sweep_file

HARBOUR = Path(__file__).resolve().parents[2] / "data" / "harbour.yaml"


def spec(*vary: str, **kw: object) -> SweepSpec:
    values: dict[str, object] = {"n": 8, "models": ("eum", "compromise"), **kw}
    return SweepSpec(variables=tuple(parse_vary(v) for v in vary), **values)  # type: ignore[arg-type]


def test_each_kind_of_path() -> None:
    kinds = [(v.kind, v.actor, v.issue, v.model, v.param) for v in (
        parse_vary("actors.city.capability=2:8"), parse_vary("stances.city.size.position=0:50"),
        parse_vary("stances.port.size.salience=20:90"), parse_vary("issues.size.status_quo=0:30"),
        parse_vary("eum.Q=0.5:1"))]
    assert kinds == [("capability", "city", None, None, None),
                     ("position", "city", "size", None, None),
                     ("salience", "port", "size", None, None),
                     ("status_quo", None, "size", None, None),
                     ("parameter", None, None, "eum", "Q")]
    checked = check(spec("eum.rounds=5:20", "eum.Q=0.5:1"), load(HARBOUR))
    assert [v.integer for v in checked.variables] == [True, False]


@pytest.mark.parametrize(("vary", "words"), [
    ("actors.nobody.capability=1:2", ["--vary actors.nobody.capability", "unknown actor 'nobody'",
                                      "known: city, port, green"]),
    ("actors.City.capability=1:2", ["unknown actor 'City'", "did you mean 'city'?"]),
    ("stances.city.size.position=50:140", ["lies outside the scale of issue 'size' [0, 100]"]),
    ("issues.year.status_quo=2020:2026", ["outside the scale of issue 'year' [2024, 2030]"]),
    ("stances.green.year.position=2024:2026", ["actor 'green' takes no stance on issue 'year'"]),
    ("stances.city.size.salience=0.2:0.9", ["saliences in a sweep are on 0-100",
                                            "write e.g. 20:90"]),
    ("stances.city.size.salience=20:120", ["outside the salience scale [0, 100]"]),
    ("actors.city.capability=0:3", ["capabilities are above 0"]),
    ("eum.q=0.1:0.9", ["--vary eum.q", "model 'eum' has no parameter 'q'", "valid: preset"]),
    ("eum.Q=0.5:1.5", ["the range 0.5:1.5", "less than or equal to 1"]),
    ("eum.rounds=2.5:8", ["eum.rounds takes whole numbers"]),
    ("smp.rounds=5:10", ["model 'smp' is not run in this sweep", "add -m smp"]),
    ("nomodel.x=1:2", ["unknown model 'nomodel'"]),
    ("eum.Q=0.9:0.5", ["the range 0.9:0.5 is empty"]),
])
def test_bad_variables_are_one_line_errors(vary: str, words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        check(spec(vary), load(HARBOUR))
    text = str(err.value)
    assert "\n" not in text
    for w in words:
        assert w in text, text


@pytest.mark.parametrize(("text", "words"), [
    ("actors.city.capability", ["expected PATH=LO:HI"]),
    ("actors.city.capability=1-2", ["expected PATH=LO:HI"]),
    ("actors.city.capability=a:2", ["LO is not a number: 'a'"]),
    ("actors.city.capability=1:nan", ["HI must be a finite number"]),
    ("actors.city.name=1:2", ["cannot vary 'actors.city.name'", "paths: actors.A.capability"]),
])
def test_malformed_vary_options(text: str, words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        parse_vary(text)
    for w in words:
        assert w in str(err.value)


@pytest.mark.parametrize(("kw", "words"), [
    ({"n": 0}, ["--n: n must be a whole number >= 1, got 0"]),
    ({"draws": 0}, ["--draws"]),
    ({"sample": "random"}, ["unknown sample 'random'", "lhs, sobol, grid"]),
    ({"sample": "grid", "n": 1}, ["a grid needs at least 2 levels"]),
    ({"sample": "grid", "n": 5000}, ["variations is more than"]),
    ({"models": ()}, ["no model to run"]),
    ({"range_shape": "uniform"}, ["unknown range shape 'uniform'", "triangular, pert"]),
    ({"position_sd": -1.0}, ["--position-sd", "must be a number >= 0"]),
])
def test_bad_sweep_settings(kw: dict[str, object], words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        check(spec("eum.Q=0.5:1", "actors.city.capability=2:8", **kw), load(HARBOUR))
    for w in words:
        assert w in str(err.value)


def test_a_variable_varied_twice() -> None:
    with pytest.raises(InputError, match=r"eum\.Q is varied twice"):
        check(spec("eum.Q=0.5:1", "eum.Q=0.6:1"), load(HARBOUR))


def test_the_spec_round_trips_through_its_document() -> None:
    s = check(spec("eum.rounds=5:20", "stances.city.size.position=0:50", sample="sobol",
                   settings={"eum": {"Q": 0.9}}), load(HARBOUR))
    assert SweepSpec.from_dict({**s.to_dict(), "issues": ["size"]}) == s


def test_a_sweep_file(tmp_path: Path) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text(
        "scenario: ../harbour.yaml\nvary:\n  actors.city.capability: 2:8\n"
        "  eum.Q: 0.5:1\nsample: sobol\nn: 16\ndraws: 50\nmodels: [eum]\n"
        "set: {eum.rounds: 12}\n", encoding="utf-8")
    s, scenario, where = read_sweep_file(path)
    assert scenario == tmp_path / "../harbour.yaml"
    assert [v.path for v in s.variables] == ["actors.city.capability", "eum.Q"]
    assert (s.variables[0].low, s.variables[0].high) == (2, 8)  # not YAML's base-60 128
    assert (s.sample, s.n, s.draws, s.models) == ("sobol", 16, 50, ("eum",))
    assert s.settings == {"eum": {"rounds": 12}}
    assert where == [f"{path}: vary.actors.city.capability", f"{path}: vary.eum.Q"]
    check(s, load(HARBOUR), where)
    path.write_text(path.read_text().replace("actors.city", "actors.mayor"), encoding="utf-8")
    s, _, where = read_sweep_file(path)
    with pytest.raises(InputError, match=r"sweep.yaml: vary.actors.mayor.capability: unknown"):
        check(s, load(HARBOUR), where)


@pytest.mark.parametrize(("text", "words"), [
    ("vary: {eum.Q: [0.5, 1]}\nn: 4\ncolour: red\n", ["unknown key 'colour'"]),
    ("n: 4\n", ["vary: maps each PATH to [LO, HI]"]),
    ("vary: {eum.Q: [0.5]}\nn: 4\n", ["vary.eum.Q: expected [LO, HI] or LO:HI"]),
    ("vary: {eum.Q: [0.5, 1]}\n", ["n: the number of variations is missing"]),
    ("vary: [\n", ["not valid YAML"]),
    ("vary: {eum.Q: [0.5, 1]}\nn: 4\nset: {eum.q: 3}\n", ["set eum.q", "no parameter 'q'"]),
])
def test_bad_sweep_files(tmp_path: Path, text: str, words: list[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_sweep_file(path)
    assert "bad.yaml" in str(err.value)
    for w in words:
        assert w in str(err.value)
