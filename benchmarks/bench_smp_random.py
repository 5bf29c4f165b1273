"""The spatial model of politics against KTAB on seeded random scenarios no one tuned for.

    python benchmarks/bench_smp_random.py [--ktab PATH] [--write] [--seeds 1 2 ...]

Writes each random scenario of ``tests/smp_reference.py`` (32: 16 one-dimensional with 5-40
actors and 8 with 2-4 dimensions, default parameters, as KTAB CSV; 8 with 1-3 dimensions
and random model parameters, as KTAB XML) to a file, runs detente's ``smp`` on it (jointly,
with the file's parameters, as KTAB runs a file) and, where KTAB's ``smpc`` is built
(``--ktab``, ``$KTAB_SMPC``, or beside the repository as ``bench_smp.py`` looks for it), runs
``smpc --csv FILE --logmin`` (``--xml`` for XML) on the same file in the same run. It
prints per scenario whether both played the same turns, the largest difference of the
final positions and of the final probabilities, the expected outcomes' difference, and both
times with their ratio;
``--write`` stores KTAB's results as ``tests/data/smp_ktab_random.json``, which the tests
check without KTAB. Without KTAB the comparison is made against that file.

KTAB's log prints positions to 0.1 and probabilities to 4 decimals. A build whose
``SMPModel::showVPHistory`` also prints ``DUMP pos t i k x`` and ``DUMP prob t i p`` lines
(every state's positions on [0, 1] and the final distinct positions' probabilities, with
``%.17g``) when ``$KTAB_DUMP`` is set is read at full precision; the figures stored say
which precision they have. KTAB fills its bargain queues from parallel threads, so on exact
ties its result can vary from run to run (docs/models/smp.md, SMP-6); a build whose
``KBase::groupThreads`` honours ``$KTAB_THREADS`` is run with 1 (one thread at a time, the
order detente follows) for ``--write`` and ``--threads one``; otherwise KTAB runs its threads
as shipped (on these scenarios with the same results, and faster, so the times printed are
KTAB's own). An unchanged build ignores both variables.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_smp import find_ktab  # noqa: E402

from benchmarks.results import Measurement, record  # noqa: E402
from detente.io import load  # noqa: E402
from detente.io.ktab import ktab_parameters  # noqa: E402
from detente.models import SpatialModelOfPolitics  # noqa: E402
from detente.models.smp.result import SmpRun  # noqa: E402
from tests.smp_reference import (  # noqa: E402
    FIRST_VARIANT_SEED,
    RANDOM_FIXTURE,
    RANDOM_SEEDS,
    RandomScenario,
    random_scenario,
)

PEER = "KTAB smpc (lsyaseen/KTAB @ 3b5b063)"


def parse_ktab(log: str, actors: int, dims: int) -> dict[str, Any]:
    """Turns, final positions (0-100) and the final distinct positions' probabilities."""
    states = re.findall(r"There were (\d+) states", log)
    if not states:
        raise RuntimeError("KTAB printed no result")
    turns = int(states[-1]) - 1
    dump_pos = re.findall(r"^DUMP pos (\d+) (\d+) (\d+) (\S+)$", log, flags=re.M)
    if dump_pos:
        final = np.full((actors, dims), np.nan)
        for t, i, k, x in dump_pos:
            if int(t) == turns:
                final[int(i), int(k)] = 100.0 * float(x)
        probs = [[int(i), float(p)] for t, i, p in
                 re.findall(r"^DUMP prob (\d+) (\d+) (\S+)$", log, flags=re.M)
                 if int(t) == turns]
        return {"precision": "full", "turns": turns, "final_positions": final.tolist(),
                "distinct": [{"leader": i, "probability": p} for i, p in probs]}
    # an unchanged build: the printed history, positions to 0.1 and per-actor probabilities
    # to 4 decimals (each actor's line shows the probability of the position it holds)
    tail = log[log.rindex("History of actor positions"):]
    rows = re.findall(r"^(?:.*\] )?(.+?), (.+?)\s?:((?:\s+[-\d.]+)+)\s*$", tail, flags=re.M)
    pos = [[float(v) for v in r[2].split()][-1] for r in rows if r[1] != "prob"]
    prob = [[float(v) for v in r[2].split()][-1] for r in rows if r[1] == "prob"]
    return {"precision": "printed", "turns": turns,
            "final_positions": np.array(pos).reshape(actors, dims).tolist(),
            "actor_probability": prob}


