"""The contract every model keeps, as checks a model's author can run.

``check_model(MyModel)`` runs every check on random scenarios and raises
:class:`ContractError` naming the first one broken; each check is also a function of its
own, for property-based tests that supply their own scenarios. In the spirit of
scikit-learn's estimator checks and Axelrod's shared player tests, the registry's models all
pass it (``tests/property/test_model_contract.py``).

The contract:

- outcomes lie within the range of the positions taken on the issue;
- the order in which actors are listed does not change any forecast (of a deterministic
  model: a stochastic one hands its draws to actors in the order listed);
- multiplying every capability by the same factor does not change any forecast (where the
  model says so, ``Model.scale_free``, and draws no random numbers);
- the same parameters (seed included) give the same result, bit for bit;
- parameters round-trip: ``type(m).configure(json.loads(json.dumps(m.parameters()))) == m``;
- tags tell the truth: a batched model solves a stack of issues row by row exactly as it
  solves each alone and as ``run`` does; a dynamic one reports rounds and has ``rounds``; a
  multi-issue one is not batched (a stochastic batched model gives every row its own
  stream, so only its rows as ``run`` solves them are compared).

Tolerances are 1e-9 of the scale, or the model's own ``resolution`` (the share of the scale
below which it does not tell positions apart, e.g. KTAB's 1e-3) where that is coarser.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from detente.models.base import IssueBatch, Model, ModelResult
from detente.models.registry import REGISTRY
from detente.scenario import Scenario


class ContractError(AssertionError):
    """A model broke its contract: which check, on what, and how."""


# ------------------------------------------------------------------ random inputs


def random_scenario(
    rng: np.random.Generator,
    *,
    actors: tuple[int, int] = (2, 7),
    issues: tuple[int, int] = (1, 3),
    absent: float = 0.15,
    gap: float = 0.01,
) -> Scenario:
    """A scenario with random actors, issues and stances, on varied scales.

    Positions, saliences (0.05–1) and capabilities (0.1–100) are drawn from continuous
    distributions, no two positions on an issue closer than ``gap`` of its scale (models
    may treat closer positions as one, as KTAB's tolerance does); some actors take no stance
    on some issues (share ``absent``, never all); every issue has a status quo.
    """
    n = int(rng.integers(actors[0], actors[1] + 1))
    m = int(rng.integers(issues[0], issues[1] + 1))
    scales = [(0.0, 100.0), (0.0, 1.0), (1990.0, 2030.0), (-50.0, 50.0)]
    doc_issues, stances = [], []
    for j in range(m):
        lo, hi = scales[int(rng.integers(len(scales)))]
        doc_issues.append({"id": f"i{j}", "name": f"Issue {j}", "scale": {"min": lo, "max": hi},
                           "status_quo": float(rng.uniform(lo, hi))})
        takes = rng.random(n) >= absent
        takes[rng.integers(n)] = True
        if takes.sum() < 2 and n >= 2:
            takes[:2] = True
        where = _spread(rng, int(takes.sum()), gap)
        for k, i in enumerate(np.flatnonzero(takes)):
            stances.append({"actor": f"a{i}", "issue": f"i{j}",
                            "position": float(lo + (hi - lo) * where[k]),
                            "salience": float(rng.uniform(0.05, 1.0))})
    return Scenario.model_validate({
        "id": "random", "title": "Random scenario",
        "actors": [{"id": f"a{i}", "capability": float(rng.uniform(0.1, 100.0))}
                   for i in range(n)],
        "issues": doc_issues,
        "snapshots": [{"stances": stances}],
    })


def _spread(rng: np.random.Generator, n: int, gap: float) -> np.ndarray:
    """``n`` uniform points on [0, 1], no two closer than ``gap`` (in random order)."""
    if n * gap >= 1:
        raise ValueError(f"{n} points cannot lie {gap} apart on [0, 1]")
    # n points with gaps: uniform points on [0, 1 - (n - 1) gap], sorted, spaced out
    base = np.sort(rng.uniform(0.0, 1.0 - (n - 1) * gap, n)) + gap * np.arange(n)
    out: np.ndarray = rng.permutation(base)
    return out


def reordered(scenario: Scenario, order: Sequence[int]) -> Scenario:
    """The same scenario with its actors (and stances) listed in ``order``."""
    doc = scenario.model_dump(mode="python")
    doc["actors"] = [doc["actors"][k] for k in order]
    rank = {scenario.actors[k].id: r for r, k in enumerate(order)}
    for snap in doc["snapshots"]:
        snap["stances"] = sorted(snap["stances"], key=lambda st: rank[st["actor"]])
    return Scenario.model_validate(doc)


def rescaled(scenario: Scenario, factor: float) -> Scenario:
    """The same scenario with every capability multiplied by ``factor``."""
    doc = scenario.model_dump(mode="python")
    for actor in doc["actors"]:
        cap = actor["capability"]
        for key in ("value", "sd", "low", "high"):
            if cap.get(key) is not None:
                cap[key] *= factor
    for snap in doc["snapshots"]:
        for st in snap["stances"]:
            if st.get("capability"):
                st["capability"]["value"] *= factor
    return Scenario.model_validate(doc)


# ------------------------------------------------------------------ the checks


def _fail(model: Model, check: str, detail: str) -> ContractError:
    return ContractError(f"{model.name} ({model.parameters()}): {check}: {detail}")


def _tolerance(model: Model, span: float) -> float:
    return max(1e-9, model.resolution) * max(span, 1e-300)


def _outcomes(result: ModelResult) -> dict[str, float]:
    return {k: v.outcome for k, v in result.issues.items()}


def check_outcome_in_range(model: Model, scenario: Scenario) -> None:
    """Each issue's forecast lies within the range of the positions taken on it."""
    arrays = scenario.arrays()
    result = model.run(scenario)
    for j, iss in enumerate(arrays.issues):
        taken = arrays.position[arrays.present[:, j], j]
        out = result.issues[iss].outcome
        if taken.size == 0:
            continue
        tol = _tolerance(model, arrays.upper[j] - arrays.lower[j])
        if not (taken.min() - tol <= out <= taken.max() + tol):
            raise _fail(model, "outcome within the positions",
                        f"issue {iss}: {out!r} outside [{taken.min()!r}, {taken.max()!r}]")


def check_actor_order(model: Model, scenario: Scenario, rng: np.random.Generator) -> None:
    """Listing the actors in another order changes no forecast (nor any round's position).

    Exempt: stochastic models (their draws go to actors in the order listed, so only the
    distribution of their results is order-free) and models that say they depend on the
    order (``Model.order_free``).
    """
    if model.tags().stochastic or not model.order_free():
        return
    order = [int(k) for k in rng.permutation(len(scenario.actors))]
    a, b = model.run(scenario), model.run(reordered(scenario, order))
    _same_results(model, scenario, a, b, "actor order irrelevant")


def check_capability_scale(model: Model, scenario: Scenario, factor: float) -> None:
    """Multiplying every capability by ``factor`` changes no forecast (where the model says
    it is free of the capabilities' scale, ``Model.scale_free``).

    Stochastic models are exempt: rescaling changes the last bits of the probabilities their
    draws are compared with, so a draw near a boundary may fall the other way.
    """
    if not model.scale_free() or model.tags().stochastic:
        return
    a, b = model.run(scenario), model.run(rescaled(scenario, factor))
    _same_results(model, scenario, a, b, f"capability scale irrelevant (×{factor:g})")


def _same_results(model: Model, scenario: Scenario, a: ModelResult, b: ModelResult,
                  check: str) -> None:
    for issue in scenario.issues:
        tol = _tolerance(model, issue.scale.span)
        fa, fb = a.issues[issue.id], b.issues[issue.id]
        if not _close(fa.outcome, fb.outcome, tol):
            raise _fail(model, check, f"issue {issue.id}: {fa.outcome!r} vs {fb.outcome!r}")
        if len(fa.rounds) != len(fb.rounds):
            raise _fail(model, check, f"issue {issue.id}: {len(fa.rounds)} vs "
                        f"{len(fb.rounds)} rounds")
        for r, (x, y) in enumerate(zip(fa.rounds, fb.rounds, strict=True), start=1):
            for actor, pos in x.positions.items():
                if not _close(pos, y.positions.get(actor, math.nan), tol):
                    raise _fail(model, check, f"issue {issue.id}, round {r}, {actor}: "
                                f"{pos!r} vs {y.positions.get(actor)!r}")


def _close(x: float, y: float, tol: float) -> bool:
    return (math.isnan(x) and math.isnan(y)) or abs(x - y) <= tol


def check_same_seed(model: Model, scenario: Scenario) -> None:
    """Two runs with the same parameters give the same forecasts, bit for bit."""
    a, b = model.run(scenario), model.run(scenario)
    for iss in a.issues:
        x, y = a.issues[iss], b.issues[iss]
        same = (x.outcome == y.outcome or (math.isnan(x.outcome) and math.isnan(y.outcome)))
        if not same or [r.positions for r in x.rounds] != [r.positions for r in y.rounds]:
            raise _fail(model, "same seed, same result", f"issue {iss} differs between runs")


def check_parameters_round_trip(model: Model) -> None:
    """The parameters, written as JSON and read back, build the same model."""
    text = json.dumps(model.parameters())
    again = type(model).configure(json.loads(text))
    if again != model:
        raise _fail(model, "parameters round-trip", f"{again!r} != {model!r}")
    specs = {s.name for s in type(model).parameter_specs()}
    if set(model.parameters()) - specs:
        raise _fail(model, "parameters round-trip",
                    f"undeclared: {sorted(set(model.parameters()) - specs)}")
    for name, preset in type(model).presets.items():
        type(model).configure({"preset": name})
        if set(preset.values) - specs:
            raise _fail(model, f"preset {name}", f"unknown: {sorted(set(preset.values) - specs)}")


def check_tags(model: Model, scenario: Scenario) -> None:
    """The tags say what the model does."""
    tags = model.tags()
    specs = {s.name for s in type(model).parameter_specs()}
    if tags.batched != (model.issue_solver() is not None):
        raise _fail(model, "tags", "batched must mean an issue solver")
    if tags.batched and tags.multi_issue:
        raise _fail(model, "tags", "a multi-issue model cannot solve issues one by one")
    if tags.dynamic:
        if "rounds" not in specs:
            raise _fail(model, "tags", "a dynamic model has a rounds parameter")
        result = model.run(scenario)
        if all(f.initial is None for f in result.issues.values()):
            raise _fail(model, "tags", "a dynamic model reports its rounds")


def check_batched_equals_single(model: Model, scenarios: Sequence[Scenario]) -> None:
    """A batched model solves a stack of issues exactly as each alone and as ``run``."""
    solver = model.issue_solver()
    if solver is None:
        return
    rows = [IssueBatch.from_arrays(sc.arrays()) for sc in scenarios]
    # a stochastic model gives each row its own stream of draws, so rows agree with ``run``
    # (the same rows) but not with the same row placed elsewhere in a stack
    stack = not model.tags().stochastic
    width = max(r.position.shape[1] for r in rows)

    def pad(a: np.ndarray, fill: float | bool) -> np.ndarray:
        out = np.full((a.shape[0], width), fill, dtype=a.dtype)
        out[:, : a.shape[1]] = a
        return out

    stacked = IssueBatch.create(
        position=np.concatenate([pad(r.position, 0.0) for r in rows]),
        salience=np.concatenate([pad(r.salience, 0.0) for r in rows]),
        capability=np.concatenate([pad(r.capability, 0.0) for r in rows]),
        present=np.concatenate([pad(r.present, False) for r in rows]),
        lower=np.concatenate([r.lower for r in rows]),
        upper=np.concatenate([r.upper for r in rows]),
        status_quo=np.concatenate([r.status_quo for r in rows]),
    )
    together = solver(stacked).outcome if stack else None
    k = 0
    for sc, batch in zip(scenarios, rows, strict=True):
        alone = solver(batch).outcome
        run = _outcomes(model.run(sc))
        for j, iss in enumerate(sc.arrays().issues):
            tol = _tolerance(model, float(batch.upper[j] - batch.lower[j]))
            if together is not None and not _close(float(together[k]), float(alone[j]), tol):
                raise _fail(model, "batched equals single",
                            f"row {k}: {together[k]!r} in a stack, {alone[j]!r} alone")
            if not _close(float(alone[j]), run[iss], tol):
                raise _fail(model, "batched equals single",
                            f"issue {iss}: solve gives {alone[j]!r}, run {run[iss]!r}")
            k += 1


# ------------------------------------------------------------------ all of them


def check_model(
    model: Model | type[Model] | str,
    *,
    scenarios: Iterable[Scenario] | None = None,
    seed: int = 0,
    n: int = 6,
) -> None:
    """Run every check on ``scenarios`` (default: ``n`` random ones from ``seed``).

    ``model`` is an instance, a class (built with its defaults) or a registered name.
    Raises :class:`ContractError` at the first broken check.
    """
    if isinstance(model, str):
        model = REGISTRY.create(model)
    elif isinstance(model, type):
        model = model()
    rng = np.random.default_rng(seed)
    chosen = list(scenarios) if scenarios is not None else [
        random_scenario(rng) for _ in range(n)]
    check_parameters_round_trip(model)
    for sc in chosen:
        check_tags(model, sc)
        check_outcome_in_range(model, sc)
        check_actor_order(model, sc, rng)
        check_capability_scale(model, sc, float(10 ** rng.uniform(-2, 2)))
        check_same_seed(model, sc)
    check_batched_equals_single(model, chosen)


def random_configuration(cls: type[Model], rng: np.random.Generator) -> dict[str, Any]:
    """Random values for a model's enumerated and yes/no parameters (others as declared)."""
    out: dict[str, Any] = {}
    for spec in cls.parameter_specs():
        if not spec.affects_results:
            continue
        if spec.choices:
            out[spec.name] = spec.choices[int(rng.integers(len(spec.choices)))]
        elif spec.kind == "bool":
            out[spec.name] = bool(rng.integers(2))
    return out


__all__ = [
    "ContractError",
    "check_actor_order",
    "check_batched_equals_single",
    "check_capability_scale",
    "check_model",
    "check_outcome_in_range",
    "check_parameters_round_trip",
    "check_same_seed",
    "check_tags",
    "random_configuration",
    "random_scenario",
    "reordered",
    "rescaled",
]
