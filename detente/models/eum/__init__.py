"""Bueno de Mesquita's expected utility model: the model, its two engines, its perceptions."""

from detente.models.eum.model import ExpectedUtility
from detente.models.eum.perceptions import QUADRANTS, Perceptions, perceptions

__all__ = ["QUADRANTS", "ExpectedUtility", "Perceptions", "perceptions"]
