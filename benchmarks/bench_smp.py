"""Speed of the spatial model of politics, against its targets and, where built, KTAB itself.

    python benchmarks/bench_smp.py [--sizes 100 200] [--ktab PATH] [--ktab-max-actors 80]

Cases: KTAB's SOE-Competitive (34 actors) and dummyData a040/a080 examples (from ../shared,
else from the reference figures in tests/data), plus random one-dimensional scenarios of the
given sizes (seeded, so every run times the same inputs). Each case is written as KTAB CSV and
read back, so detente and KTAB see the same file. KTAB's ``smpc`` is looked for in $KTAB_SMPC,
then beside the repository (../ktab/smpc, ../ktab/build/smpc, ../ktab/examples/smp/smpc,
../peers/ktab/examples/smp/smpc); where found it runs the same
files (up to ``--ktab-max-actors``: its cost grows as N⁴ per turn) and the ratio is printed,
with a check that both ended after the same number of turns at the same final positions.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Measurement, record  # noqa: E402
from detente.io import load  # noqa: E402
from detente.models import IssueBatch, SpatialModelOfPolitics  # noqa: E402
from tests.smp_reference import ktab_csv  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "ktab"
TARGETS = {34: 0.5, 100: 10.0, 200: 120.0}  # seconds, from the issue


@dataclass
class Timing:
    name: str
    actors: int
    dims: int
    turns: int
    seconds: float
    final: np.ndarray


def random_csv(n: int, seed: int = 2024) -> str:
    """A KTAB CSV of n actors on one dimension, drawn like KTAB's random SMP actors."""
    rng = np.random.default_rng(seed + n)
    lines = [f"random-{n},seeded random actors,{n},1,",
             "Actor,Description,Power,X Position,X Salience"]
    for i in range(n):
        cap = rng.uniform(10, 200)
        lines.append(f"A{i:03d},,{cap:.2f},{rng.uniform(0, 100):.2f},{rng.uniform(20, 99):.2f}")
    return "\n".join(lines) + "\n"


def cases(sizes: list[int]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("SOE-Competitive", "dummyData-a040", "dummyData-a080"):
        shipped = SHARED / f"{name}.csv"
        out[name] = shipped.read_text(encoding="utf-8") if shipped.exists() else ktab_csv(name)
    if (SHARED / "dummyData-a160.csv").exists():
        out["dummyData-a160"] = (SHARED / "dummyData-a160.csv").read_text(encoding="utf-8")
    for n in sizes:
        out[f"random-{n}"] = random_csv(n)
    return out


def time_detente(name: str, path: Path) -> Timing:
    """Wall time of one run (the best of three where a run takes under a second)."""
    scenario = load(path, "ktab")
    model = SpatialModelOfPolitics(joint=True)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run = model.simulate(scenario)[0]
        best = min(best, time.perf_counter() - start)
        if best > 1.0:
            break
    n, d = run.positions.shape[1:]
    return Timing(name, n, d, run.turns, best, run.positions[-1])


def time_batch(draws: int = 300, actors: int = 30) -> None:
    """The batched one-dimensional path (Monte Carlo style): many problems in one call."""
    rng = np.random.default_rng(7)
    shape = (draws, actors)
    batch = IssueBatch.create(position=rng.uniform(0, 100, shape),
                              salience=rng.uniform(0.2, 1.0, shape),
                              capability=rng.uniform(10, 200, shape), lower=0.0, upper=100.0)
    start = time.perf_counter()
    SpatialModelOfPolitics().solve(batch)
    seconds = time.perf_counter() - start
    print(f"batch of {draws} problems × {actors} actors (solve): {seconds:.2f} s, "
          f"{1000 * seconds / draws:.1f} ms per problem")


GROUP = "Spatial model of politics"


def find_ktab(given: str | None) -> Path | None:
    beside = [ROOT.parent / "ktab" / "smpc", ROOT.parent / "ktab" / "build" / "smpc",
              ROOT.parent / "ktab" / "examples" / "smp" / "smpc",
              ROOT.parent / "peers" / "ktab" / "examples" / "smp" / "smpc"]
    for candidate in (given, os.environ.get("KTAB_SMPC"), *beside):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def time_ktab(smpc: Path, path: Path, work: Path) -> tuple[float, int, np.ndarray]:
    """KTAB's wall time, turns and final positions (its log prints them to 0.1)."""
    db = work / f"{path.stem}.db"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(smpc), "--csv", str(path), "--logmin", "--connstr", f"Driver=QSQLITE;Database={db}"],
        cwd=work, capture_output=True, text=True, check=False,
        env={**os.environ, "KTAB_LOG": "1"},
    )
    seconds = time.perf_counter() - start
    log = proc.stdout
    states = re.findall(r"There were (\d+) states", log)
    history = log[log.rfind("History of actor positions"):log.rfind("History of actors' winning")]
    finals = [float(m.split()[-1]) for m in
              re.findall(r"^.+?, .+?:((?:\s+[\d.]+)+)\s*$", history, flags=re.MULTILINE)]
    turns = int(states[-1]) - 1 if states else -1
    return seconds, turns, np.array(finals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 200],
                        help="random one-dimensional cases to time (actors)")
    parser.add_argument("--ktab", help="path to KTAB's smpc (default: $KTAB_SMPC or ../ktab)")
    parser.add_argument("--ktab-max-actors", type=int, default=80,
                        help="largest case to give KTAB (100 actors take it minutes)")
    args = parser.parse_args()
    smpc = find_ktab(args.ktab)
    print(f"KTAB smpc: {smpc or 'not found (set KTAB_SMPC to compare)'}")
    print(f"{'case':18} {'actors×dims':>11} {'turns':>5} {'detente s':>10} {'target s':>9} "
          f"{'KTAB s':>9} {'ratio':>7}  same result")
    measured: list[Measurement] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, text in cases(args.sizes).items():
            path = work / f"{name}.csv"
            path.write_text(text, encoding="utf-8")
            t = time_detente(name, path)
            target = TARGETS.get(t.actors)
            verdict = "" if target is None else ("ok" if t.seconds < target else "SLOW")
            size = f"{t.actors}×{t.dims}"
            line = (f"{name:18} {size:>11} {t.turns:>5} {t.seconds:>10.3f} "
                    f"{'' if target is None else f'{target:g}':>9}")
            dims = "one dimension" if t.dims == 1 else f"{t.dims} dimensions"
            problem = f"{name} ({t.actors} actors, {dims}, {t.turns} turns)"
            row = Measurement(f"smp-{name}", GROUP, problem, t.seconds,
                              readme=name in ("SOE-Competitive", "random-200"))
            if smpc is not None and t.actors <= args.ktab_max_actors:
                k_s, k_turns, k_final = time_ktab(smpc, path, work)
                same = (k_turns == t.turns and k_final.size == t.final.size
                        and bool(np.all(np.abs(k_final - t.final.ravel()) <= 0.05 + 1e-6)))
                line += f" {k_s:>9.2f} {k_s / t.seconds:>6.0f}×  {'yes' if same else 'NO'}"
                row = dataclasses.replace(
                    row, peer="KTAB smpc", peer_seconds=k_s,
                    note="same turns and final positions" if same else "results differ")
            else:
                line += f" {'':>9} {'':>7}"
            measured.append(row)
            print(f"{line}  {verdict}".rstrip(), flush=True)
    record(*measured)
    time_batch()


if __name__ == "__main__":
    main()
