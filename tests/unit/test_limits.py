"""Limits a run cannot exceed: estimates from the problem's size, refusals that name the size,
the limit and how to raise it."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import InputError
from detente.limits import (
    ACTORS,
    check_footprint,
    memory_limit,
    parse_bytes,
)
from detente.models.registry import REGISTRY
from tests.helpers import ROOT
from tests.in_process import invoke

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"


@pytest.mark.parametrize(("text", "expected"), [
    ("4G", 4 * 2**30), ("500M", 500 * 2**20), ("2.5GB", int(2.5 * 2**30)), ("1024", 1024),
    ("8 gib", 8 * 2**30)])
def test_parse_bytes(text: str, expected: int) -> None:
    assert parse_bytes(text, field="--max-memory") == expected


@pytest.mark.parametrize("text", ["", "lots", "-1G", "0"])
def test_parse_bytes_refuses(text: str) -> None:
    with pytest.raises(InputError, match="--max-memory"):
        parse_bytes(text, field="--max-memory")


def test_every_model_estimates_growing_footprints() -> None:
    for name in REGISTRY:
        model = REGISTRY[name]()
        small, large = model.footprint(10, 2), model.footprint(100, 20)
        assert 0 < small.bytes < large.bytes, name
        assert 0 <= small.seconds <= large.seconds, name


def test_spatial_model_grows_with_actor_triples() -> None:
    smp = REGISTRY["smp"]()
    a, b = smp.footprint(100, 1), smp.footprint(200, 1)
    assert 7 < b.bytes / a.bytes < 9  # n³
    # 200 actors × 50 issues held about 7 GB (measured); the estimate is of that order
    assert 4 * 2**30 < smp.footprint(200, 50).bytes < 12 * 2**30


def test_exchange_grows_with_issue_pairs() -> None:
    exc = REGISTRY["exchange"]()
    assert exc.footprint(100, 1).bytes < exc.footprint(100, 10).bytes / 50


def test_refusal_names_size_limit_and_option() -> None:
    smp = REGISTRY["smp"]()
    with memory_limit(2**30), pytest.raises(InputError) as err:
        check_footprint(smp, 2000, 1)
    text = str(err.value)
    for word in ("'smp'", "2,000 actor(s) × 1 issue(s)", "GB of memory", "1.0 GB",
                 "--max-memory", "DETENTE_MAX_MEMORY"):
        assert word in text, text
    with memory_limit(2**40):
        check_footprint(smp, 2000, 1)


def test_cli_max_memory_refuses_in_one_line(tmp_path: Path) -> None:
    result = invoke("forecast", HARBOUR, "-m", "smp", "--max-memory", "1K")
    assert result.code == 2 and result.traceback is None
    assert len(result.lines) == 1 and "--max-memory" in result.lines[0]
    sim = invoke("simulate", HARBOUR, "-m", "smp", "-n", "50", "--max-memory", "1K")
    assert sim.code == 2 and len(sim.lines) == 1 and "problems" in sim.lines[0]
    ok = invoke("forecast", HARBOUR, "-m", "smp", "--max-memory", "4G")
    assert ok.code == 0, ok.stderr


def test_environment_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_MAX_MEMORY", "1K")
    result = invoke("forecast", HARBOUR, "-m", "median")
    assert result.code == 2 and "DETENTE_MAX_MEMORY" in result.lines[0]
    monkeypatch.setenv("DETENTE_MAX_MEMORY", "plenty")
    result = invoke("forecast", HARBOUR, "-m", "median")
    assert result.code == 2 and "not a memory size" in result.lines[0]


def test_count_and_file_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ACTORS.env, "2")
    result = invoke("validate", HARBOUR)
    assert result.code == 2 and len(result.lines) == 1
    assert "3 actors exceed the limit of 2" in result.lines[0]
    assert f"{ACTORS.env}=3" in result.lines[0]
    monkeypatch.delenv(ACTORS.env)
    monkeypatch.setenv("DETENTE_MAX_SNAPSHOTS", "1")
    assert "snapshots exceed" in invoke("validate", HARBOUR).lines[0]
    monkeypatch.delenv("DETENTE_MAX_SNAPSHOTS")
    big = tmp_path / "big.yaml"
    big.write_text("#" * (2 * 2**20))
    monkeypatch.setenv("DETENTE_MAX_FILE_MB", "1")
    result = invoke("validate", big)
    assert result.code == 2 and "2.0 MB, more than the limit of 1 MB" in result.lines[0]
    assert "DETENTE_MAX_FILE_MB=3" in result.lines[0]
