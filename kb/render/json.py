"""JSON: the table's header, its legend and the typed records of :mod:`kb.render.records`.

Shape::

    {
      "header": {"title": str, "as_of": "YYYY-MM-DD", "body": str | null, "baseline": str | null,
                 "jurisdictions": [str, ...], "notes": [str, ...]},
      "legend": [{"word": str, "meaning": str}, ...],
      "columns": [str, ...],          # record keys, in order
      "records": [{"rule_key": str, "body": str, "as_of": str, "secondary": bool,
                   "inherited_via": [str, ...], "value": str | null, ...}, ...]
    }

Nulls, booleans and lists are real JSON values. Non-ASCII text (Devanagari, Meitei) is written as is.
"""

from __future__ import annotations

import json
from typing import Any

from kb.model import ComparisonTable
from kb.render.cells import clean_text, legend
from kb.render.records import COLUMNS, table_records

BINARY = False


def document(table: ComparisonTable) -> dict[str, Any]:
    """The table as JSON-ready data: the same shape the web API returns."""
    return {
        "header": {
            "title": clean_text(table.title),
            "as_of": table.as_of.isoformat(),
            "body": clean_text(table.body) if table.body is not None else None,
            "baseline": table.baseline,
            "jurisdictions": [clean_text(j) for j in table.jurisdictions],
            "notes": [clean_text(n) for n in table.notes],
        },
        "legend": [{"word": word, "meaning": meaning} for word, meaning in legend(table)],
        "columns": list(COLUMNS),
        "records": table_records(table),
    }


def render(table: ComparisonTable) -> str:
    return json.dumps(document(table), ensure_ascii=False, indent=2) + "\n"
