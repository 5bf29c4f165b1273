"""Timings of the analyst workspace: ``python benchmarks/bench_workspace.py``.

Prints the time to record Monte Carlo draws in a DuckDB workspace (one run of 7 issues ×
100,000 draws, written in one transaction) and to read them back and export them as Parquet;
the time for alignment (distances, blocs and the joint map) with 30 actors × 237 issues (the
size of the DEU data) and 300 actors × 50 issues × 3 snapshots; and the time to build the
Korea report.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import detente  # noqa: E402
from benchmarks.results import Measurement, record  # noqa: E402
from detente.analysis.alignment import blocs, classical_mds, pair_distances  # noqa: E402
from detente.models import get_model  # noqa: E402
from detente.report import build_report  # noqa: E402
from detente.store import Workspace  # noqa: E402

MEASURED: list[Measurement] = []


def timed(key: str, label: str, fn: Callable[[], Any], readme: bool = False) -> Any:
    start = time.perf_counter()
    out = fn()
    took = time.perf_counter() - start
    print(f"{label:60} {took:8.3f} s", flush=True)
    MEASURED.append(Measurement(f"workspace-{key}", "Workspace and reports", label, took,
                                readme=readme))
    return out


@dataclass(frozen=True)
class _P:
    p: float
    se: float


@dataclass(frozen=True)
class _S:
    mean: float
    median: float
    sd: float
    interval: tuple[float, float]
    questions: dict[str, _P]


@dataclass(frozen=True)
class Draws:
    """Draws in the shape of the simulation contract (numbers from a normal sampler)."""

    scenario: detente.Scenario
    snapshot: int
    draws: int
    seed: int
    models: dict[str, Any]
    samples: dict[str, dict[str, np.ndarray]]

    def summary(self, model: str, issue: str) -> _S:
        x = self.samples[model][issue]
        lo, hi = np.percentile(x, [5, 95])
        return _S(float(x.mean()), float(np.median(x)), float(x.std()), (lo, hi), {})


def main() -> None:
    korea = detente.load(ROOT / "examples" / "korea-2018.yaml")
    rng = np.random.default_rng(0)
    n = 100_000
    sim = Draws(korea, 2, n, 0, {"median": get_model("median")},
                {"median": {i.id: rng.normal(50, 10, n) for i in korea.issues}})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Workspace(path) as ws:
            (run,) = timed("record-draws", f"record 1 run × 7 issues × {n:,} draws",
                           lambda: ws.record_simulation(sim))
            timed("read-draws", "read those draws back", lambda: ws.draws(run.run_id))
            timed("export", "export every table as Parquet", lambda: ws.export(Path(tmp) / "out"))
            timed("record-forecast", "record a Korea forecast (every model)",
                  lambda: ws.forecast(korea))

    for actors, issues, snaps in ((30, 237, 1), (300, 50, 3)):
        points = actors * snaps
        x = rng.uniform(size=(points, issues))
        s = rng.uniform(size=(points, issues))
        present = rng.uniform(size=(points, issues)) < 0.9

        def align(x: np.ndarray = x, s: np.ndarray = s, p: np.ndarray = present,
                  n: int = actors) -> None:
            d, _ = pair_distances(x, s, p)
            classical_mds(d)
            blocs(d[:n, :n])

        timed(f"alignment-{actors}x{issues}", f"alignment (distances, blocs, map): {actors} "
              f"actors × {issues} issues × {snaps} snapshot{'s' if snaps > 1 else ''}", align)
    timed("report", "the Korea report (HTML with every chart)", lambda: build_report(korea),
          readme=True)
    record(*MEASURED)


if __name__ == "__main__":
    main()
