"""The spatial model of politics as a detente model: scenarios, parameters, results."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from detente.errors import InputError
from detente.forecasting import forecast
from detente.io.document import scenario_from_document
from detente.models import REGISTRY, IssueBatch, SpatialModelOfPolitics
from detente.scenario import Scenario
from tests.helpers import make_scenario

POSITIONS = {"a": 10.0, "b": 35.0, "c": 60.0, "d": 80.0, "e": 95.0}
SALIENCES = {"a": 0.9, "b": 0.5, "c": 0.7, "d": 0.4, "e": 0.8}
CAPS = {"a": 30.0, "b": 50.0, "c": 20.0, "d": 40.0, "e": 10.0}


def two_issues(
    sal: float = 0.45, missing: tuple[str, str] | None = None, scale: tuple[float, float] = (0, 100)
) -> Scenario:
    """Five actors on two issues; ``missing`` = (actor, issue) without a stance."""
    lo, hi = scale
    y = {"a": 70.0, "b": 20.0, "c": 55.0, "d": 5.0, "e": 40.0}
    stances = []
    for a, x in POSITIONS.items():
        for issue, v in (("x", x), ("y", y[a])):
            if (a, issue) != missing:
                stances.append({"actor": a, "issue": issue, "position": lo + v / 100 * (hi - lo),
                                "salience": sal})
    doc: dict[str, Any] = {
        "id": "two", "title": "Two issues",
        "actors": [{"id": a, "capability": c} for a, c in CAPS.items()],
        "issues": [{"id": i, "name": i.upper(), "scale": {"min": lo, "max": hi}}
                   for i in ("x", "y")],
        "stances": stances,
    }
    return scenario_from_document(doc, default_salience_scale="0-1")


def test_registered_and_described() -> None:
    assert REGISTRY["smp"] is SpatialModelOfPolitics
    model = SpatialModelOfPolitics()
    assert model.tags().dynamic and model.tags().batched and not model.tags().multi_issue
    assert SpatialModelOfPolitics(joint=True).tags().multi_issue
    assert "Wise" in model.citation and "KTAB" in model.label
    params = model.parameters()
    assert params["victory_prob_model"] == "Linear"
    assert params["bargain_model"] == "InitOnlyInterp"
    assert params["rounds"] == 100 and params["joint"] is False


def test_one_issue_forecast_fields() -> None:
    sc = make_scenario(POSITIONS, SALIENCES, CAPS)
    fc = SpatialModelOfPolitics().run(sc).issues["x"]
    det = fc.details
    assert min(POSITIONS.values()) <= fc.outcome <= max(POSITIONS.values())
    assert det["turns"] == len(fc.rounds) >= 2
    assert fc.initial is not None and fc.initial.positions == POSITIONS
    assert sum(f["probability"] for f in det["final_positions"]) == pytest.approx(1.0)
    assert det["modal"] == det["final_positions"][0]["position"]
    assert det["expected_by_turn"][-1] == pytest.approx(fc.outcome)
    assert len(det["expected_by_turn"]) == det["turns"] + 1
    assert det["effective_power"] == {a: pytest.approx(CAPS[a] * SALIENCES[a]) for a in CAPS}
    assert set(det["risk_attitudes"]) == set(CAPS)
    assert det["challenges"] and {"turn", "initiator", "target", "probability", "gain",
                                  "initiator_position", "target_position",
                                  "adopted_by"} <= set(det["challenges"][0])
    assert fc.converged is True
    assert det["joint"] is False


def test_joint_and_per_issue_runs() -> None:
    sc = two_issues()
    joint = SpatialModelOfPolitics(joint=True).run(sc)
    alone = SpatialModelOfPolitics().run(sc)
    for issue in ("x", "y"):
        assert joint.issues[issue].details["dimensions"] == ["x", "y"]
        assert "dimensions" not in alone.issues[issue].details
    # joint runs share one trajectory: the same number of turns for both issues
    assert joint.issues["x"].details["turns"] == joint.issues["y"].details["turns"]
    point = joint.issues["x"].details["final_positions"][0]["point"]
    assert set(point) == {"x", "y"}
    # per issue equals running that issue on its own
    only_x = make_scenario(POSITIONS, dict.fromkeys(POSITIONS, 0.45), CAPS)
    assert alone.issues["x"].outcome == SpatialModelOfPolitics().run(only_x).issues["x"].outcome


def test_joint_saliences_are_scaled_to_shares_of_attention() -> None:
    # 0.8 on each of two issues sums to 1.6 > 1: divided by the largest sum, i.e. 0.5 each
    heavy = SpatialModelOfPolitics(joint=True).run(two_issues(sal=0.8))
    light = SpatialModelOfPolitics(joint=True).run(two_issues(sal=0.5))
    for issue in ("x", "y"):
        assert heavy.issues[issue].outcome == light.issues[issue].outcome


def test_absent_stance_per_issue_and_joint() -> None:
    sc = two_issues(missing=("e", "x"))
    alone = SpatialModelOfPolitics().run(sc)
    assert "e" not in alone.issues["x"].initial.positions  # type: ignore[union-attr]
    assert "e" in alone.issues["y"].initial.positions  # type: ignore[union-attr]
    joint = SpatialModelOfPolitics(joint=True).run(sc)
    x = joint.issues["x"]
    assert "e" not in x.initial.positions  # type: ignore[union-attr]
    assert "e" not in x.details["effective_power"]
    assert "e" in joint.issues["y"].details["effective_power"]
    lo, hi = min(POSITIONS.values()), max(POSITIONS.values())
    assert lo <= x.outcome <= hi


def test_issue_units_are_kept() -> None:
    base = SpatialModelOfPolitics().run(two_issues())
    years = SpatialModelOfPolitics().run(two_issues(scale=(2024, 2030)))
    for issue in ("x", "y"):
        expected = 2024 + base.issues[issue].outcome / 100 * 6
        assert years.issues[issue].outcome == pytest.approx(expected, abs=1e-9)


def test_zero_salience_actor_takes_no_part() -> None:
    sal = dict(SALIENCES, e=0.0)
    fc = SpatialModelOfPolitics().run(make_scenario(POSITIONS, sal, CAPS)).issues["x"]
    assert "e" not in fc.initial.positions  # type: ignore[union-attr]
    nobody = make_scenario({"a": 5.0}, {"a": 0.0}, {"a": 1.0})
    assert np.isnan(SpatialModelOfPolitics().run(nobody).issues["x"].outcome)


def test_stochastic_same_seed_same_result_and_seeds_matter() -> None:
    sc = two_issues()
    model = SpatialModelOfPolitics(state_transitions="Stochastic", joint=True, seed=11)
    first, again = model.simulate(sc)[0], model.simulate(sc)[0]
    assert np.array_equal(first.positions, again.positions)
    assert first.final == again.final
    outcomes = {tuple(SpatialModelOfPolitics(state_transitions="stochastic", joint=True,
                                             seed=s).simulate(sc)[0].expected.round(9))
                for s in range(12)}
    assert len(outcomes) > 1


def test_parameters_are_checked_and_spelled_as_ktab() -> None:
    m = SpatialModelOfPolitics(voting_rule="proportional", big_r_adjust="No",
                               pce_model="markovuniform")
    assert (m.voting_rule, m.big_r_adjust, m.pce_model) == ("Prop", "None", "MarkovUniform")
    with pytest.raises(InputError) as exc:
        SpatialModelOfPolitics(victory_prob_model="Cubic")
    assert exc.value.field == "smp.victory_prob_model"
    assert "Linear" in (exc.value.hint or "")
    with pytest.raises(InputError, match="rounds"):
        SpatialModelOfPolitics(rounds=0)
    with pytest.raises(InputError, match="seed"):
        SpatialModelOfPolitics(seed=-1)


def test_from_ktab_settings() -> None:
    m = SpatialModelOfPolitics.from_ktab({
        "prngSeed": "03507583219545544127", "VotingRule": "PropCbc", "BargnModel": "PWCompInterp",
        "IdealAdjustment:b:a": "0.07", "IdealAdjustment:b:b": "0.75",
    })
    assert m.seed == 3507583219545544127
    assert (m.voting_rule, m.bargain_model) == ("PropCbc", "PWCompInterp")
    assert m.ideal_adjustment == (("b", "a", 0.07), ("b", "b", 0.75))


def test_ideal_adjustment_is_checked() -> None:
    sc = make_scenario(POSITIONS, SALIENCES, CAPS)
    with pytest.raises(InputError, match="unknown actor 'z'"):
        SpatialModelOfPolitics(ideal_adjustment=(("z", "a", 0.5),)).run(sc)
    with pytest.raises(InputError, match=r"sum to 1\.5"):
        SpatialModelOfPolitics(ideal_adjustment=(("b", "a", 0.5),)).run(sc)
    lagging = SpatialModelOfPolitics(ideal_adjustment=(("b", "b", 0.5), ("b", "a", 0.2)))
    assert np.isfinite(lagging.run(sc).issues["x"].outcome)


def test_batched_one_dimensional_path_matches_runs() -> None:
    sc = two_issues(missing=("e", "x"))
    arrays = sc.arrays()
    batch = IssueBatch.from_arrays(arrays)
    model = SpatialModelOfPolitics()
    sol = model.solve(batch)
    result = model.run(sc)
    for j, issue in enumerate(arrays.issues):
        fc = result.issues[issue]
        assert sol.outcome[j] == pytest.approx(fc.outcome, abs=1e-12)
        assert sol.extra["modal"][j] == pytest.approx(fc.details["modal"], abs=1e-12)
        assert sol.rounds is not None and sol.rounds[j] == fc.details["turns"]
        assert sol.median is not None and sol.median[0, j] == pytest.approx(fc.initial.median)  # type: ignore[union-attr]
    # the same problem many times over (a Monte Carlo batch) gives the same answer each time
    many = IssueBatch.create(
        position=np.repeat(batch.position[:1], 5, axis=0),
        salience=np.repeat(batch.salience[:1], 5, axis=0),
        capability=np.repeat(batch.capability[:1], 5, axis=0),
        present=np.repeat(batch.present[:1], 5, axis=0), lower=0.0, upper=100.0)
    assert np.all(model.solve(many).outcome == sol.outcome[0])


def test_forecast_side_by_side_with_joint_switch() -> None:
    sc = two_issues()
    fc = forecast(sc, ["compromise", "smp"], joint=True)
    assert fc.results["smp"].parameters["joint"] is True
    assert fc.results["compromise"].parameters == {}
    doc = fc.to_dict()
    entry = doc["issues"][0]["forecasts"]["smp"]
    assert {"outcome", "modal", "turns", "rounds", "initial", "final_positions"} <= set(entry)
    assert entry["turns"] == len(entry["rounds"])


@pytest.mark.parametrize("transitions", ["Deterministic", "Stochastic"])
def test_batched_path_drops_unused_slots_without_changing_results(
        monkeypatch: pytest.MonkeyPatch, transitions: str) -> None:
    """Rows with few actors run in narrower blocks; each row's result equals the engine's on
    every slot (read off the trace row by row)."""
    from detente.models.smp import engine as smp_engine

    rng = np.random.default_rng(8)
    b, n = 40, 9
    present = rng.uniform(size=(b, n)) < rng.uniform(0.2, 1.0, (b, 1))
    pos = rng.uniform(0, 100, (b, n))
    sal = np.where(rng.uniform(size=(b, n)) < 0.1, 0.0, rng.uniform(0.1, 1, (b, n)))
    cap = rng.uniform(1, 10, (b, n))
    batch = IssueBatch.create(position=pos, salience=sal, capability=cap, present=present,
                              lower=0.0, upper=100.0)
    model = SpatialModelOfPolitics(state_transitions=transitions, seed=3)
    monkeypatch.setattr(smp_engine, "ROW_BLOCK", 7)
    sol = model.solve(batch)

    live = present & (sal > 0)
    full = smp_engine.Problems((batch.position / 100)[..., None], sal[..., None],
                               np.where(live, cap, 1.0), live)
    trace = smp_engine.simulate(full, model.settings(), seed=3)
    assert sol.rounds is not None and np.array_equal(sol.rounds, trace.turns)
    assert sol.positions is not None
    for r in range(b):
        t = int(trace.turns[r])
        x = 100 * trace.positions[t, r, :, 0]
        assert np.array_equal(sol.positions[t, r], x)
        uniq = np.flatnonzero(live[r] & (trace.leader[t, r] == np.arange(n)))
        if len(uniq) == 0:
            assert np.isnan(sol.outcome[r]) and np.isnan(sol.extra["modal"][r])
            continue
        prob = trace.prob[t, r, uniq]
        assert sol.outcome[r] == pytest.approx(float(np.sum(prob * x[uniq])), abs=1e-12)
        assert sol.extra["modal"][r] == x[uniq[np.argmax(prob)]]
    assert len(set(live.sum(axis=1).tolist())) > 3  # blocks of different widths
