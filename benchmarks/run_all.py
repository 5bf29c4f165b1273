"""Run every benchmark script in this folder, one after the other: ``python benchmarks/run_all.py``.

Benchmarks print timings (and ratios against peer tools where those are installed beside the
repository); they are not tests and never fail on a slow machine.
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
    return status


if __name__ == "__main__":
    raise SystemExit(main())
