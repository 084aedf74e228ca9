"""CSV: one line per cell of the comparison table, for filtering and pivoting in a spreadsheet.

Columns, in order (see :mod:`kb.render.records` for their meaning)::

    rule_key, rule_label, jurisdiction, status, value, citation, quote, in_force_from,
    repealed_on, secondary, inherited_via, source_url, note

``status`` is ``provision`` | ``secondary`` | ``inherited`` | ``no provision in corpus``; an
empty cell has value "" and that status. Lines end in CRLF (RFC 4180); quotes and newlines
inside fields are quoted by the csv module. Text is not altered to defuse spreadsheet
formulas: this file is data, and the xlsx renderer is the one meant for opening in Excel.
"""

from __future__ import annotations

import csv
import io

from kb.model import ComparisonTable
from kb.render.records import COLUMNS, table_records

BINARY = False


def render(table: ComparisonTable) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table_records(table))
    return buffer.getvalue()
