"""Probabilistic forecasts: Monte Carlo over the stated uncertainty of a scenario's inputs.

``simulate(scenario, models, draws=..., seed=...)`` returns a :class:`Simulation` with every
draw's forecast per model and issue, and ``summary(model, issue)``: mean, median, sd, the
5–95 % interval and the probability of each named question with its Monte Carlo standard
error. See ``docs/uncertainty.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.uncertainty.inputs import DefaultUncertainty as DefaultUncertainty
    from detente.uncertainty.inputs import UncertainInput as UncertainInput
    from detente.uncertainty.inputs import scenario_inputs as scenario_inputs
    from detente.uncertainty.sampling import Sampler as Sampler
    from detente.uncertainty.simulation import Simulation as Simulation
    from detente.uncertainty.simulation import simulate as simulate
    from detente.uncertainty.summary import IssueSummary as IssueSummary
    from detente.uncertainty.summary import QuestionProbability as QuestionProbability

__getattr__ = lazy_names(__name__, {
    "DefaultUncertainty": "detente.uncertainty.inputs",
    "UncertainInput": "detente.uncertainty.inputs",
    "scenario_inputs": "detente.uncertainty.inputs",
    "Sampler": "detente.uncertainty.sampling",
    "Simulation": "detente.uncertainty.simulation",
    "simulate": "detente.uncertainty.simulation",
    "IssueSummary": "detente.uncertainty.summary",
    "QuestionProbability": "detente.uncertainty.summary",
})

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
