"""The scenario model: estimates, saliences, snapshots, references, array views."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from detente.errors import ScenarioProblem
from detente.io import load
from detente.scenario import Estimate, Issue, Question, Scenario

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def harbour() -> Scenario:
    return load(DATA / "harbour.yaml")


def base_doc() -> dict[str, object]:
    return {
        "id": "t",
        "title": "T",
        "actors": [{"id": "A", "capability": 2}, {"id": "B", "capability": 1}],
        "issues": [{"id": "x", "name": "X"}],
        "stances": [
            {"actor": "A", "issue": "x", "position": 30, "salience": 0.5},
            {"actor": "B", "issue": "x", "position": 80, "salience": 1},
        ],
    }


class TestEstimate:
    def test_forms(self) -> None:
        assert Estimate.model_validate(3) == Estimate(value=3)
        assert Estimate.model_validate({"value": 3, "sd": 1}).sd == 1
        e = Estimate.model_validate({"value": 3, "range": [1, 5]})
        assert (e.low, e.high) == (1, 5)
        assert e.bounds() == (1, 5)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"value": 3, "range": [5, 1]}, "above high"),
            ({"value": 9, "range": [1, 5]}, "outside its range"),
            ({"value": 3, "sd": -1}, "greater than or equal to 0"),
            ({"value": 3, "sd": 1, "range": [1, 5]}, "either sd or range"),
            ({"value": float("nan")}, "finite"),
            ({"value": 3, "range": [1]}, "two numbers"),
            (True, "boolean"),
        ],
    )
    def test_inconsistent(self, data: object, message: str) -> None:
        with pytest.raises(ValidationError, match=message):
            Estimate.model_validate(data)

    def test_scaled(self) -> None:
        e = Estimate(value=50, low=40, high=60).scaled(0.01)
        assert (e.value, e.low, e.high) == pytest.approx((0.5, 0.4, 0.6))


class TestSalience:
    def test_normalised_from_0_100(self, harbour: Scenario) -> None:
        port = next(s for s in harbour.stances() if s.actor == "port" and s.issue == "size")
        assert port.salience.value == pytest.approx(0.9)
        assert (port.salience.low, port.salience.high) == pytest.approx((0.8, 1.0))

    def test_out_of_scale(self) -> None:
        doc = base_doc()
        doc["stances"][0]["salience"] = 1.5  # type: ignore[index]
        with pytest.raises(ValidationError, match="outside 0–1"):
            Scenario.model_validate(doc)

    def test_api_default_is_0_1(self) -> None:
        sc = Scenario.model_validate(base_doc())
        assert sc.stances()[0].salience.value == 0.5


class TestSnapshots:
    def test_inherit(self, harbour: Scenario) -> None:
        assert len(harbour.snapshots) == 2
        later = {(s.actor, s.issue): s for s in harbour.stances()}
        first = {(s.actor, s.issue): s for s in harbour.stances("2024-03-01")}
        assert later[("city", "size")].position.value == 55
        assert first[("city", "size")].position.value == 70
        assert later[("port", "size")] == first[("port", "size")]
        assert len(later) == len(first) == 5

    def test_capability_override(self, harbour: Scenario) -> None:
        assert harbour.capability("green").value == 2
        assert harbour.capability("green", "2024-03-01").value == 1

    def test_snapshot_by_date(self, harbour: Scenario) -> None:
        assert harbour.snapshot_index("2024-05-01") == 0
        assert harbour.snapshot_index(dt.date(2030, 1, 1)) == 1
        with pytest.raises(KeyError, match="no snapshot on or before"):
            harbour.snapshot_index("2020-01-01")

    def test_no_inherit(self) -> None:
        doc = base_doc()
        stances = doc.pop("stances")
        doc["snapshots"] = [
            {"as_of": "2020-01-01", "stances": stances},
            {"as_of": "2020-02-01", "inherit": False, "stances": stances[:1]},  # type: ignore[index]
        ]
        sc = Scenario.model_validate(doc)
        assert len(sc.stances()) == 1
        assert len(sc.stances("2020-01-01")) == 2

    def test_at_flattens(self, harbour: Scenario) -> None:
        flat = harbour.at("2024-03-01")
        assert len(flat.snapshots) == 1
        assert flat.stances() == harbour.stances("2024-03-01")
        np.testing.assert_array_equal(
            flat.arrays().position, harbour.arrays("2024-03-01").position
        )

    def test_dates_in_order(self) -> None:
        doc = base_doc()
        stances = doc.pop("stances")
        doc["snapshots"] = [
            {"as_of": "2020-02-01", "stances": stances},
            {"as_of": "2020-01-01", "stances": []},
        ]
        with pytest.raises(ScenarioProblem, match="not after"):
            Scenario.model_validate(doc)


class TestReferences:
    @pytest.mark.parametrize(
        ("change", "loc", "message"),
        [
            (lambda d: d["stances"][0].update(actor="Z"), "actor", "unknown actor 'Z'"),
            (lambda d: d["stances"][0].update(issue="y"), "issue", "unknown issue 'y'"),
            (lambda d: d["stances"][0].update(position=130), "position", "outside the scale"),
            (lambda d: d["stances"].append(dict(d["stances"][0])), None, "second stance"),
            (lambda d: d["actors"].append({"id": "A", "capability": 1}), "id", "duplicate id"),
            (lambda d: d.update(stances=[]), None, "no stances"),
        ],
    )
    def test_problems(self, change, loc, message) -> None:  # type: ignore[no-untyped-def]
        doc = base_doc()
        change(doc)
        with pytest.raises(ScenarioProblem) as info:
            Scenario.model_validate(doc)
        first_loc, text, _hint = info.value.problems[0]
        assert message in text
        if loc is not None:
            assert first_loc[-1] == loc

    @pytest.mark.parametrize("cap", [0, -1])
    def test_capability_positive(self, cap: float) -> None:
        doc = base_doc()
        doc["actors"][0]["capability"] = cap  # type: ignore[index]
        with pytest.raises(ValidationError, match="capability must be > 0"):
            Scenario.model_validate(doc)

    def test_empty_actors(self) -> None:
        doc = base_doc()
        doc["actors"] = []
        with pytest.raises(ValidationError, match="at least 1"):
            Scenario.model_validate(doc)


class TestIssue:
    def test_anchor_mapping_and_labels(self) -> None:
        issue = Issue.model_validate(
            {"id": "x", "name": "X", "anchors": {0: "none", 50: "half", 100: "all"}}
        )
        assert [a.value for a in issue.anchors] == [0, 50, 100]
        assert issue.label_at(70) == "half"
        assert issue.label_at(80) == "all"

    def test_anchor_outside_scale(self) -> None:
        with pytest.raises(ValidationError, match="outside the scale"):
            Issue.model_validate({"id": "x", "name": "X", "anchors": {120: "too far"}})

    def test_own_units(self) -> None:
        issue = Issue.model_validate(
            {"id": "y", "name": "Y", "scale": {"min": 2024, "max": 2030}, "status_quo": 2024}
        )
        assert issue.scale.span == 6

    @pytest.mark.parametrize(
        ("op", "x", "expected"),
        [(">=", 60, True), (">=", 59.9, False), (">", 60, False), ("<=", 60, True),
         ("<", 60, False)],
    )
    def test_question(self, op: str, x: float, expected: bool) -> None:
        q = Question(id="q", text="q", op=op, threshold=60)  # type: ignore[arg-type]
        assert q.holds(x) is expected


class TestArrays:
    def test_views(self, harbour: Scenario) -> None:
        ar = harbour.arrays("2024-03-01")
        assert ar.actors == ("city", "port", "green")
        assert ar.issues == ("size", "year")
        assert ar.shape == (3, 2)
        np.testing.assert_array_equal(ar.present, [[True, True], [True, True], [True, False]])
        assert np.isnan(ar.position[2, 1])
        assert ar.salience[2, 1] == 0
        assert ar.capability[1, 1] == 4  # per-issue capability
        assert ar.capability[1, 0] == 3
        assert ar.position_unc.sd[0, 0] == 10
        assert ar.salience_unc.low[1, 0] == pytest.approx(0.8)
        assert ar.capability_unc.low[0, 0] == 4
        assert ar.leverage[0, 1] == 1.5
        assert ar.leverage[1, 0] == 1.0
        np.testing.assert_array_equal(ar.lower, [0, 2024])
        assert ar.status_quo[0] == 0
        assert np.isnan(ar.status_quo[1])
        with pytest.raises(ValueError, match="read-only"):
            ar.position[0, 0] = 1

    def test_snapshot_capability(self, harbour: Scenario) -> None:
        assert harbour.arrays().capability[2, 0] == 2
        assert harbour.arrays("2024-03-01").capability[2, 0] == 1

    def test_frozen(self, harbour: Scenario) -> None:
        with pytest.raises(ValidationError):
            harbour.actors[0].capability = Estimate(value=3)  # type: ignore[misc]


class TestSnapshotChanges:
    """Later snapshots may change one number, the status quo, or leverage."""

    def doc(self, *later: dict[str, object]) -> dict[str, object]:
        doc = base_doc()
        stances = doc.pop("stances")
        stances[0]["evidence"] = [  # type: ignore[index]
            {"basis": "judgement", "paraphrase": "position reason", "about": ["position"]},
            {"basis": "judgement", "paraphrase": "salience reason", "about": ["salience"]},
        ]
        doc["leverage"] = [{"from": "A", "to": "B", "weight": 2}]
        doc["issues"][0]["status_quo"] = 10  # type: ignore[index]
        doc["snapshots"] = [{"as_of": "2020-01-01", "stances": stances}, *later]
        return doc

    def test_partial_stance_keeps_the_other_number_and_its_evidence(self) -> None:
        sc = Scenario.model_validate(self.doc({
            "as_of": "2020-02-01",
            "stances": [{"actor": "A", "issue": "x", "salience": 0.9,
                         "evidence": [{"basis": "judgement", "paraphrase": "new salience"}]}],
        }))
        a = sc.stances()[0]
        assert a.position is not None and a.position.value == 30
        assert a.salience is not None and a.salience.value == 0.9
        assert [e.paraphrase for e in a.evidence] == ["new salience", "position reason"]
        assert sc.stances("2020-01-01")[0].salience.value == 0.5  # type: ignore[union-attr]

    def test_partial_stance_needs_an_earlier_one(self) -> None:
        doc = self.doc()
        doc["snapshots"][0]["stances"][1].pop("salience")  # type: ignore[index]
        with pytest.raises(ScenarioProblem, match="salience is missing"):
            Scenario.model_validate(doc)

    def test_status_quo_and_leverage_change(self) -> None:
        sc = Scenario.model_validate(self.doc({
            "as_of": "2020-02-01", "status_quo": {"x": 25},
            "leverage": [{"from": "B", "to": "A", "weight": 3}, {"from": "A", "to": "B",
                                                                   "weight": 1.5}],
        }))
        assert sc.status_quo("x") == 25
        assert sc.status_quo("x", "2020-01-15") == 10
        ar, early = sc.arrays(), sc.arrays("2020-01-01")
        assert ar.status_quo[0] == 25 and early.status_quo[0] == 10
        np.testing.assert_array_equal(ar.leverage, [[1, 1.5], [3, 1]])
        np.testing.assert_array_equal(early.leverage, [[1, 2], [1, 1]])
        flat = sc.at(None)
        assert flat.status_quo("x") == 25
        np.testing.assert_array_equal(flat.arrays().leverage, ar.leverage)

    @pytest.mark.parametrize(
        ("later", "message"),
        [
            ({"status_quo": {"y": 3}}, "unknown issue 'y'"),
            ({"status_quo": {"x": 300}}, "outside the scale"),
            ({"leverage": [{"from": "A", "to": "Q", "weight": 2}]}, "unknown actor 'Q'"),
            ({"leverage": [{"from": "A", "to": "A", "weight": 2}]}, "on itself"),
            ({"capabilities": {"Q": 2}}, "unknown actor 'Q'"),
        ],
    )
    def test_bad_changes(self, later: dict[str, object], message: str) -> None:
        with pytest.raises(ScenarioProblem, match=message):
            Scenario.model_validate(self.doc({"as_of": "2020-02-01", **later}))

    def test_evidence_gaps_of_changes(self) -> None:
        from detente.evidence import unsupported_numbers

        sc = Scenario.model_validate(self.doc({
            "as_of": "2020-02-01", "status_quo": {"x": 25}, "capabilities": {"A": 3},
            "stances": [{"actor": "A", "issue": "x", "position": 40}],
        }))
        gaps = "\n".join(unsupported_numbers(sc))
        assert "status quo changes have no evidence" in gaps
        assert "capability changes have no evidence" in gaps
        assert "stance A/x at 2020-02-01: position has no evidence" in gaps
        assert "stance A/x at 2020-02-01: salience" not in gaps  # inherited with its evidence


class TestRestrict:
    def test_keeps_only_the_named_issues(self, harbour: Scenario) -> None:
        one = harbour.restrict(["year"])
        assert [i.id for i in one.issues] == ["year"]
        assert {s.issue for s in one.stances()} == {"year"}
        assert len(one.snapshots) == len(harbour.snapshots)
        np.testing.assert_array_equal(one.arrays().position[:, 0],
                                      harbour.arrays().position[:, 1])
        assert [a.id for a in one.actors] == [a.id for a in harbour.actors]

    def test_unknown_issue(self, harbour: Scenario) -> None:
        with pytest.raises(KeyError, match="unknown issue 'nope'"):
            harbour.restrict(["nope"])


class TestAliasesAndKeywords:
    def test_read_and_kept(self) -> None:
        doc = base_doc()
        doc["actors"] = [{"id": "A", "capability": 2, "aliases": ["Alpha", "the A"]},
                         {"id": "B", "capability": 1}]
        doc["issues"] = [{"id": "x", "name": "X", "keywords": ["ex", "the x"]}]
        sc = Scenario.model_validate(doc)
        assert sc.actor("A").aliases == ("Alpha", "the A")
        assert sc.issue("x").keywords == ("ex", "the x")

    @pytest.mark.parametrize("aliases_b", [["alpha"], ["A"], ["Beta", "ALPHA"]])
    def test_an_alias_names_one_actor(self, aliases_b: list[str]) -> None:
        doc = base_doc()
        doc["actors"] = [{"id": "A", "capability": 2, "aliases": ["Alpha"]},
                         {"id": "B", "capability": 1, "aliases": aliases_b}]
        with pytest.raises(ScenarioProblem) as exc:
            Scenario.model_validate(doc)
        loc, message, _ = exc.value.problems[0]
        assert loc[:3] == ("actors", 1, "aliases")
        assert "already names actor 'A'" in message

    def test_the_same_alias_twice_for_one_actor_is_harmless(self) -> None:
        doc = base_doc()
        doc["actors"] = [{"id": "A", "capability": 2, "aliases": ["A", "Alpha", "alpha"]},
                         {"id": "B", "capability": 1}]
        assert Scenario.model_validate(doc).actor("A").aliases[1] == "Alpha"


def test_proposed_evidence_needs_its_source() -> None:
    doc = base_doc()
    doc["stances"][0]["evidence"] = [{"basis": "proposed", "paraphrase": "quoted"}]  # type: ignore[index]
    with pytest.raises(ValidationError, match="basis 'proposed' needs a 'source'"):
        Scenario.model_validate(doc)
