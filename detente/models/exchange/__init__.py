"""Stokman's exchange model: the model, its round engine and the terms of an exchange."""

from detente.models.exchange.model import SOLUTIONS, Exchange, ExchangeRun, TradeView, exchange_run

__all__ = ["SOLUTIONS", "Exchange", "ExchangeRun", "TradeView", "exchange_run"]
