"""``detente read`` through the real entry point: outputs, ratify, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from detente.io import load
from tests.helpers import ROOT
from tests.integration.test_cli import assert_user_error, run
from tests.unit.news.conftest import border_doc

NEWS = ROOT / "tests" / "data" / "news"
PAIRS = NEWS / "pairs"
FIRST, SECOND = PAIRS / "a-first.txt", PAIRS / "b-second.txt"


@pytest.fixture
def border_file(tmp_path: Path) -> Path:
    path = tmp_path / "border.yaml"
    path.write_text(yaml.safe_dump({"detente": 1, "salience_scale": "0-1", **border_doc()},
                                   sort_keys=False), encoding="utf-8")
    return path


def test_table(border_file: Path) -> None:
    proc = run("read", FIRST, SECOND, "--scenario", border_file, "--pipeline", "rules")
    assert "Proposed stances" in proc.stdout
    assert "b-second is a rewrite of a-first" in proc.stdout.replace("\n", " ") or \
        "b-second is a partial rewrite of a-first" in proc.stdout.replace("\n", " ")
    assert "sentences read with the rules pipeline" in proc.stdout


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_proposals_file(tmp_path: Path, border_file: Path, suffix: str) -> None:
    out = tmp_path / f"proposals{suffix}"
    proc = run("read", FIRST, SECOND, "-s", border_file, "--date", "2020-05-01", "-o", out,
               "--pipeline", "rules")
    assert "wrote" in proc.stderr
    doc = (json.loads if suffix == ".json" else yaml.safe_load)(out.read_text())
    assert {a["id"] for a in doc["articles"]} == {"a-first", "b-second"}
    assert all(a["date"] == "2020-05-01" and a["date_from"] == "given" for a in doc["articles"])
    first = doc["proposals"][0]
    assert {"actor", "issue", "source", "locator", "quote", "direction", "confidence",
            "quad"} <= set(first)
    assert first["locator"].startswith("line ")
    assert doc["timeline"] and doc["timeline"][0]["proposals"][0]["date"] == "2020-05-01"


def test_ratify_into_a_new_snapshot(tmp_path: Path, border_file: Path) -> None:
    out = tmp_path / "new.yaml"
    proc = run("read", FIRST, SECOND, "--into", border_file, "--snapshot", "2020-06-01", "-o", out,
               "--min-confidence", "0.2", "--pipeline", "rules")
    assert "proposed stance(s)" in proc.stderr
    new = yaml.safe_load(out.read_text())
    assert new["snapshots"][-1]["as_of"] == "2020-06-01"
    assert load(out).snapshots[0] == load(border_file).snapshots[0]
    check = run("validate", out)
    assert "unratified" in check.stderr
    assert_user_error(run("forecast", out, "-m", "median", ok=False), "unratified")
    assert_user_error(run("read", FIRST, SECOND, "--into", border_file, "--snapshot", "2020-06-01",
                          "-o", border_file, ok=False), "would overwrite")
    assert_user_error(run("read", FIRST, SECOND, "--into", border_file, ok=False), "--snapshot")
    assert_user_error(run("read", FIRST, SECOND, "--into", border_file, "--snapshot", "2019-01-01",
                          "-o", tmp_path / "x.yaml", ok=False), "not after")
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize(("name", "data", "words"), [
    ("bin.txt", b"\x00\x01\x02\x03binary", "binary file"),
    ("empty.txt", b"", "empty"),
    ("page.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main text"),
    ("fr.txt", ("Les deux gouvernements se sont mis d'accord lundi pour tenir des "
                "discussions directes sur la fronti\u00e8re, et les ministres ont dit qu'ils "
                "se reverraient au printemps. ").encode() * 4, "not read as English"),
])
def test_bad_articles(tmp_path: Path, border_file: Path, name: str, data: bytes,
                      words: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "proposals.yaml"
    assert_user_error(run("read", PAIRS / "a-first.txt", bad, "-s", border_file, "-o", out,
                          ok=False), name, words)
    assert not out.exists()


def test_oversize_and_other_errors(tmp_path: Path, border_file: Path) -> None:
    assert_user_error(run("read", FIRST, "--max-bytes", "100", ok=False), "over the limit")
    both = run("read", FIRST, SECOND, "--max-bytes", "100", ok=False)
    assert both.returncode == 2 and "Traceback" not in both.stderr
    assert [ln.split(":")[1].strip() for ln in both.stderr.splitlines()] == [
        str(FIRST), str(SECOND)]
    assert_user_error(run("read", FIRST, SECOND, "--date", "yesterday", ok=False), "not a date")
    assert_user_error(run("read", FIRST, "-o", tmp_path / "p.txt", ok=False), ".yaml or .json")
    doc = yaml.safe_load(border_file.read_text())
    doc["actors"][1]["aliases"].append("nordstad")
    border_file.write_text(yaml.safe_dump(doc, sort_keys=False))
    assert_user_error(run("read", FIRST, SECOND, "-s", border_file, ok=False), "border.yaml:",
                      "alias 'nordstad'", "already names actor 'NOR'")


def test_without_a_scenario(tmp_path: Path) -> None:
    proc = run("read", NEWS / "river-treaty.txt", "--pipeline", "rules")
    assert "only new actors are proposed" in proc.stdout
