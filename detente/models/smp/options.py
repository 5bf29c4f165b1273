"""The nine parameters of KTAB's spatial model of politics: names, allowed values, defaults.

Values are KTAB's own names (as in its XML ``ModelParameters`` and ``smpc`` logs); matching
ignores case, and the spellings of KTAB's XSD that its reader does not know ("Proportional",
"No") are accepted as aliases of the ones it does ("Prop", "None").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from detente.errors import InputError


@dataclass(frozen=True)
class Choice:
    """One enumerated SMP parameter: the detente field, KTAB's name, values and default."""

    param: str
    ktab: str
    values: tuple[str, ...]
    default: str
    aliases: Mapping[str, str] = field(default_factory=dict)

    def canonical(self, value: str) -> str:
        """KTAB's spelling of ``value``, or an InputError naming the field and the choices."""
        wanted = str(value).strip().lower()
        for v in self.values:
            if v.lower() == wanted:
                return v
        for alias, v in self.aliases.items():
            if alias.lower() == wanted:
                return v
        raise InputError(
            f"unknown {self.ktab} {value!r}", field=self.param,
            hint=f"choose from: {', '.join(self.values)}",
        )


CHOICES: tuple[Choice, ...] = (
    Choice("victory_prob_model", "VictoryProbModel",
           ("Linear", "Square", "Quartic", "Octic", "Binary"), "Linear"),
    Choice("pce_model", "PCEModel",
           ("Conditional", "MarkovIncentive", "MarkovUniform"), "Conditional"),
    Choice("state_transitions", "StateTransitions", ("Deterministic", "Stochastic"),
           "Deterministic"),
    Choice("voting_rule", "VotingRule",
           ("Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"), "Prop",
           {"Proportional": "Prop"}),
    Choice("big_r_adjust", "BigRAdjust", ("None", "OneThird", "Half", "TwoThirds", "Full"),
           "OneThird", {"No": "None"}),
    Choice("big_r_range", "BigRRange", ("Min", "Mid", "Max"), "Mid"),
    Choice("third_party_commit", "ThirdPartyCommit",
           ("NoCommit", "SemiCommit", "FullCommit"), "SemiCommit"),
    Choice("inter_vec_brgn", "InterVecBrgn", ("S1P1", "S2P2", "S2PMax"), "S2P2"),
    Choice("bargain_model", "BargnModel",
           ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"), "InitOnlyInterp"),
)
BY_PARAM: dict[str, Choice] = {c.param: c for c in CHOICES}
BY_KTAB: dict[str, Choice] = {c.ktab: c for c in CHOICES}


@dataclass(frozen=True)
class Settings:
    """Checked SMP settings as the engine uses them (KTAB's spellings)."""

    victory_prob_model: str = "Linear"
    pce_model: str = "Conditional"
    state_transitions: str = "Deterministic"
    voting_rule: str = "Prop"
    big_r_adjust: str = "OneThird"
    big_r_range: str = "Mid"
    third_party_commit: str = "SemiCommit"
    inter_vec_brgn: str = "S2P2"
    bargain_model: str = "InitOnlyInterp"
    max_turns: int = 100
    min_delta_ratio: float = 0.02

    def __post_init__(self) -> None:
        for choice in CHOICES:
            object.__setattr__(self, choice.param, choice.canonical(getattr(self, choice.param)))
        if self.max_turns < 1:
            raise InputError(f"rounds must be at least 1, got {self.max_turns}", field="rounds")
        if not 0 <= self.min_delta_ratio < 1:
            raise InputError(f"min_delta_ratio must lie in [0, 1), got {self.min_delta_ratio}",
                             field="min_delta_ratio")

    @property
    def stochastic(self) -> bool:
        return self.state_transitions == "Stochastic"
