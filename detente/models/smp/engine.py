"""The turn loop of KTAB's spatial model of politics over a batch of independent problems.

Each turn, in every problem still running: assess the state (risk attitudes from a
risk-neutral probabilistic Condorcet election, then every actor's estimate of everyone's
utilities), let each actor pick its most advantageous challenge, interpolate the bargains,
queue them with each actor's status quo, and let a Condorcet election over each queue choose
the actor's next position. Problems stop after ``max_turns`` or once a turn moves the actors
less than ``min_delta_ratio`` of the first turn's movement.

Arrays are batched: positions (B, n, D) on [0, 1], ``present`` marks the actors that take part
in each problem (the others are inert slots).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.models.smp.bargain import bargain_value, interpolate, status_quo_value
from detente.models.smp.challenge import all_challenges, best_targets, one_challenge
from detente.models.smp.election import election, estimated_risk, ordered_sum, risk_attitudes
from detente.models.smp.options import Settings
from detente.models.smp.utility import distance, utility
from detente.types import Bool, Float, Int

POSITION_TOLERANCE = 1e-3  # KTAB's posTol: positions closer than this (on [0, 1]) are one
MIN_SIGNIFICANT_DELTA = 1e-4  # KTAB adds this to the first turn's movement
MIN_TURNS = 2  # KTAB never stops before its second turn


@dataclass(frozen=True)
class Problems:
    """B independent SMP problems over n actor slots and D dimensions."""

    position: Float  # (B, n, D) on [0, 1]
    salience: Float  # (B, n, D), each actor's sum at most 1
    capability: Float  # (B, n), > 0 where present
    present: Bool  # (B, n)
    accommodation: Float | None = None  # (B, n, n) ideal adjustment; None = identity

    @property
    def shape(self) -> tuple[int, int, int]:
        b, n, d = self.position.shape
        return int(b), int(n), int(d)


@dataclass(frozen=True)
class Assessment:
    """What every actor believes in one state, and the state's distribution of outcomes."""

    risk: Float  # (B, n) risk attitude R
    dist: Float  # (B, a, c): salience-weighted distance from a's ideal to c's position
    r_hat: Float  # (B, h, a): h's estimate of a's risk attitude
    own: Float  # (B, a, c): a's own utility of c's position
    leader: Int  # (B, n): first actor holding the same (within tolerance) position
    prob: Float  # (B, n): probability of each distinct position, at its leader, else 0


@dataclass(frozen=True)
class Trace:
    """A batch run: every state and every turn's challenges and choices."""

    positions: Float  # (T+1, B, n, D), rows that stopped repeat their last state
    risk: Float  # (T+1, B, n)
    leader: Int  # (T+1, B, n)
    prob: Float  # (T+1, B, n)
    turns: Int  # (B,) turns each problem ran
    converged: Bool  # (B,) stopped because movement fell below the threshold
    target: Int  # (T, B, n): whom each actor challenged, −1 = nobody
    gain: Float  # (T, B, n): the challenger's expected gain
    p_win: Float  # (T, B, n): the challenger's estimate of its chance to win
    offer_init: Float  # (T, B, n, D): position the bargain proposes for the challenger
    offer_rcvr: Float  # (T, B, n, D): position it proposes for the target
    adopted_init: Int  # (T, B, n): initiator of the bargain each actor adopted, −1 = none
    adopted_rcvr: Int  # (T, B, n): its receiver, −1 = none


def unique_positions(position: Float, present: Bool) -> Int:
    """For each actor the first actor whose position lies within POSITION_TOLERANCE.

    KTAB's ``ueIndices``: actors are scanned in order and compared with the distinct
    positions found so far, in the order found.
    """
    b, n, _ = position.shape
    diff = position[:, :, None, :] - position[:, None, :, :]
    close = np.sqrt(ordered_sum(np.moveaxis(diff * diff, -1, 0))) < POSITION_TOLERANCE
    leader = np.tile(np.arange(n), (b, 1))
    is_leader = np.zeros((b, n), dtype=bool)
    is_leader[:, 0] = present[:, 0]
    for i in range(1, n):
        cand = close[:, i, :i] & is_leader[:, :i]
        has = cand.any(axis=1)
        leader[:, i] = np.where(has, np.argmax(cand, axis=1), i)
        is_leader[:, i] = ~has & present[:, i]
    return leader


