"""The weighted Nash bargaining solution with the status quo as disagreement point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

import numpy as np

from detente.models.base import BatchSolution, IssueBatch, IssueModel, weighted_mean
from detente.models.params import Param
from detente.types import Float


@dataclass(frozen=True)
class NashBargaining(IssueModel):
    """Outcome = argmax over x of Σᵢ cᵢsᵢ · log(uᵢ(x) − uᵢ(q)), uᵢ(x) = −(x − xᵢ)².

    The asymmetric Nash (1950) bargaining solution as used in the EU decision-making
    literature: Schneider, G., Finke, D. & Bailer, S. (2010), "Bargaining power in the
    European Union: an evaluation of competing game-theoretic models", *Political Studies*
    58(1): 85–103; Thomson, Stokman, Achen & König (eds., 2006), *The European Union Decides*
    (Achen, ch. 4, for the quadratic-loss form whose limit for a distant status quo is the
    compromise model). Each actor's bargaining weight is capability × salience; the
    disagreement point ``q`` is the issue's status quo (DEU: the reference point).

    Only outcomes that leave every actor with weight at least as well off as the status quo
    are feasible: x between q and 2xᵢ − q for every i. Where actors stand on both sides of
    the status quo (or one stands on it) that is q alone, and the forecast is the status quo.
    Where an issue has no status quo, the forecast is the limit for a distant disagreement
    point, Σ cᵢsᵢxᵢ / Σ cᵢsᵢ (Achen 2006). ``iterations``: bisection steps on the
    first-order condition (the objective is concave on the feasible interval).
    """

    name: ClassVar[str] = "nash"
    label: ClassVar[str] = "Nash bargaining"
    citation: ClassVar[str] = (
        "Nash, J. F. (1950). The bargaining problem. Econometrica 18(2): 155-162; Schneider, "
        "G., Finke, D. & Bailer, S. (2010). Bargaining power in the European Union. Political "
        "Studies 58(1): 85-103; Achen, C. H. (2006), in Thomson et al. (eds.), The European "
        "Union Decides, ch. 4."
    )

    iterations: Annotated[int, Param(
        "bisection steps on the first-order condition", unit="steps", ge=1)] = 80

    def solve(self, batch: IssueBatch) -> BatchSolution:
        w = batch.weight
        w = np.where(w.sum(axis=1, keepdims=True) > 0, w, batch.capability)
        x, q = batch.position, batch.status_quo
        takes_part = w > 0
        mean = weighted_mean(x, w)
        has_sq = np.isfinite(q)
        q0 = np.where(has_sq, q, 0.0)
        # feasible interval: between q and the reflection of q about each ideal point
        mirror = 2.0 * x - q0[:, None]
        lo = np.maximum(np.where(takes_part, np.minimum(q0[:, None], mirror), -np.inf).max(axis=1),
                        batch.lower)
        hi = np.minimum(np.where(takes_part, np.maximum(q0[:, None], mirror), np.inf).min(axis=1),
                        batch.upper)
        lo, hi = np.minimum(lo, q0), np.maximum(hi, q0)  # q itself is always feasible
        outcome = self._maximise(x, w, q0, lo, hi)
        outcome = np.where(hi - lo > 0, outcome, q0)
        outcome = np.where(has_sq, outcome, mean)
        feasible = np.where(has_sq, hi - lo, np.nan)
        return BatchSolution(outcome=outcome, extra={"feasible_width": feasible})

    def _maximise(self, x: Float, w: Float, q: Float, lo: Float, hi: Float) -> Float:
        """Bisection on the derivative Σ wᵢ · (−2(t − xᵢ)) / gᵢ(t), which falls on (lo, hi)."""
        a, b = lo.copy(), hi.copy()
        for _ in range(self.iterations):
            t = (a + b) / 2.0
            gain = (q[:, None] - x) ** 2 - (t[:, None] - x) ** 2
            with np.errstate(divide="ignore", invalid="ignore"):
                slope = np.where(w > 0, w * (-2.0) * (t[:, None] - x) / gain, 0.0).sum(axis=1)
            rising = slope > 0
            a = np.where(rising, t, a)
            b = np.where(rising, b, t)
        return (a + b) / 2.0
