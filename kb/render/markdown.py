"""Markdown: a pipe table (rules down, one column per jurisdiction) for notes and issue threads.

Each cell is one table line, so newlines become ``<br>`` and pipes are escaped. Markdown passes
raw HTML through, so ``<``, ``>`` and ``&`` are written as entities and the table stays inert
when a Markdown processor turns it into a page; emphasis and link characters are
backslash-escaped so a quote prints as written.
"""

from __future__ import annotations

import re

from kb.model import Cell, ComparisonTable
from kb.render.cells import cell_lines, check_alignment, clean_text, legend, row_label, view

BINARY = False

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL_RE = re.compile(r"([\\`*_\[\]|#~])")


def escape_markdown(text: str | None) -> str:
    """Text safe inside one pipe-table cell: no raw HTML, no markup, no line breaks."""
    text = clean_text(text)
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    text = _SPECIAL_RE.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in text.split("\n"))


def render_cell(cell: Cell, state: str = "") -> str:
    """The cell's lines (:func:`kb.render.cells.cell_lines`), the first in bold when it is a value.

    Addresses are printed in full as text, not as links: the page must read the same on paper.
    """
    v = view(cell, state)
    lines = [escape_markdown(line) for line in cell_lines(v)]
    lines[0] = f"**{lines[0]}**" if v.filled else f"*{lines[0]}*"
    return "<br>".join(lines)


def render(table: ComparisonTable) -> str:
    check_alignment(table)
    meta = f"As of {table.as_of.isoformat()}"
    meta += f" · body: {escape_markdown(table.body)}" if table.body else " · every body (a row per body)"
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
        label = f"{escape_markdown(row_label(row))}<br>({escape_markdown(row.key)})"
        cells = [label, *(render_cell(c, s) for s, c in zip(table.jurisdictions, row.cells))]
        lines.append("| " + " | ".join(cells) + " |")
    if table.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {escape_markdown(n)}" for n in table.notes]
    lines += ["", "## Legend", ""]
    lines += [f"- **{escape_markdown(word)}**: {escape_markdown(meaning)}" for word, meaning in legend(table)]
    return "\n".join(lines) + "\n"
