"""Paragraphs and sentences with their locators.

The locator convention is the Korea case's: each non-empty line of an article is one
paragraph, cited by its line number ("line 85"); sentences are found inside a line and keep
its number, so a proposal cites the line and quotes the sentence (docs/decisions/news.md,
NEWS-2). Paragraphs of all articles go through spaCy together in batches (``nlp.pipe``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from detente.news.articles import Article

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Entity:
    """A name found in a sentence: its text, spaCy label and character offsets in the line."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence of one paragraph (line) of an article."""

    article: str
    line: int
    index: int
    text: str
    start: int
    end: int
    entities: tuple[Entity, ...] = ()

    @property
    def locator(self) -> str:
        return f"line {self.line}"

    @cached_property
    def words(self) -> list[str]:
        """The sentence's lower-case words (computed once)."""
        return words(self.text)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.article, self.line, self.index)


def words(text: str) -> list[str]:
    """Lower-case words of a text, possessives dropped ("Korea's" → "korea")."""
    out = []
    for w in _WORD.findall(text.lower()):
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w)
    return out


def segment(articles: Sequence[Article], nlp: Language, batch_size: int = 256,
            n_process: int = 1) -> list[Sentence]:
    """Every sentence of every article, in order, with the names spaCy finds in it."""
    from spacy.util import filter_spans

    jobs = [(a.id, line, text) for a in articles for line, text in a.paragraphs]
    out: list[Sentence] = []
    docs = nlp.pipe((t for _, _, t in jobs), batch_size=batch_size, n_process=n_process)
    for (art, line, _), doc in zip(jobs, docs, strict=True):
        names = list(doc.ents) if doc.has_annotation("ENT_IOB") else []
        if "names" in doc.spans:
            names = filter_spans([*names, *doc.spans["names"]])
        for k, sent in enumerate(doc.sents):
            ents = tuple(
                Entity(e.text, e.label_, e.start_char, e.end_char)
                for e in names if e.start >= sent.start and e.end <= sent.end
            )
            out.append(Sentence(art, line, k, sent.text.strip(), sent.start_char,
                                sent.end_char, ents))
    return out
