"""The exchange model's ``decide`` preset against the Decide implementation on random scenarios.

    python benchmarks/compare_exchange_random.py [--seeds 30] [--jobs 2] [--no-write]

Each scenario is built from its seed (``random_document`` in
tests/unit/models/test_exchange_decide.py: 8–20 actors, 3–8 issues) and written in Decide's
input format by detente's writer (what ``detente convert x.yaml x.csv -t decide`` writes).
Where the peer is installed beside the repo (``peer_exchange.py``) it runs the peer on each
file (equal gain, p = 0, 10 rounds) and rewrites tests/data/exchange_decide_random.json with
the peer's outcomes per round (unless ``--no-write``); without the peer it reads them from that
file. It prints per scenario the largest difference of the voting outcome after round 1 and
after round 10 and the issues within 0.5 after round 10, for the preset and for the same rules
in float arithmetic (where a knife-edge parts them, docs/models/exchange.md, EXC-15), with the
model times of detente and of the peer (file reading excluded; processor time, which other work
on a shared machine disturbs less than the wall clock).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.peer_exchange import peer_checkout, run_peer  # noqa: E402
from benchmarks.results import Measurement, record  # noqa: E402
from detente.models.exchange import Exchange  # noqa: E402
from tests.unit.models.test_exchange_decide import (  # noqa: E402
    FIXTURE,
    compare,
    compare_run,
    decide_file,
    digest,
    random_scenario,
)

ROUNDS = 10
WITHIN = 0.5


def peer_version(root: Path) -> str:
    if (root / ".git").exists():
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=False)
        if out.returncode == 0:
            return out.stdout.strip()
    return os.environ.get("DECIDE_PEER_VERSION", "unknown")


def run_peer_cases(root: Path, seeds: list[int], jobs: int) -> list[dict[str, Any]]:
    """The peer's outcomes per round on each seed's Decide file."""
    with tempfile.TemporaryDirectory() as tmp:
        def one(seed: int) -> dict[str, Any]:
            text = decide_file(seed)
            path = Path(tmp) / f"random-{seed}.csv"
            path.write_text(text)
            res = run_peer(root, path, ROUNDS, 0, timeout=3600)
            sc = random_scenario(seed)
            issues = [i.id for i in sc.issues]
            return {
                "seed": seed, "actors": len(sc.actors), "issues": len(issues),
                "input_digest": digest(text), "ties": res["ties"],
                "peer_seconds": round(res["seconds"], 3),
                "peer_cpu_seconds": round(res["cpu_seconds"], 3),
                "preference": [[r[i] for i in issues] for r in res["preference"]],
                "voting": [[r[i] for i in issues] for r in res["voting"]],
            }
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(one, seeds))


def write_fixture(cases: list[dict[str, Any]], version: str) -> None:
    """The peer's outcomes, one scenario a line."""
    head = {
        "description": "Outcome of the preferences at the start of each round and of the voting "
                       "positions at its end, Decide exchange model (equal gain, p = 0), on "
                       "random scenarios rebuilt from their seeds by random_document in "
                       "tests/unit/models/test_exchange_decide.py; input_digest: the first 16 "
                       "hex digits of the SHA-256 of the Decide input file.",
        "peer": f"foarsitter/decide-exchange-model @ {version}",
        "rounds": ROUNDS,
    }
    lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    body = ",\n".join(f"  {json.dumps(c)}" for c in cases)
    FIXTURE.write_text("{\n" + "\n".join(lines) + '\n "scenarios": [\n' + body + "\n ]\n}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30, help="scenarios 0 … N-1")
    parser.add_argument("--jobs", type=int, default=1, help="peer runs at a time")
    parser.add_argument("--no-write", action="store_true", help="keep the fixture as it is")
    args = parser.parse_args()
    root = peer_checkout()
    if root is not None:
        print(f"running the peer ({root}) on {args.seeds} scenarios …")
        cases = run_peer_cases(root, list(range(args.seeds)), args.jobs)
        if not args.no_write:
            write_fixture(cases, peer_version(root))
            print(f"wrote {FIXTURE.relative_to(ROOT)}")
        source = "peer measured now"
    else:
        cases = json.loads(FIXTURE.read_text())["scenarios"]
        source = f"peer outcomes from {FIXTURE.relative_to(ROOT)} (no peer installed)"
    preset = Exchange.configure({"preset": "decide"})
    floats = Exchange.configure({"preset": "decide", "arithmetic": "float"})
    print(f"\n{source}; |detente − peer| of the voting outcome, 0–100 scale\n")
    print(f"{'seed':>4} {'n×m':>5} | {'decide preset':^26} | {'same rules, float':^26} | "
          f"{'detente s':>9} {'peer s':>7}  (processor time)")
    print(f"{'':>4} {'':>5} | {'round 1':>8} {'round 10':>8} {'≤0.5':>6} | "
          f"{'round 1':>8} {'round 10':>8} {'≤0.5':>6} |")
    tot = {"issues": 0, "exact": 0, "float": 0}
    worst = {"exact1": 0.0, "exact10": 0.0, "float1": 0.0, "float10": 0.0}
    times = {"detente": 0.0, "peer": 0.0}
    overturned = 0
    for case in cases:
        seed = case["seed"]
        sc = random_scenario(seed)
        start = time.process_time()
        run = preset.simulate(sc)
        mine = time.process_time() - start
        overturned += run.overturned
        d = compare_run(run, case["voting"])
        f = compare(seed, case["voting"], floats)
        m = d.shape[1]
        ok_d, ok_f = int((d[-1] <= WITHIN).sum()), int((f[-1] <= WITHIN).sum())
        tot["issues"] += m
        tot["exact"] += ok_d
        tot["float"] += ok_f
        worst["exact1"] = max(worst["exact1"], float(d[0].max()))
        worst["exact10"] = max(worst["exact10"], float(d[-1].max()))
        worst["float1"] = max(worst["float1"], float(f[0].max()))
        worst["float10"] = max(worst["float10"], float(f[-1].max()))
        times["detente"] += mine
        peer_s = case.get("peer_cpu_seconds", case["peer_seconds"])
        times["peer"] += peer_s
        print(f"{seed:>4} {case['actors']:>2}×{m:<2} | {d[0].max():8.1e} {d[-1].max():8.2e} "
              f"{ok_d:>3}/{m:<2} | {f[0].max():8.1e} {f[-1].max():8.2e} {ok_f:>3}/{m:<2} | "
              f"{mine:9.3f} {peer_s:7.2f}")
    n = tot["issues"]
    print(f"\n{len(cases)} scenarios, {n} issues")
    print(f"decide preset: worst round 1 {worst['exact1']:.1e}, worst round 10 "
          f"{worst['exact10']:.1e}, within {WITHIN} after round 10: {tot['exact']}/{n} "
          f"({tot['exact'] / n:.1%})")
    print(f"  ({overturned} decisions of its float steps lay on a knife-edge that Decimal "
          "arithmetic settled the other way)")
    print(f"same rules in float: worst round 1 {worst['float1']:.1e}, worst round 10 "
          f"{worst['float10']:.2f}, within {WITHIN} after round 10: {tot['float']}/{n} "
          f"({tot['float'] / n:.1%})")
    print(f"model time (processor): detente {times['detente']:.2f} s, peer {times['peer']:.1f} s "
          f"(peer / detente = {times['peer'] / times['detente']:.0f})")
    if root is not None:
        record(Measurement(
            "exchange-decide-random-30", "Exchange model",
            f"preset decide, {len(cases)} random scenarios (8–20 actors, 3–8 issues), "
            "processor time", times["detente"], peer="Decide", peer_seconds=times["peer"],
            note=f"every round within {max(worst['exact1'], worst['exact10']):.1e} of the peer"))


if __name__ == "__main__":
    main()
