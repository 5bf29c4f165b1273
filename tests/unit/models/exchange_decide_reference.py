"""A slow, literal statement of the Decide reading of the exchange model, to check the engine.

Each candidate exchange keeps its own state as the Decide implementation keeps it: its
suppliers' positions, the lists of moves computed for each supplier, and its own record of
the moves of executed exchanges in which one of its partners got its way on that partner's
demand issue (its private view of the outcome). Nothing is shared between candidates, so
this checks the engine's shared tables (one view per demander and issue, the listed moves
as sum, least and largest) rule by rule. Numbers are of the inputs' type: with Decimals
this gives the Decide implementation's results digit for digit (docs/models/exchange.md,
EXC-16). Equal-gain solution, p = 0; no ties are broken (the cases have none).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

EPS = 1e-10
FIXED_WEIGHT, SALIENCE_WEIGHT = 0.1, 0.4  # the peer turns these floats into Decimals exactly


@dataclass
class Side:
    actor: int
    supply: int
    demand: int
    position: Any  # its own copy of the supplier's position
    start: Any
    moves: list[Any] = field(default_factory=list)
    move: Any = 0
    y: Any = None


@dataclass
class Exchange:
    i: Side  # demands p, supplies q
    j: Side  # demands q, supplies p
    p: int
    q: int
    seen: dict[int, dict[int, Any]]
    gain: Any = 0
    valid: bool = True


@dataclass
class World:
    """The round's fixed numbers: round-start positions, saliences, powers, totals."""

    start: list[list[Any]]
    sal: list[list[Any]]
    power: list[list[Any]]
    total: list[Any]

    def weighted(self, k: int, over: dict[int, Any]) -> Any:
        t: Any = 0
        for a in range(len(self.start)):
            t += over.get(a, self.start[a][k]) * self.sal[a][k] * self.power[a][k]
        return t


def reference_rounds(position: list[list[Any]], salience: list[list[Any]],
                     power: list[list[Any]], rounds: int) -> list[list[float]]:
    """Voting outcomes (0–100) per round; every actor takes a stance on every issue."""
    n, m = len(position), len(position[0])
    pos = [row[:] for row in position]
    decimal = isinstance(pos[0][0], Decimal)
    sw, fw = ((Decimal(SALIENCE_WEIGHT), Decimal(FIXED_WEIGHT)) if decimal
              else (SALIENCE_WEIGHT, FIXED_WEIGHT))
    out = []
    for _ in range(rounds):
        total = []
        for k in range(m):
            t: Any = 0
            for a in range(n):
                t += salience[a][k] * power[a][k]
            total.append(t)
        w = World(pos, salience, power, total)
        nbs = [w.weighted(k, {}) / total[k] for k in range(m)]
        left = [[pos[a][k] <= nbs[k] for k in range(m)] for a in range(n)]
        queue = []
        for p, q in itertools.combinations(range(m), 2):
            groups: list[list[int]] = [[], [], [], []]
            for a in range(n):
                groups[left[a][p] | left[a][q] * 2].append(a)
            for ga, gb in ((0, 3), (1, 2)):
                for a in groups[ga]:
                    for b in groups[gb]:
                        lower = salience[a][p] / salience[a][q] < salience[b][p] / salience[b][q]
                        i, j = (b, a) if lower else (a, b)
                        e = Exchange(Side(i, q, p, pos[i][q], pos[i][q]),
                                     Side(j, p, q, pos[j][p], pos[j][p]), p, q, {p: {}, q: {}})
                        calculate(e, w)
                        queue.append(e)
        done = []
        while queue:
            queue.sort(key=lambda e: e.gain, reverse=True)
            x = queue.pop(0)
            if not x.valid:
                continue
            keep = []
            for e in queue:
                if e.valid:
                    recalculate(e, x, w)
                    if e.valid:
                        keep.append(e)
            queue = keep
            done.append(x)
        voting = [row[:] for row in pos]
        for x in done:
            voting[x.i.actor][x.i.supply] = x.i.y
            voting[x.j.actor][x.j.supply] = x.j.y
        out.append([float(w.weighted(k, {a: voting[a][k] for a in range(n)}) / total[k])
                    for k in range(m)])
        for x in done:
            for sd in (x.i, x.j):
                s = salience[sd.actor][sd.supply]
                pos[sd.actor][sd.supply] = ((1 - s) * sw * sd.y + fw * sd.y
                                            + (1 - (1 - s) * sw - fw) * sd.start)
    return out


def move_ok(sd: Side, move: Any) -> bool:
    """The supplier's listed moves: one direction, none too small or too large, sum ≤ 100."""
    if abs(move) > 100 or abs(move) <= EPS:
        return False
    if sd.position + move < 0 or sd.position + move > 100:
        return False
    if sum(sd.moves) > 100:
        return False
    lo, hi = min(sd.moves), max(sd.moves)
    return (lo < 0 and hi < 0) or (lo > 0 and hi > 0)


