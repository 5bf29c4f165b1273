"""The scenario model: actors, issues, stances with uncertainty and evidence, dated snapshots.

Everything here is an immutable pydantic value. Saliences are stored on 0–1 whatever scale the
file used (``salience_scale``); positions are stored in each issue's own units.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from detente.errors import Loc, ScenarioProblem

if TYPE_CHECKING:
    from detente.arrays import ScenarioArrays

Id = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$")]

#: Largest magnitude of any number in a scenario, and smallest capability: products and
#: squares of a few such numbers over thousands of actors stay far from overflow and
#: underflow in every model (docs/decisions/scenario.md, SCN-6).
MAX_MAGNITUDE = 1e15
MIN_MAGNITUDE = 1e-100
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _moderate(x: float) -> float:
    if abs(x) > MAX_MAGNITUDE:
        raise ValueError(
            f"{x:g} is too large to compute with safely (numbers are at most "
            f"{MAX_MAGNITUDE:g} in size); use other units, e.g. millions")
    return x


def _capability_problem(est: Estimate) -> str | None:
    low = est.bounds()[0]
    if low <= 0 or est.value <= 0:
        return f"capability must be > 0, got {est.value:g}"
    if low < MIN_MAGNITUDE:
        return (f"capability {low:g} is too small to compute with safely (at least "
                f"{MIN_MAGNITUDE:g}); capabilities are relative, scale them all up")
    return None


def _iso_date(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and _ISO_DATE.fullmatch(v.strip()):
        return v.strip()
    raise ValueError(f"not an ISO date: {v!r}; write dates as YYYY-MM-DD, e.g. 2018-01-02")


#: A float of moderate magnitude (see :data:`MAX_MAGNITUDE`).
Number = Annotated[float, AfterValidator(_moderate)]
#: A date written as an ISO date (YYYY-MM-DD); numbers are not read as Unix times.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
SalienceScale = Literal["0-1", "0-100"]
SALIENCE_DIVISOR: dict[str, float] = {"0-1": 1.0, "0-100": 100.0}
Quantity = Literal["position", "salience", "capability", "leverage", "outcome", "status_quo"]


class Frozen(BaseModel):
    """Immutable value with strict field names and no NaN/inf."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


class Source(Frozen):
    """A document that evidence cites (an article, a report, a dataset)."""

    id: Id
    title: str
    author: str | None = None
    publisher: str | None = None
    date: IsoDate | None = None
    url: str | None = None
    note: str | None = None


class Evidence(Frozen):
    """Why a number is what it is: a source, where in it, and a paraphrase in our own words.

    ``basis: judgement`` marks a number that no source states, with the analyst's reasoning
    in ``paraphrase``; ``basis: proposed`` marks a number that ``detente read`` proposed from
    a sentence of a source and no analyst has ratified yet (``paraphrase`` quotes the sentence).
    """

    basis: Literal["source", "judgement", "proposed"] = "source"
    source: str | None = Field(None, description="id of an entry in the scenario's sources")
    date: IsoDate | None = None
    locator: str | None = Field(None, description="paragraph, page or line in the source")
    paraphrase: str = Field(min_length=1)
    about: tuple[Quantity, ...] = Field(
        (), description="which numbers this supports; empty = the whole entry"
    )

    @model_validator(mode="after")
    def _source_needed(self) -> Evidence:
        if self.basis != "judgement" and not self.source:
            raise ValueError(
                f"evidence with basis {self.basis!r} needs a 'source' (or basis: judgement)"
            )
        return self


