"""The reader against the Korea case's hand coding of the two corpus articles (../shared).

Figures are measured, not tuned: the floors below sit under what the reader reaches
(docs/decisions/news.md, NEWS-14) so that a change that reads worse fails here, and the
README's table is recomputed by test_readme.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.io import load
from detente.news import read
from detente.news.evaluation import article_sources, cited_lines, evaluate
from tests.helpers import EXAMPLES, ROOT, SHARED

pytestmark = pytest.mark.shared
NEWS = ROOT / "tests" / "data" / "news"


@pytest.fixture(scope="module")
def corpus() -> Path:
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is not available")
    return path


def test_the_reference_is_the_cases_cited_lines(corpus: Path) -> None:
    korea = load(EXAMPLES / "korea-2018.yaml")
    reading = read([corpus], None)
    sources = article_sources(korea, reading.articles)
    assert sources["duran-2017-11"] == "000_9aee7ba26dfcec53"
    assert sources["kim-2018-01-01"] == sources["duran-2018-01-02"] == "003_371d37bf6af7b3a5"
    cited, sign = cited_lines(korea, sources)
    assert ("003_371d37bf6af7b3a5", 85) in cited[("CHN", "alignment")]
    assert sign[("USA", "us_presence", "003_371d37bf6af7b3a5", 71)] == -1  # 10 below 20
    assert sign[("USA", "land_bridge", "003_371d37bf6af7b3a5", 55)] == 0


def test_recall_precision_and_direction(corpus: Path) -> None:
    _, (everything, confident) = evaluate(load(EXAMPLES / "korea-2018.yaml"), [corpus])
    assert everything.cited >= 60
    assert everything.recall >= 0.5 and everything.precision >= 0.2
    assert confident.precision >= everything.precision - 0.02
    assert everything.agreement >= 0.75
    # per (actor, issue): lines found of lines cited, adding up to the totals
    assert sum(f for f, _ in everything.per_pair.values()) == everything.found
    assert sum(n for _, n in everything.per_pair.values()) == everything.cited
    assert everything.per_pair[("RUS", "land_bridge")][0] >= 2


def test_the_rewrite_and_its_line_map(corpus: Path) -> None:
    reading = read([corpus, *sorted(NEWS.glob("*.txt"))], None)
    (r,) = reading.rewrites  # and no false rewrite among the unrelated texts
    assert (r.rewrite, r.original, r.kind) == ("000_9aee7ba26dfcec53", "003_371d37bf6af7b3a5",
                                               "partial rewrite")
    assert r.line_map[11] == [83, 85] and r.line_map[21] == [101]
    assert r.describe().startswith("000_9aee7ba26dfcec53 is a partial rewrite of "
                                   "003_371d37bf6af7b3a5: 6 of its 14 lines align to lines ")
