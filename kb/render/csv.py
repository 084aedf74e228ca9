"""CSV: one line per cell of the comparison table, for filtering and pivoting in a spreadsheet.

Columns, in order, are :data:`kb.render.records.COLUMNS` (see that module for their meaning),
among them ``body``, ``as_of`` and ``status`` (the vocabulary's word). CSV holds only text, so
null is an empty field, booleans are ``true``/``false`` and lists are joined (" > " for the
chain of citations in ``inherited_via``, " | " otherwise). Lines end in CRLF (RFC 4180); quotes
and newlines inside fields are quoted by the csv module. A spreadsheet opening the file would run
a field that begins with ``=``, ``+``, ``-`` or ``@`` as a formula, so by default such a field is
written with a leading ``'`` (``csv_safe``; ``seckb compare --no-csv-safe`` writes text as is).
"""

from __future__ import annotations

import csv
import io

from kb.model import ComparisonTable
from kb.render.records import COLUMNS, flat, table_records

BINARY = False


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: object) -> object:
    """A text a spreadsheet would evaluate, prefixed with ' so it is shown as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(table: ComparisonTable, *, csv_safe: bool = True) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in table_records(table):
        flat_record = {c: flat(c, v) for c, v in record.items()}
        writer.writerow({k: defuse_formula(v) for k, v in flat_record.items()} if csv_safe else flat_record)
    return buffer.getvalue()
