"""Start-up time of the command line: ``python benchmarks/bench_startup.py [--repeat N]``.

Runs ``detente --help`` and a small ``detente forecast tests/data/harbour.yaml -m compromise``
as fresh processes (the ``detente`` script beside this Python) and prints the best wall-clock
time of ``--repeat`` runs of each; the goal is under 0.3 s for both. Heavy libraries are
imported where they are used, so neither command pays for plotting, the compiled engine or
the workspace.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Measurement, record  # noqa: E402

COMMANDS = {
    "startup-help": ("detente --help", ["--help"]),
    "startup-forecast": ("detente forecast HARBOUR -m compromise (4 actors, 2 issues)",
                         ["forecast", str(ROOT / "tests" / "data" / "harbour.yaml"),
                          "-m", "compromise"]),
}


def best_wall(argv: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("detente")
    if not script.exists():
        raise SystemExit(f"{script} not found: install detente into this Python first")
    best_wall([str(script), "--help"], 1)  # warm the file cache
    rows = []
    for key, (label, argv) in COMMANDS.items():
        took = best_wall([str(script), *argv], args.repeat)
        print(f"{label:64} {took:.3f} s (best of {args.repeat}; goal < 0.3 s)")
        rows.append(Measurement(key, "Startup", label.replace("HARBOUR", "the harbour example"),
                                took, readme=True, note=f"best of {args.repeat} fresh processes"))
    record(*rows)


if __name__ == "__main__":
    main()
