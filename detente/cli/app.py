"""The ``detente`` command: one typer app that every command module adds its commands to."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="detente",
    help="Forecast multi-actor negotiations with the field's established models.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
