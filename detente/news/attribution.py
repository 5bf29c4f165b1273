"""Whose words a paragraph is: the author's, or a leader's that the author quotes at length.

A paragraph is a quotation when (a) it lies in a block that an introduction opens (a line
ending in ":" or ";") and a closing mark such as "(bold italics added)" or "(emphasis added)"
ends, or when (b) it speaks in the first person plural ("we", "our") right after a paragraph
that names an actor's leader or the actor with a word of speech ("said", "address",
"remarks", "words"...), or right after another quoted paragraph of the same speaker. Its
speaker is the actor named last in the introduction or in the two paragraphs before the
quotation, leaders before countries. Inside a quotation "we", "our" and "us" are the speaker
(docs/decisions/news.md, NEWS-6).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from detente.news.actors import ActorIndex, Mention
from detente.news.articles import Article

_CLOSE = re.compile(r"^\s*[\[(][^)\]]*\b(added|mine|original)\b[^)\]]*[)\]]\s*$", re.I)
_FIRST_PLURAL = re.compile(r"\b([Ww]e|[Oo]urs?|us)\b")  # "US" is not "us"
_SPEECH = re.compile(
    r"\b(said|says|say|told|stated|declared|announced|remarks?|address|speech|words|"
    r"comments?|spoke|statement|interview|wrote|insisted|warned|answer|quoted?)\b", re.I)
#: Longest block an introduction may open, in paragraphs.
MAX_BLOCK = 40


def speakers(article: Article, index: ActorIndex) -> dict[int, str]:
    """Line number → actor id of the speaker, for every quoted paragraph of ``article``."""
    paras = article.paragraphs
    lines = [ln for ln, _ in paras]
    texts = [t for _, t in paras]
    found = [index.find(t) for t in texts]
    out: dict[int, str] = {}
    closes = [k for k, t in enumerate(texts) if _CLOSE.match(t)]
    last_close = -1
    for c in closes:
        opener = next((k for k in range(c - 1, last_close, -1)
                       if texts[k].rstrip().endswith((":", ";"))), None)
        if opener is None or c - opener > MAX_BLOCK:
            block = [c - 1] if c - 1 > last_close else []
            intro = c - 2
        else:
            block = list(range(opener + 1, c))
            intro = opener
        who = _speaker(found, intro)
        if who is not None:
            for k in block:
                out[lines[k]] = who
        last_close = c
    for k, t in enumerate(texts):
        if lines[k] in out or not _FIRST_PLURAL.search(t) or k == 0:
            continue
        prev = k - 1
        if lines[prev] in out and _FIRST_PLURAL.search(texts[prev]):
            out[lines[k]] = out[lines[prev]]
        elif _SPEECH.search(texts[prev]) and found[prev]:
            who = _speaker(found, prev)
            if who is not None:
                out[lines[k]] = who
    return out


def speaker_mentions(text: str, speaker: str) -> list[Mention]:
    """The speaker of a quoted sentence as mentions: its first-person plural words, or the
    whole sentence when it has none (the speaker's words all the same)."""
    found = [Mention(speaker, m.group(), m.start(), m.end(), "speaker")
             for m in _FIRST_PLURAL.finditer(text)]
    return found or [Mention(speaker, "", 0, 0, "speaker")]


def _speaker(found: Sequence[list[Mention]], before: int) -> str | None:
    """The actor named last in the paragraphs ``before`` and the two above it, leaders
    first."""
    for k in range(before, max(before - 3, -1), -1):
        if k < 0:
            break
        people = [m for m in found[k] if m.person]
        if people:
            return people[-1].actor
    for k in range(before, max(before - 3, -1), -1):
        if k >= 0 and found[k]:
            return found[k][-1].actor
    return None
