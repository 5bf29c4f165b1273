"""Issue scoring: keywords, name and anchor words, shared terms, the threshold."""

from __future__ import annotations

from detente.news.issues import ANCHOR_WEIGHT, KEYWORD_WEIGHT, THRESHOLD, IssueIndex, stem
from detente.scenario import Scenario
from tests.unit.news.conftest import border_doc


def test_vocabulary_weights(border: Scenario) -> None:
    ix = IssueIndex(border.issues, border.actors)
    talks = dict(ix.vocabulary("talks"))
    assert talks["talk"] == talks["negotiation"] == KEYWORD_WEIGHT
    assert "nordland" not in talks and "the" not in talks
    rail = dict(ix.vocabulary("railway"))
    assert rail["rail link"] == KEYWORD_WEIGHT
    assert rail[stem("operating")] == ANCHOR_WEIGHT


def test_a_shared_term_stays_mostly_with_the_issue_that_weighs_it_most(
        border: Scenario) -> None:
    doc = border_doc()
    doc["issues"][1]["anchors"] = {0: "Railway shelved", 100: "Railway negotiations done"}
    sc = Scenario.model_validate(doc)
    ix = IssueIndex(sc.issues, sc.actors)
    total = KEYWORD_WEIGHT + ANCHOR_WEIGHT
    assert dict(ix.vocabulary("talks"))["negotiation"] == KEYWORD_WEIGHT ** 2 / total
    assert dict(ix.vocabulary("railway"))["negotiation"] == ANCHOR_WEIGHT ** 2 / total


def test_match_and_threshold(border: Scenario) -> None:
    ix = IssueIndex(border.issues, border.actors)
    got = ix.match("Nordland wants the rail link and more trains.")
    assert [m.issue for m in got] == ["railway"]
    assert set(got[0].terms) == {"rail link", "train"}
    assert got[0].score >= THRESHOLD
    assert ix.match("The weather was fine in Nordstad.") == []
    assert ix.match("It is operating.") == []  # one anchor word is not enough


def test_stem() -> None:
    assert [stem(w) for w in ("sanctions", "talking", "policies", "pushes", "us", "crisis")] \
        == ["sanction", "talk", "policy", "push", "us", "crisis"]
