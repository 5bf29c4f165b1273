"""KTAB reference figures for the spatial model of politics, and helpers to use them.

``tests/data/smp_ktab_reference.json`` holds KTAB's example inputs and the results of KTAB
(lsyaseen/KTAB @ 3b5b063) runs on them; its ``source`` entry says exactly where each came from.
"""

from __future__ import annotations

import json
from typing import Any

from detente.models import SpatialModelOfPolitics
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
