"""CSV: one line per cell of the comparison table, for filtering and pivoting in a spreadsheet.

Columns, in order (see :mod:`kb.render.records` for their meaning)::

    rule_key, rule_label, jurisdiction, status, value, citation, quote, in_force_from,
    repealed_on, secondary, inherited_via, source_url, note

``status`` is ``provision`` | ``secondary`` | ``inherited`` | ``no provision in corpus``; an
empty cell has value "" and that status. Lines end in CRLF (RFC 4180); quotes and newlines
inside fields are quoted by the csv module. A spreadsheet opening the file would run a
field that begins with ``=``, ``+``, ``-`` or ``@`` as a formula, so by default such a field is
written with a leading ``'`` (``csv_safe``; ``seckb compare --no-csv-safe`` writes text as is).
"""

from __future__ import annotations

import csv
import io

from kb.model import ComparisonTable
from kb.render.records import COLUMNS, table_records

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
        writer.writerow({k: defuse_formula(v) for k, v in record.items()} if csv_safe else record)
    return buffer.getvalue()
