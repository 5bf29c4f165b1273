"""Reading the news: dated articles in, proposed actors, stances and evidence out.

``detente.news.read(paths, scenario)`` loads articles (plain text or HTML), splits them into
paragraphs (one per non-empty line, cited by line number) and sentences, finds the
scenario's actors and issues in them, proposes stances with the quoted sentence, and notices
articles that rewrite one another. Nothing here is imported by ``import detente``; spaCy and
the other libraries of the ``news`` extra are imported when a reading starts.
``detente.news.ratify.ratify`` writes a reading's proposals into a new snapshot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.news.reading import Reading as Reading
    from detente.news.reading import read as read

__getattr__ = lazy_names(__name__, {
    "read": "detente.news.reading",
    "Reading": "detente.news.reading",
})

__all__ = ["Reading", "read"]
