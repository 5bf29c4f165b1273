"""A reading as text: articles, rewrites, per (actor, issue) summaries, proposals, new actors."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Group

    from detente.news.reading import Reading


def reading_text(reading: Reading, min_confidence: float = 0.0, top: int = 40) -> Group:
    """What ``detente read`` prints: tables, user text taken literally."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Table | Text] = []
    arts = Table(title="Articles", title_justify="left")
    for col in ("article", "kind", "date", "from", "paragraphs", "notes"):
        arts.add_column(col)
    for a in reading.articles:
        arts.add_row(a.id, a.kind, str(a.date or "—"), a.date_source, str(len(a.paragraphs)),
                     "; ".join(a.notes))
    parts.append(arts)
    for r in reading.rewrites:
        parts.append(Text(r.describe()))
    for note in reading.notes:
        parts.append(Text(note))
    summaries = reading.summaries(min_confidence)
    if summaries:
        tab = Table(title="Proposed stances (per actor and issue; confidence ≥ "
                    f"{min_confidence:g})", title_justify="left")
        for col, just in (("actor", "left"), ("issue", "left"), ("n", "right"),
                          ("direction", "left"), ("position", "right"),
                          ("salience", "right"), ("conf.", "right"), ("lines", "left")):
            tab.add_column(col, justify=just)  # type: ignore[arg-type]
        for s in summaries:
            tab.add_row(s.actor, s.issue, str(s.n), s.direction, f"{s.position:.0f}",
                        f"{s.salience:.0f}", f"{s.confidence:.2f}", _lines(s.lines))
        parts.append(tab)
        ev = Table(title=f"Evidence (the {top} most confident)", title_justify="left")
        for col in ("actor", "issue", "where", "quad", "speech", "conf.", "quote"):
            ev.add_column(col, overflow="fold")
        best = sorted((p for p in reading.proposals if p.stance.confidence >= min_confidence),
                      key=lambda p: -p.stance.confidence)[:top]
        for p in best:
            s_ = p.stance
            quote = s_.quote if len(s_.quote) <= 110 else s_.quote[:107] + "…"
            ev.add_row(s_.actor, s_.issue, f"{s_.article[:12]} {s_.locator}", s_.quad,
                       s_.speech, f"{s_.confidence:.2f}", quote)
        parts.append(ev)
    elif reading.scenario is None:
        parts.append(Text("No scenario given: only new actors are proposed "
                          "(--scenario FILE to propose stances)."))
    if reading.new_actors:
        na = Table(title="Names that match no actor (proposed new actors)",
                   title_justify="left")
        for col in ("name", "label", "mentions", "first seen"):
            na.add_column(col)
        for n in reading.new_actors[:top]:
            na.add_row(n.name, n.label, str(n.count), f"{n.sentences[0][0]} line "
                       f"{n.sentences[0][1]}")
        parts.append(na)
    counted = len(reading.repeated)
    parts.append(Text(f"{reading.sentences} sentences read with the {reading.pipeline} "
                      f"pipeline; {len(reading.proposals)} proposals"
                      + (f", {counted} more repeated in rewrites and counted once"
                         if counted else "")))
    return Group(*parts)


def _lines(places: tuple[tuple[str, int], ...], most: int = 8) -> str:
    """``003_3718…: 47, 57; 000_9aee…: 3`` (articles by their first characters)."""
    by: dict[str, list[int]] = {}
    for article, line in places:
        by.setdefault(article, []).append(line)
    parts = []
    shown = 0
    for article, lines in by.items():
        name = article if len(article) <= 10 else article[:8] + "…"
        keep = lines[: max(1, most - shown)]
        shown += len(keep)
        parts.append(f"{name}: {', '.join(map(str, keep))}" + (" …" if len(keep) < len(lines)
                                                               else ""))
    return "; ".join(parts)
