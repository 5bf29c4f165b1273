"""Challenges in KTAB's SMP: h's estimate of the chance that i beats j and of k's gain.

KTAB's ``probEduChlg``: the principals i and j vote with weight capability × total salience;
every third party n weighs in on the side it prefers after imagining the little three-actor
contest, with its commitment (No/Semi/Full) deciding what it must concede if its side loses.
i wins with probability C(i>j) / (C(i>j) + C(j>i)); j resists with probability equal to its
total salience, so k's expected utility of the challenge is (1 − s_j) U(i wins) + s_j U(contest).
Third-party sums run in actor order, as KTAB's loop does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from detente.models.smp.election import ordered_sum, vote
from detente.models.smp.utility import utility
from detente.types import Bool, Float, Int

MIN_COALITION = 1e-10  # KTAB's minCltn in challenges
MIN_SIGNIFICANT_GAIN = 1e-5  # KTAB's minSigEDU: smaller expected gains are ignored


@dataclass(frozen=True)
class Contest:
    """The utilities one perspective h assigns in a contest of i against j, for party k.

    Principal fields have any shape S; third-party fields are (N, *S) with ``third`` marking
    the actors that take part as third parties.
    """

    u_ii: Float
    u_ij: Float
    u_ji: Float
    u_jj: Float
    u_ki: Float
    u_kj: Float
    w_i: Float
    w_j: Float
    s_j: Float
    u_ni: Float
    u_nj: Float
    u_nn: Float
    w_n: Float
    third: Bool


COMMITMENTS = ("NoCommit", "SemiCommit", "FullCommit")


def third_party_vote(rule: str, c: Contest, p_in: Float) -> Float:
    """KTAB's ``thirdPartyVoteSU`` under SemiCommit: n's vote for the i-side over the j-side.

    n compares "ik beats j" (if its side loses it adopts j's position, if it wins it keeps its
    own) with "i beats jk", each weighted by p(i-side wins) = ``p_in``. Under NoCommit and
    FullCommit both prospects are the same sum, so KTAB's third-party votes are exactly zero
    and :func:`assess` skips them.
    """
    p_jn = 1.0 - p_in
    uni, unj, unn = c.u_ni, c.u_nj, c.u_nn
    two_i = uni + uni
    two_j = unj + unj
    u_j_def_ik = two_j + unj
    u_jk_def_i = np.add(two_j, unn, out=two_j)
    u_ik_j = p_in * (two_i + unn)
    u_ik_j += np.multiply(p_jn, u_j_def_ik, out=u_j_def_ik)
    u_i_jk = np.multiply(p_in, two_i + uni, out=p_in)
    u_i_jk += np.multiply(p_jn, u_jk_def_i, out=u_jk_def_i)
    return vote(rule, c.w_n, u_ik_j, u_i_jk)


def assess(rule: str, commit: str, c: Contest) -> tuple[Float, Float]:
    """(P[i beats j], expected change in k's utility) as estimated from one perspective."""
    if commit not in COMMITMENTS:
        raise ValueError(f"unknown ThirdPartyCommit {commit!r}")
    contrib_i = vote(rule, c.w_i, c.u_ii, c.u_ij)
    contrib_j = vote(rule, c.w_j, c.u_ji, c.u_jj)
    ch_ij = MIN_COALITION + np.maximum(contrib_i, 0.0) + np.maximum(contrib_j, 0.0)
    ch_ji = MIN_COALITION + np.maximum(-contrib_i, 0.0) + np.maximum(-contrib_j, 0.0)
    if commit == "SemiCommit":
        contrib_n = vote(rule, c.w_n, c.u_ni, c.u_nj)
        c_ni = np.maximum(contrib_n, 0.0)
        c_ni += ch_ij
        c_nj = np.negative(contrib_n, out=contrib_n)
        np.maximum(c_nj, 0.0, out=c_nj)
        c_nj += ch_ji
        total = c_ni + c_nj
        p_in = np.divide(c_ni, total, out=c_ni)
        v = third_party_vote(rule, c, p_in)
        v *= c.third  # those who are not third parties add nothing (exact)
        ch_ij = ordered_sum(np.maximum(v, 0.0), ch_ij)
        ch_ji = ordered_sum(np.maximum(np.negative(v, out=v), 0.0, out=v), ch_ji)
    p_ij = ch_ij / (ch_ij + ch_ji)
    p_ji = ch_ji / (ch_ij + ch_ji)
    eu_sq = c.u_ki + c.u_kj
    eu_vict = c.u_ki + c.u_ki
    eu_contest = p_ij * eu_vict + p_ji * (c.u_kj + c.u_kj)
    eu_chlg = (1 - c.s_j) * eu_vict + c.s_j * eu_contest
    return p_ij, eu_chlg - eu_sq


CHUNK_ELEMENTS = 1 << 16  # third-party terms per block of challengers (fits in cache)


def all_challenges(
    rule: str, commit: str, dist: Float, r_hat: Float, weight: Float, total_salience: Float,
    present: Bool,
) -> tuple[Float, Float]:
    """Every actor's own estimate of every challenge it could make: (P[i > j], gain to i).

    ``dist`` (B, a, c) is the distance from a's ideal to c's position, ``r_hat`` (B, h, a)
    h's estimate of a's risk attitude; h's utilities U[h, a, c] are built block by block of
    challengers h = i. ``weight`` is capability × total salience (B, n). Returns two
    (B, i, j) arrays; impossible pairs have gain −inf.
    """
    b, n = weight.shape
    rows = max(1, CHUNK_ELEMENTS // max(1, n * n * n))
    if b > rows:  # large batches (e.g. Monte Carlo draws): a block of problems at a time
        parts = [all_challenges(rule, commit, dist[r:r + rows], r_hat[r:r + rows],
                                weight[r:r + rows], total_salience[r:r + rows],
                                present[r:r + rows]) for r in range(0, b, rows)]
        return (np.concatenate([q for q, _ in parts]), np.concatenate([g for _, g in parts]))
    ar = np.arange(n)
    d_t = np.ascontiguousarray(dist.transpose(1, 0, 2))[:, :, None, :]  # (a, B, 1, c)
    d_nn = np.diagonal(dist, axis1=1, axis2=2).T[:, :, None]  # (n, B, 1): d[b, n, n]
    w_n = weight.T[:, :, None, None]
    third_base = present.T[:, :, None, None] & (ar[:, None, None, None] != ar[None, None, None, :])
    p = np.empty((b, n, n))
    gain = np.empty((b, n, n))
    block = max(1, CHUNK_ELEMENTS // max(1, n * b * n))
    for i0 in range(0, n, block):
        i1 = min(n, i0 + block)
        sl = np.arange(i0, i1)
        loc = np.arange(i1 - i0)
        r_c = np.ascontiguousarray(r_hat[:, i0:i1, :].transpose(2, 0, 1))[..., None]
        u_nj = utility(d_t, r_c)  # (n, B, ci, j): U[b, i, n, j]
        u_ni = u_nj[:, :, loc, sl]  # (n, B, ci): U[b, i, n, i]
        u_nn = utility(d_nn, r_c[..., 0])  # (n, B, ci): U[b, i, n, n]
        u_ij = u_nj[sl, :, loc, :].transpose(1, 0, 2)  # (B, ci, j): U[b, i, i, j]
        u_ii = u_ij[:, loc, sl][:, :, None]  # (B, ci, 1)
        contest = Contest(
            u_ii=u_ii, u_ij=u_ij, u_ji=u_ni.transpose(1, 2, 0), u_jj=u_nn.transpose(1, 2, 0),
            u_ki=u_ii, u_kj=u_ij, w_i=weight[:, i0:i1, None], w_j=weight[:, None, :],
            s_j=total_salience[:, None, :], u_ni=u_ni[..., None], u_nj=u_nj,
            u_nn=u_nn[..., None], w_n=w_n,
            third=third_base & (ar[:, None, None, None] != sl[None, None, :, None]),
        )
        p[:, i0:i1], gain[:, i0:i1] = assess(rule, commit, contest)
    pair = present[:, :, None] & present[:, None, :] & (ar[:, None] != ar[None, :])
    return p, np.where(pair, gain, -np.inf)


def one_challenge(
    rule: str, commit: str, dist: Float, r_hat: Float, weight: Float, total_salience: Float,
    present: Bool, row: Int, h: Int, k: Int, i: Int, j: Int,
) -> tuple[Float, Float]:
    """h's estimate of P[i > j] and of k's gain, for index arrays (row, h, k, i, j)."""
    n = weight.shape[1]
    ar = np.arange(n)[:, None]

    def u(a: Int | NDArray[np.int64], c: Int | NDArray[np.int64]) -> Float:
        return utility(dist[row, a, c], r_hat[row, h, a])

    contest = Contest(
        u_ii=u(i, i), u_ij=u(i, j), u_ji=u(j, i), u_jj=u(j, j), u_ki=u(k, i), u_kj=u(k, j),
        w_i=weight[row, i], w_j=weight[row, j], s_j=total_salience[row, j],
        u_ni=u(ar, i), u_nj=u(ar, j), u_nn=u(ar, ar),
        w_n=weight[row][:, ar[:, 0]].T,
        third=present[row][:, ar[:, 0]].T & (ar != i) & (ar != j),
    )
    return assess(rule, commit, contest)


def best_targets(gain: Float) -> tuple[Int, Float]:
    """Each actor's most advantageous target (−1 = none) and its expected gain.

    As KTAB's ``bestChallenge``: targets scanned in index order, a gain must exceed
    MIN_SIGNIFICANT_GAIN, and the first of equal gains is kept.
    """
    masked = np.where(gain > MIN_SIGNIFICANT_GAIN, gain, -np.inf)
    best = np.argmax(masked, axis=-1)
    value = np.take_along_axis(masked, best[..., None], axis=-1)[..., 0]
    has = np.isfinite(value)
    return np.where(has, best, -1).astype(np.int64), np.where(has, value, 0.0)
