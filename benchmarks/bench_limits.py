"""Large problems through the command line: reading, and what each model does with them.

    python benchmarks/bench_limits.py [--sizes 200x50 2000x1] [--models exchange smp]
        [--run-refused] [--max-seconds 120]

For each size (actors × issues) a seeded random scenario is written as YAML; the script times
``detente validate`` and, per model, ``detente forecast -m MODEL`` in a subprocess, printing
the model's own estimate of memory and time (``Model.footprint``), the measured peak memory
(max RSS) and time, or the one-line refusal when the estimate is above the memory limit
(``--max-memory``, default a quarter of the machine's). A run past ``--max-seconds`` is
stopped and reported as such. The estimates' coefficients come from the measured rows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detente.limits import duration, human, max_memory  # noqa: E402
from detente.models.registry import REGISTRY  # noqa: E402

DETENTE = Path(sys.executable).with_name("detente")


def scenario_text(actors: int, issues: int, seed: int = 0) -> str:
    """A random scenario: capabilities 1–10, positions 0–100, saliences 0.1–1."""
    rng = np.random.default_rng(seed)
    doc = {
        "detente": 1, "id": f"random-{actors}x{issues}", "title": "Random", "salience_scale": "0-1",
        "actors": [{"id": f"a{i}", "capability": round(float(rng.uniform(1, 10)), 3)}
                   for i in range(actors)],
        "issues": [{"id": f"i{j}", "name": f"Issue {j}", "status_quo": 50}
                   for j in range(issues)],
        "stances": [{"actor": f"a{i}", "issue": f"i{j}",
                     "position": round(float(rng.uniform(0, 100)), 2),
                     "salience": round(float(rng.uniform(0.1, 1)), 3)}
                    for i in range(actors) for j in range(issues)],
    }
    return yaml.safe_dump(doc, sort_keys=False, width=200)


def timed(args: list[str], limit: float) -> tuple[float, int, float, str]:
    """(seconds, exit code, peak RSS in bytes, last line of stderr) of ``detente ARGS``."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen([str(DETENTE), *args], stdout=subprocess.DEVNULL,
                                stderr=err_file, text=True)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > limit:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                status = -1
                break
            time.sleep(0.05)
        proc.returncode = 0  # reaped above
        err_file.seek(0)
        err = (err_file.read().strip().splitlines() or [""])[-1]
    elapsed = time.perf_counter() - start
    code = -1 if status == -1 else os.waitstatus_to_exitcode(status)
    if code == -1:
        err = f"stopped after {limit:g} s"
    return elapsed, code, float(usage.ru_maxrss * 1024), err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["200x50", "2000x1"])
    parser.add_argument("--models", nargs="+", default=["exchange", "smp"])
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_known_args()[0]
    print(f"memory limit: {human(max_memory())}")
    print("| problem | command | estimate | result | time | peak RSS |")
    print("|---|---|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            n, m = map(int, size.lower().split("x"))
            path = Path(tmp) / f"random-{n}x{m}.yaml"
            path.write_text(scenario_text(n, m))
            t, code, peak, err = timed(["validate", str(path)], args.max_seconds)
            print(f"| {n:,} × {m} | validate | — | {'ok' if code == 0 else err} | "
                  f"{t:.1f} s | {human(peak)} |", flush=True)
            for name in args.models:
                fp = REGISTRY[name]().footprint(n, m)
                t, code, peak, err = timed(["forecast", str(path), "-m", name],
                                           args.max_seconds)
                result = "ok" if code == 0 else ("refused" if code == 2 else err)
                print(f"| {n:,} × {m} | forecast -m {name} | {human(fp.bytes)}, "
                      f"{duration(fp.seconds)} | {result} | {t:.1f} s | {human(peak)} |",
                      flush=True)
                if code == 2:
                    print(f"|  | | | `{err}` | | |")


if __name__ == "__main__":
    main()
