"""Sweeps: thousands of variations of a scenario's inputs and model parameters, each with its
own Monte Carlo, stored row by row in the workspace; scenario discovery on the results.

``SweepSpec`` (or ``--vary PATH=LO:HI``, or a YAML sweep file) says what varies; ``run_sweep``
runs it on any executor (``detente.execution``) and streams the results into the workspace;
``resume_sweep`` finishes an interrupted one; ``discover`` finds the boxes of inputs where a
question's answer is likely yes (PRIM) and scores the inputs. See ``docs/sweeps.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.sweep.runner import SweepOutcome as SweepOutcome
    from detente.sweep.runner import resume_sweep as resume_sweep
    from detente.sweep.runner import run_sweep as run_sweep
    from detente.sweep.runner import sweep as sweep
    from detente.sweep.spec import SweepSpec as SweepSpec
    from detente.sweep.spec import Variable as Variable
    from detente.sweep.spec import parse_vary as parse_vary
    from detente.sweep.spec import read_sweep_file as read_sweep_file

__getattr__ = lazy_names(__name__, {
    "SweepOutcome": "detente.sweep.runner",
    "resume_sweep": "detente.sweep.runner",
    "run_sweep": "detente.sweep.runner",
    "sweep": "detente.sweep.runner",
    "SweepSpec": "detente.sweep.spec",
    "Variable": "detente.sweep.spec",
    "parse_vary": "detente.sweep.spec",
    "read_sweep_file": "detente.sweep.spec",
})

__all__ = ["SweepOutcome", "SweepSpec", "Variable", "parse_vary", "read_sweep_file",
           "resume_sweep", "run_sweep", "sweep"]
