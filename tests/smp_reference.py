"""KTAB reference figures for the spatial model of politics, and helpers to use them.

``tests/data/smp_ktab_reference.json`` holds KTAB's example inputs and the results of KTAB
(lsyaseen/KTAB @ 3b5b063) runs on them; its ``source`` entry says exactly where each came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.models import SpatialModelOfPolitics
from detente.models.smp.options import CHOICES
from tests.helpers import ROOT

REFERENCE: dict[str, Any] = json.loads(
    (ROOT / "tests" / "data" / "smp_ktab_reference.json").read_text(encoding="utf-8"))


def ktab_csv(name: str) -> str:
    """A KTAB SMP CSV holding the reference inputs ``name``."""
    data = REFERENCE["inputs"][name]
    dims = data["dimensions"]
    lines = [f"{name},reference inputs,{len(data['actors'])},{len(dims)},",
             "Actor,Description,Power," + ",".join(f"{d} Position,{d} Salience" for d in dims)]
    for actor, cap, pos, sal in data["actors"]:
        cells = [f"{p!r},{s!r}" for p, s in zip(pos, sal, strict=True)]
        lines.append(f"{actor},,{cap!r}," + ",".join(cells))
    return "\n".join(lines) + "\n"


def model_for(case: dict[str, Any]) -> SpatialModelOfPolitics:
    """The model with a reference case's KTAB settings, run jointly as KTAB does."""
    params = dict(case["parameters"])
    for who, ref, rate in case["ideal_adjustment"]:
        params[f"IdealAdjustment:{who}:{ref}"] = str(rate)
    return SpatialModelOfPolitics.from_ktab(params, joint=True)


# ------------------------------------------------------------- random inputs no one tuned for

#: ``tests/data/smp_ktab_random.json``: KTAB's results on the seeded random scenarios below
#: (docs/models/smp.md, SMP-10); ``benchmarks/bench_smp_random.py`` regenerates it.
RANDOM_FIXTURE = ROOT / "tests" / "data" / "smp_ktab_random.json"
#: Seeds of the random scenarios: 16 one-dimensional, 8 with 2-4 dimensions (default
#: parameters, KTAB CSV), then 8 with 1-3 dimensions and random parameters (KTAB XML).
RANDOM_SEEDS = tuple(range(1, 33))
#: The seeds from which the scenarios carry random model parameters.
FIRST_VARIANT_SEED = 25
#: How positions are drawn: continuous (two decimals), on a grid of fives (shared positions
#: and exact ties), or in two or three clusters.
STYLES = ("uniform", "grid", "clusters")


@dataclass(frozen=True)
class RandomScenario:
    """One random KTAB scenario: actors as (name, capability, positions, saliences), 0-100."""

    seed: int
    style: str
    dimensions: tuple[str, ...]
    actors: tuple[tuple[str, float, tuple[float, ...], tuple[float, ...]], ...]
    #: KTAB's ModelParameters (name, value) where not the defaults; such a scenario is
    #: written as XML, the others as CSV.
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return f"random-{self.seed:02d}"

    @property
    def suffix(self) -> str:
        return ".xml" if self.parameters else ".csv"

    def text(self) -> str:
        """The scenario as the KTAB file it is run from."""
        return self.xml() if self.parameters else self.csv()

    def xml(self) -> str:
        """The scenario as a KTAB SMP XML file with its model parameters (and the one
        ``iaPair`` KTAB's reader requires: the first actor's ideal follows its own position,
        the identity default)."""
        out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Scenario>",
               f"  <name>{self.name}</name>",
               f"  <desc>seeded random actors ({self.style})</desc>",
               "  <prngSeed>1</prngSeed>", "  <ModelParameters>"]
        out += [f"    <{k}>{v}</{k}>" for k, v in self.parameters]
        out += ["  </ModelParameters>", "  <Dimensions>"]
        out += [f"    <dName>{d}</dName>" for d in self.dimensions]
        out += ["  </Dimensions>", "  <Actors>"]
        for actor, cap, pos, sal in self.actors:
            out += ["    <Actor>", f"      <name>{actor}</name>",
                    "      <description>random</description>",
                    f"      <capability>{cap:.2f}</capability>", "      <Position>"]
            out += [f"        <dCoord>{p:.2f}</dCoord>" for p in pos]
            out += ["      </Position>", "      <Salience>"]
            out += [f"        <dSal>{v:.2f}</dSal>" for v in sal]
            out += ["      </Salience>", "    </Actor>"]
        first = self.actors[0][0]
        out += ["  </Actors>", "  <IdealAdjustment>", "    <iaPair>",
                f"      <adjustingIdeal>{first}</adjustingIdeal>",
                f"      <referencePos>{first}</referencePos>", "      <adjust>1</adjust>",
                "    </iaPair>", "  </IdealAdjustment>", "</Scenario>"]
        return "\n".join(out) + "\n"

    def csv(self) -> str:
        """The scenario as a KTAB SMP CSV file."""
        lines = [f"{self.name},seeded random actors ({self.style}),{len(self.actors)},"
                 f"{len(self.dimensions)},",
                 "Actor,Description,Power," + ",".join(
                     f"{d} Position,{d} Salience" for d in self.dimensions)]
        for actor, cap, pos, sal in self.actors:
            cells = [f"{p:.2f},{s:.2f}" for p, s in zip(pos, sal, strict=True)]
            lines.append(f"{actor},,{cap:.2f}," + ",".join(cells))
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "style": self.style, "dimensions": list(self.dimensions),
                "actors": [[a, c, list(p), list(s)] for a, c, p, s in self.actors],
                "parameters": dict(self.parameters)}


