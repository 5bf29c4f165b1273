"""Sweep throughput and per-task cost of each backend: ``python benchmarks/bench_sweep.py``.

The Korea case (``examples/korea-2018.yaml``, 6 actors × 7 issues) with the expected utility
model, three varied inputs (the US capability, the EUM's Q, China's position on talks) and
100 draws per variation, run

- in this process (1 worker), in 2 local worker processes, and on a Dask LocalCluster of 2
  single-threaded workers, with the default task size and with tasks of about one second;
- then the same backends on 400 tasks that do nothing, for the cost of a task itself.

It prints variation-draws per second, the time the client spent writing to DuckDB, the
pickled size of one task's result, the client's resident memory at 10 % and at 100 % of the
sweep (flat: results leave the client as they are stored), the workspace's size per
variation, and the projection to 100,000 variations × 100 draws. ``--json FILE`` also
writes the figures. Not a test: it never fails on a slow machine. docs/scaling.md reads the
figures.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detente import load  # noqa: E402
from detente.execution import Dask, Executor, InProcess, Processes  # noqa: E402
from detente.execution.local import one_thread_each  # noqa: E402
from detente.store import Workspace  # noqa: E402
from detente.store.sweeps import SweepStore  # noqa: E402
from detente.sweep import SweepSpec, parse_vary, run_sweep  # noqa: E402
from detente.sweep.runner import build_context, run_variations  # noqa: E402
from detente.sweep.spec import check  # noqa: E402

KOREA = ROOT / "examples" / "korea-2018.yaml"
VARY = ("actors.USA.capability=50:150", "eum.Q=0.5:1", "stances.CHN.talks.position=60:95")


def spec(n: int, draws: int, batch: int | None) -> SweepSpec:
    return SweepSpec(variables=tuple(parse_vary(v) for v in VARY), n=n, draws=draws, seed=1,
                     models=("eum",), batch=batch)


class Memory:
    """The client's resident memory, sampled every 50 ms, keyed by the progress."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.share = 0.0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((self.share, self.proc.memory_info().rss))
            time.sleep(0.05)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def at(self, share: float) -> float:
        """MiB at the first sample at or past ``share`` of the sweep."""
        rss = next((r for s, r in self.samples if s >= share), self.samples[-1][1])
        return rss / 2**20


