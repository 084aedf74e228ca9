"""Errors a user can cause, each printable as one line that names the file, line or field."""

from __future__ import annotations

from pathlib import Path

MAX_MESSAGE = 400  # an error echoing a 100 KB query whole is no longer one line


def _cut(text: str) -> str:
    if len(text) <= MAX_MESSAGE:
        return text
    return f"{text[: MAX_MESSAGE - 80]} … ({len(text) - MAX_MESSAGE + 80} more characters) … {text[-60:]}"


class SeckbError(Exception):
    """Base of every error seckb reports to a user instead of a traceback."""

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field

    def one_line(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where += f":{self.line}"
        if self.field:
            where = f"{where} [{self.field}]" if where else f"[{self.field}]"
        text = _cut(" ".join(self.message.split()))
        return f"{where}: {text}" if where else text

    def __str__(self) -> str:
        return self.one_line()


class ReaderError(SeckbError):
    """A source file could not be read in the format it claims to be."""


class ReferenceDataError(SeckbError):
    """corpus/*.yaml (catalogue, topics, rules) is invalid."""


class CitationError(SeckbError):
    """A citation does not resolve; ``candidates`` holds the nearest provisions."""

    def __init__(self, message: str, *, candidates: tuple[str, ...] = (), **kw) -> None:
        super().__init__(message, **kw)
        self.candidates = candidates

    def one_line(self) -> str:
        base = super().one_line()
        if self.candidates:
            base += "; nearest: " + ", ".join(self.candidates[:5])
        return base


class QueryError(SeckbError):
    """A search query could not be parsed."""


class BusyError(SeckbError):
    """Another build, add or import holds the knowledge base."""


class DamagedError(SeckbError):
    """The current knowledge base's database is not a whole database any more."""


class NoteError(SeckbError):
    """A discussion note is invalid."""
