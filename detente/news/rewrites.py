"""Rewrites and duplicates: MinHash over word shingles to find candidates, sentence
alignment by rapidfuzz to confirm them, and which article is the original.

Every sentence of five words or more gets a MinHash of its word 3-grams; a MinHash LSH index
(datasketch) returns candidate pairs of sentences from different articles, never all pairs.
A candidate aligns when rapidfuzz's ``ratio`` of the two sentences' words reaches
:data:`ALIGN_CUTOFF`. Two articles are related when at least :data:`MIN_LINES` lines of one
align to lines of the other and its aligned sentences make up at least :data:`MIN_SHARE` of
its sentences (of five words or more); the article with the larger share aligned is the
rewrite, unless both have a known date (given or
from metadata) and they differ, when the earlier is the original (docs/decisions/news.md,
NEWS-11 and NEWS-12). Whole articles are compared the same way by :func:`near_duplicates`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from detente.news.sentences import Sentence, words

if TYPE_CHECKING:
    from datasketch import MinHash

    from detente.news.articles import Article

SHINGLE = 3
NUM_PERM = 64
#: Estimated Jaccard similarity at which the LSH index reports a candidate pair (sentences
#: at rapidfuzz ratio 80 share about half their word 3-grams or more).
LSH_THRESHOLD = 0.4
#: rapidfuzz ratio (0–100) at which two sentences are taken as one rewritten.
ALIGN_CUTOFF = 80.0
MIN_LINES = 2
MIN_SHARE = 0.25
#: Share of sentences aligned at which a rewrite is whole rather than partial.
WHOLE = 0.9


@dataclass(frozen=True)
class LineMatch:
    """A line of the rewrite, the line of the original it aligns to, and the score."""

    line: int
    original_line: int
    score: float


@dataclass(frozen=True)
class Rewrite:
    """``rewrite`` rewrites ``original``: ``lines`` of its ``total`` lines align."""

    rewrite: str
    original: str
    kind: Literal["duplicate", "rewrite", "partial rewrite"]
    lines: tuple[LineMatch, ...]
    total: int
    original_total: int
    decided_by: Literal["date", "coverage"]
    dates_agree: bool | None

    @property
    def line_map(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for m in self.lines:
            out[m.line].append(m.original_line)
        return dict(out)

    def describe(self) -> str:
        mapped = sorted(self.line_map.items())
        n = len(mapped)
        targets = sorted({o for _, os in mapped for o in os})
        how = ("by coverage (the dates do not tell)" if self.decided_by == "coverage"
               else "by date and by coverage" if self.dates_agree
               else "by date, though coverage says otherwise")
        return (f"{self.rewrite} is a {self.kind} of {self.original}: {n} of its {self.total} "
                f"lines align to lines {_ranges(targets)} ("
                + ", ".join(f"{a}→{'/'.join(map(str, os))}" for a, os in mapped)
                + f"); original {how}")


def shingles(text: str, k: int = SHINGLE, tokens: Sequence[str] | None = None) -> set[bytes]:
    """Word k-grams of a text (lower case, punctuation dropped), as bytes for hashing."""
    ws = words(text) if tokens is None else tokens
    if len(ws) < k:
        return {" ".join(ws).encode()} if ws else set()
    return {" ".join(ws[i:i + k]).encode() for i in range(len(ws) - k + 1)}


def minhashes(texts: Sequence[set[bytes]], num_perm: int = NUM_PERM) -> list[MinHash]:
    """MinHash signatures of many shingle sets at once."""
    from datasketch import MinHash

    return list(MinHash.bulk(texts, num_perm=num_perm))


def near_duplicates(texts: Mapping[str, str], threshold: float = 0.5,
                    num_perm: int = NUM_PERM) -> list[tuple[str, str, float]]:
    """Pairs of texts whose estimated Jaccard similarity of shingles reaches ``threshold``
    (an LSH index: candidates only, never all pairs), with the estimate."""
    from datasketch import MinHashLSH

    ids = list(texts)
    sigs = dict(zip(ids, minhashes([shingles(texts[i]) for i in ids], num_perm), strict=True))
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, sig in sigs.items():
            session.insert(i, sig)
    out = []
    for i, sig in sigs.items():
        for j in lsh.query(sig):
            if j > i:
                est = float(sig.jaccard(sigs[j]))
                if est >= threshold:
                    out.append((i, str(j), round(est, 3)))
    return sorted(out)


def align(sentences: Sequence[Sentence], min_words: int = 5) -> list[tuple[Sentence, Sentence,
                                                                             float]]:
    """Pairs of sentences from different articles that rewrite one another, with the score."""
    from datasketch import MinHashLSH
    from rapidfuzz import fuzz

    usable = [s for s in sentences if len(s.words) >= min_words]
    if len(usable) < 2:
        return []
    sigs = minhashes([shingles(s.text, tokens=s.words) for s in usable])
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for k, sig in enumerate(sigs):
            session.insert(k, sig)
    norm = [" ".join(s.words) for s in usable]
    out = []
    for k, sig in enumerate(sigs):
        for j in lsh.query(sig):
            j = int(j)
            if j <= k or usable[j].article == usable[k].article:
                continue
            score = fuzz.ratio(norm[k], norm[j])
            if score >= ALIGN_CUTOFF:
                out.append((usable[k], usable[j], round(float(score), 1)))
    return out


def rewrites(articles: Sequence[Article], sentences: Sequence[Sentence]) -> list[Rewrite]:
    """Every pair of articles one of which rewrites the other, with the line map."""
    by_id = {a.id: a for a in articles}
    counts: dict[str, int] = defaultdict(int)
    for s in sentences:
        if len(s.words) >= 5:
            counts[s.article] += 1
    pairs: dict[tuple[str, str], list[tuple[Sentence, Sentence, float]]] = defaultdict(list)
    for s, t, score in align(sentences):
        a, b = sorted((s, t), key=lambda x: x.article)
        pairs[(a.article, b.article)].append((a, b, score))
    out = []
    for (ida, idb), matches in sorted(pairs.items()):
        lines_a = {s.line for s, _, _ in matches}
        lines_b = {t.line for _, t, _ in matches}
        total_a, total_b = len(by_id[ida].paragraphs), len(by_id[idb].paragraphs)
        # shares by sentence, so that one copied sentence does not claim a long paragraph
        sents_a = len({s.key for s, _, _ in matches}) / max(1, counts[ida])
        sents_b = len({t.key for _, t, _ in matches}) / max(1, counts[idb])
        share_a, share_b = sents_a, sents_b
        if max(len(lines_a), len(lines_b)) < MIN_LINES or max(share_a, share_b) < MIN_SHARE:
            continue
        by_coverage = ida if share_a >= share_b else idb
        dated = _known_date(by_id[ida]), _known_date(by_id[idb])
        decided: Literal["date", "coverage"] = "coverage"
        agree: bool | None = None
        rewrite_id = by_coverage
        da, db = dated
        if da is not None and db is not None and da != db:
            by_date = ida if da > db else idb
            decided, rewrite_id = "date", by_date
            agree = by_date == by_coverage
        original_id = idb if rewrite_id == ida else ida
        flip = rewrite_id != ida
        best: dict[int, LineMatch] = {}
        for s, t, score in matches:
            r, o = (t, s) if flip else (s, t)
            key = r.line * 100_000 + o.line
            if key not in best or best[key].score < score:
                best[key] = LineMatch(r.line, o.line, score)
        share_r = share_b if flip else share_a
        share_o = share_a if flip else share_b
        kind: Literal["duplicate", "rewrite", "partial rewrite"] = (
            "duplicate" if min(share_r, share_o) >= WHOLE
            else "rewrite" if share_r >= WHOLE else "partial rewrite")
        out.append(Rewrite(rewrite_id, original_id, kind,
                           tuple(sorted(best.values(), key=lambda m: (m.line, m.original_line))),
                           total_b if flip else total_a, total_a if flip else total_b,
                           decided, agree))
    return out


def _known_date(article: Article) -> dt.date | None:
    return article.date if article.date_source in ("given", "metadata") else None


def _ranges(numbers: Iterable[int]) -> str:
    """``1, 3, 4, 5, 9`` → ``1, 3-5, 9``."""
    nums = sorted(set(numbers))
    parts: list[list[int]] = []
    for n in nums:
        if parts and n == parts[-1][-1] + 1:
            parts[-1].append(n)
        else:
            parts.append([n])
    return ", ".join(str(p[0]) if len(p) == 1 else f"{p[0]}-{p[-1]}" for p in parts)