def timed_sweep(ex: Executor, s: SweepSpec, workdir: Path, name: str, label: str
                ) -> dict[str, Any]:
    scenario = load(KOREA)
    path = workdir / f"{name}-{label}.duckdb"
    writes = [0.0]
    original = SweepStore.write

    def write(self: SweepStore, *args: Any) -> None:
        t = time.perf_counter()
        original(self, *args)
        writes[0] += time.perf_counter() - t

    SweepStore.write = write  # type: ignore[method-assign]
    try:
        with Workspace(path) as ws, Memory() as mem:
            def progress(done: int, total: int) -> None:
                mem.share = done / total

            cpu = time.process_time()
            start = time.perf_counter()
            out = run_sweep(scenario, s, ws, executor=ex, progress=progress)
            wall = time.perf_counter() - start
            cpu = time.process_time() - cpu
    finally:
        SweepStore.write = original  # type: ignore[method-assign]
    size = path.stat().st_size
    return {"backend": name, "variations": out.variations, "draws": s.draws,
            "task_variations": s.task_size, "tasks": -(-out.variations // s.task_size),
            "wall_s": wall, "client_cpu_s": cpu,
            "variation_draws_per_s": out.variations * s.draws / wall,
            "variations_per_s": out.variations / wall,
            "duckdb_write_s": writes[0], "rss_mib_at_10pct": mem.at(0.1),
            "rss_mib_at_end": mem.at(1.0), "workspace_bytes_per_variation": size / out.variations}


def _noop(context: int, task: int) -> np.ndarray:
    return np.full(8, float(task + context))


def task_cost(ex: Executor, tasks: int = 400) -> float:
    """Seconds of worker time per task that does nothing (wall × workers / tasks)."""
    ex.map(_noop, 0, list(range(20)))  # warm
    start = time.perf_counter()
    ex.map(_noop, 1, list(range(tasks)))
    return (time.perf_counter() - start) * ex.workers / tasks


def writer_cost(ctx: Any, s: SweepSpec, workdir: Path) -> dict[str, float]:
    """Seconds per ``SweepStore.write`` of tasks of 1, 32 and 200 variations (the one writer)."""
    from detente.sweep.runner import VariationBatch

    scenario = load(KOREA)
    out: dict[str, float] = {}
    with Workspace(workdir / "writer.duckdb") as ws:
        store = SweepStore(ws)
        sid = store.create(scenario, len(scenario.snapshots) - 1, s, list(ctx.models))
        base = run_variations(ctx, np.arange(1))
        start = 0
        for size in (1, 32, 200):
            reps = 20
            t = time.perf_counter()
            for _ in range(reps):
                idx = np.arange(start, start + size)
                start += size
                batch = VariationBatch(idx, ctx.points[idx % len(ctx.points)],
                                       np.repeat(base.stats, size, axis=0),
                                       np.repeat(base.questions, size, axis=0))
                store.write(sid, batch, ctx)
            out[str(size)] = (time.perf_counter() - t) / reps
    return out


def started(make: Callable[[], Executor]) -> tuple[Executor, float]:
    t = time.perf_counter()
    ex = make()
    return ex, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=800, help="variations per run")
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--writer-only", action="store_true",
                        help="only the cost of one DuckDB write per task size")
    args = parser.parse_args()
    one_thread_each()  # "1 worker" is one core, as each worker process is

    s = check(spec(args.n, args.draws, None), load(KOREA))
    ctx = build_context(load(KOREA), s)
    batch = run_variations(ctx, np.arange(s.task_size))  # also compiles/loads the EUM engine
    one_second = max(1, round(s.task_size / 5))
    t = time.perf_counter()
    run_variations(ctx, np.arange(one_second))
    per_variation = (time.perf_counter() - t) / one_second
    one_second = max(1, round(1.0 / per_variation))
    result_bytes = len(pickle.dumps(batch)) / s.task_size
    print(f"one variation ({args.draws} draws, 7 issues): {per_variation * 1e3:.1f} ms; "
          f"default task {s.task_size} variations; about 1 s: {one_second} variations; "
          f"result {result_bytes:.0f} bytes per variation pickled")

    with tempfile.TemporaryDirectory() as tmp:
        writes = writer_cost(ctx, check(spec(10**6, args.draws, None), load(KOREA)), Path(tmp))
    print("one DuckDB write (a task's variations, 1 model × 7 issues × 11 questions each): "
          + ", ".join(f"{k} variations {v * 1e3:.1f} ms" for k, v in writes.items()))
    if args.writer_only:
        return
    figures: dict[str, Any] = {"per_variation_s": per_variation, "write_s": writes,
                               "result_bytes_per_variation": result_bytes, "runs": [],
                               "task_cost_s": {}, "start_s": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        backends: list[tuple[str, Callable[[], Executor]]] = [
            ("in-process", InProcess), ("processes-2", lambda: Processes(2)),
            ("dask-local-2", lambda: Dask(None, 2))]
        for name, make in backends:
            ex, start_s = started(make)
            with ex:
                figures["start_s"][name] = start_s
                # every worker loads the compiled engine before the clock starts
                with Workspace(work / f"warm-{name}.duckdb") as ws:
                    run_sweep(load(KOREA), spec(4 * ex.workers, 10, 1), ws, executor=ex)
                figures["task_cost_s"][name] = task_cost(ex)
                for label, b in (("default", None), ("1s", one_second)):
                    if name == "in-process" and label == "1s":
                        continue
                    run = timed_sweep(ex, spec(args.n, args.draws, b), work, name, label)
                    run["tasks_of"] = label
                    figures["runs"].append(run)
                    print(f"{name:13} tasks {label:7} {run['tasks']:4} tasks: "
                          f"{run['wall_s']:6.1f} s, {run['variation_draws_per_s']:8,.0f} "
                          f"variation-draws/s, DuckDB {run['duckdb_write_s']:.2f} s, client "
                          f"RSS {run['rss_mib_at_10pct']:.0f} -> {run['rss_mib_at_end']:.0f} "
                          f"MiB, {run['workspace_bytes_per_variation']:.0f} B/variation",
                          flush=True)
            print(f"{name:13} start {start_s:.2f} s, a task that does nothing costs "
                  f"{figures['task_cost_s'][name] * 1e3:.2f} ms of worker time", flush=True)
    base = next(r for r in figures["runs"] if r["backend"] == "in-process")
    for r in figures["runs"]:
        r["overhead_vs_ideal"] = r["wall_s"] * (1 if r["backend"] == "in-process" else 2) / \
            base["wall_s"] - 1
    best = max(figures["runs"], key=lambda r: r["variation_draws_per_s"])
    big = 100_000 * 100 / best["variation_draws_per_s"]
    figures["projection_100k_x_100_s"] = big
    print(f"\n100,000 variations × 100 draws at the best rate here ({best['backend']}, "
          f"{best['tasks_of']} tasks): {big / 60:.0f} min; workspace about "
          f"{best['workspace_bytes_per_variation'] * 1e5 / 2**20:.0f} MiB")
    for r in figures["runs"]:
        print(f"  {r['backend']:13} {r['tasks_of']:7} wall × workers / in-process wall - 1 = "
              f"{r['overhead_vs_ideal']:+.1%}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
