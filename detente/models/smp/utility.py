"""Salience-weighted distances and risk-curved utilities of KTAB's SMP, batched.

Positions and ideals lie in [0, 1]^D; saliences are each actor's weights per dimension.
"""

from __future__ import annotations

import numpy as np

from detente.types import Float


def distance(ideal: Float, position: Float, salience: Float) -> Float:
    """KTAB's ``bvDiff``: d[..., i, j] = √(Σ_k ((x_ik − y_jk) s_ik)² / Σ_k s_ik²).

    ``ideal`` and ``salience`` are (..., n, D), ``position`` is (..., m, D); the result is
    (..., n, m). The sums run over dimensions in order, as KTAB's loop does; an actor whose
    saliences are all zero (which KTAB refuses) gets distance 0.
    """
    d = ideal.shape[-1]
    ds_sq: Float | None = None
    ss_sq: Float | None = None
    for k in range(d):
        s = salience[..., :, k]
        ds = (ideal[..., :, None, k] - position[..., None, :, k]) * s[..., :, None]
        ds_sq = ds * ds if ds_sq is None else ds_sq + ds * ds
        ss_sq = s * s if ss_sq is None else ss_sq + s * s
    assert ds_sq is not None and ss_sq is not None
    safe = np.where(ss_sq > 0, ss_sq, 1.0)[..., :, None]
    return np.asarray(np.sqrt(ds_sq / safe), dtype=np.float64)


def utility(d: Float, risk: Float) -> Float:
    """KTAB's ``bsUtil``: u = (1 − d)(1 + d R) for d ≤ 1, else (1 − d)(1 + R)."""
    inside = (1 - d) * (1 + d * risk)
    return np.asarray(np.where(d <= 1, inside, (1 - d) * (1 + risk)), dtype=np.float64)
