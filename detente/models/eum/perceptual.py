"""Bueno de Mesquita's perceptual regions: how each actor sees each other actor in a round."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from detente.arrays import ScenarioArrays
from detente.models.base import IssueBatch
from detente.models.eum.engine import NumpyEngine
from detente.models.eum.model import ExpectedUtility
from detente.types import Float

QUADRANTS = ("none", "conflict", "compromise", "capitulation", "status quo")


@dataclass(frozen=True)
class Perceptions:
    """How each actor sees each other actor in one round, as in Bueno de Mesquita's
    perceptual quadrants. Arrays are ``[row, i, j]``: i the perceiver, j the other actor.

    - ``challenge``: E^i(U_ij), i's expected utility of challenging j.
    - ``challenged``: E^i(U_ji), what i believes j expects from challenging i.
    - ``quadrant``: a code into :data:`QUADRANTS`: conflict where both are positive; where
      one side expects to gain (E > 0) and the other to lose (E ≤ 0) the loser yields, by
      compromise where the winner's gain is at least the loser's loss, else by
      capitulation; status quo where neither expects to gain; none for an actor and itself,
      absent actors and actors at the same position.
    - ``yields``: +1 where i is the one expected to give way (i loses the conflict or
      compromises or capitulates), −1 where j is, 0 where neither (status quo, ties).
    """

    challenge: Float
    challenged: Float
    quadrant: NDArray[np.int8]
    yields: NDArray[np.int8]

    def region(self, row: int, i: int, j: int) -> str:
        """The name of the region of pair (i, j) in ``row``."""
        return QUADRANTS[int(self.quadrant[row, i, j])]

    def pairs(self, row: int, actors: Sequence[str], present: Sequence[bool]
              ) -> list[dict[str, Any]]:
        """Every ordered pair of present actors in ``row``: both expected utilities, the
        region and who gives way (JSON-ready)."""
        out = []
        idx = [k for k, p in enumerate(present) if p]
        for a in idx:
            for b in idx:
                if a == b:
                    continue
                x, y = self.challenge[row, a, b], self.challenged[row, a, b]
                out.append({
                    "perceiver": actors[a], "other": actors[b],
                    "challenge": float(x) if math.isfinite(x) else None,
                    "challenged": float(y) if math.isfinite(y) else None,
                    "region": self.region(row, a, b),
                    "gives_way": {1: actors[a], -1: actors[b]}.get(int(self.yields[row, a, b])),
                })
        return out


def perceptions(
    data: IssueBatch | ScenarioArrays,
    *,
    at_round: int = 0,
    model: ExpectedUtility | None = None,
) -> Perceptions:
    """Every actor's perception of every other actor at the start of round ``at_round + 1``.

    ``data`` is a batch (one row per problem) or a snapshot's arrays (one row per issue).
    Round 0 uses the stated positions; a later round the positions the model has reached
    after that many rounds. ``model`` supplies the parameters (default: the defaults).
    """
    eum = ExpectedUtility() if model is None else model
    batch = IssueBatch.from_arrays(data) if isinstance(data, ScenarioArrays) else data
    b, n = batch.position.shape
    if at_round < 0:
        raise ValueError(f"at_round must be 0 or more, got {at_round}")
    positions = batch.position
    if at_round > 0:
        traj = replace(eum, rounds=at_round, tolerance=0.0).solve(batch).positions
        assert traj is not None
        positions = traj[at_round]
    engine = NumpyEngine(eum)
    rows = engine.rows(batch)
    x = np.ascontiguousarray(positions.T)
    order = np.argsort(x, axis=0, kind="stable")
    eu_ij, eu_ji, _, valid = engine._sorted_expected_utilities(
        np.take_along_axis(x, order, axis=0), rows.sort(order)
    )
    inverse = np.argsort(order, axis=0)

    def unsort(a: np.ndarray) -> np.ndarray:
        shape = a.shape
        out = np.take_along_axis(a, np.broadcast_to(inverse[:, None, :], shape), axis=0)
        out = np.take_along_axis(out, np.broadcast_to(inverse[None, :, :], shape), axis=1)
        return np.moveaxis(out, 2, 0)  # [row, i, j]

    a, c, ok = unsort(eu_ij), unsort(eu_ji), unsort(valid)
    a = np.where(ok, a, np.nan)
    c = np.where(ok, c, np.nan)
    gain_i, gain_j = a > 0, c > 0
    quadrant = np.zeros((b, n, n), dtype=np.int8)
    yields = np.zeros((b, n, n), dtype=np.int8)
    conflict = ok & gain_i & gain_j
    j_gives = ok & gain_i & ~gain_j
    i_gives = ok & ~gain_i & gain_j
    quiet = ok & ~gain_i & ~gain_j
    quadrant[conflict] = 1
    # the side that expects to lose yields: by compromise where the other's gain is at
    # least its loss, otherwise by capitulation (the offer rule of ``_move``)
    quadrant[j_gives] = np.where(a[j_gives] >= -c[j_gives], 2, 3)
    quadrant[i_gives] = np.where(c[i_gives] >= -a[i_gives], 2, 3)
    quadrant[quiet] = 4
    yields[i_gives | (conflict & (c > a))] = 1
    yields[j_gives | (conflict & (a > c))] = -1
    return Perceptions(challenge=a, challenged=c, quadrant=quadrant, yields=yields)
