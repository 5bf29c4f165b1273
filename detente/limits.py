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

from detente.errors import InputError

#: Share of the machine's memory a single model run may plan to use by default.
MEMORY_SHARE = 0.5
_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
_override: ContextVar[int | None] = ContextVar("detente_max_memory", default=None)


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
