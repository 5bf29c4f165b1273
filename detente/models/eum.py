"""Bueno de Mesquita's expected utility model (EUM), as replicated by Scholz et al. (2011).

Each round every actor weighs, for every other actor, the expected utility of challenging it
and of being challenged by it; the resulting offers (conflict, compromise, capitulation) move
the actors, all at once, and the next round starts from the new positions. Equation numbers
follow Scholz, Calbert & Smith (2011). Where the published accounts leave room for more than
one reading, the default is the one that reproduces their Table 2 and the alternatives are
parameters (DECISIONS.md gives each choice and its grounds).

Two engines compute the same rounds. By default they run compiled with Numba, one row at a
time, the rows in parallel threads (``eum_kernel``); measured 2.5-5x faster per row than
NumPy from 2 to 1,000 actors. The reference engine runs here, vectorised with NumPy over
the rows of a batch and over actor pairs. Internally its arrays are laid out
actors first and rows last, ``[i, j, row]``, so that reductions over actors run over long
contiguous rows when there are many small problems. The one sum that looks cubic, the
third-party votes behind each probability of success, takes quadratic work once the actors
are sorted by position (see ``_Votes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from detente.arrays import ScenarioArrays
from detente.models.base import (
    BatchSolution,
    Bool,
    Float,
    Int,
    IssueBatch,
    IssueModel,
    weighted_mean,
    weighted_median,
)

Outcome = Literal["median", "mean"]
ProbabilityNorm = Literal["all_pairs", "pair"]
DyadRisk = Literal["perceiver", "challenger"]
OfferChoice = Literal["scholz", "least_move", "highest_eu"]
Improvement = Literal["constant", "median"]
RangeBasis = Literal["positions", "issue"]
Engine = Literal["auto", "numpy", "compiled"]

#: Expected utilities (which lie in about [-4, 4]) closer than this count as equal, so that
#: rounding noise never decides an offer.
EU_TOL = 1e-12
#: Positions closer than this fraction of the position range count as equal.
POS_TOL = 1e-12
#: Rows are simulated in chunks whose (n, n, rows) arrays hold about this many numbers.
CHUNK_ELEMENTS = 1 << 16
#: Up to this many actor slots, voters below each midpoint are counted with an
#: (n, n, n, rows) comparison; above it, by binary search row by row.
SMALL_N = 24

_CHOICES: dict[str, tuple[str, ...]] = {
    "outcome": ("median", "mean"),
    "probability": ("all_pairs", "pair"),
    "dyad_risk": ("perceiver", "challenger"),
    "offer_choice": ("scholz", "least_move", "highest_eu"),
    "improvement": ("constant", "median"),
    "position_range": ("positions", "issue"),
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
    dynamic = True

    rounds: int = 10
    tolerance: float = 1e-6
    Q: float = 1.0
    T: float = 1.0
    improvement: Improvement = "constant"
    probability: ProbabilityNorm = "all_pairs"
    dyad_risk: DyadRisk = "perceiver"
    offer_choice: OfferChoice = "scholz"
    capitulation: bool = True
    outcome: Outcome = "median"
    position_range: RangeBasis = "positions"
    engine: Engine = field(default="auto", compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.rounds, bool) or not isinstance(self.rounds, int | np.integer):
            raise ValueError(f"rounds must be a whole number, got {self.rounds!r}")
        if self.rounds < 0:
            raise ValueError(f"rounds must be 0 or more, got {self.rounds}")
        if not self.tolerance >= 0:
            raise ValueError(f"tolerance must be 0 or more, got {self.tolerance}")
        for prob in ("Q", "T"):
            if not 0.0 <= getattr(self, prob) <= 1.0:
                raise ValueError(f"{prob} is a probability, 0 to 1; got {getattr(self, prob)}")
        if not isinstance(self.capitulation, bool | np.bool_):
            raise ValueError(f"capitulation must be true or false, got {self.capitulation!r}")
        for field_name, allowed in _CHOICES.items():
            if getattr(self, field_name) not in allowed:
                raise ValueError(
                    f"{field_name} must be one of {', '.join(allowed)}; "
                    f"got {getattr(self, field_name)!r}"
                )

    def parameters(self) -> dict[str, Any]:
        params = super().parameters()
        del params["engine"]  # how, not what: results do not depend on it
        return params

    # ------------------------------------------------------------------ driver

    def compiled(self, n: int) -> bool:
        """Whether a batch with ``n`` actor slots runs on the compiled engine."""
        del n  # faster at every size measured (DECISIONS.md, EUM computation)
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
        present = batch.present
        if self.compiled(n):
            return self._solve_compiled(batch)
        rows = _Rows(
            salience=batch.salience.T,
            weight=batch.weight.T,
            vote_weight=_vote_weights(batch.weight, batch.capability, present).T,
            present=present.T,
            scale=self._scale(batch),
        )
        traj = np.empty((self.rounds + 1, n, b))  # actors first, rows last
        traj[0] = batch.position.T
        rounds_run = np.zeros(b, dtype=np.int64)
        converged = np.zeros(b, dtype=bool)
        step = max(1, CHUNK_ELEMENTS // max(1, n * n))
        for lo in range(0, b, step):
            cols = np.arange(lo, min(b, lo + step))
            done, stopped = self._simulate(rows.columns(cols), traj[:, :, lo : lo + step])
            rounds_run[cols], converged[cols] = done, stopped

        positions = np.ascontiguousarray(traj.transpose(0, 2, 1))
        weights = rows.vote_weight.T
        median = weighted_median(positions, np.broadcast_to(weights, positions.shape))
        mean = weighted_mean(positions, weights)
        empty = ~present.any(axis=1)
        median[:, empty] = np.nan
        mean[:, empty] = np.nan
        final = median[-1] if self.outcome == "median" else mean[-1]
        return BatchSolution(
            outcome=final.copy(),
            positions=positions,
            median=median,
            mean=mean,
            rounds=rounds_run,
            converged=converged,
        )

    def _solve_compiled(self, batch: IssueBatch) -> BatchSolution:
        """``solve`` on the compiled engine (``eum_kernel``)."""
        from detente.models import eum_kernel  # Numba loads on first use

        run = eum_kernel.solve_rows(
            batch.position,
            batch.salience,
            batch.weight,
            _vote_weights(batch.weight, batch.capability, batch.present),
            batch.present,
            self._scale(batch),
            rounds=int(self.rounds),
            tolerance=float(self.tolerance),
            Q=float(self.Q),
            T=float(self.T),
            median_improvement=self.improvement == "median",
            pair_probability=self.probability == "pair",
            challenger_risk=self.dyad_risk == "challenger",
            offer_choice=self.offer_choice,
            capitulation=bool(self.capitulation),
        )
        final = run.median[-1] if self.outcome == "median" else run.mean[-1]
        return BatchSolution(
            outcome=final.copy(),
            positions=run.positions,
            median=run.median,
            mean=run.mean,
            rounds=run.rounds,
            converged=run.converged,
        )

    def _scale(self, batch: IssueBatch) -> Float:
        """The range that normalises distances, per row (1 where it would be 0)."""
        pos, present = batch.position, batch.present
        hi = np.where(present, pos, -np.inf).max(axis=1)
        lo = np.where(present, pos, np.inf).min(axis=1)
        span = np.where(present.any(axis=1), hi - lo, 0.0)
        if self.position_range == "issue":
            span = np.fmax(span, batch.upper - batch.lower)
        return np.where(span > 0, span, 1.0)

    def _simulate(self, rows: _Rows, traj: Float) -> tuple[Int, Bool]:
        """Run the rounds for a chunk of rows, filling ``traj`` (rounds + 1, n, rows).

        Returns the rounds run and whether each row converged.
        """
        x = traj[0].copy()
        has_actors = np.asarray(rows.present.any(axis=0), dtype=bool)
        running = has_actors.copy()
        rounds_run = np.zeros(x.shape[1], dtype=np.int64)
        converged = np.zeros(x.shape[1], dtype=bool)
        for r in range(1, self.rounds + 1):
            idx = np.flatnonzero(running)
            if idx.size:
                sub = rows.columns(idx)
                new = self._round(x[:, idx], sub)
                moved = (np.abs(new - x[:, idx]) * sub.present).max(axis=0)
                x[:, idx] = new
                rounds_run[idx] = r
                # with tolerance 0 a row where nothing moved is at a fixed point: later
                # rounds would repeat it exactly, so it need not be computed
                stop = moved <= self.tolerance * sub.scale
                converged[idx[stop]] = True
                running[idx[stop]] = False
            traj[r] = x
        if self.tolerance == 0:
            rounds_run[has_actors] = self.rounds
        return rounds_run, converged

    # ------------------------------------------------------------------ one round

    def _round(self, x: Float, rows: _Rows) -> Float:
        """New positions (n, rows) after one round of challenges."""
        order = np.argsort(x, axis=0, kind="stable")
        new_sorted = self._sorted_round(np.take_along_axis(x, order, axis=0), rows.sort(order))
        new = np.empty_like(x)
        np.put_along_axis(new, order, new_sorted, axis=0)
        return new

    def _sorted_round(self, x: Float, rows: _Rows) -> Float:
        """One round on positions sorted along the actor axis (Scholz et al., appendix).

        Pair arrays are ``[i, j, row]``: i the actor deciding, j the other.
        """
        eu_ij, eu_ji, gap, valid = self._sorted_expected_utilities(x, rows)
        return self._move(x, eu_ij, eu_ji, gap, valid, rows.scale)

    def _sorted_expected_utilities(
        self, x: Float, rows: _Rows
    ) -> tuple[Float, Float, Float, Bool]:
        """E^i(U_ij), E^i(U_ji), x_j − x_i and the pairs that can make offers, ``[i, j, row]``.

        Positions are sorted along the actor axis.
        """
        n = x.shape[0]
        gap = x[None, :, :] - x[:, None, :]  # x_j − x_i
        # Symmetric; within [0, 1] for present pairs (the range spans their positions), and
        # clipped so that empty slots' placeholder positions cannot make a negative base.
        dist = np.minimum(np.abs(gap) / rows.scale, 1.0)
        pair = rows.present[:, None, :] & rows.present[None, :, :]
        pair &= ~np.eye(n, dtype=bool)[:, :, None]
        votes = _Votes(x, rows.weight, pair)
        s_i, s_j = rows.salience[:, None, :], rows.salience[None, :, :]
        success, failure = 0.5 - 0.5 * dist, 0.5 + 0.5 * dist  # bases of eqs. 15-16
        to_median = None
        if self.Q < 1:  # |x_i − μ| / range, μ the current median
            mu = weighted_median(x.T, rows.vote_weight.T)
            to_median = np.abs(x - mu) / rows.scale

        # Security levels with every risk exponent 1 (section 5), then r_i (eqs. 32-33): the
        # danger to i is the sum over j of j's expected utility of challenging i.
        p1 = np.swapaxes(votes.win_probability(dist, None, self.probability), 0, 1)
        e1 = self._expected_utility(
            _utility(success, None),
            _utility(failure, None),
            0.0,
            s_i,
            p1,
            self._unprovoked(dist, to_median, None, challenger_axis=1),
        )
        risk = _risk_exponents((e1 * pair).sum(axis=1), rows.present)

        # Expected utilities of challenging, in i's risk exponent r_i (eqs. 15-30).
        p = votes.win_probability(dist, risk, self.probability)
        rho = risk[:, None, :]
        u_s, u_f = _utility(success, rho), _utility(failure, rho)
        u_sq = _utility(np.full((1, 1, 1), 0.5), rho)  # eq. 24
        eu_ij = self._expected_utility(  # E^i(U_ij): i challenging j
            u_s, u_f, u_sq, s_j, p, self._unprovoked(dist, to_median, rho, challenger_axis=0)
        )
        if self.dyad_risk == "perceiver":
            # E^i(U_ji): i's estimate of j's utility of challenging i, also in r_i (the
            # success and failure utilities depend on the distance only, shared with eu_ij)
            unprovoked = self._unprovoked(dist, to_median, rho, challenger_axis=1)
            eu_ji = self._expected_utility(u_s, u_f, u_sq, s_i, np.swapaxes(p, 0, 1), unprovoked)
        else:  # j's own expected utility, in r_j
            eu_ji = np.swapaxes(eu_ij, 0, 1)
        valid = pair & (gap != 0)
        return eu_ij, eu_ji, gap, valid

    def _unprovoked(
        self,
        dist: Float,
        to_median: Float | None,
        rho: Float | None,
        *,
        challenger_axis: int,
    ) -> Float | float:
        """T·U_b + (1 − T)·U_w (eqs. 18-19) for the challenger on ``challenger_axis``.

        What the challenger expects if it does not challenge and the status quo changes all
        the same; ``to_median`` is each actor's distance to the median. 0 where Q = 1 (then
        ``to_median`` is None), which makes it irrelevant.
        """
        if to_median is None:
            return 0.0
        m = to_median[:, None, :] if challenger_axis == 0 else to_median[None, :, :]
        spread = 0.25 * (m + dist)
        u_b = _utility(0.5 - spread, rho)  # eq. 18: things get better anyway
        u_w = _utility(0.5 + spread, rho)  # eq. 19: they get worse
        t = self.T if self.improvement == "constant" else (m < dist).astype(float)
        out: Float = t * u_b + (1.0 - t) * u_w
        return out

    def _expected_utility(
        self,
        u_s: Float,
        u_f: Float,
        u_sq: Float | float,
        s_target: Float,
        p: Float,
        unprovoked: Float | float,
    ) -> Float:
        """E(U) of a challenge (eq. 25).

        The target resists with probability s_target; the challenger then succeeds with
        probability p; Q is the chance the status quo persists without a challenge.
        """
        eu = u_s - s_target * (1.0 - p) * (u_s - u_f)
        return eu - self.Q * u_sq - (1.0 - self.Q) * unprovoked

    def _move(
        self, x: Float, eu_ij: Float, eu_ji: Float, gap: Float, valid: Bool, scale: Float
    ) -> Float:
        """Classify the offer each j makes to each i; every i accepts its chosen one.

        From i's point of view (``eu_ij`` = E^i(U_ij), ``eu_ji`` = E^i(U_ji)): conflict that
        i loses where 0 < E(U_ij) < E(U_ji), so i moves to x_j; where E(U_ij) < 0 < E(U_ji),
        i compromises, moving the share |E(U_ij)| / E(U_ji) of the way to x_j, if j gains
        more than i loses, and otherwise capitulates to x_j.
        """
        a, b = eu_ij, eu_ji
        conflict = valid & (a > EU_TOL) & (b > a + EU_TOL)
        yields = valid & (a < -EU_TOL) & (b > EU_TOL)
        compromise = yields & (b > EU_TOL - a)
        capitulate = yields & (b < -a - EU_TOL) if self.capitulation else valid & False

        share = np.divide(-a, b, out=np.zeros_like(a), where=compromise)
        xi = x[:, None, :]
        target = np.where(compromise, xi + gap * share, x[None, :, :])
        move = np.abs(target - xi)
        tol = POS_TOL * scale

        if self.offer_choice == "scholz":
            # a compromise is ranked by the point weighting both positions by |E|; lowest
            # first (measured from x_i)
            point = np.divide(b * gap, b - a, out=np.zeros_like(a), where=compromise)
            new = x.copy()
            for kind, key in ((capitulate, move), (compromise, point), (conflict, move)):
                has, pos = _pick(kind, key, tol, -b, EU_TOL, target)
                new = np.where(has, pos, new)
            return new
        offers = conflict | compromise | capitulate
        if self.offer_choice == "least_move":
            has, pos = _pick(offers, move, tol, -b, EU_TOL, target)
        else:
            has, pos = _pick(offers, -b, EU_TOL, move, tol, target)
        return np.where(has, pos, x)


# ---------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _Rows:
    """The fixed inputs of a set of rows, actors first: (n, rows), and ``scale`` (rows,)."""

    salience: Float
    weight: Float
    vote_weight: Float
    present: Bool
    scale: Float

    def columns(self, idx: Int) -> _Rows:
        return _Rows(
            self.salience[:, idx],
            self.weight[:, idx],
            self.vote_weight[:, idx],
            self.present[:, idx],
            self.scale[idx],
        )

    def sort(self, order: Int) -> _Rows:
        """The same rows with the actors of each row reordered by ``order`` (n, rows)."""

        def take(a: np.ndarray) -> np.ndarray:
            return np.take_along_axis(a, order, axis=0)

        return _Rows(
            take(self.salience),
            take(self.weight),
            take(self.vote_weight),
            take(self.present),
            self.scale,
        )


def _utility(base: Float, rho: Float | None) -> Float:
    """2 − 4·base^r, the utility form of eqs. 15-24 (r = 1 where ``rho`` is None)."""
    return 2.0 - 4.0 * (base if rho is None else np.power(base, rho))


def _vote_weights(weight: Float, capability: Float, present: Bool) -> Float:
    """capability × salience; capability where every salience is 0; else 1 per actor."""
    has_w = weight.sum(axis=1, keepdims=True) > 0
    has_c = capability.sum(axis=1, keepdims=True) > 0
    return np.where(has_w, weight, np.where(has_c, capability, present.astype(float)))


def _risk_exponents(danger: Float, present: Bool) -> Float:
    """r_i = (1 − R_i/3)/(1 + R_i/3), R_i the danger to i scaled to [-1, 1] (eqs. 32-33).

    The most endangered actor gets 0.5, the safest 2. Where every present actor is equally
    endangered every r_i is 1; empty slots get 1.
    """
    hi = np.where(present, danger, -np.inf).max(axis=0)
    lo = np.where(present, danger, np.inf).min(axis=0)
    spread = hi - lo
    flat = ~(spread > EU_TOL * np.fmax(1.0, np.abs(hi)))
    big_r = np.clip((2.0 * danger - hi - lo) / np.where(flat, 1.0, spread), -1.0, 1.0)
    return np.where(present & ~flat, (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), 1.0)


def _pick(
    offers: Bool,
    key: Float,
    key_tol: Float | float,
    second: Float,
    second_tol: Float | float,
    target: Float,
) -> tuple[Bool, Float]:
    """For each receiver i (axis 0), the offer j with the least ``key``.

    Ties (within ``key_tol``) go to the least ``second``, then to the lowest target, so the
    choice never depends on the order of the actors. Returns whether i has any such offer,
    and the position it moves to.
    """
    k = np.where(offers, key, np.inf)
    cand = offers & (k <= k.min(axis=1, keepdims=True) + key_tol)
    s = np.where(cand, second, np.inf)
    cand &= s <= s.min(axis=1, keepdims=True) + second_tol
    has = np.asarray(offers.any(axis=1), dtype=bool)
    pos: Float = np.where(cand, target, np.inf).min(axis=1)
    return has, pos


class _Votes:
    """Third-party votes over pairs of positions, for actors sorted by position.

    Voter k's loss from outcome x_a is w_k·(|x_k − x_a|/range)^{r_k}; its vote for i over j
    is its loss from x_j minus its loss from x_i, where positive (section 4). Whatever r_k,
    k prefers x_i exactly when it lies on i's side of the midpoint (x_i + x_j)/2, so with the
    voters sorted by position the votes for i over j are a difference of prefix sums up to
    the midpoint: O(n² log n) per row instead of O(n³).
    """

    def __init__(self, x: Float, weight: Float, pair: Bool) -> None:
        self.weight = weight
        self.below = _count_below_midpoints(x)
        self.lower = np.triu(np.ones((x.shape[0], x.shape[0]), dtype=bool), 1)[:, :, None]
        self.keep = pair & (x[:, None, :] != x[None, :, :])

    def for_over(self, dist: Float, risk: Float | None) -> Float:
        """N[i, j] = Σ_k w_k · max(0, loss_k(x_j) − loss_k(x_i)): the votes for i over j."""
        loss = dist if risk is None else np.power(dist, risk[:, None, :])  # loss[k, a]
        cum = np.zeros((loss.shape[0] + 1, *loss.shape[1:]))
        np.cumsum(self.weight[:, None, :] * loss, axis=0, out=cum[1:])
        # head[i, j]: loss to the voters below the midpoint of x_i and x_j, from x_j
        head = np.take_along_axis(cum, self.below, axis=0)
        lean = head - np.swapaxes(head, 0, 1)  # Σ_{x_k < mid} (loss_k(x_j) − loss_k(x_i))
        # for i below j (sorted, so i < j) the voters below the midpoint side with i; for i
        # above j those above it, whose sum is the total over all voters less ``lean``
        total = cum[-1]
        votes = np.where(self.lower, lean, (total[None, :, :] - total[:, None, :]) - lean)
        out: Float = np.maximum(votes, 0.0) * self.keep
        return out

    def win_probability(self, dist: Float, risk: Float | None, norm: ProbabilityNorm) -> Float:
        """P[i, j], i's probability of prevailing over j (eq. 30 and its reading)."""
        votes = self.for_over(dist, risk)
        if norm == "all_pairs":
            # Σ over ordered pairs (a, b) and voters of |vote| = 2 Σ_{a, b} N[a, b]
            total = np.broadcast_to(2.0 * votes.sum(axis=(0, 1)), votes.shape)
            p: Float = np.divide(votes, total, out=np.zeros_like(votes), where=total > 0)
            return p
        both = votes + np.swapaxes(votes, 0, 1)
        even = np.where(self.keep, 0.5, 0.0)  # no voter tells i and j apart
        p = np.divide(votes, both, out=even, where=both > 0)
        return p


