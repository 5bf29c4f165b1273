"""``detente forecast`` with the spatial model of politics, on KTAB inputs and our own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_cli import HARBOUR, assert_user_error, run
from tests.smp_reference import REFERENCE, ktab_csv


def forecast_json(*args: str | Path) -> dict[str, Any]:
    return dict(json.loads(run("forecast", *args, "--format", "json").stdout))


@pytest.fixture
def pol_comp(tmp_path: Path) -> Path:
    path = tmp_path / "SOE-Pol-Comp.csv"
    path.write_text(ktab_csv("SOE-Pol-Comp"), encoding="utf-8")
    return path


def test_ktab_input_runs_jointly_by_default(pol_comp: Path) -> None:
    doc = forecast_json(pol_comp, "--input-format", "ktab", "--model", "smp")
    case = REFERENCE["cases"]["SOE-Pol-Comp"]
    assert doc["models"]["smp"]["parameters"]["joint"] is True
    for d, issue in enumerate(doc["issues"]):
        smp = issue["forecasts"]["smp"]
        assert smp["outcome"] == pytest.approx(case["expected"][d], abs=1e-6)
        assert smp["modal"] == pytest.approx(case["modal"][d], abs=1e-6)
        assert smp["turns"] == case["turns"] == len(smp["rounds"])
        assert smp["dimensions"] == ["Policy", "Competitive"]
        assert sum(f["probability"] for f in smp["final_positions"]) == pytest.approx(1.0)


def test_per_issue_switch(pol_comp: Path) -> None:
    doc = forecast_json(pol_comp, "--model", "smp", "--per-issue")
    assert doc["models"]["smp"]["parameters"]["joint"] is False
    turns = [i["forecasts"]["smp"]["turns"] for i in doc["issues"]]
    assert turns == [10, 20]
    assert all("dimensions" not in i["forecasts"]["smp"] for i in doc["issues"])


def test_own_scenarios_run_per_issue_unless_asked(tmp_path: Path) -> None:
    doc = forecast_json(HARBOUR)
    assert doc["models"]["smp"]["parameters"]["joint"] is False
    joint = forecast_json(HARBOUR, "--joint", "--rounds", "7")
    smp = joint["issues"][0]["forecasts"]["smp"]
    assert joint["models"]["smp"]["parameters"]["rounds"] == 7
    assert smp["turns"] <= 7
    assert smp["dimensions"] == ["size", "year"]
    csv_out = run("forecast", HARBOUR, "--format", "csv", "-m", "smp").stdout.splitlines()
    assert len(csv_out) == 3 and all(",smp," in line for line in csv_out[1:])


XML = """<?xml version="1.0" encoding="UTF-8"?>
<Scenario>
  <name>Small</name><desc>Three actors</desc><prngSeed>42</prngSeed>
  <ModelParameters>
    <VictoryProbModel>Square</VictoryProbModel><PCEModel>Conditional</PCEModel>
    <StateTransitions>Stochastic</StateTransitions><VotingRule>Prop</VotingRule>
    <BigRAdjust>Half</BigRAdjust><BigRRange>Max</BigRRange>
    <ThirdPartyCommit>NoCommit</ThirdPartyCommit><InterVecBrgn>S1P1</InterVecBrgn>
    <BargnModel>PWCompInterp</BargnModel>
  </ModelParameters>
  <Dimensions><dName>Only</dName></Dimensions>
  <Actors>
    <Actor><name>A</name><description>a</description><capability>40</capability>
      <Position><dCoord>10</dCoord></Position><Salience><dSal>80</dSal></Salience></Actor>
    <Actor><name>B</name><description>b</description><capability>30</capability>
      <Position><dCoord>55</dCoord></Position><Salience><dSal>60</dSal></Salience></Actor>
    <Actor><name>C</name><description>c</description><capability>20</capability>
      <Position><dCoord>90</dCoord></Position><Salience><dSal>70</dSal></Salience></Actor>
  </Actors>
  <IdealAdjustment>
    <iaPair><adjustingIdeal>B</adjustingIdeal><referencePos>B</referencePos>
      <adjust>0.8</adjust></iaPair>
  </IdealAdjustment>
</Scenario>
"""


def test_ktab_xml_settings_are_applied(tmp_path: Path) -> None:
    path = tmp_path / "small.xml"
    path.write_text(XML, encoding="utf-8")
    doc = forecast_json(path, "-m", "smp")
    params = doc["models"]["smp"]["parameters"]
    assert params["victory_prob_model"] == "Square"
    assert params["state_transitions"] == "Stochastic"
    assert params["bargain_model"] == "PWCompInterp"
    assert params["seed"] == 42
    assert params["ideal_adjustment"] == [["B", "B", 0.8]]
    again = forecast_json(path, "-m", "smp")
    assert again["issues"] == doc["issues"]  # same seed, same result


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: t.replace("<dCoord>55</dCoord>", "<dCoord></dCoord>"),
         ("small.xml:", "empty position of 'B' on 'Only'")),
        (lambda t: t[: t.index("  <IdealAdjustment>")] + "</Scenario>\n",
         ("small.xml:", "no <IdealAdjustment> block", "<iaPair>")),
    ],
)
def test_broken_ktab_xml_is_a_clear_error(
    tmp_path: Path, edit: Any, words: tuple[str, ...]
) -> None:
    path = tmp_path / "small.xml"
    path.write_text(edit(XML), encoding="utf-8")
    assert_user_error(run("forecast", path, "-m", "smp", ok=False), *words)


@pytest.mark.shared
@pytest.mark.parametrize("name", ["smpExample.xml", "dummyData_3Dim.xml"])
def test_shipped_broken_xml_examples(shared: Path, name: str) -> None:
    proc = run("forecast", shared / "data" / "ktab" / name, "-m", "smp", ok=False)
    assert_user_error(proc, name)


@pytest.mark.shared
def test_shipped_csv_forecast(shared: Path) -> None:
    doc = forecast_json(shared / "data" / "ktab" / "dummyData_6Dim.csv", "-m", "smp")
    case = REFERENCE["cases"]["dummyData_6Dim"]
    got = [i["forecasts"]["smp"]["outcome"] for i in doc["issues"]]
    assert got == pytest.approx(case["expected"], abs=1e-6)
    assert {i["forecasts"]["smp"]["turns"] for i in doc["issues"]} == {case["turns"]}
