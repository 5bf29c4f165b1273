"""The one store of measured speed: ``benchmarks/results.json``, and the pages made from it.

Every benchmark script records what it measured with :func:`record` (one row per problem, the
peer tool's time beside detente's when the peer ran in the same run). ``docs/speed.md`` and
the README's speed table are rendered from the file by ``python benchmarks/results.py``; a test
checks that both are current, so no figure is typed by hand in a second place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
sys.path.insert(0, str(ROOT / "scripts"))
from update_readme import replace, shown  # noqa: E402  (the README's marked blocks)

SPEED_PAGE = ROOT / "docs" / "speed.md"
README = ROOT / "README.md"

#: Groups in the order the page shows them.
GROUPS = (
    "Startup",
    "Expected utility model",
    "Exchange model",
    "Spatial model of politics",
    "Monte Carlo",
    "Workspace and reports",
    "News reader",
)


@dataclass(frozen=True)
class Measurement:
    """One problem timed once (best of the script's repeats), detente and maybe a peer."""

    key: str
    group: str
    problem: str
    seconds: float
    peer: str | None = None
    peer_seconds: float | None = None
    note: str = ""
    readme: bool = False
    measured: str = field(default_factory=lambda: dt.date.today().isoformat())
    machine: str = field(default_factory=lambda: machine())
    load: float | None = field(default_factory=lambda: round(os.getloadavg()[0], 1))

    @property
    def ratio(self) -> float | None:
        """How many times faster detente was than the peer in the same run."""
        if self.peer_seconds is None or self.seconds <= 0:
            return None
        return self.peer_seconds / self.seconds


def machine() -> str:
    """A short description of the machine the figures come from."""
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def load(path: Path = RESULTS) -> dict[str, Measurement]:
    """Every stored measurement by key."""
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))["measurements"]
    return {row["key"]: Measurement(**row) for row in rows}


def record(*rows: Measurement, path: Path = RESULTS) -> None:
    """Store ``rows`` (replacing earlier figures of the same keys) and say where."""
    stored = load(path)
    for row in rows:
        if row.group not in GROUPS:
            raise ValueError(f"unknown group {row.group!r} (known: {', '.join(GROUPS)})")
        old = stored.get(row.key)
        if row.peer is None and old is not None and old.peer is not None:
            print(f"kept {row.key} from {old.measured}: it has the peer's time of the same run")
            continue
        stored[row.key] = row
    ordered = sorted(stored.values(), key=lambda r: (GROUPS.index(r.group), r.key))
    payload = {"measurements": [asdict(r) for r in ordered]}
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {len(rows)} measurement(s) in {path.name}; "
          f"`python benchmarks/results.py` renders docs/speed.md and the README table")


def duration(seconds: float) -> str:
    """Seconds in the unit a reader takes in at a glance."""
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 100:
        return f"{seconds:,.0f} s"
    if seconds >= 10:
        return f"{seconds:.0f} s"
    if seconds >= 1:
        return f"{seconds:.1f} s"
    if seconds >= 0.1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def times(ratio: float) -> str:
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.1f}×"


def table(rows: list[Measurement], dated: bool) -> list[str]:
    """Markdown rows; the page's tables carry notes, date and load, the README's the group."""
    head = "| problem | detente | peer tool, same run | ratio |"
    rule = "| --- | ---: | --- | ---: |"
    if not dated:
        head, rule = "| what " + head, "| --- " + rule
    if dated:
        head, rule = head + " notes | measured | load |", rule + " --- | --- | ---: |"
    lines = [head, rule]
    for r in rows:
        peer = f"{r.peer} {duration(r.peer_seconds)}" if r.peer and r.peer_seconds else "—"
        ratio = times(r.ratio) if r.ratio is not None else "—"
        line = f"| {r.problem} | {duration(r.seconds)} | {peer} | {ratio} |"
        if not dated:
            line = f"| {r.group} " + line
        if dated:
            load = "—" if r.load is None else f"{r.load:.1f}"
            line += f" {r.note} | {r.measured} | {load} |"
        lines.append(line)
    return lines


def speed_page(stored: dict[str, Measurement]) -> str:
    """``docs/speed.md``: every measurement, grouped, with its date and machine."""
    machines = sorted({r.machine for r in stored.values()})
    out = [
        "# Speed",
        "",
        "Every figure the project states about its speed, from `benchmarks/results.json`. The",
        "benchmark scripts in `benchmarks/` write that file (`make bench` runs them all); this",
        "page and the README's table are rendered from it by `python benchmarks/results.py`.",
        "A peer tool's time stands beside detente's only where both ran in the same run on the",
        "same input; scripts skip the peer where it is not built beside the repository",
        "(`benchmarks/README.md` says where each looks).",
        "",
        "Machines: " + "; ".join(machines) + ". Load is the machine's one-minute load",
        "average when the measurement was recorded (other work on the machine slows the",
        "wall clock; a ratio of two times from the same run is disturbed less).",
    ]
    for group in GROUPS:
        rows = [r for r in stored.values() if r.group == group]
        if rows:
            out += ["", f"## {group}", "", *table(rows, dated=True)]
    return "\n".join(out) + "\n"


def readme_block(stored: dict[str, Measurement]) -> str:
    """The README's speed table: the rows marked for it."""
    rows = [r for r in stored.values() if r.readme]
    rows.sort(key=lambda r: (GROUPS.index(r.group), r.key))
    return "\n".join(table(rows, dated=False)) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Render docs/speed.md and the README table.")
    parser.add_argument("--check", action="store_true", help="only report whether they differ")
    args = parser.parse_args(argv)
    stored = load()
    page, block = speed_page(stored), readme_block(stored)
    readme = README.read_text(encoding="utf-8")
    current = SPEED_PAGE.exists() and SPEED_PAGE.read_text(encoding="utf-8") == page
    current = current and shown(readme, "speed") == block
    if args.check:
        print("speed pages are current" if current else "stale: run python benchmarks/results.py")
        return 0 if current else 1
    SPEED_PAGE.write_text(page, encoding="utf-8")
    README.write_text(replace(readme, "speed", block), encoding="utf-8")
    print(f"wrote {SPEED_PAGE.relative_to(ROOT)} and the README's speed table")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
