"""Self-contained HTML reports and single charts."""

from __future__ import annotations

from detente.report.builder import build_report
from detente.report.contract import TornadoInput

__all__ = ["TornadoInput", "build_report"]