def assess(
    position: Float, ideal: Float, problems: Problems, rows: Int, settings: Settings
) -> Assessment:
    """KTAB's ``setAllAUtil`` and ``pDist(-1)`` for the given rows of the batch."""
    sal = problems.salience[rows]
    cap = problems.capability[rows]
    present = problems.present[rows]
    both = present[:, :, None] & present[:, None, :]
    d = np.where(both, distance(ideal, position, sal), 0.0)
    neutral = utility(d, np.zeros_like(d))
    p_all = election(settings.pce_model, settings.victory_prob_model, settings.voting_rule,
                     cap, neutral, present, present)
    risk = risk_attitudes(p_all, present, settings.big_r_range)
    r_hat = estimated_risk(risk[:, :, None], risk[:, None, :], settings.big_r_adjust)
    n = present.shape[1]
    ar = np.arange(n)
    own = utility(d, r_hat[:, ar, ar][:, :, None])  # (B, v, c): v's own utility of c's position
    leader = unique_positions(position, present)
    options = present & (leader == ar[None, :])
    prob = _distinct_election(settings, cap, own, present, options)
    return Assessment(risk, d, r_hat, own, leader, prob)


def _distinct_election(
    settings: Settings, cap: Float, own: Float, present: Bool, options: Bool
) -> Float:
    """KTAB's ``pDist(-1)``: the election among the distinct positions only, in actor order."""
    b, n = options.shape
    count = options.sum(axis=1)
    width = int(count.max(initial=0))
    prob = np.zeros((b, n))
    if width == 0:
        return prob
    order = np.argsort(~options, axis=1, kind="stable")[:, :width]  # leaders first, in order
    valid = np.arange(width)[None, :] < count[:, None]
    u = np.take_along_axis(own, order[:, None, :], axis=2)
    p = election(settings.pce_model, settings.victory_prob_model, settings.voting_rule,
                 cap, u, present, valid)
    rows = np.repeat(np.arange(b), width).reshape(b, width)
    prob[rows[valid], order[valid]] = p[valid]
    return prob


def state_distance(a: Float, b: Float, present: Bool) -> Float:
    """KTAB's ``stateDist``: Σ over actors of the Euclidean distance moved (B,)."""
    diff = a - b
    moved = np.sqrt(ordered_sum(np.moveaxis(diff * diff, -1, 0)))
    return ordered_sum(np.where(present, moved, 0.0).T)


@dataclass(frozen=True)
class Turn:
    """One turn's outcome for the rows that ran it."""

    position: Float  # (b, n, D)
    target: Int
    gain: Float
    p_win: Float
    offer_init: Float
    offer_rcvr: Float
    adopted_init: Int
    adopted_rcvr: Int


def _bargains(
    problems: Problems, rows: Int, position: Float, state: Assessment, settings: Settings,
    target: Int, p_win: Float,
) -> tuple[Int, Int, Int, Int, Float, Float]:
    """The bargains offered this turn: (row, initiator, receiver, variant, pos_i, pos_j)."""
    sal = problems.salience[rows]
    present = problems.present[rows]
    r, i = np.nonzero(target >= 0)
    j = target[r, i]
    p = p_win[r, i][:, None]
    t_i, t_j, s_i, s_j = position[r, i], position[r, j], sal[r, i], sal[r, j]
    iij = interpolate(settings.inter_vec_brgn, t_i, s_i, p, t_j, s_j, 1 - p)
    if settings.bargain_model == "InitOnlyInterp":
        return r, i, j, np.zeros_like(r), iij[0], iij[1]
    total = sal.sum(axis=2)
    cap = problems.capability[rows]
    weight = cap * total
    # KTAB interpolates the receiver's version with j's estimate of i's expected gain
    # (the second value of probEduChlg(j, i, i, j)) where a probability is meant.
    _, gain_j = one_challenge(settings.voting_rule, settings.third_party_commit, state.dist,
                              state.r_hat, weight, total, present, r, j, i, i, j)
    q = gain_j[:, None]
    jij = interpolate(settings.inter_vec_brgn, t_i, s_i, q, t_j, s_j, 1 - q)
    if settings.bargain_model == "InitRcvrInterp":
        cat = np.concatenate
        return (cat([r, r]), cat([i, i]), cat([j, j]), cat([np.zeros_like(r), np.ones_like(r)]),
                cat([iij[0], jij[0]]), cat([iij[1], jij[1]]))
    # PWCompInterp: KTAB weighs both versions by capability × total salience, taking the
    # initiator's capability for both sides.
    w_i = (cap[r, i] * total[r, i])[:, None]
    w_j = (cap[r, i] * total[r, j])[:, None]
    pos_i = (w_i * iij[0] + w_j * jij[0]) / (w_i + w_j)
    pos_j = (w_i * iij[1] + w_j * jij[1]) / (w_i + w_j)
    return r, i, j, np.zeros_like(r), pos_i, pos_j


