"""Bueno de Mesquita's expected utility model (EUM), as replicated by Scholz et al. (2011).

Each round every actor weighs, for every other actor, the expected utility of challenging it
and of being challenged by it; the resulting offers (conflict, compromise, capitulation) move
the actors, all at once, and the next round starts from the new positions. Equation numbers
follow Scholz, Calbert & Smith (2011). Where the published accounts leave room for more than
one reading, the default is the one that reproduces their Table 2 and the alternatives are
parameters (``docs/models/eum.md`` gives each choice and its grounds).

Two engines compute the same rounds: compiled with Numba, one row at a time, the rows in
parallel threads (``kernel``; the default, measured 2.5-5x faster per row than NumPy from 2
to 1,000 actors), and the reference engine in NumPy, vectorised over the rows of a batch and
over actor pairs (``engine``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

import numpy as np

from detente.models.base import BatchSolution, Footprint, IssueBatch, IssueModel, Tags
from detente.models.eum.engine import NumpyEngine
from detente.models.params import Param, Preset
from detente.types import Float

Outcome = Literal["median", "mean"]
ProbabilityNorm = Literal["all_pairs", "pair"]
DyadRisk = Literal["perceiver", "challenger"]
OfferChoice = Literal["scholz", "least_move", "highest_eu"]
Improvement = Literal["constant", "median"]
RangeBasis = Literal["positions", "issue"]
Ties = Literal["order_free", "input_order"]
Engine = Literal["auto", "numpy", "compiled"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "outcome": ("median", "mean"),
    "probability": ("all_pairs", "pair"),
    "dyad_risk": ("perceiver", "challenger"),
    "offer_choice": ("scholz", "least_move", "highest_eu"),
    "improvement": ("constant", "median"),
    "position_range": ("positions", "issue"),
    "ties": ("order_free", "input_order"),
    "engine": ("auto", "numpy", "compiled"),
}


@dataclass(frozen=True)
class ExpectedUtility(IssueModel):
    """Bueno de Mesquita's expected utility model of bargaining over one issue.

    Bueno de Mesquita (1985, 1994) as made explicit by Scholz, Calbert & Smith (2011). Each
    round: risk exponents from the actors' security levels, probabilities of success from
    capability × salience weighted third-party votes, expected utilities of challenging and
    of being challenged, offers, and simultaneous moves. The median reported per round is the
    Condorcet winner among the current positions under votes weighted by capability ×
    salience (the weighted median), the mean their capability × salience weighted mean.
    ``outcome`` is the median (or, by choice, the mean) after the last round run. The
    issue's status quo is not used: each actor takes its own position as the status quo.

    Parameters (the defaults reproduce Scholz et al. 2011, Table 2):

    - ``rounds``: the most rounds run (a count).
    - ``tolerance``: a row stops after the first round in which no actor moved more than
      this fraction of the position range; 0 runs all ``rounds``.
    - ``Q``: probability (0-1) that the status quo persists if i does not challenge j
      (eq. 25). Table 2 uses Q = 1, which makes ``T`` and the median irrelevant.
    - ``T``: probability (0-1) that, if the status quo changes without a challenge, it
      changes for the better for i (used where ``improvement`` is "constant").
    - ``improvement``: "constant" (``T`` as given) or "median" (T = 1 where i is closer to
      the median than to j, else 0; Eftekhari & Rahimi 2014).
    - ``probability``: "all_pairs" divides the votes for i over j by the absolute votes
      summed over all pairs (reproduces Table 2); "pair" by those over i and j only (eq. 30
      as printed).
    - ``dyad_risk``: the risk exponent with which i judges j's utility of challenging i:
      "perceiver" (i's own; reproduces Table 2) or "challenger" (j's).
    - ``offer_choice``: how an actor picks among several offers: "scholz" (conflicts, then
      compromises, then capitulations; within a kind the least move, except compromises:
      the lowest utility-weighted compromise point, as in the code behind Table 2),
      "least_move" (the smallest move of any kind) or "highest_eu" (the offer of the
      challenger that expects most from it).
    - ``capitulation``: whether i gives in fully to j where j's expected gain is positive but
      smaller than i's expected loss (False reproduces the known code, which never does; the
      Table 2 data never reach that case).
    - ``outcome``: "median" or "mean" of the positions after the last round.
    - ``position_range``: distances are divided by the span of the initial positions of the
      present actors ("positions") or by the issue's scale ("issue"; never narrower than
      the positions).
    - ``margin``: expected utilities closer than this count as equal, so that an offer needs
      a strict margin beyond it (0: exact comparisons, as in the code behind Table 2).
    - ``ties``: among offers equally good by ``offer_choice`` (moves or compromise points
      within 1e-12 of the range), "order_free" takes the challenger expecting most, then the
      lowest position, so that the order of the actors does not matter; "input_order" the
      first challenger in the order the actors are given, as the code behind Table 2 does.
    - ``engine``: how the rounds are computed, not what they give: "compiled" (Numba, row by
      row), "numpy" (vectorised over rows and pairs) or "auto" (compiled; NumPy's is the
      reference the compiled one is tested against). The engines agree to rounding; the
      choice is not a model parameter (not in ``parameters()``, not compared).
    """

    name = "eum"
    label = "Expected utility (Bueno de Mesquita)"
    citation = (
        "Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In "
        "Bueno de Mesquita & Stokman (eds.), European Community Decision Making, 71-104. Yale "
        "University Press; Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling "
        "Bueno de Mesquita's group decision model. Journal of Theoretical Politics 23(4): "
        "510-531."
    )
    presets: ClassVar[Mapping[str, Preset]] = {
        # every choice of that code, spelt out (docs/models/eum.md, EUM-13)
        "scholz-code": Preset(
            "the choices of the code behind Scholz et al.'s Table 2, including never "
            "capitulating", {
                "tolerance": 0.0, "Q": 1.0, "T": 1.0, "improvement": "constant",
                "probability": "all_pairs", "dyad_risk": "perceiver", "offer_choice": "scholz",
                "capitulation": False, "outcome": "median", "position_range": "positions",
                "margin": 0.0, "ties": "input_order",
                # powers as the code takes them (pow), not exp(r log b) (EUM-13)
                "engine": "numpy",
            }),
    }

    rounds: Annotated[int, Param("most rounds played", unit="rounds", ge=0)] = 10
    tolerance: Annotated[float, Param(
        "a row stops once no actor moves more than this share of the position range "
        "(0: play every round)", unit="share of the range", ge=0)] = 1e-6
    Q: Annotated[float, Param(
        "chance that the status quo persists if i does not challenge j (eq. 25)",
        unit="probability", ge=0, le=1)] = 1.0
    T: Annotated[float, Param(
        "chance that an unchallenged change of the status quo is for the better (eqs. 18-19)",
        unit="probability", ge=0, le=1)] = 1.0
    improvement: Annotated[Improvement, Param(
        "T as given (constant), or 1 where i is closer to the median than to j (median)")
    ] = "constant"
    probability: Annotated[ProbabilityNorm, Param(
        "votes for i over j divided by the votes over all pairs (all_pairs, Table 2) or over "
        "i and j only (pair, eq. 30 as printed)")] = "all_pairs"
    dyad_risk: Annotated[DyadRisk, Param(
        "whose risk exponent i uses to judge j's utility of challenging i")] = "perceiver"
    offer_choice: Annotated[OfferChoice, Param(
        "how an actor picks among several offers")] = "scholz"
    capitulation: Annotated[bool, Param(
        "i gives in fully where j gains less than i loses (the code behind Table 2 never does)")
    ] = True
    outcome: Annotated[Outcome, Param(
        "the forecast: weighted median or mean of the positions after the last round")
    ] = "median"
    position_range: Annotated[RangeBasis, Param(
        "distances divided by the span of the initial positions or by the issue's scale")
    ] = "positions"
    margin: Annotated[float, Param(
        "expected utilities closer than this count as equal (0: exact comparisons, as the "
        "code behind Table 2)", unit="utility", ge=0)] = 1e-12
    ties: Annotated[Ties, Param(
        "equally good offers: the challenger expecting most, then the lowest position "
        "(order_free), or the first challenger in input order (input_order, as that code)")
    ] = "order_free"
    engine: Annotated[Engine, Param(
        "how the rounds are computed, not what they give: compiled (Numba), numpy, or auto")
    ] = field(default="auto", compare=False)

    def footprint(self, actors: int, issues: int, rows: int | None = None) -> Footprint:
        """The compiled engine works one problem at a time on actor-pair arrays (measured:
        about 96 bytes per actor², benchmarks/bench_limits.py)."""
        base = super().footprint(actors, issues, rows)
        rows = issues if rows is None else rows
        pairs = float(actors) ** 2
        return Footprint(bytes=base.bytes + 96.0 * pairs,
                         seconds=base.seconds + 1e-9 * pairs * rows * (self.rounds + 1))

    def tags(self) -> Tags:
        return Tags(dynamic=True, batched=True)

    # ------------------------------------------------------------------ driver

    def compiled(self, n: int) -> bool:
        """Whether a batch with ``n`` actor slots runs on the compiled engine."""
        del n  # faster at every size measured (docs/models/eum.md, EUM-11)
        return self.engine != "numpy"

    def solve(self, batch: IssueBatch) -> BatchSolution:
        b, n = batch.position.shape
        if n == 0:
            nan = np.full((self.rounds + 1, b), np.nan)
            return BatchSolution(
                outcome=np.full(b, np.nan),
                positions=np.empty((self.rounds + 1, b, 0)),
                median=nan,
                mean=nan.copy(),
                rounds=np.zeros(b, dtype=np.int64),
                converged=np.zeros(b, dtype=bool),
            )
        if self.compiled(n):
            from detente.models.eum import kernel  # Numba loads on first use

            return kernel.solve(self, batch)
        return NumpyEngine(self).solve(batch)

    def scale(self, batch: IssueBatch) -> Float:
        """The range that normalises distances, per row (1 where it would be 0)."""
        pos, present = batch.position, batch.present
        hi = np.where(present, pos, -np.inf).max(axis=1)
        lo = np.where(present, pos, np.inf).min(axis=1)
        span = np.where(present.any(axis=1), hi - lo, 0.0)
        if self.position_range == "issue":
            span = np.fmax(span, batch.upper - batch.lower)
        return np.where(span > 0, span, 1.0)

