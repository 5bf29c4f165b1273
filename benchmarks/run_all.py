"""Run every benchmark script in this folder, one after the other: ``python benchmarks/run_all.py``.

Benchmarks print timings (and ratios against peer tools where those are installed beside the
repository) and record them in ``results.json``; they are not tests and never fail on a slow
machine. At the end the speed page and the README's table are rendered from that file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        status |= subprocess.call([sys.executable, str(script), *sys.argv[1:]])
    # docs/speed.md and the README's table, from what the scripts recorded
    status |= subprocess.call([sys.executable, str(HERE / "results.py")])
    return status


if __name__ == "__main__":
    raise SystemExit(main())
