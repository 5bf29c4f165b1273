"""What a run of the spatial model of politics returns, in the issues' own units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from detente.models.smp_engine import Trace

Float = NDArray[np.float64]


@dataclass(frozen=True)
class FinalPosition:
    """A distinct final position, its probability of prevailing and the actors holding it."""

    point: tuple[float, ...]  # one coordinate per dimension
    probability: float
    actors: tuple[str, ...]


@dataclass(frozen=True)
class Challenge:
    """One actor's challenge in one turn and the bargain it proposed.

    ``turn`` is the transition it belongs to (1 = from the initial state to the first);
    ``adopted_by`` lists the actors who took this bargain as their next position.
    """

    turn: int
    initiator: str
    target: str
    probability: float  # the initiator's estimate of its chance to prevail
    gain: float  # the initiator's expected gain in utility
    initiator_point: tuple[float, ...]
    target_point: tuple[float, ...]
    adopted_by: tuple[str, ...]


@dataclass(frozen=True)
class SmpRun:
    """One problem (an issue, or several issues jointly) run to its stopping turn.

    ``positions`` is (turns + 1, actors, dimensions) in issue units, state 0 the inputs;
    ``risk`` the actors' risk attitudes R in each state; ``expected_path`` the expected
    outcome Σ p × position over the distinct positions of each state.
    """

    dimensions: tuple[str, ...]
    actors: tuple[str, ...]
    positions: Float
    risk: Float
    turns: int
    converged: bool
    final: tuple[FinalPosition, ...]  # most probable first
    expected: Float  # (dimensions,)
    modal: Float  # (dimensions,)
    expected_path: Float  # (turns + 1, dimensions)
    effective_power: Float  # (actors, dimensions): capability × salience
    challenges: tuple[Challenge, ...]


def run_from_trace(
    trace: Trace, row: int, slots: NDArray[np.int64], actors: tuple[str, ...],
    dimensions: tuple[str, ...], lower: Float, upper: Float, effective_power: Float,
) -> SmpRun:
    """The run of one batch row; ``slots`` are the row's participating slots, in order."""
    turns = int(trace.turns[row])
    span = upper - lower

    def units(x: Float) -> Float:
        return np.asarray(lower + x * span, dtype=np.float64)

    positions = units(trace.positions[: turns + 1, row][:, slots])
    risk = trace.risk[: turns + 1, row][:, slots]
    local = {int(s): k for k, s in enumerate(slots)}

    def distinct(t: int) -> list[tuple[int, float, list[int]]]:
        leader = trace.leader[t, row][slots]
        prob = trace.prob[t, row]
        out = []
        for k, s in enumerate(slots):
            if leader[k] == s:
                members = [m for m in range(len(slots)) if leader[m] == s]
                out.append((k, float(prob[s]), members))
        return out

    expected_path = np.zeros((turns + 1, len(dimensions)))
    for t in range(turns + 1):
        for k, p, _ in distinct(t):
            expected_path[t] += p * positions[t, k]
    final = distinct(turns)
    final_sorted = sorted(final, key=lambda e: -e[1])
    finals = tuple(
        FinalPosition(tuple(map(float, positions[turns, k])), p,
                      tuple(actors[m] for m in members))
        for k, p, members in final_sorted
    )
    modal = positions[turns, final_sorted[0][0]] if final_sorted else np.full(len(dimensions),
                                                                              np.nan)
    challenges = []
    for t in range(turns):
        for k, s in enumerate(slots):
            j = int(trace.target[t, row, s])
            if j < 0:
                continue
            takers = tuple(actors[local[int(m)]] for m in slots
                           if trace.adopted_init[t, row, m] == s
                           and trace.adopted_rcvr[t, row, m] == j)
            challenges.append(Challenge(
                turn=t + 1, initiator=actors[k], target=actors[local[j]],
                probability=float(trace.p_win[t, row, s]), gain=float(trace.gain[t, row, s]),
                initiator_point=tuple(map(float, units(trace.offer_init[t, row, s]))),
                target_point=tuple(map(float, units(trace.offer_rcvr[t, row, s]))),
                adopted_by=takers,
            ))
    return SmpRun(
        dimensions=dimensions, actors=actors, positions=positions, risk=risk, turns=turns,
        converged=bool(trace.converged[row]), final=finals,
        expected=expected_path[turns], modal=np.asarray(modal, dtype=np.float64),
        expected_path=expected_path, effective_power=effective_power,
        challenges=tuple(challenges),
    )
