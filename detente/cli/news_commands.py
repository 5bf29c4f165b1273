"""``detente read``: articles in, proposed stances and evidence out; ratify into a snapshot."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.options import Output, Source, error, grouped, say, show, write_text
from detente.errors import InputError


class Pipeline(enum.StrEnum):
    auto = "auto"
    model = "model"
    rules = "rules"


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"not a date: {value!r}", field=option,
                         hint="use an ISO date such as 2018-01-02") from None


@app.command("read")
@grouped
def read_command(
    articles: Annotated[list[Path], typer.Argument(
        metavar="ARTICLE...", help="Articles: plain text or HTML files, or folders of them.")],
    source: Source,
    scenario: Annotated[Path | None, typer.Option(
        "--scenario", "-s", help="Scenario whose actors and issues to look for.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Read only articles dated on or before this date (YYYY-MM-DD).")
    ] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="Date of the articles (YYYY-MM-DD), over their metadata and text.")
    ] = None,
    output: Output = None,
    into: Annotated[Path | None, typer.Option(
        "--into", help="Scenario to ratify into: -o gets a copy with one more snapshot "
        "holding the proposals, marked basis: proposed.")] = None,
    snapshot: Annotated[str | None, typer.Option(
        "--snapshot", help="Date of the new snapshot (with --into).")] = None,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", min=0.0, max=1.0,
        help="Leave out proposals below this confidence.")] = 0.3,
    max_bytes: Annotated[int, typer.Option(
        "--max-bytes", min=1, help="Refuse articles larger than this.")] = 2_000_000,
    processes: Annotated[int, typer.Option(
        "--processes", min=1, help="Processes running spaCy side by side (for many "
        "articles; each loads the model).")] = 1,
    pipeline: Annotated[Pipeline, typer.Option(
        "--pipeline", help="auto: the English model when installed, else rules; model; "
        "rules.")] = Pipeline.auto,
) -> None:
    """Read articles: propose actors, stances and evidence, and find rewrites."""
    import json

    from detente.news import pipeline as nlp_pipeline
    from detente.news.reading import read

    if into is not None and (snapshot is None or output is None):
        raise InputError("--into needs --snapshot DATE and -o NEW_FILE",
                         hint="the scenario itself is never changed")
    if into is not None and output is not None and output.resolve() == into.resolve():
        raise InputError("-o would overwrite the scenario read with --into", file=str(output),
                         hint="write the new snapshot to a new file")
    if pipeline is Pipeline.model and not nlp_pipeline.model_available():
        raise InputError(f"the English model ({nlp_pipeline.MODEL}) is not installed",
                         hint="pip install 'detente[news]', or use --pipeline rules")
    sc_path = scenario or into
    sc = source.load(sc_path) if sc_path is not None else None
    try:
        reading = read(articles, sc, date=_day(date, "--date"), as_of=_day(as_of, "--as-of"),
                       nlp=nlp_pipeline.load(pipeline.value), max_bytes=max_bytes,
                       n_process=processes)
    except InputError as exc:
        for problem in exc.all:  # one line per bad article
            error(str(problem))
        raise typer.Exit(2) from None
    if into is not None and sc is not None and output is not None:
        from detente.io import dumps, format_for_output
        from detente.news.ratify import ratify

        day = _day(snapshot, "--snapshot")
        assert day is not None
        done = ratify(sc, reading, day, min_confidence=min_confidence, file=str(into))
        write_text(dumps(done.scenario, format_for_output(output)), output)
        say(f"wrote {output}: snapshot {day} with {len(done.added)} proposed stance(s) "
            f"(basis: proposed); {len(done.kept_analyst)} (actor, issue) kept as the analyst "
            f"coded them; {done.below_confidence} proposal(s) below confidence "
            f"{min_confidence:g} left out")
        return
    if output is not None:
        doc = reading.to_document()
        if output.suffix.lower() == ".json":
            write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", output)
        elif output.suffix.lower() in (".yaml", ".yml"):
            import yaml

            write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100),
                       output)
        else:
            raise InputError("proposals are written as .yaml or .json", file=str(output),
                             hint="name the output file proposals.yaml or proposals.json")
        say(f"wrote {output}: {len(reading.proposals)} proposals, {len(reading.rewrites)} "
            f"rewrite(s), {len(reading.new_actors)} new actor(s)")
        return
    from detente.render.news import reading_text

    show(reading_text(reading, min_confidence))
