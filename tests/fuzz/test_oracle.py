"""The fuzzing oracle catches what it is meant to: tracebacks, warnings, unbounded lines, and a
file read differently from what it states."""

from __future__ import annotations

from pathlib import Path

from tests.fuzz.files import WRITERS, Problem
from tests.fuzz.oracle import _problem, judge
from tests.fuzz.strategies import Case
from tests.in_process import Outcome

PROBLEM = Problem((5.0, 3.0), ((0.0, 100.0),), ((75.0,), (25.0,)), ((0.9,), (0.8,)), False)


def test_contract_failures_are_named() -> None:
    assert _problem(Outcome(1, "", "", "Traceback ..."), "x").kind == "traceback"
    assert _problem(Outcome(0, "", "a.py:1: RuntimeWarning: overflow\n", None),
                    "x").kind == "warning"
    assert _problem(Outcome(2, "", "error: " + "k" * 5000 + "\n", None),
                    "x").kind == "bad_message"
    assert _problem(Outcome(2, "", "\n", None), "x").kind == "bad_message"
    assert _problem(Outcome(2, "", "error: f.yaml:3: bad\n", None), "x") is None


def test_every_valid_file_is_accepted_as_stated(tmp_path: Path) -> None:
    for kind, write in WRITERS.items():
        valid = write(PROBLEM)
        verdict = judge(Case(valid, (), valid.text.encode()), tmp_path)
        assert verdict.kind == "accepted", (kind, verdict)


def test_a_misread_is_caught(tmp_path: Path) -> None:
    valid = WRITERS["bdm"](PROBLEM)
    # the file says 0.9 and 0.8; a salience of 2 typed into it would once have switched the
    # file to 0-100 silently: state numbers the file does not hold
    stated = {key: (pos, sal / 2) for key, (pos, sal) in valid.stances.items()}
    misread = type(valid)(valid.kind, valid.name, valid.text, stated, valid.capabilities)
    verdict = judge(Case(misread, (), valid.text.encode()), tmp_path)
    assert verdict.kind == "read_differently", verdict
