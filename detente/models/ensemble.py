"""An ensemble forecaster: a convex combination of other models' forecasts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.errors import InputError
from detente.models.base import BatchSolution, IssueBatch, IssueModel
from detente.types import Float


@dataclass(frozen=True)
class Ensemble(IssueModel):
    """Outcome = Σ_k w_k · (model k's outcome), w_k ≥ 0, Σ w_k = 1.

    Forecast combination (Bates & Granger 1969; Timmermann 2006) over the issue models in
    ``members`` (registry names) with ``weights`` (empty = equal). Weights are learned by
    :func:`fit_weights`, least squares under the simplex constraint; ``detente backtest``
    learns them by cross-validation on a development set. Rows where a member has no
    forecast (NaN) give NaN.
    """

    name = "ensemble"
    label = "Ensemble (weighted models)"
    citation = (
        "Bates, J. M. & Granger, C. W. J. (1969). The combination of forecasts. Operational "
        "Research Quarterly 20(4): 451-468; Timmermann, A. (2006). Forecast combinations. "
        "Handbook of Economic Forecasting 1: 135-196."
    )

    members: tuple[str, ...] = ("compromise", "median", "eum")
    weights: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not self.members:
            raise InputError("an ensemble needs at least one member model", field="members")
        if self.weights and len(self.weights) != len(self.members):
            raise InputError(f"{len(self.weights)} weights for {len(self.members)} members",
                             field="weights", hint="give one weight per member")
        if any(not np.isfinite(w) or w < 0 for w in self.weights) or (
                self.weights and sum(self.weights) <= 0):
            raise InputError("ensemble weights must be >= 0 and not all 0", field="weights")

    @classmethod
    def learned(cls) -> Ensemble:
        """The ensemble with the weights learned on the DEU III development split."""
        from detente.learned import learned

        doc = learned()["ensemble"]
        return cls(members=tuple(doc["members"]), weights=tuple(doc["weights"]))

    @property
    def normalized(self) -> Float:
        w = np.ones(len(self.members)) if not self.weights else np.asarray(self.weights, float)
        out: Float = w / w.sum()
        return out

    def solve(self, batch: IssueBatch) -> BatchSolution:
        from detente.models import get_model

        outs = []
        for member in self.members:
            model = get_model(member)
            if not isinstance(model, IssueModel):
                raise InputError(f"ensemble member {member!r} is not an issue model",
                                 field="members")
            outs.append(model.solve(batch).outcome)
        return BatchSolution(outcome=combine(np.stack(outs, axis=-1), self.normalized))


def combine(forecasts: Float, weights: Float) -> Float:
    """Σ_k w_k · forecasts[..., k]."""
    out: Float = forecasts @ weights
    return out


def fit_weights(forecasts: Float, outcomes: Float) -> Float:
    """Simplex weights minimising the squared error of ``forecasts`` (n, k) against ``outcomes``.

    Solved with SciPy's SLSQP from equal weights; the problem is convex, so the minimum is
    global (ties between collinear members are broken by the solver).
    """
    from scipy.optimize import minimize

    f = np.asarray(forecasts, float)
    y = np.asarray(outcomes, float)
    k = f.shape[1]
    if k == 1:
        return np.ones(1)
    scale = max(1.0, float(np.mean(y ** 2)))

    def loss(w: Float) -> float:
        r = f @ w - y
        return float(r @ r) / (len(y) * scale)

    def grad(w: Float) -> Float:
        out: Float = 2.0 * f.T @ (f @ w - y) / (len(y) * scale)
        return out

    res = minimize(loss, np.full(k, 1.0 / k), jac=grad, method="SLSQP",
                   bounds=[(0.0, 1.0)] * k,
                   constraints=[{"type": "eq", "fun": lambda w: float(w.sum() - 1.0),
                                 "jac": lambda w: np.ones_like(w)}],
                   options={"ftol": 1e-12, "maxiter": 500})
    w = np.clip(np.asarray(res.x, float), 0.0, None)
    out: Float = w / w.sum()
    return out
