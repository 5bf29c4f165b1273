"""What a run of the spatial model of politics returns, in the issues' own units."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from detente.models.smp.engine import Trace
from detente.types import Float


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
    local = np.full(trace.positions.shape[2], -1)
    local[slots] = np.arange(len(slots))

    def distinct(t: int) -> tuple[DistinctPosition, ...]:
        leader = local[trace.leader[t, row][slots]]
        prob = trace.prob[t, row][slots]
        members: dict[int, list[str]] = {}
        for k, lead in enumerate(leader.tolist()):
            members.setdefault(lead, []).append(actors[k])
        points = positions[t].tolist()
        return tuple(DistinctPosition(tuple(points[k]), float(prob[k]), tuple(names))
                     for k, names in members.items())

    by_turn = tuple(distinct(t) for t in range(turns + 1))
    expected_path = np.array([
        np.sum([np.array(d.point) * d.probability for d in states], axis=0)
        if states else np.full(len(dimensions), np.nan)
        for states in by_turn
    ]).reshape(turns + 1, len(dimensions))
    finals = tuple(sorted(by_turn[turns], key=lambda d: -d.probability))
    modal = np.array(finals[0].point) if finals else np.full(len(dimensions), np.nan)
    return SmpRun(
        dimensions=dimensions, actors=actors, positions=positions, risk=risk, turns=turns,
        converged=bool(trace.converged[row]), distinct_by_turn=by_turn, final=finals,
        expected=expected_path[turns], modal=np.asarray(modal, dtype=np.float64),
        expected_path=expected_path, effective_power=effective_power,
        challenges=_challenges(trace, row, slots, local, actors, units),
    )


def _challenges(
    trace: Trace, row: int, slots: NDArray[np.int64], local: NDArray[np.int64],
    actors: tuple[str, ...], units: Callable[[Float], Float],
) -> tuple[Challenge, ...]:
    """Every challenge of the run, with the actors who adopted its bargain."""
    turns = int(trace.turns[row])
    target = trace.target[:turns, row][:, slots]
    t_idx, k_idx = np.nonzero(target >= 0)
    s_idx = slots[k_idx]
    takers: dict[tuple[int, int, int], list[str]] = {}
    a_init = trace.adopted_init[:turns, row][:, slots]
    a_rcvr = trace.adopted_rcvr[:turns, row][:, slots]
    for t, k in zip(*np.nonzero(a_init >= 0), strict=True):
        takers.setdefault((int(t), int(a_init[t, k]), int(a_rcvr[t, k])), []).append(actors[k])
    j_idx = target[t_idx, k_idx]
    p = trace.p_win[t_idx, row, s_idx].tolist()
    g = trace.gain[t_idx, row, s_idx].tolist()
    init = units(trace.offer_init[t_idx, row, s_idx]).tolist()
    rcvr = units(trace.offer_rcvr[t_idx, row, s_idx]).tolist()
    return tuple(
        Challenge(turn=t + 1, initiator=actors[k], target=actors[local[j]], probability=pk,
                  gain=gk, initiator_point=tuple(ip), target_point=tuple(rp),
                  adopted_by=tuple(takers.get((t, s, j), ())))
        for t, k, s, j, pk, gk, ip, rp in zip(
            t_idx.tolist(), k_idx.tolist(), s_idx.tolist(), j_idx.tolist(), p, g, init, rcvr,
            strict=True)
    )
