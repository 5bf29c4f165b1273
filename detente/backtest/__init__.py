"""Backtesting and calibration: forecasts and probabilities against recorded outcomes.

``backtest(scenario)`` scores each model per snapshot (mean absolute error, share within 10
and 20 points, Brier score and reliability table of threshold questions) and an ensemble of
the models, cross-validated by case where there are enough cases. See ``docs/uncertainty.md``.
"""

from __future__ import annotations

from detente.backtest.metrics import brier, mae, reliability, within
from detente.backtest.runner import Backtest, ModelScore, SnapshotBacktest, backtest

__all__ = ["Backtest", "ModelScore", "SnapshotBacktest", "backtest", "brier", "mae",
           "reliability", "within"]
