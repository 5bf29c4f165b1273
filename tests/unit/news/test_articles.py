"""Articles: text and HTML, dates, and every kind of bad input as one located error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.errors import InputError
from detente.news.articles import latest_date_in, load_article, load_articles

ENGLISH = ("The two governments agreed on Monday to hold direct talks on the border, and the "
           "ministers said they would meet again in the spring to settle the question of the "
           "railway that runs along the river. ")

HTML = """<!DOCTYPE html><html><head><title>Border talks</title>
<meta property="article:published_time" content="2018-03-05T09:00:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Border talks resume</h1>
<p>{p1}</p><p>{p2}</p></article>
<footer>Copyright</footer></body></html>"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def test_plain_text_keeps_the_file_lines(tmp_path: Path) -> None:
    p = write(tmp_path, "a.txt", "Heading\n\n" + ENGLISH + "\n\n" + ENGLISH)
    art = load_article(p)
    assert art.kind == "text" and art.id == "a"
    assert [ln for ln, _ in art.paragraphs] == [1, 3, 5]
    assert art.lines[2].startswith("The two governments")


def test_dates_given_then_text(tmp_path: Path) -> None:
    p = write(tmp_path, "a.txt", ENGLISH + " In an article dated 19th November 2017 and on "
              "October 22, 2017 I wrote.")
    assert load_article(p).date == dt.date(2017, 11, 19)
    assert load_article(p).date_source == "text"
    given = load_article(p, date=dt.date(2018, 1, 2))
    assert (given.date, given.date_source) == (dt.date(2018, 1, 2), "given")
    assert latest_date_in("no dates here, only 2017") is None
    assert latest_date_in("on 2018-02-30 and 2018-02-03") == dt.date(2018, 2, 3)


def test_html_main_text_and_metadata_date(tmp_path: Path) -> None:
    p = write(tmp_path, "page.html", HTML.format(p1=ENGLISH, p2=ENGLISH.upper().lower()))
    art = load_article(p)
    assert art.kind == "html"
    assert art.date == dt.date(2018, 3, 5) and art.date_source == "metadata"
    assert "Home" not in art.text and "Copyright" not in art.text
    assert sum("two governments" in ln for ln in art.lines) == 2


@pytest.mark.parametrize(("name", "data", "words"), [
    ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n \t\n", "empty"),
    ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
     "no main text"),
    ("de.txt", ("Die beiden Regierungen haben sich am Montag darauf geeinigt, direkte "
                "Gespr\u00e4che \u00fcber die Grenze zu f\u00fchren, und die Minister sagten, "
                "sie w\u00fcrden sich im Fr\u00fchjahr wieder treffen, um die Frage der "
                "Eisenbahn zu kl\u00e4ren, die am Fluss entlang f\u00e4hrt. ") * 3,
     "does not read as English"),
])
def test_bad_input_is_one_located_error(tmp_path: Path, name: str, data: bytes | str,
                                        words: str) -> None:
    p = write(tmp_path, name, data)
    with pytest.raises(InputError) as exc:
        load_article(p)
    text = str(exc.value)
    assert str(p) in text and words in text
    assert "\n" not in text


def test_oversize(tmp_path: Path) -> None:
    p = write(tmp_path, "big.txt", ENGLISH * 50)
    with pytest.raises(InputError, match="over the limit of 1,000"):
        load_article(p, max_bytes=1000)


def test_other_encodings_are_detected_and_noted(tmp_path: Path) -> None:
    text = ("Le caf\u00e9 of the na\u00efve minister, d\u00e9j\u00e0 vu: " + ENGLISH) * 3
    art = load_article(write(tmp_path, "latin.txt", text.encode("cp1252")))
    assert "caf\u00e9" in art.text
    assert art.notes and "not UTF-8" in art.notes[0]
    utf16 = load_article(write(tmp_path, "u16.txt", text.encode("utf-16")))
    assert "na\u00efve" in utf16.text


def test_folders_and_every_problem_at_once(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write(tmp_path / "in", "a.txt", ENGLISH)
    write(tmp_path / "in", "b.txt", b"")
    write(tmp_path / "in", "c.txt", b"\x00\x01\x02")
    write(tmp_path / "in", "notes.csv", "not an article")
    with pytest.raises(InputError) as exc:
        load_articles([tmp_path / "in"])
    assert [Path(e.file or "").name for e in exc.value.all] == ["b.txt", "c.txt"]
    (tmp_path / "in" / "b.txt").unlink()
    (tmp_path / "in" / "c.txt").unlink()
    assert [a.id for a in load_articles([tmp_path / "in"])] == ["a"]
    (tmp_path / "none").mkdir()
    with pytest.raises(InputError, match="holds no articles"):
        load_articles([tmp_path / "none"])
    with pytest.raises(InputError, match="file not found"):
        load_articles([tmp_path / "missing.txt"])
    (tmp_path / "other").mkdir()
    write(tmp_path / "other", "a.txt", ENGLISH)
    with pytest.raises(InputError, match="both called 'a'"):
        load_articles([tmp_path / "in", tmp_path / "other"])
