"""Plain text for a terminal: one block per rule and body, each jurisdiction's cell on its own lines.

A grid of N states does not fit 80 columns once quotes are in it, so the table is read down:

    Minimum age of candidate — panchayat  [candidate_min_age]
      MH  21
          verified
          MH-VPA-1959 s.14(1)(a)
          Text: "has not attained the age of twenty-one years"
          in force at least since 4 April 2025
      MN  (Act held, not yet reviewed for this rule)

The words come from :func:`kb.render.cells.cell_lines`; the legend at the end says what each
status means. Control characters are stripped so a quoted text cannot move the cursor or
recolour the terminal.
"""

from __future__ import annotations

import textwrap

from kb.model import Cell, ComparisonTable
from kb.render.cells import cell_lines, check_alignment, clean_text, legend, row_label, view

BINARY = False
DEFAULT_WIDTH = 100


def render(table: ComparisonTable, width: int = DEFAULT_WIDTH) -> str:
    check_alignment(table)
    title = clean_text(table.title)
    meta = f"As of {table.as_of.isoformat()}"
    meta += f" · body: {clean_text(table.body)}" if table.body else " · every body (a row per body)"
    lines = [title, meta, "=" * min(width, max(len(title), len(meta)))]
    state_width = max((len(clean_text(j)) for j in table.jurisdictions), default=0)
    for row in table.rows:
        lines += ["", f"{row_label(row)}  [{clean_text(row.key)}]"]
        for state, cell in zip(table.jurisdictions, row.cells):
            lines += format_cell(clean_text(state).ljust(state_width), cell, width)
    if table.notes:
        lines += ["", "Notes:"]
        for note in table.notes:
            lines += _wrap(clean_text(note), width, "  - ", "    ")
    lines += ["", "Legend:"]
    for word, meaning in legend(table):
        lines += _wrap(f"{word}: {meaning}", width, "  - ", "    ")
    return "\n".join(lines) + "\n"


def format_cell(state: str, cell: Cell, width: int) -> list[str]:
    """The lines for one state's cell, the first led by the state code."""
    lead = f"  {state}  "
    indent = " " * len(lead)
    lines: list[str] = []
    for part in cell_lines(view(cell, state.strip())):
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
