"""Every registered model keeps the contract of ``detente.testing`` (on random scenarios).

Each model runs with its defaults, with each of its presets, and with random values of its
enumerated and yes/no parameters; the scenarios and configurations come from fixed seeds, so
a failure here is reproducible with the seed it names.
"""

from __future__ import annotations

import numpy as np
import pytest

from detente.models.registry import REGISTRY
from detente.testing import check_model, random_configuration

#: Round caps that keep the dynamic models quick on the contract's small scenarios.
QUICK = {"eum": {"rounds": 6}, "smp": {"rounds": 20}, "exchange": {"rounds": 5}}
SEEDS = range(6)


def _configurations() -> list[tuple[str, str, dict[str, object]]]:
    out = []
    for name in REGISTRY:
        cls = REGISTRY[name]
        out.append((name, "defaults", {}))
        out += [(name, f"preset {p}", {"preset": p}) for p in cls.presets]
        out += [(name, f"random {s}", random_configuration(cls, np.random.default_rng(s)))
                for s in SEEDS]
    return out


@pytest.mark.parametrize(("name", "label", "values"), _configurations(),
                         ids=lambda x: x if isinstance(x, str) else "")
def test_model_keeps_the_contract(name: str, label: str, values: dict[str, object]) -> None:
    model = REGISTRY[name].configure({**values, **QUICK.get(name, {})})
    seed = int.from_bytes(f"{name} {label}".encode(), "little") % 2**32
    check_model(model, seed=seed, n=3)


def test_the_contract_catches_a_broken_model() -> None:
    """A model that favours the first actor listed fails the order check."""
    from dataclasses import dataclass

    from detente.models.base import BatchSolution, IssueBatch, IssueModel
    from detente.testing import ContractError

    @dataclass(frozen=True)
    class FirstActor(IssueModel):
        name = "first"
        label = "First actor's position"
        citation = "none"

        def solve(self, batch: IssueBatch) -> BatchSolution:
            first = np.argmax(batch.present, axis=1)
            return BatchSolution(outcome=batch.position[np.arange(batch.size), first])

    with pytest.raises(ContractError, match="actor order irrelevant"):
        check_model(FirstActor(), seed=1, n=4)
