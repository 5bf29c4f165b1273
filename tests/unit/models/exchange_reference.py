"""A slow, loop-based reference of the exchange model's rules, to check the vectorised engine.

It states each rule once, plainly, with Python scalars and one candidate at a time, and draws
from the generator exactly as the engine does (one (K, 2) block of uniforms per round when a
solution needs draws, one integer per tie), so both give identical rounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

EPS = 1e-10
TIE = 1e-9


def _div(a: float, b: float) -> float:
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
    return a / b


def _min(a: float, b: float) -> float:
    return math.nan if math.isnan(a) or math.isnan(b) else min(a, b)


@dataclass
class Candidate:
    i: int  # demands p, supplies q
    j: int  # demands q, supplies p
    p: int
    q: int
    dir_i: float
    dir_j: float
    draw_f: float = 0.0
    draw_u: float = 0.0
    priority: float = -math.inf
    alive: bool = False


@dataclass
class RefTrade:
    i: int
    j: int
    p: int
    q: int
    dp: float
    dq: float
    gain_i: float
    gain_j: float


@dataclass
class RefRound:
    preference_outcome: list[float]
    voting_outcome: list[float]
    voting: list[list[float]]
    trades: list[RefTrade] = field(default_factory=list)
    own: list[list[float]] = field(default_factory=list)
    gained: list[list[float]] = field(default_factory=list)
    lost: list[list[float]] = field(default_factory=list)


def outcome_of(pos: np.ndarray, weight: np.ndarray, total: np.ndarray) -> list[float]:
    """The capability × salience weighted mean per issue."""
    return [float(x) for x in (weight * pos).sum(axis=0) / total]


def terms(c: Candidate, pref, pos, out, sal, weight, total, solution, p_random):
    """(valid, dp, dq, gain_i, gain_j, move_i, move_j, priority) of one candidate."""
    i, j, p, q = c.i, c.j, c.p, c.q
    s_ip, s_iq, s_jp, s_jq = sal[i][p], sal[i][q], sal[j][p], sal[j][q]
    share_jp, share_iq = _div(weight[j][p], total[p]), _div(weight[i][q], total[q])
    target_p, target_q = pref[i][p], pref[j][q]
    move_j_full = (target_p - pos[j][p]) * c.dir_j
    move_i_full = (target_q - pos[i][q]) * c.dir_i
    room_p = (target_p - out[p]) * c.dir_j
    room_q = (target_q - out[q]) * c.dir_i
    cap_a = _min(move_j_full * share_jp, room_p)  # j moves at most to i, outcome to i
    cap_b = _min(move_i_full * share_iq, room_q)  # i moves at most to j, outcome to j
    r_eq = _div(s_ip + s_jp, s_iq + s_jq)  # equal gain: dp·(s_ip+s_jp) = dq·(s_iq+s_jq)
    dp_eq = _min(cap_a, _div(cap_b, r_eq))
    gain_eq = dp_eq * s_ip - (r_eq * dp_eq) * s_iq
    if solution == "random_rate":
        r_lo, r_hi = _div(s_jp, s_jq), _div(s_ip, s_iq)
        ratio = r_lo + c.draw_f * (r_hi - r_lo)
    elif p_random > 0:
        ratio = randomized_ratio(c, p_random, gain_eq, cap_a, cap_b, s_ip, s_iq, s_jp, s_jq)
    else:
        ratio = r_eq
    dp = _min(cap_a, _div(cap_b, ratio))
    dq = ratio * dp
    gain_i = dp * s_ip - dq * s_iq
    gain_j = dq * s_jq - dp * s_jp
    move_j = _div(dp, share_jp)
    move_i = _div(dq, share_iq)
    valid = (
        share_jp > 0 and share_iq > 0 and move_j_full > EPS and move_i_full > EPS
        and room_p > 0 and room_q > 0 and move_j > EPS and move_i > EPS
        and gain_i > EPS and gain_j > EPS and math.isfinite(dp) and math.isfinite(dq)
    )
    prio = _min(gain_i, gain_j) if solution == "random_rate" else gain_eq
    return valid, dp, dq, gain_i, gain_j, move_i, move_j, (prio if valid else -math.inf)


def randomized_ratio(c, p_random, gain_eq, cap_a, cap_b, s_ip, s_iq, s_jp, s_jq):
    """The favoured partner gets its equal gain plus p·z of the way to its best gain."""
    r_lo, r_hi = _div(s_jp, s_jq), _div(s_ip, s_iq)
    favour_i = c.draw_u < 0.5
    if favour_i:
        best = _min(cap_a, _div(cap_b, r_lo)) * (s_ip - r_lo * s_iq)
    else:
        best = _min(cap_a, _div(cap_b, r_hi)) * (r_hi * s_jq - s_jp)
    goal = gain_eq + p_random * c.draw_f * (best - gain_eq)
    if favour_i:
        r1 = _div(s_ip - _div(goal, cap_a), s_iq)
        r2 = _div(s_ip * cap_b, goal + s_iq * cap_b)
    else:
        r1 = _div(_div(goal, cap_a) + s_jp, s_jq)
        r2 = _div(s_jp * cap_b, cap_b * s_jq - goal)
    ratio = r1 if r1 * cap_a <= cap_b else r2
    return min(max(ratio, r_lo), r_hi) if not math.isnan(ratio) else ratio


def reference_rounds(position, salience, capability, present, *, rounds=10,
                     solution="equal_gain", p_random=0.0, fixed_weight=0.1,
                     salience_weight=0.4, seed=0) -> list[RefRound]:
    """Run the rounds (positions on 0–100) and return what each produced."""
    rng = np.random.default_rng(seed)
    sal = np.where(present, salience, 0.0)
    weight_arr = np.where(present, capability * sal, 0.0)
    total = [float(x) for x in weight_arr.sum(axis=0)]
    pref_arr = np.where(present, position, 0.0).astype(float)
    out_rounds: list[RefRound] = []
    for _ in range(rounds):
        rnd = one_round(pref_arr, sal, weight_arr, total, present, rng, solution, p_random)
        if not rnd.trades:
            break
        out_rounds.append(rnd)
        voting = np.array(rnd.voting)
        adjust = fixed_weight + salience_weight * (1.0 - sal)
        pref_arr = pref_arr + adjust * (voting - pref_arr)
    return out_rounds


def one_round(pref_arr, sal_arr, weight_arr, total, present, rng, solution, p_random):
    n, m = pref_arr.shape
    out0 = outcome_of(pref_arr, weight_arr, np.array(total))
    pref = pref_arr.tolist()
    sal = sal_arr.tolist()
    weight = weight_arr.tolist()
    takes_part = [[bool(present[a, k]) and weight[a][k] > 0 for k in range(m)] for a in range(n)]
    # every pair of actors on opposite sides of the outcome on both issues
    cands: list[Candidate] = []
    for p in range(m - 1):
        for q in range(p + 1, m):
            for a in range(n):
                if not (takes_part[a][p] and takes_part[a][q]) or pref[a][p] <= out0[p]:
                    continue
                for b in range(n):
                    if not (takes_part[b][p] and takes_part[b][q]) or pref[b][p] > out0[p]:
                        continue
                    if (pref[a][q] <= out0[q]) == (pref[b][q] <= out0[q]):
                        continue
                    # the actor with the higher salience ratio s_p/s_q demands p
                    if sal[a][p] * sal[b][q] >= sal[b][p] * sal[a][q]:
                        i, j = a, b
                    else:
                        i, j = b, a
                    dir_j = float(np.sign(pref[i][p] - pref[j][p]))
                    dir_i = float(np.sign(pref[j][q] - pref[i][q]))
                    cands.append(Candidate(i, j, p, q, dir_i, dir_j))
    needs_draws = solution == "random_rate" or p_random > 0
    if needs_draws and cands:
        draws = rng.random((len(cands), 2))
        for c, (f, u) in zip(cands, draws, strict=True):
            c.draw_f, c.draw_u = float(f), float(u)
    pos = [row[:] for row in pref]
    out = list(out0)
    rnd = RefRound(out0, [], [], own=[[0.0] * m for _ in range(n)],
                   gained=[[0.0] * m for _ in range(n)], lost=[[0.0] * m for _ in range(n)])
    args = (sal, weight, total, solution, p_random)
    for c in cands:
        t = terms(c, pref, pos, out, *args)
        c.alive, c.priority = t[0], t[7]
    while True:
        alive = [k for k, c in enumerate(cands) if c.alive]
        if not alive:
            break
        best = max(cands[k].priority for k in alive)
        threshold = best - TIE * abs(best)
        tied = [k for k in alive if cands[k].priority >= threshold]
        k = tied[int(rng.integers(len(tied)))] if len(tied) > 1 else tied[0]
        c = cands[k]
        t = terms(c, pref, pos, out, *args)
        if not t[0] or t[7] < c.priority - TIE * abs(c.priority):
            c.priority, c.alive = t[7], t[0]  # worth less now: back in the queue
            continue
        _, dp, dq, gain_i, gain_j, move_i, move_j, _ = t
        before = (out[c.p], out[c.q])
        pos[c.j][c.p] += c.dir_j * move_j
        pos[c.i][c.q] += c.dir_i * move_i
        out[c.p] += c.dir_j * dp
        out[c.q] += c.dir_i * dq
        for issue, old in ((c.p, before[0]), (c.q, before[1])):
            new = out[issue]
            for a in range(n):
                if not present[a, issue]:
                    continue
                change = sal[a][issue] * (abs(old - pref[a][issue]) - abs(new - pref[a][issue]))
                if a in (c.i, c.j):
                    rnd.own[a][issue] += change
                elif change > 0:
                    rnd.gained[a][issue] += change
                else:
                    rnd.lost[a][issue] += change
        rnd.trades.append(RefTrade(c.i, c.j, c.p, c.q, dp, dq, gain_i, gain_j))
        c.alive, c.priority = False, -math.inf
        # recompute every exchange in which a partner supplies or demands as it did here
        supplies = {(c.i, c.q), (c.j, c.p)}
        demands = {(c.i, c.p), (c.j, c.q)}
        for other in cands:
            if not other.alive:
                continue
            if ({(other.i, other.q), (other.j, other.p)} & supplies
                    or {(other.i, other.p), (other.j, other.q)} & demands):
                t = terms(other, pref, pos, out, *args)
                other.alive, other.priority = t[0], t[7]
    rnd.voting = pos
    rnd.voting_outcome = outcome_of(np.array(pos), weight_arr, np.array(total))
    return rnd
