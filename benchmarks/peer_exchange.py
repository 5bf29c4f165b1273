"""Running the Decide exchange model (the peer tool) where it is installed beside the repo.

The peer (foarsitter/decide-exchange-model, GPL-3.0) is not a dependency and none of its code is
here: where a checkout with its own virtual environment sits at ``../decide-exchange-model`` (or
``$DECIDE_PEER``), these helpers start its interpreter on a short driver that loads an input file
through the peer's own reader, runs its equal-gain model for some rounds and prints as JSON the
start and final outcomes, the outcome of the preferences at the start of each round and of the
voting positions at its end, the number of ties the peer broke at random, and the model time
(file reading excluded), wall clock and processor.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

DRIVER = """
import json, random, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
path, rounds, seed = Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
random.seed(seed)
model = ModelFactory(InputDataFile.open(path))(
    model_klass=equalgain.EqualGainModel, randomized_value=0.0)
start, cpu = time.perf_counter(), time.process_time()
first = None
preference, voting = [], []
for _ in range(rounds):
    model.calc_nbs(); model.determine_positions(); model.calc_combinations()
    model.determine_groups_and_calculate_exchanges()
    preference.append({i.name: float(i.de_normalize(v)) for i, v in model.nbs.items()})
    if first is None:
        first = preference[0]
    done = []
    while model.exchanges:
        e = model.highest_gain()
        if e and e.is_valid:
            model.remove_invalid_exchanges(e)
            done.append(e)
    for e in done:
        model.actor_issues[e.i.supply.issue][e.i.actor].position = e.i.y
        model.actor_issues[e.j.supply.issue][e.j.actor].position = e.j.y
    model.calc_nbs()
    final = {i.name: float(i.de_normalize(v)) for i, v in model.nbs.items()}
    voting.append(final)
    for e in done:
        model.actor_issues[e.i.supply.issue][e.i.actor].position = e.i.new_start_position()
        model.actor_issues[e.j.supply.issue][e.j.actor].position = e.j.new_start_position()
    model.exchanges = []
print(json.dumps({"start": first, "final": final, "preference": preference, "voting": voting,
                  "ties": model.tie_count, "seconds": time.perf_counter() - start,
                  "cpu_seconds": time.process_time() - cpu}))
"""


def peer_checkout() -> Path | None:
    """The peer's checkout with a usable interpreter, or None."""
    root = Path(os.environ.get("DECIDE_PEER", ROOT.parent / "decide-exchange-model"))
    python = root / ".venv" / "bin" / "python"
    if (root / "decide" / "model" / "equalgain.py").is_file() and python.is_file():
        return root
    return None


def run_peer(root: Path, path: Path, rounds: int, seed: int, timeout: float) -> dict[str, Any]:
    """One peer run: ``{"start", "final", "preference", "voting", "ties", "seconds",
    "cpu_seconds"}``.

    ``start`` and ``final`` map issue ids to outcomes; ``preference`` and ``voting`` hold
    one such mapping per round; ``seconds`` is the model time (wall clock), ``cpu_seconds``
    the processor time, which other work on the machine disturbs less.
    """
    proc = subprocess.run(
        [str(root / ".venv" / "bin" / "python"), "-c", DRIVER, str(root), str(path),
         str(rounds), str(seed)],
        capture_output=True, text=True, timeout=timeout, check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result
