"""What a sweep varies and how: the variables, their ranges, the sample and the Monte Carlo.

A variable is a path and a range, written ``PATH=LO:HI`` on the command line:

- ``actors.A.capability`` — actor A's general capability (above 0);
- ``stances.A.I.position`` / ``stances.A.I.salience`` — A's stance on issue I (a position
  within I's scale; a salience on 0–100);
- ``issues.I.status_quo`` — I's status quo, within its scale;
- ``MODEL.PARAM`` — a numeric parameter of a model the sweep runs (``eum.Q``), checked
  against its declaration like ``--set`` (integer parameters take whole values).

:func:`check` validates every variable against the scenario and the models before any work
starts: every variation then lies inside what the scenario and the models accept, since the
sampled values lie within the ranges.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from detente.errors import InputError
from detente.scenario import Scenario

Kind = Literal["capability", "position", "salience", "status_quo", "parameter"]
SampleMethod = Literal["lhs", "sobol", "grid"]
SAMPLE_METHODS: tuple[str, ...] = ("lhs", "sobol", "grid")
#: Variations a sweep may have at most (a grid grows as n ** variables).
MAX_VARIATIONS = 10_000_000
#: Saliences in a sweep are on 0-100 (docs/decisions/sweeps.md, SWP-4).
SALIENCE_TOP = 100.0
#: Model-draws per task the default batch aims at (a task of about a second for the EUM on
#: the Korea case): tasks are sized by the job, not by the workers (SWP-1).
TASK_MODEL_DRAWS = 20_000

PATHS = ("actors.A.capability", "stances.A.I.position", "stances.A.I.salience",
         "issues.I.status_quo", "MODEL.PARAM")


@dataclass(frozen=True)
class Variable:
    """One varied input: its path as written, its range and what it sets."""

    path: str
    low: float
    high: float
    kind: Kind
    actor: str | None = None
    issue: str | None = None
    model: str | None = None
    param: str | None = None
    integer: bool = False

    @property
    def scale(self) -> float:
        """Factor from the value as written to the value the arrays hold (saliences: 0–1)."""
        return 1.0 / SALIENCE_TOP if self.kind == "salience" else 1.0


def parse_path(path: str, low: float, high: float, where: str) -> Variable:
    """A variable from its path (syntax only; :func:`check` checks the names)."""
    parts = path.strip().split(".")
    if parts[0] == "actors" and len(parts) == 3 and parts[2] == "capability":
        return Variable(path, low, high, "capability", actor=parts[1])
    if parts[0] == "stances" and len(parts) == 4 and parts[3] in ("position", "salience"):
        kind: Kind = "position" if parts[3] == "position" else "salience"
        return Variable(path, low, high, kind, actor=parts[1], issue=parts[2])
    if parts[0] == "issues" and len(parts) == 3 and parts[2] == "status_quo":
        return Variable(path, low, high, "status_quo", issue=parts[1])
    if len(parts) == 2 and parts[0] not in ("actors", "stances", "issues") and all(parts):
        return Variable(path, low, high, "parameter", model=parts[0], param=parts[1])
    raise InputError(f"cannot vary {path!r}", field=where,
                     hint=f"paths: {', '.join(PATHS)}")


def _number(text: Any, what: str, where: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{what} is not a number: {text!r}", field=where,
                         hint="write PATH=LO:HI, e.g. actors.usa.capability=50:150") from None
    if not math.isfinite(value):
        raise InputError(f"{what} must be a finite number, got {text!r}", field=where)
    return value


def parse_vary(text: str, where: str = "--vary") -> Variable:
    """``"actors.usa.capability=50:150"`` as a variable (names checked later by ``check``)."""
    path, eq, rng = text.partition("=")
    lo, colon, hi = rng.partition(":")
    if not eq or not colon or not path.strip():
        raise InputError(f"expected PATH=LO:HI, got {text!r}", field=where,
                         hint="e.g. --vary actors.usa.capability=50:150 or --vary eum.Q=0.5:1")
    where = f"{where} {path.strip()}"
    return parse_path(path, _number(lo, "LO", where), _number(hi, "HI", where), where)


@dataclass(frozen=True)
class SweepSpec:
    """A sweep: variables, the sample of variations, and each variation's Monte Carlo.

    ``n`` is the number of variations for ``lhs`` and ``sobol``, and the number of levels per
    variable for ``grid`` (n ** variables variations, as in the EMA Workbench's full
    factorial). ``settings`` are fixed model settings (as ``--set``) under the varied ones;
    ``batch`` the variations per task (default: about :data:`TASK_MODEL_DRAWS` model-draws).
    """

    variables: tuple[Variable, ...]
    n: int
    sample: SampleMethod = "lhs"
    draws: int = 100
    seed: int = 0
    models: tuple[str, ...] = ("eum",)
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    as_of: str | None = None
    rounds: int | None = None
    position_sd: float = 0.0
    salience_sd: float = 0.0
    capability_sd: float = 0.0
    range_shape: str = "triangular"
    batch: int | None = None

    @property
    def variations(self) -> int:
        k = len(self.variables)
        return self.n ** k if self.sample == "grid" else self.n

    @property
    def task_size(self) -> int:
        """Variations per task."""
        if self.batch is not None:
            return self.batch
        return max(1, TASK_MODEL_DRAWS // max(1, self.draws * len(self.models)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as stored with the sweep (and read back by :meth:`from_dict`)."""
        doc = asdict(self)
        doc["variables"] = [asdict(v) for v in self.variables]
        doc["models"] = list(self.models)
        doc["settings"] = {k: dict(v) for k, v in self.settings.items()}
        return doc

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> SweepSpec:
        """The spec of a stored document (keys stored beside it are ignored)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in doc.items() if k in names}
        values["variables"] = tuple(Variable(**v) for v in values["variables"])
        values["models"] = tuple(values["models"])
        return cls(**values)


def _whole(value: Any, name: str, minimum: int, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"{name} must be a whole number >= {minimum}, got {value!r}",
                         field=f"--{name}", hint=hint)
    return value


def check(spec: SweepSpec, scenario: Scenario, where: Sequence[str] | None = None
          ) -> SweepSpec:
    """The spec with every variable checked against ``scenario`` and the models, or a
    one-line error naming the variable (``where[k]`` names variable k for the user)."""
    from detente.forecasting import snapshot_index

    _whole(spec.n, "n", 1, "the number of variations (grid: levels per variable)")
    _whole(spec.draws, "draws", 1, "Monte Carlo draws per variation")
    _whole(spec.seed, "seed", 0, "any whole number")
    if spec.batch is not None:
        _whole(spec.batch, "batch", 1, "variations per task")
    if spec.sample not in SAMPLE_METHODS:
        raise InputError(f"unknown sample {spec.sample!r}", field="--sample",
                         hint=f"choose from: {', '.join(SAMPLE_METHODS)}")
    from detente.uncertainty.inputs import RANGE_SHAPES, DefaultUncertainty

    if spec.range_shape not in RANGE_SHAPES:
        raise InputError(f"unknown range shape {spec.range_shape!r}", field="--range-shape",
                         hint=f"choose from: {', '.join(RANGE_SHAPES)}")
    DefaultUncertainty(spec.position_sd, spec.salience_sd, spec.capability_sd)  # checks them
    if not spec.variables:
        raise InputError("nothing to vary", field="--vary",
                         hint="e.g. --vary actors.usa.capability=50:150")
    if not spec.models:
        raise InputError("no model to run", field="--model", hint="e.g. -m eum")
    if spec.sample == "grid" and spec.n < 2:
        raise InputError("a grid needs at least 2 levels per variable", field="--n")
    if spec.variations > MAX_VARIATIONS:
        raise InputError(f"{spec.variations:,} variations is more than {MAX_VARIATIONS:,}",
                         field="--n", hint="a grid has n ** variables variations; lower --n")
    index = snapshot_index(scenario, spec.as_of)
    names = where or [f"--vary {v.path}" for v in spec.variables]
    seen: set[str] = set()
    out = []
    for var, name in zip(spec.variables, names, strict=True):
        if var.path in seen:
            raise InputError(f"{var.path} is varied twice", field=name, hint="vary it once")
        seen.add(var.path)
        out.append(_check_variable(var, scenario, index, spec.models, name))
    return replace(spec, variables=tuple(out))


def _check_variable(var: Variable, scenario: Scenario, snapshot: int,
                    models: Sequence[str], where: str) -> Variable:
    if not var.low < var.high:
        raise InputError(f"the range {var.low:g}:{var.high:g} is empty", field=where,
                         hint="write LO:HI with LO < HI")
    for what, name, ids in (("actor", var.actor, [a.id for a in scenario.actors]),
                            ("issue", var.issue, [s.id for s in scenario.issues])):
        if name is not None and name not in ids:
            near = [i for i in ids if i.lower() == name.lower()]
            hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(ids[:12])}"
            raise InputError(f"unknown {what} {name!r}", field=where, hint=hint)

    def inside(lo: float, hi: float, what: str) -> None:
        if var.low < lo or var.high > hi:
            raise InputError(f"the range {var.low:g}:{var.high:g} lies outside {what} "
                             f"[{lo:g}, {hi:g}]", field=where,
                             hint="choose a range within it")

    if var.kind == "capability":
        if var.low <= 0:
            raise InputError(f"capabilities are above 0, got {var.low:g}:{var.high:g}",
                             field=where, hint="choose a range above 0")
    elif var.kind in ("position", "salience"):
        state = scenario.state(snapshot)
        if not any(s.actor == var.actor and s.issue == var.issue for s in state.stances):
            raise InputError(f"actor {var.actor!r} takes no stance on issue {var.issue!r}",
                             field=where, hint="vary a stance the snapshot has")
        if var.kind == "position":
            scale = scenario.issue(str(var.issue)).scale
            inside(scale.min, scale.max, f"the scale of issue {var.issue!r}")
        else:
            if var.high <= 1.0:
                raise InputError(
                    f"saliences in a sweep are on 0-100, got {var.low:g}:{var.high:g}",
                    field=where, hint=f"write e.g. {var.low * 100:g}:{var.high * 100:g}")
            inside(0.0, SALIENCE_TOP, "the salience scale")
    elif var.kind == "status_quo":
        scale = scenario.issue(str(var.issue)).scale
        inside(scale.min, scale.max, f"the scale of issue {var.issue!r}")
    else:
        return _check_parameter(var, models, where)
    return var


def _check_parameter(var: Variable, models: Sequence[str], where: str) -> Variable:
    from detente.models.params import spec_of
    from detente.models.registry import REGISTRY

    assert var.model is not None and var.param is not None
    try:
        cls = REGISTRY.cls(var.model)
        spec = spec_of(cls, var.param)
    except InputError as exc:
        raise InputError(exc.message, field=where, hint=exc.hint) from None
    if var.model not in models:
        raise InputError(f"model {var.model!r} is not run in this sweep", field=where,
                         hint=f"add -m {var.model}")
    if spec.kind not in ("int", "float"):
        raise InputError(f"{var.path} is a {spec.kind} parameter; only numbers can be varied",
                         field=where, hint=spec.describe())
    integer = spec.kind == "int"
    if integer and not (var.low.is_integer() and var.high.is_integer()):
        raise InputError(f"{var.path} takes whole numbers, got {var.low:g}:{var.high:g}",
                         field=where, hint=spec.describe())
    for end in (var.low, var.high):
        try:
            spec.check(int(end) if integer else end)
        except InputError as exc:
            raise InputError(f"the range {var.low:g}:{var.high:g}: {exc.message}",
                             field=where, hint=exc.hint) from None
    return replace(var, integer=integer)


# ------------------------------------------------------------------ sweep files

FILE_KEYS = ("scenario", "vary", "sample", "n", "draws", "seed", "models", "set", "as_of",
             "rounds", "position_sd", "salience_sd", "capability_sd", "range_shape", "batch")


def read_sweep_file(path: Path) -> tuple[SweepSpec, Path | None, list[str]]:
    """A YAML sweep file: the spec, the scenario it names (relative to the file) and where
    each variable is written (for errors).

    ::

        scenario: korea-2018.yaml
        vary:
          actors.usa.capability: [50, 150]
          eum.Q: 0.5:1.0
        sample: lhs
        n: 500
        draws: 200
        models: [eum, compromise]
        set: {eum.rounds: 20}
    """
    import yaml

    from detente.models.settings import parse_assignments

    name = str(path)

    class Loader(yaml.SafeLoader):
        """YAML 1.1 reads ``2:8`` as the base-60 number 128; here it stays ``"2:8"``."""

    def number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        if ":" in str(node.value):
            return str(node.value)
        tag = str(node.tag).rsplit(":", 1)[-1]
        if tag == "int":
            return yaml.SafeLoader.construct_yaml_int(loader, node)
        return yaml.SafeLoader.construct_yaml_float(loader, node)

    Loader.add_constructor("tag:yaml.org,2002:int", number)
    Loader.add_constructor("tag:yaml.org,2002:float", number)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError("not valid YAML", file=name,
                         line=None if line is None else line + 1) from None
    if not isinstance(doc, dict):
        raise InputError("a sweep file is a mapping (vary:, n:, ...)", file=name)
    unknown = sorted(set(doc) - set(FILE_KEYS))
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r}", file=name, field=unknown[0],
                         hint=f"keys: {', '.join(FILE_KEYS)}")
    vary = doc.get("vary")
    if not isinstance(vary, dict) or not vary:
        raise InputError("vary: maps each PATH to [LO, HI]", file=name, field="vary",
                         hint="e.g. vary: {actors.usa.capability: [50, 150]}")
    variables, where = [], []
    for key, rng in vary.items():
        here = f"{name}: vary.{key}"
        if isinstance(rng, str):
            variables.append(parse_vary(f"{key}={rng}", here))
        elif isinstance(rng, list) and len(rng) == 2:
            variables.append(parse_path(str(key), _number(rng[0], "LO", here),
                                        _number(rng[1], "HI", here), here))
        else:
            raise InputError(f"expected [LO, HI] or LO:HI, got {rng!r}", field=here)
        where.append(here)
    sets = doc.get("set") or {}
    if not isinstance(sets, dict):
        raise InputError("set: maps MODEL.PARAM to a value", file=name, field="set")
    settings = parse_assignments([f"{k}={v}" for k, v in sets.items()], option=f"{name}: set")
    models = doc.get("models", ["eum"])
    models = [models] if isinstance(models, str) else models
    values = {k: doc[k] for k in ("sample", "n", "draws", "seed", "as_of", "rounds",
                                  "position_sd", "salience_sd", "capability_sd",
                                  "range_shape", "batch") if k in doc}
    if "n" not in values:
        raise InputError("n: the number of variations is missing", file=name, field="n")
    if "as_of" in values:
        values["as_of"] = str(values["as_of"])
    spec = SweepSpec(variables=tuple(variables), models=tuple(map(str, models)),
                     settings=settings, **values)
    scenario = doc.get("scenario")
    target = None if scenario is None else (path.parent / str(scenario))
    return spec, target, where