def _choose(p: Float, valid: Bool, draws: Float | None) -> Int:
    """Index of the chosen bargain per queue: first maximum, or sampled by ``draws``."""
    if draws is None:
        return np.asarray(np.argmax(np.where(valid, p, -1.0), axis=1), dtype=np.int64)
    cum = np.cumsum(np.where(valid, p, 0.0), axis=1)
    hit = (draws[:, None] <= cum) & valid
    last = valid.sum(axis=1) - 1
    return np.asarray(np.where(hit.any(axis=1), np.argmax(hit, axis=1), last), dtype=np.int64)


def play_turn(
    problems: Problems, rows: Int, position: Float, ideal: Float, state: Assessment,
    settings: Settings, draws: Float | None,
) -> Turn:
    """Challenges, bargains and each actor's choice from its queue, for the given rows."""
    b, n, dims = position.shape
    sal = problems.salience[rows]
    cap = problems.capability[rows]
    present = problems.present[rows]
    total = sal.sum(axis=2)
    p, gain = all_challenges(settings.voting_rule, settings.third_party_commit, state.dist,
                             state.r_hat, cap * total, total, present)
    target, best = best_targets(gain)
    p_win = np.take_along_axis(p, np.maximum(target, 0)[..., None], axis=2)[..., 0]
    br, bi, bj, bvar, pos_i, pos_j = _bargains(problems, rows, position, state, settings,
                                               target, p_win)
    sq_value = status_quo_value(state.own, present)  # (b, v)
    value = bargain_value(state.own, ideal, sal, state.risk, present, br, bi, bj, pos_i, pos_j)

    # Queue entries: (row, queue owner, source actor, variant, bargain column), column −1 for
    # the owner's status quo. Sorting by source then variant gives the order of KTAB's queues
    # when its actors run one after another.
    sq_r, sq_k = np.nonzero(present)
    m = np.arange(len(br))
    e_row = np.concatenate([sq_r, br, br])
    e_owner = np.concatenate([sq_k, bi, bj])
    e_source = np.concatenate([sq_k, bi, bi])
    e_var = np.concatenate([np.full(len(sq_r), -1), bvar, bvar])
    e_col = np.concatenate([np.full(len(sq_r), -1), m, m])
    order = np.lexsort((e_var, e_source, e_owner, e_row))
    e_row, e_owner, e_col = e_row[order], e_owner[order], e_col[order]
    queue = e_row * n + e_owner
    starts = np.flatnonzero(np.r_[True, queue[1:] != queue[:-1]])
    sizes = np.diff(np.r_[starts, len(queue)])

    chosen_col = np.full((b, n), -1, dtype=np.int64)
    width = 2 ** np.ceil(np.log2(np.maximum(sizes, 1))).astype(np.int64)
    for w in np.unique(width[sizes > 1]):  # queues padded to powers of two, few elections
        groups = np.flatnonzero((width == w) & (sizes > 1))
        valid = np.arange(w)[None, :] < sizes[groups][:, None]  # (G, W)
        idx = np.where(valid, starts[groups][:, None] + np.arange(w)[None, :], 0)
        g_row, g_owner = e_row[starts[groups]], e_owner[starts[groups]]
        cols = np.where(valid, e_col[idx], -1)
        u = np.where(cols[:, :, None] < 0, sq_value[g_row][:, None, :],
                     value[np.maximum(cols, 0)] if len(value) else 0.0)  # (G, W, v)
        prob = election(settings.pce_model, settings.victory_prob_model, settings.voting_rule,
                        cap[g_row], np.swapaxes(u, 1, 2), present[g_row], valid)
        pick = _choose(prob, valid, None if draws is None else draws[g_row, g_owner])
        chosen_col[g_row, g_owner] = cols[np.arange(len(groups)), pick]

    new_position = position.copy()
    adopted_init = np.full((b, n), -1, dtype=np.int64)
    adopted_rcvr = np.full((b, n), -1, dtype=np.int64)
    kr, kk = np.nonzero(chosen_col >= 0)
    col = chosen_col[kr, kk]
    is_init = bi[col] == kk
    new_position[kr, kk] = np.where(is_init[:, None], pos_i[col], pos_j[col])
    adopted_init[kr, kk] = bi[col]
    adopted_rcvr[kr, kk] = bj[col]

    offer_init = np.full((b, n, dims), np.nan)
    offer_rcvr = np.full((b, n, dims), np.nan)
    first = bvar == 0
    offer_init[br[first], bi[first]] = pos_i[first]
    offer_rcvr[br[first], bi[first]] = pos_j[first]
    return Turn(new_position, target, np.where(target >= 0, best, 0.0),
                np.where(target >= 0, p_win, np.nan), offer_init, offer_rcvr,
                adopted_init, adopted_rcvr)


