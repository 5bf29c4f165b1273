"""The forecasting models, one module each, and the registry that names them."""

from __future__ import annotations

from typing import Any

from detente.errors import InputError
from detente.models.base import (
    BatchSolution,
    IssueBatch,
    IssueForecast,
    IssueModel,
    Model,
    ModelResult,
    RoundState,
)
from detente.models.compromise import Compromise
from detente.models.eum import ExpectedUtility
from detente.models.exchange import Exchange
from detente.models.median import WeightedMedian
from detente.models.nash import NashBargaining
from detente.models.smp import SpatialModelOfPolitics

REGISTRY: dict[str, type[Model]] = {
    m.name: m
    for m in (
        Compromise,
        WeightedMedian,
        ExpectedUtility,
        NashBargaining,
        Exchange,
        SpatialModelOfPolitics,
    )
}


def register(model: type[Model]) -> type[Model]:
    """Add a model class to the registry under its ``name``."""
    REGISTRY[model.name] = model
    return model


def get_model(name: str, **params: Any) -> Model:
    """A model instance by registry name, with parameters."""
    try:
        cls = REGISTRY[name]
    except KeyError:
        raise InputError(
            f"unknown model {name!r}", hint=f"choose from: {', '.join(REGISTRY)}"
        ) from None
    return cls(**params)


__all__ = [
    "REGISTRY",
    "BatchSolution",
    "Compromise",
    "Exchange",
    "ExpectedUtility",
    "IssueBatch",
    "IssueForecast",
    "IssueModel",
    "Model",
    "ModelResult",
    "NashBargaining",
    "RoundState",
    "SpatialModelOfPolitics",
    "WeightedMedian",
    "get_model",
    "register",
]
