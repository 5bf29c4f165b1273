"""Ratify: a reading's proposals as a new dated snapshot, marked ``basis: proposed``.

The new snapshot inherits everything before it and adds a stance only for an (actor, issue)
that has none in force: an analyst's numbers are never replaced. Each added stance carries
the quoted sentences it rests on as evidence with ``basis: proposed``, so ``detente validate``
lists it and ``detente forecast`` holds it back until the analyst changes the basis
(docs/decisions/news.md, NEWS-13). Articles that the scenario does not list become sources.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from detente.errors import InputError
from detente.news.reading import Proposal, Reading
from detente.scenario import Estimate, Evidence, Scenario, Snapshot, Source, Stance

#: Evidence entries kept per proposed stance (the most confident).
MAX_EVIDENCE = 5
#: Standard deviation of a proposed position, as a share of the issue's scale.
POSITION_SD = 0.15


@dataclass(frozen=True)
class Ratified:
    """The new scenario, and what was left out and why."""

    scenario: Scenario
    added: tuple[tuple[str, str], ...]
    kept_analyst: tuple[tuple[str, str], ...]
    below_confidence: int


def ratify(scenario: Scenario, reading: Reading, snapshot: dt.date, *,
           min_confidence: float = 0.3, file: str | None = None) -> Ratified:
    """``scenario`` with one more snapshot on ``snapshot`` holding the reading's proposals."""
    dates = [s.as_of for s in scenario.snapshots if s.as_of is not None]
    if dates and snapshot <= max(dates):
        raise InputError(
            f"the new snapshot's date {snapshot} is not after the scenario's latest snapshot "
            f"({max(dates)})", file=file, field="--snapshot",
            hint="choose a later date: snapshots are never changed")
    in_force = {(st.actor, st.issue) for st in scenario.stances()}
    sources = list(scenario.sources)
    source_of = _sources(reading, sources)
    by_pair: dict[tuple[str, str], list[Proposal]] = {}
    for p in reading.proposals:
        by_pair.setdefault((p.stance.actor, p.stance.issue), []).append(p)
    stances: list[Stance] = []
    added: list[tuple[str, str]] = []
    kept: list[tuple[str, str]] = []
    for summary in reading.summaries(min_confidence):
        pair = (summary.actor, summary.issue)
        if pair in in_force:
            kept.append(pair)
            continue
        issue = scenario.issue(summary.issue)
        chosen = sorted((p for p in by_pair[pair] if p.stance.confidence >= min_confidence),
                        key=lambda p: -p.stance.confidence)[:MAX_EVIDENCE]
        stances.append(Stance(
            actor=summary.actor, issue=summary.issue,
            position=Estimate(value=_clip(summary.position, issue.scale.min, issue.scale.max),
                              sd=round(POSITION_SD * issue.scale.span, 3)),
            salience=Estimate(value=summary.salience / 100, sd=0.15),
            evidence=tuple(_evidence(p, source_of) for p in chosen)))
        added.append(pair)
    low = sum(1 for p in reading.proposals if p.stance.confidence < min_confidence)
    note = (f"Proposed by reading {len(reading.articles)} article(s) "
            f"({', '.join(a.id for a in reading.articles)}); not ratified: every stance here "
            "rests on evidence with basis 'proposed'.")
    snap = Snapshot(as_of=snapshot, label="Proposed by a reading", note=note,
                    stances=tuple(stances))
    fields = {k: getattr(scenario, k) for k in type(scenario).model_fields}
    new = Scenario(**{**fields, "sources": tuple(sources),
                      "snapshots": (*scenario.snapshots, snap)})
    return Ratified(new, tuple(added), tuple(kept), low)


def _sources(reading: Reading, sources: list[Source]) -> dict[str, str]:
    """Source id of each article: an existing source whose note names the file, else a new
    source added to ``sources``."""
    ids = {s.id for s in sources}
    out: dict[str, str] = {}
    for a in reading.articles:
        known = next((s.id for s in sources if s.note and a.path.name in s.note), None)
        if known is None:
            sid = re.sub(r"[^\w.-]+", "-", a.id).strip("-") or "article"
            base, k = sid, 2
            while sid in ids:
                sid, k = f"{base}-{k}", k + 1
            ids.add(sid)
            sources.append(Source(id=sid, title=a.title or a.id, date=a.date,
                                  note=f"Read from {a.path.name} by detente read."))
            known = sid
        out[a.id] = known
    return out


def _evidence(p: Proposal, source_of: dict[str, str]) -> Evidence:
    s = p.stance
    lines = sorted({s.line, *(ln for a, ln in p.also_in if a == s.article)})
    locator = ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines))
    more = "".join(f"; repeated in {a}, line {ln}" for a, ln in p.also_in if a != s.article)
    return Evidence(
        basis="proposed", source=source_of[s.article], date=p.date,
        locator=locator,
        paraphrase=(f"\u201c{s.quote}\u201d ({s.speech}, {s.role}; {s.direction} "
                    f"{s.target:g}; {s.quad}; confidence {s.confidence:.2f}{more})"),
        about=("position", "salience"))


def _clip(x: float, lo: float, hi: float) -> float:
    return round(min(hi, max(lo, x)), 2)
