"""KTAB's spatial model of politics (SMP): probabilistic Condorcet bargaining, exact and fast.

The model of the KAPSARC Toolkit for Behavioral Analysis, reimplemented from its published
description and its source (lsyaseen/KTAB, a fork of KAPSARC/KTAB, MIT) with NumPy arrays
over actors, options and problems. With the same inputs and parameters it reproduces KTAB's
turns, positions and probabilities; every reading of KTAB's behaviour is recorded in the
project's decision log.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np

from detente.arrays import ScenarioArrays
from detente.errors import InputError
from detente.models.base import (
    BatchSolution,
    Footprint,
    IssueBatch,
    IssueForecast,
    Model,
    RoundState,
    Tags,
    weighted_mean,
    weighted_median,
)
from detente.models.params import Param
from detente.models.smp import engine as smp_engine
from detente.models.smp.engine import POSITION_TOLERANCE, Problems, Trace, simulate
from detente.models.smp.options import BY_KTAB, BY_PARAM, Settings
from detente.models.smp.result import SmpRun, run_from_trace
from detente.scenario import Scenario
from detente.types import Bool, Float, Int


def _choice(param: str, help: str) -> Param:
    """The declaration of one of KTAB's nine enumerated settings."""
    c = BY_PARAM[param]
    return Param(f"{help} (KTAB's {c.ktab})", choices=c.values, aliases=c.aliases)


