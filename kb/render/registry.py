"""Every view seckb prints, and the formats each can be rendered in: the one way to render.

A view is what a command shows (a comparison table, the coverage, a search result, an add
report...). :data:`VIEWS` maps each view to its formats and each format to a renderer named
``"module:function"``, imported only when used (so ``seckb search`` never loads openpyxl).
A renderer takes the view's data and returns text, or bytes for a binary format. The CLI's
``--format`` choices come from :func:`formats`; nothing outside ``kb/render`` turns data into
text or JSON.

    render_view("acts", rows, "json")   -> str
    render_view("table", table, "xlsx") -> bytes
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from kb.render import RENDERERS
from kb.vocab import OutputFormat

__all__ = ["FORMAT_ALIASES", "VIEWS", "choices", "formats", "is_binary", "render_view"]

_JSON = "kb.render.views:to_json"

VIEWS: dict[str, dict[str, str]] = {
    # A comparison table: every format of kb/render's table renderers (module.render(table)).
    "table": {fmt: f"{module}:render" for fmt, module in RENDERERS.items()},
    "coverage": {fmt: f"kb.render.coverage:{fmt}" for fmt in ("text", "markdown", "html", "csv", "json")},
    "build": {"text": "kb.render.views:build_text", "json": _JSON},
    "search": {"text": "kb.render.search_view:search_plain", "json": "kb.render.search_view:search_json"},
    "provision": {"text": "kb.render.views:provision_text", "json": _JSON},
    "acts": {"text": "kb.render.views:acts_text", "json": _JSON},
    "stats": {"text": "kb.render.views:stats_text", "json": _JSON},
    "topics": {"text": "kb.render.views:topics_text", "json": _JSON},
    "notes-import": {"text": "kb.render.notes:import_text", "json": "kb.render.notes:import_json"},
    "notes": {"text": "kb.render.notes:notes_text", "json": "kb.render.notes:notes_json"},
    "note": {"text": "kb.render.notes:note_text", "json": _JSON},
    "brief": {"text": "kb.render.brief_pack:summary_text", "json": _JSON},
    "add": {"text": "kb.render.reports:add_text", "json": "kb.render.reports:add_json"},
    "remove": {"text": "kb.render.reports:remove_text", "json": "kb.render.reports:remove_json"},
    "eval": {"text": "kb.render.evaluation:eval_text", "json": "kb.render.evaluation:eval_json"},
    "candidates": {"text": "kb.render.review:candidates_text", "json": "kb.render.review:candidates_json"},
    "decision": {"text": "kb.render.review:decision_text", "json": _JSON},
    "rules-transfer": {"text": "kb.render.review:transfer_text", "json": _JSON},
    "check": {"text": "kb.render.checks:check_text", "json": "kb.render.checks:check_json"},
    "warnings": {"text": "kb.render.checks:warnings_text", "json": "kb.render.checks:warnings_json"},
}

# Short names users type for a format.
FORMAT_ALIASES = {"md": OutputFormat.MARKDOWN.value}
_BINARY = {OutputFormat.XLSX.value}


def formats(view: str) -> tuple[str, ...]:
    try:
        return tuple(VIEWS[view])
    except KeyError:
        raise ValueError(f"unknown view {view!r}; one of: {', '.join(VIEWS)}") from None


def choices(view: str) -> list[str]:
    """``--format`` choices of a view: its formats and the aliases of those formats."""
    names = formats(view)
    return [*names, *(alias for alias, fmt in FORMAT_ALIASES.items() if fmt in names)]


def is_binary(fmt: str) -> bool:
    return FORMAT_ALIASES.get(fmt, fmt) in _BINARY


def renderer(view: str, fmt: str) -> Callable[[Any], str | bytes]:
    fmt = FORMAT_ALIASES.get(fmt, fmt)
    target = VIEWS.get(view, {}).get(fmt)
    if target is None:
        raise ValueError(f"{view} cannot be shown as {fmt!r}; choose one of: {', '.join(formats(view))}")
    module, _, name = target.partition(":")
    if module.startswith("kb.render.coverage"):
        # kb/render/coverage.py keeps one entry point for its formats.
        from kb.render.coverage import render_coverage

        return lambda data: render_coverage(data, name)
    function: Callable[[Any], str | bytes] = getattr(import_module(module), name)
    return function


def render_view(view: str, data: Any, fmt: str, **options: Any) -> str | bytes:
    """``options`` go to the renderer (e.g. ``csv_safe`` for the table's csv)."""
    return renderer(view, fmt)(data, **options)
