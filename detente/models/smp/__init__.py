"""KTAB's spatial model of politics: the model, its engine and the steps of a turn."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.models.smp.model import (
        SpatialModelOfPolitics as SpatialModelOfPolitics,
    )

_LAZY = {
    "SpatialModelOfPolitics": "detente.models.smp.model",
}


def __getattr__(name: str) -> Any:
    """The package's public names, imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SpatialModelOfPolitics",
]
