"""What a run of the spatial model of politics returns, in the issues' own units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from detente.models.smp_engine import Trace

Float = NDArray[np.float64]


@dataclass(frozen=True)
class DistinctPosition:
    """A distinct position of a state, its probability of prevailing and who holds it."""

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
    ``risk`` the actors' risk attitudes R in each state; ``distinct_by_turn`` each state's
    distinct positions (ordered by first holder, as KTAB lists them) and ``expected_path``
    the expected outcome Σ p × position over them; ``final`` the last state's distinct
    positions, most probable first.
    """

    dimensions: tuple[str, ...]
    actors: tuple[str, ...]
    positions: Float
    risk: Float
    turns: int
    converged: bool
    distinct_by_turn: tuple[tuple[DistinctPosition, ...], ...]
    final: tuple[DistinctPosition, ...]  # most probable first
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

    def distinct(t: int) -> tuple[DistinctPosition, ...]:
        leader = trace.leader[t, row][slots]
        prob = trace.prob[t, row]
        return tuple(
            DistinctPosition(tuple(map(float, positions[t, k])), float(prob[s]),
                             tuple(actors[m] for m in range(len(slots)) if leader[m] == s))
            for k, s in enumerate(slots) if leader[k] == s
        )

    by_turn = tuple(distinct(t) for t in range(turns + 1))
    expected_path = np.array([
        np.sum([np.array(d.point) * d.probability for d in states], axis=0)
        if states else np.full(len(dimensions), np.nan)
        for states in by_turn
    ]).reshape(turns + 1, len(dimensions))
    finals = tuple(sorted(by_turn[turns], key=lambda d: -d.probability))
    modal = np.array(finals[0].point) if finals else np.full(len(dimensions), np.nan)
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
        converged=bool(trace.converged[row]), distinct_by_turn=by_turn, final=finals,
        expected=expected_path[turns], modal=np.asarray(modal, dtype=np.float64),
        expected_path=expected_path, effective_power=effective_power,
        challenges=tuple(challenges),
    )
