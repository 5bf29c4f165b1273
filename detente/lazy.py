"""Package namespaces whose names are imported on first use (PEP 562).

A package's ``__init__`` lists its public names and the modules that define them::

    __getattr__ = lazy_names(__name__, {"Backtest": "detente.backtest.runner"})

so that importing the package imports none of them; a ``TYPE_CHECKING`` block beside it
gives type checkers the same names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``names[name]`` and returns its ``name``.

    A value ``"module:attr"`` returns ``attr`` of ``module`` under the name.
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = names[name].partition(":")
        return getattr(importlib.import_module(module), attr or name)

    return __getattr__
