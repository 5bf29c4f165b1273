"""The README stays true: its forecast table, its Python quick start and its two commands."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DETENTE = Path(sys.executable).with_name("detente")


def test_forecast_table_is_current() -> None:
    shown = README.split("<!-- forecast:begin -->\n", 1)[1].split("<!-- forecast:end -->", 1)[0]
    out = subprocess.run(
        [str(DETENTE), "forecast", str(ROOT / "examples" / "korea-2018.yaml"),
         "--format", "markdown"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    assert shown == out, "update the README table: detente forecast ... --format markdown"


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


def test_the_two_commands_exist() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "make demo" in README and "make test" in README
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "pytest" in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
