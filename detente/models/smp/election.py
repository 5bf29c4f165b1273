"""Probabilistic Condorcet elections as KTAB computes them, batched over leading axes.

Votes between pairs of options, coalition strengths, the probability that one option beats
another (victory probability model) and the probability that each option wins the whole
election (conditional, Markov-incentive or Markov-uniform PCE), then risk attitudes from those
probabilities. Sums and products run in KTAB's order (first index first), so that results agree
with KTAB's to the last bit wherever the arithmetic is the same.
"""

from __future__ import annotations

import numpy as np

from detente.types import Bool, Float

MIN_COALITION = 1e-8  # KTAB's minC: every coalition starts with this strength
BINARY_TOLERANCE = 1e-8  # KTAB's sTol: utility difference at which a binary vote saturates
BINARY_THRESHOLD = 1.10  # Binary victory model: a 10 % advantage wins for sure
BINARY_LOSER = 1e-6  # ...and the loser keeps this weight
MARKOV_UNIFORM_TOLERANCE = 1e-6
MARKOV_INCENTIVE_TOLERANCE = 1e-8
MARKOV_MAX_ITERATIONS = 100_000


def ordered_sum(terms: Float, initial: float | Float | None = None) -> Float:
    """Σ over axis 0 strictly in index order, ``((initial + t0) + t1) + …``.

    NumPy reduces the outer axis of a C-contiguous array element by element in order; a
    1-element trailing shape would fall back to pairwise summation, so it is done by cumsum.
    With ``initial``, ``terms`` serves as scratch space: pass a temporary.
    """
    t = np.ascontiguousarray(terms, dtype=np.float64)
    if t.shape[0] == 0:
        base = np.zeros(t.shape[1:]) if initial is None else initial
        return np.asarray(np.broadcast_to(base, t.shape[1:]), dtype=np.float64).copy()
    if initial is not None:
        t[0] += initial  # initial + t0 == t0 + initial exactly
    if t[0].size <= 1:
        out = np.cumsum(t.reshape(t.shape[0], -1), axis=0)[-1].reshape(t.shape[1:])
    else:
        out = np.add.reduce(t, axis=0)
    return np.asarray(out, dtype=np.float64)


def ordered_product(factors: Float) -> Float:
    """Π over axis 0 strictly in index order (see :func:`ordered_sum`)."""
    t = np.ascontiguousarray(factors, dtype=np.float64)
    if t[0].size <= 1:
        out = np.cumprod(t.reshape(t.shape[0], -1), axis=0)[-1].reshape(t.shape[1:])
    else:
        out = np.multiply.reduce(t, axis=0)
    return np.asarray(out, dtype=np.float64)


def vote(rule: str, weight: Float | float, u_a: Float, u_b: Float) -> Float:
    """KTAB's ``Model::vote``: the influence a voter of ``weight`` gives option a over b."""
    du = np.asarray(u_a - u_b, dtype=np.float64)
    if rule == "Prop":
        return np.asarray(weight * du, dtype=np.float64)
    if rule == "Cubic":
        return np.asarray(weight * (du * du * du), dtype=np.float64)
    if rule == "PropCbc":
        return np.asarray(weight * ((1 - 0.5) * du + 0.5 * (du * du * du)), dtype=np.float64)
    if rule in ("Binary", "PropBin"):
        r_bin = np.clip(du / BINARY_TOLERANCE, -1.0, 1.0)
        if rule == "Binary":
            return np.asarray(weight * r_bin, dtype=np.float64)
        return np.asarray(weight * ((1 - 0.2) * du + 0.2 * r_bin), dtype=np.float64)
    if rule == "ASymProsp":
        gain = (2.0 * weight * du) / 3.0
        return np.asarray(np.where(du < 0, weight * du, np.where(du > 0, gain, 0.0)),
                          dtype=np.float64)
    raise ValueError(f"unknown voting rule {rule!r}")


def coalitions(votes: Float) -> Float:
    """Coalition strengths from votes ``v[k, ..., a, b]`` (voter k for option a over b).

    As KTAB's ``Model::coalitions``, which scans only a > b: ``c[a, b]`` gathers the positive
    votes and ``c[b, a]`` the negative ones, each starting from ``MIN_COALITION``; the
    diagonal is ``MIN_COALITION``.
    """
    pos = ordered_sum(np.maximum(votes, 0.0), MIN_COALITION)
    neg = ordered_sum(np.maximum(-votes, 0.0), MIN_COALITION)
    return _assemble(pos, neg)


