"""Numbers as text and as JSON, the same way in every table, report and document."""

from __future__ import annotations

import math
from typing import Any


def digits_for(span: float) -> int:
    """Decimals that suit a scale of this span: 1 from 10 up, 2 from 1, else 3."""
    return 1 if span >= 10 else 2 if span >= 1 else 3


def missing(x: Any) -> bool:
    """None, NaN or infinite."""
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def in_units(x: float | None, span: float) -> str:
    """A value on an issue's scale, with the decimals its span suits; "–" when missing."""
    return "–" if missing(x) else f"{x:.{digits_for(span)}f}"


def fixed(x: float | None, digits: int = 1) -> str:
    """``x`` with ``digits`` decimals; "–" when missing."""
    return "–" if missing(x) else f"{x:.{digits}f}"


def percent(x: float | None) -> str:
    """A share as a whole percentage ("35 %"); "–" when missing."""
    return "–" if missing(x) else f"{100 * x:.0f} %"  # type: ignore[operator]


def significant(x: float | None, digits: int = 4) -> str:
    """``x`` to ``digits`` significant figures; "–" when missing."""
    return "–" if missing(x) else f"{x:.{digits}g}"


def cell(x: Any) -> str:
    """Any stored value for a table: numbers compact, None and NaN as "–"."""
    if missing(x):
        return "–"
    if isinstance(x, float):
        return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.0f}"
    return str(x)


def json_number(x: float | None) -> float | None:
    """A float for JSON: None where it is missing (JSON has no NaN)."""
    return None if missing(x) else float(x)  # type: ignore[arg-type]


def json_ready(value: Any) -> Any:
    """The same structure with missing numbers as None, tuples as lists, arrays as lists."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if hasattr(value, "tolist"):
        return json_ready(value.tolist())
    if isinstance(value, float):
        return json_number(value)
    return value
