"""Learning ensemble weights by cross-validation, grouped so that no case is split.

Issues are grouped by case (a DEU proposal: its issues share actors and a decision, so
splitting them across folds would leak); the groups are shuffled with a seeded generator and
dealt into ``folds`` folds. Each fold's forecasts use weights fitted on the other folds only,
so the reported error is out of sample.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from detente.models.ensemble import combine, fit_weights
from detente.scenario import Issue
from detente.types import Float

_PROPOSAL = re.compile(r"\bproposal (\S+)")


def issue_group(issue: Issue) -> str:
    """The case an issue belongs to: the DEU proposal named in its description, else itself."""
    match = _PROPOSAL.search(issue.description or "")
    return match.group(1) if match else issue.id


def fold_of(groups: list[str], folds: int, seed: int = 0) -> np.ndarray:
    """A fold number (0 … folds − 1) per item, whole groups to one fold, seeded."""
    names = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(names))
    fold = {names[g]: k % folds for k, g in enumerate(order)}
    return np.array([fold[g] for g in groups], dtype=np.int64)


@dataclass(frozen=True)
class CrossValidated:
    """Out-of-fold ensemble forecasts, the weights of each fold, and weights fitted on all."""

    forecasts: Float  # (issues,)
    samples: Float | None  # (draws, issues) or None
    fold_weights: Float  # (folds, members)
    weights: Float  # (members,) fitted on every issue
    folds: int


def cross_validate(forecasts: Float, outcomes: Float, groups: list[str], *, folds: int = 5,
                   seed: int = 0, samples: Float | None = None) -> CrossValidated:
    """Out-of-fold ensemble forecasts of (issues, members) ``forecasts``.

    ``samples`` (draws, issues, members), where given, are combined with the same weights
    as the point forecasts of their fold.
    """
    fold = fold_of(groups, folds, seed)
    out = np.empty(len(outcomes))
    mixed = None if samples is None else np.empty(samples.shape[:2])
    per_fold = []
    for k in range(folds):
        test = fold == k
        w = fit_weights(forecasts[~test], outcomes[~test])
        per_fold.append(w)
        out[test] = combine(forecasts[test], w)
        if mixed is not None and samples is not None:
            mixed[:, test] = combine(samples[:, test, :], w)
    return CrossValidated(out, mixed, np.array(per_fold), fit_weights(forecasts, outcomes), folds)
