"""Which numbers of a scenario lack evidence."""

from __future__ import annotations

from collections.abc import Iterable

from detente.scenario import Evidence, Quantity, Scenario, Stance


def covers(evidence: Iterable[Evidence], quantity: Quantity) -> bool:
    """Whether some entry supports ``quantity`` (an entry with empty ``about`` supports all)."""
    return any(not e.about or quantity in e.about for e in evidence)


def unsupported_numbers(scenario: Scenario) -> list[str]:
    """One line per number that no evidence entry supports, as written in the file."""
    gaps: list[str] = []
    for a in scenario.actors:
        if not covers(a.evidence, "capability"):
            gaps.append(f"actor {a.id!r}: capability has no evidence")
    for s in scenario.issues:
        if s.status_quo is not None and not covers(s.status_quo_evidence, "status_quo"):
            gaps.append(f"issue {s.id!r}: status_quo has no evidence")
        if s.outcome is not None and not s.outcome.evidence:
            gaps.append(f"issue {s.id!r}: known outcome has no evidence")
    for lev in scenario.leverage:
        if not covers(lev.evidence, "leverage"):
            gaps.append(f"leverage {lev.source}->{lev.target}: weight has no evidence")
    for snap in scenario.snapshots:
        when = f" at {snap.as_of}" if snap.as_of else ""
        for lev in snap.leverage:
            if not covers(lev.evidence, "leverage"):
                gaps.append(f"leverage {lev.source}->{lev.target}{when}: weight has no evidence")
        if snap.capabilities and not covers(snap.evidence, "capability"):
            gaps.append(f"snapshot{when}: capability changes have no evidence")
        if snap.status_quo and not covers(snap.evidence, "status_quo"):
            gaps.append(f"snapshot{when}: status quo changes have no evidence")
        for st in snap.stances:
            quantities: list[Quantity] = [
                q for q in ("position", "salience") if getattr(st, q) is not None
            ]
            if st.capability is not None:
                quantities.append("capability")
            for q in quantities:
                if not covers(st.evidence, q):
                    gaps.append(f"stance {st.actor}/{st.issue}{when}: {q} has no evidence")
    return gaps


def is_proposed(stance: Stance) -> bool:
    """Whether a stance rests on a reading's proposal that no analyst has ratified."""
    return any(e.basis == "proposed" for e in stance.evidence)


def proposed_entries(scenario: Scenario) -> list[str]:
    """One line per stance marked ``basis: proposed`` (unratified), as written in the file."""
    out: list[str] = []
    for snap in scenario.snapshots:
        when = f" at {snap.as_of}" if snap.as_of else ""
        for st in snap.stances:
            if is_proposed(st):
                numbers = [q for q in ("position", "salience") if getattr(st, q) is not None]
                out.append(f"stance {st.actor}/{st.issue}{when}: {' and '.join(numbers)} "
                           "proposed by a reading, not yet ratified")
    return out


def unratified_in_force(scenario: Scenario, as_of: str | None = None) -> list[str]:
    """``actor/issue`` of every stance in force at ``as_of`` that is still a proposal."""
    return [f"{st.actor}/{st.issue}" for st in scenario.stances(as_of) if is_proposed(st)]
