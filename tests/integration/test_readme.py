"""The README stays true: its result tables, its Python quick start and its two commands.

The tables are produced by ``scripts/update_readme.py``; these tests recompute them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DETENTE = Path(sys.executable).with_name("detente")


def tables() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_readme",
                                                  ROOT / "scripts" / "update_readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_forecast_table_is_current() -> None:
    out = subprocess.run(
        [str(DETENTE), "forecast", str(ROOT / "examples" / "korea-2018.yaml"),
         "--format", "markdown"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    assert tables().shown(README, "forecast") == out, "run: python scripts/update_readme.py"


@pytest.mark.slow
def test_odds_table_is_current() -> None:
    t = tables()
    assert t.shown(README, "odds") == t.odds_block(), "run: python scripts/update_readme.py"


@pytest.mark.slow
@pytest.mark.shared
def test_backtest_table_is_current(shared: Path) -> None:
    t = tables()
    assert t.shown(README, "backtest") == t.backtest_block(), (
        "run: python scripts/update_readme.py")


def test_python_quick_start_runs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    block = README.split("## Quick start in Python", 1)[1].split("```python\n", 1)[1]
    code = block.split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, "README quick start", "exec"), {})
    printed = buf.getvalue()
    assert "Direct inter-Korean talks" in printed
    assert re.search(r"eum=\s*\d+\.\d", printed)
    assert "QuestionProbability(p=" in printed


def test_the_two_commands_exist() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "make demo" in README and "make test" in README
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "pytest" in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_every_command_in_the_readme_exists() -> None:
    from typer.main import get_command

    from detente.cli import app

    names = set(get_command(app).commands)  # type: ignore[attr-defined]
    used = set(re.findall(r"`detente ([a-z]+)", README))
    assert used <= names, used - names


def speed_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("speed_results",
                                                  ROOT / "benchmarks" / "results.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve the module by name
    spec.loader.exec_module(module)
    return module


def test_speed_figures_have_one_source() -> None:
    """docs/speed.md and the README's speed table are renderings of benchmarks/results.json."""
    speed = speed_module()
    stored = speed.load()
    assert {r.group for r in stored.values()} <= set(speed.GROUPS)
    page = (ROOT / "docs" / "speed.md").read_text(encoding="utf-8")
    assert page == speed.speed_page(stored), "run: python benchmarks/results.py"
    assert speed.shown(README, "speed") == speed.readme_block(stored), (
        "run: python benchmarks/results.py")
    for row in stored.values():  # a ratio is only ever printed for a peer timed in the same row
        assert (row.peer is None) == (row.peer_seconds is None), row.key


def test_speed_rendering_units_and_ratios() -> None:
    speed = speed_module()
    assert [speed.duration(s) for s in (5e-6, 0.0031, 0.17, 1.05, 13.2, 591.0, 5400.0)] == [
        "5 µs", "3.1 ms", "0.17 s", "1.1 s", "13 s", "591 s", "1.5 h"]
    row = speed.Measurement("k", "Exchange model", "p", 0.5, peer="Decide", peer_seconds=591.0)
    assert speed.times(row.ratio) == "1,182×"
    assert speed.table([row], dated=False)[-1] == (
        "| Exchange model | p | 0.50 s | Decide 591 s | 1,182× |")


@pytest.mark.shared
def test_news_table_is_current() -> None:
    t = tables()
    if not t.CORPUS.exists():
        pytest.skip("../shared/corpus is not available")
    assert t.shown(README, "news") == t.news_block(), "run: python scripts/update_readme.py news"
