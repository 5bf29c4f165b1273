"""The variations of a sweep: points of the variables' box by Latin hypercube, Sobol or grid.

The sweep's seed has two children (``SeedSequence(seed).spawn``): child 0 draws the sample,
child 1 the Monte Carlo, variation v from its own grandchild (1, v). So the variations and
each one's draws depend only on the spec, never on the tasks or the workers, and a resumed
sweep recomputes a missing variation exactly.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np

from detente.execution.base import child_seed
from detente.sweep.spec import SweepSpec
from detente.types import Float

SAMPLE_KEY = 0
DRAWS_KEY = 1


def unit_points(method: str, n: int, k: int, seed: int) -> Float:
    """Points of [0, 1]^k: ``n`` by Latin hypercube or scrambled Sobol (scipy.stats.qmc), or
    every combination of ``n`` evenly spaced levels (n ** k points, ends included)."""
    from scipy.stats import qmc

    rng = np.random.Generator(np.random.PCG64(child_seed(seed, SAMPLE_KEY)))
    if method == "lhs":
        out: Float = qmc.LatinHypercube(d=k, rng=rng).random(n)
        return out
    if method == "sobol":
        with warnings.catch_warnings():  # n need not be a power of 2 (SWP-3)
            warnings.simplefilter("ignore", UserWarning)
            out = qmc.Sobol(d=k, scramble=True, rng=rng).random(n)
        return out
    levels = np.linspace(0.0, 1.0, n)
    return np.array(list(itertools.product(levels, repeat=k)), dtype=float).reshape(-1, k)


def points(spec: SweepSpec) -> Float:
    """Every variation's values (variations, variables), as written (saliences on 0–100);
    integer parameters rounded to whole numbers."""
    k = len(spec.variables)
    u = unit_points(spec.sample, spec.n, k, spec.seed)
    low = np.array([v.low for v in spec.variables])
    high = np.array([v.high for v in spec.variables])
    out: Float = low + u * (high - low)
    for j, var in enumerate(spec.variables):
        if var.integer:
            out[:, j] = np.clip(np.rint(out[:, j]), var.low, var.high)
    out.setflags(write=False)
    return out