def run_ktab(smpc: Path, scenario: RandomScenario, work: Path, one_thread: bool
             ) -> dict[str, Any]:
    path = work / f"{scenario.name}{scenario.suffix}"
    db = work / f"{scenario.name}.db"
    db.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(smpc), "--xml" if scenario.parameters else "--csv", str(path), "--logmin",
         "--connstr",
         f"Driver=QSQLITE;Database={db}"],
        cwd=work, capture_output=True, text=True, check=False,
        env={**os.environ, "KTAB_DUMP": "1", **({"KTAB_THREADS": "1"} if one_thread else {})},
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = parse_ktab(proc.stdout, len(scenario.actors), len(scenario.dimensions))
    out["seconds"] = seconds
    out["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out


def expected(ref: dict[str, Any]) -> list[float]:
    """Σ p × position over the distinct final positions (each at its first holder's)."""
    final = np.array(ref["final_positions"])
    return [float(v) for v in sum(d["probability"] * final[d["leader"]]
                                  for d in ref["distinct"])]


def run_detente(path: Path) -> tuple[SmpRun, float]:
    scenario = load(path, "ktab")
    model = SpatialModelOfPolitics.from_ktab(ktab_parameters(path), joint=True)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run = model.simulate(scenario)[0]
        best = min(best, time.perf_counter() - start)
        if best > 0.5:
            break
    return run, best


def compare(run: SmpRun, ref: dict[str, Any]) -> dict[str, Any]:
    """Same turns; largest differences of final positions, probabilities, expected outcome."""
    final = run.positions[-1]
    out: dict[str, Any] = {
        "turns": (run.turns, ref["turns"]),
        "positions": float(np.abs(final - np.array(ref["final_positions"])).max()),
    }
    if ref.get("precision", "full") == "full":
        mine = {run.actors.index(f.actors[0]): f.probability for f in run.final}
        theirs = {d["leader"]: d["probability"] for d in ref["distinct"]}
        out["same_groups"] = set(mine) == set(theirs)
        out["probabilities"] = max((abs(mine.get(k, 0.0) - theirs.get(k, 0.0))
                                    for k in set(mine) | set(theirs)), default=0.0)
        out["expected"] = float(np.abs(run.expected - np.array(expected(ref))).max())
    else:
        by_actor = {a: f.probability for f in run.final for a in f.actors}
        out["same_groups"] = True
        out["probabilities"] = max(abs(by_actor[a] - p) for a, p in
                                   zip(run.actors, ref["actor_probability"], strict=True))
        out["expected"] = float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ktab", help="path to KTAB's smpc (default: $KTAB_SMPC or beside)")
    parser.add_argument("--write", action="store_true",
                        help=f"store KTAB's results in {RANDOM_FIXTURE.relative_to(ROOT)}")
    parser.add_argument("--seeds", type=int, nargs="*", default=list(RANDOM_SEEDS))
    parser.add_argument("--threads", choices=("one", "shipped"),
                        help="KTAB's thread groups one thread at a time (default with --write) "
                        "or as many as it chooses (default otherwise)")
    args = parser.parse_args()
    one_thread = (args.threads or ("one" if args.write else "shipped")) == "one"
    smpc = find_ktab(args.ktab)
    scenarios = [random_scenario(s) for s in args.seeds]
    print(f"spatial model of politics, {len(scenarios)} random scenarios "
          f"(from seed {FIRST_VARIANT_SEED} with random parameters)")
    print(f"KTAB smpc: {smpc or 'not found (set KTAB_SMPC to compare)'}"
          + (f" ({'one thread at a time' if one_thread else 'its own threads'})"
             if smpc else ""))
    stored: dict[int, dict[str, Any]] = {}
    if smpc is None and RANDOM_FIXTURE.exists():
        data = json.loads(RANDOM_FIXTURE.read_text(encoding="utf-8"))
        stored = {c["seed"]: c for c in data["scenarios"]}
        print(f"comparing with the stored results ({RANDOM_FIXTURE.relative_to(ROOT)})")
    print(f"{'case':10} {'style':8} {'n×d':>6} {'turns':>9} {'positions':>9} {'probs':>9} "
          f"{'expected':>9} {'detente s':>9} {'KTAB s':>8} {'CPU s':>7} {'ratio':>7} {'CPU':>5}")
    records: list[dict[str, Any]] = []
    total_ours = total_theirs = total_cpu = 0.0
    same_turns = exact = 0
    worst = {"positions": 0.0, "probabilities": 0.0, "expected": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for sc in scenarios:
            path = work / f"{sc.name}{sc.suffix}"
            path.write_text(sc.text(), encoding="utf-8")
            run, ours = run_detente(path)
            size = f"{len(sc.actors)}×{len(sc.dimensions)}"
            try:
                ref = (run_ktab(smpc, sc, work, one_thread) if smpc is not None
                       else stored.get(sc.seed))
            except RuntimeError:  # KTAB stopped without its summary
                print(f"{sc.name:10} {sc.style:8} {size:>6} KTAB printed no result")
                continue
            if ref is None:
                print(f"{sc.name:10} {sc.style:8} {size:>6} {run.turns:>9} {'':>9} {'':>9} "
                      f"{'':>9} {ours:>9.3f}")
                continue
            records.append({**sc.to_dict(), **ref})
            c = compare(run, ref)
            same_turns += c["turns"][0] == c["turns"][1]
            exact += c["positions"] <= 1e-9
            for k in worst:
                worst[k] = max(worst[k], c[k]) if np.isfinite(c[k]) else worst[k]
            total_ours += ours
            total_theirs += ref["seconds"]
            total_cpu += ref["cpu_seconds"]
            turns = f"{c['turns'][0]}/{c['turns'][1]}"
            print(f"{sc.name:10} {sc.style:8} {size:>6} {turns:>9} {c['positions']:>9.1e} "
                  f"{c['probabilities']:>9.1e} {c['expected']:>9.1e} {ours:>9.3f} "
                  f"{ref['seconds']:>8.2f} {ref['cpu_seconds']:>7.2f} "
                  f"{ref['seconds'] / ours:>6.0f}x {ref['cpu_seconds'] / ours:>4.0f}x"
                  + ("" if c["same_groups"] else
                                                     "  (distinct positions differ)"),
                  flush=True)
    if not records:
        return
    print(f"same turns {same_turns}/{len(records)}; final positions within 1e-9 "
          f"{exact}/{len(records)}; largest differences: positions {worst['positions']:.1e}, "
          f"probabilities {worst['probabilities']:.1e}, expected {worst['expected']:.1e}")
    print(f"total: detente {total_ours:.2f} s, KTAB {total_theirs:.1f} s wall "
          f"({total_cpu:.1f} s CPU); ratio {total_theirs / total_ours:.0f}x "
          f"({total_cpu / total_ours:.0f}x by KTAB's CPU time)")
    if smpc is not None:
        record(Measurement(
            "smp-random-32", "Spatial model of politics",
            f"{len(records)} random scenarios (1–4 dimensions, random settings)", total_ours,
            peer="KTAB smpc", peer_seconds=total_theirs,
            note=f"same turns {same_turns}/{len(records)}; positions within "
            f"{worst['positions']:.0e}; KTAB's CPU time {total_cpu:.0f} s"))
    if args.write and smpc is not None:
        RANDOM_FIXTURE.write_text(json.dumps({
            "source": (f"{PEER}, -O2 build, run by benchmarks/bench_smp_random.py as "
                       "'smpc --csv FILE --logmin' ('--xml' for the scenarios with "
                       "parameters, the others default parameters; deterministic "
                       "transitions); 'precision': 'full' where the build "
                       "dumped positions and probabilities with %.17g and ran its thread "
                       "groups one thread at a time; final positions on 0-100 (KTAB's "
                       "[0, 1] values x 100); distinct: the final state's distinct positions "
                       "by first holder (leader, actor index) and probability; seconds: "
                       "wall time of the run, cpu_seconds: its CPU time"),
            "scenarios": records,
        }, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {RANDOM_FIXTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
