"""Plain text for a terminal: one block per rule, each jurisdiction's cell on its own lines.

A grid of N states does not fit 80 columns once quotes are in it, so the table is read down:

    Minimum age of a candidate  [candidate-min-age]
      MH  21 years
          MH-VPA-1959 s.14(1)(a)
          "has not attained the age of twenty-one years"
          in force from 1959-06-01
      MN  (no provision in corpus)

Control characters are stripped so a quoted text cannot move the cursor or recolour the
terminal.
"""

from __future__ import annotations

import textwrap

from kb.model import Cell, ComparisonTable
from kb.render.cells import (
    SECONDARY_MARK,
    check_alignment,
    clean_text,
    empty_label,
    empty_note,
    in_force_phrase,
    inherited_chain,
)

BINARY = False
DEFAULT_WIDTH = 100


def render(table: ComparisonTable, width: int = DEFAULT_WIDTH) -> str:
    check_alignment(table)
    title = clean_text(table.title)
    meta = f"As of {table.as_of.isoformat()}"
    if table.body:
        meta += f" · body: {clean_text(table.body)}"
    lines = [title, meta, "=" * min(width, max(len(title), len(meta)))]
    state_width = max((len(clean_text(j)) for j in table.jurisdictions), default=0)
    for row in table.rows:
        lines += ["", f"{clean_text(row.label)}  [{clean_text(row.key)}]"]
        for state, cell in zip(table.jurisdictions, row.cells):
            lines += format_cell(clean_text(state).ljust(state_width), cell, width)
    if table.notes:
        lines += ["", "Notes:"]
        for note in table.notes:
            lines += _wrap(clean_text(note), width, "  - ", "    ")
    return "\n".join(lines) + "\n"


def format_cell(state: str, cell: Cell, width: int) -> list[str]:
    """The lines for one state's cell, the first led by the state code."""
    lead = f"  {state}  "
    indent = " " * len(lead)
    if cell.empty:
        parts = [f"({empty_label(cell)})"] + ([clean_text(empty_note(cell))] if empty_note(cell) else [])
    else:
        parts = [clean_text(cell.value)]
        if cell.citation:
            parts.append(clean_text(cell.citation))
        if cell.quote:
            parts.append(f'"{clean_text(cell.quote)}"')
        if dates := in_force_phrase(cell):
            parts.append(dates)
        if cell.secondary:
            source = f" — {clean_text(cell.source_url)}" if cell.source_url else ""
            parts.append(f"! {SECONDARY_MARK}{source}")
        if cell.inherited_via:
            parts.append(f"inherited via {inherited_chain(cell)}")
        if cell.note:
            parts.append(f"note: {clean_text(cell.note)}")
    lines: list[str] = []
    for part in parts:
        lines += _wrap(part, width, lead if not lines else indent, indent)
    return lines


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """Wrap each paragraph of text, keeping the author's line breaks (provisions rely on them)."""
    out: list[str] = []
    for paragraph in text.split("\n") or [""]:
        wrapped = textwrap.wrap(
            paragraph,
            width=max(width, len(first) + 20),
            initial_indent=first if not out else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
        out += wrapped or [(first if not out else rest).rstrip()]
    return out
