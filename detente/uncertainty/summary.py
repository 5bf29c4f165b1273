"""Summaries of a distribution of forecasts: mean, median, interval, question probabilities."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from detente.scenario import Issue, Question

#: The histogram kept per issue and model: this many equal bins over the issue's scale.
HISTOGRAM_BINS = 40
#: The interval reported: 5th to 95th percentile.
INTERVAL = (5.0, 95.0)


@dataclass(frozen=True)
class QuestionProbability:
    """P(yes) over the draws and its Monte Carlo standard error sqrt(p(1 − p)/draws).

    ``calibrated``, where asked for, adds the model's own error (see
    ``detente.backtest.calibration``) to the spread of its inputs.
    """

    p: float
    se: float
    calibrated: float | None = None

    def to_dict(self) -> dict[str, float | None]:
        out = {"p": _num(self.p), "se": _num(self.se)}
        if self.calibrated is not None:
            out["p_calibrated"] = _num(self.calibrated)
        return out


@dataclass(frozen=True)
class IssueSummary:
    """One model's distribution of forecasts for one issue, in the issue's units."""

    mean: float
    median: float
    sd: float
    interval: tuple[float, float]
    questions: dict[str, QuestionProbability] = field(default_factory=dict)
    edges: tuple[float, ...] = ()
    counts: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": _num(self.mean),
            "median": _num(self.median),
            "sd": _num(self.sd),
            "interval": [_num(self.interval[0]), _num(self.interval[1])],
            "questions": {k: v.to_dict() for k, v in self.questions.items()},
            "histogram": {"edges": list(self.edges), "counts": list(self.counts)},
        }


def question_probability(samples: NDArray[np.float64], question: Question) -> QuestionProbability:
    """Share of draws whose forecast answers ``question`` with yes (NaN draws count as no)."""
    x, t = samples, question.threshold
    yes = {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t}[question.op]
    n = x.size
    if n == 0 or not np.isfinite(x).any():
        return QuestionProbability(math.nan, math.nan)
    p = float(np.count_nonzero(yes)) / n
    return QuestionProbability(p, math.sqrt(p * (1.0 - p) / n))


def summarize(
    samples: NDArray[np.float64], issue: Issue, model_error_sd: float | None = None
) -> IssueSummary:
    """Mean, median, sd, 5–95 % interval, question probabilities and histogram of draws.

    With ``model_error_sd`` (a share of the scale span) each question also gets its
    calibrated probability.
    """
    finite = samples[np.isfinite(samples)]
    edges = np.linspace(issue.scale.min, issue.scale.max, HISTOGRAM_BINS + 1)
    counts, _ = np.histogram(finite, bins=edges)
    questions = {q.id: question_probability(samples, q) for q in issue.questions}
    if model_error_sd is not None and issue.questions:
        from detente.backtest.calibration import probabilities

        qs = list(issue.questions)
        x = np.repeat(samples[:, None], len(qs), axis=1)
        cal = probabilities(x, qs, np.full(len(qs), issue.scale.span), model_error_sd)
        questions = {q.id: replace(questions[q.id], calibrated=float(c))
                     for q, c in zip(qs, cal, strict=True)}
    if finite.size == 0:
        nan = math.nan
        return IssueSummary(nan, nan, nan, (nan, nan), questions,
                            tuple(map(float, edges)), tuple(map(int, counts)))
    lo, med, hi = np.percentile(finite, [INTERVAL[0], 50.0, INTERVAL[1]])
    constant = finite.min() == finite.max()  # exact inputs: no rounding noise in the sd
    return IssueSummary(
        mean=float(finite[0] if constant else finite.mean()),
        median=float(med),
        sd=float(finite.std(ddof=1)) if finite.size > 1 and not constant else 0.0,
        interval=(float(lo), float(hi)),
        questions=questions,
        edges=tuple(map(float, edges)),
        counts=tuple(map(int, counts)),
    )


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)
