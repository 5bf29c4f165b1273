"""The weighted median (median voter) model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.models.base import BatchSolution, IssueBatch, IssueModel, weighted_median


@dataclass(frozen=True)
class WeightedMedian(IssueModel):
    """Outcome = the position of the capability × salience weighted median actor.

    Black's (1948) median voter theorem with votes weighted by capability × salience, the
    baseline of Achen (2006) and of the DEU comparisons. A position where the cumulative
    weight is exactly half yields the midpoint to the next position (see ``weighted_median``).
    Where every present actor has salience 0 the capability-weighted median is used.
    """

    name = "median"
    label = "Weighted median"
    citation = (
        "Black, D. (1948). On the rationale of group decision-making. Journal of Political "
        "Economy 56(1): 23-34; Achen, C. H. (2006), in Thomson et al. (eds.), The European "
        "Union Decides, ch. 4."
    )

    def solve(self, batch: IssueBatch) -> BatchSolution:
        out = weighted_median(batch.position, batch.weight)
        fallback = weighted_median(batch.position, batch.capability)
        return BatchSolution(outcome=np.where(np.isnan(out), fallback, out))
