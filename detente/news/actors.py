"""Actors in the text: mentions resolved against a scenario, and proposals of new actors.

A mention is a scenario actor's id, name or alias found in a sentence (whole words; names
written in capitals, such as "US", match in capitals only, everything else in any case).
Names that spaCy (or the rules of the blank pipeline) finds and that match no actor exactly
are compared with every actor's names by rapidfuzz; what still matches nothing becomes a
proposal of a new actor (docs/decisions/news.md, NEWS-3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from detente.news.sentences import Sentence
from detente.scenario import Actor

#: Entity labels that can name an actor (spaCy's English labels; NAME from the rules).
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "NAME"})
#: rapidfuzz ``ratio`` (0–100) at or above which a name is taken as an actor's.
FUZZY_CUTOFF = 88.0
#: A name must be seen in this many sentences to be proposed as a new actor.
MIN_NEW_MENTIONS = 2


@dataclass(frozen=True)
class Mention:
    """A stretch of a sentence that names an actor."""

    actor: str
    text: str
    start: int
    end: int
    how: Literal["name", "alias", "fuzzy", "speaker", "pronoun"] = "name"
    person: bool = False


@dataclass
class NewActor:
    """A name that matches no actor of the scenario, seen in ``sentences``."""

    id: str
    name: str
    label: str
    variants: set[str] = field(default_factory=set)
    sentences: list[tuple[str, int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sentences)


def normal(name: str) -> str:
    """A name compared loosely: case, a leading "the", possessives and punctuation dropped."""
    n = name.replace("’", "'").strip().casefold()
    n = re.sub(r"'s?$", "", n)
    n = re.sub(r"^the\s+", "", n)
    return re.sub(r"[^\w\s-]", "", n).strip()


class ActorIndex:
    """Finds a scenario's actors in text by name and alias, and resolves other names."""

    def __init__(self, actors: Sequence[Actor]) -> None:
        self.actors = tuple(actors)
        self.names: dict[str, str] = {}  # normal(name) → actor id
        self._person: set[str] = set()
        exact: list[str] = []
        loose: list[str] = []
        for a in self.actors:
            people = [n for n in a.aliases if _looks_like_person(n)]
            surnames = {p.split()[-1] for p in people}
            for name in (a.id, a.name, *a.aliases):
                self.names.setdefault(normal(name), a.id)
                if name in people or name in surnames:
                    self._person.add(normal(name))
                (exact if name.isupper() or name == a.id else loose).append(name)
        self._owner = {n: aid for n, aid in self.names.items()}
        self._primaries = {a.id: {normal(a.id), normal(a.name)} for a in self.actors}
        any_case = set(loose) - set(exact)
        self._finders = [rx for rx in (_finder(any_case, re.IGNORECASE),
                                       _finder(set(exact) | (set(loose) - any_case), 0))
                         if rx is not None]

    def find(self, text: str) -> list[Mention]:
        """Every non-overlapping mention of an actor in ``text``, longer names first."""
        spans: list[tuple[int, int, str]] = []
        for rx in self._finders:  # one pass each: the longest name at every position
            spans.extend((m.start(1), m.end(1), m.group(1)) for m in rx.finditer(text))
        found: list[Mention] = []
        for s, e, name in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
            if any(s < x.end and x.start < e for x in found):
                continue
            key = normal(name)
            actor = self._owner.get(key)
            if actor is None:
                continue
            how: Literal["name", "alias"] = "name" if key in self._primary(actor) else "alias"
            found.append(Mention(actor, name, s, e, how, key in self._person))
        return sorted(found, key=lambda x: x.start)

    def _primary(self, actor_id: str) -> set[str]:
        return self._primaries[actor_id]

    def resolve(self, name: str) -> str | None:
        """The actor a name refers to: exact after normalising, else the closest by rapidfuzz
        at or above :data:`FUZZY_CUTOFF`, else None."""
        key = normal(name)
        if key in self.names:
            return self.names[key]
        if not self.names or len(key) < 4:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, list(self.names), scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        return None if best is None else self.names[best[0]]


def mentions_in(sentence: Sentence, index: ActorIndex) -> list[Mention]:
    """Mentions by name and alias, plus entity names that rapidfuzz resolves to an actor."""
    found = index.find(sentence.text)
    for ent in sentence.entities:
        if ent.label not in ACTOR_LABELS:
            continue
        s, e = ent.start - sentence.start, ent.end - sentence.start
        if any(s < m.end and m.start < e for m in found):
            continue
        actor = index.resolve(ent.text)
        if actor is not None:
            found.append(Mention(actor, ent.text, s, e, "fuzzy", ent.label == "PERSON"))
    return sorted(found, key=lambda m: m.start)


def new_actors(sentences: Iterable[Sentence], index: ActorIndex,
               min_mentions: int = MIN_NEW_MENTIONS) -> list[NewActor]:
    """Names seen in at least ``min_mentions`` sentences that match no actor, most seen first."""
    from rapidfuzz import fuzz
    from spacy.lang.en.stop_words import STOP_WORDS

    groups: dict[str, NewActor] = {}
    for sent in sentences:
        seen_here: set[str] = set()
        for ent in sent.entities:
            if ent.label not in ACTOR_LABELS:
                continue
            name = _trim(ent.text)
            key = normal(name)
            if (len(key) < 2 or key in STOP_WORDS or index.resolve(name) is not None
                    or key in seen_here):
                continue
            target = groups.get(key) or next(
                (g for k, g in groups.items() if fuzz.ratio(k, key) >= FUZZY_CUTOFF), None)
            if target is None:
                target = groups[key] = NewActor(_slug(name), name, ent.label)
            target.variants.add(name)
            target.sentences.append((sent.article, sent.line))
            seen_here.add(key)
    found = [g for g in groups.values() if g.count >= min_mentions]
    return sorted(found, key=lambda g: (-g.count, g.name))


def _trim(name: str) -> str:
    """A name without a leading article or trailing small words ("United States of")."""
    parts = name.replace("’", "'").split()
    while parts and parts[0].lower() in ("the", "a", "an"):
        parts = parts[1:]
    while parts and parts[-1].islower():
        parts = parts[:-1]
    text = " ".join(parts)
    return re.sub(r"'s$", "", text)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normal(name)).strip("_") or "actor"


def _looks_like_person(name: str) -> bool:
    """Two or more capitalised words that are not a country-like phrase ("Kim Jong-un")."""
    parts = name.split()
    return (len(parts) >= 2 and all(p[:1].isupper() for p in parts)
            and not any(p.lower() in ("republic", "people's", "federation", "united", "house",
                                      "north", "south", "the", "of") for p in parts))


def _finder(names: Iterable[str], flags: int) -> re.Pattern[str] | None:
    """A pattern whose zero-width matches capture, at every position where a name starts,
    the longest of ``names`` found there (whole words, a possessive allowed)."""
    uniq = sorted({n for n in names if n.strip()}, key=len, reverse=True)
    if not uniq:
        return None
    body = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]") for n in uniq)
    return re.compile(rf"(?<![\w-])(?=((?:{body})(?:['’]s)?)(?![\w-]))", flags)
