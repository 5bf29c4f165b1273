"""Regenerate the result tables in README.md from the code: ``python scripts/update_readme.py``.

Each table sits between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->``; the tests in
``tests/integration/test_readme.py`` compare the README with what these functions produce,
so the README stays true. ``--check`` only reports tables that differ (exit code 1).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
KOREA = ROOT / "examples" / "korea-2018.yaml"
DEU = ROOT.parent / "shared" / "data" / "deu3" / "deu3-dev.tsv"
CORPUS = ROOT.parent / "shared" / "corpus"
ODDS_DRAWS, ODDS_SEED, ODDS_QUESTION = 10_000, 7, ("talks", "direct_talks_held")


def forecast_block() -> str:
    """``detente forecast examples/korea-2018.yaml --format markdown``."""
    from detente import forecast, load
    from detente.render.forecast import render_markdown

    return render_markdown(forecast(load(KOREA)))


def odds_block() -> str:
    """P(high-level direct talks held) per model, from the inputs alone and calibrated."""
    from detente import load
    from detente.uncertainty import simulate

    sim = simulate(load(KOREA), draws=ODDS_DRAWS, seed=ODDS_SEED, calibrate=True)
    issue, question = ODDS_QUESTION
    lines = ["| model | P(talks ≥ 60), inputs' uncertainty only | calibrated |",
             "|---|---:|---:|"]
    for name, model in sim.models.items():
        q = sim.summary(name, issue).questions[question]
        cal = "–" if q.calibrated is None else f"{q.calibrated:.2f}"
        lines.append(f"| {model.label} | {q.p:.3f} ± {q.se:.3f} | {cal} |")
    return "\n".join(lines) + "\n"


def backtest_block() -> str:
    """Accuracy of every model on the DEU III development split (needs ../shared)."""
    from detente import load
    from detente.backtest import backtest
    from detente.render.backtest import paired

    bt = backtest(load(DEU), draws=0)
    snap = bt.snapshots[bt.main]
    lines = ["| model | n | MAE | vs compromise [95%] | within 10 | within 20 | questions right |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, s in snap.scores.items():
        label = f"{name} (out of fold)" if s.note and "cross" in s.note else name
        lines.append(f"| {label} | {s.n} | {s.mae:.2f} | {paired(s.vs_baseline)} | "
                     f"{s.within_10:.0%} | {s.within_20:.0%} | {s.accuracy:.0%} |")
    return "\n".join(lines) + "\n"


def news_block() -> str:
    """The reader against the Korea case's hand coding of the two articles (needs ../shared)."""
    from detente import load
    from detente.news.evaluation import evaluate

    reading, scores = evaluate(load(KOREA), [CORPUS], thresholds=(0.0, 0.3, 0.5))
    lines = ["| proposals kept | recall of cited lines | precision | direction agreement |",
             "|---|---:|---:|---:|"]
    for t, s in zip((0.0, 0.3, 0.5), scores, strict=True):
        kept = "all" if t == 0 else f"confidence ≥ {t:g}"
        lines.append(f"| {kept} | {s.recall:.0%} ({s.found}/{s.cited}) | {s.precision:.0%} "
                     f"({s.supported}/{s.proposals}) | {s.agreement:.0%} "
                     f"({s.agreeing}/{s.directions}) |")
    lines += ["", *(f"Rewrite found: {r.describe()}." for r in reading.rewrites)]
    return "\n".join(lines) + "\n"


BLOCKS: dict[str, Callable[[], str]] = {
    "news": news_block,
    "forecast": forecast_block,
    "odds": odds_block,
    "backtest": backtest_block,
}


def shown(text: str, name: str) -> str:
    """The current content of block ``name`` in the README text."""
    return text.split(f"<!-- {name}:begin -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]


def replace(text: str, name: str, content: str) -> str:
    head, rest = text.split(f"<!-- {name}:begin -->\n", 1)
    _, tail = rest.split(f"<!-- {name}:end -->", 1)
    return f"{head}<!-- {name}:begin -->\n{content}<!-- {name}:end -->{tail}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="report differences only")
    parser.add_argument("names", nargs="*", default=list(BLOCKS), help="tables to update")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    stale = []
    for name in args.names:
        if name == "backtest" and not DEU.exists():
            print(f"skipped {name}: {DEU} is absent", file=sys.stderr)
            continue
        if name == "news" and not CORPUS.exists():
            print(f"skipped {name}: {CORPUS} is absent", file=sys.stderr)
            continue
        content = BLOCKS[name]()
        if shown(text, name) != content:
            stale.append(name)
            text = replace(text, name, content)
    if args.check:
        print("stale: " + ", ".join(stale) if stale else "README tables are current")
        return 1 if stale else 0
    README.write_text(text, encoding="utf-8")
    print("updated: " + (", ".join(stale) or "nothing"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