def _assemble(pos: Float, neg: Float) -> Float:
    """c[a, b] = pos[a, b] and c[b, a] = neg[a, b] for a > b; MIN_COALITION on the diagonal."""
    m = pos.shape[-1]
    lower = np.tri(m, k=-1, dtype=bool)
    c = np.where(lower, pos, np.swapaxes(neg, -1, -2))
    idx = np.arange(m)
    c[..., idx, idx] = MIN_COALITION
    return np.asarray(c, dtype=np.float64)


def victory(model: str, c: Float) -> Float:
    """Probability that option a beats option b given coalition strengths ``c[..., a, b]``."""
    ct = np.swapaxes(c, -1, -2)
    m = c.shape[-1]
    idx = np.arange(m)
    if model == "Binary":
        s1, s2 = c, ct  # evaluated as KTAB does for a > b, mirrored below
        with np.errstate(invalid="ignore", divide="ignore"):
            r12 = s1 / (s1 + s2)
            p12 = (r12 * (BINARY_THRESHOLD + 1.0) - 1.0) / (BINARY_THRESHOLD - 1.0)
        x1 = np.where(s1 >= BINARY_THRESHOLD * s2, 1.0,
                      np.where(s2 >= BINARY_THRESHOLD * s1, BINARY_LOSER, p12))
        x2 = np.where(s1 >= BINARY_THRESHOLD * s2, BINARY_LOSER,
                      np.where(s2 >= BINARY_THRESHOLD * s1, 1.0, 1 - p12))
        low = x1 / (x1 + x2)  # p[a, b] for a > b
        high = x2 / (x1 + x2)  # p[b, a] for a > b
        lower = np.tri(m, k=-1, dtype=bool)
        p = np.where(lower, low, np.swapaxes(high, -1, -2))
    else:
        if model == "Linear":
            x = c
        elif model == "Square":
            x = c * c
        elif model == "Quartic":
            x = c * c * c * c
        elif model == "Octic":
            q = c * c * c * c
            x = q * q
        else:
            raise ValueError(f"unknown victory probability model {model!r}")
        xt = np.swapaxes(x, -1, -2)
        p = x / (x + xt)
    p[..., idx, idx] = 0.5
    return np.asarray(p, dtype=np.float64)


def conditional_pce(pv: Float, options: Bool) -> Float:
    """P[a] = Π_b P[a > b], normalised over the options (KTAB's ``condPCE``)."""
    factors = np.where(options[..., None, :], pv, 1.0)  # absent options do not play
    p = ordered_product(np.moveaxis(factors, -1, 0))
    p = np.where(options, p, 0.0)
    total = ordered_sum(np.moveaxis(p, -1, 0))[..., None]
    return np.divide(p, total, out=np.zeros_like(p), where=total > 0)


def markov_uniform_pce(pv: Float, options: Bool) -> Float:
    """KTAB's Markov process in which every option challenges with the same probability."""
    count = np.maximum(options.sum(axis=-1), 1).astype(float)[..., None]
    p = np.where(options, 1.0 / count, 0.0)
    pv_m = np.where(options[..., None, :] & options[..., :, None], pv, 0.0)
    active = np.ones(p.shape[:-1], dtype=bool)
    for _ in range(MARKOV_MAX_ITERATIONS):
        terms = pv_m * (p[..., :, None] + p[..., None, :])
        q = ordered_sum(np.moveaxis(terms, -1, 0)) / count
        change = np.max(np.abs(q - p), axis=-1, initial=0.0)
        p = np.where(active[..., None], (p + q) / 2.0, p)
        active &= change > MARKOV_UNIFORM_TOLERANCE
        if not active.any():
            break
    return np.asarray(p, dtype=np.float64)


def markov_incentive_pce(c: Float, model: str, options: Bool) -> Float:
    """KTAB's Markov process in which challenges follow the incentive to challenge."""
    pv = victory(model, c)
    m = c.shape[-1]
    both = options[..., None, :] & options[..., :, None]
    incentive = np.where(both, c * pv + np.eye(m) * 1e-10, 0.0)
    col = ordered_sum(np.moveaxis(incentive, -2, 0))  # Σ_k incentive[k, b]
    with np.errstate(invalid="ignore", divide="ignore"):
        challenge = np.where(both, incentive / col[..., None, :], 0.0)  # P[a -> b]
    count = np.maximum(options.sum(axis=-1), 1).astype(float)[..., None]
    p = np.where(options, 1.0 / count, 0.0)
    pv_m = np.where(both, pv, 0.0)
    active = np.ones(p.shape[:-1], dtype=bool)
    for _ in range(MARKOV_MAX_ITERATIONS):
        ct = p[..., :, None] * np.swapaxes(challenge, -1, -2)  # ct[a, b] = p[a] P[b -> a]
        terms = pv_m * (ct + np.swapaxes(ct, -1, -2))
        q = ordered_sum(np.moveaxis(terms, -1, 0))
        change = np.max(np.abs(q - p), axis=-1, initial=0.0)
        p = np.where(active[..., None], (p + q) / 2.0, p)
        active &= change > MARKOV_INCENTIVE_TOLERANCE
        if not active.any():
            break
    return np.asarray(p, dtype=np.float64)


