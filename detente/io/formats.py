"""The registry of file formats: names, readers, writers and content sniffers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from detente.scenario import Scenario


@dataclass(frozen=True)
class ReadOptions:
    """Choices a reader may need that its format cannot state.

    ``capabilities``: how to derive actor capability where a format has none or several
    schemes (DEU: ``weights`` = the file's weight row, ``equal``, ``council``).
    ``salience_scale``: ``0-1`` or ``0-100`` where the file does not say.
    """

    capabilities: str | None = None
    salience_scale: str | None = None


Reader = Callable[[Path, str, ReadOptions], Scenario]
Writer = Callable[[Scenario], str]
Sniffer = Callable[[Path, str], bool]


@dataclass(frozen=True)
class Format:
    """One file format: its name for ``--input-format``, and what it can do."""

    name: str
    description: str
    extensions: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None
    sniff: Sniffer | None = None


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt
