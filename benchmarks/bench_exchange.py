"""Speed of the exchange model: random problems of growing size, 10 rounds of equal gain.

    python benchmarks/bench_exchange.py [--peer-large]

Prints the model time (rounds only, no file reading; wall clock, and processor time, which
other processes on the machine disturb less) for 30 × 6, 60 × 10 and 200 × 20 actors ×
issues against the targets (60 × 10 under 1 s, 200 × 20 under 30 s), and the same timing for
the vectorised engine's loop-based reference on the smallest case. Where the peer is installed
beside the repo (see ``peer_exchange.py``) it runs the peer on 30 × 6 (about 13 s) and, with
``--peer-large``, on 60 × 10 (several minutes), and prints the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.peer_exchange import peer_checkout, run_peer
from benchmarks.results import Measurement, record
from detente.io import dumps
from detente.io.document import scenario_from_document
from detente.models.exchange.engine import Rules, simulate
from detente.scenario import Scenario
from tests.unit.models.exchange_reference import reference_rounds

SIZES = ((30, 6, None), (60, 10, 1.0), (200, 20, 30.0))
GROUP = "Exchange model"


def problem(n: int, m: int, seed: int = 1) -> tuple[np.ndarray, ...]:
    """Positions 0–100 in steps of 5, saliences 0.1–1, one capability per actor."""
    g = np.random.default_rng(seed)
    pos = np.round(g.uniform(0, 100, (n, m)) / 5) * 5
    sal = np.round(g.uniform(0.1, 1.0, (n, m)), 2)
    cap = np.repeat(np.round(g.uniform(0.05, 1.0, (n, 1)), 3), m, axis=1)
    return pos, sal, cap, np.ones((n, m), dtype=bool)


def as_scenario(pos: np.ndarray, sal: np.ndarray, cap: np.ndarray) -> Scenario:
    n, m = pos.shape
    doc = {
        "id": f"random-{n}x{m}", "title": f"Random {n} x {m}",
        "actors": [{"id": f"a{i}", "capability": float(cap[i, 0])} for i in range(n)],
        "issues": [{"id": f"i{k}", "name": f"i{k}"} for k in range(m)],
        "stances": [{"actor": f"a{i}", "issue": f"i{k}", "position": float(pos[i, k]),
                     "salience": float(sal[i, k])} for i in range(n) for k in range(m)],
    }
    return scenario_from_document(doc, default_salience_scale="0-1")


def timed(n: int, m: int, repeats: int) -> tuple[float, float, int]:
    """Best wall-clock and processor time over ``repeats`` runs, and the number of trades."""
    pos, sal, cap, present = problem(n, m)
    wall, cpu, trades = float("inf"), float("inf"), 0
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        rounds = simulate(pos, sal, cap, present, Rules(rounds=10), np.random.default_rng(0))
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        trades = sum(len(r.trades) for r in rounds)
    return wall, cpu, trades


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-large", action="store_true", help="also run the peer on 60 x 10")
    args = parser.parse_args()
    print("exchange model, equal gain, 10 rounds (best of 3 below 200 actors)")
    mine: dict[tuple[int, int], float] = {}
    for n, m, target in SIZES:
        seconds, cpu, trades = timed(n, m, 3 if n < 200 else 1)
        mine[(n, m)] = seconds
        goal = "" if target is None else (
            f"  target < {target:g} s: {'met' if seconds < target else 'MISSED'}")
        print(f"  {n:3d} actors x {m:2d} issues: {seconds:7.3f} s ({cpu:.3f} s processor), "
              f"{trades:6d} trades{goal}")
    pos, sal, cap, present = problem(30, 6)
    start = time.perf_counter()
    reference_rounds(pos, sal, cap, present, rounds=10)
    print(f"  loop-based reference, 30 x 6: {time.perf_counter() - start:.3f} s")
    record(*(Measurement(f"exchange-{n:03d}x{m:02d}", GROUP,
                         f"{n} actors × {m} issues × 10 rounds, equal gain", t,
                         readme=(n, m) == (200, 20)) for (n, m), t in mine.items()))
    root = peer_checkout()
    if root is None:
        print("peer not found beside the repo (../decide-exchange-model or $DECIDE_PEER): "
              "no ratio; its published model time is about 13 s for 30 x 6 and 512 s for "
              "60 x 10")
        return
    cases = [(30, 6)] + ([(60, 10)] if args.peer_large else [])
    with tempfile.TemporaryDirectory() as tmp:
        for n, m in cases:
            pos, sal, cap, _ = problem(n, m)
            path = Path(tmp) / f"random_{n}x{m}.csv"
            path.write_text(dumps(as_scenario(pos, sal, cap), "decide"), encoding="utf-8")
            peer = run_peer(root, path, 10, 1, timeout=3600)["seconds"]
            print(f"  peer {n} x {m}: {peer:.2f} s model time; detente is "
                  f"{peer / mine[(n, m)]:.0f}x faster")
            record(Measurement(f"exchange-{n:03d}x{m:02d}", GROUP,
                               f"{n} actors × {m} issues × 10 rounds, equal gain", mine[(n, m)],
                               peer="Decide", peer_seconds=peer, readme=True,
                               note="the peer's model time, file reading excluded"))


if __name__ == "__main__":
    main()
