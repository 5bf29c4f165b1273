"""Errors that reach the user as one clear line: where, what, and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence

Loc = tuple[str | int, ...]

#: The longest field path, message and hint an error line shows (longer ones are cut, so a
#: megabyte-long key or value in a file is not echoed whole).
MAX_FIELD, MAX_MESSAGE, MAX_HINT = 120, 400, 400


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def format_loc(loc: Loc) -> str:
    """Render a field path such as ``snapshots[0].stances[3].position``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class DetenteError(Exception):
    """Base class for errors shown to the user without a traceback (exit code 2)."""

    exit_code = 2


class InputError(DetenteError):
    """Bad input: names the file, the line or field, the problem and the fix."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        more: Sequence[InputError] = (),
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.hint = hint
        self.more = tuple(more)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        elif self.line:
            where = f"line {self.line}"
        field = shorten(self.field, MAX_FIELD) if self.field else None
        parts = [p for p in (where, field) if p]
        head = ": ".join(parts)
        message = shorten(self.message, MAX_MESSAGE)
        text = f"{head}: {message}" if head else message
        if self.hint:
            text += f" ({shorten(self.hint, MAX_HINT)})"
        if self.more:
            text += f" [and {len(self.more)} more; 'detente validate' lists all]"
        return text

    @property
    def all(self) -> tuple[InputError, ...]:
        """This problem and every further one found in the same input."""
        return (self.without_more(), *self.more)

    def without_more(self) -> InputError:
        return InputError(
            self.message, file=self.file, line=self.line, field=self.field, hint=self.hint
        )

    def at(self, file: str | None = None, line: int | None = None) -> InputError:
        """Return a copy located in ``file`` at ``line`` (keeps what is already known)."""
        return InputError(
            self.message,
            file=self.file or file,
            line=self.line or line,
            field=self.field,
            hint=self.hint,
            more=[m.at(file) for m in self.more],
        )


class ScenarioProblem(Exception):
    """Cross-field problems found while validating a scenario.

    Deliberately not a ``ValueError``: pydantic lets it pass through unchanged, so the
    loader can attach file and line to each problem's field path.
    """

    def __init__(self, problems: Sequence[tuple[Loc, str, str | None]]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(f"{format_loc(first[0])}: {first[1]}")