class Estimate(Frozen):
    """A number with optional uncertainty: a standard deviation or a [low, high] range.

    In files a bare number is accepted, as is ``{value: 40, sd: 5}`` or
    ``{value: 40, range: [30, 55]}``.
    """

    value: Number
    sd: Number | None = Field(None, ge=0)
    low: Number | None = None
    high: Number | None = None

    @model_validator(mode="before")
    @classmethod
    def _coerce(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("expected a number, got a boolean")
        if isinstance(data, int | float | str):
            return {"value": data}
        if isinstance(data, Mapping) and "range" in data:
            d = dict(data)
            rng = d.pop("range")
            if not isinstance(rng, list | tuple) or len(rng) != 2:
                raise ValueError("range must be a list of two numbers: [low, high]")
            d["low"], d["high"] = rng
            return d
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Estimate:
        if self.sd is not None and (self.low is not None or self.high is not None):
            raise ValueError("give either sd or range, not both")
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both low and high")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise ValueError(f"range low {self.low:g} is above high {self.high:g}")
            if not self.low <= self.value <= self.high:
                raise ValueError(
                    f"value {self.value:g} lies outside its range [{self.low:g}, {self.high:g}]"
                )
        return self

    @property
    def uncertain(self) -> bool:
        return self.sd is not None or self.low is not None

    def scaled(self, factor: float) -> Estimate:
        """The same estimate in units ``factor`` times larger."""
        return Estimate(
            value=self.value * factor,
            sd=None if self.sd is None else self.sd * factor,
            low=None if self.low is None else self.low * factor,
            high=None if self.high is None else self.high * factor,
        )

    def bounds(self) -> tuple[float, float]:
        """The smallest and largest value the estimate states (range ends or value)."""
        if self.low is not None and self.high is not None:
            return self.low, self.high
        return self.value, self.value


class Scale(Frozen):
    """An issue's scale, in its own units (default 0–100)."""

    min: Number = 0.0
    max: Number = 100.0
    unit: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.min < self.max:
            raise ValueError(f"scale min {self.min:g} must be below max {self.max:g}")
        if self.max - self.min < 1e-9 * max(abs(self.min), abs(self.max)):
            raise ValueError(f"the scale [{self.min:g}, {self.max:g}] is too narrow for its "
                             "size: positions on it cannot be told apart; shift its units")
        return self

    def contains(self, x: float) -> bool:
        return self.min <= x <= self.max

    @property
    def span(self) -> float:
        return self.max - self.min


class Anchor(Frozen):
    """A labelled point on an issue's scale, e.g. 0 = "no contact"."""

    value: Number
    label: str = Field(min_length=1)


class Question(Frozen):
    """A named yes/no question about an issue's outcome, e.g. "direct talks held" = x >= 60."""

    id: Id
    text: str = Field(min_length=1)
    op: Literal[">=", ">", "<=", "<"] = ">="
    threshold: Number

    def holds(self, outcome: float) -> bool:
        """Whether an outcome answers the question with yes."""
        x, t = outcome, self.threshold
        return {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t}[self.op]


class KnownOutcome(Frozen):
    """What actually happened on an issue, for backtesting."""

    value: Number
    date: IsoDate | None = None
    description: str = Field(min_length=1)
    evidence: tuple[Evidence, ...] = ()


class Issue(Frozen):
    """A question under negotiation, as a one-dimensional scale."""

    id: Id
    name: str = Field(min_length=1)
    description: str | None = None
    scale: Scale = Scale()
    anchors: tuple[Anchor, ...] = ()
    status_quo: Number | None = None
    status_quo_evidence: tuple[Evidence, ...] = ()
    questions: tuple[Question, ...] = ()
    outcome: KnownOutcome | None = None
    keywords: tuple[Annotated[str, StringConstraints(min_length=1)], ...] = Field(
        (), description="words and phrases that mark a sentence as being about this issue"
    )

    @field_validator("anchors", mode="before")
    @classmethod
    def _anchor_mapping(cls, v: Any) -> Any:
        if isinstance(v, Mapping):
            return [{"value": k, "label": lab} for k, lab in v.items()]
        return v

    @model_validator(mode="after")
    def _within_scale(self) -> Issue:
        sc = self.scale
        for what, x in [
            *((f"anchor '{a.label}'", a.value) for a in self.anchors),
            *((f"question '{q.id}' threshold", q.threshold) for q in self.questions),
            ("status_quo", self.status_quo),
            ("outcome", None if self.outcome is None else self.outcome.value),
        ]:
            if x is not None and not sc.contains(x):
                raise ValueError(f"{what} {x:g} lies outside the scale [{sc.min:g}, {sc.max:g}]")
        ids = [q.id for q in self.questions]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"question id {sorted(dup)[0]!r} is used twice")
        return self

    def label_at(self, x: float) -> str | None:
        """Label of the anchor nearest to ``x`` (None when the issue has no anchors)."""
        if not self.anchors or not math.isfinite(x):
            return None
        return min(self.anchors, key=lambda a: abs(a.value - x)).label


