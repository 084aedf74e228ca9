"""XLSX: a workbook for people who work in Excel or LibreOffice.

Sheets:

* ``Table`` — rules down (column A, one row per rule and body), one column per jurisdiction;
  each cell holds the same lines as the text and Markdown outputs (value, status, citation,
  statute text or summary, in-force phrase, pending change, source with its address and grade).
  Header row 1, panes frozen at B2 so rule names and state codes stay in view.
* ``Cells`` — the flat records of :mod:`kb.render.records`, the same rows as the CSV.
  Header row 1, panes frozen at A2. Excel has no empty string, so a "" field reads back as
  an empty cell (None in openpyxl).
* ``About`` — title, as-of date, body, notes and the legend (every status word and its meaning).

Every text is stored as a string cell, never a formula, even when it starts with "=".
"""

from __future__ import annotations

import io

from kb.model import Cell, ComparisonTable
from kb.render.cells import cell_lines, check_alignment, clean_text, legend, row_label, view
from kb.render.records import COLUMNS, flat, table_records

BINARY = True

# Characters per column; quotes wrap, so a wide-but-bounded column reads better than autofit.
_RECORD_WIDTHS = {
    "rule_key": 24,
    "rule_label": 32,
    "body": 12,
    "jurisdiction": 12,
    "as_of": 12,
    "status": 26,
    "baseline_status": 20,
    "baseline_note": 36,
    "value": 30,
    "citation": 28,
    "text": 60,
    "in_force": 30,
    "in_force_from": 13,
    "repealed_on": 13,
    "known_since": 13,
    "pending": 36,
    "secondary": 10,
    "source_title": 36,
    "source_url": 40,
    "inherited_via": 36,
    "judgments": 40,
    "note": 30,
}


def render(table: ComparisonTable) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook  # lazily: only this renderer needs openpyxl

    check_alignment(table)
    workbook = Workbook()
    _fill_table_sheet(workbook.active, table)
    _fill_cells_sheet(workbook.create_sheet("Cells"), table)
    _fill_about_sheet(workbook.create_sheet("About"), table)
    workbook.properties.title = clean_text(table.title)[:255]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def summarise_cell(cell: Cell, state: str = "") -> str:
    """One "Table" cell: the same lines as every other format (:func:`kb.render.cells.cell_lines`)."""
    return "\n".join(cell_lines(view(cell, state)))


def _fill_table_sheet(sheet, table: ComparisonTable) -> None:
    sheet.title = "Table"
    _write_row(sheet, 1, ["Rule", *(clean_text(j) for j in table.jurisdictions)], bold=True)
    for index, row in enumerate(table.rows, start=2):
        cells = (summarise_cell(c, s) for s, c in zip(table.jurisdictions, row.cells))
        _write_row(sheet, index, [row_label(row), *cells])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 36
    for column in range(2, len(table.jurisdictions) + 2):
        sheet.column_dimensions[_letter(column)].width = 40


def _fill_cells_sheet(sheet, table: ComparisonTable) -> None:
    _write_row(sheet, 1, list(COLUMNS), bold=True)
    for index, record in enumerate(table_records(table), start=2):
        _write_row(sheet, index, [flat(c, record[c]) for c in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[_letter(column)].width = _RECORD_WIDTHS.get(name, 20)


def _fill_about_sheet(sheet, table: ComparisonTable) -> None:
    rows = [
        ["title", clean_text(table.title)],
        ["as_of", table.as_of.isoformat()],
        ["body", clean_text(table.body) or "every body (a row per body)"],
        ["jurisdictions", ", ".join(clean_text(j) for j in table.jurisdictions)],
        *(["note", clean_text(n)] for n in table.notes),
        *([word, meaning] for word, meaning in legend(table)),
    ]
    for index, values in enumerate(rows, start=1):
        _write_row(sheet, index, values)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 100


def _write_row(sheet, row: int, values: list[str], bold: bool = False) -> None:
    from openpyxl.styles import Alignment, Font

    alignment = Alignment(wrap_text=True, vertical="top")
    font = Font(bold=True) if bold else None
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value or None)
        # openpyxl takes any string starting with "=" for a formula; law text is never one.
        if value:
            cell.data_type = "s"
        cell.alignment = alignment
        if font:
            cell.font = font


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
