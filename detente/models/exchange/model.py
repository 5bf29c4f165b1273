"""Stokman's exchange model: vote trading across issues, round by round."""

from __future__ import annotations

import datetime as dt
import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

import numpy as np

from detente.arrays import ScenarioArrays
from detente.errors import InputError
from detente.models.base import (
    Footprint,
    IssueForecast,
    Model,
    RoundState,
    Tags,
    weighted_median,
)
from detente.models.exchange.engine import (
    ExactInputs,
    Round,
    Rules,
    Trade,
    simulate,
    weighted_outcome,
)
from detente.models.exchange.exact import as_decimal
from detente.models.params import Param, Preset
from detente.scenario import Scenario
from detente.types import Float

Solution = Literal["equal_gain", "random_rate"]
SOLUTIONS: tuple[str, ...] = typing.get_args(Solution)
OutcomeView = Literal["current", "demander"]
OutcomeCap = Literal["reached", "crossing"]
MoveTest = Literal["current", "listed"]
Arithmetic = Literal["float", "decimal"]


@dataclass(frozen=True)
class TradeView:
    """An executed exchange in the scenario's names and units.

    ``demander`` gets its way on ``demand_issue`` from ``supplier``, who in return gets its
    way on ``supply_issue``: on each issue the partner that cares less moves its voting
    position towards the other. Moves and outcome shifts are in each issue's units; gains are
    utility (salience × shift on the 0–100 scale).
    """

    round: int
    order: int
    demander: str
    supplier: str
    demand_issue: str
    supply_issue: str
    supplier_move: float
    demander_move: float
    supplier_voting: float
    demander_voting: float
    demand_shift: float
    supply_shift: float
    ratio: float
    demander_gain: float
    supplier_gain: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ExchangeRun:
    """Everything an exchange-model run produced, in the scenario's names and units.

    ``preference_outcome`` and ``voting_outcome`` are (rounds, issues): the outcome of the
    preferences at the start of each round and of the voting positions at its end.
    ``own``, ``gained`` and ``lost`` are utility changes summed over rounds (actors × issues):
    from an actor's own exchanges, and gains and losses from exchanges between others.
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    initial_outcome: Float
    preference_outcome: Float
    voting_outcome: Float
    voting: Float  # (rounds, actors, issues), issue units, NaN where absent
    preference: Float  # (rounds + 1, actors, issues)
    trades: tuple[TradeView, ...]
    own: Float
    gained: Float
    lost: Float
    converged: bool
    ties: int
    overturned: int = 0  # decisions of the float steps that Decimal arithmetic reversed

    @property
    def outcome(self) -> Float:
        """The final voting outcome per issue (the start outcome when nothing was traded)."""
        return self.voting_outcome[-1] if len(self.voting_outcome) else self.initial_outcome


@dataclass(frozen=True)
class Exchange(Model):
    """Stokman's exchange model (equal-gain solution by default).

    Actors on opposite sides of the outcome on two issues trade: each moves its voting
    position on the issue it cares less about towards the partner, in return for the
    partner's move on the issue it cares more about. Stokman, F. N. & Van Oosten, R. (1994),
    "The exchange of voting positions", in Bueno de Mesquita & Stokman (eds.), *European
    Community Decision Making*, Yale UP, ch. 5; Stokman, F. N. & Thomson, R. (2004), "Winners
    and losers in the European Union", *European Union Politics* 5(1): 5–23.

    Parameters: ``rounds`` (maximum, ≥ 1); ``solution`` ``equal_gain`` (both partners gain
    equally) or ``random_rate`` (the exchange ratio drawn between the partners' indifference
    ratios); ``p`` (0–1) the randomized equal-gain variant: the favoured partner's gain moves
    a random share of up to ``p`` of the way to its best; ``fixed_weight`` and
    ``salience_weight`` (0–1): after a round each preference moves towards the voting
    position by ``fixed_weight + salience_weight × (1 − salience)`` of the distance;
    ``seed``: the generator for ties and draws. Outcomes are in each issue's units.

    ``outcome_view``, ``outcome_cap``, ``move_test`` and ``arithmetic`` switch single rules
    to the Decide implementation's reading; the preset ``decide`` switches all four
    (docs/models/exchange.md, EXC-12 to EXC-16).
    """

    name: ClassVar[str] = "exchange"
    label: ClassVar[str] = "Exchange (Stokman)"
    citation: ClassVar[str] = (
        "Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an "
        "object-oriented model of policy networks. In Bueno de Mesquita & Stokman (eds.), "
        "European Community Decision Making, ch. 5. Yale UP; Stokman, F. N. & Thomson, R. "
        "(2004). Winners and losers in the European Union. European Union Politics 5(1): 5-23."
    )

    rounds: Annotated[int, Param("most rounds of exchanges", unit="rounds", ge=1)] = 10
    solution: Annotated[Solution, Param(
        "equal_gain: both partners gain equally; random_rate: the exchange ratio drawn "
        "between the partners' indifference ratios")] = "equal_gain"
    p: Annotated[float, Param(
        "randomized equal gain: the favoured partner's gain moves a random share of up to p "
        "of the way to its best", unit="share", ge=0, le=1)] = 0.0
    fixed_weight: Annotated[float, Param(
        "after a round each preference moves this share of the way to the voting position",
        unit="share", ge=0, le=1)] = 0.1
    salience_weight: Annotated[float, Param(
        "...plus this share times (1 - salience)", unit="share", ge=0, le=1)] = 0.4
    seed: Annotated[int, Param("seed of the random numbers for ties and random rates",
                               ge=0)] = 0
    outcome_view: Annotated[OutcomeView, Param(
        "the outcome a candidate exchange is checked against: current (every move so far) "
        "or demander (the round start plus the moves the demander has seen, as Decide)")
    ] = "current"
    outcome_cap: Annotated[OutcomeCap, Param(
        "reached: no exchange once the outcome has reached the demander's position; "
        "crossing: only a move across that position is cut short (as Decide)")] = "reached"
    move_test: Annotated[MoveTest, Param(
        "current: each supplier moves towards its partner; listed: Decide's test on the "
        "candidate's listed moves (one direction, sum at most 100)")] = "current"
    arithmetic: Annotated[Arithmetic, Param(
        "decimal: executed exchanges and close decisions in Decide's 28-digit Decimal "
        "arithmetic, step by step")] = "float"

    presets: ClassVar[Mapping[str, Preset]] = {
        "decide": Preset(
            "the Decide implementation's reading, rule for rule (equal gain, p = 0, its "
            "outcome views, caps, move test and Decimal arithmetic)",
            {"solution": "equal_gain", "p": 0.0, "fixed_weight": 0.1, "salience_weight": 0.4,
             "outcome_view": "demander", "outcome_cap": "crossing", "move_test": "listed",
             "arithmetic": "decimal"}),
    }

    def footprint(self, actors: int, issues: int, rows: int | None = None) -> Footprint:
        """Arrays over actor pairs × ordered issue pairs dominate (measured on random
        problems, benchmarks/bench_limits.py: about 30–40 bytes per actor² × issue pair, and
        0.4–1 µs per round; 200 actors × 50 issues held 2.8 GB for 6 minutes)."""
        base = super().footprint(actors, issues, rows)
        pairs = float(actors) ** 2 * float(issues) * float(issues - 1)
        return Footprint(bytes=base.bytes + 36.0 * pairs,
                         seconds=base.seconds + 6e-7 * pairs * self.rounds)

    def tags(self) -> Tags:
        return Tags(dynamic=True, multi_issue=True,
                    stochastic=self.solution == "random_rate" or self.p > 0)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.fixed_weight + self.salience_weight > 1:
            raise InputError("fixed_weight + salience_weight must not exceed 1",
                             field="salience_weight",
                             hint="a preference cannot move past the voting position")

    def simulate(self, scenario: Scenario, as_of: dt.date | str | None = None) -> ExchangeRun:
        """Run the model and keep every round, trade and utility change."""
        arrays = scenario.arrays(as_of)
        return exchange_run(arrays, self.rules(), np.random.default_rng(self.seed))

    def rules(self) -> Rules:
        return Rules(self.rounds, self.solution, self.p, self.fixed_weight, self.salience_weight,
                     self.outcome_view, self.outcome_cap, self.move_test, self.arithmetic)

    def run_arrays(self, arrays: ScenarioArrays) -> dict[str, IssueForecast]:
        res = exchange_run(arrays, self.rules(), np.random.default_rng(self.seed))
        return {iss: _forecast(arrays, res, k) for k, iss in enumerate(arrays.issues)}


def exchange_run(arrays: ScenarioArrays, rules: Rules, rng: np.random.Generator) -> ExchangeRun:
    """Rescale every issue to 0–100, run the rounds, and translate back."""
    lo, span = arrays.lower, arrays.upper - arrays.lower
    present = arrays.present
    unit = np.where(present, (np.nan_to_num(arrays.position) - lo) * 100.0 / span, 0.0)
    exact = _exact_inputs(arrays) if rules.arithmetic == "decimal" else None
    rounds = simulate(unit, arrays.salience, arrays.capability, present, rules, rng, exact)
    weight = np.where(present, arrays.capability * arrays.salience, 0.0)
    total = weight.sum(axis=0)

    def back(x: Float) -> Float:
        return lo + x * span / 100.0

    def outcome(x: Float) -> Float:
        out = weighted_outcome(x, weight, total)
        fallback = weighted_outcome(x, np.where(present, arrays.capability, 0.0),
                                    np.where(present, arrays.capability, 0.0).sum(axis=0))
        return back(np.where(np.isnan(out), fallback, out))

    def absent(x: Float) -> Float:
        return np.where(present, back(x), np.nan)

    m = len(arrays.issues)
    empty = np.zeros((0, m))
    adjust = rules.fixed_weight + rules.salience_weight * (1.0 - arrays.salience)
    prefs = [absent(r.preference) for r in rounds]
    if rounds:
        last = rounds[-1]
        prefs.append(absent(last.preference + adjust * (last.voting - last.preference)))
    else:
        prefs.append(absent(unit))
    n = len(arrays.actors)
    return ExchangeRun(
        actors=arrays.actors,
        issues=arrays.issues,
        initial_outcome=outcome(unit),
        preference_outcome=np.array([outcome(r.preference) for r in rounds]) if rounds else empty,
        voting_outcome=np.array([outcome(r.voting) for r in rounds]) if rounds else empty,
        voting=np.array([absent(r.voting) for r in rounds]) if rounds else np.zeros((0, n, m)),
        preference=np.array(prefs),
        trades=tuple(_view(arrays, t, k + 1) for k, rnd in enumerate(rounds)
                     for t in rnd.trades),
        own=_total(rounds, "own", (n, m)),
        gained=_total(rounds, "gained", (n, m)),
        lost=_total(rounds, "lost", (n, m)),
        converged=len(rounds) < rules.rounds,
        ties=sum(r.ties for r in rounds),
        overturned=sum(r.overturned for r in rounds),
    )


def _exact_inputs(arrays: ScenarioArrays) -> ExactInputs:
    """The inputs as Decimals, each number as written (its shortest decimal), rescaled to
    0–100 as Decide does: (x − lower) × Decimal(100 / span)."""
    n, m = arrays.position.shape
    pos = np.nan_to_num(arrays.position)
    step = [Decimal(100.0 / float(s)) for s in arrays.upper - arrays.lower]
    lower = [as_decimal(x) for x in arrays.lower]
    return ExactInputs(
        position=[[(as_decimal(pos[a, k]) - lower[k]) * step[k] for k in range(m)]
                  for a in range(n)],
        salience=[[as_decimal(x) for x in row] for row in arrays.salience],
        power=[[as_decimal(x) for x in row] for row in arrays.capability],
    )


def _total(rounds: list[Round], what: str, shape: tuple[int, int]) -> Float:
    out = np.zeros(shape)
    for r in rounds:
        out += getattr(r, what)
    return out


def _view(arrays: ScenarioArrays, t: Trade, rnd: int) -> TradeView:
    span = arrays.upper - arrays.lower
    return TradeView(
        round=rnd,
        order=t.order + 1,
        demander=arrays.actors[t.i],
        supplier=arrays.actors[t.j],
        demand_issue=arrays.issues[t.p],
        supply_issue=arrays.issues[t.q],
        supplier_move=t.move_j * span[t.p] / 100.0,
        demander_move=t.move_i * span[t.q] / 100.0,
        supplier_voting=arrays.lower[t.p] + t.voting_j * span[t.p] / 100.0,
        demander_voting=arrays.lower[t.q] + t.voting_i * span[t.q] / 100.0,
        demand_shift=t.shift_p * span[t.p] / 100.0,
        supply_shift=t.shift_q * span[t.q] / 100.0,
        ratio=t.ratio,
        demander_gain=t.gain_i,
        supplier_gain=t.gain_j,
    )


def _forecast(arrays: ScenarioArrays, res: ExchangeRun, k: int) -> IssueForecast:
    issue = arrays.issues[k]
    present = arrays.present[:, k]
    if not present.any():
        return IssueForecast(issue, math.nan, details={"note": "no actor takes a stance"})
    names = [a for a, p in zip(arrays.actors, present, strict=True) if p]
    weight = np.where(present, arrays.capability[:, k] * arrays.salience[:, k], 0.0)
    if weight.sum() <= 0:
        weight = np.where(present, arrays.capability[:, k], 0.0)

    def state(voting: Float, mean: float) -> RoundState:
        pos = voting[present]
        med = float(weighted_median(np.where(present, np.nan_to_num(voting), 0.0), weight))
        return RoundState(median=med, mean=mean,
                          positions=dict(zip(names, map(float, pos), strict=True)))

    trades = [t.as_dict() for t in res.trades if issue in (t.demand_issue, t.supply_issue)]
    externalities = {
        a: {"own": float(res.own[i, k]), "gained": float(res.gained[i, k]),
            "lost": float(res.lost[i, k])}
        for i, a in enumerate(arrays.actors) if present[i]
    }
    return IssueForecast(
        issue=issue,
        outcome=float(res.outcome[k]),
        initial=state(res.preference[0][:, k], float(res.initial_outcome[k])),
        rounds=tuple(state(res.voting[r][:, k], float(res.voting_outcome[r, k]))
                     for r in range(len(res.voting))),
        converged=res.converged,
        details={
            "preference_outcome": [float(x) for x in res.preference_outcome[:, k]],
            "voting_outcome": [float(x) for x in res.voting_outcome[:, k]],
            "trades": trades,
            "externalities": externalities,
        },
    )
