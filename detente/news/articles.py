"""Articles: plain text or HTML files read into lines, with a date and checks on the input.

A plain-text article is cited by the line numbers of its file, as the Korea case does (each
non-empty line is one paragraph). An HTML article's main text is extracted with trafilatura,
one paragraph per line, and cited by the lines of that extracted text. Every problem with a
file is an :class:`~detente.errors.InputError` naming it (docs/decisions/news.md, NEWS-1).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from detente.errors import InputError

#: Largest article read, in bytes (a long feature is about 50 KB of text).
MAX_BYTES = 2_000_000
#: Extensions read when a folder is given.
EXTENSIONS = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
#: Below this share of English function words an article of 40 words or more is not English.
ENGLISH_SHARE = 0.2

DateSource = Literal["given", "metadata", "text", "none"]

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATES = [
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b"), (3, 2, 1)),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b"), (3, 1, 2)),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), (1, 2, 3)),
]
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)


@dataclass(frozen=True)
class Article:
    """One article: its text as lines (``lines[0]`` is line 1) and its date."""

    path: Path
    id: str
    lines: tuple[str, ...]
    date: dt.date | None = None
    date_source: DateSource = "none"
    title: str | None = None
    kind: Literal["text", "html"] = "text"
    encoding: str = "utf-8"
    notes: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def paragraphs(self) -> list[tuple[int, str]]:
        """(line number, text) of every non-empty line."""
        return [(i, ln) for i, ln in enumerate(self.lines, start=1) if ln.strip()]


def article_paths(paths: Iterable[Path | str]) -> list[Path]:
    """The files named, folders expanded to the articles in them (sorted by name)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.iterdir()
                           if q.is_file() and q.suffix.lower() in EXTENSIONS)
            if not found:
                raise InputError("the folder holds no articles", file=str(p),
                                 hint=f"put files ending in {', '.join(EXTENSIONS)} in it")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError("file not found", file=str(p), hint="check the path")
    return out


def load_article(path: Path | str, date: dt.date | None = None,
                 max_bytes: int = MAX_BYTES) -> Article:
    """Read one article; ``date`` (the --date option) wins over metadata and the text."""
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"the article is {size:,} bytes, over the limit of {max_bytes:,}",
                             file=file, hint="split it, or raise the limit (--max-bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=file) from None
    if not raw.strip():
        raise InputError("the file is empty", file=file, hint="give an article with text")
    text, encoding = decode(raw, file)
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or bool(_HTML.match(raw[:512]))
    notes: list[str] = []
    if encoding not in ("utf-8", "ascii"):
        notes.append(f"not UTF-8: read as {encoding}")
    title = None
    meta_date = None
    if is_html:
        text, title, meta_date = _html_main_text(text, file)
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if not any(ln.strip() for ln in lines):
        raise InputError("the file has no text", file=file, hint="give an article with text")
    check_english(" ".join(lines), file)
    source: DateSource = "none"
    when = None
    if date is not None:
        when, source = date, "given"
    elif meta_date is not None:
        when, source = meta_date, "metadata"
    else:
        when = latest_date_in(text)
        source = "text" if when is not None else "none"
    return Article(path=path, id=path.stem, lines=lines, date=when, date_source=source,
                   title=title or _first_line(lines), kind="html" if is_html else "text",
                   encoding=encoding, notes=tuple(notes))


def load_articles(paths: Sequence[Path | str], date: dt.date | None = None,
                  max_bytes: int = MAX_BYTES) -> list[Article]:
    """Every article named (folders expanded); all problems found are raised together."""
    problems: list[InputError] = []
    out: list[Article] = []
    for p in article_paths(paths):
        try:
            out.append(load_article(p, date, max_bytes))
        except InputError as exc:
            problems.append(exc)
    if problems:
        first, *rest = problems
        raise InputError(first.message, file=first.file, line=first.line, hint=first.hint,
                         more=rest)
    ids = [a.id for a in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"two articles are both called {dupes[0]!r}",
                         file=str(next(a.path for a in out if a.id == dupes[0])),
                         hint="articles are told apart by file name: rename one")
    return out


def decode(raw: bytes, file: str) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (or a BOM's), else the best guess of
    charset-normalizer; binary data is refused."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                     (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc, errors="strict"), enc.replace("-sig", "")
    if b"\x00" in raw[:8192]:
        raise InputError("this is a binary file, not an article",
                         file=file, hint="give plain text or HTML")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.percent_chaos > 20:
        raise InputError("cannot tell the text's encoding", file=file,
                         hint="save the article as UTF-8")
    return str(best), best.encoding


def check_english(text: str, file: str) -> None:
    """Refuse an article that is not in English (share of English function words)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 40:
        return
    share = sum(w in STOP_WORDS for w in words) / len(words)
    if share < ENGLISH_SHARE:
        raise InputError(
            f"the article does not read as English ({share:.0%} English function words, "
            f"English text has about 45%)", file=file,
            hint="detente reads English articles only; give a translation")


def latest_date_in(text: str) -> dt.date | None:
    """The latest full date the text mentions: the article was written on or after it."""
    best: dt.date | None = None
    for rx, (y, m, d) in _DATES:
        for match in rx.finditer(text):
            g = match.groups()
            month = g[m - 1]
            try:
                day = dt.date(int(g[y - 1]),
                              _MONTHS[month.lower()] if not month.isdigit() else int(month),
                              int(g[d - 1]))
            except ValueError:
                continue
            if best is None or day > best:
                best = day
    return best


def _html_main_text(html: str, file: str) -> tuple[str, str | None, dt.date | None]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=False)
    if not text or len(text.split()) < 5:
        raise InputError("the HTML page has no main text that could be extracted",
                         file=file, hint="save the article's text as a .txt file")
    meta = trafilatura.extract_metadata(html)
    day = None
    if meta is not None and meta.date:
        try:
            day = dt.date.fromisoformat(str(meta.date)[:10])
        except ValueError:
            day = None
    return text, (meta.title if meta is not None else None), day


def _first_line(lines: Sequence[str]) -> str | None:
    for ln in lines:
        if ln.strip():
            return ln.strip()[:120]
    return None
