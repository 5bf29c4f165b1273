"""Timings of the expected utility model: ``python benchmarks/bench_eum.py [REFERENCE_DIR]``.

Prints the time for one issue with 10, 50, 200 and 1,000 actors over 10 rounds (the engine
``ExpectedUtility`` picks by itself), and for 100,000 rows of 6 actors over 10 rounds (a
Monte Carlo batch) on each engine: NumPy, and compiled on one thread and on every core,
with the time per row and round and the ratio. ``--scan`` also prints both engines' time
per row and round for 2 to 64 actor slots, the measurement behind the "auto" engine
choosing the compiled one. Where the public Python replication of Scholz et al. (2011),
github.com/jmckib/bdm-scholz-expected-utility-model, is checked out beside the repository
(``../bdm-scholz-expected-utility-model``, or the directory given as argument), it is run on
the same input, Bueno de Mesquita's (1994) EC emission standards data, and the ratio of the
two times is printed. That code is Python 2; its print statements are turned into no-ops
when it is loaded here. It is not part of this project.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
import types
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Measurement, record  # noqa: E402
from detente.models.base import IssueBatch  # noqa: E402
from detente.models.eum import ExpectedUtility  # noqa: E402
from detente.models.eum import kernel as eum_kernel  # noqa: E402
from tests.helpers import BDM1994  # noqa: E402  (Bueno de Mesquita 1994, Table 1)

ROUNDS = 10
GROUP = "Expected utility model"


def random_batch(rows: int, actors: int, seed: int = 0) -> IssueBatch:
    rng = np.random.default_rng(seed)
    return IssueBatch.create(
        position=rng.uniform(0, 100, (rows, actors)),
        salience=rng.uniform(0.1, 1.0, (rows, actors)),
        capability=rng.uniform(1, 100, (rows, actors)),
    )


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def load_reference(directory: Path) -> types.ModuleType | None:
    """The replication's module, or None where it is not checked out."""
    path = directory / "bdm_scholz_model.py"
    if not path.is_file():
        return None
    source = path.read_text()
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError:  # Python 2: silence its print statements
        source = re.sub(r"^(\s*)print\b(?!\().*$", r"\1pass", source, flags=re.M)
        code = compile(source, str(path), "exec")
    module = types.ModuleType("bdm_scholz_model")
    module.__file__ = str(path)
    exec(code, module.__dict__)
    return module


def run_reference(module: types.ModuleType) -> list[list[float]]:
    """Ten rounds of the replication on the emission standards data; positions per round."""
    rows = [
        {"Actor": a, "Capability": str(c), "Position": str(x), "Salience": str(s / 100)}
        for a, c, x, s in BDM1994
    ]
    try:
        model = module.BDMScholzModel(rows, verbose=False)  # a Python 3 fork takes this
    except TypeError:
        model = module.BDMScholzModel(rows)
    out = [[a.x for a in model.actors]]
    for _ in range(ROUNDS):
        model.update_risk_aversions()
        model.update_positions()
        out.append([a.x for a in model.actors])
    return out


def per_row_round(model: ExpectedUtility, batch: IssueBatch, repeat: int) -> float:
    """Seconds per row and round (every round run)."""
    return best_time(partial(model.solve, batch), repeat) / (batch.size * model.rounds)


def compiled_threads(count: int) -> Callable[[], None]:
    """Run the compiled engine on ``count`` threads; returns the undo."""
    before = eum_kernel.threads()
    eum_kernel.set_threads(count)
    return partial(eum_kernel.set_threads, before)


