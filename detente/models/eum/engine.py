"""The expected utility model's reference engine: NumPy over the rows of a batch and actor pairs.

Internally arrays are laid out actors first and rows last, ``[i, j, row]``, so that
reductions over actors run over long contiguous rows when there are many small problems.
The one sum that looks cubic, the third-party votes behind each probability of success,
takes quadratic work once the actors are sorted by position (see ``_Votes``). Equation
numbers follow Scholz, Calbert & Smith (2011).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from detente.models.base import BatchSolution, IssueBatch, weighted_mean, weighted_median
from detente.types import Bool, Float, Int

if TYPE_CHECKING:
    from detente.models.eum.model import ExpectedUtility, ProbabilityNorm

#: Expected utilities (which lie in about [-4, 4]) closer than this count as equal, so that
#: rounding noise never decides an offer: the default of the model's ``margin``, and the
#: tolerance within which the dangers of section 5 count as all equal.
EU_TOL = 1e-12
#: Positions closer than this fraction of the position range count as equal.
POS_TOL = 1e-12
#: Rows are simulated in chunks whose (n, n, rows) arrays hold about this many numbers.
CHUNK_ELEMENTS = 1 << 16
#: Up to this many actor slots, voters below each midpoint are counted with an
#: (n, n, n, rows) comparison; above it, by binary search row by row.
SMALL_N = 24


class NumpyEngine:
    """The rounds of one model's parameters, vectorised over rows and actor pairs."""

    def __init__(self, model: ExpectedUtility) -> None:
        self.model = model
        self.rounds = model.rounds
        self.tolerance = model.tolerance
        self.Q, self.T = model.Q, model.T
        self.improvement = model.improvement
        self.probability = model.probability
        self.dyad_risk = model.dyad_risk
        self.offer_choice = model.offer_choice
        self.capitulation = model.capitulation
        self.margin = model.margin
        self.input_order = model.ties == "input_order"

    def rows(self, batch: IssueBatch) -> _Rows:
        """The fixed inputs of every row of ``batch``, actors first."""
        return _Rows(
            salience=batch.salience.T,
            weight=batch.weight.T,
            vote_weight=vote_weights(batch.weight, batch.capability, batch.present).T,
            present=batch.present.T,
            scale=self.model.scale(batch),
        )

    def solve(self, batch: IssueBatch) -> BatchSolution:
        """Every round of every row of ``batch``."""
        b, n = batch.position.shape
        present = batch.present
        rows = self.rows(batch)
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
        final = median[-1] if self.model.outcome == "median" else mean[-1]
        return BatchSolution(
            outcome=final.copy(),
            positions=positions,
            median=median,
            mean=mean,
            rounds=rounds_run,
            converged=converged,
        )

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

    def _round(self, x: Float, rows: _Rows) -> Float:
        """New positions (n, rows) after one round of challenges."""
        order = np.argsort(x, axis=0, kind="stable")
        new_sorted = self._sorted_round(np.take_along_axis(x, order, axis=0), rows.sort(order),
                                        order)
        new = np.empty_like(x)
        np.put_along_axis(new, order, new_sorted, axis=0)
        return new

    def _sorted_round(self, x: Float, rows: _Rows, slot: Int) -> Float:
        """One round on positions sorted along the actor axis (Scholz et al., appendix).

        Pair arrays are ``[i, j, row]``: i the actor deciding, j the other; ``slot`` (n, rows)
        is each sorted actor's place in the input order.
        """
        eu_ij, eu_ji, gap, valid = self._sorted_expected_utilities(x, rows)
        return self._move(x, eu_ij, eu_ji, gap, valid, rows.scale, slot)

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
        self, x: Float, eu_ij: Float, eu_ji: Float, gap: Float, valid: Bool, scale: Float,
        slot: Int,
    ) -> Float:
        """Classify the offer each j makes to each i; every i accepts its chosen one.

        From i's point of view (``eu_ij`` = E^i(U_ij), ``eu_ji`` = E^i(U_ji)): conflict that
        i loses where 0 < E(U_ij) < E(U_ji), so i moves to x_j; where E(U_ij) < 0 < E(U_ji),
        i compromises, moving the share |E(U_ij)| / E(U_ji) of the way to x_j, if j gains
        more than i loses, and otherwise capitulates to x_j. Every comparison of expected
        utilities needs the model's ``margin``.
        """
        a, b = eu_ij, eu_ji
        eps = self.margin
        conflict = valid & (a > eps) & (b > a + eps)
        yields = valid & (a < -eps) & (b > eps)
        compromise = yields & (b > eps - a)
        capitulate = yields & (b < -a - eps) if self.capitulation else valid & False
        # equally good offers: the challenger expecting most (then the lowest target), or
        # the first challenger in input order (docs/models/eum.md, EUM-10, EUM-13)
        if self.input_order:
            second, second_tol = np.broadcast_to(slot[None, :, :].astype(float), a.shape), 0.5
        else:
            second, second_tol = -b, eps

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
                has, pos = _pick(kind, key, tol, second, second_tol, target)
                new = np.where(has, pos, new)
            return new
        offers = conflict | compromise | capitulate
        if self.offer_choice == "least_move":
            has, pos = _pick(offers, move, tol, second, second_tol, target)
        elif self.input_order:  # highest_eu: the most expected, then the first in order
            has, pos = _pick(offers, -b, eps, second, second_tol, target)
        else:
            has, pos = _pick(offers, -b, eps, move, tol, target)
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


def vote_weights(weight: Float, capability: Float, present: Bool) -> Float:
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

    Ties (within ``key_tol``) go to the least ``second`` (−E^i(U_ji), so the challenger
    expecting most, or the challenger's place in the input order), then to the lowest
    target; with −E the choice never depends on the order of the actors. Returns whether i
    has any such offer, and the position it moves to.
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
