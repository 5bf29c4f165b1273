"""Stances: polarity and negation, target anchors, whose stance it is, quad classes."""

from __future__ import annotations

from detente.news.actors import ActorIndex
from detente.news.issues import IssueIndex
from detente.news.sentences import Sentence
from detente.news.stances import StanceProposal, cues, propose, target_of
from detente.scenario import Scenario


def proposals(sc: Scenario, text: str, speaker: str | None = None) -> list[StanceProposal]:
    ix, issues = ActorIndex(sc.actors), IssueIndex(sc.issues, sc.actors)
    s = Sentence("a", 7, 0, text, 0, len(text))
    return propose(s, ix.find(text), issues.match(text), {i.id: i for i in sc.issues},
                   issues.terms, {i.id: i.status_quo for i in sc.issues}, speaker)


def test_cues_polarity_negation_hedges() -> None:
    assert cues("Nordland supports the talks.").polarity == 1
    assert cues("Nordland rejects the talks.").polarity == -1
    neg = cues("Nordland does not support the talks.")
    assert neg.polarity == -1 and neg.negated
    assert cues("Nordland did not reject the talks.").polarity == 1
    assert cues("Nordland might agree.").hedged
    assert cues("The weather was fine.").events == ()
    assert cues("The talks were held.").events == ("CONSULT",)
    assert cues("They are ruling out an alliance.").events == ("REJECT",)
    assert cues("They are ruling the country.").events == ()


def test_support_moves_towards_the_anchor_and_opposition_away(border: Scenario) -> None:
    (p,) = [x for x in proposals(border, "Sudland wants a border treaty signed at the talks.")
            if x.issue == "talks"]
    assert (p.actor, p.direction, p.target, p.position) == ("SUD", "towards", 100, 100)
    assert p.shift == 90 and p.quad == "verbal cooperation"
    (q,) = proposals(border, "Sudland refused to talk and threatened Nordland.")[:1]
    assert q.direction == "away from" and q.position < 10 and q.quad == "verbal conflict"
    (m,) = [x for x in proposals(border, "Nordland imposed sanctions to stop the railway.")
            if x.actor == "NOR"]
    assert m.quad.startswith("material")


def test_target_is_the_far_end_without_an_anchor_word(border: Scenario) -> None:
    issue = border.issue("railway")
    terms = IssueIndex(border.issues, border.actors).terms["railway"]
    assert target_of(issue, "They like trains.", terms, 0) == (100, "Railway built and operating")
    assert target_of(issue, "The railway was shelved.", terms, 50) == (0, "Railway shelved")


def test_whose_stance(border: Scenario) -> None:
    roles = {p.actor: (p.role, p.speech, p.attributed_to)
             for p in proposals(border, "Karl Ek said Nordland would join the talks.")}
    assert roles == {"SUD": ("reporter", "reported", "SUD"), "NOR": ("named", "reported", "SUD")}
    roles = {p.actor: (p.role, p.speech) for p in proposals(
        border, "Nordland and Sudland should hold talks, we say.", speaker="UN")}
    assert roles == {"UN": ("speaker", "quoted")}
    plain = proposals(border, "Nordland and Sudland will hold talks.")
    assert [(p.actor, p.role) for p in plain] == [("NOR", "subject"), ("SUD", "named")]
    assert plain[0].confidence > plain[1].confidence


def test_nothing_without_an_actor_or_an_issue(border: Scenario) -> None:
    assert proposals(border, "The talks went on for hours.") == []
    assert proposals(border, "Nordland had a fine summer.") == []
