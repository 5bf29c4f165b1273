"""Quotations: blocks between an introduction and a closing mark, first-person paragraphs."""

from __future__ import annotations

from pathlib import Path

from detente.news.actors import ActorIndex
from detente.news.articles import Article
from detente.news.attribution import speaker_mentions, speakers
from detente.scenario import Scenario


def article(*lines: str) -> Article:
    return Article(Path("a.txt"), "a", tuple(lines))


def test_a_marked_block_is_the_speakers(border: Scenario) -> None:
    art = article("President Anna Berg gave her address on Monday.", "",
                  "Her words deserve quoting at length;", "We want talks.", "",
                  "Our people are ready.", "(emphasis added)", "Sudland was silent.")
    assert speakers(art, ActorIndex(border.actors)) == {4: "NOR", 6: "NOR"}


def test_first_person_after_a_speech_word(border: Scenario) -> None:
    art = article("Karl Ek said at the summit:", "We will build the railway.",
                  "Our trains will run.", "The author thinks we should wait.")
    assert speakers(art, ActorIndex(border.actors)) == {2: "SUD", 3: "SUD", 4: "SUD"}
    plain = article("The weather in Sudland.", "We will build the railway.")
    assert speakers(plain, ActorIndex(border.actors)) == {}


def test_speaker_mentions_are_first_person_plural_only() -> None:
    got = speaker_mentions("We told the US that our plan suits us.", "NOR")
    assert [m.text for m in got] == ["We", "our", "us"]
