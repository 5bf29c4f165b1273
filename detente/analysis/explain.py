"""Every explanation of one model's forecast as one document: what ``detente explain`` shows.

Per issue the tornado (one-at-a-time sensitivity), the pivotal actors and, if asked, Sobol
indices; for an actor and a question, what it would take to flip the answer. The same
document is the command's JSON output and what the text tables and the web app show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from detente.analysis.issue_runner import find_actor, find_issue, find_question
from detente.analysis.pivotal import pivotal_actors
from detente.analysis.sensitivity import tornado
from detente.analysis.sobol import sobol_indices
from detente.analysis.what_it_takes import what_it_takes
from detente.errors import InputError
from detente.forecasting import snapshot_index
from detente.models.base import Model
from detente.render.numbers import json_ready
from detente.scenario import Scenario
from detente.uncertainty.inputs import DefaultUncertainty

if TYPE_CHECKING:
    from detente.execution.base import Executor, Progress


def explain(
    scenario: Scenario,
    model: str | Model,
    *,
    issues: Sequence[str] | None = None,
    actor: str | None = None,
    question: str | None = None,
    as_of: str | None = None,
    rounds: int | None = None,
    defaults: DefaultUncertainty | None = None,
    shape: str = "triangular",
    sobol: bool = False,
    sobol_samples: int = 1024,
    seed: int = 0,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Every explanation asked for, as one JSON-ready document.

    ``issues`` default to all; ``actor`` and ``question`` go together (what the actor would
    have to change to flip the answer; with one issue named, the question is looked up on
    it). ``sobol_samples`` is Sobol's base sample N, a power of 2; the Sobol runs go to
    ``executor`` (``detente.execution``; default in this process).
    """
    if (actor is None) != (question is None):
        raise InputError("--actor and --question go together",
                         field="--actor" if actor is None else "--question",
                         hint="give both, e.g. --actor USA --question direct_talks_held")
    if sobol and (sobol_samples < 2 or sobol_samples & (sobol_samples - 1)):
        raise InputError(f"samples must be a power of 2 (>= 2), got {sobol_samples}",
                         field="--sobol-samples", hint="e.g. 1024")
    for name in issues or []:
        find_issue(scenario, name)
    question_issue = issues[0] if issues and len(issues) == 1 else None
    if actor is not None and question is not None:
        find_actor(scenario, actor)
        find_question(scenario, question, question_issue)
    chosen = list(issues or [s.id for s in scenario.issues])
    index = snapshot_index(scenario, as_of)
    key = scenario.snapshots[index].as_of if len(scenario.snapshots) > 1 else None
    kw: dict[str, Any] = {"as_of": key, "rounds": rounds}
    unc: dict[str, Any] = {"defaults": defaults or DefaultUncertainty(), "shape": shape}
    name = model if isinstance(model, str) else model.name
    doc: dict[str, Any] = {"model": name, "as_of": None if key is None else key.isoformat(),
                           "issues": []}
    for issue in chosen:
        bars = tornado(scenario, model, issue, **kw, **unc)
        pivots = pivotal_actors(scenario, model, issue, **kw)
        entry: dict[str, Any] = {
            "id": issue,
            "forecast": pivots[0].forecast if pivots else None,
            "tornado": [b.to_dict() for b in bars],
            "pivotal": [p.to_dict() for p in pivots],
        }
        if sobol:
            entry["sobol"] = [s.to_dict() for s in sobol_indices(
                scenario, model, issue, **kw, **unc, samples=sobol_samples, seed=seed,
                executor=executor, progress=progress)]
        doc["issues"].append(entry)
    if actor is not None and question is not None:
        doc["what_it_takes"] = [c.to_dict() for c in what_it_takes(
            scenario, model, actor, question, issue=question_issue, **kw)]
    clean: dict[str, Any] = json_ready(doc)
    return clean
