"""Markdown: a pipe table (rules down, one column per jurisdiction) for notes and issue threads.

Each cell is one table line, so newlines become ``<br>`` and pipes are escaped. Markdown passes
raw HTML through, so ``<``, ``>`` and ``&`` are written as entities and the table stays inert
when a Markdown processor turns it into a page; emphasis and link characters are
backslash-escaped so a quote prints as written.
"""

from __future__ import annotations

import re

from kb.model import Cell, ComparisonTable
from kb.render.cells import (
    SECONDARY_MARK,
    check_alignment,
    clean_text,
    empty_label,
    empty_note,
    in_force_phrase,
    inherited_chain,
    safe_url,
)

BINARY = False

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL_RE = re.compile(r"([\\`*_\[\]|#~])")
_AUTOLINK_RE = re.compile(r"[A-Za-z0-9:/?#@!$&'()*+,;=%._~-]+")


def escape_markdown(text: str | None) -> str:
    """Text safe inside one pipe-table cell: no raw HTML, no markup, no line breaks."""
    text = clean_text(text)
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    text = _SPECIAL_RE.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in text.split("\n"))


def render_cell(cell: Cell) -> str:
    if cell.empty:
        note = f"<br>{escape_markdown(empty_note(cell))}" if empty_note(cell) else ""
        return f"*{escape_markdown(empty_label(cell))}*{note}"
    parts = [f"**{escape_markdown(cell.value)}**"]
    if cell.citation:
        parts.append(escape_markdown(cell.citation))
    if cell.quote:
        parts.append(f"“{escape_markdown(cell.quote)}”")
    dates = in_force_phrase(cell)
    if dates:
        parts.append(dates)
    if cell.secondary:
        url = safe_url(cell.source_url)
        # An autolink cannot hold escapes, so only a plain http(s) URL becomes one.
        source = f" — <{url}>" if url and _AUTOLINK_RE.fullmatch(url) else ""
        parts.append(f"⚠ {SECONDARY_MARK}{source}")
    if cell.inherited_via:
        parts.append(f"inherited via {escape_markdown(inherited_chain(cell))}")
    if cell.note:
        parts.append(f"_{escape_markdown(cell.note)}_")
    return "<br>".join(parts)


def render(table: ComparisonTable) -> str:
    check_alignment(table)
    meta = f"As of {table.as_of.isoformat()}"
    if table.body:
        meta += f" · body: {escape_markdown(table.body)}"
    header = ["Rule", *(escape_markdown(j) for j in table.jurisdictions)]
    lines = [
        f"# {escape_markdown(table.title)}",
        "",
        meta,
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in table.rows:
        label = f"{escape_markdown(row.label)}<br>({escape_markdown(row.key)})"
        cells = [label, *(render_cell(c) for c in row.cells)]
        lines.append("| " + " | ".join(cells) + " |")
    if table.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {escape_markdown(n)}" for n in table.notes]
    return "\n".join(lines) + "\n"