@dataclass(frozen=True)
class SpatialModelOfPolitics(Model):
    """KTAB's spatial model of politics: challenges, bargains and Condorcet elections.

    Each turn every actor estimates, with risk attitudes inferred from a risk-neutral
    probabilistic Condorcet election, which challenge against another actor (with third
    parties joining the side they prefer) brings it the largest expected gain; the pair's
    positions are interpolated into a bargain; each actor's queue (its status quo plus the
    bargains it is party to) is resolved by a Condorcet election among all actors, and all
    move at once. The run stops after ``rounds`` turns or when a turn moves the actors less
    than ``min_delta_ratio`` of the first turn's movement. The forecast is the expected
    outcome Σ p × position over the distinct final positions.

    Parameters (KTAB's names and defaults; matching ignores case):

    - ``victory_prob_model``: Linear | Square | Quartic | Octic | Binary — how coalition
      strength ratios become probabilities of victory (a 2:1 ratio gives 2/3 … 1).
    - ``pce_model``: Conditional | MarkovIncentive | MarkovUniform — probabilistic Condorcet
      election model.
    - ``state_transitions``: Deterministic (each queue's most probable bargain) |
      Stochastic (sampled with the seeded generator).
    - ``voting_rule``: Prop | PropBin | Binary | PropCbc | Cubic | ASymProsp — influence
      exerted as a function of the difference in utilities.
    - ``big_r_adjust``: None | OneThird | Half | TwoThirds | Full — how far an actor's
      estimate of another's risk attitude moves from its own towards the true one.
    - ``big_r_range``: Min [0, 1] | Mid [−½, 1] | Max [−1, 1] — range of risk attitudes.
    - ``third_party_commit``: NoCommit | SemiCommit | FullCommit.
    - ``inter_vec_brgn``: S1P1 | S2P2 | S2PMax — bargain interpolation.
    - ``bargain_model``: InitOnlyInterp | InitRcvrInterp | PWCompInterp.
    - ``joint``: run all issues as one multi-dimensional space (True) or each issue on its
      own (False).
    - ``rounds``: most turns (KTAB: 100). ``min_delta_ratio``: stop once a turn's total
      movement is below this share of the first turn's (KTAB: 0.02, i.e. 2 %).
    - ``seed``: seeds the random generator of stochastic transitions.
    - ``ideal_adjustment``: (adjusting actor, reference actor, rate) entries of KTAB's
      ideal-accommodation matrix; unnamed entries are the identity (ideal = own position).

    Wise, B., Abdollahian, M., Efird, B. et al. (2015): *An Introduction to the KAPSARC Toolkit
    for Behavioral Analysis (KTAB) using One-Dimensional Spatial Models*, KAPSARC discussion
    paper KS-1517-DP017A; Efird, B., Lester, S. & Wise, B. (2016): *The Bargaining Model of
    Politics in KTAB*; Wise, B. et al. (2019): KTAB SMP user guide v1.4 (``SMPTutorial.md``).
    """

    name = "smp"
    label = "Spatial model of politics (KTAB)"
    resolution = POSITION_TOLERANCE  # KTAB's posTol: closer final positions are one
    citation = (
        "Wise, B., Abdollahian, M., Efird, B. et al. (2015). An Introduction to the KAPSARC "
        "Toolkit for Behavioral Analysis (KTAB) using One-Dimensional Spatial Models. KAPSARC "
        "KS-1517-DP017A; KTAB spatial model of politics (github.com/KAPSARC/KTAB, MIT)."
    )

    victory_prob_model: Annotated[str, _choice(
        "victory_prob_model", "how coalition strength ratios become probabilities of victory")
    ] = Settings.victory_prob_model
    pce_model: Annotated[str, _choice(
        "pce_model", "probabilistic Condorcet election model")] = Settings.pce_model
    state_transitions: Annotated[str, _choice(
        "state_transitions", "each queue's most probable bargain (Deterministic) or one drawn "
        "with the seeded generator (Stochastic)")] = Settings.state_transitions
    voting_rule: Annotated[str, _choice(
        "voting_rule", "influence exerted as a function of the difference in utilities")
    ] = Settings.voting_rule
    big_r_adjust: Annotated[str, _choice(
        "big_r_adjust", "how far an actor's estimate of another's risk attitude moves from "
        "its own towards the true one")] = Settings.big_r_adjust
    big_r_range: Annotated[str, _choice(
        "big_r_range", "range of risk attitudes: Min [0, 1], Mid [-1/2, 1], Max [-1, 1]")
    ] = Settings.big_r_range
    third_party_commit: Annotated[str, _choice(
        "third_party_commit", "how far third parties commit to the side they join")
    ] = Settings.third_party_commit
    inter_vec_brgn: Annotated[str, _choice(
        "inter_vec_brgn", "how two positions are interpolated into a bargain")
    ] = Settings.inter_vec_brgn
    bargain_model: Annotated[str, _choice(
        "bargain_model", "which positions a bargain interpolates")] = Settings.bargain_model
    joint: Annotated[bool, Param(
        "all issues as one multi-dimensional space (true) or each issue on its own")] = False
    rounds: Annotated[int, Param("most turns (KTAB: 100)", unit="turns", ge=1)] = 100
    min_delta_ratio: Annotated[float, Param(
        "stop once a turn moves the actors less than this share of the first turn's movement",
        unit="share", ge=0, lt=1)] = 0.02
    seed: Annotated[int, Param("seed of the random generator of stochastic transitions",
                               ge=0)] = 0
    ideal_adjustment: Annotated[tuple[tuple[str, str, float], ...], Param(
        "(adjusting actor, reference actor, rate) entries of KTAB's ideal-accommodation "
        "matrix; others are the identity")] = ()

    def footprint(self, actors: int, issues: int, rows: int | None = None) -> Footprint:
        """Each turn holds arrays over actor triples for every problem of a block of up to
        ``ROW_BLOCK`` issues (or draws) solved together; the joint space has one problem with
        actor pairs × dimensions on top (measured on random problems,
        benchmarks/bench_limits.py: about 18 bytes and 2e-6 s per actor³ and problem)."""
        base = super().footprint(actors, issues, rows)
        rows = issues if rows is None else rows
        cube = float(actors) ** 3
        if self.joint:
            memory = 18.0 * cube + 32.0 * float(actors) ** 2 * issues
            seconds = 2e-6 * cube * issues
        else:
            memory = 18.0 * cube * min(rows, smp_engine.ROW_BLOCK)
            seconds = 2e-6 * cube * rows
        return Footprint(bytes=base.bytes + memory, seconds=base.seconds + seconds)

    def tags(self) -> Tags:
        return Tags(dynamic=True, batched=self.issue_solver() is not None,
                    stochastic=self.settings().stochastic, multi_issue=self.joint)

    def scale_free(self) -> bool:
        # Cubic votes (differences of utility cubed) are small enough for KTAB's fixed floor
        # on coalition strength to matter (docs/models/smp.md, SMP-11)
        return self.settings().voting_rule != "Cubic"

    def order_free(self) -> bool:
        # KTAB scans coalitions over a > b only, so asymmetric votes favour the option of
        # the higher index (docs/models/smp.md, SMP-11)
        return self.settings().voting_rule != "ASymProsp"

    def settings(self) -> Settings:
        """The engine's settings (checked; KTAB's spellings)."""
        return Settings(
            victory_prob_model=self.victory_prob_model, pce_model=self.pce_model,
            state_transitions=self.state_transitions, voting_rule=self.voting_rule,
            big_r_adjust=self.big_r_adjust, big_r_range=self.big_r_range,
            third_party_commit=self.third_party_commit, inter_vec_brgn=self.inter_vec_brgn,
            bargain_model=self.bargain_model, max_turns=self.rounds,
            min_delta_ratio=self.min_delta_ratio,
        )

    @classmethod
    def from_ktab(cls, parameters: Mapping[str, str], **overrides: Any) -> SpatialModelOfPolitics:
        """The model with the settings a KTAB file carries (see ``io.ktab.ktab_parameters``).

        ``ModelParameters`` become the nine choices, ``prngSeed`` the seed and each
        ``IdealAdjustment:<actor>:<reference>`` an ``ideal_adjustment`` entry.
        """
        kw: dict[str, Any] = {}
        adjust: list[tuple[str, str, float]] = []
        for key, value in parameters.items():
            if key in BY_KTAB:
                kw[BY_KTAB[key].param] = value
            elif key == "prngSeed":
                kw["seed"] = int(value)
            elif key.startswith("IdealAdjustment:"):
                _, who, ref = key.split(":", 2)
                adjust.append((who, ref, float(value)))
        if adjust:
            kw["ideal_adjustment"] = tuple(adjust)
        kw.update(overrides)
        return cls(**kw)

    # --- running -------------------------------------------------------------------------

    def simulate(self, scenario: Scenario, as_of: dt.date | str | None = None) -> list[SmpRun]:
        """Full runs: one per issue, or one over all issues when ``joint``."""
        return self.simulate_arrays(scenario.arrays(as_of))

    def simulate_arrays(self, arrays: ScenarioArrays) -> list[SmpRun]:
        """Full runs of one snapshot given as arrays."""
        problems, slots_per_row, dims_per_row = self._problems(arrays)
        trace = simulate(problems, self.settings(), self.seed)
        stated = np.where(arrays.present, arrays.capability * arrays.salience, 0.0)
        return [
            run_from_trace(
                trace, row, slots, tuple(arrays.actors[s] for s in slots),
                tuple(arrays.issues[d] for d in dims), arrays.lower[dims], arrays.upper[dims],
                stated[np.ix_(slots, dims)],
            )
            for row, (slots, dims) in enumerate(zip(slots_per_row, dims_per_row, strict=True))
        ]

    def run_arrays(self, arrays: ScenarioArrays) -> dict[str, IssueForecast]:
        runs = self.simulate_arrays(arrays)
        issues: dict[str, IssueForecast] = {}
        for run in runs:
            if not run.final:
                continue
            for d, issue in enumerate(run.dimensions):
                issues[issue] = self._issue_forecast(run, d, arrays)
        for issue in arrays.issues:
            if issue not in issues:
                issues[issue] = IssueForecast(
                    issue, math.nan, details={"note": "no actor takes a stance with salience > 0"})
        return {i: issues[i] for i in arrays.issues}

    def issue_solver(self) -> Callable[[IssueBatch], BatchSolution] | None:
        """The batched path when issues run one by one (not ``joint``; the batch carries no
        actor ids, so an ideal adjustment between named actors runs draw by draw)."""
        return None if self.joint or self.ideal_adjustment else self.solve

    def solve(self, batch: IssueBatch) -> BatchSolution:
        """The batched one-dimensional path: B independent issues (e.g. Monte Carlo draws).

        Returns the expected outcome per row, the trajectory (median and mean weighted by
        capability × salience), the turns and, in ``extra``, the modal outcome. Rows run in
        blocks of similar numbers of actors taking part; with deterministic transitions each
        block drops the slots none of its rows uses (a turn costs about n³ in the slots, and
        absent slots change no sum), keeping the actors' order.
        """
        lower, upper = batch.lower, batch.upper
        span = np.where(upper > lower, upper - lower, 1.0)
        present = batch.present & (batch.salience > 0)
        pos01 = np.clip((batch.position - lower[:, None]) / span[:, None], 0.0, 1.0)
        cap = np.where(present, batch.capability, 1.0)
        b, n = present.shape
        count = present.sum(axis=1)
        settings = self.settings()
        if settings.stochastic:  # every slot draws its own number: keep them all
            order, slots = np.arange(b), np.broadcast_to(np.arange(n), (b, n))
        else:
            order = np.argsort(count, kind="stable")
            slots = np.argsort(~present, axis=1, kind="stable")  # present first, in order
        blocks = []
        block = smp_engine.ROW_BLOCK
        for lo in range(0, b, block):
            rows = order[lo:lo + block]
            k = n if settings.stochastic else max(1, int(count[rows].max()))
            idx = slots[rows, :k]
            sub = Problems(np.take_along_axis(pos01[rows], idx, 1)[..., None],
                           np.take_along_axis(batch.salience[rows], idx, 1)[..., None],
                           np.take_along_axis(cap[rows], idx, 1),
                           np.take_along_axis(present[rows], idx, 1))
            blocks.append((rows, idx, simulate(sub, settings, self.seed, streams=rows)))
        t_max = max(trace.positions.shape[0] for _, _, trace in blocks)
        pos = np.broadcast_to(pos01, (t_max, b, n)).copy()
        turns = np.zeros(b, dtype=np.int64)
        converged = np.zeros(b, dtype=bool)
        expected = np.full(b, np.nan)
        modal = np.full(b, np.nan)
        for rows, idx, trace in blocks:
            path = trace.positions[..., 0]
            path = np.concatenate([path, np.repeat(path[-1:], t_max - len(path), axis=0)])
            pos[:, rows[:, None], idx] = path
            turns[rows], converged[rows] = trace.turns, trace.converged
            expected[rows], modal[rows] = _final_distribution(
                trace, np.take_along_axis(present[rows], idx, 1), lower[rows], span[rows])
        x = lower[None, :, None] + pos * span[None, :, None]
        w = np.broadcast_to(batch.capability * batch.salience * present, x.shape)
        return BatchSolution(
            outcome=expected, positions=x, median=weighted_median(x, w),
            mean=weighted_mean(x, w), rounds=turns,
            converged=converged, extra={"modal": modal},
        )

    # --- scenario → problems -------------------------------------------------------------

    def _problems(self, arrays: ScenarioArrays) -> tuple[Problems, list[Int], list[Int]]:
        """The batch to simulate, each row's participating actors and its issues."""
        n, m = arrays.shape
        lower, upper = arrays.lower, arrays.upper
        pos01 = np.where(arrays.present, (arrays.position - lower) / (upper - lower), 0.0)
        sal = np.where(arrays.present, arrays.salience, 0.0)
        cap = arrays.capability
        if self.joint:
            taking = sal.sum(axis=1) > 0
            pos = np.where(arrays.present, pos01, _placeholder(pos01, sal, cap, arrays.present))
            top = float(sal.sum(axis=1).max(initial=0.0))
            if top > 1:  # KTAB's saliences are shares of one actor's attention
                sal = sal / top
            caps = np.array([_joint_capability(cap[i], sal[i], arrays.present[i])
                             for i in range(n)])
            acc = self._accommodation(arrays.actors, taking)
            problems = Problems(pos[None], sal[None], caps[None], taking[None],
                                None if acc is None else acc[None])
            return problems, [np.flatnonzero(taking)], [np.arange(m)]
        keep = [j for j in range(m) if np.any(arrays.present[:, j] & (sal[:, j] > 0))]
        present = (arrays.present & (sal > 0)).T[keep]  # (rows, actors)
        accs = [self._accommodation(arrays.actors, present[r]) for r in range(len(keep))]
        problems = Problems(
            pos01.T[keep][..., None], sal.T[keep][..., None], cap.T[keep], present,
            None if not self.ideal_adjustment else np.stack(
                [a if a is not None else np.eye(n) for a in accs]),
        )
        return (problems, [np.flatnonzero(present[r]) for r in range(len(keep))],
                [np.array([j]) for j in keep])

    def scenario_problems(
        self, actors: Sequence[str]
    ) -> Iterator[tuple[tuple[str | int, ...], str, str | None]]:
        """Ideal adjustments that name unknown actors or rates outside [0, 1]."""
        known = set(actors)
        for k, (who, ref, rate) in enumerate(self.ideal_adjustment):
            for a in (who, ref):
                if a not in known:
                    yield (("ideal_adjustment", k), f"ideal_adjustment names unknown actor "
                           f"{a!r}", f"use an actor id: {', '.join(actors)}")
            if not 0 <= rate <= 1:
                yield (("ideal_adjustment", k),
                       f"ideal adjustment of {who!r} towards {ref!r} is {rate:g}",
                       "rates lie in [0, 1]")

    def _accommodation(self, actors: tuple[str, ...], taking: Bool) -> Float | None:
        """KTAB's ideal-accommodation matrix: identity with the named entries replaced."""
        if not self.ideal_adjustment:
            return None
        for _loc, message, hint in self.scenario_problems(actors):
            raise InputError(message, field="ideal_adjustment", hint=hint)
        index = {a: k for k, a in enumerate(actors)}
        acc = np.eye(len(actors))
        for who, ref, rate in self.ideal_adjustment:
            acc[index[who], index[ref]] = rate
        acc = acc * taking[None, :] * taking[:, None]
        rows = acc.sum(axis=1)
        bad = np.flatnonzero(rows > 1 + 1e-10)
        if len(bad):
            raise InputError(
                f"the ideal adjustments of {actors[bad[0]]!r} sum to {rows[bad[0]]:g}, above 1",
                field="ideal_adjustment",
                hint="an unnamed entry on oneself counts 1; lower it, e.g. (A, A, 0.8)")
        return acc

    # --- results -------------------------------------------------------------------------

    def _issue_forecast(self, run: SmpRun, d: int, arrays: ScenarioArrays) -> IssueForecast:
        issue = run.dimensions[d]
        j = arrays.issues.index(issue)
        ids = [arrays.actors.index(a) for a in run.actors]
        on_issue = arrays.present[ids, j]
        names = [a for a, p in zip(run.actors, on_issue, strict=True) if p]
        weight = run.effective_power[:, d] * on_issue
        x = run.positions[:, :, d]
        med = weighted_median(x[:, on_issue], np.broadcast_to(weight[on_issue],
                                                              x[:, on_issue].shape))
        mean = weighted_mean(x[:, on_issue], np.broadcast_to(weight[on_issue],
                                                             x[:, on_issue].shape))

        def state(t: int) -> RoundState:
            return RoundState(float(med[t]), float(mean[t]),
                              dict(zip(names, map(float, x[t, on_issue]), strict=True)))

        final = [{"position": f.point[d], "probability": f.probability, "actors": list(f.actors)}
                 | ({"point": dict(zip(run.dimensions, f.point, strict=True))}
                    if len(run.dimensions) > 1 else {})
                 for f in run.final]
        details: dict[str, Any] = {
            "modal": float(run.modal[d]),
            "turns": run.turns,
            "joint": len(run.dimensions) > 1,
            "final_positions": final,
            "expected_by_turn": [float(v) for v in run.expected_path[:, d]],
            "effective_power": {a: float(p) for a, p, on in
                                zip(run.actors, run.effective_power[:, d], on_issue,
                                    strict=True) if on},
            "risk_attitudes": {a: float(r) for a, r in
                               zip(run.actors, run.risk[-1], strict=True)},
            "challenges": [
                {"turn": c.turn, "initiator": c.initiator, "target": c.target,
                 "probability": c.probability, "gain": c.gain,
                 "initiator_position": c.initiator_point[d],
                 "target_position": c.target_point[d], "adopted_by": list(c.adopted_by)}
                for c in run.challenges
            ],
        }
        if len(run.dimensions) > 1:
            details["dimensions"] = list(run.dimensions)
        return IssueForecast(
            issue=issue, outcome=float(run.expected[d]), initial=state(0),
            rounds=tuple(state(t) for t in range(1, run.turns + 1)),
            converged=run.converged, details=details,
        )


