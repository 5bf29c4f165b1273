"""The compromise model: the capability × salience weighted mean of positions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.models.base import BatchSolution, IssueBatch, IssueModel, weighted_mean


@dataclass(frozen=True)
class Compromise(IssueModel):
    """Outcome = Σ cᵢ sᵢ xᵢ / Σ cᵢ sᵢ.

    The compromise model of EU decision-making studies: Achen (2006), "Evaluating political
    decision-making models", in Thomson, Stokman, Achen & König (eds.), *The European Union
    Decides*, Cambridge University Press, ch. 4; van den Bos (1991). Where every present actor
    has salience 0 the capability-weighted mean is used.
    """

    name = "compromise"
    label = "Compromise (weighted mean)"
    citation = (
        "Achen, C. H. (2006). Evaluating political decision-making models. In Thomson et al. "
        "(eds.), The European Union Decides, ch. 4. Cambridge University Press."
    )

    def solve(self, batch: IssueBatch) -> BatchSolution:
        w = batch.weight
        fallback = weighted_mean(batch.position, batch.capability)
        out = weighted_mean(batch.position, w)
        return BatchSolution(outcome=np.where(np.isnan(out), fallback, out))
