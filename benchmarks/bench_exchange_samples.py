"""Agreement with the peer on its sample files: start outcomes and final outcomes after 10 rounds.

    python benchmarks/bench_exchange_samples.py [--seeds 20] [--peer-runs 20] [--preset decide]

For each sample in ../shared/data/decide/ it prints, per issue, the start outcome, and the
final voting outcome after 10 rounds of equal gain (p = 0) over several seeds of detente
(median, lowest, highest), beside the peer's: measured live where the peer is installed beside
the repo (``peer_exchange.py``), else the figures recorded from 60 (sample_data, copenhagen) and
30 (cop21) peer runs. The peer breaks ties at random, so both are spreads; "ok" means detente's
median lies within the peer's run-to-run spread (highest − lowest) of the peer's median. Few
peer runs understate its spread; 20 runs of all three samples take about six minutes.
``--preset decide`` runs detente with the Decide implementation's reading
(docs/models/exchange.md, EXC-16).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.peer_exchange import peer_checkout, run_peer  # noqa: E402
from detente.io import load  # noqa: E402
from detente.models.exchange import Exchange  # noqa: E402
from tests.unit.models.test_exchange import PEER_FINAL  # noqa: E402

SAMPLES = ("sample_data.txt", "copenhagen.csv", "cop21.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--peer-runs", type=int, default=20)
    parser.add_argument("--preset", choices=sorted(Exchange.presets), default=None)
    args = parser.parse_args()
    settings = {"rounds": 10} if args.preset is None else {"rounds": 10, "preset": args.preset}
    data = ROOT.parent / "shared" / "data" / "decide"
    if not data.is_dir():
        print("../shared/data/decide is not available")
        return
    root = peer_checkout()
    agree = inside = total = 0
    for name in SAMPLES:
        sc = load(data / name)
        issues = [i.id for i in sc.issues]
        start = time.perf_counter()
        runs = [Exchange.configure({**settings, "seed": s}).simulate(sc)
                for s in range(args.seeds)]
        per_run = (time.perf_counter() - start) / args.seeds
        finals = np.array([r.outcome for r in runs])
        if root is not None:
            peer = [run_peer(root, data / name, 10, s, timeout=600) for s in range(args.peer_runs)]
            p_start = peer[0]["start"]
            p_final = np.array([[r["final"][i] for i in issues] for r in peer])
            p_stats = {i: (float(np.median(p_final[:, k])), float(p_final[:, k].min()),
                           float(p_final[:, k].max())) for k, i in enumerate(issues)}
            p_time = float(np.mean([r["seconds"] for r in peer]))
            source = f"peer measured now, {args.peer_runs} runs, {p_time:.2f} s model time each"
        else:
            p_start, p_stats = None, PEER_FINAL[name]
            source = "peer recorded (see docs/models/exchange.md#exc-acceptance)"
        print(f"\n{name}: detente {args.seeds} seeds, {per_run:.3f} s each; {source}")
        print(f"  {'issue':24s} {'start':>7s} {'peer':>7s} | {'detente final':>24s} | "
              f"{'peer final':>24s} | {'spread':>6s} {'|diff|':>6s}")
        for k, issue in enumerate(issues):
            med, lo, hi = p_stats[issue]
            mine = finals[:, k]
            diff = abs(float(np.median(mine)) - med)
            ok = diff <= hi - lo
            agree += ok
            inside += lo <= float(np.median(mine)) <= hi
            total += 1
            ps = "" if p_start is None else f"{p_start[issue]:7.2f}"
            print(f"  {issue:24s} {runs[0].initial_outcome[k]:7.2f} {ps:>7s} | "
                  f"{np.median(mine):6.2f} [{mine.min():6.2f},{mine.max():6.2f}] | "
                  f"{med:6.2f} [{lo:6.2f},{hi:6.2f}] | {hi - lo:6.2f} {diff:6.2f} "
                  f"{'ok' if ok else 'OUTSIDE'}")
    print(f"\n{agree} of {total} issues: detente's median within the peer's run-to-run spread"
          f" of the peer's median; {inside} of {total} inside the peer's range")


if __name__ == "__main__":
    main()
