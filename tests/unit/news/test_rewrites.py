"""Rewrites: candidates by MinHash LSH, alignment by rapidfuzz, which is the original."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from detente.news import pipeline
from detente.news.articles import load_articles
from detente.news.rewrites import near_duplicates, rewrites, shingles
from detente.news.sentences import segment

NEWS = Path(__file__).resolve().parents[2] / "data" / "news"
PAIRS = NEWS / "pairs"

REWRITE = (PAIRS / "river-rewrite.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return pipeline.load("rules")


def test_a_partial_rewrite_and_its_line_map(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "copy.txt").write_text(REWRITE, encoding="utf-8")
    arts = load_articles([NEWS, tmp_path / "copy.txt"])
    found = rewrites(arts, segment(arts, nlp))
    assert len(found) == 1
    r = found[0]
    assert (r.rewrite, r.original, r.kind) == ("copy", "river-treaty", "partial rewrite")
    assert r.line_map == {2: [10], 4: [6], 8: [4]}
    assert r.total == 5 and r.decided_by == "coverage"
    assert r.describe().startswith(
        "copy is a partial rewrite of river-treaty: 3 of its 5 lines align to lines 4, 6, 10")


def test_dates_decide_the_original_when_known(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "copy.txt").write_text(REWRITE, encoding="utf-8")
    arts = load_articles([NEWS / "river-treaty.txt", tmp_path / "copy.txt"])
    dated = [dataclasses.replace(a, date=dt.date(2020, 1, 2 if a.id == "river-treaty" else 1),
                                 date_source="given") for a in arts]
    (r,) = rewrites(dated, segment(dated, nlp))
    assert (r.rewrite, r.original, r.decided_by, r.dates_agree) == (
        "river-treaty", "copy", "date", False)
    assert r.describe().endswith("original by date, though coverage says otherwise")


def test_no_rewrite_among_unrelated_texts(nlp) -> None:  # type: ignore[no-untyped-def]
    arts = load_articles([NEWS])
    assert len(arts) >= 3
    assert rewrites(arts, segment(arts, nlp)) == []


def test_near_duplicate_documents() -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(NEWS.glob("*.txt"))}
    texts["copy"] = texts["tariff-dispute"].replace("Monday", "Tuesday")
    assert near_duplicates(texts) == [("copy", "tariff-dispute", pytest.approx(0.95, abs=0.06))]
    assert shingles("one two") == {b"one two"}