def _placeholder(pos: Float, sal: Float, cap: Float, present: Bool) -> Float:
    """Per issue, where an actor without a stance sits in a joint run: the compromise."""
    w = np.where(present, cap * sal, 0.0)
    fallback = np.where(present, cap, 0.0)
    out = weighted_mean(pos.T, w.T)
    alt = weighted_mean(pos.T, fallback.T)
    return np.asarray(np.where(np.isnan(out), np.where(np.isnan(alt), 0.5, alt), out),
                      dtype=np.float64)


def _joint_capability(cap: Float, sal: Float, present: Bool) -> float:
    """One capability per actor in a joint run: the stated one, or, where stances override
    it per issue, their salience-weighted mean."""
    values = cap[present]
    if len(values) == 0:
        return 1.0
    if np.all(values == values[0]):
        return float(values[0])
    w = sal[present]
    return float(np.sum(w * values) / np.sum(w)) if np.sum(w) > 0 else float(values.mean())


__all__ = ["SmpRun", "SpatialModelOfPolitics", "Trace"]



def _final_distribution(trace: Trace, present: Bool, lower: Float, span: Float
                        ) -> tuple[Float, Float]:
    """Per row, in the issue's units: the expected final position (Σ p × position over the
    distinct positions) and the most probable one; NaN where no actor takes part."""
    rows = np.arange(trace.turns.shape[0])
    last = trace.turns
    lead, prob = trace.leader[last, rows], trace.prob[last, rows]
    x = lower[:, None] + trace.positions[last, rows, :, 0] * span[:, None]
    distinct = present & (lead == np.arange(present.shape[1]))
    some = distinct.any(axis=1)
    expected = np.where(some, np.sum(np.where(distinct, prob * x, 0.0), axis=1), np.nan)
    best = np.argmax(np.where(distinct, prob, -np.inf), axis=1)
    modal = np.where(some, x[rows, best], np.nan)
    return expected, modal
