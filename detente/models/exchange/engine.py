"""The rounds of Stokman's exchange model on the internal 0–100 scale, vectorised.

One round: the outcome per issue is the capability × salience weighted mean of the
preferences; every candidate exchange is generated and its terms computed at once
(:mod:`detente.models.exchange.terms`); exchanges are carried out best-first, and after each
one the remaining candidates in which either partner supplies or demands the same issue as in
the executed exchange are recomputed (or dropped when no longer feasible). After the round
each preference moves towards the actor's voting position by ``fixed_weight +
salience_weight × (1 − salience)`` of the distance.

The best candidate is found through a block maximum over the candidates' priorities, so each
step costs O(K / block + touched blocks) rather than a full scan; ties (priorities within a
relative 1e-9 of the best) are broken by the seeded generator among the tied candidates in
canonical order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from detente.models.exchange.terms import (
    Candidates,
    OneTerms,
    Terms,
    assign_roles,
    evaluate,
    evaluate_one,
    generate,
)
from detente.types import Bool, Float, Int

TIE_TOLERANCE = 1e-9
"""Relative difference below which two priorities count as tied."""
BLOCK = 32


@dataclass(frozen=True)
class Rules:
    """The model's parameters as the engine needs them."""

    rounds: int = 10
    solution: str = "equal_gain"
    p: float = 0.0
    fixed_weight: float = 0.1
    salience_weight: float = 0.4

    @property
    def draws(self) -> bool:
        """Whether candidates need random draws (random rate or randomized equal gain)."""
        return self.solution == "random_rate" or self.p > 0


@dataclass(frozen=True)
class Trade:
    """One executed exchange (0–100 scale): ``i`` demands ``p`` and supplies ``q``.

    ``move_i`` is ``i``'s signed move on ``q``, ``move_j`` ``j``'s on ``p``; ``shift_p`` and
    ``shift_q`` the signed outcome shifts; ``ratio`` = |shift_q| / |shift_p|.
    """

    order: int
    i: int
    j: int
    p: int
    q: int
    move_i: float
    move_j: float
    voting_i: float
    voting_j: float
    shift_p: float
    shift_q: float
    ratio: float
    gain_i: float
    gain_j: float


@dataclass(frozen=True)
class Round:
    """One round: preferences and outcome before, voting positions and outcome after.

    ``own``, ``gained`` and ``lost`` (actors × issues) are utility changes (salience ×
    change in distance to the outcome, 0–100 scale): from the actor's own exchanges, and
    the gains and losses caused by exchanges between others (externalities).
    """

    preference: Float
    preference_outcome: Float
    voting: Float
    voting_outcome: Float
    trades: tuple[Trade, ...]
    own: Float
    gained: Float
    lost: Float
    ties: int = 0