class Actor(Frozen):
    """A party to the negotiation."""

    id: Id
    name: str = Field("", description="display name; defaults to the id")
    capability: Estimate = Field(description="clout, > 0, in any consistent unit")
    bloc: str | None = None
    colour: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$",
                               description="display colour in charts and tables, #rrggbb")
    description: str | None = None
    aliases: tuple[Annotated[str, StringConstraints(min_length=1)], ...] = Field(
        (), description="other names in the news: capitals, leaders, demonyms, abbreviations"
    )
    evidence: tuple[Evidence, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not data.get("name") and data.get("id"):
            return {**data, "name": data["id"]}
        return data

    @model_validator(mode="after")
    def _checks(self) -> Actor:
        problem = _capability_problem(self.capability)
        if problem:
            raise ValueError(problem)
        return self


def _salience(v: Estimate | None, info: ValidationInfo) -> Estimate | None:
    if v is None:
        return None
    scale = (info.context or {}).get("salience_scale", "0-1")
    top = SALIENCE_DIVISOR[scale]
    lo, hi = v.bounds()
    if lo < 0 or hi > top or not 0 <= v.value <= top:
        raise ValueError(
            f"salience {v.value:g} is outside 0–{top:g} (this file's salience_scale is {scale})"
        )
    return v if top == 1.0 else v.scaled(1.0 / top)


class Stance(Frozen):
    """One actor's position and salience on one issue, with uncertainty and evidence.

    In a snapshot that inherits, a stance may give only what changed (position or salience);
    the other number and its evidence carry over from the stance in force before.
    """

    actor: Id
    issue: Id
    position: Estimate | None = None
    salience: Estimate | None = Field(
        None, description="0–1 once loaded; files state their salience_scale"
    )
    capability: Estimate | None = Field(None, description="overrides the actor's on this issue")
    evidence: tuple[Evidence, ...] = ()

    _norm_salience = field_validator("salience", mode="after")(_salience)

    @model_validator(mode="after")
    def _positive_capability(self) -> Stance:
        problem = None if self.capability is None else _capability_problem(self.capability)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def required_position(self) -> Estimate:
        """The position of a resolved stance (``Scenario.stances`` always has one)."""
        if self.position is None:
            raise ValueError(f"stance {self.actor}/{self.issue} has no position of its own")
        return self.position

    @property
    def required_salience(self) -> Estimate:
        """The salience of a resolved stance (``Scenario.stances`` always has one)."""
        if self.salience is None:
            raise ValueError(f"stance {self.actor}/{self.issue} has no salience of its own")
        return self.salience


class Leverage(Frozen):
    """How much ``source``'s pressure counts on ``target`` (1 = ordinary)."""

    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    weight: Number = Field(gt=0)
    evidence: tuple[Evidence, ...] = ()


class Snapshot(Frozen):
    """The negotiation as known on one date.

    Unless ``inherit`` is false, a snapshot starts from the previous one's state (stances,
    capabilities, status quo, leverage) and lists only what changed. ``evidence`` supports the
    snapshot's capability and status-quo changes.
    """

    as_of: IsoDate | None = None
    label: str | None = None
    note: str | None = None
    inherit: bool = True
    capabilities: dict[str, Estimate] = Field(
        default_factory=dict, description="actor capability overrides from this date on"
    )
    status_quo: dict[str, Number] = Field(
        default_factory=dict, description="issue status-quo changes from this date on"
    )
    leverage: tuple[Leverage, ...] = Field((), description="leverage changes from this date on")
    evidence: tuple[Evidence, ...] = ()
    stances: tuple[Stance, ...] = ()


@dataclass(frozen=True)
class SnapshotState:
    """Everything in force at one snapshot, inherited changes resolved."""

    stances: tuple[Stance, ...]
    capabilities: dict[str, Estimate]
    status_quo: dict[str, float | None]
    leverage: dict[tuple[str, str], float]


def _merge(old: Stance | None, new: Stance) -> Stance:
    """A stance that gives only some numbers takes the rest, with their evidence, from ``old``."""
    if old is None:
        return new
    kept: list[Quantity] = [q for q in ("position", "salience") if getattr(new, q) is None]
    if not kept:
        return new
    carried = tuple(e for e in old.evidence
                    if not e.about or any(q in e.about for q in kept))
    return Stance(
        actor=new.actor,
        issue=new.issue,
        position=new.position if new.position is not None else old.position,
        salience=new.salience if new.salience is not None else old.salience,
        capability=new.capability if new.capability is not None else old.capability,
        evidence=new.evidence + carried,
    )


class Scenario(Frozen):
    """A negotiation: actors, issues, leverage and one or more dated snapshots of stances."""

    id: Id
    title: str = Field(min_length=1)
    description: str | None = None
    sources: tuple[Source, ...] = ()
    actors: tuple[Actor, ...] = Field(min_length=1)
    issues: tuple[Issue, ...] = Field(min_length=1)
    leverage: tuple[Leverage, ...] = ()
    snapshots: tuple[Snapshot, ...] = Field(min_length=1)
    #: Model settings for this scenario: model name → parameter → value (``preset`` names
    #: a preset), as ``--set`` gives them; the command line wins over them.
    models: dict[Id, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _single_snapshot_shorthand(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "snapshots" not in data and "stances" in data:
            d = dict(data)
            d["snapshots"] = [{"as_of": d.pop("as_of", None), "stances": d.pop("stances")}]
            return d
        return data

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        problems = list(_reference_problems(self))
        if problems:
            raise ScenarioProblem(problems)
        return self

    # --- lookups -----------------------------------------------------------------------------
    @cached_property
    def actor_index(self) -> dict[str, int]:
        return {a.id: i for i, a in enumerate(self.actors)}

    @cached_property
    def issue_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.issues)}

    def actor(self, actor_id: str) -> Actor:
        return self.actors[self.actor_index[actor_id]]

    def issue(self, issue_id: str) -> Issue:
        return self.issues[self.issue_index[issue_id]]

    @property
    def as_of(self) -> dt.date | None:
        """Date of the latest snapshot."""
        return self.snapshots[-1].as_of

    def snapshot_index(self, as_of: dt.date | str | None = None) -> int:
        """Index of the latest snapshot on or before ``as_of`` (default: the latest)."""
        if as_of is None:
            return len(self.snapshots) - 1
        day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        best = None
        for i, snap in enumerate(self.snapshots):
            if snap.as_of is not None and snap.as_of <= day:
                best = i
        if best is None:
            dates = ", ".join(str(s.as_of) for s in self.snapshots)
            raise KeyError(f"no snapshot on or before {day} (snapshots: {dates})")
        return best

    @cached_property
    def _resolved(self) -> tuple[SnapshotState, ...]:
        base_sq = {s.id: s.status_quo for s in self.issues}
        base_lev = {(lv.source, lv.target): lv.weight for lv in self.leverage}
        stances: dict[tuple[str, str], Stance] = {}
        caps: dict[str, Estimate] = {}
        sq: dict[str, float | None] = dict(base_sq)
        lev = dict(base_lev)
        out: list[SnapshotState] = []
        na = len(self.issues)
        for snap in self.snapshots:
            if not snap.inherit:
                stances, caps, sq, lev = {}, {}, dict(base_sq), dict(base_lev)
            stances = dict(stances)
            for s in snap.stances:
                stances[(s.actor, s.issue)] = _merge(stances.get((s.actor, s.issue)), s)
            caps = {**caps, **snap.capabilities}
            sq = {**sq, **snap.status_quo}
            lev = {**lev, **{(lv.source, lv.target): lv.weight for lv in snap.leverage}}
            order = sorted(
                stances,
                key=lambda k: self.actor_index.get(k[0], 0) * na + self.issue_index.get(k[1], 0),
            )
            out.append(SnapshotState(tuple(stances[k] for k in order), caps, sq, lev))
        return tuple(out)

    def state(self, index: int) -> SnapshotState:
        """Everything in force at snapshot ``index``: stances in actor-issue order, overrides."""
        return self._resolved[index]

    def stances(self, as_of: dt.date | str | None = None) -> tuple[Stance, ...]:
        """All stances in force at a snapshot, inherited ones included, in actor-issue order."""
        return self.state(self.snapshot_index(as_of)).stances

    def capability(self, actor_id: str, as_of: dt.date | str | None = None) -> Estimate:
        """An actor's general capability at a snapshot (snapshot overrides applied)."""
        caps = self.state(self.snapshot_index(as_of)).capabilities
        return caps.get(actor_id, self.actor(actor_id).capability)

    def status_quo(self, issue_id: str, as_of: dt.date | str | None = None) -> float | None:
        """An issue's status quo at a snapshot (snapshot changes applied)."""
        return self.state(self.snapshot_index(as_of)).status_quo[issue_id]

    def arrays(self, as_of: dt.date | str | None = None) -> ScenarioArrays:
        """NumPy views (actors × issues) of one snapshot, for the models."""
        from detente.arrays import build_arrays

        return build_arrays(self, self.snapshot_index(as_of))

    def at(self, as_of: dt.date | str | None) -> Scenario:
        """A single-snapshot scenario holding the state in force at ``as_of``."""
        i = self.snapshot_index(as_of)
        snap = self.snapshots[i]
        st = self.state(i)
        base_sq = {s.id: s.status_quo for s in self.issues}
        base_lev = {(lv.source, lv.target): lv.weight for lv in self.leverage}
        flat = Snapshot(
            as_of=snap.as_of,
            label=snap.label,
            note=snap.note,
            inherit=False,
            capabilities=st.capabilities,
            status_quo={k: v for k, v in st.status_quo.items()
                        if v is not None and v != base_sq[k]},
            leverage=tuple(Leverage(source=a, target=b, weight=w)
                           for (a, b), w in st.leverage.items() if base_lev.get((a, b)) != w),
            evidence=snap.evidence,
            stances=st.stances,
        )
        return self._replaced(snapshots=(flat,))

    def restrict(self, issues: Sequence[str]) -> Scenario:
        """The same scenario with only ``issues`` (and the stances on them)."""
        unknown = [i for i in issues if i not in self.issue_index]
        if unknown:
            raise KeyError(f"unknown issue {unknown[0]!r} "
                           f"(known: {', '.join(sorted(self.issue_index)[:12])})")
        keep = set(issues)
        snaps = tuple(
            s.model_copy(update={
                "stances": tuple(st for st in s.stances if st.issue in keep),
                "status_quo": {k: v for k, v in s.status_quo.items() if k in keep},
            })
            for s in self.snapshots
        )
        return self._replaced(issues=tuple(i for i in self.issues if i.id in keep),
                              snapshots=snaps)

    def _replaced(self, **changes: Any) -> Scenario:
        """A validated copy with some fields replaced (a new instance: cached lookups of this
        one must not carry over, as they would with ``model_copy``)."""
        fields = {k: getattr(self, k) for k in type(self).model_fields}
        return Scenario(**{**fields, **changes})


def _dupes(ids: Iterator[str] | list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in ids:
        if i in seen:
            out.append(i)
        seen.add(i)
    return out


def _model_problems(sc: Scenario) -> Iterator[tuple[Loc, str, str | None]]:
    """The ``models:`` block: known models, known parameters, values they can take."""
    from detente.models.params import ParameterError, spec_of
    from detente.models.registry import REGISTRY

    for name, values in sc.models.items():
        if name not in REGISTRY:
            yield (("models", name), f"unknown model {name!r}",
                   f"choose from: {', '.join(REGISTRY)}")
            continue
        cls = REGISTRY[name]
        bad = False
        for key, value in values.items():
            try:
                if key == "preset":
                    cls.preset(str(value))
                else:
                    spec = spec_of(cls, key)
                    spec.parse(value) if isinstance(value, str) else spec.check(value)
            except ParameterError as exc:
                bad = True
                yield (("models", name, key), exc.message, exc.hint)
        if bad:
            continue
        try:
            model = cls.configure(values)
        except ParameterError as exc:  # a rule across parameters
            yield (("models", name), exc.message, exc.hint)
            continue
        for loc, message, hint in model.scenario_problems([a.id for a in sc.actors]):
            yield (("models", name, *loc), message, hint)


def _alias_problems(sc: Scenario) -> Iterator[tuple[Loc, str, str | None]]:
    """An alias names one actor only: not twice, not another actor's id or name."""
    owner: dict[str, str] = {}
    for a in sc.actors:
        for name in {a.id, a.name}:
            owner.setdefault(name.casefold(), a.id)
    seen: dict[str, str] = {}
    for i, a in enumerate(sc.actors):
        for k, alias in enumerate(a.aliases):
            key = alias.casefold()
            other = seen.get(key) or (owner[key] if owner.get(key, a.id) != a.id else None)
            if other is not None and other != a.id:
                yield (("actors", i, "aliases", k),
                       f"alias {alias!r} of actor {a.id!r} already names actor {other!r}",
                       "an alias must name one actor: remove it from one of them")
            seen.setdefault(key, a.id)


def _reference_problems(sc: Scenario) -> Iterator[tuple[Loc, str, str | None]]:
    """Cross-field checks: unique ids, known references, positions on scale, date order."""
    yield from _model_problems(sc)
    for field, items in (("actors", sc.actors), ("issues", sc.issues), ("sources", sc.sources)):
        ids = [x.id for x in items]
        for d in _dupes(ids):
            yield ((field, len(ids) - 1 - ids[::-1].index(d), "id"),
                   f"duplicate id {d!r}", "give each entry its own id")
    yield from _alias_problems(sc)
    actor_ids = {a.id for a in sc.actors}
    issues = {s.id: s for s in sc.issues}
    source_ids = {s.id for s in sc.sources}

    def unknown_actor(a: str) -> str:
        return f"unknown actor {a!r} (known: {', '.join(sorted(actor_ids)[:12])})"

    def evidence_problems(
        loc: Loc, ev: tuple[Evidence, ...]
    ) -> Iterator[tuple[Loc, str, str | None]]:
        for k, e in enumerate(ev):
            if e.source is not None and source_ids and e.source not in source_ids:
                yield ((*loc, "evidence", k, "source"), f"unknown source {e.source!r}",
                       "add it under 'sources' or fix the id")

    for i, actor in enumerate(sc.actors):
        yield from evidence_problems(("actors", i), actor.evidence)
    for j, iss in enumerate(sc.issues):
        yield from evidence_problems(("issues", j), iss.status_quo_evidence)
        if iss.outcome is not None:
            yield from evidence_problems(("issues", j, "outcome"), iss.outcome.evidence)
    def leverage_problems(
        loc: Loc, levs: tuple[Leverage, ...]
    ) -> Iterator[tuple[Loc, str, str | None]]:
        for k, lev in enumerate(levs):
            for end, who in (("from", lev.source), ("to", lev.target)):
                if who not in actor_ids:
                    yield ((*loc, k, end), unknown_actor(who), "use an id from 'actors'")
            if lev.source == lev.target:
                yield ((*loc, k), f"leverage of {lev.source!r} on itself",
                       "leverage links two different actors")
            yield from evidence_problems((*loc, k), lev.evidence)

    yield from leverage_problems(("leverage",), sc.leverage)

    dated = [snap.as_of for snap in sc.snapshots]
    if len(dated) > 1:
        for i, day in enumerate(dated):
            if day is None:
                yield (("snapshots", i, "as_of"), "missing date",
                       "every snapshot of a scenario with several needs an as_of date")
        for i in range(1, len(dated)):
            prev, cur = dated[i - 1], dated[i]
            if prev is not None and cur is not None and cur <= prev:
                yield (("snapshots", i, "as_of"), f"{cur} is not after the previous snapshot's "
                       f"{prev}", "list snapshots in date order, one per date")

    in_force: set[tuple[str, str]] = set()
    for i, snap in enumerate(sc.snapshots):
        if not snap.inherit:
            in_force = set()
        yield from leverage_problems(("snapshots", i, "leverage"), snap.leverage)
        yield from evidence_problems(("snapshots", i), snap.evidence)
        for iid, value in snap.status_quo.items():
            where: Loc = ("snapshots", i, "status_quo", iid)
            if iid not in issues:
                yield (where, f"unknown issue {iid!r}", "use an id from 'issues'")
            elif not issues[iid].scale.contains(value):
                s_ = issues[iid].scale
                yield (where, f"status quo {value:g} lies outside the scale "
                       f"[{s_.min:g}, {s_.max:g}] of issue {iid!r}", None)
        for who, est in snap.capabilities.items():
            if who not in actor_ids:
                yield (("snapshots", i, "capabilities", who), unknown_actor(who), None)
            elif (problem := _capability_problem(est)) is not None:
                yield (("snapshots", i, "capabilities", who), problem, None)
        seen: set[tuple[str, str]] = set()
        for k, st in enumerate(snap.stances):
            loc: Loc = ("snapshots", i, "stances", k)
            if st.actor not in actor_ids:
                yield ((*loc, "actor"), unknown_actor(st.actor), "use an id from 'actors'")
            issue = issues.get(st.issue)
            if issue is None:
                yield ((*loc, "issue"),
                       f"unknown issue {st.issue!r} (known: {', '.join(sorted(issues)[:12])})",
                       "use an id from 'issues'")
            elif st.position is not None:
                lo, hi = st.position.bounds()
                sc_ = issue.scale
                for x in {st.position.value, lo, hi}:
                    if not sc_.contains(x):
                        yield ((*loc, "position"),
                               f"position {x:g} lies outside the scale "
                               f"[{sc_.min:g}, {sc_.max:g}] of issue {issue.id!r}",
                               "fix the number or widen the issue's scale")
                        break
            key = (st.actor, st.issue)
            if key not in in_force:
                for q in ("position", "salience"):
                    if getattr(st, q) is None:
                        yield ((*loc, q), f"{q} is missing",
                               f"give it: no earlier snapshot has a stance of {st.actor!r} "
                               f"on {st.issue!r} to inherit from")
            if key in seen:
                yield (loc, f"second stance of {st.actor!r} on {st.issue!r} in this snapshot",
                       "keep one stance per actor and issue")
            seen.add(key)
            yield from evidence_problems(loc, st.evidence)
        in_force |= seen
    if not any(s.stances for s in sc.snapshots):
        yield (("snapshots",), "the scenario has no stances",
               "give at least one actor a position and salience on an issue")
