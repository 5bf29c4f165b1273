"""What detente learned on the DEU III development split, shipped as package data.

``detente/data/learned_deu_dev.json`` holds the ensemble's weights and each model's
calibration (model-error sd), fitted on all 230 scored issues of the development split by
``detente backtest deu3-dev.tsv --save-learned FILE``, with the file's SHA-256 and the
cross-validated scores. Backtests with too few cases to learn from use these.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

PATH = "data/learned_deu_dev.json"


@cache
def learned() -> dict[str, Any]:
    """The shipped document (see the module docstring)."""
    text = resources.files("detente").joinpath(PATH).read_text("utf-8")
    out: dict[str, Any] = json.loads(text)
    return out
