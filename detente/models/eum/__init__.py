"""Bueno de Mesquita's expected utility model: the model, its two engines, its perceptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

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


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "QUADRANTS",
    "ExpectedUtility",
    "Perceptions",
    "perceptions",
]
