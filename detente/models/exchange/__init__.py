"""Stokman's exchange model: the model, its round engine and the terms of an exchange."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.models.exchange.model import (
        SOLUTIONS as SOLUTIONS,
    )
    from detente.models.exchange.model import (
        Exchange as Exchange,
    )
    from detente.models.exchange.model import (
        ExchangeRun as ExchangeRun,
    )
    from detente.models.exchange.model import (
        TradeView as TradeView,
    )
    from detente.models.exchange.model import (
        exchange_run as exchange_run,
    )

_LAZY = {
    "SOLUTIONS": "detente.models.exchange.model",
    "Exchange": "detente.models.exchange.model",
    "ExchangeRun": "detente.models.exchange.model",
    "TradeView": "detente.models.exchange.model",
    "exchange_run": "detente.models.exchange.model",
}


def __getattr__(name: str) -> Any:
    """The package's public names, imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SOLUTIONS",
    "Exchange",
    "ExchangeRun",
    "TradeView",
    "exchange_run",
]
