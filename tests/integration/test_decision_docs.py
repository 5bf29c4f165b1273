"""The decision pages stay citable: every cited entry ID exists, IDs are unique, links resolve.

Decision entries live in ``docs/models/*.md`` and ``docs/decisions/*.md``, each with an ID such
as ``EUM-3`` in its heading and an explicit anchor (``<a id="eum-3"></a>``) just before it.
Code and docs cite them as ``(docs/models/eum.md, EUM-3)`` or link ``docs/models/eum.md#eum-3``;
``DECISIONS.md`` is the index of all pages and entries.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "DECISIONS.md"
PAGE_DIRS = ("docs/models", "docs/decisions")
#: The ID prefix of each page; a citation with any of these prefixes must name an entry.
PREFIXES = {
    "docs/models/eum.md": "EUM",
    "docs/models/exchange.md": "EXC",
    "docs/models/smp.md": "SMP",
    "docs/models/nash.md": "NASH",
    "docs/models/baselines.md": "BASE",
    "docs/models/ensemble.md": "ENS",
    "docs/decisions/scenario.md": "SCN",
    "docs/decisions/formats.md": "FMT",
    "docs/decisions/uncertainty.md": "UNC",
    "docs/decisions/backtest.md": "BT",
    "docs/decisions/workspace.md": "WS",
    "docs/decisions/models.md": "MOD",
    "docs/decisions/news.md": "NEWS",
    "docs/decisions/web.md": "WEB",
    "docs/decisions/sweeps.md": "SWP",
}
_PREFIX = "|".join(sorted(set(PREFIXES.values()), key=len, reverse=True))
ID = re.compile(rf"\b(?:{_PREFIX})-\d+\b")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
ENTRY = re.compile(rf'^<a id="([^"]+)"></a>\n### ((?:{_PREFIX})-\d+) ', re.M)
HEADING_ID = re.compile(rf"^#+ ((?:{_PREFIX})-\d+)\b", re.M)
#: ``docs/models/eum.md, EUM-3`` or ``docs/models/eum.md, EXC-2, EXC-3``
PAGE_CITE = re.compile(
    rf"(docs/(?:models|decisions)/[\w-]+\.md),\s*((?:(?:{_PREFIX})-\d+)(?:,\s*(?:{_PREFIX})-\d+)*)"
)
#: ``docs/models/eum.md#eum-3`` written out in code or text
PATH_ANCHOR = re.compile(r"(docs/(?:models|decisions)/[\w-]+\.md)#([\w-]+)")
#: a Markdown link ``[text](target.md#anchor)``, relative to the file it is in
MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s#]+\.md)(?:#([\w-]+))?\)")


def _pages() -> dict[str, str]:
    pages = {}
    for d in PAGE_DIRS:
        for p in sorted((ROOT / d).glob("*.md")):
            pages[p.relative_to(ROOT).as_posix()] = p.read_text(encoding="utf-8")
    return pages


def _citing_files() -> dict[str, str]:
    """Every file whose citations are checked: Python sources, README, docs, the index."""
    files: list[Path] = []
    for d in ("detente", "tests", "benchmarks"):
        files += sorted((ROOT / d).rglob("*.py"))
    files += [ROOT / "README.md", INDEX, *sorted((ROOT / "docs").rglob("*.md"))]
    me = Path(__file__).resolve()
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
            for p in files if p.resolve() != me}


def entry_ids(pages: dict[str, str]) -> dict[str, str]:
    """Entry ID → the page that defines it (from the headings)."""
    out: dict[str, str] = {}
    for page, text in pages.items():
        for i in HEADING_ID.findall(text):
            out.setdefault(i, page)
    return out


def anchors(pages: dict[str, str]) -> dict[str, set[str]]:
    return {page: set(ANCHOR.findall(text)) for page, text in pages.items()}


def missing_citations(files: dict[str, str], pages: dict[str, str]) -> list[str]:
    """Each cited ID (or page#anchor) that no decision page defines, as ``file: what``."""
    where = anchors(pages)
    every_anchor = set().union(*where.values()) if where else set()
    defined = entry_ids(pages)
    problems = []
    for name, text in files.items():
        for i in sorted(set(ID.findall(text))):
            if i not in defined or i.lower() not in every_anchor:
                problems.append(f"{name}: {i} is not an entry of any decision page")
        for page, ids in PAGE_CITE.findall(text):
            for i in re.split(r",\s*", ids):
                if defined.get(i) != page:
                    problems.append(f"{name}: {i} is cited on {page} but is not defined there")
        for page, anchor in PATH_ANCHOR.findall(text):
            if anchor not in where.get(page, set()):
                problems.append(f"{name}: {page}#{anchor} does not exist")
    return problems


def test_entries_have_ids_anchors_and_the_three_parts() -> None:
    pages = _pages()
    assert set(pages) == set(PREFIXES), "a decision page was added or removed: update PREFIXES"
    for page, text in pages.items():
        headings = HEADING_ID.findall(text)
        assert headings, f"{page} has no entries"
        entries = ENTRY.findall(text)
        assert [i for _, i in entries] == headings, (
            f"{page}: every entry heading needs <a id=...> on the line before it")
        numbers = []
        for anchor, i in entries:
            prefix, n = i.split("-")
            assert prefix == PREFIXES[page], f"{page}: {i} does not use the page's prefix"
            assert anchor == i.lower(), f"{page}: anchor {anchor!r} for {i}"
            numbers.append(int(n))
        assert numbers == list(range(1, len(numbers) + 1)), f"{page}: IDs not numbered 1..n"
        for i, body in zip(headings, re.split(HEADING_ID, text)[2::2], strict=True):
            body = body.split("\n<a id=", 1)[0].split("\n## ", 1)[0]
            assert "**Paper says**" in body or "**Peer does**" in body, f"{i}: no source part"
            assert "**We do**" in body, f"{i}: no 'We do' part"
            assert "**Why**" in body, f"{i}: no 'Why' part"


def test_ids_and_anchors_are_unique() -> None:
    pages = _pages()
    ids = [i for text in pages.values() for i in HEADING_ID.findall(text)]
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert not dup, f"IDs defined more than once: {dup}"
    for page, text in pages.items():
        dup = [a for a, n in Counter(ANCHOR.findall(text)).items() if n > 1]
        assert not dup, f"{page}: anchors defined more than once: {dup}"


def test_every_cited_id_exists() -> None:
    problems = missing_citations(_citing_files(), _pages())
    assert not problems, "\n".join(problems)


def test_a_missing_id_is_reported() -> None:
    pages = _pages()
    some_id, page = next(iter(entry_ids(pages).items()))
    prefix = some_id.split("-")[0]
    absent = f"{prefix}-{len(entry_ids(pages)) + 1000}"
    other = next(p for p in PREFIXES if p != page)
    files = {
        "ok.py": f"# ({page}, {some_id})",
        "missing.py": f"# see {absent}",
        "wrong_page.py": f"# ({other}, {some_id})",
        "bad_anchor.md": f"{page}#{absent.lower()}",
    }
    problems = missing_citations(files, pages)
    assert not [p for p in problems if p.startswith("ok.py")]
    assert any(p.startswith("missing.py") and absent in p for p in problems)
    assert any(p.startswith("wrong_page.py") for p in problems)
    assert any(p.startswith("bad_anchor.md") for p in problems)


def test_the_index_links_every_page_and_entry() -> None:
    index = INDEX.read_text(encoding="utf-8")
    linked = {target for _, target, _ in MD_LINK.findall(index)}
    pages = _pages()
    for page in pages:
        assert page in linked, f"DECISIONS.md does not link {page}"
    for i, page in entry_ids(pages).items():
        assert f"[{i}]({page}#{i.lower()})" in index, f"DECISIONS.md does not list {i}"
    assert len(index.encode("utf-8")) < 16_000, "DECISIONS.md is meant to stay a short index"


def test_markdown_links_to_decision_pages_resolve() -> None:
    where = anchors(_pages())
    problems = []
    for name, content in _citing_files().items():
        if not name.endswith(".md"):
            continue
        path = ROOT / name
        for text, target, anchor in MD_LINK.findall(content):
            if "://" in target:
                continue
            file = (path.parent / target).resolve()
            if not file.is_file():
                problems.append(f"{name}: link to missing file {target}")
                continue
            rel = file.relative_to(ROOT).as_posix()
            if rel in where and anchor and anchor not in where[rel]:
                problems.append(f"{name}: {target}#{anchor} does not exist")
            if ID.fullmatch(text) and anchor and anchor != text.lower():
                problems.append(f"{name}: link text {text} points at #{anchor}")
    assert not problems, "\n".join(problems)
