"""What detente learned on the DEU III development split, shipped as package data.

``detente/data/learned_deu_dev.json`` holds the ensemble's weights and each model's
calibration (model-error sd), fitted on all 230 scored issues of the development split by
``detente backtest deu3-dev.tsv --save-learned FILE``, with the file's SHA-256 and the
cross-validated scores. Backtests with too few cases to learn from use these.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.errors import InputError
from detente.version import version

if TYPE_CHECKING:
    from detente.backtest.runner import Backtest

PATH = "data/learned_deu_dev.json"


@cache
def learned() -> dict[str, Any]:
    """The shipped document (see the module docstring)."""
    text = resources.files("detente").joinpath(PATH).read_text("utf-8")
    out: dict[str, Any] = json.loads(text)
    return out


def learned_document(bt: Backtest, file: Path) -> dict[str, Any]:
    """Ensemble weights and model-error sds fitted on every case, with their provenance."""
    snap = bt.snapshots[bt.main]
    score = snap.scores.get("ensemble")
    if snap.weights is None or score is None or not score.note or "cross" not in score.note:
        raise InputError("nothing cross-validated to save", field="--save-learned",
                         hint="it needs at least 20 scored issues in 5 or more cases")
    if bt.draws == 0:
        raise InputError("calibration needs draws", field="--save-learned",
                         hint="run with --draws 100 or more")
    return {
        "learned_on": f"{file.name} ({score.n} scored issues)",
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
        "detente_version": version(),
        "draws": bt.draws,
        "seed": bt.seed,
        "default_sd": {"position": bt.defaults.position, "salience": bt.defaults.salience,
                       "capability": bt.defaults.capability},
        "ensemble": {
            "members": list(snap.weights),
            "weights": list(snap.weights.values()),
            "fit": "least squares on the simplex",
            "cross_validated_mae": score.mae,
            "member_mae": {k: v.mae for k, v in snap.scores.items() if k != "ensemble"},
        },
        "model_error_sd": {k: v.model_error_sd for k, v in snap.scores.items()},
        "cross_validated_brier": {k: {"input_uncertainty_only": v.brier,
                                      "calibrated": v.brier_calibrated}
                                  for k, v in snap.scores.items()},
    }
