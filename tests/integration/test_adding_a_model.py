"""The walk-through in docs/adding-a-model.md works as written."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "adding-a-model.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_example_model_registers_runs_and_keeps_the_contract() -> None:
    from detente.models.registry import REGISTRY

    blocks = _blocks()
    assert len(blocks) == 3
    module = types.ModuleType("power_mean_example")  # the reader's own module
    sys.modules[module.__name__] = module

    def run(code: str) -> None:
        exec(compile(code, str(DOC), "exec", dont_inherit=True), module.__dict__)

    run(blocks[0])
    try:
        run(blocks[1])  # REGISTRY.register(...)
        run(blocks[2])  # check_model(...)
        import detente

        scenario = detente.load(Path(__file__).resolve().parents[1] / "data" / "harbour.yaml")
        plain = detente.forecast(scenario, ["compromise", "power_mean"])
        for issue in scenario.issues:  # a = b = 1 is the compromise model
            assert plain.outcome("power_mean", issue.id) == pytest.approx(
                plain.outcome("compromise", issue.id), rel=1e-12)
        tuned = detente.forecast(scenario, ["power_mean"],
                                 settings={"power_mean": {"preset": "salience-only"}})
        assert tuned.models["power_mean"].parameters() == {"a": 0.0, "b": 1.0}
        with pytest.raises(ValueError, match=r"power_mean\.a"):
            detente.forecast(scenario, ["power_mean"], settings={"power_mean": {"a": 9}})
    finally:
        REGISTRY.unregister("power_mean")
        sys.modules.pop(module.__name__, None)
