"""The expected utility model compiled with Numba, row by row.

The rounds of :class:`detente.models.eum.ExpectedUtility` (Scholz, Calbert & Smith 2011;
equation numbers as there) as loops over one row's actors, each row's small pair matrices
staying in cache; blocks of rows run side by side in threads (the compiled code releases
the GIL). The arithmetic follows the NumPy engine step by step: the same tie rules (the
model's ``margin`` on expected utilities, ``POS_TOL``, the order in which offers are
compared), the votes as differences of prefix sums over the voters in order of position,
sums in the same order. Only the powers differ: each base raised to a risk exponent is
exp(r·log b), the logarithm taken once per unordered pair (the distances of eqs. 27-29, the
success and failure bases of eqs. 15-16, shared by E^i(U_ij) and E^i(U_ji)) and the
exponential once per ordered pair, where NumPy calls its own ``power``. Results therefore
agree with the NumPy engine to rounding, not bit for bit (the tests hold them to 1e-9).

Compiled on first use (about 10 s) and cached on disk (``cache=True``, then about 0.5 s
with Numba's import); no ``fastmath``, so every operation rounds as IEEE 754 says.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

import numba
import numpy as np

from detente.models.base import BatchSolution, IssueBatch
from detente.models.eum.engine import EU_TOL, POS_TOL, vote_weights
from detente.types import Bool, Float, Int

if TYPE_CHECKING:
    from detente.models.eum.model import ExpectedUtility

#: Rows per task: each allocates its scratch space once; the tasks are shared out among
#: the threads.
BLOCK_ROWS = 1024
#: Codes of ``offer_choice``.
CHOICES = {"scholz": 0, "least_move": 1, "highest_eu": 2}

#: Offer kinds, in the order of precedence of the "scholz" choice (highest last).
_NONE, _CAPITULATION, _COMPROMISE, _CONFLICT = 0, 1, 2, 3
_LOG_HALF = math.log(0.5)


def _default_threads() -> int:
    """``DETENTE_THREADS`` if set, else the cores this process may run on."""
    if os.environ.get("DETENTE_THREADS", "").strip():
        return max(1, int(os.environ["DETENTE_THREADS"]))
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_threads = _default_threads()


def threads() -> int:
    """The threads the compiled engine runs on."""
    return _threads


def set_threads(count: int) -> None:
    """Run the compiled engine on ``count`` threads (at least 1) in this process."""
    global _threads
    _threads = max(1, int(count))


class Trajectories(NamedTuple):
    """What :func:`solve_rows` returns: ``positions`` (rounds + 1, rows, n), ``median`` and
    ``mean`` (rounds + 1, rows), ``rounds`` and ``converged`` (rows,)."""

    positions: Float
    median: Float
    mean: Float
    rounds: Int
    converged: Bool


def solve_rows(
    position: Float,
    salience: Float,
    weight: Float,
    vote_weight: Float,
    present: Bool,
    scale: Float,
    *,
    rounds: int,
    tolerance: float,
    Q: float,
    T: float,
    median_improvement: bool,
    pair_probability: bool,
    challenger_risk: bool,
    offer_choice: str,
    capitulation: bool,
    margin: float = EU_TOL,
    input_order: bool = False,
) -> Trajectories:
    """Run the model on every row; the inputs are (rows, n) and ``scale`` (rows,).

    ``weight`` is capability × salience (the votes), ``vote_weight`` the weights of the
    median and mean. The flags are the model's options: ``improvement == "median"``,
    ``probability == "pair"``, ``dyad_risk == "challenger"``, ``ties == "input_order"``;
    ``margin`` the model's margin on expected utilities. Each row is computed on its own, so
    the result does not depend on the threads or on the other rows.
    """
    b, n = position.shape
    positions = np.empty((rounds + 1, b, n))
    median = np.empty((rounds + 1, b))
    mean = np.empty((rounds + 1, b))
    rounds_run = np.zeros(b, dtype=np.int64)
    converged = np.zeros(b, dtype=np.bool_)
    args = (
        np.ascontiguousarray(position, dtype=np.float64),
        np.ascontiguousarray(salience, dtype=np.float64),
        np.ascontiguousarray(weight, dtype=np.float64),
        np.ascontiguousarray(vote_weight, dtype=np.float64),
        np.ascontiguousarray(present, dtype=np.bool_),
        np.ascontiguousarray(scale, dtype=np.float64),
        int(rounds),
        float(tolerance),
        float(Q),
        float(T),
        bool(median_improvement),
        bool(pair_probability),
        bool(challenger_risk),
        CHOICES[offer_choice],
        bool(capitulation),
        float(margin),
        bool(input_order),
        positions,
        median,
        mean,
        rounds_run,
        converged,
    )
    starts = range(0, b, BLOCK_ROWS)
    workers = min(_threads, len(starts))
    if workers <= 1:
        _solve(0, b, *args)
    else:
        with ThreadPoolExecutor(workers) as pool:
            tasks = [pool.submit(_solve, lo, min(b, lo + BLOCK_ROWS), *args) for lo in starts]
            for task in tasks:
                task.result()
    return Trajectories(positions, median, mean, rounds_run, converged)


def solve(model: ExpectedUtility, batch: IssueBatch) -> BatchSolution:
    """``model.solve(batch)`` on the compiled engine."""
    run = solve_rows(
        batch.position,
        batch.salience,
        batch.weight,
        vote_weights(batch.weight, batch.capability, batch.present),
        batch.present,
        model.scale(batch),
        rounds=int(model.rounds),
        tolerance=float(model.tolerance),
        Q=float(model.Q),
        T=float(model.T),
        median_improvement=model.improvement == "median",
        pair_probability=model.probability == "pair",
        challenger_risk=model.dyad_risk == "challenger",
        offer_choice=model.offer_choice,
        capitulation=bool(model.capitulation),
        margin=float(model.margin),
        input_order=model.ties == "input_order",
    )
    final = run.median[-1] if model.outcome == "median" else run.mean[-1]
    return BatchSolution(
        outcome=final.copy(),
        positions=run.positions,
        median=run.median,
        mean=run.mean,
        rounds=run.rounds,
        converged=run.converged,
    )


_F = TypeVar("_F", bound=Callable[..., Any])


def _compiled(*, inline: bool = False) -> Callable[[_F], _F]:
    """``numba.njit`` with the on-disk cache, releasing the GIL, typed for mypy.

    ``inline`` inlines the function into its callers in Numba's IR: an array passed to a
    compiled function that is not inlined costs two atomic reference count updates per
    call, which the helpers called per round or per actor cannot afford.
    """
    return cast(
        Callable[[_F], _F],
        numba.njit(cache=True, nogil=True, inline="always" if inline else "never"),
    )


# ---------------------------------------------------------------------- compiled code
#
# Scratch space, allocated once per task and indexed with constant slots (array views, and
# array arguments of functions that are not inlined, would each cost atomic reference
# counting per call):
# - ``pm`` (9, n, n), pair matrices [slot, i, j]: i the actor deciding, j the other;
# - ``av`` (8, n) float and ``iv`` (2, n) int, per actor;
# - ``cum`` (n + 1, n): prefix sums of the voters' losses; ``below`` (n, n): voters below
#   each midpoint; ``keep`` (n, n): the pairs that can make offers.

_DIST, _LOSS, _VOTES, _PROB, _EU_IJ, _EU_JI, _LOG_D, _LOG_S, _LOG_F = range(9)
_X, _NEW, _RISK, _DANGER, _TO_MEDIAN, _MOVE, _POINT, _TARGET = range(8)
_ORDER, _KIND = range(2)


@_compiled()
def _solve(
    start: int,
    stop: int,
    position: Float,
    salience: Float,
    weight: Float,
    vote_weight: Float,
    present: Bool,
    scale: Float,
    rounds: int,
    tolerance: float,
    q: float,
    t: float,
    median_improvement: bool,
    pair_probability: bool,
    challenger_risk: bool,
    choice: int,
    capitulation: bool,
    margin: float,
    input_order: bool,
    positions: Float,
    median: Float,
    mean: Float,
    rounds_run: Int,
    converged: Bool,
) -> None:
    """Fill the outputs of rows ``start`` to ``stop`` − 1."""
    n = position.shape[1]
    pm = np.zeros((9, n, n))
    av = np.zeros((8, n))
    iv = np.zeros((2, n), dtype=np.int64)
    cum = np.zeros((n + 1, n))
    below = np.zeros((n, n), dtype=np.int64)
    keep = np.zeros((n, n), dtype=np.bool_)
    for row in range(start, stop):
        _simulate_row(
            row, position, salience, weight, vote_weight, present, scale, rounds,
            tolerance, q, t, median_improvement, pair_probability, challenger_risk,
            choice, capitulation, margin, input_order, positions, median, mean, rounds_run,
            converged, pm, av, iv, cum, below, keep,
        )


@_compiled()
def _simulate_row(
    row: int,
    position: Float,
    salience: Float,
    weight: Float,
    vote_weight: Float,
    present: Bool,
    scale: Float,
    rounds: int,
    tolerance: float,
    q: float,
    t: float,
    median_improvement: bool,
    pair_probability: bool,
    challenger_risk: bool,
    choice: int,
    capitulation: bool,
    margin: float,
    input_order: bool,
    positions: Float,
    median: Float,
    mean: Float,
    rounds_run: Int,
    converged: Bool,
    pm: Float,
    av: Float,
    iv: Int,
    cum: Float,
    below: Int,
    keep: Bool,
) -> None:
    """All rounds of one row: a row stops (and its later rounds repeat it) after the first
    round in which no present actor moved more than ``tolerance`` × the range."""
    n = position.shape[1]
    sc = scale[row]
    has_actors = False
    for i in range(n):
        av[_X, i] = position[row, i]
        positions[0, row, i] = position[row, i]
        has_actors = has_actors or present[row, i]
    _sort(av, iv)
    med = _weighted_median(av, vote_weight, row, iv) if has_actors else np.nan
    avg = _weighted_mean(av, vote_weight, row) if has_actors else np.nan
    median[0, row] = med
    mean[0, row] = avg
    running = has_actors
    for r in range(1, rounds + 1):
        if running:
            _round(row, med, salience, weight, present, sc, q, t, median_improvement,
                   pair_probability, challenger_risk, choice, capitulation, margin,
                   input_order, pm, av, iv, cum, below, keep)
            moved = 0.0
            for i in range(n):
                if present[row, i]:
                    moved = max(moved, abs(av[_NEW, i] - av[_X, i]))
                av[_X, i] = av[_NEW, i]
            rounds_run[row] = r
            if moved <= tolerance * sc:
                converged[row] = True
                running = False
            _sort(av, iv)
            med = _weighted_median(av, vote_weight, row, iv)
            avg = _weighted_mean(av, vote_weight, row)
        for i in range(n):
            positions[r, row, i] = av[_X, i]
        median[r, row] = med
        mean[r, row] = avg
    if tolerance == 0 and has_actors:
        rounds_run[row] = rounds


@_compiled(inline=True)
def _round(
    row: int,
    mu: float,
    salience: Float,
    weight: Float,
    present: Bool,
    sc: float,
    q: float,
    t: float,
    median_improvement: bool,
    pair_probability: bool,
    challenger_risk: bool,
    choice: int,
    capitulation: bool,
    margin: float,
    input_order: bool,
    pm: Float,
    av: Float,
    iv: Int,
    cum: Float,
    below: Int,
    keep: Bool,
) -> None:
    """One round of challenges (Scholz et al., appendix): ``av[_NEW]`` from ``av[_X]``,
    which ``iv[_ORDER]`` sorts; ``mu`` is its weighted median."""
    n = av.shape[1]
    for i in range(n):
        pm[_DIST, i, i] = 0.0
        keep[i, i] = False
        x_i = av[_X, i]
        here_i = present[row, i]
        votes_i = weight[row, i] != 0.0
        for j in range(i + 1, n):
            x_j = av[_X, j]
            # symmetric, within [0, 1] for present pairs; clipped for empty slots
            d = min(abs(x_j - x_i) / sc, 1.0)
            pm[_DIST, i, j] = d
            pm[_DIST, j, i] = d
            apart = here_i and present[row, j] and x_i != x_j
            keep[i, j] = apart
            keep[j, i] = apart
            # the logarithms of the bases raised to risk exponents, each shared by (i, j)
            # and (j, i): b^r = exp(r·log b)
            if d > 0.0 and (votes_i or weight[row, j] != 0.0):
                log_d = math.log(d)
                pm[_LOG_D, i, j] = log_d
                pm[_LOG_D, j, i] = log_d
            if apart:
                log_s = math.log(0.5 - 0.5 * d)
                log_f = math.log(0.5 + 0.5 * d)
                pm[_LOG_S, i, j] = log_s
                pm[_LOG_S, j, i] = log_s
                pm[_LOG_F, i, j] = log_f
                pm[_LOG_F, j, i] = log_f
    for a in range(n):  # the voters below each midpoint, pairs in order of position
        i = iv[_ORDER, a]
        x_i = av[_X, i]
        c = 0
        for b in range(a + 1, n):  # the midpoints rise with b
            j = iv[_ORDER, b]
            mid = (x_i + av[_X, j]) * 0.5
            while c < n and av[_X, iv[_ORDER, c]] < mid:
                c += 1
            below[i, j] = c
    unprovoked = q < 1.0
    if unprovoked:  # |x_i − μ| / range, μ the current median
        for i in range(n):
            av[_TO_MEDIAN, i] = abs(av[_X, i] - mu) / sc

    # Security levels with every risk exponent 1 (section 5), then r_i (eqs. 31-33): the
    # danger to i is the sum over j of j's expected utility of challenging i.
    _votes(pm, _DIST, weight, row, iv, below, keep, cum)
    _probabilities(pm, iv, keep, pair_probability)
    for i in range(n):
        total = 0.0
        if present[row, i]:
            for b in range(n):  # in order of position, as the NumPy engine adds them
                j = iv[_ORDER, b]
                if j == i or not present[row, j]:
                    continue
                d = pm[_DIST, i, j]
                u_s = 2.0 - 4.0 * (0.5 - 0.5 * d)
                u_f = 2.0 - 4.0 * (0.5 + 0.5 * d)
                eu = u_s - salience[row, i] * (1.0 - pm[_PROB, j, i]) * (u_s - u_f)
                other = 0.0
                if unprovoked:
                    other = _unprovoked(av[_TO_MEDIAN, j], d, 1.0, t, median_improvement, False)
                total += eu - q * 0.0 - (1.0 - q) * other
        av[_DANGER, i] = total
    _risk_exponents(av, present, row)

    # the voters' losses dist^r_k, one power per ordered pair (eqs. 27-29)
    for k in range(n):
        rk = av[_RISK, k]
        if weight[row, k] == 0.0:
            continue
        for a in range(n):
            d = pm[_DIST, k, a]
            pm[_LOSS, k, a] = d if rk == 1.0 or d == 0.0 else math.exp(rk * pm[_LOG_D, k, a])
    _votes(pm, _LOSS, weight, row, iv, below, keep, cum)
    _probabilities(pm, iv, keep, pair_probability)

    # E^i(U_ij) and E^i(U_ji) in r_i (eqs. 15-30)
    for i in range(n):
        if not present[row, i]:
            continue
        ri = av[_RISK, i]
        flat = ri == 1.0
        u_sq = 2.0 - 4.0 * (0.5 if flat else math.exp(ri * _LOG_HALF))  # eq. 24
        for j in range(n):
            if not keep[i, j]:
                continue
            d = pm[_DIST, i, j]
            if flat:
                u_s = 2.0 - 4.0 * (0.5 - 0.5 * d)
                u_f = 2.0 - 4.0 * (0.5 + 0.5 * d)
            else:
                u_s = 2.0 - 4.0 * math.exp(ri * pm[_LOG_S, i, j])  # eq. 15
                u_f = 2.0 - 4.0 * math.exp(ri * pm[_LOG_F, i, j])  # eq. 16
            other = 0.0
            if unprovoked:
                other = _unprovoked(av[_TO_MEDIAN, i], d, ri, t, median_improvement, True)
            pm[_EU_IJ, i, j] = (u_s - salience[row, j] * (1.0 - pm[_PROB, i, j]) * (u_s - u_f)
                                - q * u_sq - (1.0 - q) * other)
            if not challenger_risk:
                other = 0.0
                if unprovoked:
                    other = _unprovoked(av[_TO_MEDIAN, j], d, ri, t, median_improvement, True)
                pm[_EU_JI, i, j] = (
                    u_s - salience[row, i] * (1.0 - pm[_PROB, j, i]) * (u_s - u_f)
                    - q * u_sq - (1.0 - q) * other)
    if challenger_risk:  # j's own expected utility, in r_j
        for i in range(n):
            for j in range(n):
                if keep[i, j]:
                    pm[_EU_JI, i, j] = pm[_EU_IJ, j, i]

    tol = POS_TOL * sc
    for i in range(n):
        av[_NEW, i] = av[_X, i]
        if present[row, i]:
            av[_NEW, i] = _offer(i, pm, av, iv, keep, tol, choice, capitulation, margin,
                                 input_order)


@_compiled(inline=True)
def _sort(av: Float, iv: Int) -> None:
    """``iv[_ORDER]`` sorts ``av[_X]``, equal positions in slot order (as NumPy's stable
    argsort)."""
    for i in range(av.shape[1]):  # insertion sort
        v = av[_X, i]
        j = i - 1
        while j >= 0 and av[_X, iv[_ORDER, j]] > v:
            iv[_ORDER, j + 1] = iv[_ORDER, j]
            j -= 1
        iv[_ORDER, j + 1] = i


@_compiled(inline=True)
def _votes(
    pm: Float, src: int, weight: Float, row: int, iv: Int, below: Int, keep: Bool, cum: Float
) -> None:
    """pm[_VOTES, i, j] = Σ_k w_k · max(0, L[k, j] − L[k, i]) for the pairs kept, else 0.

    The votes for i over j (section 4), ``L = pm[src]`` the voters' losses (L[k, a]: k's
    loss from outcome x_a). Whatever its risk exponent, k prefers x_i to x_j exactly when it
    lies on i's side of their midpoint, so with the voters in order of position the votes
    are differences of prefix sums, added up as in the NumPy engine's ``_Votes``.
    """
    n = pm.shape[1]
    for a in range(n):
        cum[0, a] = 0.0
    for c in range(n):
        k = iv[_ORDER, c]
        wk = weight[row, k]
        for a in range(n):
            cum[c + 1, a] = cum[c, a] + wk * pm[src, k, a] if wk != 0.0 else cum[c, a]
    for a in range(n):
        i = iv[_ORDER, a]
        pm[_VOTES, i, i] = 0.0
        for b in range(a + 1, n):
            j = iv[_ORDER, b]  # i below j: the voters below the midpoint side with i
            if keep[i, j]:
                c = below[i, j]
                pm[_VOTES, i, j] = max(cum[c, j] - cum[c, i], 0.0)
                pm[_VOTES, j, i] = max((cum[n, i] - cum[n, j]) - (cum[c, i] - cum[c, j]), 0.0)
            else:
                pm[_VOTES, i, j] = 0.0
                pm[_VOTES, j, i] = 0.0


@_compiled(inline=True)
def _probabilities(pm: Float, iv: Int, keep: Bool, pair: bool) -> None:
    """pm[_PROB, i, j], i's probability of prevailing over j (eq. 30 and its reading).

    "all_pairs": the votes over twice their sum over all ordered pairs; "pair": over the
    votes for i and for j (one half where no voter tells them apart).
    """
    n = pm.shape[1]
    if not pair:
        total = 0.0
        for a in range(n):
            for b in range(n):
                total += pm[_VOTES, iv[_ORDER, a], iv[_ORDER, b]]
        total *= 2.0
        for i in range(n):
            for j in range(n):
                pm[_PROB, i, j] = pm[_VOTES, i, j] / total if total > 0.0 else 0.0
        return
    for i in range(n):
        for j in range(n):
            both = pm[_VOTES, i, j] + pm[_VOTES, j, i]
            if both > 0.0:
                pm[_PROB, i, j] = pm[_VOTES, i, j] / both
            else:
                pm[_PROB, i, j] = 0.5 if keep[i, j] else 0.0


@_compiled()
def _unprovoked(
    m: float, d: float, rho: float, t: float, median_improvement: bool, powered: bool
) -> float:
    """T·U_b + (1 − T)·U_w (eqs. 18-19): the challenger's utility if the status quo changes
    without a challenge; ``m`` its distance to the median, ``d`` to the other actor."""
    spread = 0.25 * (m + d)
    u_b: float
    u_w: float
    if powered:
        u_b = 2.0 - 4.0 * (0.5 - spread) ** rho
        u_w = 2.0 - 4.0 * (0.5 + spread) ** rho
    else:
        u_b = 2.0 - 4.0 * (0.5 - spread)
        u_w = 2.0 - 4.0 * (0.5 + spread)
    tt = (1.0 if m < d else 0.0) if median_improvement else t
    return tt * u_b + (1.0 - tt) * u_w


@_compiled(inline=True)
def _risk_exponents(av: Float, present: Bool, row: int) -> None:
    """r_i = (1 − R_i/3)/(1 + R_i/3), R_i the danger to i scaled to [-1, 1] (eqs. 32-33);
    1 where every present actor is equally endangered, and in empty slots."""
    n = av.shape[1]
    hi = -np.inf
    lo = np.inf
    for i in range(n):
        if present[row, i]:
            hi = max(hi, av[_DANGER, i])
            lo = min(lo, av[_DANGER, i])
    spread = hi - lo
    flat = not (spread > EU_TOL * max(1.0, abs(hi)))
    for i in range(n):
        av[_RISK, i] = 1.0
        if present[row, i] and not flat:
            big_r = min(max((2.0 * av[_DANGER, i] - hi - lo) / spread, -1.0), 1.0)
            av[_RISK, i] = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


@_compiled(inline=True)
def _offer(
    i: int, pm: Float, av: Float, iv: Int, keep: Bool, tol: float, choice: int,
    capitulation: bool, margin: float, input_order: bool,
) -> float:
    """The position i moves to: the offer it accepts, or x_i where it has none.

    Conflict that i loses where 0 < E(U_ij) < E(U_ji) (i moves to x_j); where
    E(U_ij) < 0 < E(U_ji), compromise (the share |E(U_ij)| / E(U_ji) of the way to x_j) if
    j gains more than i loses, else capitulation (to x_j). Each offer's kind, move,
    compromise point (ranked by "scholz") and target go to ``iv[_KIND]``, ``av[_MOVE]``,
    ``av[_POINT]`` and ``av[_TARGET]``. Every comparison of expected utilities needs
    ``margin``; equally good offers go as ``_pick`` says.
    """
    n = av.shape[1]
    xi: float = av[_X, i]
    best = _NONE
    for j in range(n):
        iv[_KIND, j] = _NONE
        if not keep[i, j]:
            continue
        a = pm[_EU_IJ, i, j]
        b = pm[_EU_JI, i, j]
        gap = av[_X, j] - xi
        yields = a < -margin and b > margin
        if a > margin and b > a + margin:
            iv[_KIND, j] = _CONFLICT
            av[_TARGET, j] = av[_X, j]
        elif yields and b > margin - a:
            iv[_KIND, j] = _COMPROMISE
            av[_TARGET, j] = xi + gap * (-a / b)
            av[_POINT, j] = b * gap / (b - a)  # the utility-weighted compromise point
        elif capitulation and yields and b < -a - margin:
            iv[_KIND, j] = _CAPITULATION
            av[_TARGET, j] = av[_X, j]
        else:
            continue
        av[_MOVE, j] = abs(av[_TARGET, j] - xi)
        best = max(best, iv[_KIND, j])
    if best == _NONE:
        return xi
    if choice == 0:  # the highest kind only; compromises by their point
        return _pick(pm, av, iv, i, best, _POINT if best == _COMPROMISE else _MOVE, tol,
                     margin, input_order)
    return _pick_any(pm, av, iv, i, tol, choice == 2, margin, input_order)


@_compiled(inline=True)
def _pick(pm: Float, av: Float, iv: Int, i: int, which: int, by: int, tol: float,
          margin: float, input_order: bool) -> float:
    """Among the offers of kind ``which``: the least ``av[by]`` (the move, or the compromise
    point) within ``tol``, then the highest E^i(U_ji) within ``margin``, then the lowest
    target (the rule of ``engine._pick``); where ``input_order``, the first such offer in
    slot order instead."""
    n = av.shape[1]
    least = np.inf
    for j in range(n):
        if iv[_KIND, j] == which:
            least = min(least, av[by, j])
    edge = least + tol
    if input_order:
        for j in range(n):
            if iv[_KIND, j] == which and av[by, j] <= edge:
                first: float = av[_TARGET, j]
                return first
    low_b = np.inf
    for j in range(n):
        if iv[_KIND, j] == which and av[by, j] <= edge:
            low_b = min(low_b, -pm[_EU_JI, i, j])
    edge_b = low_b + margin
    out = np.inf
    for j in range(n):
        if iv[_KIND, j] == which and av[by, j] <= edge and -pm[_EU_JI, i, j] <= edge_b:
            out = min(out, av[_TARGET, j])
    return out


@_compiled(inline=True)
def _pick_any(pm: Float, av: Float, iv: Int, i: int, tol: float, by_eu: bool, margin: float,
              input_order: bool) -> float:
    """Among all offers: "least_move" (the least move within ``tol``, then the highest
    E^i(U_ji) within ``margin``) or, where ``by_eu``, "highest_eu" (the other way round);
    then the lowest target. Where ``input_order``, the first offer in slot order among
    those with the least first key."""
    n = av.shape[1]
    tol_1 = margin if by_eu else tol
    tol_2 = tol if by_eu else margin
    least = np.inf
    for j in range(n):
        if iv[_KIND, j] != _NONE:
            least = min(least, -pm[_EU_JI, i, j] if by_eu else av[_MOVE, j])
    edge = least + tol_1
    if input_order:
        for j in range(n):
            if iv[_KIND, j] != _NONE and (-pm[_EU_JI, i, j] if by_eu else av[_MOVE, j]) <= edge:
                first: float = av[_TARGET, j]
                return first
    low = np.inf
    for j in range(n):
        if iv[_KIND, j] != _NONE and (-pm[_EU_JI, i, j] if by_eu else av[_MOVE, j]) <= edge:
            low = min(low, av[_MOVE, j] if by_eu else -pm[_EU_JI, i, j])
    edge_2 = low + tol_2
    out = np.inf
    for j in range(n):
        if (iv[_KIND, j] != _NONE
                and (-pm[_EU_JI, i, j] if by_eu else av[_MOVE, j]) <= edge
                and (av[_MOVE, j] if by_eu else -pm[_EU_JI, i, j]) <= edge_2):
            out = min(out, av[_TARGET, j])
    return out


@_compiled(inline=True)
def _weighted_median(av: Float, vote_weight: Float, row: int, iv: Int) -> float:
    """The weighted median of ``base.weighted_median`` (``iv[_ORDER]`` sorts ``av[_X]``):
    the smallest x whose cumulative weight reaches half the total (within 1e-12 of it), or
    the midpoint with the next weighted position where it reaches exactly half; NaN where
    the weights sum to 0."""
    n = av.shape[1]
    total = 0.0
    for i in range(n):
        total += vote_weight[row, iv[_ORDER, i]]
    if not total > 0.0:
        return np.nan
    half = total / 2.0
    tol = 1e-12 * max(total, 1e-300)
    cum = 0.0
    k = 0
    at_k = vote_weight[row, iv[_ORDER, 0]]
    for i in range(n):
        cum += vote_weight[row, iv[_ORDER, i]]
        if cum >= half - tol:
            k = i
            at_k = cum
            break
    lo: float = av[_X, iv[_ORDER, k]]
    if abs(at_k - half) <= tol:
        for i in range(k + 1, n):
            if vote_weight[row, iv[_ORDER, i]] > 0.0:
                upper: float = av[_X, iv[_ORDER, i]]
                return (lo + upper) / 2.0
    return lo


@_compiled(inline=True)
def _weighted_mean(av: Float, vote_weight: Float, row: int) -> float:
    """Σ w·x / Σ w (NaN where the weights sum to 0)."""
    total = 0.0
    acc = 0.0
    for i in range(av.shape[1]):
        total += vote_weight[row, i]
        acc += vote_weight[row, i] * av[_X, i]
    return acc / total if total > 0.0 else np.nan
