"""The HTML report: sections for the Korea case, escaping, simulation parts, a DEU issue."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import detente
from detente.errors import InputError
from detente.io.document import scenario_from_document
from detente.report import TornadoInput, build_report
from detente.report.contract import (
    check_simulation,
    read_tornado,
    simulation_data,
    tornado_data,
)
from tests.helpers import EXAMPLES, ROOT
from tests.simulation_fixtures import fake_simulation, simulation_document, tornado_bars


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Elements:
    e = Elements()
    e.feed(html)
    return e


def section(html: str, ident: str) -> str:
    start = html.index(f'<section id="{ident}">')
    return html[start: html.index("</section>", start)]


def chart(html: str, ident: str) -> str:
    start = html.index(f'id="chart-{ident}"')
    return html[start: html.index("</figure>", start)]


def assert_self_contained(html: str) -> None:
    tags = parse(html).tags
    names = {t for t, _ in tags}
    assert "script" not in names and "link" not in names and "iframe" not in names
    for tag, attrs in tags:
        assert "src" not in attrs or tag in ("svg",), (tag, attrs)  # nothing is loaded
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert "@import" not in html
    # the only url() references are to clip paths within the page
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))


@pytest.fixture(scope="module")
def korea() -> detente.Scenario:
    return detente.load(EXAMPLES / "korea-2018.yaml")


@pytest.fixture(scope="module")
def korea_report(korea: detente.Scenario) -> str:
    return build_report(korea)


def test_korea_report_sections(korea_report: str) -> None:
    html = korea_report
    assert_self_contained(html)
    for ident in ("forecasts", "rounds", "alignment", "perceptions", "timeline", "inputs",
                  "sources", "models"):
        assert f'<section id="{ident}">' in html, ident
    for ident in ("forecasts", "rounds-1", "alignment-map", "distances", "perceptions",
                  "timeline"):
        assert "<svg" in chart(html, ident) and "<path" in chart(html, ident), ident
    # no simulation given: no distribution section
    assert 'id="simulation"' not in html and 'id="sensitivity"' not in html
    text = " ".join(parse(html).text)
    assert "Korean peninsula diplomacy" in text
    assert "New Year address" in text


def test_korea_timeline_has_the_three_snapshots(korea_report: str) -> None:
    tl = section(korea_report, "timeline")
    for when in ("2017-10-22 (Russian initiative)", "2017-11-19 (China–South Korea thaw)",
                 "2018-01-02 (New Year address)"):
        assert when in tl
    # the median forecast of South Korea's alignment moves from 30 to 40 in November
    row = re.search(r"<td>median</td>(.*?)</tr>", tl[tl.index("South Korea&#39;s alignment"):],
                    re.S)
    assert row is not None
    assert re.findall(r">([\d.]+)<", row.group(1)) == ["30.0", "40.0", "40.0"]


def test_korea_alignment_findings(korea_report: str) -> None:
    al = section(korea_report, "alignment")
    assert "China, Russia (0.14 apart)" in al  # the Eurasian bloc in January 2018
    assert "China, Russia (0.16 apart)" in al  # and in October 2017
    assert "United States, Japan (0.03 apart)" in al
    moves = al[al.index("Realignment"):]
    kor = re.search(r"<td>South Korea</td><td class=\"num\">([\d.]+)</td><td>(.*?)</td>"
                    r"<td>(.*?)</td>", moves)
    assert kor is not None
    assert float(kor.group(1)) > 0
    assert kor.group(2).startswith("China (0.21 → 0.18)")
    assert kor.group(3).startswith("United States (0.24 → 0.27)")


def test_korea_evidence_is_in_the_report(korea: detente.Scenario, korea_report: str) -> None:
    inputs = section(korea_report, "inputs")
    stance = korea.stances()[0]
    assert stance.evidence
    paraphrase = " ".join(stance.evidence[0].paraphrase.split())
    assert paraphrase.replace("'", "&#39;").replace('"', "&#34;")[:60] in " ".join(
        inputs.split())
    assert "judgement" in inputs


def hostile_scenario() -> detente.Scenario:
    doc = {
        "id": "x", "title": "Talks <b>bold</b> & co",
        "sources": [{"id": "s", "title": "<i>Source</i>", "url": "javascript:alert(1)"},
                    {"id": "t", "title": "Fine", "url": "https://example.org/a?b=1&c=2"}],
        "actors": [
            {"id": "evil", "name": "<script>alert(1)</script>", "capability": 2,
             "evidence": [{"source": "s", "paraphrase": "<img src=x onerror=alert(2)>"}]},
            {"id": "dollar", "name": "$x^2$ fund -->", "capability": 1},
            {"id": "q", "name": "\"quoted\" 'name'", "capability": 1},
        ],
        "issues": [{"id": "i", "name": "Issue </figure><svg onload=alert(3)>", "scale":
                    {"min": 0, "max": 10},
                    "anchors": {0: "<u>none</u>", 10: "all"},
                    "questions": [{"id": "q1", "text": "<b>yes?</b>", "threshold": 5}]}],
        "stances": [
            {"actor": "evil", "issue": "i", "position": 2, "salience": 0.5,
             "evidence": [{"basis": "judgement", "paraphrase": "</details><script>x</script>"}]},
            {"actor": "dollar", "issue": "i", "position": 8, "salience": 0.7},
            {"actor": "q", "issue": "i", "position": 5, "salience": 0.2},
        ],
    }
    return scenario_from_document(doc, default_salience_scale="0-1")


def test_user_text_is_escaped() -> None:
    html = build_report(hostile_scenario())
    assert_self_contained(html)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "<svg onload" not in html
    parsed = parse(html)
    hrefs = [a.get("href") for t, a in parsed.tags if t == "a"]
    assert "https://example.org/a?b=1&c=2" in hrefs
    assert not any(h and h.lower().startswith("javascript") for h in hrefs)
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text  # shown as text, in tables and in charts
    assert "$x^2$ fund -->" in text
    assert "Talks <b>bold</b> & co" in text
    assert "</details><script>x</script>" in text


@pytest.fixture(scope="module")
def simulated(korea: detente.Scenario) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    doc = simulation_document(fake_simulation(korea, draws=4000, seed=11))
    return doc, tornado_bars(korea, "alignment", "compromise")


def test_simulation_and_tornado_sections(
    korea: detente.Scenario, simulated: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    doc, bars = simulated
    assert bars and bars[0]["swing"] >= bars[-1]["swing"]
    html = build_report(korea, simulations=[json.loads(json.dumps(doc))],
                        tornado=[TornadoInput("compromise", "alignment", bars)])
    assert_self_contained(html)
    sim = section(html, "simulation")
    assert "4000 draws" in sim and "seed 11" in sim
    for ident in ("distributions", "questions", "tornado-1"):
        svg = chart(html, ident)
        assert "<svg" in svg and svg.count("<path") > 10, ident
    talks = next(i for i in doc["issues"] if i["id"] == "talks")
    p = talks["forecasts"]["eum"]["questions"]["direct_talks_held"]
    assert f"{p['p']:.3f}" in sim and f"{p['se']:.3f}" in sim
    lo, hi = talks["forecasts"]["median"]["interval"]
    assert f"{lo:.1f}–{hi:.1f}" in sim
    # the same document gives the timeline an interval at its date
    tl = section(html, "timeline")
    assert re.search(r"\[\d+\.\d–\d+\.\d\]", tl)
    sens = section(html, "sensitivity")
    assert "South Korea&#39;s alignment — compromise" in sens
    assert bars[0]["input"] in sens


def test_contract_checks_and_wiring(
    tmp_path: Path, simulated: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    doc, bars = simulated
    bad = json.loads(json.dumps(doc))
    del bad["issues"][0]["forecasts"]["median"]["histogram"]
    with pytest.raises(InputError, match=r"issues\[0\]\.forecasts\.median\.histogram"):
        check_simulation(bad)
    bad = json.loads(json.dumps(doc))
    bad["issues"][1]["forecasts"]["eum"]["histogram"]["counts"].pop()
    with pytest.raises(InputError, match="one longer"):
        check_simulation(bad)

    class Sim:
        def to_dict(self) -> dict[str, Any]:
            return doc

    assert simulation_data(Sim()) is doc
    from dataclasses import make_dataclass

    Bar = make_dataclass("Bar", [(k, Any) for k in bars[0]])
    assert tornado_data([Bar(**b) for b in bars]) == bars
    path = tmp_path / "t.json"
    path.write_text(json.dumps(bars))
    t = read_tornado(path, "eum", "talks")
    assert (t.model, t.issue, len(t.bars)) == ("eum", "talks", len(bars))
    path.write_text(json.dumps({"model": "median", "issue": "alignment", "bars": bars}))
    assert read_tornado(path, None, None).model == "median"
    path.write_text(json.dumps([{"input": "x"}]))
    with pytest.raises(InputError, match="missing 'actor'"):
        read_tornado(path, "eum", "talks")
    path.write_text(json.dumps(bars))
    with pytest.raises(InputError, match="which model and issue"):
        read_tornado(path, "eum", None)


def test_histograms_follow_the_draws(
    simulated: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    doc, _ = simulated
    fc = doc["issues"][0]["forecasts"]["median"]
    assert len(fc["histogram"]["edges"]) == 41 and sum(fc["histogram"]["counts"]) == 4000
    assert np.isclose(fc["histogram"]["edges"][0], doc["issues"][0]["scale"]["min"])


def test_issue_filter_and_unknown_issue(korea: detente.Scenario) -> None:
    html = build_report(korea, issues=["talks"], models=["median", "eum"], as_of="2017-11-19")
    assert "Direct inter-Korean talks" in html
    assert "Korean confederation" not in section(html, "forecasts")
    assert "2017-11-19" in html.split("<header>", 1)[1].split("</header>", 1)[0]
    with pytest.raises(InputError, match="unknown issue 'nope'"):
        build_report(korea, issues=["nope"])


@pytest.mark.shared
def test_report_for_one_deu_issue(shared: Path) -> None:
    sc = detente.load(shared / "data" / "deu3" / "deu3-dev.tsv")
    issue = sc.issues[0].id
    html = build_report(sc, issues=[issue])
    assert_self_contained(html)
    assert sc.issues[0].name in " ".join(parse(html).text)
    for ident in ("forecasts", "alignment-map", "distances", "perceptions"):
        assert "<svg" in chart(html, ident)
    assert 'id="timeline"' not in html  # one snapshot only
    assert "European Commission" in section(html, "inputs")


def test_report_is_deterministic(korea: detente.Scenario, korea_report: str) -> None:
    a = build_report(korea, issues=["talks"], models=["median"])
    b = build_report(korea, issues=["talks"], models=["median"])
    assert a == b
    ids = re.findall(r'<clipPath id="([^"]+)"', korea_report)
    assert len(ids) == len(set(ids))  # several SVGs share one page


def test_harbour_single_snapshot_simulation() -> None:
    sc = detente.load(ROOT / "tests" / "data" / "harbour.yaml").at(None)
    doc = simulation_document(fake_simulation(sc, draws=500))
    html = build_report(sc, simulations=[doc])
    assert 'id="simulation"' in html and 'id="timeline"' not in html