def random_scenario(seed: int) -> RandomScenario:
    """The random scenario of ``seed`` (NumPy ``default_rng(seed)``).

    Seeds 1-16 have one dimension and 5-40 actors, seeds 17-24 2-4 dimensions and 5-25
    actors, both with KTAB's default parameters; from seed 25 (:data:`FIRST_VARIANT_SEED`)
    1-3 dimensions, 5-25 actors and each model parameter drawn from its values (transitions
    deterministic; BigRAdjust not Full, with which KTAB stops). Capabilities 10-200;
    one-dimensional saliences 10-100; with several dimensions an actor's saliences are a
    random split of a total of 30-100 (KTAB allows at most 100). All values have two
    decimals, as written to the file.
    """
    rng = np.random.default_rng(10_000 + seed)
    variant = seed >= FIRST_VARIANT_SEED
    if variant:  # noqa: SIM108 (the draws in this order)
        dims = int(rng.integers(1, 4))
    else:
        dims = 1 if seed <= 16 else int(rng.integers(2, 5))
    n = int(rng.integers(5, 41 if dims == 1 and not variant else 26))
    style = STYLES[seed % len(STYLES)]
    if style == "uniform":
        pos = rng.uniform(0.0, 100.0, (n, dims))
    elif style == "grid":
        pos = rng.integers(0, 21, (n, dims)) * 5.0
    else:
        centres = rng.uniform(0.0, 100.0, (int(rng.integers(2, 4)), dims))
        pos = centres[rng.integers(0, len(centres), n)] + rng.normal(0.0, 6.0, (n, dims))
    pos = np.round(np.clip(pos, 0.0, 100.0), 2)
    if dims == 1:
        sal = np.round(rng.uniform(10.0, 100.0, (n, 1)), 2)
    else:
        split = rng.dirichlet(np.ones(dims), n) * rng.uniform(30.0, 100.0, (n, 1))
        sal = np.floor(split * 100.0) / 100.0  # never above the total
    cap = np.round(rng.uniform(10.0, 200.0, n), 2)
    names = tuple("XYZW"[k] for k in range(dims))
    actors = tuple((f"A{i:02d}", float(cap[i]), tuple(map(float, pos[i])),
                    tuple(map(float, sal[i]))) for i in range(n))
    parameters: tuple[tuple[str, str], ...] = ()
    if variant:
        drawn = []
        for choice in CHOICES:
            values = [v for v in choice.values if v not in ("Stochastic", "Full")]
            drawn.append((choice.ktab, values[int(rng.integers(0, len(values)))]))
        parameters = tuple(drawn)
    return RandomScenario(seed, style, names, actors, parameters)


def random_fixture() -> dict[str, Any]:
    """The stored KTAB results on the random scenarios."""
    data: dict[str, Any] = json.loads(RANDOM_FIXTURE.read_text(encoding="utf-8"))
    return data
