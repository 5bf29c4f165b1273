"""Rich renderables as plain text, with user text taken literally."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType


def as_text(renderable: RenderableType, width: int = 120) -> str:
    """What ``renderable`` prints on a terminal ``width`` wide, without colours."""
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=False, markup=False, emoji=False,
            highlight=False).print(renderable)
    return buf.getvalue()
