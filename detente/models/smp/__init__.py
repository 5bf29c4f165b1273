"""KTAB's spatial model of politics: the model, its engine and the steps of a turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.models.smp.model import (
        SpatialModelOfPolitics as SpatialModelOfPolitics,
    )

_LAZY = {
    "SpatialModelOfPolitics": "detente.models.smp.model",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "SpatialModelOfPolitics",
]
