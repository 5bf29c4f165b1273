"""Model parameters declared once: type, default, unit, bounds and a one-line explanation.

A model's parameters are the fields of its frozen dataclass, each annotated with a
:class:`Param`::

    Q: Annotated[float, Param("chance the status quo persists unchallenged", unit="probability",
                              ge=0, le=1)] = 1.0

From that one declaration come the checks on every value (from Python, ``--set``, a
scenario file's ``models:`` block or the web app), the listing of ``detente models``, the
JSON Schema of the settings and the parameters stored with each run. Values are checked and
converted with pydantic (``"50"`` becomes 50 and ``"false"`` False where the type says so).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from detente.errors import InputError

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from detente.models.base import Model


@dataclass(frozen=True)
class Param:
    """What a parameter means: ``help`` (one line), ``unit`` and inclusive/exclusive bounds."""

    help: str
    unit: str = ""
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    #: The allowed values of a text parameter (a ``Literal`` type says the same); matched
    #: ignoring case, and ``aliases`` map other spellings onto them.
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Preset:
    """A named set of parameter values with a known reading in the literature."""

    help: str
    values: Mapping[str, Any]


class ParameterError(InputError, ValueError):
    """A parameter value the model cannot take (also a ``ValueError`` for Python callers)."""


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a model class, as declared."""

    model: str
    name: str
    annotation: Any
    default: Any
    info: Param
    #: False for settings that change how, not what, a model computes (e.g. an engine):
    #: they are not compared, stored or listed among the results' parameters.
    affects_results: bool = True

    @property
    def choices(self) -> tuple[Any, ...]:
        """The allowed values of an enumerated parameter, else ()."""
        ann = self.annotation
        if typing.get_origin(ann) is typing.Literal:
            return typing.get_args(ann)
        return self.info.choices

    @property
    def kind(self) -> str:
        """bool, int, float, choice, text or list (for forms and listings)."""
        ann = self.annotation
        if self.choices:
            return "choice"
        if ann is bool:
            return "bool"
        if ann is int:
            return "int"
        if ann is float:
            return "float"
        if ann is str:
            return "text"
        return "list"

    @property
    def bounds(self) -> str:
        """The bounds as text, e.g. "0 ≤ x ≤ 1" ("" when unbounded)."""
        p = self.info
        lo = f"{p.ge:g} ≤ " if p.ge is not None else f"{p.gt:g} < " if p.gt is not None else ""
        hi = f" ≤ {p.le:g}" if p.le is not None else f" < {p.lt:g}" if p.lt is not None else ""
        return f"{lo}{self.name}{hi}" if lo or hi else ""

    @functools.cached_property
    def _adapter(self) -> TypeAdapter[Any]:
        import annotated_types as at
        from pydantic import TypeAdapter

        p = self.info
        marks = [m for m in (at.Ge(p.ge) if p.ge is not None else None,
                             at.Gt(p.gt) if p.gt is not None else None,
                             at.Le(p.le) if p.le is not None else None,
                             at.Lt(p.lt) if p.lt is not None else None) if m is not None]
        ann = typing.Annotated[(self.annotation, *marks)] if marks else self.annotation
        return TypeAdapter(cast(Any, ann))

    def check(self, value: Any) -> Any:
        """``value`` converted to the declared type, or a ParameterError naming the field."""
        from pydantic import ValidationError

        where = f"{self.model}.{self.name}"
        if self.choices and isinstance(value, str):
            value = self._choice(value)
        if self.kind in ("int", "float") and isinstance(value, bool):
            raise ParameterError(f"must be a number, got {value!r}", field=where,
                                 hint=self.describe())
        try:
            out = self._adapter.validate_python(value)
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"]
            msg = msg.replace("Input should be", "must be").replace("Value error, ", "")
            raise ParameterError(f"{msg}, got {_short(value)}", field=where,
                                 hint=self.describe()) from None
        if isinstance(out, float) and not math.isfinite(out):
            raise ParameterError(f"must be a finite number, got {out!r}", field=where,
                                 hint=self.describe())
        return out

    def _choice(self, text: str) -> str:
        """The declared spelling of ``text`` among the choices (case ignored), or ``text``."""
        wanted = text.strip().lower()
        for choice in self.choices:
            if str(choice).lower() == wanted:
                return str(choice)
        for alias, choice in self.info.aliases.items():
            if alias.lower() == wanted:
                return choice
        if self.info.choices:  # a plain str annotation: the choices are the check
            raise ParameterError(f"unknown value {_short(text)}", field=f"{self.model}.{self.name}",
                                 hint=f"choose from: {', '.join(map(str, self.choices))}")
        return text

    def parse(self, text: str) -> Any:
        """A value written as text (``--set``): scalars as the type says, lists as YAML."""
        if self.kind == "list" and text.strip()[:1] in "[(":
            import yaml

            try:
                return self.check(yaml.safe_load(text.replace("(", "[").replace(")", "]")))
            except yaml.YAMLError:
                raise ParameterError(f"not a list: {_short(text)}",
                                     field=f"{self.model}.{self.name}",
                                     hint="write e.g. [a, b]") from None
        return self.check(text)

    def describe(self) -> str:
        """One line: type or choices, bounds, unit and default."""
        parts = [f"one of: {', '.join(map(str, self.choices))}" if self.choices else self.kind]
        if self.bounds:
            parts.append(self.bounds)
        if self.info.unit:
            parts.append(self.info.unit)
        parts.append(f"default {_plain(self.default)}")
        return "; ".join(parts)

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the parameter's values (text is accepted for scalars too)."""
        schema: dict[str, Any] = {"description": self.info.help, "default": _plain(self.default)}
        if self.choices:
            schema["enum"] = list(self.choices)
        elif self.kind == "bool":
            schema["type"] = "boolean"
        elif self.kind in ("int", "float"):
            schema["type"] = "integer" if self.kind == "int" else "number"
            for key, name in (("ge", "minimum"), ("gt", "exclusiveMinimum"),
                              ("le", "maximum"), ("lt", "exclusiveMaximum")):
                if getattr(self.info, key) is not None:
                    schema[name] = getattr(self.info, key)
        elif self.kind == "text":
            schema["type"] = "string"
        else:
            schema["type"] = "array"
        return schema

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (settings forms, ``detente models --format json``)."""
        p = self.info
        return {"name": self.name, "kind": self.kind, "default": _plain(self.default),
                "help": p.help, "unit": p.unit or None, "choices": list(self.choices) or None,
                "ge": p.ge, "gt": p.gt, "le": p.le, "lt": p.lt,
                "affects_results": self.affects_results}


def _plain(value: Any) -> Any:
    """Tuples as lists, for JSON and for printing."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def specs(cls: type[Model]) -> tuple[ParamSpec, ...]:
    """Every declared parameter of ``cls``, in field order."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for f in dataclasses.fields(cls):
        ann = hints[f.name]
        info = next((m for m in getattr(ann, "__metadata__", ()) if isinstance(m, Param)), None)
        if info is None:
            raise TypeError(f"{cls.__name__}.{f.name} has no Param(...) annotation")
        base = typing.get_args(ann)[0]
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        out.append(ParamSpec(cls.name, f.name, base, default, info, affects_results=f.compare))
    return tuple(out)


def check_fields(model: Model) -> None:
    """Check and convert every field of a freshly built model in place (``__post_init__``)."""
    for spec in specs(type(model)):
        value = getattr(model, spec.name)
        checked = spec.check(value)
        if checked is not value:
            object.__setattr__(model, spec.name, checked)


def spec_of(cls: type[Model], name: str) -> ParamSpec:
    """The parameter ``name`` of ``cls``, or an error listing the valid names."""
    for spec in specs(cls):
        if spec.name == name:
            return spec
    valid = [*(["preset"] if cls.presets else []), *(s.name for s in specs(cls))]
    raise ParameterError(
        f"model {cls.name!r} has no parameter {name!r}", field=f"{cls.name}.{name}",
        hint=f"valid: {', '.join(valid)}" if valid else "it takes no parameters")