def weighted_outcome(position: Float, weight: Float, total: Float) -> Float:
    """Σ w·x / Σ w per issue (issues without weight give NaN)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (weight * position).sum(axis=0) / total, np.nan)


def simulate(
    position: Float,
    salience: Float,
    capability: Float,
    present: Bool,
    rules: Rules,
    rng: np.random.Generator,
) -> list[Round]:
    """Run up to ``rules.rounds`` rounds; stops after a round without exchanges."""
    sal = np.where(present, salience, 0.0)
    weight = np.where(present, capability * sal, 0.0)
    total = weight.sum(axis=0)
    pref = np.where(present, position, 0.0).astype(float)
    adjust = rules.fixed_weight + rules.salience_weight * (1.0 - sal)
    out: list[Round] = []
    for _ in range(rules.rounds):
        with np.errstate(divide="ignore", invalid="ignore"):
            rnd = _round(pref, sal, weight, total, present, rules, rng)
        if not rnd.trades:
            break
        out.append(rnd)
        pref = pref + adjust * (rnd.voting - pref)
    return out


@dataclass
class _State:
    """Mutable state of one round."""

    position: Float
    outcome: Float
    prio: Float
    block_max: Float
    alive: Bool
    own: Float
    gained: Float
    lost: Float
    trades: list[Trade] = field(default_factory=list)
    before: list[tuple[float, float]] = field(default_factory=list)  # outcomes on p, q
    ties: int = 0


def _round(
    pref: Float, sal: Float, weight: Float, total: Float, present: Bool, rules: Rules,
    rng: np.random.Generator,
) -> Round:
    outcome0 = weighted_outcome(pref, weight, total)
    ok = present & np.isfinite(outcome0)[None, :] & (weight > 0)
    a, b, p, q = generate(pref, np.nan_to_num(outcome0), ok)
    i, j = assign_roles(a, b, p, q, sal)
    k = int(i.size)
    draws = rng.random((k, 2)) if rules.draws and k else np.zeros((k, 2))
    cand = Candidates.build(i, j, p, q, draws, pref, sal, weight, total)
    n, m = pref.shape
    padded = -(-k // BLOCK) * BLOCK
    st = _State(
        position=pref.copy(),
        outcome=outcome0.copy(),
        prio=np.full(padded, -np.inf),
        block_max=np.full(padded // BLOCK, -np.inf),
        alive=np.zeros(padded, dtype=bool),
        own=np.zeros((n, m)),
        gained=np.zeros((n, m)),
        lost=np.zeros((n, m)),
    )
    if k:
        _trade_best_first(cand, st, rules, rng, n, m)
    _book_utilities(st, pref, sal, present)
    return Round(
        preference=pref,
        preference_outcome=outcome0,
        voting=st.position,
        voting_outcome=weighted_outcome(st.position, weight, total),
        trades=tuple(st.trades),
        own=st.own,
        gained=st.gained,
        lost=st.lost,
        ties=st.ties,
    )


def _trade_best_first(
    cand: Candidates, st: _State, rules: Rules, rng: np.random.Generator, n: int, m: int
) -> None:
    """Carry out the best feasible candidate until none is left, recomputing as they go."""
    terms = _terms(cand, np.arange(cand.size), st, rules)
    st.prio[:cand.size] = terms.priority
    st.alive[:cand.size] = terms.valid
    st.block_max[:] = st.prio.reshape(-1, BLOCK).max(axis=1)
    index = _RoleIndex(cand, n, m)
    while (chosen := _best(st, rng)) >= 0:
        now = evaluate_one(cand, chosen, position=st.position, outcome=st.outcome,
                           solution=rules.solution, p_random=rules.p)
        stored = st.prio[chosen]
        if not now.valid or now.priority < stored - TIE_TOLERANCE * abs(stored):
            # Outcomes moved since its terms were computed: requeue at its current worth.
            st.prio[chosen] = now.priority
            st.alive[chosen] = now.valid
            block = chosen // BLOCK
            st.block_max[block] = st.prio[block * BLOCK:(block + 1) * BLOCK].max()
            continue
        _execute(cand, chosen, now, st)
        touched = index.affected(cand, chosen)
        touched = touched[st.alive[touched]]
        if touched.size:
            terms = _terms(cand, touched, st, rules)
            st.prio[touched] = terms.priority
            st.alive[touched] = terms.valid
        blocks = np.append(touched, chosen) // BLOCK  # repeats do no harm
        st.block_max[blocks] = st.prio.reshape(-1, BLOCK)[blocks].max(axis=1)


def _terms(cand: Candidates, idx: Int, st: _State, rules: Rules) -> Terms:
    return evaluate(cand, idx, position=st.position, outcome=st.outcome,
                    solution=rules.solution, p_random=rules.p)


def _best(st: _State, rng: np.random.Generator) -> int:
    """The candidate to carry out next (-1 when none is left); ties drawn by ``rng``."""
    top = int(np.argmax(st.block_max))
    best = st.block_max[top]
    if not np.isfinite(best):
        return -1
    threshold = best - TIE_TOLERANCE * abs(best)
    blocks = np.flatnonzero(st.block_max >= threshold)
    if blocks.size == 1:
        start = int(blocks[0]) * BLOCK
        tied = start + np.flatnonzero(st.prio[start:start + BLOCK] >= threshold)
    else:
        rows, cols = np.nonzero(st.prio.reshape(-1, BLOCK)[blocks] >= threshold)
        tied = blocks[rows] * BLOCK + cols
    if tied.size == 1:
        return int(tied[0])
    st.ties += 1
    return int(tied[rng.integers(tied.size)])


def _execute(cand: Candidates, k: int, t: OneTerms, st: _State) -> None:
    """Carry out candidate ``k`` on terms ``t``: move both suppliers, shift both outcomes."""
    i, j, p, q = int(cand.i[k]), int(cand.j[k]), int(cand.p[k]), int(cand.q[k])
    dir_i, dir_j = float(cand.column("dir_i")[k]), float(cand.column("dir_j")[k])
    dp, dq = t.dp, t.dq
    move_j = dir_j * t.move_j
    move_i = dir_i * t.move_i
    st.before.append((float(st.outcome[p]), float(st.outcome[q])))
    st.position[j, p] += move_j
    st.position[i, q] += move_i
    st.outcome[p] += dir_j * dp
    st.outcome[q] += dir_i * dq
    st.trades.append(Trade(
        order=len(st.trades), i=i, j=j, p=p, q=q, move_i=move_i, move_j=move_j,
        voting_i=float(st.position[i, q]), voting_j=float(st.position[j, p]),
        shift_p=dir_j * dp, shift_q=dir_i * dq, ratio=dq / dp,
        gain_i=t.gain_i, gain_j=t.gain_j,
    ))
    st.prio[k] = -np.inf
    st.alive[k] = False


def _book_utilities(st: _State, pref: Float, sal: Float, present: Bool) -> None:
    """Each actor's utility change from every trade (salience × change in distance).

    The partners' changes are their own; the others' are externalities, split into gains
    and losses. Trades are booked in the order they were carried out.
    """
    if not st.trades:
        return
    trade_issue = np.array([(t.p, t.q) for t in st.trades])  # (T, 2)
    old = np.array(st.before)  # (T, 2)
    new = old + np.array([(t.shift_p, t.shift_q) for t in st.trades])
    x = pref[:, trade_issue].transpose(1, 2, 0)  # (T, 2, n)
    s = np.where(present, sal, 0.0)[:, trade_issue].transpose(1, 2, 0)
    change = s * (np.abs(old[..., None] - x) - np.abs(new[..., None] - x))
    actor = np.broadcast_to(np.arange(pref.shape[0]), change.shape)
    issue = np.broadcast_to(trade_issue[..., None], change.shape)
    partners = np.array([(t.i, t.j) for t in st.trades])
    own = (actor == partners[:, 0, None, None]) | (actor == partners[:, 1, None, None])
    np.add.at(st.own, (actor[own], issue[own]), change[own])
    other = ~own
    np.add.at(st.gained, (actor[other], issue[other]), np.maximum(change[other], 0.0))
    np.add.at(st.lost, (actor[other], issue[other]), np.minimum(change[other], 0.0))


class _RoleIndex:
    """Candidates by (actor, issue, role): who supplies (role 0) or demands (1) which issue."""

    def __init__(self, cand: Candidates, n: int, m: int) -> None:
        self.m = m
        k = cand.size
        keys = np.concatenate([
            self.keys_of(cand.j, cand.p, 0), self.keys_of(cand.i, cand.q, 0),
            self.keys_of(cand.i, cand.p, 1), self.keys_of(cand.j, cand.q, 1),
        ])
        ids = np.tile(np.arange(k, dtype=np.int64), 4)
        if n * m * 2 < np.iinfo(np.int16).max:
            keys = keys.astype(np.int16)  # a stable sort of 16-bit keys is a radix sort
        order = np.argsort(keys, kind="stable")
        self.ids = ids[order]
        self.starts = np.searchsorted(keys[order], np.arange(n * m * 2 + 1)).tolist()

    def keys_of(self, actor: Int, issue: Int, role: int) -> Int:
        return (actor.astype(np.int64) * self.m + issue) * 2 + role

    def affected(self, cand: Candidates, k: int) -> Int:
        """Candidates in which a partner of ``k`` supplies or demands as it did in ``k``.

        A candidate may be listed more than once.
        """
        i, j, p, q, m = int(cand.i[k]), int(cand.j[k]), int(cand.p[k]), int(cand.q[k]), self.m
        wanted = ((i * m + q) * 2, (j * m + p) * 2, (i * m + p) * 2 + 1, (j * m + q) * 2 + 1)
        s = self.starts
        return np.concatenate([self.ids[s[key]:s[key + 1]] for key in wanted])
