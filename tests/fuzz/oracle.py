"""What every input must get from the command line, and the verdict on one input.

An input is either refused (exit 2, every line on stderr an ``error:`` or ``warning:`` line of
bounded length, no traceback) or accepted (exit 0); an accepted file must forecast and
simulate without NaN or infinity in the output and without NumPy warnings, must read back the
same after ``detente convert`` to JSON, and, when it is a valid file left as written, must
read as the numbers it states. Nothing may take longer than :data:`TIMEOUT` seconds.
"""

from __future__ import annotations

import json
import math
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import detente
from tests.fuzz.strategies import Case
from tests.in_process import Outcome, invoke

TIMEOUT = 20.0
MAX_LINE = 2_000
#: Beside the median and compromise, each accepted input is forecast by one of these.
OTHER_MODELS = ("eum", "nash", "exchange", "smp")
FAILURES = ("traceback", "hang", "bad_message", "non_finite", "warning", "read_differently",
            "inconsistent")


@dataclass(frozen=True)
class Verdict:
    kind: str  # accepted, refused, or one of FAILURES
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.kind in FAILURES


class Hang(BaseException):
    """Raised by the timer: not an Exception, so no handler in the code under test eats it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise Hang

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _reject_constant(name: str) -> float:
    raise ValueError(f"non-finite number {name} in the output")


def _problem(result: Outcome, what: str) -> Verdict | None:
    """A failure of the command's contract, or None."""
    if result.traceback is not None:
        return Verdict("traceback", f"{what}: {result.traceback[-1500:]}")
    if "RuntimeWarning" in result.stderr or "Warning:" in result.stderr:
        return Verdict("warning", f"{what}: {result.stderr[-500:]}")
    if result.code not in (0, 2):
        return Verdict("bad_message", f"{what}: exit {result.code}: {result.stderr[-500:]}")
    for line in result.lines:
        if len(line) > MAX_LINE or not line.startswith(("error: ", "warning: ", "note: ",
                                                        "wrote ")):
            return Verdict("bad_message", f"{what}: {line[:300]}")
    if result.code == 2 and not any(ln.startswith("error: ") for ln in result.lines):
        return Verdict("bad_message", f"{what}: exit 2 without an error line")
    return None


def _finite_json(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant)


def _read_as_stated(case: Case, scenario: detente.Scenario) -> str | None:
    """Where a valid file left as written reads differently from what it states."""
    state = scenario.state(len(scenario.snapshots) - 1)
    got = {(s.actor, s.issue): s for s in state.stances}
    for key, (pos, sal) in case.valid.stances.items():
        st = got.get(key)
        if st is None:
            return f"stance {key} missing"
        if not math.isclose(st.required_position.value, pos, rel_tol=1e-9, abs_tol=1e-9):
            return f"{key}: position {st.required_position.value} instead of {pos}"
        if not math.isclose(st.required_salience.value, sal, rel_tol=1e-9, abs_tol=1e-9):
            return f"{key}: salience {st.required_salience.value} instead of {sal}"
    for actor, cap in case.valid.capabilities.items():
        value = scenario.actor(actor).capability.value
        if not math.isclose(value, cap, rel_tol=1e-9):
            return f"{actor}: capability {value} instead of {cap}"
    return None


def judge(case: Case, workdir: Path) -> Verdict:
    """Run one input through validate, forecast, simulate and convert, and judge it."""
    path = workdir / case.valid.name
    path.write_bytes(case.data)
    try:
        with time_limit(TIMEOUT):
            return _judge(case, path, workdir)
    except Hang:
        return Verdict("hang", f"over {TIMEOUT:g} s")


def _judge(case: Case, path: Path, workdir: Path) -> Verdict:
    checked = invoke("validate", path)
    if (bad := _problem(checked, "validate")) is not None:
        return bad
    if checked.code == 2:
        if not case.mutated:
            return Verdict("inconsistent", f"a valid file was refused: {checked.lines[:3]}")
        forecast = invoke("forecast", path, "-m", "median")
        if (bad := _problem(forecast, "forecast")) is not None:
            return bad
        if forecast.code != 2 or len(forecast.lines) != 1:
            return Verdict("inconsistent", "validate refused what forecast did not refuse "
                           f"in one line: {forecast.lines[:3]}")
        return Verdict("refused", checked.lines[0][:200])
    other = OTHER_MODELS[sum(case.data) % len(OTHER_MODELS)]
    forecast = invoke("forecast", path, "-m", "median", "-m", "compromise", "-m", other,
                      "--format", "json")
    if (bad := _problem(forecast, "forecast")) is not None:
        return bad
    if forecast.code != 0:
        return Verdict("inconsistent", f"validate accepted, forecast refused: {forecast.lines}")
    try:
        _finite_json(forecast.stdout)
    except ValueError as exc:
        return Verdict("non_finite", f"forecast: {exc}")
    simulated = invoke("simulate", path, "-m", "median", "-n", "16", "--format", "json")
    if (bad := _problem(simulated, "simulate")) is not None:
        return bad
    try:
        _finite_json(simulated.stdout)
    except ValueError as exc:
        return Verdict("non_finite", f"simulate: {exc}")
    target = workdir / "round-trip.json"
    converted = invoke("convert", path, target)
    if (bad := _problem(converted, "convert")) is not None:
        return bad
    original = detente.load(path)
    if converted.code != 0 or detente.load(target) != original:
        return Verdict("read_differently", "the file and its conversion to JSON differ")
    if not case.mutated and (why := _read_as_stated(case, original)) is not None:
        return Verdict("read_differently", why)
    return Verdict("accepted")
