"""Bargains in KTAB's SMP: interpolated positions and the value of the state each produces.

A challenger i and its target j split the difference dimension by dimension, weighting each
side by salience and probability of success (S1P1: s·p, S2P2: (s·p)², S2PMax: a one-sided
shift by the excess probability), rounded to 1e-4 on [0, 1] as KTAB does for S1P1 and S2P2.
The value of a bargain to a voter is the mean of its utilities of all positions after the
bargain: unchanged positions, plus the two new ones.
"""

from __future__ import annotations

import numpy as np

from detente.models.smp.election import ordered_sum
from detente.models.smp.utility import distance, utility
from detente.types import Bool, Float, Int

MIN_WEIGHT = 1e-6  # KTAB's minW: keeps 0/0 away and favours the initiator when nobody cares
GRID = 10000.0  # KTAB rounds interpolated bargains to four decimals on [0, 1]


def round4(x: Float) -> Float:
    """KTAB's ``round4``: (int)(0.5 + 10⁴ x) / 10⁴."""
    return np.asarray(np.trunc(0.5 + x * GRID) / GRID, dtype=np.float64)


def interpolate(
    rule: str, t_i: Float, s_i: Float, p_i: Float, t_j: Float, s_j: Float, p_j: Float
) -> tuple[Float, Float]:
    """KTAB's ``interpolateBrgn``: the positions proposed for i and for j.

    ``t`` are positions and ``s`` saliences (P, D); ``p`` the probabilities (P, 1) that each
    side would prevail.
    """
    if rule == "S2PMax":
        d_i = np.where(p_j > p_i, p_j - p_i, 0.0)
        d_j = np.where(p_i > p_j, p_i - p_j, 0.0)
        s_i2, s_j2 = s_i * s_i, s_j * s_j
        w_i = (d_i * s_j2) / ((d_i * s_j2) + MIN_WEIGHT + ((1 - d_i) * s_i2))
        w_j = (d_j * s_i2) / ((d_j * s_i2) + MIN_WEIGHT + ((1 - d_j) * s_j2))
        return t_i + w_i * (t_j - t_i), t_j + w_j * (t_i - t_j)
    if rule == "S1P1":
        w_i, w_j = s_i * p_i, s_j * p_j
    elif rule == "S2P2":
        w_i, w_j = (s_i * s_i) * (p_i * p_i), (s_j * s_j) * (p_j * p_j)
    else:
        raise ValueError(f"unknown InterVecBrgn {rule!r}")
    total = w_i + MIN_WEIGHT + w_j
    b_i = round4(((w_i + MIN_WEIGHT) * t_i + w_j * t_j) / total)
    b_j = round4((w_i * t_i + (MIN_WEIGHT + w_j) * t_j) / total)
    return b_i, b_j


def status_quo_value(own_util: Float, present: Bool) -> Float:
    """Each voter's mean utility of the unchanged state: (B, v) from U[b, v, v, n]."""
    terms = np.where(present[:, None, :], own_util, 0.0)
    count = present.sum(axis=1).astype(float)[:, None]
    return np.asarray(ordered_sum(np.moveaxis(terms, -1, 0)) / count, dtype=np.float64)


def bargain_value(
    own_util: Float, ideal: Float, salience: Float, risk: Float, present: Bool,
    row: Int, init: Int, rcvr: Int, pos_init: Float, pos_rcvr: Float,
) -> Float:
    """Each voter's mean utility of the state after each bargain: (M, v).

    As KTAB's ``brgnUtil``: the utilities of the two new positions (judged with the voter's
    own risk attitude) come first, then those of the unchanged positions in actor order.
    """
    ideal_m, sal_m, risk_m = ideal[row], salience[row], risk[row]
    u_init = utility(distance(ideal_m, pos_init[:, None, :], sal_m)[..., 0], risk_m)
    u_rcvr = utility(distance(ideal_m, pos_rcvr[:, None, :], sal_m)[..., 0], risk_m)
    n = own_util.shape[-1]
    m = len(row)
    terms = np.empty((n + 2, m, own_util.shape[1]))
    terms[0], terms[1] = u_init, u_rcvr
    own_t = np.ascontiguousarray(own_util.transpose(2, 0, 1))  # (n, B, v)
    np.multiply(own_t[:, row, :], present[row].T[:, :, None], out=terms[2:])
    cols = np.arange(m)
    terms[2 + init, cols, :] = 0.0  # the two bargaining actors' old positions are gone
    terms[2 + rcvr, cols, :] = 0.0
    count = present[row].sum(axis=1).astype(float)[:, None]
    return np.asarray(ordered_sum(terms) / count, dtype=np.float64)