CHUNK_ELEMENTS = 1 << 16  # votes per block of options (fits in cache)


def election(
    pce_model: str, victory_model: str, voting_rule: str,
    weight: Float, utility: Float, voters: Bool, options: Bool,
) -> Float:
    """KTAB's ``scalarPCE``: each option's probability of winning.

    ``weight`` (B, K) and ``voters`` (B, K) describe the voters, ``utility`` (B, K, M) is
    each voter's utility of each option, ``options`` (B, M) marks the options that play.
    Coalitions are built for a > b only, in blocks of options.
    """
    u = np.where(voters[..., :, None], utility, 0.0)
    w = np.where(voters, weight, 0.0)
    u_t = np.ascontiguousarray(np.moveaxis(u, -2, 0))  # (K, B, M)
    w_t = np.moveaxis(w, -1, 0)[..., None, None]  # (K, B, 1, 1)
    k, b, m = u_t.shape
    pos = np.full((b, m, m), MIN_COALITION)
    neg = np.full((b, m, m), MIN_COALITION)
    rows = max(1, CHUNK_ELEMENTS // max(1, k * b * m))
    both = options[:, :, None] & options[:, None, :]
    for a0 in range(1, m, rows):
        a1 = min(m, a0 + rows)
        v = vote(voting_rule, w_t, u_t[:, :, a0:a1, None], u_t[:, :, None, :a1])
        v *= both[None, :, a0:a1, :a1]  # options out of play get no votes (exact)
        pos[:, a0:a1, :a1] = ordered_sum(np.maximum(v, 0.0), MIN_COALITION)
        np.negative(v, out=v)
        neg[:, a0:a1, :a1] = ordered_sum(np.maximum(v, 0.0, out=v), MIN_COALITION)
    c = _assemble(pos, neg)
    if pce_model == "Conditional":
        return conditional_pce(victory(victory_model, c), options)
    if pce_model == "MarkovUniform":
        return markov_uniform_pce(victory(victory_model, c), options)
    if pce_model == "MarkovIncentive":
        return markov_incentive_pce(c, victory_model, options)
    raise ValueError(f"unknown PCE model {pce_model!r}")


def risk_attitudes(p: Float, options: Bool, big_r_range: str) -> Float:
    """KTAB's ``bigRfromProb``: the most probable position → +1, the least → Min/Mid/Max.

    Where every option is equally probable KTAB divides by zero; we return risk neutrality (0).
    """
    p_min = np.min(np.where(options, p, 1.0), axis=-1, initial=1.0)[..., None]
    p_max = np.max(np.where(options, p, 0.0), axis=-1, initial=0.0)[..., None]
    spread = p_max - p_min
    safe = np.where(spread > 0, spread, 1.0)
    if big_r_range == "Min":
        r = (p - p_min) / safe
    elif big_r_range == "Mid":
        r = (3 * p - (p_max + 2 * p_min)) / (2 * safe)
    elif big_r_range == "Max":
        r = (2 * p - (p_max + p_min)) / safe
    else:
        raise ValueError(f"unknown BigRRange {big_r_range!r}")
    return np.asarray(np.where(options & (spread > 0), r, 0.0), dtype=np.float64)


def estimated_risk(r_h: Float, r_i: Float, adjust: str) -> Float:
    """KTAB's ``estNRA``: h's estimate of i's risk attitude, anchored on h's own."""
    if adjust == "Full":
        return r_i + 0.0 * r_h
    if adjust == "TwoThirds":
        return (r_h + (2.0 * r_i)) / 3.0
    if adjust == "Half":
        return (r_h + r_i) / 2
    if adjust == "OneThird":
        return ((2.0 * r_h) + r_i) / 3.0
    if adjust == "None":
        return r_h + 0.0 * r_i
    raise ValueError(f"unknown BigRAdjust {adjust!r}")
