"""A process that writes to a workspace, for the crash and concurrency tests.

Usage: ``python workspace_writer.py WORKSPACE FIRST_SEED COUNT DRAWS [TIMEOUT]``. Records COUNT
simulations of the harbour scenario (compromise model, seeds FIRST_SEED, FIRST_SEED + 1, …),
opening the workspace afresh for each. Prints ``begin SEED`` before each write and
``committed SEED RUN_ID`` once it is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from detente.io import load  # noqa: E402
from detente.store import Workspace  # noqa: E402
from tests.simulation_fixtures import fake_simulation  # noqa: E402


def main() -> None:
    path, first, count, draws = sys.argv[1], *map(int, sys.argv[2:5])
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0
    scenario = load(ROOT / "tests" / "data" / "harbour.yaml")
    for seed in range(first, first + count):
        sim = fake_simulation(scenario, draws=draws, seed=seed, models=["compromise"])
        print(f"begin {seed}", flush=True)
        with Workspace(path, timeout=timeout) as ws:
            (run,) = ws.record_simulation(sim)
        print(f"committed {seed} {run.run_id}", flush=True)


if __name__ == "__main__":
    main()
