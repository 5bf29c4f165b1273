"""A variation is the scenario with the varied numbers written in; its results do not depend
on how the variations are grouped into tasks."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from detente.arrays import build_arrays
from detente.io import load
from detente.io.document import scenario_from_document
from detente.store.hashing import scenario_document
from detente.sweep.runner import build_context, run_variations, vary
from detente.sweep.sampling import points, unit_points
from detente.sweep.spec import SweepSpec, check, parse_vary
from detente.uncertainty.inputs import scenario_inputs

HARBOUR = Path(__file__).resolve().parents[2] / "data" / "harbour.yaml"
VARY = ("actors.city.capability=4:6", "actors.green.capability=1:3",
        "stances.city.size.position=30:80", "stances.port.size.salience=50:100",
        "issues.size.status_quo=0:20", "eum.Q=0.6:1")


def _spec(**kw: object) -> SweepSpec:
    values: dict[str, object] = {"n": 6, "draws": 40, "seed": 3,
                                 "models": ("eum", "compromise"), **kw}
    return check(SweepSpec(variables=tuple(parse_vary(v) for v in VARY), **values),  # type: ignore[arg-type]
                 load(HARBOUR))


def test_a_variation_is_the_scenario_with_its_numbers_written_in() -> None:
    sc = load(HARBOUR)
    ctx = build_context(sc, _spec())
    x = ctx.points[4]
    base, inputs, models = vary(ctx, x)
    doc = copy.deepcopy(scenario_document(sc))
    doc["actors"][0]["capability"] = float(x[0])           # city: its range dropped
    doc["snapshots"][1]["capabilities"]["green"] = float(x[1])  # in force at the snapshot
    doc["snapshots"][1]["stances"][0]["position"] = float(x[2])
    port = next(s for s in doc["snapshots"][0]["stances"]
                if s["actor"] == "port" and s["issue"] == "size")
    port["salience"] = float(x[3]) / 100  # sweeps write saliences on 0-100
    doc["issues"][0]["status_quo"] = float(x[4])
    written = scenario_from_document(doc)
    expected = build_arrays(written, 1)
    for name in ("position", "salience", "capability", "status_quo", "present"):
        assert np.array_equal(getattr(base, name), getattr(expected, name), equal_nan=True), name
    assert inputs == scenario_inputs(written, 1)
    eum = next(m for m in models if m.name == "eum")
    assert float(x[5]) == eum.Q and ctx.models[0].Q == 1.0  # type: ignore[attr-defined]


def test_results_do_not_depend_on_the_tasks() -> None:
    ctx = build_context(load(HARBOUR), _spec(position_sd=0.1))
    whole = run_variations(ctx, np.arange(6))
    parts = [run_variations(ctx, np.array(v)) for v in ([4, 5], [0], [1, 2, 3])]
    order = np.concatenate([p.variations for p in parts])
    stats = np.concatenate([p.stats for p in parts])[np.argsort(order)]
    qs = np.concatenate([p.questions for p in parts])[np.argsort(order)]
    assert stats.tobytes() == whole.stats.tobytes()
    assert qs.tobytes() == whole.questions.tobytes()
    # every variation its own draws: the spread differs between variations
    assert len({float(s) for s in whole.stats[:, 1, 0, 2]}) == 6


def test_the_varied_inputs_lose_their_stated_uncertainty() -> None:
    sc = load(HARBOUR)
    ctx = build_context(sc, _spec(position_sd=0.1))
    before = {x.key: x for x in ctx.inputs}
    _, inputs, _ = vary(ctx, ctx.points[0])
    after = {x.key: x for x in inputs}
    assert before["capability city"].kind == "triangular"  # its stated range
    assert after["capability city"].kind == "fixed"
    assert after["salience port size"].kind == "fixed"
    assert after["position city size"].kind == "fixed"
    # what is not varied keeps its uncertainty
    assert after["position green size"] == before["position green size"]
    assert after["position green size"].kind == "normal"


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_samples_are_seeded_and_fill_the_box(method: str) -> None:
    a = unit_points(method, 64, 3, seed=5)
    assert a.shape == (64, 3) and np.array_equal(a, unit_points(method, 64, 3, seed=5))
    assert not np.array_equal(a, unit_points(method, 64, 3, seed=6))
    assert ((a >= 0) & (a < 1)).all()
    # every one of 8 equal bins of each variable gets its share (8 points) or close to it
    counts = np.stack([np.histogram(a[:, j], bins=8, range=(0, 1))[0] for j in range(3)])
    assert counts.min() >= 6 and counts.max() <= 10


def test_a_grid_has_every_combination_of_its_levels() -> None:
    g = unit_points("grid", 3, 2, seed=0)
    assert g.tolist() == [[0, 0], [0, 0.5], [0, 1], [0.5, 0], [0.5, 0.5], [0.5, 1],
                          [1, 0], [1, 0.5], [1, 1]]


def test_integer_parameters_take_whole_values_within_their_range() -> None:
    s = check(SweepSpec(variables=(parse_vary("eum.rounds=3:9"),), n=50, seed=1),
              load(HARBOUR))
    p = points(s)[:, 0]
    assert set(p) <= set(range(3, 10)) and p.min() == 3 and p.max() == 9


def test_a_capability_that_no_issue_uses_cannot_be_varied() -> None:
    from detente.errors import InputError

    doc = copy.deepcopy(scenario_document(load(HARBOUR)))
    for stance in doc["snapshots"][0]["stances"]:
        if stance["actor"] == "port":
            stance["capability"] = 4.0  # its own capability on both issues
    sc = scenario_from_document(doc)
    spec = check(SweepSpec(variables=(parse_vary("actors.port.capability=1:5"),), n=4), sc)
    with pytest.raises(InputError, match="actor 'port' has its own capability on every issue"):
        build_context(sc, spec)
