"""KTAB's spatial model of politics: the model, its engine and the steps of a turn."""

from detente.models.smp.model import SpatialModelOfPolitics

__all__ = ["SpatialModelOfPolitics"]
