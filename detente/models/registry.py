"""The registry that names the models: built-in and third-party ones, registered the same way.

A model is registered under its ``name`` either directly (``REGISTRY.register(MyModel)``, or
``@register`` on the class) or lazily by the import path of its class, so that listing the
names imports no model code::

    REGISTRY.register_path("mymodel", "mypackage.models:MyModel")

Installed packages register models through the ``detente.models`` entry-point group
(``mymodel = "mypackage.models:MyModel"`` under ``[project.entry-points."detente.models"]``
in their ``pyproject.toml``); detente's own models are registered with the same call in
``detente.models``. Models registered with ``default=False`` (the ensemble) run only when
named; the others make up "every model".
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from detente.errors import InputError

if TYPE_CHECKING:
    from detente.models.base import Model

ENTRY_POINTS = "detente.models"


@dataclass
class _Entry:
    name: str
    path: str | None
    cls: type[Model] | None
    default: bool

    def load(self) -> type[Model]:
        if self.cls is None:
            assert self.path is not None
            module, _, attr = self.path.partition(":")
            try:
                self.cls = getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError) as exc:
                raise InputError(f"model {self.name!r} cannot be loaded from {self.path}: "
                                 f"{exc}", hint="reinstall the package that provides it"
                                 ) from None
        return self.cls


class Registry(Mapping[str, "type[Model]"]):
    """Model classes by name; a class is imported when first asked for."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._plugins_loaded = False

    # ------------------------------------------------------------------ registering

    def register(self, cls: type[Model], *, default: bool = True) -> type[Model]:
        """Register ``cls`` under ``cls.name`` (replacing an entry of that name)."""
        self._entries[cls.name] = _Entry(cls.name, None, cls, default)
        return cls

    def register_path(self, name: str, path: str, *, default: bool = True) -> None:
        """Register the class at ``"module:Class"`` under ``name``, imported on first use."""
        if ":" not in path:
            raise ValueError(f"a model path looks like 'package.module:Class', got {path!r}")
        self._entries[name] = _Entry(name, path, None, default)

    def unregister(self, name: str) -> None:
        """Remove the model registered as ``name`` (nothing if there is none)."""
        self._entries.pop(name, None)

    def _plugins(self) -> None:
        """Models of installed packages (entry points), once; built-ins keep their names."""
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        from importlib.metadata import entry_points

        for ep in entry_points(group=ENTRY_POINTS):
            if ep.name not in self._entries:
                self.register_path(ep.name, ep.value)

    # ------------------------------------------------------------------ looking up

    def __getitem__(self, name: str) -> type[Model]:
        if name not in self._entries:
            self._plugins()
        return self._entries[name].load()

    def __iter__(self) -> Iterator[str]:
        self._plugins()
        return iter(self._entries)

    def __len__(self) -> int:
        self._plugins()
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        if name not in self._entries:
            self._plugins()
        return name in self._entries

    def builtin_names(self) -> tuple[str, ...]:
        """The names registered so far, without looking for installed packages' models."""
        return tuple(self._entries)

    def defaults(self) -> tuple[str, ...]:
        """The models that run when none is named ("every model")."""
        self._plugins()
        return tuple(n for n, e in self._entries.items() if e.default)

    def cls(self, name: str) -> type[Model]:
        """The class registered as ``name``, or an error listing the names."""
        if name not in self:
            raise InputError(f"unknown model {name!r}", field="--model",
                             hint=f"choose from: {', '.join(self)}")
        return self[name]

    def create(self, name: str, values: Mapping[str, Any] | None = None) -> Model:
        """An instance of the model ``name`` with ``values`` over its defaults."""
        return self.cls(name).configure(values)


REGISTRY = Registry()


def register(cls: type[Model]) -> type[Model]:
    """Class decorator: add a model class to the registry under its ``name``."""
    return REGISTRY.register(cls)
