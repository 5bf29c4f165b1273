"""A slow, plain reading of the expected utility model, for checking the vectorised engine.

One actor, one pair, one voter at a time, straight from the equations of Scholz, Calbert &
Smith (2011) (numbers in the comments), with the same interpretive choices and tie rules as
``detente.models.eum``. Only present actors are passed in; nothing here is vectorised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

EU_TOL = 1e-12  # expected utilities closer than this are equal
POS_TOL = 1e-12  # positions closer than this fraction of the range are equal


@dataclass
class Run:
    """The trajectory of one problem: positions per round (round 0 first)."""

    positions: list[list[float]]
    medians: list[float]
    means: list[float]
    rounds: int
    converged: bool
    outcome: float = field(default=float("nan"))


def utility(base: float, r: float) -> float:
    """2 − 4·base^r (eqs. 15-24)."""
    return 2.0 - 4.0 * math.pow(base, r)


def vote_weights(cap: list[float], sal: list[float]) -> list[float]:
    w = [c * s for c, s in zip(cap, sal, strict=True)]
    if sum(w) > 0:
        return w
    if sum(cap) > 0:
        return list(cap)
    return [1.0] * len(cap)


def condorcet_median(x: list[float], w: list[float], span: float) -> float:
    """The position that no other beats in a pairwise vote with linear utilities.

    Where two positions tie (cumulative weight exactly one half) the midpoint between the
    lowest and the highest unbeaten position.
    """
    total = sum(w)
    tol = 1e-13 * total * span
    winners = []
    for a in x:
        beaten = False
        for b in x:
            margin = sum(wk * (abs(xk - b) - abs(xk - a)) for xk, wk in zip(x, w, strict=True))
            if margin < -tol:
                beaten = True
                break
        if not beaten:
            winners.append(a)
    return (min(winners) + max(winners)) / 2.0


def weighted_mean(x: list[float], w: list[float]) -> float:
    return sum(a * b for a, b in zip(x, w, strict=True)) / sum(w)


def simulate(
    position: list[float],
    salience: list[float],
    capability: list[float],
    *,
    rounds: int = 10,
    tolerance: float = 1e-6,
    Q: float = 1.0,
    T: float = 1.0,
    improvement: str = "constant",
    probability: str = "all_pairs",
    dyad_risk: str = "perceiver",
    offer_choice: str = "scholz",
    capitulation: bool = True,
    outcome: str = "median",
    margin: float = EU_TOL,
    ties: str = "order_free",
    scale_span: float | None = None,
) -> Run:
    """Run the model on one problem (present actors only).

    ``scale_span`` is the issue's scale width for ``position_range="issue"``.
    """
    n = len(position)
    x = list(map(float, position))
    s = list(map(float, salience))
    w = [c * si for c, si in zip(capability, s, strict=True)]
    vw = vote_weights(list(capability), s)
    span = max(x) - min(x)
    if scale_span is not None:
        span = max(span, scale_span)
    span = span if span > 0 else 1.0

    def dist(a: float, b: float) -> float:
        return abs(a - b) / span

    def votes_for(i: int, j: int, r: list[float]) -> float:
        """Σ_k w_k max(0, loss_k(x_j) − loss_k(x_i)) (eqs. 27-29)."""
        tot = 0.0
        for k in range(n):
            v = w[k] * (dist(x[k], x[j]) ** r[k] - dist(x[k], x[i]) ** r[k])
            tot += max(0.0, v)
        return tot

    def probabilities(r: list[float]) -> list[list[float]]:
        """P[i][j]: i's probability of prevailing over j (eq. 30)."""
        pv = [[votes_for(i, j, r) if x[i] != x[j] else 0.0 for j in range(n)] for i in range(n)]
        p = [[0.0] * n for _ in range(n)]
        if probability == "all_pairs":
            total = 0.0
            for k in range(n):
                for a in range(n):
                    for b in range(n):
                        total += abs(w[k] * (dist(x[k], x[b]) ** r[k] - dist(x[k], x[a]) ** r[k]))
            for i in range(n):
                for j in range(n):
                    p[i][j] = pv[i][j] / total if total > 0 else 0.0
        else:
            for i in range(n):
                for j in range(n):
                    both = pv[i][j] + pv[j][i]
                    if x[i] == x[j]:
                        p[i][j] = 0.0
                    else:
                        p[i][j] = pv[i][j] / both if both > 0 else 0.5
        return p

    def expected_utility(i: int, j: int, r: float, p: list[list[float]], mu: float) -> float:
        """E(U_ij): i challenging j, judged with risk exponent r (eq. 25)."""
        d = dist(x[i], x[j])
        u_s = utility(0.5 - 0.5 * d, r)
        u_f = utility(0.5 + 0.5 * d, r)
        u_sq = utility(0.5, r)
        m = dist(x[i], mu)
        u_b = utility(0.5 - 0.25 * (m + d), r)
        u_w = utility(0.5 + 0.25 * (m + d), r)
        t = T if improvement == "constant" else (1.0 if m < d else 0.0)
        resist = s[j] * (p[i][j] * u_s + (1.0 - p[i][j]) * u_f)
        return resist + (1.0 - s[j]) * u_s - Q * u_sq - (1.0 - Q) * (t * u_b + (1.0 - t) * u_w)

    def risk_exponents(mu: float) -> list[float]:
        """Eqs. 31-33, every exponent 1 while the dangers are computed."""
        ones = [1.0] * n
        p = probabilities(ones)
        danger = [
            sum(expected_utility(j, i, 1.0, p, mu) for j in range(n) if j != i) for i in range(n)
        ]
        hi, lo = max(danger), min(danger)
        if not hi - lo > EU_TOL * max(1.0, abs(hi)):
            return ones
        out = []
        for dg in danger:
            big_r = min(1.0, max(-1.0, (2.0 * dg - hi - lo) / (hi - lo)))
            out.append((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0))
        return out

    tol_second = 0.5 if ties == "input_order" else margin

    def choose(offers: list[tuple[float, float, float]], tol_first: float, tol_b: float) -> float:
        """offers: (key, second, target); least key, then least second (−b, or the input
        order), then lowest target."""
        best = min(o[0] for o in offers)
        tied = [o for o in offers if o[0] <= best + tol_first]
        best_b = min(o[1] for o in tied)
        tied = [o for o in tied if o[1] <= best_b + tol_b]
        return min(o[2] for o in tied)

    def new_position(i: int, r: list[float], p: list[list[float]], mu: float) -> float:
        kinds: dict[str, list[tuple[float, float, float, float, float]]] = {
            "conflict": [],
            "compromise": [],
            "capitulation": [],
        }
        for j in range(n):
            if j == i or x[j] == x[i]:
                continue
            a = expected_utility(i, j, r[i], p, mu)  # E^i(U_ij)
            rj = r[i] if dyad_risk == "perceiver" else r[j]
            b = expected_utility(j, i, rj, p, mu)  # E^i(U_ji)
            if a > margin and b > a + margin:
                kind, target = "conflict", x[j]
            elif a < -margin and b > margin and b > -a + margin:
                kind, target = "compromise", x[i] + (x[j] - x[i]) * abs(a / b)
            elif capitulation and a < -margin and b > margin and b < -a - margin:
                kind, target = "capitulation", x[j]
            else:
                continue
            point = (abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b))
            # the second key: the challenger's −E, or its place in the input order
            second = float(j) if ties == "input_order" else -b
            kinds[kind].append((abs(target - x[i]), point, second, target, b))
        tol = POS_TOL * span
        if offer_choice == "scholz":
            for kind in ("conflict", "compromise", "capitulation"):
                if kinds[kind]:
                    col = 1 if kind == "compromise" else 0
                    return choose([(o[col], o[2], o[3]) for o in kinds[kind]], tol,
                                  tol_second)
            return x[i]
        every = [o for k in kinds.values() for o in k]
        if not every:
            return x[i]
        if offer_choice == "least_move":
            return choose([(o[0], o[2], o[3]) for o in every], tol, tol_second)
        # highest_eu: the challenger expecting most, then the least move (or the input order)
        if ties == "input_order":
            return choose([(-o[4], o[2], o[3]) for o in every], margin, tol_second)
        return choose([(-o[4], o[0], o[3]) for o in every], margin, tol)

    traj = [list(x)]
    medians = [condorcet_median(x, vw, span)]
    means = [weighted_mean(x, vw)]
    ran, converged, frozen = 0, False, False
    for _ in range(rounds):
        if not frozen:
            mu = condorcet_median(x, vw, span)
            r = risk_exponents(mu)
            p = probabilities(r)
            new = [new_position(i, r, p, mu) for i in range(n)]
            moved = max(abs(a - b) for a, b in zip(new, x, strict=True))
            x = new
            ran += 1
            if moved <= tolerance * span:  # stop; later entries repeat this state
                converged = frozen = True
        traj.append(list(x))
        medians.append(condorcet_median(x, vw, span))
        means.append(weighted_mean(x, vw))
    if tolerance == 0:
        ran = rounds
    final = medians[-1] if outcome == "median" else means[-1]
    return Run(traj, medians, means, ran, converged, final)
