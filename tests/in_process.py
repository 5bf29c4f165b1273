"""The real command-line entry point (``detente.cli.main``) run in this process, for tests
that try many inputs: exit code, stdout, stderr, and the traceback of any uncaught error."""

from __future__ import annotations

import io
import sys
import traceback
import warnings
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from detente.cli import main


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    traceback: str | None

    @property
    def lines(self) -> list[str]:
        """The non-blank lines on stderr."""
        return [ln for ln in self.stderr.splitlines() if ln.strip()]


def invoke(*args: str | Path) -> Outcome:
    """``detente ARGS`` as the installed command runs it; warnings go to stderr as text."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["detente", *map(str, args)]
    tb = None
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err), warnings.catch_warnings(
                record=True) as caught:
            warnings.simplefilter("always")
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception:
                code, tb = 1, traceback.format_exc()
        for w in caught:
            err.write(f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}\n")
    finally:
        sys.argv = argv
    return Outcome(code, out.getvalue(), err.getvalue(), tb)
