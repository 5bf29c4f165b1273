"""Bueno de Mesquita's expected utility model: the model, its two engines, its perceptions."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.models.eum.model import (
        ExpectedUtility as ExpectedUtility,
    )
    from detente.models.eum.perceptual import (
        QUADRANTS as QUADRANTS,
    )
    from detente.models.eum.perceptual import (
        Perceptions as Perceptions,
    )
    from detente.models.eum.perceptual import (
        perceptions as perceptions,
    )

_LAZY = {
    "ExpectedUtility": "detente.models.eum.model",
    "QUADRANTS": "detente.models.eum.perceptual",
    "Perceptions": "detente.models.eum.perceptual",
    "perceptions": "detente.models.eum.perceptual",
}


def __getattr__(name: str) -> Any:
    """The package's public names, imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "QUADRANTS",
    "ExpectedUtility",
    "Perceptions",
    "perceptions",
]
