"""Accuracy of point forecasts and of probabilities against recorded outcomes.

Errors are in points of the issue's scale rescaled to 0–100 (for a 0–100 issue, its own
units), so issues with different scales can be pooled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from detente.types import Float

#: Probability bins of the reliability table: [0, 0.1), [0.1, 0.2), …, [0.9, 1.0].
RELIABILITY_BINS = 10


def absolute_errors(forecast: Float, outcome: Float, span: Float | float = 100.0) -> Float:
    """|forecast − outcome| in points of a 0–100 rescaling of each issue's scale."""
    out: Float = np.abs(np.asarray(forecast) - np.asarray(outcome)) * (100.0 / np.asarray(span))
    return out


def mae(errors: Float) -> float:
    """Mean absolute error (NaN for no issues)."""
    return float(np.mean(errors)) if len(errors) else float("nan")


def within(errors: Float, points: float) -> float:
    """Share of issues whose error is at most ``points``."""
    return float(np.mean(errors <= points + 1e-9)) if len(errors) else float("nan")


def brier(p: Float, y: Float) -> float:
    """Mean squared difference of probabilities and 0/1 outcomes (lower is better)."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    return float(np.mean((p - y) ** 2)) if p.size else float("nan")


@dataclass(frozen=True)
class ReliabilityBin:
    """Forecasts with probability in [low, high): how many, their mean, how often yes."""

    low: float
    high: float
    n: int
    mean_p: float | None
    observed: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def reliability(p: Float, y: Float, bins: int = RELIABILITY_BINS) -> list[ReliabilityBin]:
    """The reliability (calibration) table: per probability bin, mean forecast and frequency.

    The last bin includes 1. A calibrated forecaster has ``observed`` ≈ ``mean_p`` in
    every bin.
    """
    p, y = np.asarray(p, float), np.asarray(y, float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        sel = idx == b
        n = int(sel.sum())
        out.append(ReliabilityBin(b / bins, (b + 1) / bins, n,
                                  float(p[sel].mean()) if n else None,
                                  float(y[sel].mean()) if n else None))
    return out


#: Bootstrap resamples of the paired difference, and their seed.
BOOTSTRAP_DRAWS = 2000
BOOTSTRAP_SEED = 0


@dataclass(frozen=True)
class PairedDifference:
    """MAE of a model minus that of a baseline on the same issues, with a bootstrap interval.

    ``low`` and ``high`` bound the 95% percentile interval of the difference over
    ``draws`` resamples of whole cases (DEU proposals); ``clear`` says it excludes 0.
    """

    baseline: str
    n: int
    cases: int
    difference: float
    low: float
    high: float
    draws: int
    seed: int

    @property
    def clear(self) -> bool:
        return bool(self.low > 0 or self.high < 0)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "excludes_zero": self.clear}


def paired_difference(errors: Float, baseline: Float, groups: Sequence[str], *,
                      name: str = "compromise", draws: int = BOOTSTRAP_DRAWS,
                      seed: int = BOOTSTRAP_SEED) -> PairedDifference:
    """Paired case bootstrap of mean(errors − baseline) over the issues both score.

    Cases (``groups``, one per issue) are drawn with replacement, as many as there are;
    each resample's difference is the mean over the issues of the drawn cases (a case drawn
    twice counts twice). Seeded, so the interval is reproducible.
    """
    e, b = np.asarray(errors, float), np.asarray(baseline, float)
    ok = np.isfinite(e) & np.isfinite(b)
    labels, case = np.unique(np.asarray(list(groups), dtype=object)[ok].astype(str),
                             return_inverse=True)
    d = (e - b)[ok]
    if not len(d):
        nan = float("nan")
        return PairedDifference(name, 0, 0, nan, nan, nan, draws, seed)
    g = len(labels)
    sums = np.bincount(case, weights=d, minlength=g)
    counts = np.bincount(case, minlength=g).astype(float)
    picks = np.random.default_rng(seed).multinomial(g, np.full(g, 1.0 / g), size=draws)
    boot = (picks @ sums) / (picks @ counts)
    low, high = np.quantile(boot, [0.025, 0.975])
    return PairedDifference(name, len(d), g, float(d.mean()), float(low), float(high),
                            draws, seed)
