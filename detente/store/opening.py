"""Opening a workspace file safely: no network, no writes to a file that is not sound.

Every connection disables DuckDB's extension autoloading and autoinstalling, so a file in
another format (an SQLite database, say) never makes DuckDB reach for the internet or create
``~/.duckdb``. A file that is not a DuckDB database, or another DuckDB database, is refused in
one line naming it. A damaged workspace (truncated, bytes flipped, a schema version that is not
a number) is reported in one line with what to do, and is opened read-only until it is known
to be sound, so a failure never changes it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from detente.errors import DetenteError, InputError

#: DuckDB's file signature: the bytes ``DUCK`` at offset 8.
MAGIC, MAGIC_AT = b"DUCK", 8
_SQLITE = b"SQLite format 3\x00"
_DAMAGE_WORDS = ("corrupt", "checksum", "could not read", "not enough bytes", "invalid block",
                 "serializ", "deserializ", "malformed", "unexpected end", "wal")
CONFIG = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
}


class WorkspaceDamaged(DetenteError):
    """The workspace file exists but cannot be read whole; it was left as it is."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"workspace damaged: {path} ({reason}) (restore a copy, or run `detente "
            f"workspace check {path}` / `detente workspace repair {path} -o NEW`)")


class WorkspaceReadOnly(DetenteError):
    """A command that writes was pointed at a workspace it may not write."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: the workspace is read-only, and this command writes to it (runs, show "
            "and export only read; give write access, or copy the file and pass --workspace "
            "COPY)")


def first_line(exc: BaseException) -> str:
    """An exception's message as one short line, without DuckDB's error class prefix."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for prefix in ("IO Error: ", "Serialization Error: ", "INTERNAL Error: ", "FATAL Error: ",
                   "Invalid Input Error: ", "Catalog Error: "):
        text = text.removeprefix(prefix)
    return text[:200]


def is_lock(exc: BaseException) -> bool:
    """Whether a DuckDB error says another process holds the file."""
    text = str(exc).lower()
    return "could not set lock" in text or "conflicting lock" in text


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error says the file itself is unsound (not a lock, not a query bug)."""
    if isinstance(exc, duckdb.InternalException | duckdb.FatalException
                  | duckdb.SerializationException):
        return True
    text = str(exc).lower()
    if isinstance(exc, duckdb.IOException):
        return not is_lock(exc) and "permission" not in text and "read-only" not in text
    return isinstance(exc, duckdb.Error) and any(w in text for w in _DAMAGE_WORDS)


def check_signature(path: Path) -> None:
    """Refuse a non-empty file that is not a DuckDB database, naming what it is."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"cannot read the workspace: {exc.strerror}", file=str(path)) from None
    if not head:
        return
    if head.startswith(_SQLITE):
        kind = "an SQLite database"
    elif head[MAGIC_AT:MAGIC_AT + 4] == MAGIC:
        return
    else:
        kind = "not a DuckDB file"
    raise InputError(f"{kind}, not a detente workspace", file=str(path),
                     hint="choose another --workspace path; detente never changes this file")


def connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection with extensions off; damage and missing write access as clear errors."""
    try:
        return duckdb.connect(str(path), read_only=read_only, config=dict(CONFIG))
    except duckdb.Error as exc:
        text = str(exc).lower()
        if is_lock(exc):
            raise
        if not read_only and ("permission" in text or "read-only" in text
                              or "readonly" in text):
            raise WorkspaceReadOnly(path) from None
        if is_damage(exc):
            raise WorkspaceDamaged(path, first_line(exc)) from None
        raise InputError(f"cannot open the workspace: {first_line(exc)}", file=str(path),
                         hint="choose another --workspace path") from None
