"""One candidate exchange at a time, in the number type of the inputs, as the Decide reading has it.

The ``decide`` preset of the exchange model judges every candidate with the vectorised
float arithmetic of :func:`detente.models.exchange.terms.evaluate_staged`. Where a decision
there lies within a hair of its threshold — chiefly an outcome that an earlier exchange has
carried exactly onto a demander's position (docs/models/exchange.md, EXC-15) — and for every
exchange that is carried out, the candidate is judged again here, one operation after the
other in 28-digit :class:`decimal.Decimal` arithmetic in the order the peer performs them,
so that the rounding of each step is the peer's. With ``float`` inputs the same code is a
plain scalar statement of the rules (the tests use it as a reference).

:class:`Shadow` holds one round's state in that number type: the round-start positions, the
current voting positions, and per demander and issue the moves of the earlier exchanges in
which that demander got its way on the issue (the demander's view of the outcome,
docs/models/exchange.md, EXC-12). Sums over actors run in the scenario's actor order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

EPS = 1e-10
"""Smallest move (and, before the cap, gain) that counts, on the 0–100 scale."""

Num = Any
"""A float or a Decimal; one kind throughout a :class:`Shadow`."""


@dataclass(frozen=True)
class Switches:
    """The rules that differ between detente's reading and Decide's (see ``Exchange``)."""

    outcome_view: str = "demander"
    outcome_cap: str = "crossing"
    move_test: str = "listed"


@dataclass(frozen=True)
class Listed:
    """The candidate's listed moves before the last one, per supplier: sum, least, largest.

    ``i`` is the supplier on q (the demander on p), ``j`` the supplier on p. An empty list
    has sum 0, least +inf and largest -inf.
    """

    sum_i: float = 0.0
    min_i: float = float("inf")
    max_i: float = float("-inf")
    sum_j: float = 0.0
    min_j: float = float("inf")
    max_j: float = float("-inf")


@dataclass(frozen=True)
class OneExact:
    """A candidate's terms: validity, priority (gain), signed moves, outcome shifts, gains."""

    valid: bool
    gain: Num
    move_i: Num
    move_j: Num
    dp: Num
    dq: Num
    gain_i: Num
    gain_j: Num


