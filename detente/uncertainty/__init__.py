"""Probabilistic forecasts: Monte Carlo over the stated uncertainty of a scenario's inputs.

``simulate(scenario, models, draws=..., seed=...)`` returns a :class:`Simulation` with every
draw's forecast per model and issue, and ``summary(model, issue)``: mean, median, sd, the
5–95 % interval and the probability of each named question with its Monte Carlo standard
error. See ``docs/uncertainty.md``.
"""

from __future__ import annotations

from detente.uncertainty.inputs import (
    DefaultUncertainty,
    UncertainInput,
    scenario_inputs,
)
from detente.uncertainty.sampling import Sampler
from detente.uncertainty.simulate import Simulation, simulate
from detente.uncertainty.summary import IssueSummary, QuestionProbability

__all__ = [
    "DefaultUncertainty",
    "IssueSummary",
    "QuestionProbability",
    "Sampler",
    "Simulation",
    "UncertainInput",
    "scenario_inputs",
    "simulate",
]