def new_ideals(ideal: Float, position: Float, accommodation: Float | None) -> Float:
    """KTAB's ``newIdeals``: ideal ← Σ_j a_ij x_j + (1 − Σ_j a_ij) ideal."""
    if accommodation is None:
        return position.copy()
    terms = accommodation[:, :, :, None] * position[:, None, :, :]  # (B, i, j, D)
    pulled = ordered_sum(np.moveaxis(terms, 2, 0))
    share = np.minimum(ordered_sum(np.moveaxis(accommodation, 2, 0)), 1.0)
    return np.asarray(pulled + (1.0 - share)[..., None] * ideal, dtype=np.float64)


#: Problems run together in blocks of at most this many rows: larger blocks gain nothing per
#: row and their temporaries, (rows, n, n, …) arrays, outgrow the caches (1,600 rows of 27
#: actors ran a third slower per row than 400, most of the extra in the kernel's page faults).
ROW_BLOCK = 256


def simulate(problems: Problems, settings: Settings, seed: int = 0,
             streams: Int | None = None) -> Trace:
    """Run every problem of the batch to its stopping turn.

    Row r draws its stochastic choices from child ``streams[r]`` (default r) of
    ``SeedSequence(seed)``, so a row's result does not depend on the blocks, or the part of
    a larger batch, it is run in.
    """
    b = problems.shape[0]
    ids = range(b) if streams is None else (int(i) for i in streams)
    rngs = [np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,))) for i in ids]
    if b <= ROW_BLOCK:
        return _simulate_block(problems, settings, rngs)
    blocks = [_simulate_block(_rows_of(problems, slice(lo, lo + ROW_BLOCK)), settings,
                              rngs[lo:lo + ROW_BLOCK]) for lo in range(0, b, ROW_BLOCK)]
    return _join(blocks)


def _rows_of(problems: Problems, rows: slice) -> Problems:
    acc = problems.accommodation
    return Problems(problems.position[rows], problems.salience[rows],
                    problems.capability[rows], problems.present[rows],
                    None if acc is None else acc[rows])


def _join(blocks: list[Trace]) -> Trace:
    """One trace of blocks run apart: states past a block's last turn repeat its last state,
    turn records past it are blank (nobody challenged)."""
    turns = max(block.target.shape[0] for block in blocks)

    def states(name: str) -> Any:
        parts = []
        for block in blocks:
            x = getattr(block, name)
            pad = np.repeat(x[-1:], turns + 1 - x.shape[0], axis=0)
            parts.append(np.concatenate([x, pad]))
        return np.concatenate(parts, axis=1)

    def records(name: str, fill: float) -> Any:
        parts = []
        for block in blocks:
            x = getattr(block, name)
            pad = np.full((turns - x.shape[0], *x.shape[1:]), fill, dtype=x.dtype)
            parts.append(np.concatenate([x, pad]))
        return np.concatenate(parts, axis=1)

    return Trace(
        positions=states("positions"), risk=states("risk"), leader=states("leader"),
        prob=states("prob"),
        turns=np.concatenate([block.turns for block in blocks]),
        converged=np.concatenate([block.converged for block in blocks]),
        target=records("target", -1), gain=records("gain", 0.0),
        p_win=records("p_win", np.nan), offer_init=records("offer_init", np.nan),
        offer_rcvr=records("offer_rcvr", np.nan), adopted_init=records("adopted_init", -1),
        adopted_rcvr=records("adopted_rcvr", -1),
    )


