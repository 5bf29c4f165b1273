"""Random inputs for the expected utility model and the peer figures stored for them.

``tests/data/eum_scholz_random.json`` holds, for seeded random one-issue scenarios, what the
public Python replication of Scholz, Calbert & Smith (2011) that reproduces their Table 2
(github.com/jmckib/bdm-scholz-expected-utility-model @ 55f63e9, run under Python 2.7) gives
round by round: the median, the mean and every actor's position. ``benchmarks/bench_eum_scholz.py``
regenerates the file where that code is checked out; the tests compare detente's
``scholz-code`` preset with it (docs/models/eum.md, EUM-13).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.models.base import IssueBatch
from tests.helpers import ROOT

FIXTURE = ROOT / "tests" / "data" / "eum_scholz_random.json"
#: Scenario seeds: 20 problems, drawn as :func:`scenario` says.
SEEDS = tuple(range(1, 21))
#: Rounds run, on both sides, from the initial positions (round 0).
ROUNDS = 10
#: The acceptance bound on every round's median (issue units, scales of 0-10 and 0-100).
MEDIAN_BOUND = 0.1


@dataclass(frozen=True)
class Scenario:
    """One random problem: actors as (name, capability, position, salience 0-1)."""

    seed: int
    style: str
    actors: tuple[tuple[str, float, float, float], ...]

    def batch(self) -> IssueBatch:
        """The problem as a one-row batch."""
        cap = np.array([[a[1] for a in self.actors]])
        pos = np.array([[a[2] for a in self.actors]])
        sal = np.array([[a[3] for a in self.actors]])
        return IssueBatch.create(position=pos, salience=sal, capability=cap)

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "style": self.style,
                "actors": [list(a) for a in self.actors]}


#: How positions are drawn: continuous on 0-100 (two decimals), on the integer grid 0-10 as
#: in Bueno de Mesquita's examples (shared positions, ties), or in two or three clusters.
STYLES = ("uniform", "grid", "clusters")


def scenario(seed: int) -> Scenario:
    """The random problem of ``seed``: 5-30 actors, one of :data:`STYLES` of positions,
    saliences 0.05-1 and capabilities 1-100 (both to two decimals), drawn with NumPy's
    ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 31))
    style = STYLES[seed % len(STYLES)]
    if style == "uniform":
        pos = np.round(rng.uniform(0.0, 100.0, n), 2)
    elif style == "grid":
        pos = rng.integers(0, 11, n).astype(float)
    else:
        centres = rng.uniform(0.0, 100.0, int(rng.integers(2, 4)))
        pos = np.round(np.clip(rng.choice(centres, n) + rng.normal(0.0, 6.0, n), 0, 100), 2)
    sal = np.round(rng.uniform(0.05, 1.0, n), 2)
    cap = np.round(rng.uniform(1.0, 100.0, n), 2)
    actors = tuple((f"A{i:02d}", float(cap[i]), float(pos[i]), float(sal[i]))
                   for i in range(n))
    return Scenario(seed, style, actors)


def load_fixture() -> dict[str, Any]:
    """The stored peer figures."""
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data
