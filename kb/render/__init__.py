"""Renderers for a :class:`kb.model.ComparisonTable`: one module per output format.

API::

    render_table(table, "html")                  -> str   (text formats, nothing written)
    render_table(table, "html", Path("t.html"))  -> None  (written as UTF-8)
    render_table(table, "xlsx", Path("t.xlsx"))  -> None  (binary: out_path is required)
    render_bytes(table, fmt)                     -> bytes (any format, e.g. for an HTTP reply)

Formats are listed in :data:`RENDERERS` (name → module path) and imported only when used, so
``seckb compare`` in a terminal never loads openpyxl. Each module has ``BINARY: bool`` and
``render(table) -> str | bytes``. An unknown format raises ValueError naming the valid ones;
:func:`format_for_path` picks a format from an output file's suffix.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

from kb.model import ComparisonTable

__all__ = [
    "FORMATS",
    "RENDERERS",
    "format_for_path",
    "is_binary",
    "render_bytes",
    "render_table",
]

RENDERERS: dict[str, str] = {
    "text": "kb.render.text",
    "markdown": "kb.render.markdown",
    "html": "kb.render.html",
    "csv": "kb.render.csv",
    "json": "kb.render.json",
    "xlsx": "kb.render.xlsx",
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)

_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".xlsx": "xlsx",
}


def load_renderer(fmt: str) -> ModuleType:
    try:
        module_path = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    return import_module(module_path)


def is_binary(fmt: str) -> bool:
    return bool(load_renderer(fmt).BINARY)


def render_table(table: ComparisonTable, fmt: str, out_path: Path | None = None) -> str | None:
    """Render ``table`` as ``fmt``; return the text, or write it to ``out_path`` and return None.

    A binary format (xlsx) has no text to return, so it needs ``out_path``.
    """
    renderer = load_renderer(fmt)
    if out_path is None:
        if renderer.BINARY:
            raise ValueError(f"format {fmt!r} is binary; give an output path (or use render_bytes)")
        return renderer.render(table)
    from kb.fileio import write_bytes_atomic

    out = renderer.render(table)
    # Encoded as is: the text already holds its line endings (CSV's are CRLF by RFC 4180).
    write_bytes_atomic(Path(out_path), out if renderer.BINARY else out.encode("utf-8"))
    return None


def render_bytes(table: ComparisonTable, fmt: str) -> bytes:
    """Any format as bytes (text formats UTF-8 encoded)."""
    renderer = load_renderer(fmt)
    out = renderer.render(table)
    return out if renderer.BINARY else out.encode("utf-8")


def format_for_path(path: Path | str) -> str:
    """The format an output file's suffix asks for, e.g. "briefing.xlsx" → "xlsx"."""
    suffix = Path(path).suffix.lower()
    try:
        return _SUFFIXES[suffix]
    except KeyError:
        raise ValueError(
            f"cannot tell the format of {str(path)!r} from its suffix; "
            f"use one of: {', '.join(sorted(_SUFFIXES))} or name a format ({', '.join(FORMATS)})"
        ) from None
