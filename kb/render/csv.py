"""CSV: one line per cell of the comparison table, for filtering and pivoting in a spreadsheet.

Columns, in order, are :data:`kb.render.records.COLUMNS` (see that module for their meaning),
among them ``body``, ``as_of`` and ``status`` (the vocabulary's word). CSV holds only text, so
null is an empty field, booleans are ``true``/``false`` and lists are joined (" > " for the
chain of citations in ``inherited_via``, " | " otherwise). Lines end in CRLF (RFC 4180); quotes
and newlines inside fields are quoted by the csv module. Text is not altered to defuse
spreadsheet formulas: this file is data, and the xlsx renderer is the one meant for Excel.
"""

from __future__ import annotations

import csv
import io

from kb.model import ComparisonTable
from kb.render.records import COLUMNS, flat, table_records

BINARY = False


def render(table: ComparisonTable) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({c: flat(c, v) for c, v in record.items()} for record in table_records(table))
    return buffer.getvalue()
