"""The expected utility model against the Python replication of Scholz et al. on random inputs.

    python benchmarks/bench_eum_scholz.py [--peer DIR] [--python2 EXE] [--write]
                                          [--peer-max-actors N] [--as-shipped]

Draws the seeded random scenarios of ``tests/eum_scholz_reference.py`` (20 problems of 5-30
actors), runs detente's ``eum`` with the ``scholz-code`` preset on each and, where the public
Python replication that reproduces Scholz, Calbert & Smith's (2011) Table 2
(github.com/jmckib/bdm-scholz-expected-utility-model, Python 2) is checked out
(``--peer``, ``$BDM_SCHOLZ_DIR``, ``../bdm-scholz-expected-utility-model`` or
``../peers/bdm``) and a Python 2 interpreter is found (``--python2``, ``$PYTHON2``, then
``python2.7``/``python2`` on the PATH), runs that code on the same inputs in the same run
(on the scenarios of up to ``--peer-max-actors``, 20 by default; ``--write`` runs all). It
prints, per scenario, the largest difference of the per-round medians (on both engines),
means and positions and both times with their ratio; ``--write`` stores the replication's
figures as ``tests/data/eum_scholz_random.json``, the fixture the tests check without the
peer. Scenarios the peer did not run are compared with that fixture (and its stored times).

The replication is imported as it is, not changed or copied: a small driver (below) calls
its ``BDMScholzModel`` round by round. That code recomputes every probability of success
(a sum over all voters and pairs, O(n³)) for every pair and every actor's danger level for
every actor, O(n⁶) a round; so that 30 actors take seconds rather than hours the driver
remembers, within each of its two phases of a round (risk exponents; offers), the value of
each ``probability(x_i, x_j)`` and ``danger_level()`` call, which in a phase depend only on
positions and exponents that do not change until the phase ends; the values are the
replication's own, bit for bit. ``--as-shipped`` times the unchanged code instead (only
sensible with ``--peer-max-actors`` 15 or so: 131 s for 15 actors).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Measurement, record  # noqa: E402
from detente.models.eum import ExpectedUtility  # noqa: E402
from tests.eum_scholz_reference import (  # noqa: E402
    FIXTURE,
    MEDIAN_BOUND,
    ROUNDS,
    SEEDS,
    Scenario,
    scenario,
)

PEER = "jmckib/bdm-scholz-expected-utility-model @ 55f63e9"

#: Runs under Python 2 beside the replication's module: JSON in on stdin, JSON out.
DRIVER = r'''
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
import bdm_scholz_model as bdm

if sys.argv[2] == "cached":
    M = bdm.BDMScholzModel
    plain_prob, plain_danger = M.probability, bdm.Actor.danger_level
    plain_risk, plain_move = M.update_risk_aversions, M.update_positions

    def probability(self, x_i, x_j):
        key = (x_i, x_j)
        if key not in self.memo:
            self.memo[key] = plain_prob(self, x_i, x_j)
        return self.memo[key]

    def danger_level(self):
        memo = self.model.memo
        if self not in memo:
            memo[self] = plain_danger(self)
        return memo[self]

    def phase(step):
        def run(self):
            self.memo = {}
            step(self)
            self.memo = {}
        return run

    M.probability = probability
    bdm.Actor.danger_level = danger_level
    M.update_risk_aversions = phase(plain_risk)
    M.update_positions = phase(plain_move)

req = json.load(sys.stdin)
real, out = sys.stdout, []
for sc in req["scenarios"]:
    rows = [{"Actor": a, "Capability": repr(c), "Position": repr(x), "Salience": repr(s)}
            for a, c, x, s in sc["actors"]]
    sys.stdout = open(os.devnull, "w")  # the replication prints every offer
    start = time.time()
    model = bdm.BDMScholzModel(rows)
    model.memo = {}
    med, mean = [model.median_position()], [model.mean_position()]
    pos = [[a.x for a in model.actors]]
    for _ in range(req["rounds"]):
        model.update_risk_aversions()
        model.update_positions()
        med.append(model.median_position())
        mean.append(model.mean_position())
        pos.append([a.x for a in model.actors])
    seconds = time.time() - start
    sys.stdout.close()
    sys.stdout = real
    out.append({"seed": sc["seed"], "median": med, "mean": mean, "positions": pos,
                "seconds": seconds})
    sys.stderr.write("  replication: seed %d done in %.1f s\n" % (sc["seed"], seconds))
json.dump({"python": sys.version.split()[0], "results": out}, real)
'''


def find_peer(given: Path | None) -> Path | None:
    for candidate in (given, os.environ.get("BDM_SCHOLZ_DIR"),
                      ROOT.parent / "bdm-scholz-expected-utility-model",
                      ROOT.parent / "peers" / "bdm"):
        if candidate and (Path(candidate) / "bdm_scholz_model.py").is_file():
            return Path(candidate)
    return None


def find_python2(given: str | None) -> str | None:
    for candidate in (given, os.environ.get("PYTHON2"), "python2.7", "python2"):
        if not candidate:
            continue
        exe = shutil.which(candidate)
        if exe is None:
            continue
        probe = subprocess.run([exe, "-c", "import sys; print(sys.version_info[0])"],
                               capture_output=True, text=True, check=False)
        if probe.returncode == 0 and probe.stdout.strip() == "2":
            return exe
    return None


def run_peer(peer: Path, python2: str, scenarios: list[Scenario], cached: bool
             ) -> dict[str, Any]:
    request = {"rounds": ROUNDS, "scenarios": [
        {"seed": s.seed, "actors": [list(a) for a in s.actors]} for s in scenarios]}
    proc = subprocess.run([python2, "-c", DRIVER, str(peer), "cached" if cached else "plain"],
                          input=json.dumps(request), stdout=subprocess.PIPE, text=True,
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"the replication failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def run_detente(scenarios: list[Scenario], engine: str) -> tuple[list[Any], list[float]]:
    model = ExpectedUtility.configure({"preset": "scholz-code", "rounds": ROUNDS,
                                       "engine": engine})
    model.solve(scenarios[0].batch())  # compile, or load the compiled engine from its cache
    solutions, seconds = [], []
    for s in scenarios:
        batch = s.batch()
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            sol = model.solve(batch)
            best = min(best, time.perf_counter() - start)
        solutions.append(sol)
        seconds.append(best)
    return solutions, seconds


def write_fixture(scenarios: list[Scenario], theirs: list[dict[str, Any]], python: str,
                  as_shipped: bool) -> None:
    FIXTURE.write_text(json.dumps({
        "source": (f"{PEER} (github.com/jmckib/bdm-scholz-expected-utility-model, Python "
                   f"{python}), run by benchmarks/bench_eum_scholz.py: BDMScholzModel round by "
                   "round on each scenario; seconds as run "
                   + ("unchanged" if as_shipped else
                      "with its repeated probability and danger-level calls remembered within "
                      "each phase of a round")),
        "rounds": ROUNDS,
        "scenarios": [{**s.to_dict(), **{k: r[k] for k in
                                         ("median", "mean", "positions", "seconds")}}
                      for s, r in zip(scenarios, theirs, strict=True)],
    }, indent=None, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE.relative_to(ROOT)}")


def gap(a: Any, b: Any) -> float:
    return float(np.abs(np.asarray(a) - np.asarray(b)).max())


GROUP = "Expected utility model"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", type=Path, help="directory holding bdm_scholz_model.py")
    parser.add_argument("--python2", help="a Python 2 interpreter")
    parser.add_argument("--write", action="store_true",
                        help=f"run the replication on every scenario and store its figures in "
                        f"{FIXTURE.relative_to(ROOT)}")
    parser.add_argument("--as-shipped", action="store_true",
                        help="run the replication without remembering its repeated values")
    parser.add_argument("--peer-max-actors", type=int, default=20,
                        help="run the replication on scenarios up to this size (default 20, "
                        "about 2 minutes; 30 and --write: all, about 20 minutes); the others "
                        "are compared with the stored figures")
    args = parser.parse_args()
    scenarios = [scenario(s) for s in SEEDS]
    peer, python2 = find_peer(args.peer), find_python2(args.python2)
    print(f"expected utility model, preset scholz-code, {len(scenarios)} random scenarios "
          f"x {ROUNDS} rounds")
    print(f"replication: {peer or 'not found'}; Python 2: {python2 or 'not found'}")
    ours, our_seconds = run_detente(scenarios, "compiled")
    reference, numpy_seconds = run_detente(scenarios, "numpy")

    stored: dict[int, dict[str, Any]] = {}
    if FIXTURE.exists():
        stored = {r["seed"]: r for r in json.loads(FIXTURE.read_text("utf-8"))["scenarios"]}
    theirs: dict[int, dict[str, Any]] = {}
    if peer is not None and python2 is not None:
        limit = max(len(s.actors) for s in scenarios) if args.write else args.peer_max_actors
        todo = [s for s in scenarios if len(s.actors) <= limit]
        started = time.perf_counter()
        reply = run_peer(peer, python2, todo, cached=not args.as_shipped)
        print(f"replication ran on {len(todo)} scenarios in {time.perf_counter() - started:.1f} s"
              f" ({'as shipped' if args.as_shipped else 'repeated values remembered'})")
        theirs = {r["seed"]: {**r, "from": "run"} for r in reply["results"]}
        if args.write:
            write_fixture(scenarios, [theirs[s.seed] for s in scenarios], reply["python"],
                          args.as_shipped)
    for seed, r in stored.items():
        theirs.setdefault(seed, {**r, "from": "stored"})
    if not theirs:
        print("no replication and no stored figures: detente's times only")
        for s, t in zip(scenarios, our_seconds, strict=True):
            print(f"  seed {s.seed:3d} {s.style:8} {len(s.actors):3d} actors: {t:.4f} s")
        return

    print("largest differences per scenario over rounds 0-10 (compiled engine unless said), "
          "times of one run:")
    print(f"{'seed':>4} {'style':8} {'actors':>6} {'median':>9} {'(numpy)':>9} {'mean':>9} "
          f"{'positions':>9} {'detente s':>10} {'peer s':>8} {'ratio':>8}")
    worst = {"median": 0.0, "numpy": 0.0, "mean": 0.0, "positions": 0.0}
    total_ours = total_theirs = 0.0
    for s, sol, ref, t in zip(scenarios, ours, reference, our_seconds, strict=True):
        r = theirs.get(s.seed)
        if r is None:
            continue
        gaps = {"median": gap(sol.median[:, 0], r["median"]),
                "numpy": gap(ref.median[:, 0], r["median"]),
                "mean": gap(sol.mean[:, 0], r["mean"]),
                "positions": gap(sol.positions[:, 0], r["positions"])}
        for k, v in gaps.items():
            worst[k] = max(worst[k], v)
        total_ours += t
        total_theirs += r["seconds"]
        note = "" if r["from"] == "run" else "  (stored peer figures and time)"
        print(f"{s.seed:>4} {s.style:8} {len(s.actors):>6} {gaps['median']:>9.1e} "
              f"{gaps['numpy']:>9.1e} {gaps['mean']:>9.1e} {gaps['positions']:>9.1e} "
              f"{t:>10.4f} {r['seconds']:>8.2f} {r['seconds'] / t:>7.0f}x{note}")
    for name, key in (("compiled", "median"), ("numpy", "numpy")):
        verdict = "met" if worst[key] <= MEDIAN_BOUND else "NOT met"
        print(f"largest median difference, {name} engine: {worst[key]:.1e} "
              f"(bound {MEDIAN_BOUND}: {verdict})")
    print(f"largest mean difference {worst['mean']:.1e}, position {worst['positions']:.1e} "
          "(seed 18 parts on the compiled engine from round 7 on rounding noise: "
          "docs/models/eum.md, EUM-13)")
    print(f"total: detente {total_ours:.3f} s, replication {total_theirs:.1f} s, "
          f"ratio {total_theirs / total_ours:,.0f}x")
    ran = [i for i, s in enumerate(scenarios) if theirs.get(s.seed, {}).get("from") == "run"]
    if ran and not args.as_shipped:  # the preset's engine (numpy) against the peer, same run
        sizes = [len(scenarios[i].actors) for i in ran]
        median_gap = max(gap(reference[i].median[:, 0], theirs[scenarios[i].seed]["median"])
                         for i in ran)
        record(Measurement(
            "eum-scholz-random", GROUP,
            f"preset scholz-code, {len(ran)} random problems of {min(sizes)}–{max(sizes)} "
            f"actors × {ROUNDS} rounds",
            sum(numpy_seconds[i] for i in ran),
            peer="Python replication (repeated calls remembered)",
            peer_seconds=sum(theirs[scenarios[i].seed]["seconds"] for i in ran),
            note=f"every round's median within {median_gap:.0e}"))


if __name__ == "__main__":
    main()
