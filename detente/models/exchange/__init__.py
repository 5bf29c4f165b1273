"""Stokman's exchange model: the model, its round engine and the terms of an exchange."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

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


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "SOLUTIONS",
    "Exchange",
    "ExchangeRun",
    "TradeView",
    "exchange_run",
]
