"""The spatial model of politics against KTAB's own stored logs in ../shared (skipped without).

``reference_outputs/20170530_ref-*.txt`` are KTAB's reference logs; ``runs/*.final.txt`` and
``runs/*.summary.json`` are KTAB runs with default parameters. Logs print positions to 0.1
and probabilities to 4 decimals, so every state is checked to that precision.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from detente.io import load
from detente.models import SpatialModelOfPolitics
from detente.models.smp.result import SmpRun

RUNS = ["dummyData_3Dim", "SOE-Pol-Comp", "SOE-Policy", "SOE-Competitive", "dummyData_6Dim",
        "dummyData-a040", "dummyData-a080"]
REFERENCE_LOGS = ["dummyData_3Dim", "SOE-Pol-Comp"]


def parse_history(text: str) -> tuple[int, dict[tuple[str, str], list[float]],
                                      dict[str, list[float]]]:
    """States, positions per (actor, dimension) and probabilities per actor of a KTAB log."""
    states = int(re.findall(r"There were (\d+) states", text)[-1])
    tail = text[text.rindex("History of actor positions over time"):]
    positions: dict[tuple[str, str], list[float]] = {}
    probs: dict[str, list[float]] = {}
    for line in tail.splitlines()[1:]:
        m = re.match(r"^(.+?), (.+?)\s?:\s+([-\d. ]+?)\s*$", line)
        if not m:
            continue
        values = [float(v) for v in m.group(3).split()]
        if m.group(2) == "prob":
            probs[m.group(1)] = values
        else:
            positions[(m.group(1), m.group(2))] = values
    return states, positions, probs


def run_file(shared: Path, name: str) -> SmpRun:
    return SpatialModelOfPolitics(joint=True).simulate(
        load(shared / "data" / "ktab" / f"{name}.csv"))[0]


def compare(run: SmpRun, text: str) -> None:
    states, positions, probs = parse_history(text)
    assert run.turns + 1 == states
    dims = list(run.dimensions)
    for (actor, dim), values in positions.items():
        d = next(k for k, name in enumerate(dims) if dim.strip().startswith(name))
        mine = run.positions[:, run.actors.index(actor), d]
        assert np.abs(mine - np.array(values)).max() <= 0.05 + 1e-6, (actor, dim)
    assert set(probs) == set(run.actors)


@pytest.mark.shared
@pytest.mark.parametrize("name", RUNS)
def test_matches_ktab_runs(shared: Path, name: str) -> None:
    runs = shared / "data" / "ktab" / "runs"
    run = run_file(shared, name)
    compare(run, (runs / f"{name}.final.txt").read_text(encoding="utf-8"))
    summary = json.loads((runs / f"{name}.summary.json").read_text(encoding="utf-8"))
    assert run.turns == summary["turns"]
    assert len(run.final) == summary["n_unique_final_positions"]
    # the summary was computed from the log's rounded figures
    assert np.abs(run.expected - np.array(summary["expected_outcome"])).max() <= 0.05
    assert run.final[0].probability == pytest.approx(summary["modal_prob"], abs=5e-5)


@pytest.mark.shared
@pytest.mark.parametrize("name", REFERENCE_LOGS)
def test_matches_ktab_reference_logs(shared: Path, name: str) -> None:
    log = shared / "data" / "ktab" / "reference_outputs" / f"20170530_ref-{name}.txt"
    text = log.read_text(encoding="utf-8")
    run = run_file(shared, name)
    compare(run, text)
    _, _, probs = parse_history(text)
    for t in range(run.turns + 1):
        by_actor = {a: d.probability for d in run.distinct_by_turn[t] for a in d.actors}
        for actor, values in probs.items():
            assert abs(by_actor[actor] - values[t]) <= 5e-5 + 1e-9, (t, actor)
