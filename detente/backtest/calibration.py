"""Calibrated probabilities: a model error added to the spread of the inputs.

Monte Carlo over input uncertainty gives the spread of a model's forecast, not of the
outcome: the model itself errs (on the DEU development split by 22 points and more on
average), and probabilities from the inputs alone come out overconfident. A calibrated
probability adds a normal model error with standard deviation σ (a share of the issue's
scale span) to every draw's forecast:

    P_σ(outcome ≥ t) = mean over draws d of Φ((x_d − t) / (σ · span))

(Φ(−·) for ``<=``/``<``; σ = 0 is the plain share of draws). σ is chosen per model from a
grid by the Brier score on cases with known outcomes: by cross-validation where the backtest
has enough cases (the same grouped folds as the ensemble), else the σ learned on the DEU III
development split. The error is not truncated to the scale, a small approximation near the
scale's ends.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import ndtr

from detente.scenario import Question
from detente.types import Float

#: Model-error sds tried, as shares of the issue's scale span.
SIGMA_GRID: tuple[float, ...] = tuple(round(0.01 * k, 2) for k in range(101))


def question_draws(samples: Float, columns: Sequence[int] | np.ndarray) -> Float:
    """(draws, questions): each question's issue column of (draws, issues) samples."""
    out: Float = samples[:, np.asarray(columns, dtype=np.intp)]
    return out


def probabilities(x: Float, questions: Sequence[Question], span: Float, sigma: float) -> Float:
    """P_σ(yes) per question from its (draws, questions) forecasts ``x``."""
    t = np.array([q.threshold for q in questions])
    upper = np.array([q.op in (">=", ">") for q in questions])
    finite = np.isfinite(x)
    if sigma <= 0:
        yes = np.column_stack([_holds(q, x[:, k]) for k, q in enumerate(questions)]) \
            if len(questions) else np.zeros(x.shape, bool)
        p = yes.mean(axis=0)
    else:
        z = (np.where(finite, x, t) - t) / (sigma * np.asarray(span))
        p = np.where(finite, ndtr(np.where(upper, z, -z)), 0.0).mean(axis=0)
    out: Float = np.where(finite.any(axis=0), p, np.nan)
    return out


def _holds(q: Question, x: Float) -> np.ndarray:
    t = q.threshold
    return {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t}[q.op]


def brier_at(x: Float, questions: Sequence[Question], span: Float, recorded: Float,
             sigma: float) -> float:
    p = probabilities(x, questions, span, sigma)
    ok = np.isfinite(p)
    return float(np.mean((p[ok] - recorded[ok]) ** 2)) if ok.any() else float("nan")


def fit_sigma(x: Float, questions: Sequence[Question], span: Float, recorded: Float) -> float:
    """The grid's σ with the lowest Brier score (the smallest of equals)."""
    scores = [brier_at(x, questions, span, recorded, s) for s in SIGMA_GRID]
    return SIGMA_GRID[int(np.nanargmin(scores))]


def cross_validated(x: Float, questions: Sequence[Question], span: Float, recorded: Float,
                    fold: np.ndarray) -> tuple[Float, float]:
    """Out-of-fold calibrated probabilities, and the σ fitted on every question."""
    p = np.empty(len(questions))
    for k in np.unique(fold):
        test = fold == k
        train = ~test
        qs_train = [q for q, m in zip(questions, train, strict=True) if m]
        qs_test = [q for q, m in zip(questions, test, strict=True) if m]
        s = fit_sigma(x[:, train], qs_train, span[train], recorded[train])
        p[test] = probabilities(x[:, test], qs_test, span[test], s)
    return p, fit_sigma(x, questions, span, recorded)
