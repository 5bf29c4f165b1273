"""The terms of candidate exchanges in Stokman's exchange model, for many candidates at once.

A candidate is two actors ``i``, ``j`` and two issues ``p``, ``q``: ``i`` demands on ``p`` and
supplies on ``q``, ``j`` demands on ``q`` and supplies on ``p``. The supplier moves its voting
position towards the demander's position; the outcome (the capability × salience weighted
mean) shifts by the mover's weight share times the move. All positions are on the model's
internal 0–100 scale. Everything here is array arithmetic over candidates; no loops.

``dp`` and ``dq`` are the outcome shifts on ``p`` and ``q`` (positive = towards the demander).
The exchange ratio is ``r = dq / dp``; an exchange is as large as the caps allow:

- a supplier moves at most to its partner's position (``dp ≤ A``, ``dq ≤ B``), and
- no outcome is pushed past the demander's own position.

Gains: ``gain_i = dp·s_ip − dq·s_iq`` and ``gain_j = dq·s_jq − dp·s_jp``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from detente.types import Bool, Float, Int

EPS = 1e-10
"""Smallest move and gain (0–100 scale) that counts as an exchange."""


@dataclass(frozen=True)
class Candidates:
    """K candidate exchanges: actors ``i``, ``j``, issues ``p``, ``q`` and what stays fixed.

    ``dir_j`` is the sign of ``j``'s move on ``p`` (towards ``i``), ``dir_i`` that of ``i``'s
    move on ``q``; ``draw_f`` and ``draw_u`` are the candidate's uniform draws (used by the
    random-rate and randomized equal-gain solutions only). The rest is fixed for a round:
    saliences, the movers' weight shares ``share_jp`` = w_jp / Σw_p and ``share_iq``, the
    demanders' targets (their preferences), the equal-gain ratio and flat indices of the
    movers' positions in the (actors, issues) array.
    """

    i: Int
    j: Int
    p: Int
    q: Int
    fixed: Float  # (K, len(COLUMNS)), one row per candidate for fast gathers
    where: Int  # (K, 4): p, q and the flat indices of positions (j, p) and (i, q)

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "dir_i", "dir_j", "draw_f", "draw_u", "s_ip", "s_iq", "s_jp", "s_jq",
        "share_jp", "share_iq", "target_p", "target_q", "ratio_eq", "pull_jp", "pull_iq",
    )

    @classmethod
    def build(
        cls, i: Int, j: Int, p: Int, q: Int, draws: Float, pref: Float, salience: Float,
        weight: Float, total: Float,
    ) -> Candidates:
        """Candidates with their fixed terms (``draws`` is (K, 2))."""
        m = pref.shape[1]
        s_ip, s_iq = salience[i, p], salience[i, q]
        s_jp, s_jq = salience[j, p], salience[j, q]
        columns = {
            "dir_i": np.sign(pref[j, q] - pref[i, q]),
            "dir_j": np.sign(pref[i, p] - pref[j, p]),
            "draw_f": draws[:, 0], "draw_u": draws[:, 1],
            "s_ip": s_ip, "s_iq": s_iq, "s_jp": s_jp, "s_jq": s_jq,
            "share_jp": weight[j, p] / total[p], "share_iq": weight[i, q] / total[q],
            "target_p": pref[i, p], "target_q": pref[j, q],
            "ratio_eq": (s_ip + s_jp) / (s_iq + s_jq),
        }
        # a mover's outcome shift per unit of distance, signed towards its partner
        columns["pull_jp"] = columns["dir_j"] * columns["share_jp"]
        columns["pull_iq"] = columns["dir_i"] * columns["share_iq"]
        fixed = np.empty((i.size, len(cls.COLUMNS)))
        for k, name in enumerate(cls.COLUMNS):
            fixed[:, k] = columns[name]
        where = np.stack([p, q, j * m + p, i * m + q], axis=1).astype(np.int64)
        return cls(i=i, j=j, p=p, q=q, fixed=fixed, where=where)

    def column(self, name: str) -> Float:
        return self.fixed[:, self.COLUMNS.index(name)]

    @property
    def size(self) -> int:
        return int(self.i.shape[0])


@dataclass(frozen=True)
class Terms:
    """The terms of candidate exchanges under the current state (moves unsigned)."""

    valid: Bool
    dp: Float
    dq: Float
    gain_i: Float
    gain_j: Float
    move_i: Float
    move_j: Float
    priority: Float


def generate(pref: Float, outcome: Float, present: Bool,
             left: Bool | None = None) -> tuple[Int, Int, Int, Int]:
    """Every pair of actors on opposite sides of the outcome on both issues of a pair.

    Returns ``(a, b, p, q)`` in canonical order (issue pair, then ``a``, then ``b``), where
    ``a`` lies right of the outcome on ``p`` (position > outcome) and ``b`` at or left of it.
    ``left`` (position ≤ outcome) may be given where it was decided in exact arithmetic.
    """
    m = pref.shape[1]
    if left is None:
        left = pref <= outcome[None, :]
    parts: list[tuple[Int, Int, int, int]] = []
    for p in range(m - 1):
        for q in range(p + 1, m):
            both = present[:, p] & present[:, q]
            right_p = both & ~left[:, p]
            left_p = both & left[:, p]
            cross = left[:, q][:, None] != left[:, q][None, :]
            a, b = np.nonzero(right_p[:, None] & left_p[None, :] & cross)
            if a.size:
                parts.append((a, b, p, q))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    a = np.concatenate([x[0] for x in parts]).astype(np.int64)
    b = np.concatenate([x[1] for x in parts]).astype(np.int64)
    p_ = np.concatenate([np.full(x[0].size, x[2]) for x in parts]).astype(np.int64)
    q_ = np.concatenate([np.full(x[0].size, x[3]) for x in parts]).astype(np.int64)
    return a, b, p_, q_


def assign_roles(a: Int, b: Int, p: Int, q: Int, salience: Float) -> tuple[Int, Int]:
    """Who demands which issue: the actor with the higher salience ratio s_p / s_q demands p.

    Returns ``(i, j)``; on equal ratios ``a`` demands ``p`` (such a pair has no gain and is
    never carried out).
    """
    a_demands_p = salience[a, p] * salience[b, q] >= salience[b, p] * salience[a, q]
    return np.where(a_demands_p, a, b), np.where(a_demands_p, b, a)


def evaluate(
    c: Candidates, idx: Int, *, position: Float, outcome: Float, solution: str,
    p_random: float,
) -> Terms:
    """The terms of candidates ``idx`` given the current voting ``position`` and ``outcome``.

    Call inside ``np.errstate(divide="ignore", invalid="ignore")``: infeasible candidates
    (a zero salience, no room left) produce inf or NaN, which fail the checks.
    """
    (dir_i, dir_j, draw_f, draw_u, s_ip, s_iq, s_jp, s_jq, share_jp, share_iq,
     target_p, target_q, r_eq, pull_jp, pull_iq) = np.ascontiguousarray(
        c.fixed.take(idx, axis=0).T)
    at_p, at_q, at_jp, at_iq = np.ascontiguousarray(c.where.take(idx, axis=0).T)
    flat = position.reshape(-1)
    cap_a, cap_b = _caps(np.minimum, target_p, target_q, flat[at_jp], flat[at_iq],
                         outcome[at_p], outcome[at_q], dir_i, dir_j, pull_jp, pull_iq)
    dp_eq = np.minimum(cap_a, cap_b / r_eq)
    equal = _settle(dp_eq, r_eq, s_ip, s_iq, s_jp, s_jq, share_jp, share_iq)
    gain_eq = equal[2]
    if solution == "random_rate":
        r_lo, r_hi = s_jp / s_jq, s_ip / s_iq
        ratio = r_lo + draw_f * (r_hi - r_lo)
    elif p_random > 0:
        ratio = _randomized_ratio(
            draw_f, draw_u, p_random, gain_eq, cap_a, cap_b, s_ip, s_iq, s_jp, s_jq
        )
    else:
        valid, dq, gain_i, gain_j, move_i, move_j = equal
        priority = np.where(valid, gain_eq, -np.inf)
        return Terms(valid, dp_eq, dq, gain_i, gain_j, move_i, move_j, priority)
    dp = np.minimum(cap_a, cap_b / ratio)
    valid, dq, gain_i, gain_j, move_i, move_j = _settle(
        dp, ratio, s_ip, s_iq, s_jp, s_jq, share_jp, share_iq)
    priority = np.minimum(gain_i, gain_j) if solution == "random_rate" else gain_eq
    priority = np.where(valid, priority, -np.inf)
    return Terms(valid, dp, dq, gain_i, gain_j, move_i, move_j, priority)


@dataclass(frozen=True)
class OneTerms:
    """The terms of one candidate, as plain numbers."""

    valid: bool
    dp: float
    dq: float
    gain_i: float
    gain_j: float
    move_i: float
    move_j: float
    priority: float

    @classmethod
    def of(cls, t: Terms) -> OneTerms:
        """The first candidate of ``t``."""
        return cls(bool(t.valid[0]), *(float(getattr(t, f)[0]) for f in (
            "dp", "dq", "gain_i", "gain_j", "move_i", "move_j", "priority")))


def evaluate_one(
    c: Candidates, k: int, *, position: Float, outcome: Float, solution: str, p_random: float
) -> OneTerms:
    """``evaluate`` for candidate ``k`` alone; equal gain in plain floats (same operations)."""
    if solution != "equal_gain" or p_random > 0:
        return OneTerms.of(evaluate(c, np.array([k]), position=position, outcome=outcome,
                                    solution=solution, p_random=p_random))
    (dir_i, dir_j, _f, _u, s_ip, s_iq, s_jp, s_jq, share_jp, share_iq,
     target_p, target_q, r_eq, pull_jp, pull_iq) = c.fixed[k].tolist()
    p, q, at_jp, at_iq = c.where[k].tolist()
    # On this path every term is finite (suppliers have weight, so r_eq > 0), where the
    # built-in min agrees with np.minimum.
    cap_a, cap_b = _caps(min, target_p, target_q, position.item(at_jp), position.item(at_iq),
                         outcome.item(p), outcome.item(q), dir_i, dir_j, pull_jp, pull_iq)
    dp = min(cap_a, cap_b / r_eq)
    valid, dq, gain_i, gain_j, move_i, move_j = _settle(
        dp, r_eq, s_ip, s_iq, s_jp, s_jq, share_jp, share_iq)
    return OneTerms(bool(valid), dp, dq, gain_i, gain_j, move_i, move_j,
                    gain_i if valid else -math.inf)


def _caps(minimum: Any, target_p: Any, target_q: Any, pos_jp: Any, pos_iq: Any, out_p: Any,
          out_q: Any, dir_i: Any, dir_j: Any, pull_jp: Any, pull_iq: Any) -> tuple[Any, Any]:
    """The largest outcome shifts on p and q: the mover reaches its partner's position, or
    the outcome reaches it (numbers or arrays alike)."""
    return (minimum((target_p - pos_jp) * pull_jp, (target_p - out_p) * dir_j),
            minimum((target_q - pos_iq) * pull_iq, (target_q - out_q) * dir_i))


def _settle(dp: Any, ratio: Any, s_ip: Any, s_iq: Any, s_jp: Any, s_jq: Any, share_jp: Any,
            share_iq: Any) -> tuple[Any, ...]:
    """Validity, dq, both gains and both moves of an exchange of size dp at ``ratio``.

    Shares are positive (candidates take part with weight), so a move above EPS implies room
    on both outcomes and a full move above EPS; an infinite ratio makes gain_i −inf, and NaN
    fails every comparison.
    """
    dq = ratio * dp
    gain_i = dp * s_ip - dq * s_iq
    gain_j = dq * s_jq - dp * s_jp
    move_j = dp / share_jp
    move_i = dq / share_iq
    valid = (move_j > EPS) & (move_i > EPS) & (gain_i > EPS) & (gain_j > EPS)
    return valid, dq, gain_i, gain_j, move_i, move_j


def _randomized_ratio(
    z: Float, u: Float, p_random: float, gain_eq: Float, cap_a: Float, cap_b: Float,
    s_ip: Float, s_iq: Float, s_jp: Float, s_jq: Float,
) -> Float:
    """Exchange ratio giving the favoured partner its equal gain plus p·z of the way to its best.

    ``u < 0.5`` favours ``i``, else ``j``. The best for ``i`` is at ``j``'s indifference ratio
    s_jp/s_jq, for ``j`` at ``i``'s, s_ip/s_iq; the exchange keeps its largest feasible size.
    """
    r_lo, r_hi = s_jp / s_jq, s_ip / s_iq
    best_i = np.minimum(cap_a, cap_b / r_lo) * (s_ip - r_lo * s_iq)
    best_j = np.minimum(cap_a, cap_b / r_hi) * (r_hi * s_jq - s_jp)
    favour_i = u < 0.5
    goal = gain_eq + p_random * z * (np.where(favour_i, best_i, best_j) - gain_eq)
    # i's gain falls and j's rises with the ratio; dp = cap_a while ratio <= cap_b / cap_a.
    r1_i = (s_ip - goal / cap_a) / s_iq
    r2_i = s_ip * cap_b / (goal + s_iq * cap_b)
    r1_j = (goal / cap_a + s_jp) / s_jq
    r2_j = s_jp * cap_b / (cap_b * s_jq - goal)
    r1 = np.where(favour_i, r1_i, r1_j)
    r2 = np.where(favour_i, r2_i, r2_j)
    ratio = np.where(r1 * cap_a <= cap_b, r1, r2)
    return np.clip(ratio, r_lo, r_hi)


NEAR = 1e-9
"""Distance (0–100 scale) from a threshold within which a staged decision counts as close."""


@dataclass(frozen=True)
class Views:
    """Per demander and issue, the outcome as that demander sees it (the ``demander`` view).

    ``seen`` (actors × issues × actors) holds, per demander and issue, the position of each
    supplier whose move it has seen (NaN: none); ``shift`` (actors × issues) the resulting
    shift of the outcome from its round-start value; ``start`` the round-start outcomes.
    """

    start: Float
    shift: Float
    seen: Float


@dataclass(frozen=True)
class Lists:
    """Per candidate and supplier (column 0: i on q, 1: j on p) the listed moves before the
    last: their sum, least and largest; ``last`` the last computed (signed) moves."""

    sum: Float
    low: Float
    high: Float
    last: Float

    @classmethod
    def empty(cls, k: int) -> Lists:
        return cls(np.zeros((k, 2)), np.full((k, 2), np.inf), np.full((k, 2), -np.inf),
                   np.zeros((k, 2)))

    def push_last(self, idx: Int, side: int) -> None:
        """Candidates ``idx`` keep their last move of ``side`` among the listed ones."""
        move = self.last[idx, side]
        self.sum[idx, side] += move
        self.low[idx, side] = np.minimum(self.low[idx, side], move)
        self.high[idx, side] = np.maximum(self.high[idx, side], move)


@dataclass(frozen=True)
class Staged:
    """Terms from :func:`evaluate_staged`: moves are signed, ``near`` marks close decisions,
    ``ratio`` is the exchange ratio dq/dp the terms were computed at."""

    valid: Bool
    dp: Float
    dq: Float
    gain_i: Float
    gain_j: Float
    move_i: Float
    move_j: Float
    priority: Float
    near: Bool
    ratio: Float


def evaluate_staged(
    c: Candidates, idx: Int, *, position: Float, outcome: Float, pref: Float,
    views: Views | None, lists: Lists, outcome_view: str, outcome_cap: str, move_test: str,
    solution: str = "equal_gain", p_random: float = 0.0,
) -> Staged:
    """The terms of candidates ``idx`` step by step, as the Decide reading has them.

    1. Full moves: ``j`` moves all the way to ``i`` on p; where ``i``'s counter-move on q
       at the exchange ratio would pass ``j``, ``i`` moves all the way instead.
    2. The move test (``listed``: the peer's test on the candidate's listed moves and a gain
       of at least 1e-10; ``current``: each supplier moves towards its partner).
    3. The cap on q, then on p, against the outcome as ``outcome_view`` has it (``current``
       or the ``demander``'s view): ``crossing`` caps a move that would carry the outcome
       from one side of the demander's position to the other; ``reached`` also rules the
       exchange out once the outcome has reached or passed that position.
    4. The move test again on the capped moves (``current``: moves and gains above 1e-10).

    The ratio is the equal-gain one; under random rate the candidate's drawn one; under
    randomized equal gain (p > 0) the one that gives the favoured partner its share of the
    way to its best gain, the best taken at the largest exchange the caps allow (as in
    :func:`evaluate`). (docs/models/exchange.md, EXC-12 to EXC-15.) Call inside
    ``np.errstate(divide="ignore", invalid="ignore")``. Candidates whose decisions lie
    within ``NEAR`` of a threshold are flagged in ``near``, for exact arithmetic to settle.
    """
    g = _Gathered.of(c, idx, position, pref)
    rules = (outcome_view, outcome_cap, move_test)
    eq = _staged_at(g, g.r_eq, idx, outcome, views, lists, *rules)
    if solution == "equal_gain" and p_random <= 0:
        return eq.terms
    if solution == "random_rate":
        r_lo, r_hi = g.s_jp / g.s_jq, g.s_ip / g.s_iq
        ratio = r_lo + g.draw_f * (r_hi - r_lo)
    else:
        gain_eq = np.where(eq.terms.valid, eq.terms.gain_i, 0.0)
        ratio = _randomized_ratio(g.draw_f, g.draw_u, p_random, gain_eq, eq.cap_a, eq.cap_b,
                                  g.s_ip, g.s_iq, g.s_jp, g.s_jq)
    t = _staged_at(g, ratio, idx, outcome, views, lists, *rules).terms
    valid = t.valid & (t.gain_i > EPS) & (t.gain_j > EPS)
    if solution == "random_rate":
        priority = np.where(valid, np.minimum(t.gain_i, t.gain_j), -np.inf)
    else:
        valid &= eq.terms.valid
        priority = np.where(valid, eq.terms.gain_i, -np.inf)
    return Staged(valid, t.dp, t.dq, t.gain_i, t.gain_j, t.move_i, t.move_j, priority,
                  t.near | eq.terms.near, ratio)


@dataclass(frozen=True)
class _Gathered:
    """The fixed and current numbers of candidates ``idx``, one array each."""

    dir_i: Float
    dir_j: Float
    draw_f: Float
    draw_u: Float
    s_ip: Float
    s_iq: Float
    s_jp: Float
    s_jq: Float
    share_jp: Float
    share_iq: Float
    target_p: Float
    target_q: Float
    r_eq: Float
    at_p: Int
    at_q: Int
    sp_j: Float
    sp_i: Float
    pref_iq: Float
    pref_jp: Float
    i: Int
    j: Int

    @classmethod
    def of(cls, c: Candidates, idx: Int, position: Float, pref: Float) -> _Gathered:
        (dir_i, dir_j, draw_f, draw_u, s_ip, s_iq, s_jp, s_jq, share_jp, share_iq,
         target_p, target_q, r_eq, _pj, _pi) = np.ascontiguousarray(
            c.fixed.take(idx, axis=0).T)
        at_p, at_q, at_jp, at_iq = np.ascontiguousarray(c.where.take(idx, axis=0).T)
        flat, pref_flat = position.reshape(-1), pref.reshape(-1)
        return cls(dir_i, dir_j, draw_f, draw_u, s_ip, s_iq, s_jp, s_jq, share_jp, share_iq,
                   target_p, target_q, r_eq, at_p, at_q, flat[at_jp], flat[at_iq],
                   pref_flat[at_iq], pref_flat[at_jp], c.i.take(idx), c.j.take(idx))


@dataclass(frozen=True)
class _AtRatio:
    terms: Staged
    cap_a: Float  # the largest shift on p the caps allow (j's full move, the outcome cap)
    cap_b: Float  # the same on q


def _staged_at(g: _Gathered, ratio: Float, idx: Int, outcome: Float, views: Views | None,
               lists: Lists, outcome_view: str, outcome_cap: str, move_test: str) -> _AtRatio:
    """The four steps of :func:`evaluate_staged` at exchange ratio ``ratio`` (dq/dp)."""
    near = np.zeros(idx.shape, dtype=bool)
    # 1. full moves
    dist_j, dist_i = np.abs(g.target_p - g.sp_j), np.abs(g.target_q - g.sp_i)
    full_a, full_b = dist_j * g.share_jp, dist_i * g.share_iq
    dp = full_a
    dq = dp * ratio
    move_i = dq / g.share_iq
    move_j = dist_j
    near |= np.abs(move_i - dist_i) <= NEAR * (1.0 + dist_i)
    over = move_i > dist_i
    dq = np.where(over, full_b, dq)
    dp = np.where(over, dq / ratio, dp)
    move_i = np.where(over, dist_i, move_i)
    move_j = np.where(over, dp / g.share_jp, move_j)
    sign_i = np.where(g.sp_i > g.target_q, -1.0, 1.0)
    sign_j = np.where(g.sp_j > g.target_p, -1.0, 1.0)
    near |= (np.abs(g.sp_i - g.target_q) <= NEAR) | (np.abs(g.sp_j - g.target_p) <= NEAR)
    move_i, move_j = sign_i * move_i, sign_j * move_j
    gain = np.minimum(dp * g.s_ip - dq * g.s_iq, dq * g.s_jq - dp * g.s_jp)
    listed = move_test == "listed"
    # 2. the move test before the caps
    if listed:
        ok, near_l = _listed_ok(lists, idx, move_i, move_j, g.sp_i, g.sp_j)
        ok &= ~(gain < EPS)
        near |= near_l | _near_eps(gain)
    else:
        ok = (np.sign(move_i) == g.dir_i) & (np.sign(move_j) == g.dir_j)
    # 3. the caps, q first
    n = views.seen.shape[0] if views is not None else 0
    m = outcome.shape[0]
    sides = (
        (g.i, g.j, g.at_q, g.target_q, g.sp_i, g.share_iq, g.share_jp, g.pref_iq, sign_i,
         sign_j, full_b),
        (g.j, g.i, g.at_p, g.target_p, g.sp_j, g.share_jp, g.share_iq, g.pref_jp, sign_j,
         sign_i, full_a),
    )
    caps = []
    for side, (sup, dem, k, x, sp, share_k, share_o, origin, sign_mv, sign_om, full) in \
            enumerate(sides):
        mv = move_i if side == 0 else move_j
        if outcome_view == "demander" and views is not None:
            seen = views.seen.reshape(-1)[(dem * m + k) * n + sup]
            has = ~np.isnan(seen)
            level = views.start[k] + views.shift[dem, k] - share_k * np.where(has, seen, origin)
            n0, n1 = level + share_k * sp, level + share_k * (sp + mv)
            n_at = level + share_k * np.where(has, seen, sp)
        else:
            n0 = outcome[k]
            n1, n_at = n0 + share_k * mv, n0
        near |= (np.abs(x - n0) <= NEAR) | (np.abs(x - n1) <= NEAR)
        room = (x - n0) * sign_mv
        if outcome_cap == "reached":
            ok &= room > 0
            capped = (x - n1) * sign_mv < 0
            caps.append(np.minimum(full, room))
        else:
            capped = ~(((x - n0 >= 0) & (x - n1 >= 0)) | ((x - n0 <= 0) & (x - n1 <= 0)))
            caps.append(np.where(room > 0, np.minimum(full, room), full))
        delta = np.abs(x - n_at) / share_k
        shift_k = delta * share_k
        shift_o = shift_k / ratio if side == 0 else shift_k * ratio
        new_om = np.abs(shift_o / share_o) * sign_om
        new_mv = delta * sign_mv
        if side == 0:
            move_i, move_j = np.where(capped, new_mv, move_i), np.where(capped, new_om, move_j)
            dq, dp = np.where(capped, shift_k, dq), np.where(capped, shift_o, dp)
        else:
            move_j, move_i = np.where(capped, new_mv, move_j), np.where(capped, new_om, move_i)
            dp, dq = np.where(capped, shift_k, dp), np.where(capped, shift_o, dq)
    gain_i = dp * g.s_ip - dq * g.s_iq
    gain_j = dq * g.s_jq - dp * g.s_jp
    # 4. the move test after the caps
    if listed:
        ok_l, near_l = _listed_ok(lists, idx, move_i, move_j, g.sp_i, g.sp_j)
        ok &= ok_l
        near |= near_l
    else:
        ok &= ((np.sign(move_i) == g.dir_i) & (np.sign(move_j) == g.dir_j)
               & (np.abs(move_i) > EPS) & (np.abs(move_j) > EPS)
               & (gain_i > EPS) & (gain_j > EPS))
    ok &= np.isfinite(dp) & np.isfinite(dq)
    priority = np.where(ok, gain_i, -np.inf)
    terms = Staged(ok, dp, dq, gain_i, gain_j, move_i, move_j, priority, near, ratio)
    return _AtRatio(terms, caps[1], caps[0])


def _near_eps(x: Float) -> Bool:
    ax = np.abs(x)
    return (ax > EPS * 1e-2) & (ax < EPS * 1e2)


def _listed_ok(lists: Lists, idx: Int, move_i: Float, move_j: Float, at_i: Float,
               at_j: Float) -> tuple[Bool, Bool]:
    """The peer's test on both suppliers' listed moves (the earlier ones and the new), and
    whether it is close: one direction, no move beyond 100 or to nothing, none out of
    0–100, a sum of at most 100 (docs/models/exchange.md, EXC-14)."""
    h_sum, low, high = lists.sum[idx], lists.low[idx], lists.high[idx]  # (K, 2)
    move = np.stack([move_i, move_j], axis=1)
    size, end, total = np.abs(move), np.stack([at_i, at_j], axis=1) + move, h_sum + move
    lo, hi = np.minimum(low, move), np.maximum(high, move)
    ok = ((size <= 100) & (size > EPS) & (end >= 0) & (end <= 100) & ~(total > 100)
          & (((lo < 0) & (hi < 0)) | ((lo > 0) & (hi > 0))))
    near = ((size > EPS * 1e-2) & (size < EPS * 1e2) | (np.abs(end) <= NEAR)
            | (np.abs(end - 100) <= NEAR) | (np.abs(total - 100) <= NEAR))
    return np.all(ok, axis=1), np.any(near, axis=1)
