"""How one comparison-table cell reads as words, shared by every renderer so that the
terminal, the page, the spreadsheet and the data files all say the same thing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from kb.model import Cell, ComparisonTable, Row

NO_PROVISION = "no provision in corpus"
SECONDARY_MARK = "not verified against text"
INHERIT_SEPARATOR = " > "

STATUS_PROVISION = "provision"
STATUS_SECONDARY = "secondary"
STATUS_INHERITED = "inherited"
STATUS_EMPTY = NO_PROVISION

# C0 and C1 controls except tab and newline: PDF extraction leaves form feeds behind, which
# openpyxl refuses outright, and an ESC or CSI in a quoted text would drive the terminal.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str | None) -> str:
    """The text with Windows newlines normalised and control characters removed; None → ""."""
    if not text:
        return ""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n"))


def cell_status(cell: Cell) -> str:
    """One word a reader can filter on.

    Secondary wins over inherited: a rule we could not check against the text is the weaker
    claim, and the inherited chain is still carried in its own column.
    """
    if cell.status is not None:
        return cell.status.value  # the finder/review vocabulary (kb.vocab.CellStatus)
    if cell.empty:
        return STATUS_EMPTY
    if cell.secondary:
        return STATUS_SECONDARY
    if cell.inherited_via:
        return STATUS_INHERITED
    return STATUS_PROVISION


def iter_cells(table: ComparisonTable) -> Iterator[tuple[Row, str, Cell]]:
    """Yield (row, jurisdiction, cell) in reading order, refusing a misaligned row.

    zip() would silently drop a state's cell, and a missing cell in a legal comparison reads
    as "no such rule" — so a mismatch is an error, not a shorter row.
    """
    check_alignment(table)
    for row in table.rows:
        yield from ((row, state, cell) for state, cell in zip(table.jurisdictions, row.cells))


def check_alignment(table: ComparisonTable) -> None:
    width = len(table.jurisdictions)
    for row in table.rows:
        if len(row.cells) != width:
            raise ValueError(f"row {row.key!r} has {len(row.cells)} cells for {width} jurisdictions")


def in_force_phrase(cell: Cell) -> str:
    """ "in force from 1994-04-23; repealed on 2001-01-01", or "" when no date is known."""
    parts = []
    if cell.in_force_from:
        parts.append(f"in force from {cell.in_force_from.isoformat()}")
    if cell.repealed_on:
        parts.append(f"repealed on {cell.repealed_on.isoformat()}")
    return "; ".join(parts)


def inherited_chain(cell: Cell) -> str:
    return INHERIT_SEPARATOR.join(clean_text(c) for c in cell.inherited_via)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) and so safe to put in an href; otherwise None.

    Escaping does not neutralise "javascript:" in an href, so other schemes are shown as text.
    """
    if not url:
        return None
    url = clean_text(url).strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def empty_label(cell: Cell) -> str:
    """What an empty cell says: its status word when the finder or a review set one."""
    return cell.status.value if cell.status is not None else NO_PROVISION


def empty_note(cell) -> str:
    """The note of an empty cell, unless it only repeats what the cell already says."""
    note = (cell.note or "").strip()
    return "" if note in (NO_PROVISION, empty_label(cell)) else (cell.note or "")
