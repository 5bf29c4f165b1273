"""Model settings from the command line (``--set MODEL.PARAM=VALUE``) and scenario files.

Settings are a mapping model name → parameter name → value; the value ``preset`` names one
of the model's presets. They come in layers, later ones winning: the scenario file's
``models:`` block, then the command line. :func:`build` turns names and settings into model
instances, checking every value against the parameter's declaration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from detente.errors import InputError
from detente.models.registry import REGISTRY

if TYPE_CHECKING:
    from detente.models.base import Model

Settings = dict[str, dict[str, Any]]


def parse_assignments(items: Sequence[str], *, option: str = "--set") -> Settings:
    """``["eum.Q=0.5", "smp.rounds=50"]`` as settings, each name and value checked.

    Values are read as the parameter's type says (``"false"`` a bool, ``"[a, b]"`` a list);
    a problem is an error naming ``option`` and the assignment.
    """
    from detente.models.params import spec_of

    out: Settings = {}
    for item in items:
        key, eq, value = item.partition("=")
        model, dot, param = key.strip().partition(".")
        if not eq or not dot or not model or not param:
            raise InputError(f"expected MODEL.PARAM=VALUE, got {item!r}", field=option,
                             hint="e.g. --set eum.Q=0.8 or --set eum.preset=scholz-code")
        try:
            cls = REGISTRY.cls(model)
            if param == "preset":
                cls.preset(value.strip())
                parsed: Any = value.strip()
            else:
                parsed = spec_of(cls, param).parse(value.strip())
        except InputError as exc:
            raise InputError(exc.message, field=f"{option} {model}.{param}", hint=exc.hint
                             ) from None
        out.setdefault(model, {})[param] = parsed
    return out


def merge(*layers: Mapping[str, Mapping[str, Any]] | None) -> Settings:
    """One settings mapping from several, each parameter taken from the last layer giving it."""
    out: Settings = {}
    for layer in layers:
        for model, values in (layer or {}).items():
            out.setdefault(model, {}).update(values)
    return out


def configured(name: str, settings: Mapping[str, Mapping[str, Any]] | None = None) -> Model:
    """The model ``name`` with its settings (an ensemble's members with theirs)."""
    settings = settings or {}
    return REGISTRY.create(name, settings.get(name)).with_settings(settings)


def changed_parameters(model: Model) -> dict[str, Any]:
    """The parameters whose values differ from the model's defaults."""
    defaults = type(model)().parameters()
    return {k: v for k, v in model.parameters().items() if defaults.get(k) != v}



def settings_schema() -> dict[str, Any]:
    """JSON Schema of a ``models:`` block: every registered model and its parameters."""
    props: dict[str, Any] = {}
    for name in REGISTRY:
        cls = REGISTRY[name]
        params: dict[str, Any] = {}
        if cls.presets:
            params["preset"] = {"description": "; ".join(
                f"{k}: {p.help}" for k, p in cls.presets.items()), "enum": list(cls.presets)}
        for spec in cls.parameter_specs():
            params[spec.name] = spec.json_schema()
        props[name] = {"description": cls.label, "type": "object", "properties": params,
                       "additionalProperties": False}
    return {"description": "Model settings: model -> parameter -> value (the command line's "
            "--set wins over them).", "type": "object", "properties": props,
            "additionalProperties": False}
