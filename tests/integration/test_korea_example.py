"""The worked Korea 2017–18 case: complete, evidenced, and loss-free through the YAML writer."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from detente.io import dumps, load
from detente.scenario import Evidence, Scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "korea-2018.yaml"
SHARED = ROOT.parent / "shared" / "corpus"

ACTORS = {"PRK", "KOR", "CHN", "RUS", "USA", "JPN"}
SNAPSHOT_DATES = [dt.date(2017, 10, 22), dt.date(2017, 11, 19), dt.date(2018, 1, 2)]
OUTCOME_DATE = dt.date(2018, 12, 31)
LINE_LOCATOR = re.compile(r"^lines? \d+(?:(?:, |-)\d+)*$")

# Sources read from the corpus, with the range of lines of the article copy that belongs to each
# (texts known only through quotation are cited by the lines of the article that quotes them).
ARTICLE_LINES = {
    "duran-2018-01-02": ("003_371d37bf6af7b3a5.txt", 1, 117),
    "duran-2017-11": ("000_9aee7ba26dfcec53.txt", 1, 27),
    "duran-2017-10-22": ("003_371d37bf6af7b3a5.txt", 43, 81),
    "duran-2017-11-19": ("003_371d37bf6af7b3a5.txt", 83, 109),
    "kim-2018-01-01": ("003_371d37bf6af7b3a5.txt", 9, 35),
    "putin-valdai-2017-10-19": ("003_371d37bf6af7b3a5.txt", 59, 69),
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load(EXAMPLE)


def all_evidence(sc: Scenario) -> Iterator[tuple[str, Evidence]]:
    """Every evidence entry in the file, with a label saying where it sits."""
    for a in sc.actors:
        for e in a.evidence:
            yield f"actor {a.id}", e
    for s in sc.issues:
        for e in s.status_quo_evidence:
            yield f"status quo of {s.id}", e
        if s.outcome is not None:
            for e in s.outcome.evidence:
                yield f"outcome of {s.id}", e
    for lv in sc.leverage:
        for e in lv.evidence:
            yield f"leverage {lv.source}->{lv.target}", e
    for snap in sc.snapshots:
        for st in snap.stances:
            for e in st.evidence:
                yield f"{snap.as_of} {st.actor}/{st.issue}", e


def covers(ev: Evidence, quantity: str) -> bool:
    return not ev.about or quantity in ev.about


def cited_lines(locator: str) -> list[int]:
    """Line numbers named by a locator such as 'line 85', 'lines 71, 77' or 'lines 43-47'."""
    out: list[int] = []
    for part in locator.removeprefix("lines ").removeprefix("line ").split(", "):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def test_file_declares_format_and_scale() -> None:
    head = EXAMPLE.read_text(encoding="utf-8").splitlines()[:2]
    assert head == ["detente: 1", "salience_scale: 0-100"]


def test_actors(scenario: Scenario) -> None:
    assert len(scenario.actors) == 6
    assert {a.id for a in scenario.actors} == ACTORS
    assert all(a.bloc for a in scenario.actors)
    blocs = {a.id: a.bloc for a in scenario.actors}
    assert blocs["CHN"] == blocs["RUS"]
    assert blocs["USA"] == blocs["JPN"]
    assert blocs["CHN"] != blocs["USA"]


def test_every_capability_has_evidence_and_a_range(scenario: Scenario) -> None:
    for a in scenario.actors:
        assert a.capability.uncertain, a.id
        assert any(covers(e, "capability") for e in a.evidence), a.id


def test_issues_have_scales_anchors_status_quo_and_outcomes(scenario: Scenario) -> None:
    assert len(scenario.issues) >= 7
    for s in scenario.issues:
        assert (s.scale.min, s.scale.max) == (0, 100), s.id
        assert len(s.anchors) >= 3, s.id
        assert {s.scale.min, s.scale.max} <= {a.value for a in s.anchors}, s.id
        assert s.status_quo is not None, s.id
        assert s.status_quo_evidence, s.id
        assert s.questions, s.id
        assert s.outcome is not None, s.id
        assert s.outcome.date == OUTCOME_DATE, s.id
        assert s.outcome.evidence, s.id
        assert any(e.basis == "source" for e in s.outcome.evidence), s.id
        for e in s.outcome.evidence:
            assert e.date is None or e.date <= OUTCOME_DATE, s.id


def test_known_outcomes_answer_the_questions(scenario: Scenario) -> None:
    answers = {
        (s.id, q.id): q.holds(s.outcome.value)
        for s in scenario.issues
        if s.outcome is not None
        for q in s.questions
    }
    assert answers[("talks", "direct_talks_held")] is True
    assert answers[("talks", "treaty_talks")] is False
    assert answers[("denuclearization", "testing_halted")] is True
    assert answers[("denuclearization", "verified_dismantlement")] is False
    assert answers[("sanctions", "un_sanctions_eased")] is False
    assert answers[("land_bridge", "construction_started")] is False
    assert answers[("alignment", "trilateral_alliance")] is False


def test_three_dated_snapshots(scenario: Scenario) -> None:
    assert [s.as_of for s in scenario.snapshots] == SNAPSHOT_DATES
    assert all(s.label for s in scenario.snapshots)
    assert scenario.snapshots[0].stances
    assert all(s.inherit for s in scenario.snapshots[1:])


def test_every_actor_has_a_stance_on_every_issue_in_every_snapshot(scenario: Scenario) -> None:
    expected = set(itertools.product(ACTORS, (s.id for s in scenario.issues)))
    for k, snap in enumerate(scenario.snapshots):
        stances = scenario.state(k).stances
        assert {(st.actor, st.issue) for st in stances} == expected, snap.as_of


def test_every_stance_number_is_uncertain_and_evidenced(scenario: Scenario) -> None:
    for snap in scenario.snapshots:
        for st in snap.stances:
            where = f"{snap.as_of} {st.actor}/{st.issue}"
            given = [q for q in ("position", "salience") if getattr(st, q) is not None]
            assert given, where
            for q in given:
                assert getattr(st, q).uncertain, f"{where}: {q}"
                assert any(covers(e, q) for e in st.evidence), f"{where}: no evidence for {q}"
    for k in range(len(scenario.snapshots)):
        for st in scenario.state(k).stances:  # inherited numbers keep their evidence
            for q in ("position", "salience"):
                assert any(covers(e, q) for e in st.evidence), f"{st.actor}/{st.issue}: {q}"


def test_stance_evidence_is_dated_within_its_snapshot(scenario: Scenario) -> None:
    previous: dt.date | None = None
    for snap in scenario.snapshots:
        assert snap.as_of is not None
        for st in snap.stances:
            where = f"{snap.as_of} {st.actor}/{st.issue}"
            dates = [e.date for e in st.evidence]
            assert all(d is not None and d <= snap.as_of for d in dates), where
            if previous is not None:
                # a change must rest on something learnt since the previous snapshot
                assert any(d is not None and d > previous for d in dates), where
        previous = snap.as_of


def test_source_evidence_names_a_known_source_and_a_locator(scenario: Scenario) -> None:
    known = {s.id for s in scenario.sources}
    for where, e in all_evidence(scenario):
        if e.basis == "source":
            assert e.source in known, where
            assert e.locator, where
        elif e.source is not None:
            assert e.source in known, where
        if e.source in ARTICLE_LINES and e.locator:
            assert LINE_LOCATOR.match(e.locator), f"{where}: locator {e.locator!r}"
            _, lo, hi = ARTICLE_LINES[e.source]
            for n in cited_lines(e.locator):
                assert lo <= n <= hi, f"{where}: {e.source} has no line {n}"


def test_judgement_entries_explain_themselves(scenario: Scenario) -> None:
    for where, e in all_evidence(scenario):
        if e.basis == "judgement":
            assert len(e.paraphrase) >= 40, where


def test_description_states_the_locator_convention(scenario: Scenario) -> None:
    assert scenario.description is not None
    text = scenario.description.lower()
    assert "line number" in text
    assert "judgement" in text


def test_division_of_labour_leverage(scenario: Scenario) -> None:
    weight = {(lv.source, lv.target): lv.weight for lv in scenario.leverage}
    assert weight[("CHN", "KOR")] > 1
    assert weight[("RUS", "PRK")] > 1
    for lv in scenario.leverage:
        assert lv.evidence, (lv.source, lv.target)
    arrays = scenario.arrays()
    i = {a: n for n, a in enumerate(arrays.actors)}
    assert arrays.leverage[i["CHN"], i["KOR"]] == weight[("CHN", "KOR")]


def test_arrays_have_no_missing_positions(scenario: Scenario) -> None:
    for day in SNAPSHOT_DATES:
        arrays = scenario.arrays(day)
        assert arrays.shape == (6, len(scenario.issues))
        assert arrays.present.all()
        assert not np.isnan(arrays.position).any()
        assert np.isfinite(arrays.status_quo).all()
        assert ((arrays.salience >= 0) & (arrays.salience <= 1)).all()


def test_later_snapshots_record_the_articles_changes(scenario: Scenario) -> None:
    def stance(day: dt.date, actor: str, issue: str) -> tuple[float, float]:
        st = next(s for s in scenario.stances(day) if (s.actor, s.issue) == (actor, issue))
        return st.position.value, st.salience.value

    oct_, nov, jan = SNAPSHOT_DATES
    # November: Seoul caps THAAD and rules out a trilateral alliance
    assert stance(nov, "KOR", "us_presence")[0] > stance(oct_, "KOR", "us_presence")[0]
    assert stance(nov, "KOR", "alignment")[0] > stance(oct_, "KOR", "alignment")[0]
    # January: Kim embraces direct talks
    assert stance(jan, "PRK", "talks")[0] >= 60 > stance(nov, "PRK", "talks")[0]
    assert stance(jan, "PRK", "talks")[1] > stance(nov, "PRK", "talks")[1]


def test_yaml_round_trip(scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "korea.yaml"
    path.write_text(dumps(scenario, "yaml"), encoding="utf-8")
    again = load(path)
    assert again == scenario


@pytest.mark.shared
def test_cited_lines_exist_and_paraphrases_are_our_own_words(scenario: Scenario) -> None:
    """Against the articles themselves (skipped where ../shared is absent)."""
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not available")
    texts = {
        name: (SHARED / name).read_text(encoding="utf-8").splitlines()
        for name in {f for f, _, _ in ARTICLE_LINES.values()}
    }
    for where, e in all_evidence(scenario):
        if e.source in ARTICLE_LINES and e.locator:
            name = ARTICLE_LINES[e.source][0]
            for n in cited_lines(e.locator):
                assert texts[name][n - 1].strip(), f"{where}: line {n} of {name} is empty"

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))

    n = 7  # no run of seven words may be shared with an article

    def grams(text: str) -> set[tuple[str, ...]]:
        w = words(text)
        return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}

    article = set().union(*(grams("\n".join(lines)) for lines in texts.values()))
    ours = [("description", scenario.description or "")]
    ours += [(where, e.paraphrase) for where, e in all_evidence(scenario)]
    for where, text in ours:
        shared = grams(text) & article
        assert not shared, f"{where} copies: {' '.join(next(iter(shared)))}"
