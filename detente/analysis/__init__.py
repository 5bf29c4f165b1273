"""Analyses of a scenario and its forecasts: what drives them, who is pivotal, who is aligned.

- ``sensitivity.tornado``: one-at-a-time sensitivity of an issue's forecast to each input;
- ``pivotal.pivotal_actors``: the forecast with each actor left out, and effective power;
- ``what_it_takes.what_it_takes``: the smallest change of one actor's position, salience or
  capability that flips the answer to a question;
- ``sobol.sobol_indices``: first-order and total Sobol indices of the forecast's variance;
- ``explain.explain``: all of these for one model as one document;
- ``timeline.timeline``: each model's forecasts across the dated snapshots;
- ``alignment.realign``: distances between actors, blocs, the map and moves over time;
- ``settlement.settlement``: the exchange model's trades beside the single-issue models.

See ``docs/uncertainty.md``.
"""

from __future__ import annotations

from detente.analysis.pivotal import PivotalActor, pivotal_actors
from detente.analysis.sensitivity import TornadoBar, tornado
from detente.analysis.sobol import SobolIndex, sobol_indices
from detente.analysis.what_it_takes import Change, what_it_takes

__all__ = [
    "Change",
    "PivotalActor",
    "SobolIndex",
    "TornadoBar",
    "pivotal_actors",
    "sobol_indices",
    "tornado",
    "what_it_takes",
]
