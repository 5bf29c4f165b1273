"""The models as documents and as text: what ``detente models`` shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Group

    from detente.models.base import Model


def model_document(cls: type[Model]) -> dict[str, Any]:
    """A model class described: name, label, citation, tags, parameters and presets."""
    from detente.models.registry import REGISTRY

    return {
        "name": cls.name,
        "label": cls.label,
        "citation": cls.citation,
        "default": cls.name in REGISTRY.defaults(),
        "tags": list(cls().tags().names()),
        "parameters": [s.to_dict() for s in cls.parameter_specs()],
        "presets": {k: {"help": p.help, "values": _plain(dict(p.values))}
                    for k, p in cls.presets.items()},
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def models_text(docs: Sequence[dict[str, Any]]) -> Group:
    """Each model: a heading line, its parameters (one line each), presets and citation."""
    from rich.console import Group
    from rich.text import Text

    parts: list[Text] = []
    for doc in docs:
        head = Text.assemble((doc["name"], "bold"), f" — {doc['label']}")
        tags = ", ".join(doc["tags"]) or "—"
        head.append(f"  [{tags}{'' if doc['default'] else '; runs when named'}]", style="dim")
        parts.append(head)
        for p in doc["parameters"]:
            kind = f"one of {'|'.join(map(str, p['choices']))}" if p["choices"] else p["kind"]
            bounds = " ".join(f"{sym}{p[k]:g}" for k, sym in
                              (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
                              if p[k] is not None)
            unit = f", {p['unit']}" if p["unit"] else ""
            default = p["default"]
            line = Text(f"  {p['name']} = {default!r}", style="cyan")
            line.append(f"  ({kind}{' ' + bounds if bounds else ''}{unit}) {p['help']}",
                        style="")
            parts.append(line)
        for name, preset in doc["presets"].items():
            values = ", ".join(f"{k}={v!r}" for k, v in preset["values"].items())
            parts.append(Text(f"  preset {name}: {preset['help']} ({values})", style="green"))
        parts.append(Text(f"  {doc['citation']}\n", style="dim"))
    return Group(*parts)
