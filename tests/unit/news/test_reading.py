"""A whole reading: proposals with locators, evidence counted once, timeline, ratify."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.errors import InputError
from detente.evidence import proposed_entries, unratified_in_force
from detente.news import pipeline, read
from detente.news.ratify import ratify
from detente.news.reading import Reading
from detente.scenario import Scenario

PAIRS = Path(__file__).resolve().parents[2] / "data" / "news" / "pairs"

FIRST = (PAIRS / "a-first.txt").read_text(encoding="utf-8")
SECOND = (PAIRS / "b-second.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["rules", "model"])
def nlp(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if request.param == "model" and not pipeline.model_available():
        pytest.skip("the English model is not installed")
    return pipeline.load(request.param)


def articles(tmp_path: Path) -> list[Path]:
    (tmp_path / "a-first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b-second.txt").write_text(SECOND, encoding="utf-8")
    return [tmp_path / "a-first.txt", tmp_path / "b-second.txt"]


def reading(tmp_path: Path, border: Scenario, nlp) -> Reading:  # type: ignore[no-untyped-def]
    return read(articles(tmp_path), border, nlp=nlp, date=dt.date(2020, 5, 1))


def test_proposals_keep_their_sentence_and_line(tmp_path: Path, border: Scenario,
                                                nlp) -> None:  # type: ignore[no-untyped-def]
    r = reading(tmp_path, border, nlp)
    talks = [p for p in r.proposals if (p.stance.actor, p.stance.issue) == ("NOR", "talks")
             and p.stance.article == "a-first"]
    assert talks and talks[0].stance.line == 2
    assert talks[0].stance.quote.startswith("President Anna Berg said")
    assert talks[0].stance.speech == "reported" and talks[0].stance.role == "reporter"
    assert talks[0].date == dt.date(2020, 5, 1)
    rail = [p.stance for p in r.proposals if (p.stance.actor, p.stance.issue)
            == ("SUD", "railway")]
    assert rail and all(s.direction == "away from" for s in rail)
    assert {s.line for s in rail} == {4}


def test_a_rewrite_counts_its_evidence_once(tmp_path: Path, border: Scenario,
                                            nlp) -> None:  # type: ignore[no-untyped-def]
    r = reading(tmp_path, border, nlp)
    (rw,) = r.rewrites
    assert (rw.rewrite, rw.original) == ("b-second", "a-first")
    assert rw.line_map == {2: [4], 4: [2]}
    rail = [p for p in r.proposals if (p.stance.actor, p.stance.issue) == ("SUD", "railway")]
    assert all(p.stance.article == "a-first" for p in rail)
    assert any(("b-second", 2) in p.also_in for p in rail)
    assert any(p.stance.article == "b-second" for p in r.repeated)
    summary = {(s.actor, s.issue): s for s in r.summaries()}[("SUD", "railway")]
    assert summary.lines == (("a-first", 4),)
    doc = r.to_document()
    assert doc["rewrites"][0]["line_map"] == {"2": [4], "4": [2]}
    assert doc["repeated_in_rewrites"]


def test_timeline_orders_by_date(tmp_path: Path, border: Scenario, nlp) -> None:  # type: ignore[no-untyped-def]
    paths = articles(tmp_path)
    early = read(paths[:1], border, nlp=nlp, date=dt.date(2020, 5, 1))
    late = read(paths[1:], border, nlp=nlp, date=dt.date(2020, 4, 1))
    both = Reading(articles=early.articles + late.articles, sentences=0,
                   proposals=early.proposals + late.proposals, repeated=(), new_actors=(),
                   rewrites=(), pipeline="rules")
    line = both.timeline()[("SUD", "railway")]
    assert [p.date for p in line] == sorted(p.date for p in line if p.date)
    assert line[0].stance.article == "b-second"


def test_as_of_leaves_out_later_articles(tmp_path: Path, border: Scenario, nlp) -> None:  # type: ignore[no-untyped-def]
    paths = articles(tmp_path)
    r = read(paths, border, nlp=nlp, date=dt.date(2020, 5, 1), as_of=dt.date(2020, 4, 1))
    assert r.articles == () and "left out" in r.notes[0]


def test_ratify_adds_a_proposed_snapshot_and_keeps_the_analysts_numbers(
        tmp_path: Path, border: Scenario, nlp) -> None:  # type: ignore[no-untyped-def]
    r = reading(tmp_path, border, nlp)
    done = ratify(border, r, dt.date(2020, 6, 1), min_confidence=0.0)
    new = done.scenario
    assert len(new.snapshots) == len(border.snapshots) + 1
    assert new.snapshots[:-1] == border.snapshots
    assert ("NOR", "talks") in done.kept_analyst
    assert new.stances()[0] == border.stances()[0]  # the analyst's stance, unchanged
    added = new.snapshots[-1].stances
    assert added and all(e.basis == "proposed" for st in added for e in st.evidence)
    assert {s.id for s in new.sources} >= {"a-first", "b-second"}
    assert all(e.locator and e.locator.startswith("line") for st in added for e in st.evidence)
    assert len(proposed_entries(new)) == len(added)
    assert unratified_in_force(new) and not unratified_in_force(border)
    with pytest.raises(InputError, match="not after the scenario's latest snapshot"):
        ratify(new, r, dt.date(2020, 6, 1))


def test_without_a_scenario_only_new_actors(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    r = read(articles(tmp_path), None, nlp=nlp)
    assert r.proposals == ()
    names = {n.name for n in r.new_actors}
    assert {"Sudland", "Karl Ek"} <= names


def test_an_html_article_keeps_the_text_its_lines_cite(tmp_path: Path, border: Scenario,
                                                       nlp) -> None:  # type: ignore[no-untyped-def]
    body = "".join(f"<p>{ln}</p>" for ln in FIRST.splitlines() if ln.strip())
    (tmp_path / "page.html").write_text(
        f"<html><head><title>Talks</title></head><body><article>{body}</article></body></html>",
        encoding="utf-8")
    r = read([tmp_path / "page.html"], border, nlp=nlp)
    (art,) = r.to_document()["articles"]
    assert art["kind"] == "html" and r.proposals
    for p in r.proposals:
        assert p.stance.quote in art["text"][p.stance.line - 1]
