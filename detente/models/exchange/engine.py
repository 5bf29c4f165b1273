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

With a rule of the Decide reading switched on (``Rules.staged``) a round runs on the staged
path instead: candidates are judged step by step as the peer does
(:func:`~detente.models.exchange.terms.evaluate_staged`), against the demander's view of the
outcome where asked, with each candidate's listed moves, and, under Decimal arithmetic, with a
Decimal copy of the round (:class:`~detente.models.exchange.exact.Shadow`) that settles close
decisions and computes every executed exchange (docs/models/exchange.md, EXC-12 to EXC-15).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from detente.models.exchange.exact import Listed, OneExact, Shadow, Switches, as_decimal
from detente.models.exchange.terms import (
    Candidates,
    Lists,
    OneTerms,
    Staged,
    Terms,
    Views,
    assign_roles,
    evaluate,
    evaluate_one,
    evaluate_staged,
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
    outcome_view: str = "current"
    outcome_cap: str = "reached"
    move_test: str = "current"
    arithmetic: str = "float"

    @property
    def draws(self) -> bool:
        """Whether candidates need random draws (random rate or randomized equal gain)."""
        return self.solution == "random_rate" or self.p > 0

    @property
    def staged(self) -> bool:
        """Whether a rule of the Decide reading is switched on (the staged path)."""
        return (self.outcome_view, self.outcome_cap, self.move_test, self.arithmetic) != (
            "current", "reached", "current", "float")

    @property
    def switches(self) -> Switches:
        return Switches(self.outcome_view, self.outcome_cap, self.move_test)


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
    overturned: int = 0  # staged decisions that Decimal arithmetic reversed


def weighted_outcome(position: Float, weight: Float, total: Float) -> Float:
    """Σ w·x / Σ w per issue (issues without weight give NaN)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (weight * position).sum(axis=0) / total, np.nan)


@dataclass(frozen=True)
class ExactInputs:
    """Positions (0–100), saliences and powers as Decimals, for ``arithmetic = "decimal"``.

    Nested lists (actors × issues); entries where an actor takes no stance are ignored.
    """

    position: list[list[Decimal]]
    salience: list[list[Decimal]]
    power: list[list[Decimal]]

    @classmethod
    def of(cls, position: Float, salience: Float, capability: Float) -> ExactInputs:
        """Each float read back as the shortest decimal that gives it."""
        def dec(x: Float) -> list[list[Decimal]]:
            return [[as_decimal(v) for v in row] for row in np.asarray(x, dtype=float)]
        return cls(dec(position), dec(salience), dec(capability))


def simulate(
    position: Float,
    salience: Float,
    capability: Float,
    present: Bool,
    rules: Rules,
    rng: np.random.Generator,
    exact: ExactInputs | None = None,
) -> list[Round]:
    """Run up to ``rules.rounds`` rounds; stops after a round without exchanges.

    Under ``arithmetic = "decimal"`` the inputs are read as Decimals (``exact``, else from
    the floats) and the preferences carried between rounds are the Decimal ones.
    """
    sal = np.where(present, salience, 0.0)
    weight = np.where(present, capability * sal, 0.0)
    total = weight.sum(axis=0)
    pref = np.where(present, position, 0.0).astype(float)
    adjust = rules.fixed_weight + rules.salience_weight * (1.0 - sal)
    start: list[list[Decimal]] | None = None
    if rules.arithmetic == "decimal":
        exact = exact or ExactInputs.of(pref, sal, np.where(present, capability, 0.0))
        start = [row[:] for row in exact.position]
    out: list[Round] = []
    for _ in range(rules.rounds):
        shadow = None
        if exact is not None and start is not None:
            order = [[int(a) for a in np.flatnonzero(present[:, k] & (weight[:, k] > 0))]
                     for k in range(pref.shape[1])]
            shadow = Shadow.begin(start, exact.salience, exact.power, order)
        with np.errstate(divide="ignore", invalid="ignore"):
            if rules.staged:
                rnd = _round_staged(pref, sal, weight, total, present, rules, rng, shadow)
            else:
                rnd = _round(pref, sal, weight, total, present, rules, rng)
        if not rnd.trades:
            break
        out.append(rnd)
        if shadow is not None:
            start = shadow.next_start(Decimal(rules.fixed_weight),
                                      Decimal(rules.salience_weight))
            pref = np.where(present, np.array(start, dtype=float), 0.0)
        else:
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
    overturned: int = 0


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


# -- the staged path: the rules of the Decide reading (docs/models/exchange.md, EXC-12) -----


@dataclass
class _Staged:
    """What the staged path keeps beside the round state."""

    pref: Float
    share: Float  # weight / total per actor and issue
    views: Views | None
    lists: Lists
    shadow: Shadow | None
    rules: Rules
    gains: Float  # (K, 2): the gains of i and j on the candidate's last terms
    ratio: Float  # (K,): the exchange ratio of the last terms


def _round_staged(
    pref: Float, sal: Float, weight: Float, total: Float, present: Bool, rules: Rules,
    rng: np.random.Generator, shadow: Shadow | None,
) -> Round:
    outcome0 = weighted_outcome(pref, weight, total)
    ok = present & np.isfinite(outcome0)[None, :] & (weight > 0)
    n, m = pref.shape
    left = None
    if shadow is not None:  # who stands at or left of the outcome, decided in Decimal
        out_d = [shadow.outcome(k) if shadow.order[k] else None for k in range(m)]
        left = np.array([[out_d[k] is not None and shadow.start[a][k] <= out_d[k]
                          for k in range(m)] for a in range(n)], dtype=bool)
    a, b, p, q = generate(pref, np.nan_to_num(outcome0), ok, left=left)
    i, j = assign_roles(a, b, p, q, sal)
    k = int(i.size)
    draws = rng.random((k, 2)) if rules.draws and k else np.zeros((k, 2))
    cand = Candidates.build(i, j, p, q, draws, pref, sal, weight, total)
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
    views = None
    if rules.outcome_view == "demander":
        views = Views(start=np.nan_to_num(outcome0), shift=np.zeros((n, m)),
                      seen=np.full((n, m, n), np.nan))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, weight / total, 0.0)
    aux = _Staged(pref=pref, share=share, views=views, lists=Lists.empty(k), shadow=shadow,
                  rules=rules, gains=np.zeros((k, 2)), ratio=np.zeros(k))
    if k:
        _trade_staged(cand, st, aux, rng, n, m)
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
        overturned=st.overturned,
    )


def _trade_staged(cand: Candidates, st: _State, aux: _Staged, rng: np.random.Generator,
                  n: int, m: int) -> None:
    """Best first, as ``_trade_best_first``, with the staged terms and the candidates'
    listed moves; under the demander view a candidate's terms change only when it shares a
    supplier or demander with an executed exchange, so there is no lazy re-evaluation."""
    _restage(cand, np.arange(cand.size), st, aux)
    st.block_max[:] = st.prio.reshape(-1, BLOCK).max(axis=1)
    index = _RoleIndex(cand, n, m)
    lazy = aux.rules.outcome_view == "current"
    while (chosen := _best_staged(cand, st, aux, rng)) >= 0:
        if lazy:
            now = _staged(cand, np.array([chosen]), st, aux)
            stored = st.prio[chosen]
            worth = float(now.priority[0])
            if not now.valid[0] or worth < stored - TIE_TOLERANCE * abs(stored):
                st.prio[chosen] = worth if now.valid[0] else -np.inf
                st.alive[chosen] = bool(now.valid[0])
                aux.lists.last[chosen] = (now.move_i[0], now.move_j[0])
                _reblock(st, np.array([chosen]))
                continue
            aux.lists.last[chosen] = (now.move_i[0], now.move_j[0])
            aux.gains[chosen] = (now.gain_i[0], now.gain_j[0])
            aux.ratio[chosen] = now.ratio[0]
        if not _execute_staged(cand, chosen, st, aux):
            _reblock(st, np.array([chosen]))
            continue
        touched = np.unique(index.affected(cand, chosen))
        touched = touched[st.alive[touched]]
        if touched.size:
            _push_lists(cand, chosen, touched, aux.lists)
            _restage(cand, touched, st, aux)
        _reblock(st, np.append(touched, chosen))


def _reblock(st: _State, idx: Int) -> None:
    blocks = idx // BLOCK
    st.block_max[blocks] = st.prio.reshape(-1, BLOCK)[blocks].max(axis=1)


def _staged(cand: Candidates, idx: Int, st: _State, aux: _Staged) -> Staged:
    r = aux.rules
    return evaluate_staged(cand, idx, position=st.position, outcome=st.outcome, pref=aux.pref,
                           views=aux.views, lists=aux.lists, outcome_view=r.outcome_view,
                           outcome_cap=r.outcome_cap, move_test=r.move_test,
                           solution=r.solution, p_random=r.p)


def _restage(cand: Candidates, idx: Int, st: _State, aux: _Staged) -> None:
    """Recompute candidates ``idx``: staged floats, settled in Decimal where close."""
    t = _staged(cand, idx, st, aux)
    prio, valid = t.priority.copy(), t.valid.copy()
    move_i, move_j = t.move_i.copy(), t.move_j.copy()
    for k in np.flatnonzero(t.near) if aux.shadow is not None else ():
        c = int(idx[k])
        ex = _exact(cand, c, aux)
        st.overturned += ex.valid != valid[k]
        valid[k] = ex.valid
        prio[k] = float(ex.gain) if ex.valid else -np.inf
        move_i[k], move_j[k] = float(ex.move_i), float(ex.move_j)
    st.prio[idx] = prio
    st.alive[idx] = valid
    aux.lists.last[idx, 0] = move_i
    aux.lists.last[idx, 1] = move_j
    aux.gains[idx, 0] = t.gain_i
    aux.gains[idx, 1] = t.gain_j
    aux.ratio[idx] = t.ratio


def _exact(cand: Candidates, c: int, aux: _Staged) -> OneExact:
    """Candidate ``c``'s terms in the shadow's Decimal arithmetic.

    Under random rate or randomized equal gain the exchange ratio is the one the floats
    found, and the priority as in :func:`evaluate_staged` (the smaller gain, or the
    equal-gain terms' gain).
    """
    shadow, rules = aux.shadow, aux.rules
    assert shadow is not None
    ls = aux.lists
    listed = Listed(float(ls.sum[c, 0]), float(ls.low[c, 0]), float(ls.high[c, 0]),
                    float(ls.sum[c, 1]), float(ls.low[c, 1]), float(ls.high[c, 1]))
    who = (int(cand.i[c]), int(cand.j[c]), int(cand.p[c]), int(cand.q[c]), listed,
           rules.switches, int(cand.column("dir_i")[c]), int(cand.column("dir_j")[c]))
    eq = shadow.terms(*who)
    if not rules.draws:
        return eq
    t = shadow.terms(*who, ratio=as_decimal(float(aux.ratio[c])))
    if rules.solution == "random_rate":
        return t
    return OneExact(t.valid and eq.valid, eq.gain, t.move_i, t.move_j, t.dp, t.dq, t.gain_i,
                    t.gain_j)


def _push_lists(cand: Candidates, k: int, touched: Int, lists: Lists) -> None:
    """Where a touched candidate's supplier is a supplier of ``k`` on the same issue, its
    last move joins its listed moves (docs/models/exchange.md, EXC-14)."""
    i0, j0, p0, q0 = int(cand.i[k]), int(cand.j[k]), int(cand.p[k]), int(cand.q[k])
    ti, tj, tp, tq = cand.i[touched], cand.j[touched], cand.p[touched], cand.q[touched]
    side_i = ((ti == i0) & (tq == q0)) | ((ti == j0) & (tq == p0))
    side_j = ((tj == i0) & (tp == q0)) | ((tj == j0) & (tp == p0))
    lists.push_last(touched[side_i], 0)
    lists.push_last(touched[side_j], 1)


def _best_staged(cand: Candidates, st: _State, aux: _Staged, rng: np.random.Generator) -> int:
    """As ``_best``; with a shadow, near-tied candidates are ordered by their Decimal gains
    and only gains within 1e-20 of each other tie (the peer's threshold)."""
    while True:
        top = int(np.argmax(st.block_max))
        best = st.block_max[top]
        if not np.isfinite(best):
            return -1
        threshold = best - TIE_TOLERANCE * abs(best)
        rows, cols = np.nonzero(st.prio.reshape(-1, BLOCK)[st.block_max >= threshold]
                                >= threshold)
        blocks = np.flatnonzero(st.block_max >= threshold)
        tied = blocks[rows] * BLOCK + cols
        if tied.size == 1:
            return int(tied[0])
        if aux.shadow is None:
            st.ties += 1
            return int(tied[rng.integers(tied.size)])
        exact = [(int(c), _exact(cand, int(c), aux)) for c in tied]
        dead = [c for c, ex in exact if not ex.valid]
        st.overturned += len(dead)
        if dead:
            st.prio[dead] = -np.inf
            st.alive[dead] = False
            _reblock(st, np.array(dead))
            continue
        top_gain = max(ex.gain for _, ex in exact)
        equal = [c for c, ex in exact if abs(ex.gain - top_gain) < 1e-20]
        if len(equal) == 1:
            return equal[0]
        st.ties += 1
        return equal[int(rng.integers(len(equal)))]


def _execute_staged(cand: Candidates, k: int, st: _State, aux: _Staged) -> bool:
    """Carry out candidate ``k`` (with a shadow: on its Decimal terms). False when the
    Decimal terms find it infeasible after all (it is then dropped)."""
    i, j, p, q = int(cand.i[k]), int(cand.j[k]), int(cand.p[k]), int(cand.q[k])
    if aux.shadow is not None:
        ex = _exact(cand, k, aux)
        if not ex.valid:
            st.overturned += 1
            st.prio[k] = -np.inf
            st.alive[k] = False
            return False
        y_i, y_j = aux.shadow.execute(i, j, p, q, ex)
        move_i = float(y_i) - float(st.position[i, q])
        move_j = float(y_j) - float(st.position[j, p])
        new_i, new_j = float(y_i), float(y_j)
        gain_i, gain_j = float(ex.gain_i), float(ex.gain_j)
    else:  # the terms it was chosen on; nothing it depends on has moved since
        move_i, move_j = (float(x) for x in aux.lists.last[k])
        new_i = float(st.position[i, q]) + move_i
        new_j = float(st.position[j, p]) + move_j
        gain_i, gain_j = (float(x) for x in aux.gains[k])
    shift_p = move_j * float(aux.share[j, p])
    shift_q = move_i * float(aux.share[i, q])
    st.before.append((float(st.outcome[p]), float(st.outcome[q])))
    st.position[j, p] = new_j
    st.position[i, q] = new_i
    st.outcome[p] += shift_p
    st.outcome[q] += shift_q
    if aux.views is not None:
        _see(aux, j, q, i, new_i)
        _see(aux, i, p, j, new_j)
    st.trades.append(Trade(
        order=len(st.trades), i=i, j=j, p=p, q=q, move_i=move_i, move_j=move_j,
        voting_i=new_i, voting_j=new_j, shift_p=shift_p, shift_q=shift_q,
        ratio=abs(shift_q / shift_p) if shift_p else math.inf, gain_i=gain_i, gain_j=gain_j,
    ))
    st.prio[k] = -np.inf
    st.alive[k] = False
    return True


def _see(aux: _Staged, dem: int, k: int, sup: int, y: float) -> None:
    """``dem``'s view of issue ``k`` records ``sup``'s move to ``y``: the first position it
    saw, unless the new one lies between that and the supplier's round-start position
    (docs/models/exchange.md, EXC-12)."""
    views = aux.views
    assert views is not None
    if aux.shadow is not None:
        y = float(aux.shadow.views[(dem, k)][sup])
    else:
        prev, origin = views.seen[dem, k, sup], aux.pref[sup, k]
        if not np.isnan(prev):
            y = min(prev, y) if origin <= prev else max(prev, y)
    views.seen[dem, k, sup] = y
    row = views.seen[dem, k]
    has = ~np.isnan(row)
    views.shift[dem, k] = float(np.sum(aux.share[has, k] * (row[has] - aux.pref[has, k])))
