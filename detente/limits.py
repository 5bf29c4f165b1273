"""Limits a run cannot exceed: file size, problem size and memory, each with a way to raise it.

Every limit has a default and an environment variable (``DETENTE_MAX_FILE_MB``,
``DETENTE_MAX_ACTORS``, ``DETENTE_MAX_ISSUES``, ``DETENTE_MAX_SNAPSHOTS``,
``DETENTE_MAX_MEMORY``); the memory limit can also be given per command (``--max-memory``).
A refusal names the size found, the limit and how to raise it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from detente.models.base import Footprint, Model

#: Share of the machine's memory a single model run may plan to use by default.
MEMORY_SHARE = 0.25
_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
#: Runs estimated to take longer than this many seconds are announced (see :func:`notify`).
NOTE_SECONDS = 60.0
_override: ContextVar[int | None] = ContextVar("detente_max_memory", default=None)
_notifier: ContextVar[Callable[[str], None] | None] = ContextVar("detente_notifier",
                                                                  default=None)


@dataclass(frozen=True)
class Limit:
    """One limit: its name in messages, environment variable and default."""

    what: str
    env: str
    default: int

    def value(self) -> int:
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            n = int(float(raw))
        except ValueError:
            raise InputError(f"${self.env} must be a whole number, got {raw!r}",
                             field=self.env, hint=f"e.g. {self.env}={self.default}") from None
        if n < 1:
            raise InputError(f"${self.env} must be at least 1, got {raw!r}", field=self.env)
        return n

    def check(self, found: int, *, file: str | None = None) -> None:
        """Refuse ``found`` above the limit, naming both and how to raise it."""
        limit = self.value()
        if found > limit:
            raise InputError(
                f"{found:,} {self.what} exceed the limit of {limit:,}", file=file,
                hint=f"raise it with {self.env}={found} if this is intended")


FILE_MB = Limit("MB of input", "DETENTE_MAX_FILE_MB", 64)
ACTORS = Limit("actors", "DETENTE_MAX_ACTORS", 5_000)
ISSUES = Limit("issues", "DETENTE_MAX_ISSUES", 2_000)
SNAPSHOTS = Limit("snapshots", "DETENTE_MAX_SNAPSHOTS", 1_000)
MEMORY_ENV = "DETENTE_MAX_MEMORY"


def check_file_size(size: int, file: str) -> None:
    """Refuse an input file larger than ``DETENTE_MAX_FILE_MB``."""
    limit = FILE_MB.value()
    if size > limit * 2**20:
        raise InputError(
            f"the file holds {size / 2**20:,.1f} MB, more than the limit of {limit:,} MB",
            file=file, hint=f"raise it with {FILE_MB.env}={int(size / 2**20) + 1} if this "
                            "is intended")


def parse_bytes(text: str, *, field: str) -> int:
    """``4G``, ``500M``, ``2.5GB`` or a number of bytes, as bytes."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT]?)(?:I?B)?\s*", text.upper())
    if not m:
        raise InputError(f"not a memory size: {text!r}", field=field,
                         hint="write e.g. 4G, 500M or a number of bytes")
    n = int(float(m.group(1)) * _UNITS[m.group(2)])
    if n < 1:
        raise InputError(f"the memory size must be positive, got {text!r}", field=field)
    return n


def machine_memory() -> int:
    """The machine's physical memory in bytes (8 GB where the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def max_memory() -> int:
    """The memory a model run may plan to use: ``--max-memory``, else
    ``$DETENTE_MAX_MEMORY``, else :data:`MEMORY_SHARE` of the machine's memory."""
    given = _override.get()
    if given is not None:
        return given
    raw = os.environ.get(MEMORY_ENV, "").strip()
    if raw:
        return parse_bytes(raw, field=MEMORY_ENV)
    return int(machine_memory() * MEMORY_SHARE)


@contextmanager
def memory_limit(limit: int | None) -> Iterator[None]:
    """Within the block, model runs may plan ``limit`` bytes (None: the default)."""
    token = _override.set(limit)
    try:
        yield
    finally:
        _override.reset(token)


def human(n: float) -> str:
    """Bytes as a short size, e.g. 6.2 GB."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"  # pragma: no cover


def set_memory_limit(limit: int | None) -> None:
    """Model runs from now on may plan ``limit`` bytes (None: the default); the command line
    sets it from ``--max-memory``."""
    _override.set(limit)


def notify(callback: Callable[[str], None] | None) -> None:
    """Where to announce long runs (the command line prints a note on stderr)."""
    _notifier.set(callback)


def duration(seconds: float) -> str:
    """Seconds as a rough duration: 40 s, 12 min, 3.5 h."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def check_footprint(model: Model, actors: int, issues: int, rows: int | None = None,
                    *, repeats: int = 1) -> Footprint:
    """Refuse a run whose estimated memory exceeds :func:`max_memory`, naming the size and
    the option; announce one estimated to take longer than :data:`NOTE_SECONDS`.
    ``repeats``: how many times the same run is made (Monte Carlo draws on the slow path)."""
    fp = model.footprint(actors, issues, rows)
    limit = max_memory()
    size = f"{actors:,} actor(s) × {issues:,} issue(s)" + (
        f" ({rows:,} problems)" if rows not in (None, issues) else "")
    if fp.bytes > limit:
        raise InputError(
            f"model {model.name!r} on {size} would need about {human(fp.bytes)} of memory "
            f"(and about {duration(fp.seconds * repeats)}), above the limit of {human(limit)}",
            field="--max-memory",
            hint=f"raise it with --max-memory {human_option(fp.bytes * 1.25)} or "
                 f"{MEMORY_ENV}, or run fewer actors or issues")
    callback = _notifier.get()
    seconds = fp.seconds * repeats
    if callback is not None and seconds > NOTE_SECONDS:
        callback(f"note: model {model.name!r} on {size} will take about {duration(seconds)} "
                 f"and {human(fp.bytes)} of memory")
    return fp


def human_option(n: float) -> str:
    """A size as ``--max-memory`` takes it, rounded up: 512M, 9G."""
    if n < 2**30:
        return f"{int(n / 2**20) + 1}M"
    return f"{int(n / 2**30) + 1}G"