@dataclass
class Shadow:
    """One round's state in the inputs' number type (actors × issues nested lists)."""

    start: list[list[Num]]
    current: list[list[Num]]
    salience: list[list[Num]]
    power: list[list[Num]]
    order: list[list[int]]  # per issue, the actors taking part, in actor order
    total: list[Num] = field(default_factory=list)  # per issue, Σ salience × power
    base: list[list[Num]] = field(default_factory=list)  # (position × salience) × power
    prefix: list[list[Num]] = field(default_factory=list)  # running sums of base, per issue
    rank: list[dict[int, int]] = field(default_factory=list)  # actor → place in order[k]
    views: dict[tuple[int, int], dict[int, Num]] = field(default_factory=dict)
    moved: set[tuple[int, int]] = field(default_factory=set)

    @classmethod
    def begin(cls, start: list[list[Num]], salience: list[list[Num]], power: list[list[Num]],
              order: list[list[int]]) -> Shadow:
        """The state at the start of a round with preferences ``start``."""
        sh = cls(start=start, current=[row[:] for row in start], salience=salience,
                 power=power, order=order)
        m = len(order)
        sh.total = [_sum(salience[a][k] * power[a][k] for a in order[k]) for k in range(m)]
        sh.base = [[None] * m for _ in start]
        for k in range(m):
            run: Num = 0
            sums = [run]
            for a in order[k]:
                sh.base[a][k] = start[a][k] * salience[a][k] * power[a][k]
                run += sh.base[a][k]
                sums.append(run)
            sh.prefix.append(sums)
            sh.rank.append({a: r for r, a in enumerate(order[k])})
        return sh

    # -- outcomes -------------------------------------------------------------------------

    def outcome(self, k: int, positions: Sequence[Sequence[Num]] | None = None) -> Num:
        """The weighted mean of ``positions`` (default: the round-start ones) on issue ``k``."""
        if positions is None:
            return _sum(self.base[a][k] for a in self.order[k]) / self.total[k]
        return _sum(positions[a][k] * self.salience[a][k] * self.power[a][k]
                    for a in self.order[k]) / self.total[k]

    def _weighted(self, k: int, over: dict[int, Num]) -> Num:
        """Σ position × salience × power in actor order, ``over`` replacing positions; the
        running sum up to the first replaced actor is the stored one (the same additions)."""
        s, c, base, order = self.salience, self.power, self.base, self.order[k]
        first = min((self.rank[k][a] for a in over), default=len(order))
        total = self.prefix[k][first]
        for a in order[first:]:
            total += over[a] * s[a][k] * c[a][k] if a in over else base[a][k]
        return total

    def view_sum(self, k: int, demander: int, supplier: int, at: Num, view: str,
                 *, own_first: bool = False) -> Num:
        """Σ position × salience × power on ``k`` with ``supplier`` at ``at``.

        ``view`` demander: round-start positions with the moves seen by ``demander`` on
        ``k``; current: every voting position so far. Where the demander's view holds a
        move of the supplier itself, ``own_first`` lets that move win over ``at`` (the
        peer's solving for the position that meets a target); otherwise ``at`` wins.
        """
        if view == "current":
            over = {a: self.current[a][k] for a in self.order[k]}
            over[supplier] = at
            return self._weighted(k, over)
        seen = self.views.get((demander, k), {})
        over = {supplier: at, **seen} if own_first else {**seen, supplier: at}
        return self._weighted(k, over)

    # -- one candidate ----------------------------------------------------------------------

    def terms(self, i: int, j: int, p: int, q: int, listed: Listed, rules: Switches,
              dir_i: int, dir_j: int, ratio: Num | None = None) -> OneExact:
        """The terms of ``i`` demanding ``p`` from ``j`` for ``j`` demanding ``q``.

        The steps and their order follow the peer (docs/models/exchange.md, EXC-12 to
        EXC-15): each supplier's full move to its partner, the smaller one setting the
        size at the equal-gain ratio; the cap on q, then on p; the move tests before and
        after the caps. ``dir_i``, ``dir_j`` are the round-start directions of the moves.
        A given ``ratio`` (dq/dp) replaces the equal-gain one; the gain is then the smaller
        of the two partners' gains.
        """
        s, c, tot = self.salience, self.power, self.total
        s_ip, s_iq, s_jp, s_jq = s[i][p], s[i][q], s[j][p], s[j][q]
        c_iq, c_jp = c[i][q], c[j][p]
        x_ip, x_jq = self.start[i][p], self.start[j][q]
        sp_j, sp_i = self.current[j][p], self.current[i][q]
        # full moves: j all the way to i on p, unless i's counter-move on q would pass j
        dist_j, dist_i = abs(x_ip - sp_j), abs(x_jq - sp_i)
        dp = dist_j * s_jp * c_jp / tot[p]
        dq = (s_jp + s_ip) / (s_jq + s_iq) * dp if ratio is None else ratio * dp
        move_i = dq * tot[q] / (c_iq * s_iq)
        move_j = dist_j
        if abs(move_i) > dist_i:
            dq = dist_i * s_iq * c_iq / tot[q]
            dp = (s_iq + s_jq) / (s_ip + s_jp) * dq if ratio is None else dq / ratio
            move_i = dist_i
            move_j = dp * tot[p] / (c_jp * s_jp)
        if sp_i > x_jq:
            move_i = -move_i
        if sp_j > x_ip:
            move_j = -move_j
        if ratio is None:
            gain = abs(dq * s_iq - dp * s_ip)
        else:
            gain = min(dp * s_ip - dq * s_iq, dq * s_jq - dp * s_jp)
        listed_test = rules.move_test == "listed"
        if listed_test:
            ok = (_listed_ok(listed.sum_i, listed.min_i, listed.max_i, move_i, sp_i)
                  and _listed_ok(listed.sum_j, listed.min_j, listed.max_j, move_j, sp_j)
                  and not gain < EPS)
        else:
            ok = _sign(move_i) == dir_i and _sign(move_j) == dir_j
        if not ok:
            return OneExact(False, gain, move_i, move_j, dp, dq, gain, gain)
        # the cap on q (i supplies, j demands), then on p (j supplies, i demands)
        sides = ((i, j, q, p, x_jq, sp_i, c_iq, s_iq, s_jq, s_ip, s_jp),
                 (j, i, p, q, x_ip, sp_j, c_jp, s_jp, s_ip, s_jq, s_iq))
        for n_side, (sup, dem, k, other, x, sp, c_sk, s_sk, s_dk, s_so, s_do) in \
                enumerate(sides):
            mv, om = (move_i, move_j) if n_side == 0 else (move_j, move_i)
            n0 = self.view_sum(k, dem, sup, sp, rules.outcome_view) / tot[k]
            n1 = self.view_sum(k, dem, sup, sp + mv, rules.outcome_view) / tot[k]
            if rules.outcome_cap == "reached":
                d = _sign(mv)
                room = (x - n0) if d > 0 else (n0 - x)
                if not room > 0:
                    return OneExact(False, gain, move_i, move_j, dp, dq, gain, gain)
                capped = ((x - n1) if d > 0 else (n1 - x)) < 0
            else:
                capped = not ((x - n0 >= 0 and x - n1 >= 0) or (x - n0 <= 0 and x - n1 <= 0))
            if not capped:
                continue
            tot_at = self.view_sum(k, dem, sup, sp, rules.outcome_view, own_first=True)
            delta = abs((x * tot[k] - tot_at) / (s_sk * c_sk))
            shift_k = delta * s_sk * c_sk / tot[k]
            if ratio is None:
                shift_o = (s_sk + s_dk) / (s_so + s_do) * shift_k
            else:
                shift_o = shift_k / ratio if n_side == 0 else shift_k * ratio
            c_o = c[dem][other]
            om = abs(shift_o * tot[other] / (c_o * s_do))
            mv = delta
            if self.current[dem][other] > self.start[sup][other]:
                om = -om
            if sp > x:
                mv = -mv
            if ratio is None:
                gain = abs(shift_o * s_do - shift_k * s_dk)
            if n_side == 0:
                move_i, move_j, dq, dp = mv, om, shift_k, shift_o
            else:
                move_j, move_i, dp, dq = mv, om, shift_k, shift_o
        gain_i = dp * s_ip - dq * s_iq
        gain_j = dq * s_jq - dp * s_jp
        if ratio is not None:
            gain = min(gain_i, gain_j)
        if listed_test:
            ok = (_listed_ok(listed.sum_i, listed.min_i, listed.max_i, move_i, sp_i)
                  and _listed_ok(listed.sum_j, listed.min_j, listed.max_j, move_j, sp_j))
        else:
            ok = (_sign(move_i) == dir_i and _sign(move_j) == dir_j and abs(move_i) > EPS
                  and abs(move_j) > EPS and gain_i > EPS and gain_j > EPS)
        if ratio is not None:
            ok = ok and gain_i > EPS and gain_j > EPS
        return OneExact(bool(ok), gain, move_i, move_j, dp, dq, gain_i, gain_j)

    # -- carrying out ---------------------------------------------------------------------

    def execute(self, i: int, j: int, p: int, q: int, t: OneExact) -> tuple[Num, Num]:
        """Move both suppliers; the demanders' views record the moves. Returns (y_i, y_j).

        A demander's view keeps one position per supplier: the first it saw, unless the new
        one lies between it and the supplier's round-start position (the peer's rule).
        """
        y_i = self.current[i][q] + t.move_i
        y_j = self.current[j][p] + t.move_j
        self.current[i][q], self.current[j][p] = y_i, y_j
        self.moved.update(((i, q), (j, p)))
        for dem, k, sup, y in ((j, q, i, y_i), (i, p, j, y_j)):
            seen = self.views.setdefault((dem, k), {})
            if sup not in seen:
                seen[sup] = y
                continue
            prev, origin = seen[sup], self.start[sup][k]
            if origin <= prev:
                seen[sup] = prev if prev < y else y
            else:
                seen[sup] = prev if prev > y else y
        return y_i, y_j

    def next_start(self, fixed_weight: Num, salience_weight: Num) -> list[list[Num]]:
        """Next round's preferences: every supplier that moved goes part of the way to its
        voting position, ``fixed_weight + salience_weight × (1 − salience)`` (as the peer,
        which touches no other position)."""
        out = [row[:] for row in self.start]
        fw, sw = fixed_weight, salience_weight
        for a, k in self.moved:
            sal, x, y = self.salience[a][k], self.start[a][k], self.current[a][k]
            out[a][k] = (1 - sal) * sw * y + fw * y + (1 - (1 - sal) * sw - fw) * x
        return out


def _sum(values: Any) -> Num:
    total: Num = 0
    for v in values:
        total += v
    return total


def _sign(x: Num) -> int:
    return int(x > 0) - int(x < 0)


def _listed_ok(h_sum: float, h_min: float, h_max: float, move: Num, at: Num) -> bool:
    """The peer's move test on the listed moves (the earlier ones and ``move``)."""
    if abs(move) > 100 or abs(move) <= EPS:
        return False
    if at + move < 0 or at + move > 100:
        return False
    if h_sum + float(move) > 100:
        return False
    lo, hi = min(h_min, float(move)), max(h_max, float(move))
    return (lo < 0 and hi < 0) or (lo > 0 and hi > 0)


def as_decimal(x: float) -> Decimal:
    """A float read back as the shortest decimal that gives it (a file's ``0.35`` stays 0.35)."""
    return Decimal(repr(float(x)))
