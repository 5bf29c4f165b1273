"""Actors in the text: names and aliases, fuzzy resolution, proposals of new actors."""

from __future__ import annotations

from detente.news.actors import ActorIndex, new_actors
from detente.news.sentences import Entity, Sentence
from detente.scenario import Scenario


def test_names_and_aliases(border: Scenario) -> None:
    ix = ActorIndex(border.actors)
    found = ix.find("Nordstad and the Nordish told Sudland's envoy that the UN, not the un, "
                    "would help; Anna Berg agreed.")
    assert [(m.actor, m.text) for m in found] == [
        ("NOR", "Nordstad"), ("NOR", "the Nordish"), ("SUD", "Sudland's"), ("UN", "UN"),
        ("NOR", "Anna Berg")]
    assert found[-1].person and not found[0].person


def test_longer_names_win_and_words_stay_whole(border: Scenario) -> None:
    ix = ActorIndex(border.actors)
    found = ix.find("President Anna Berg met Sudishmen and Karl Eklund.")
    assert [(m.actor, m.text) for m in found] == [("NOR", "President Anna Berg")]


def test_fuzzy_resolution(border: Scenario) -> None:
    ix = ActorIndex(border.actors)
    assert ix.resolve("Prime Minister Karl Eck") == "SUD"
    assert ix.resolve("the United Nation") == "UN"
    assert ix.resolve("Westland") is None


def test_new_actors_need_two_sentences(border: Scenario) -> None:
    ix = ActorIndex(border.actors)

    def sent(k: int, text: str, *names: tuple[str, str]) -> Sentence:
        ents = tuple(Entity(n, label, text.index(n), text.index(n) + len(n))
                     for n, label in names)
        return Sentence("a", k, 0, text, 0, len(text), ents)

    sents = [
        sent(1, "The Ostland Council met Nordland.", ("Ostland Council", "ORG"),
             ("Nordland", "GPE")),
        sent(2, "Later the Ostland Council's chair spoke.", ("the Ostland Council's", "ORG")),
        sent(3, "Westland said nothing.", ("Westland", "GPE")),
    ]
    found = new_actors(sents, ix)
    assert [(n.name, n.count, n.id) for n in found] == [("Ostland Council", 2,
                                                         "ostland_council")]
    assert found[0].sentences == [("a", 1), ("a", 2)]