def calculate(e: Exchange, w: World) -> None:
    """Full moves at the equal-gain ratio, the move test, the caps on q and p, the test again."""
    i, j, p, q = e.i, e.j, e.p, e.q
    s, c, tot = w.sal, w.power, w.total
    x_ip, x_jq = w.start[i.actor][p], w.start[j.actor][q]
    dist_j, dist_i = abs(x_ip - j.position), abs(x_jq - i.position)
    dp = dist_j * s[j.actor][p] * c[j.actor][p] / tot[p]
    dq = (s[j.actor][p] + s[i.actor][p]) / (s[j.actor][q] + s[i.actor][q]) * dp
    mi = dq * tot[q] / (c[i.actor][q] * s[i.actor][q])
    mj = dist_j
    if abs(mi) > dist_i:
        dq = dist_i * s[i.actor][q] * c[i.actor][q] / tot[q]
        dp = (s[i.actor][q] + s[j.actor][q]) / (s[i.actor][p] + s[j.actor][p]) * dq
        mi = dist_i
        mj = dp * tot[p] / (c[j.actor][p] * s[j.actor][p])
    if i.position > x_jq:
        mi = -mi
    if j.position > x_ip:
        mj = -mj
    i.move, j.move = mi, mj
    i.moves.append(mi)
    j.moves.append(mj)
    i.y, j.y = i.position + mi, j.position + mj
    e.gain = abs(dq * s[i.actor][q] - dp * s[i.actor][p])
    e.valid = move_ok(i, mi) and move_ok(j, mj) and not e.gain < EPS
    if e.valid:
        cap(e, i, j, w)
        cap(e, j, i, w)
        e.valid = move_ok(i, i.move) and move_ok(j, j.move)


def cap(e: Exchange, sup: Side, dem: Side, w: World) -> None:
    """Cut ``sup``'s move short where it would carry the outcome, as this candidate sees
    it, across ``dem``'s position; ``dem``'s counter-move shrinks at the same ratio."""
    k, other = sup.supply, sup.demand
    s, c, tot = w.sal, w.power, w.total
    seen = e.seen[k]
    n0 = w.weighted(k, {**seen, sup.actor: sup.position}) / tot[k]
    n1 = w.weighted(k, {**seen, sup.actor: sup.y}) / tot[k]
    x = w.start[dem.actor][k]
    if (x - n0 >= 0 and x - n1 >= 0) or (x - n0 <= 0 and x - n1 <= 0):
        return
    at = w.weighted(k, {sup.actor: sup.position, **seen})
    sc = s[sup.actor][k] * c[sup.actor][k]
    delta = abs((x * tot[k] - at) / sc)
    shift_k = delta * s[sup.actor][k] * c[sup.actor][k] / tot[k]
    shift_o = (s[sup.actor][k] + s[dem.actor][k]) / (s[sup.actor][other] + s[dem.actor][other])
    shift_o = shift_o * shift_k
    dem.move = abs(shift_o * tot[other] / (c[dem.actor][other] * s[dem.actor][other]))
    sup.move = delta
    if dem.position > w.start[sup.actor][other]:
        dem.move = -dem.move
    if sup.position > x:
        sup.move = -sup.move
    dem.moves[-1], sup.moves[-1] = dem.move, sup.move
    dem.y, sup.y = dem.position + dem.move, sup.position + sup.move
    e.gain = abs(shift_o * s[dem.actor][other] - shift_k * s[dem.actor][k])


def recalculate(e: Exchange, x: Exchange, w: World) -> None:
    """After ``x`` is carried out: take over a shared supplier's new position (its move
    joins the list, then the last entry goes), record the moves a partner got on its demand
    issue, and compute again if anything changed."""
    changed = False
    for sd in (e.i, e.j):
        for xs in (x.i, x.j):
            if sd.actor == xs.actor and sd.supply == xs.supply:
                sd.position = xs.y
                sd.moves.append(xs.moves[-1])
                changed = True
                break
    if changed:
        e.i.moves.pop()
        e.j.moves.pop()
    for dem, sup in ((x.j, x.i), (x.i, x.j)):
        if any(sd.actor == dem.actor and sd.demand == dem.demand for sd in (e.j, e.i)):
            seen = e.seen[dem.demand]
            if sup.actor in seen:
                prev = seen[sup.actor]
                if sup.start <= prev:
                    seen[sup.actor] = prev if prev < sup.y else sup.y
                else:
                    seen[sup.actor] = prev if prev > sup.y else sup.y
            else:
                seen[sup.actor] = sup.y
            if not changed:
                e.i.moves.pop()
                e.j.moves.pop()
                changed = True
    if changed:
        calculate(e, w)
