"""A reading of a set of articles: proposals tied to their sentences, new actors, rewrites.

:func:`read` runs the whole chain: load the articles, split them (one spaCy pass over every
paragraph, batched), find actors and issues in each sentence, propose stances, align the
articles' sentences to find rewrites, and count evidence that a rewrite repeats only once.
Nothing in a reading decides for the analyst: :mod:`detente.news.ratify` writes proposals
into a new snapshot marked ``basis: proposed``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.news.actors import ActorIndex, Mention, NewActor, mentions_in, new_actors
from detente.news.articles import MAX_BYTES, Article, load_articles
from detente.news.attribution import speaker_mentions, speakers
from detente.news.issues import IssueIndex
from detente.news.rewrites import Rewrite, rewrites
from detente.news.sentences import Sentence, segment
from detente.news.stances import StanceProposal, propose

if TYPE_CHECKING:
    from spacy.language import Language

    from detente.scenario import Scenario


#: Third-person pronouns that let a sentence without a name take the previous sentence's actors.
_PRONOUN = re.compile(r"\b(they|them|their|it|its|he|his|she|her)\b", re.I)


@dataclass(frozen=True)
class Proposal:
    """A stance proposal counted once, with the places a rewrite repeats it."""

    stance: StanceProposal
    date: dt.date | None
    also_in: tuple[tuple[str, int], ...] = ()

    @property
    def where(self) -> str:
        return f"{self.stance.article}: {self.stance.locator}"


@dataclass(frozen=True)
class Summary:
    """All proposals for one (actor, issue): what they suggest together."""

    actor: str
    issue: str
    n: int
    lines: tuple[tuple[str, int], ...]
    position: float
    direction: str
    confidence: float
    salience_signal: float
    salience: float
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True)
class Reading:
    """What :func:`read` found."""

    articles: tuple[Article, ...]
    sentences: int
    proposals: tuple[Proposal, ...]
    repeated: tuple[Proposal, ...]
    new_actors: tuple[NewActor, ...]
    rewrites: tuple[Rewrite, ...]
    pipeline: str
    scenario: str | None = None
    as_of: dt.date | None = None
    notes: tuple[str, ...] = field(default=())

    def summaries(self, min_confidence: float = 0.0) -> list[Summary]:
        """One summary per (actor, issue), most evidence first."""
        groups: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
        mentions: Counter[str] = Counter()
        seen: set[tuple[str, tuple[str, int, int]]] = set()
        for p in self.proposals:
            if (p.stance.actor, p.stance.key) not in seen:
                mentions[p.stance.actor] += 1
                seen.add((p.stance.actor, p.stance.key))
            if p.stance.confidence >= min_confidence:
                groups[(p.stance.actor, p.stance.issue)].append(p)
        shares = {k: len(v) / max(1, mentions[k[0]]) for k, v in groups.items()}
        top: dict[str, float] = defaultdict(float)
        for (actor, _), s in shares.items():
            top[actor] = max(top[actor], s)
        out = []
        for (actor, issue), ps in groups.items():
            w = [p.stance.confidence for p in ps]
            total = sum(w) or 1.0
            position = sum(p.stance.position * c for p, c in zip(ps, w, strict=True)) / total
            towards = sum(c for p, c in zip(ps, w, strict=True) if p.stance.polarity >= 0)
            prominent = sum(p.stance.role in ("speaker", "reporter", "subject")
                            or p.stance.line <= 2 for p in ps) / len(ps)
            signal = shares[(actor, issue)] / top[actor] * (0.5 + 0.5 * prominent)
            dates = [p.date for p in ps if p.date is not None]
            out.append(Summary(
                actor, issue, len(ps),
                tuple(sorted({(p.stance.article, p.stance.line) for p in ps})),
                round(position, 1),
                "towards" if towards >= total / 2 else "away from",
                round(max(w), 3), round(signal, 3), round(20 + 60 * signal),
                min(dates) if dates else None, max(dates) if dates else None))
        return sorted(out, key=lambda s: (-s.n, s.actor, s.issue))

    def timeline(self) -> dict[tuple[str, str], list[Proposal]]:
        """Per (actor, issue), the proposals in date order (undated last)."""
        out: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
        for p in self.proposals:
            out[(p.stance.actor, p.stance.issue)].append(p)
        for ps in out.values():
            ps.sort(key=lambda p: (p.date is None, p.date or dt.date.min, p.stance.key))
        return dict(out)

    def to_document(self) -> dict[str, Any]:
        """The reading as plain data (for YAML or JSON)."""
        return {
            "reading": {
                "scenario": self.scenario,
                "as_of": None if self.as_of is None else str(self.as_of),
                "pipeline": self.pipeline,
                "sentences": self.sentences,
                "notes": list(self.notes),
            },
            "articles": [{
                "id": a.id, "file": str(a.path), "kind": a.kind, "title": a.title,
                "date": None if a.date is None else str(a.date), "date_from": a.date_source,
                "lines": len(a.lines), "paragraphs": len(a.paragraphs),
                **({"notes": list(a.notes)} if a.notes else {}),
                # an HTML article is cited by the lines of its extracted text: keep them
                **({"text": list(a.lines)} if a.kind == "html" else {}),
            } for a in self.articles],
            "rewrites": [{
                "rewrite": r.rewrite, "original": r.original, "kind": r.kind,
                "lines_aligned": len(r.line_map), "lines": r.total,
                "line_map": {str(k): v for k, v in sorted(r.line_map.items())},
                "original_by": r.decided_by, "summary": r.describe(),
            } for r in self.rewrites],
            "summaries": [{
                "actor": s.actor, "issue": s.issue, "proposals": s.n,
                "lines": [f"{a}: line {ln}" for a, ln in s.lines],
                "position": s.position, "direction": s.direction,
                "confidence": s.confidence, "salience_signal": s.salience_signal,
                "salience": s.salience,
                "first": None if s.first is None else str(s.first),
                "last": None if s.last is None else str(s.last),
            } for s in self.summaries()],
            "timeline": [{
                "actor": actor, "issue": issue,
                "proposals": [{"date": None if p.date is None else str(p.date),
                               "where": p.where, "position": p.stance.position,
                               "direction": p.stance.direction,
                               "confidence": p.stance.confidence} for p in ps],
            } for (actor, issue), ps in sorted(self.timeline().items())],
            "proposals": [_proposal_doc(p) for p in self.proposals],
            "repeated_in_rewrites": [_proposal_doc(p) for p in self.repeated],
            "new_actors": [{
                "id": n.id, "name": n.name, "label": n.label, "mentions": n.count,
                "variants": sorted(n.variants),
                "first_seen": f"{n.sentences[0][0]}: line {n.sentences[0][1]}",
            } for n in self.new_actors],
        }


def _proposal_doc(p: Proposal) -> dict[str, Any]:
    s = p.stance
    return {
        "actor": s.actor, "issue": s.issue, "source": s.article, "locator": s.locator,
        "date": None if p.date is None else str(p.date), "quote": s.quote,
        "direction": f"{s.direction} {s.target:g}" + (f" ({s.target_label})"
                                                       if s.target_label else ""),
        "position": s.position, "shift": s.shift, "confidence": s.confidence,
        "quad": s.quad, "events": list(s.events), "speech": s.speech, "role": s.role,
        "attributed_to": s.attributed_to, "negated": s.negated, "hedged": s.hedged,
        "issue_terms": list(s.terms),
        **({"also_in": [f"{a}: line {ln}" for a, ln in p.also_in]} if p.also_in else {}),
    }


def read(paths: Sequence[Path | str] | Path | str, scenario: Scenario | None = None, *,
         date: dt.date | None = None, as_of: dt.date | None = None,
         nlp: Language | None = None, max_bytes: int = MAX_BYTES,
         n_process: int = 1) -> Reading:
    """Read articles (files or folders) against ``scenario`` (None: new actors only)."""
    from detente.news import pipeline

    if isinstance(paths, str | Path):
        paths = [paths]
    articles = load_articles(paths, date=date, max_bytes=max_bytes)
    notes: list[str] = []
    if as_of is not None:
        later = [a.id for a in articles if a.date is not None and a.date > as_of]
        if later:
            notes.append(f"left out, dated after {as_of}: {', '.join(later)}")
        articles = [a for a in articles if a.date is None or a.date <= as_of]
    nlp = nlp or pipeline.load()
    sentences = segment(articles, nlp, n_process=n_process)
    actors = scenario.actors if scenario is not None else ()
    index = ActorIndex(actors)
    proposals: list[StanceProposal] = []
    if scenario is not None:
        proposals = _propose_all(articles, sentences, scenario, index, as_of)
    found = rewrites(articles, sentences)
    dates = {a.id: a.date for a in articles}
    kept, repeated = _count_once(proposals, found, sentences, dates)
    return Reading(
        articles=tuple(articles), sentences=len(sentences), proposals=tuple(kept),
        repeated=tuple(repeated), new_actors=tuple(new_actors(sentences, index)),
        rewrites=tuple(found), pipeline="model" if pipeline.uses_model(nlp) else "rules",
        scenario=None if scenario is None else scenario.id, as_of=as_of, notes=tuple(notes))


def _propose_all(articles: Sequence[Article], sentences: Sequence[Sentence],
                 scenario: Scenario, index: ActorIndex,
                 as_of: dt.date | None) -> list[StanceProposal]:
    issues = IssueIndex(scenario.issues, scenario.actors)
    by_id = {i.id: i for i in scenario.issues}
    try:
        snap = scenario.snapshot_index(as_of)
        sq = dict(scenario.state(snap).status_quo)
    except KeyError:
        sq = {i.id: i.status_quo for i in scenario.issues}
    quoted = {a.id: speakers(a, index) for a in articles}
    out: list[StanceProposal] = []
    previous: tuple[tuple[str, int], list[Mention]] | None = None
    for s in sentences:
        speaker = quoted[s.article].get(s.line)
        found = mentions_in(s, index)
        if speaker is not None:
            found = sorted([*found, *speaker_mentions(s.text, speaker)], key=lambda m: m.start)
        if not found and previous is not None and previous[0] == (s.article, s.line) \
                and _PRONOUN.search(s.text):
            # "They include building a railway": the actors of the sentence before
            found = [dataclasses.replace(m, how="pronoun") for m in previous[1]]
        if found:
            previous = ((s.article, s.line), found)
        matches = issues.match(s.text, tokens=s.words)
        if matches:
            out.extend(propose(s, found, matches, by_id, issues.terms, sq, speaker))
    return out


def _count_once(proposals: Sequence[StanceProposal], found: Sequence[Rewrite],
                sentences: Sequence[Sentence], dates: dict[str, dt.date | None]
                ) -> tuple[list[Proposal], list[Proposal]]:
    """Proposals of a rewrite's line that its original's aligned line also makes, for the
    same actor and issue, are counted once: with the original, the rewrite's line in
    ``also_in``."""
    original_of: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for r in found:
        for m in r.lines:
            original_of[(r.rewrite, m.line)].append((r.original, m.original_line))
    by_place: dict[tuple[str, str, str, int], StanceProposal] = {}
    for p in proposals:
        by_place.setdefault((p.actor, p.issue, p.article, p.line), p)
    also: dict[tuple[str, int, int, str, str], list[tuple[str, int]]] = defaultdict(list)
    kept: list[StanceProposal] = []
    repeated: list[StanceProposal] = []
    for p in proposals:
        twin = next((by_place[(p.actor, p.issue, a, ln)]
                     for a, ln in original_of.get((p.article, p.line), [])
                     if (p.actor, p.issue, a, ln) in by_place), None)
        if twin is None:
            kept.append(p)
        else:
            repeated.append(p)
            key = (*twin.key, twin.actor, twin.issue)
            if (p.article, p.line) not in also[key]:
                also[key].append((p.article, p.line))
    return (
        [Proposal(p, dates.get(p.article), tuple(also.get((*p.key, p.actor, p.issue), ())))
         for p in kept],
        [Proposal(p, dates.get(p.article)) for p in repeated],
    )