def scan(model: ExpectedUtility) -> None:
    """Both engines' time per row and round by actor slots (one thread), on batches of
    about 2 million pair cells."""
    undo = compiled_threads(1)
    print("per row and round by actor slots (compiled engine on one thread):")
    for n in (2, 4, 6, 8, 12, 16, 20, 24, 32, 48, 64):
        batch = random_batch(max(20, 2_000_000 // (n * n)), n)
        fast = per_row_round(dataclasses.replace(model, engine="compiled"), batch, 2)
        slow = per_row_round(dataclasses.replace(model, engine="numpy"), batch, 1)
        print(f"  n = {n:3d}: numpy {slow * 1e6:8.2f} us, compiled {fast * 1e6:8.2f} us, "
              f"ratio {slow / fast:5.1f}x  ({batch.size:,} rows)")
    undo()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path,
                        default=ROOT.parent / "bdm-scholz-expected-utility-model")
    parser.add_argument("--scan", action="store_true",
                        help="time both engines for 2 to 64 actor slots")
    args = parser.parse_args(argv[1:])
    model = ExpectedUtility(rounds=ROUNDS, tolerance=0.0)
    started = time.perf_counter()
    model.solve(random_batch(2, 6))  # compile, or load the compiled engine from its cache
    print(f"expected utility model, {ROUNDS} rounds (tolerance 0: every round is run); "
          f"compiled engine ready in {time.perf_counter() - started:.1f} s")
    measured: list[Measurement] = []
    for actors in (10, 50, 200, 1000):
        repeat = 5 if actors <= 200 else 1
        t = best_time(partial(model.solve, random_batch(1, actors)), repeat)
        engine = "compiled" if model.compiled(actors) else "numpy"
        print(f"  1 issue x {actors:5d} actors: {t:8.3f} s  ({engine})")
        measured.append(Measurement(
            f"eum-actors-{actors:04d}", GROUP, f"one issue, {actors:,} actors × {ROUNDS} rounds",
            t, note=f"{engine} engine", readme=actors == 1000))
    big = random_batch(100_000, 6)
    slow = per_row_round(dataclasses.replace(model, engine="numpy"), big, 1)
    undo = compiled_threads(1)
    one = per_row_round(dataclasses.replace(model, engine="compiled"), big, 3)
    undo()
    every = per_row_round(dataclasses.replace(model, engine="compiled"), big, 3)
    rows = big.size * ROUNDS
    print(f"  100,000 rows x 6 actors, numpy engine:          {slow * rows:7.3f} s  "
          f"({slow * 1e6:.2f} us per row and round)")
    print(f"  100,000 rows x 6 actors, compiled, 1 thread:    {one * rows:7.3f} s  "
          f"({one * 1e6:.2f} us per row and round; {slow / one:.1f}x)")
    print(f"  100,000 rows x 6 actors, compiled, {eum_kernel.threads()} threads:   "
          f"{every * rows:7.3f} s  ({every * 1e6:.2f} us per row and round; "
          f"{slow / every:.1f}x)")
    engines = (("numpy", "NumPy engine", slow), ("compiled-1", "compiled, 1 thread", one),
               ("compiled", f"compiled, {eum_kernel.threads()} threads", every))
    for key, label, t in engines:
        measured.append(Measurement(
            f"eum-batch-{key}", GROUP, f"100,000 issue rows × 6 actors × {ROUNDS} rounds, {label}",
            t * rows, note=f"{t * 1e6:.2f} µs per row and round"))
    record(*measured)
    if args.scan:
        scan(model)

    directory = args.reference
    module = load_reference(directory)
    if module is None:
        print(f"replication not found at {directory}; skipped the comparison")
        return
    emission = IssueBatch.create(
        position=np.array([[r[2] for r in BDM1994]], dtype=float),
        salience=np.array([[r[3] / 100 for r in BDM1994]]),
        capability=np.array([[r[1] for r in BDM1994]]),
    )
    ours = best_time(partial(model.solve, emission), 5)
    trajectory: list[list[float]] = []

    def theirs_once() -> None:
        trajectory[:] = run_reference(module)

    theirs = best_time(theirs_once, 1)
    sol = model.solve(emission)
    assert sol.positions is not None
    gap = float(np.abs(sol.positions[:, 0] - np.array(trajectory)).max())
    print(f"emission standards (10 actors, {ROUNDS} rounds), same run:")
    print(f"  this engine: {ours:.4f} s   replication ({directory.name}): {theirs:.3f} s")
    print(f"  ratio: {theirs / ours:,.0f}x   largest position difference: {gap:.1e}")
    record(Measurement("eum-bdm1994", GROUP, f"BDM 1994 example (10 actors, {ROUNDS} rounds)", ours,
                       peer="Python replication", peer_seconds=theirs, readme=True,
                       note=f"positions equal within {gap:.1e}"))


if __name__ == "__main__":
    main(sys.argv)
