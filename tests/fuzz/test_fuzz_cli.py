"""Mutated files of every format through the real command line (tests/fuzz/oracle.py says
what each must get). ``DETENTE_FUZZ=long`` (``make fuzz``) tries 10,000 inputs and writes the
figures instead of stopping at the first failure; the default is the short CI profile."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.oracle import FAILURES, judge
from tests.fuzz.strategies import Case, cases

LONG = os.environ.get("DETENTE_FUZZ") == "long"
PROFILE = settings(
    max_examples=int(os.environ.get("DETENTE_FUZZ_EXAMPLES", 10_000 if LONG else 300)),
    derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=list(HealthCheck),
)
TALLY: Counter[str] = Counter()
FAILED: list[dict[str, str]] = []


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    if LONG:
        figures = {"inputs": sum(TALLY.values()), **{k: TALLY[k] for k in (
            "accepted", "refused", *FAILURES)}, "failures": FAILED[:50]}
        out = Path(os.environ.get("DETENTE_FUZZ_REPORT", "fuzz-report.json"))
        out.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"\nfuzz: {json.dumps({k: v for k, v in figures.items() if k != 'failures'})}"
              f" -> {out}")


@given(cases())
@settings(PROFILE)
def test_every_input_works_or_is_refused_in_one_line(case: Case) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        verdict = judge(case, Path(tmp))
    TALLY[verdict.kind] += 1
    if verdict.failed:
        if LONG:
            FAILED.append({"case": case.describe(), "verdict": verdict.kind,
                           "detail": verdict.detail[:2000], "input": case.data[:3000].decode(
                               "utf-8", "replace")})
            return
        pytest.fail(f"{verdict.kind}: {case.describe()}: {verdict.detail}")
