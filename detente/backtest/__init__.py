"""Backtesting and calibration: forecasts and probabilities against recorded outcomes.

``backtest(scenario)`` scores each model per snapshot (mean absolute error, share within 10
and 20 points, Brier score and reliability table of threshold questions) and an ensemble of
the models, cross-validated by case where there are enough cases. See ``docs/uncertainty.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.backtest.metrics import brier as brier
    from detente.backtest.metrics import mae as mae
    from detente.backtest.metrics import reliability as reliability
    from detente.backtest.metrics import within as within
    from detente.backtest.runner import Backtest as Backtest
    from detente.backtest.runner import ModelScore as ModelScore
    from detente.backtest.runner import SnapshotBacktest as SnapshotBacktest
    from detente.backtest.runner import backtest as backtest

__getattr__ = lazy_names(__name__, {
    "Backtest": "detente.backtest.runner",
    "ModelScore": "detente.backtest.runner",
    "SnapshotBacktest": "detente.backtest.runner",
    "backtest": "detente.backtest.runner",
    "brier": "detente.backtest.metrics",
    "mae": "detente.backtest.metrics",
    "reliability": "detente.backtest.metrics",
    "within": "detente.backtest.metrics",
})

__all__ = [
    "Backtest",
    "ModelScore",
    "SnapshotBacktest",
    "backtest",
    "brier",
    "mae",
    "reliability",
    "within",
]