def _count_below_midpoints(x: Float) -> Int:
    """For each pair (i, j) of sorted positions (n, rows): the slots below (x_i + x_j)/2."""
    n, b = x.shape
    mid = (x[:, None, :] + x[None, :, :]) * 0.5
    if n <= SMALL_N:
        return np.asarray((x[:, None, None, :] < mid[None]).sum(axis=0), dtype=np.int64)
    below = np.empty((n, n, b), dtype=np.int64)
    for row in range(b):  # few rows when n is large: chunks bound rows × n²
        below[:, :, row] = np.searchsorted(x[:, row], mid[:, :, row], side="left")
    return below


# ---------------------------------------------------------------------- perceptions

#: Names of the perceptual regions, indexed by the codes in :attr:`Perceptions.quadrant`.
QUADRANTS = ("none", "conflict", "compromise", "capitulation", "status quo")


@dataclass(frozen=True)
class Perceptions:
    """How each actor sees each other actor in one round, as in Bueno de Mesquita's
    perceptual quadrants. Arrays are ``[row, i, j]``: i the perceiver, j the other actor.

    - ``challenge``: E^i(U_ij), i's expected utility of challenging j.
    - ``challenged``: E^i(U_ji), what i believes j expects from challenging i.
    - ``quadrant``: a code into :data:`QUADRANTS`: conflict where both are positive; where
      one side expects to gain (E > 0) and the other to lose (E ≤ 0) the loser yields, by
      compromise where the winner's gain is at least the loser's loss, else by
      capitulation; status quo where neither expects to gain; none for an actor and itself,
      absent actors and actors at the same position.
    - ``yields``: +1 where i is the one expected to give way (i loses the conflict or
      compromises or capitulates), −1 where j is, 0 where neither (status quo, ties).
    """

    challenge: Float
    challenged: Float
    quadrant: NDArray[np.int8]
    yields: NDArray[np.int8]

    def region(self, row: int, i: int, j: int) -> str:
        """The name of the region of pair (i, j) in ``row``."""
        return QUADRANTS[int(self.quadrant[row, i, j])]


