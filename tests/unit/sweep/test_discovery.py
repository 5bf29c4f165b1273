"""PRIM finds the region where the cases of interest are; feature scores rank the inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ema_workbench")

from detente.sweep.discovery import feature_scores, prim_boxes


def _cases(n: int = 1000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(3)
    x = pd.DataFrame({"capability": rng.uniform(50, 150, n), "salience": rng.uniform(0, 100, n),
                      "noise": rng.uniform(0, 1, n)})
    p = ((x["capability"] <= 90) & (x["salience"] >= 70)).to_numpy(float) * 0.9
    return x, p


def test_prim_recovers_the_box() -> None:
    x, p = _cases()
    (box,) = prim_boxes(x, p > 0.5, min_density=0.9, boxes=1)
    limits = {lim.variable: lim for lim in box.limits}
    assert set(limits) == {"capability", "salience"}  # noise is left alone
    assert limits["capability"].high == pytest.approx(90, abs=4)
    assert limits["capability"].qp_low is None  # only the upper side is restricted
    assert limits["salience"].low == pytest.approx(70, abs=4)
    assert box.density >= 0.9 and box.coverage >= 0.8
    assert "capability ≤ 9" in box.describe() and "salience ≥ 6" in box.describe()
    assert len(box.trajectory) > 2 and box.trajectory[box.chosen][:2] == (
        box.coverage, box.density)


def test_feature_scores_rank_the_inputs_that_matter_first() -> None:
    x, p = _cases()
    scores = dict(feature_scores(x, p))
    assert min(scores["capability"], scores["salience"]) > 3 * scores["noise"]
    assert sum(scores.values()) == pytest.approx(1.0)
