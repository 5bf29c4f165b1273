"""An explanation document (``detente.analysis.explain``) as rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table

from detente.render.numbers import significant
from detente.scenario import Scenario


def explain_tables(doc: dict[str, Any], scenario: Scenario, top: int) -> Group:
    """The document as rich tables."""
    parts: list[Table] = []
    for entry in doc["issues"]:
        issue = scenario.issue(entry["id"])
        t = Table(title=f"{issue.name} — {doc['model']} forecast {significant(entry['forecast'])}: "
                  f"inputs by swing (top {top})", title_justify="left")
        for col in ("input", "low", "high", "forecast at low", "forecast at high", "swing"):
            t.add_column(col, justify="left" if col == "input" else "right")
        for b in entry["tornado"][:top]:
            t.add_row(b["input"], significant(b["low"]), significant(b["high"]),
                      significant(b["outcome_low"]), significant(b["outcome_high"]),
                      significant(b["swing"]))
        if not entry["tornado"]:
            t.add_row("no input states any uncertainty (see --position-sd)", *[""] * 5)
        parts.append(t)
        p = Table(title=f"{issue.name}: pivotal actors", title_justify="left")
        for col in ("actor", "effective power", "share", "forecast without", "shift"):
            p.add_column(col, justify="left" if col == "actor" else "right")
        for a in entry["pivotal"]:
            p.add_row(a["actor"], significant(a["effective_power"]), significant(a["power_share"]),
                      significant(a["without"]), significant(a["shift"]))
        parts.append(p)
        if "sobol" in entry:
            s = Table(title=f"{issue.name}: Sobol indices (top {top}, ± 95 % half-width)",
                      title_justify="left")
            for col in ("input", "first order S1", "total ST"):
                s.add_column(col, justify="left" if col == "input" else "right")
            for x in entry["sobol"][:top]:
                s.add_row(x["input"], f"{significant(x['s1'])} ± {significant(x['s1_conf'])}",
                          f"{significant(x['st'])} ± {significant(x['st_conf'])}")
            parts.append(s)
    if "what_it_takes" in doc:
        w = Table(title="What would it take to flip the answer", title_justify="left")
        for col in ("actor", "question", "quantity", "now", "answer now", "needed", "change",
                    "forecast then"):
            w.add_column(col)
        for c in doc["what_it_takes"]:
            w.add_row(c["actor"], c["question"], c["quantity"], significant(c["current"]),
                      "yes" if c["answer_now"] else "no",
                      significant(c["needed"]) if c["reachable"] else "not reachable",
                      significant(c["change"]), significant(c["forecast_after"]))
        parts.append(w)
    return Group(*parts)
