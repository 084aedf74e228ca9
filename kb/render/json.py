"""JSON: the table's header and the same flat records as the CSV.

Shape::

    {
      "header": {"title": str, "as_of": "YYYY-MM-DD", "body": str | null,
                 "jurisdictions": [str, ...], "notes": [str, ...]},
      "columns": [str, ...],          # record keys, in order
      "records": [{"rule_key": str, ..., "note": str}, ...]
    }

Each record is a :func:`kb.render.records.table_records` dict — all values strings — so a
record equals the matching CSV row. Non-ASCII text (Devanagari, Meitei) is written as is.
"""

from __future__ import annotations

import json

from kb.model import ComparisonTable
from kb.render.cells import clean_text
from kb.render.records import COLUMNS, table_records

BINARY = False


def render(table: ComparisonTable) -> str:
    document = {
        "header": {
            "title": clean_text(table.title),
            "as_of": table.as_of.isoformat(),
            "body": clean_text(table.body) if table.body is not None else None,
            "jurisdictions": [clean_text(j) for j in table.jurisdictions],
            "notes": [clean_text(n) for n in table.notes],
        },
        "columns": list(COLUMNS),
        "records": table_records(table),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
