"""The ``detente`` command line: one module per group of commands, all on one app.

The command modules import only typer and the option groups; each command imports what it
needs when it runs, so ``detente --help`` starts quickly.
"""

from __future__ import annotations

import sys

from detente.cli import (  # noqa: F401  (each module registers its commands)
    analysis_commands,
    backtest_commands,
    exchange_commands,
    explain_commands,
    news_commands,
    report_commands,
    scenario_commands,
    simulate_commands,
    sweep_commands,
    web_commands,
    workspace_commands,
)
from detente.cli.app import app
from detente.errors import DetenteError


def main() -> None:
    """Entry point: user errors become one line on stderr and exit code 2."""
    from detente import limits
    from detente.cli.options import say

    limits.set_memory_limit(None)
    limits.notify(say)
    try:
        app()
    except DetenteError as exc:
        from detente.cli.options import error

        error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)


__all__ = ["app", "main"]