def perceptions(
    data: IssueBatch | ScenarioArrays,
    *,
    at_round: int = 0,
    model: ExpectedUtility | None = None,
) -> Perceptions:
    """Every actor's perception of every other actor at the start of round ``at_round + 1``.

    ``data`` is a batch (one row per problem) or a snapshot's arrays (one row per issue).
    Round 0 uses the stated positions; a later round the positions the model has reached
    after that many rounds. ``model`` supplies the parameters (default: the defaults).
    """
    eum = ExpectedUtility() if model is None else model
    batch = IssueBatch.from_arrays(data) if isinstance(data, ScenarioArrays) else data
    b, n = batch.position.shape
    if at_round < 0:
        raise ValueError(f"at_round must be 0 or more, got {at_round}")
    positions = batch.position
    if at_round > 0:
        traj = replace(eum, rounds=at_round, tolerance=0.0).solve(batch).positions
        assert traj is not None
        positions = traj[at_round]
    rows = _Rows(
        salience=batch.salience.T,
        weight=batch.weight.T,
        vote_weight=_vote_weights(batch.weight, batch.capability, batch.present).T,
        present=batch.present.T,
        scale=eum._scale(batch),
    )
    x = np.ascontiguousarray(positions.T)
    order = np.argsort(x, axis=0, kind="stable")
    eu_ij, eu_ji, _, valid = eum._sorted_expected_utilities(
        np.take_along_axis(x, order, axis=0), rows.sort(order)
    )
    inverse = np.argsort(order, axis=0)

    def unsort(a: np.ndarray) -> np.ndarray:
        shape = a.shape
        out = np.take_along_axis(a, np.broadcast_to(inverse[:, None, :], shape), axis=0)
        out = np.take_along_axis(out, np.broadcast_to(inverse[None, :, :], shape), axis=1)
        return np.moveaxis(out, 2, 0)  # [row, i, j]

    a, c, ok = unsort(eu_ij), unsort(eu_ji), unsort(valid)
    a = np.where(ok, a, np.nan)
    c = np.where(ok, c, np.nan)
    gain_i, gain_j = a > 0, c > 0
    quadrant = np.zeros((b, n, n), dtype=np.int8)
    yields = np.zeros((b, n, n), dtype=np.int8)
    conflict = ok & gain_i & gain_j
    j_gives = ok & gain_i & ~gain_j
    i_gives = ok & ~gain_i & gain_j
    quiet = ok & ~gain_i & ~gain_j
    quadrant[conflict] = 1
    # the side that expects to lose yields: by compromise where the other's gain is at
    # least its loss, otherwise by capitulation (the offer rule of ``_move``)
    quadrant[j_gives] = np.where(a[j_gives] >= -c[j_gives], 2, 3)
    quadrant[i_gives] = np.where(c[i_gives] >= -a[i_gives], 2, 3)
    quadrant[quiet] = 4
    yields[i_gives | (conflict & (c > a))] = 1
    yields[j_gives | (conflict & (a > c))] = -1
    return Perceptions(challenge=a, challenged=c, quadrant=quadrant, yields=yields)
