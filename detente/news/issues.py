"""Which issues a sentence is about: a documented score from names, anchors and keywords.

Each issue gets a vocabulary of terms with weights: its ``keywords`` (weight 1.0, phrases
matched as word sequences), the content words of its name (0.6) and of its anchor labels
(0.3). Words that name an actor (the scenario's names and aliases) and English function
words are left out. A term shared by several issues is weighted in each by its share of the
term's total weight (a keyword of one issue that is an anchor word of another stays mostly
with the first). A sentence's score for an issue is the sum of the weights of the distinct
terms it contains; it is about the issue when the score reaches :data:`THRESHOLD`
(docs/decisions/news.md, NEWS-5).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from detente.news.sentences import words
from detente.scenario import Actor, Issue

KEYWORD_WEIGHT = 1.0
NAME_WEIGHT = 0.6
ANCHOR_WEIGHT = 0.3
#: Score at which a sentence is taken to be about an issue.
THRESHOLD = 0.75

#: Words too general to mark an issue even when an issue's name uses them.
GENERIC = frozenset({
    "issue", "issues", "question", "questions", "policy", "matter", "matters", "plan", "plans",
    "case", "level", "way", "part", "kind", "form", "full", "fully", "new", "large", "small",
    "some", "most", "more", "less", "other", "two", "one", "only", "place", "still", "without",
})


@dataclass(frozen=True)
class IssueMatch:
    """An issue a sentence is about, with its score and the terms that matched."""

    issue: str
    score: float
    terms: tuple[str, ...]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem: plural and -ing endings ("sanctions", "talking" → "talk")."""
    if len(word) <= 3 or word.endswith("ss"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if word.endswith("ing") and len(word) >= 7:
        return word[:-3]
    if word.endswith("s") and not word.endswith(("us", "is")):
        return word[:-1]
    return word


def _key(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


class IssueIndex:
    """The weighted vocabulary of a scenario's issues, and the score of a sentence."""

    def __init__(self, issues: Sequence[Issue], actors: Sequence[Actor] = ()) -> None:
        from spacy.lang.en.stop_words import STOP_WORDS

        named = {stem(w) for a in actors for n in (a.id, a.name, *a.aliases) for w in words(n)}
        skip = {stem(w) for w in STOP_WORDS} | named | {stem(w) for w in GENERIC}
        raw: dict[str, dict[tuple[str, ...], float]] = {}
        for issue in issues:
            terms: dict[tuple[str, ...], float] = {}

            def add(term: tuple[str, ...], weight: float, terms: dict[tuple[str, ...], float]
                    = terms) -> None:
                if term and weight > terms.get(term, 0.0):
                    terms[term] = weight

            for kw in issue.keywords:
                add(_key(kw), KEYWORD_WEIGHT)
            for w in _key(issue.name):
                if w not in skip and len(w) > 2:
                    add((w,), NAME_WEIGHT)
            for anchor in issue.anchors:
                for w in _key(anchor.label):
                    if w not in skip and len(w) > 2:
                        add((w,), ANCHOR_WEIGHT)
            raw[issue.id] = terms
        total: dict[tuple[str, ...], float] = defaultdict(float)
        for terms in raw.values():
            for t, weight in terms.items():
                total[t] += weight
        self.terms = {iid: {t: x * x / total[t] for t, x in terms.items()}
                      for iid, terms in raw.items()}
        self._longest = max((len(t) for ts in self.terms.values() for t in ts), default=1)

    def match(self, text: str, threshold: float = THRESHOLD,
              tokens: Sequence[str] | None = None) -> list[IssueMatch]:
        """The issues ``text`` (already split into ``tokens``, if given) is about, best
        first."""
        toks = _key(text) if tokens is None else tuple(stem(w) for w in tokens)
        grams: set[tuple[str, ...]] = set()
        for n in range(1, self._longest + 1):
            grams.update(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))
        out = []
        for iid, terms in self.terms.items():
            hit = [t for t in terms if t in grams]
            # a phrase that matched makes its own words redundant
            hit = [t for t in hit if not any(len(o) > len(t) and _inside(t, o) for o in hit)]
            score = sum(terms[t] for t in hit)
            if score >= threshold:
                out.append(IssueMatch(iid, round(score, 3), tuple(" ".join(t) for t in hit)))
        return sorted(out, key=lambda m: -m.score)

    def vocabulary(self, issue_id: str) -> Iterable[tuple[str, float]]:
        """The terms of one issue with their weights, heaviest first (for documentation)."""
        return sorted(((" ".join(t), w) for t, w in self.terms[issue_id].items()),
                      key=lambda x: -x[1])


def _inside(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))
