"""How a reading compares with an analyst's hand coding of the same articles.

The reference is every line a scenario's stances cite as evidence (any basis, every
snapshot) in a source that is one of the articles read. A source is tied to an article when
its ``note`` names the article's file, or when it names another source so tied (a text known
only through its quotation in an article is cited by that article's lines). Scores
(docs/decisions/news.md, NEWS-14):

- **recall**: the share of cited (actor, issue, article, line) that some proposal for the same
  actor and issue covers (its own line, or a line of a rewrite that repeats it);
- **precision**: the share of proposals (one per actor, issue and line, repeats in rewrites
  folded in) that a line cited for the same actor and issue supports;
- **direction agreement**: for proposals on cited lines, how often the sign of the proposed
  shift from the status quo equals the sign of the hand-coded position's, at the snapshot that
  cites the line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from detente.news.articles import Article
from detente.news.reading import Reading
from detente.scenario import Scenario

Key = tuple[str, str]  # (actor, issue)
Place = tuple[str, int]  # (article, line)


@dataclass(frozen=True)
class Score:
    """Recall, precision and direction agreement, with their counts."""

    cited: int
    found: int
    proposals: int
    supported: int
    directions: int
    agreeing: int
    per_pair: dict[Key, tuple[int, int]]

    @property
    def recall(self) -> float:
        return self.found / self.cited if self.cited else 0.0

    @property
    def precision(self) -> float:
        return self.supported / self.proposals if self.proposals else 0.0

    @property
    def agreement(self) -> float:
        return self.agreeing / self.directions if self.directions else 0.0


def article_sources(scenario: Scenario, articles: Iterable[Article]) -> dict[str, str]:
    """Source id → article id, from the sources' notes (directly or through a quotation)."""
    arts = list(articles)
    out: dict[str, str] = {}
    for s in scenario.sources:
        for a in arts:
            if s.note and a.path.name in s.note:
                out[s.id] = a.id
    changed = True
    while changed:
        changed = False
        for s in scenario.sources:
            if s.id in out or not s.note:
                continue
            via = next((out[o] for o in out if re.search(rf"\b{re.escape(o)}\b", s.note)), None)
            if via is not None:
                out[s.id] = via
                changed = True
    return out


def cited_lines(scenario: Scenario, sources: dict[str, str]
                ) -> tuple[dict[Key, set[Place]], dict[tuple[str, str, str, int], int]]:
    """Per (actor, issue), the lines its stances cite; and the sign of the hand-coded
    position against the status quo at the snapshot citing each."""
    cited: dict[Key, set[Place]] = defaultdict(set)
    sign: dict[tuple[str, str, str, int], int] = {}
    for i, snap in enumerate(scenario.snapshots):
        state = {(st.actor, st.issue): st for st in scenario.state(i).stances}
        for st in snap.stances:
            full = state[(st.actor, st.issue)]
            sq = scenario.state(i).status_quo.get(st.issue)
            for e in st.evidence:
                if e.source not in sources or not e.locator:
                    continue
                for n in map(int, re.findall(r"\d+", e.locator)):
                    place = (sources[e.source], n)
                    cited[(st.actor, st.issue)].add(place)
                    if full.position is not None and sq is not None:
                        d = full.position.value - sq
                        sign[(st.actor, st.issue, *place)] = (d > 0) - (d < 0)
    return dict(cited), sign


def without_stances(scenario: Scenario) -> Scenario:
    """The scenario's actors, issues and sources with no stance at all (for a blind read).

    Built without validation on purpose: a scenario needs stances to be valid, a reading
    needs only actors and issues."""
    from detente.scenario import Snapshot

    first = scenario.snapshots[0].as_of
    return scenario.model_copy(update={"snapshots": (Snapshot(as_of=first),)})


def score(reading: Reading, cited: dict[Key, set[Place]],
          sign: dict[tuple[str, str, str, int], int], min_confidence: float = 0.0) -> Score:
    """Recall, precision and direction agreement of ``reading`` against ``cited``."""
    proposed: dict[Key, dict[frozenset[Place], list[float]]] = defaultdict(dict)
    for p in reading.proposals:
        s = p.stance
        if s.confidence < min_confidence:
            continue
        places = frozenset({(s.article, s.line), *p.also_in})
        proposed[(s.actor, s.issue)].setdefault(places, []).append(s.shift)
    gt = [(k, pl) for k, pls in cited.items() for pl in pls]
    found = [(k, pl) for k, pl in gt if any(pl in ps for ps in proposed.get(k, {}))]
    n = sum(len(v) for v in proposed.values())
    supported = sum(1 for k, v in proposed.items() for ps in v if ps & cited.get(k, set()))
    directions = agreeing = 0
    for k, pl in found:
        want = sign.get((*k, *pl))
        if want is None:
            continue
        for ps, shifts in proposed[k].items():
            if pl in ps:
                for d in shifts:
                    directions += 1
                    agreeing += ((d > 0) - (d < 0)) == want
    per_pair = {k: (sum(1 for kk, _ in found if kk == k), len(v)) for k, v in cited.items()}
    return Score(len(gt), len(found), n, supported, directions, agreeing, per_pair)


def evaluate(scenario: Scenario, paths: Iterable[str | Path],
             thresholds: Iterable[float] = (0.0, 0.3)) -> tuple[Reading, list[Score]]:
    """Read ``paths`` against ``scenario`` stripped of its stances; score at each threshold."""
    from detente.news.reading import read

    reading = read(list(paths), without_stances(scenario))
    cited, sign = cited_lines(scenario, article_sources(scenario, reading.articles))
    return reading, [score(reading, cited, sign, t) for t in thresholds]
