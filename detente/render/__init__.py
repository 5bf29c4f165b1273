"""Results as text: rich tables for people, JSON, CSV and Markdown for programs.

One module per kind of result (``forecast``, ``simulation``, ``explain``, ``backtest``,
``analysis``, ``exchange``, ``workspace``, ``models``); ``numbers`` formats values the same
way everywhere. The HTML report lives in :mod:`detente.report`.
"""
