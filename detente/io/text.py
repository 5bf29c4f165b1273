"""Reading an input file as text: size limit, encoding, line ends."""

from __future__ import annotations

from pathlib import Path

from detente.errors import InputError
from detente.limits import check_file_size


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM, else Latin-1), every line end as ``\\n``.

    Old Mac files end lines with a bare CR; the readers (csv, YAML, XML) then see one line
    end whatever the file used.
    """
    file = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", file=file, hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=file) from None
    if path.is_dir():
        raise InputError("is a directory, not a file", file=file)
    check_file_size(size, file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=file) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")
