"""Timelines: each model at each snapshot, with simulation intervals when given."""

from __future__ import annotations

import numpy as np
import pytest

import detente
from detente.analysis.timeline import timeline
from detente.errors import InputError
from tests.helpers import EXAMPLES
from tests.simulation_fixtures import fake_simulation, simulation_document


@pytest.fixture(scope="module")
def korea() -> detente.Scenario:
    return detente.load(EXAMPLES / "korea-2018.yaml")


def test_korea_three_snapshots(korea: detente.Scenario) -> None:
    tl = timeline(korea, ["median", "eum"])
    assert [str(d) for d in tl.dates] == ["2017-10-22", "2017-11-19", "2018-01-02"]
    assert tl.labels[1] == "China–South Korea thaw"
    for as_of, t in (("2017-10-22", 0), ("2017-11-19", 1), (None, 2)):
        fc = detente.forecast(korea, ["median", "eum"], as_of=as_of)
        for issue in korea.issues:
            assert tl.series("eum", issue.id)[t] == fc.outcome("eum", issue.id)
    # South Korea's cap on THAAD in November moved the US-presence forecast up
    assert tl.series("median", "us_presence")[0] < tl.series("median", "us_presence")[1]
    assert not tl.has_intervals
    frame = tl.frame()
    assert len(frame) == 3 * 2 * 7
    assert frame.iloc[0][["issue", "model"]].tolist() == ["alignment", "eum"]


def test_intervals_from_simulation_documents(korea: detente.Scenario) -> None:
    docs = [simulation_document(fake_simulation(korea, draws=500, as_of=d, models=["median"]))
            for d in ("2017-10-22", "2018-01-02")]
    tl = timeline(korea, ["median", "eum"], simulations=docs, issues=["talks", "alignment"])
    assert tl.issues == ("talks", "alignment")
    assert tl.has_intervals
    m = tl.models.index("median")
    assert np.isfinite(tl.low[[0, 2], m]).all() and np.isnan(tl.low[1]).all()
    assert np.isnan(tl.low[:, tl.models.index("eum")]).all()
    interval = docs[0]["issues"][0]["forecasts"]["median"]["interval"]
    assert [tl.low[0, m, 0], tl.high[0, m, 0]] == interval
    doc = tl.to_dict()
    assert doc["issues"][0]["forecasts"]["median"][0]["interval"] == interval
    assert doc["issues"][0]["forecasts"]["median"][1]["interval"] is None


def test_simulation_of_another_date_is_refused(korea: detente.Scenario) -> None:
    doc = simulation_document(fake_simulation(korea, draws=100, models=["median"]))
    doc["scenario"]["as_of"] = "2017-12-01"
    with pytest.raises(InputError, match="not a snapshot date"):
        timeline(korea, ["median"], simulations=[doc])