def _simulate_block(problems: Problems, settings: Settings,
                    rngs: list[np.random.Generator]) -> Trace:
    """``simulate`` on one block of rows, row r drawing from ``rngs[r]``."""
    b, n, dims = problems.shape
    position = problems.position.copy()
    ideal = position.copy()
    acc = problems.accommodation
    all_rows = np.arange(b)
    state = assess(position, ideal, problems, all_rows, settings)
    hist_pos = [position.copy()]
    hist_risk, hist_leader, hist_prob = [state.risk], [state.leader], [state.prob]
    turns = np.zeros(b, dtype=np.int64)
    converged = np.zeros(b, dtype=bool)
    active = problems.present.sum(axis=1) >= 2
    first_move = np.zeros(b)
    per_turn: list[Turn] = []
    blank = Turn(np.empty(0), np.full((b, n), -1), np.zeros((b, n)), np.full((b, n), np.nan),
                 np.full((b, n, dims), np.nan), np.full((b, n, dims), np.nan),
                 np.full((b, n), -1), np.full((b, n), -1))
    live_state = state
    rows = all_rows[active]
    live_state = _subset(state, active)
    for t in range(1, settings.max_turns + 1):
        if len(rows) == 0:
            break
        draws = None
        if settings.stochastic:
            draws = np.stack([rngs[r].random(n) for r in rows])
        turn = play_turn(problems, rows, position[rows], ideal[rows], live_state, settings,
                         draws)
        record = _expand(blank, turn, rows, b)
        per_turn.append(record)
        old = position[rows]
        position[rows] = turn.position
        ideal[rows] = new_ideals(ideal[rows], turn.position,
                                 None if acc is None else acc[rows])
        new_state = assess(position[rows], ideal[rows], problems, rows, settings)
        risk, leader, prob = (hist_risk[-1].copy(), hist_leader[-1].copy(),
                              hist_prob[-1].copy())
        risk[rows], leader[rows], prob[rows] = new_state.risk, new_state.leader, new_state.prob
        hist_pos.append(position.copy())
        hist_risk.append(risk)
        hist_leader.append(leader)
        hist_prob.append(prob)
        moved = state_distance(turn.position, old, problems.present[rows])
        if t == 1:
            first_move[rows] = moved + MIN_SIGNIFICANT_DELTA
        quiet = moved / first_move[rows] < settings.min_delta_ratio
        stop = np.full(len(rows), t >= settings.max_turns) | ((t >= MIN_TURNS) & quiet)
        turns[rows] = t
        converged[rows] = (t >= MIN_TURNS) & quiet
        keep = ~stop
        rows = rows[keep]
        live_state = _subset(new_state, keep)
    return Trace(
        positions=np.stack(hist_pos), risk=np.stack(hist_risk),
        leader=np.stack(hist_leader), prob=np.stack(hist_prob), turns=turns,
        converged=converged,
        target=_stack([tn.target for tn in per_turn], blank.target),
        gain=_stack([tn.gain for tn in per_turn], blank.gain),
        p_win=_stack([tn.p_win for tn in per_turn], blank.p_win),
        offer_init=_stack([tn.offer_init for tn in per_turn], blank.offer_init),
        offer_rcvr=_stack([tn.offer_rcvr for tn in per_turn], blank.offer_rcvr),
        adopted_init=_stack([tn.adopted_init for tn in per_turn], blank.adopted_init),
        adopted_rcvr=_stack([tn.adopted_rcvr for tn in per_turn], blank.adopted_rcvr),
    )


def _stack(items: list[Any], like: Any) -> Any:
    """Turn records stacked along a new first axis (empty when no turn ran)."""
    if not items:
        return np.empty((0, *like.shape), dtype=like.dtype)
    return np.stack(items)


def _subset(state: Assessment, keep: Bool) -> Assessment:
    return Assessment(state.risk[keep], state.dist[keep], state.r_hat[keep], state.own[keep],
                      state.leader[keep], state.prob[keep])


def _expand(blank: Turn, turn: Turn, rows: Int, b: int) -> Turn:
    """A turn record over the whole batch; rows that did not run keep the blank values."""
    out = {}
    for name in ("target", "gain", "p_win", "offer_init", "offer_rcvr", "adopted_init",
                 "adopted_rcvr"):
        full = getattr(blank, name).copy()
        full[rows] = getattr(turn, name)
        out[name] = full
    return Turn(position=np.empty(0), **out)
