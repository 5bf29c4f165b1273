"""Reading and writing scenarios in detente's formats and those of peer tools.

``load(path)`` detects the format from the extension and content; ``--input-format`` names
override detection. Each format lives in its own module and registers itself here.
"""

from __future__ import annotations

from pathlib import Path

from detente.errors import InputError
from detente.io import csv_long, native, peers
from detente.io.formats import FORMATS, Format, ReadOptions, register_format
from detente.io.text import read_text as _read_text
from detente.scenario import Scenario

register_format(
    Format(
        "yaml",
        "detente YAML (human-written, primary)",
        (".yaml", ".yml"),
        read=lambda p, t, o: native.read_yaml(p, t, o.salience_scale),
        write=native.write_yaml,
    )
)
register_format(
    Format(
        "json",
        "detente JSON (machine-written); schema: 'detente schema'",
        (".json",),
        read=lambda p, t, o: native.read_json(p, t, o.salience_scale),
        write=native.write_json,
    )
)
register_format(
    Format(
        "csv",
        "long CSV: one row per actor, issue (and snapshot)",
        (".csv",),
        read=csv_long.read,
        write=csv_long.write,
        sniff=csv_long.sniff,
    )
)
peers.register_all()


def detect_format(path: Path, text: str) -> Format:
    """The format of a file: by content where a sniffer recognises it, else by extension."""
    suffix = path.suffix.lower()
    sniffed = [f for f in FORMATS.values() if f.sniff is not None and f.sniff(path, text)]
    if len(sniffed) == 1:
        return sniffed[0]
    by_ext = [f for f in FORMATS.values() if suffix in f.extensions and f.read is not None]
    if len(sniffed) > 1:
        narrowed = [f for f in sniffed if f in by_ext]
        if len(narrowed) == 1:
            return narrowed[0]
    elif by_ext and (len(by_ext) == 1 or by_ext[0].sniff is None):
        return by_ext[0]
    names = ", ".join(f.name for f in FORMATS.values() if f.read is not None)
    raise InputError(
        "cannot tell which format this file is in",
        file=str(path),
        hint=f"pass --input-format, one of: {names}",
    )


def format_name(path: str | Path, input_format: str | None = None) -> str:
    """The name of the format a file is read in: ``input_format`` if given, else detected."""
    if input_format:
        return get_format(input_format).name
    p = Path(path)
    return detect_format(p, _read_text(p)).name


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise InputError(
            f"unknown format {name!r}", hint=f"choose from: {', '.join(FORMATS)}"
        ) from None


def load(
    path: str | Path,
    input_format: str | None = None,
    options: ReadOptions | None = None,
) -> Scenario:
    """Read a scenario from any supported format (detected unless ``input_format`` is given)."""
    p = Path(path)
    text = _read_text(p)
    fmt = get_format(input_format) if input_format else detect_format(p, text)
    if fmt.read is None:
        raise InputError(f"format {fmt.name!r} can be written but not read", file=str(p))
    if not text.strip():
        raise InputError("the file is empty", file=str(p), hint="see examples/korea-2018.yaml")
    return fmt.read(p, text, options or ReadOptions())


def dumps(scenario: Scenario, output_format: str) -> str:
    """A scenario as text in ``output_format``."""
    fmt = get_format(output_format)
    if fmt.write is None:
        writable = ", ".join(f.name for f in FORMATS.values() if f.write is not None)
        raise InputError(f"format {fmt.name!r} cannot be written", hint=f"write one of: {writable}")
    return fmt.write(scenario)


def format_for_output(path: Path) -> str:
    """The writable format a file name implies."""
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.extensions and fmt.write is not None:
            return fmt.name
    raise InputError(
        f"cannot tell the output format from {path.name!r}",
        hint="name the file .yaml, .json or .csv, or pass --output-format",
    )


def save(scenario: Scenario, path: str | Path, output_format: str | None = None) -> None:
    """Write a scenario; the file is replaced only once the whole text is ready."""
    p = Path(path)
    text = dumps(scenario, output_format or format_for_output(p))
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(p)


__all__ = [
    "FORMATS",
    "Format",
    "ReadOptions",
    "detect_format",
    "dumps",
    "format_name",
    "get_format",
    "load",
    "save",
]
