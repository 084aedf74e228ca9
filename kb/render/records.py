"""The flat shape of a comparison table — one record per (rule, jurisdiction) cell.

Defined once here and written by the csv, json and xlsx ("Cells" sheet) renderers, so the
three files agree cell by cell. Every value is a string (no None, no bool, no date) because
CSV can hold nothing else and the formats must compare equal:

========================  =======================================================================
column                    meaning
========================  =======================================================================
rule_key                  the rule's key, e.g. ``candidate-min-age``
rule_label                the rule's readable label
jurisdiction              the state or UT code as in ``table.jurisdictions``
status                    ``provision`` | ``secondary`` | ``inherited`` | ``no provision in corpus``
value                     the rule's value; "" when there is no provision in the corpus
citation                  canonical provision reference, e.g. ``MH-VPA-1959 s.14(1)(j-1)``
quote                     the words of the provision relied on
in_force_from             ISO date or ""
repealed_on               ISO date or ""
secondary                 ``yes`` when the value comes from a secondary source, else ``no``
inherited_via             chain of citations joined by " > ", or ""
source_url                where the text (or the secondary source) was read
note                      free note; "no provision in corpus" for an empty cell without a note
========================  =======================================================================
"""

from __future__ import annotations

from kb.model import ComparisonTable
from kb.render.cells import NO_PROVISION, cell_status, clean_text, inherited_chain, iter_cells

COLUMNS: tuple[str, ...] = (
    "rule_key",
    "rule_label",
    "jurisdiction",
    "status",
    "value",
    "citation",
    "quote",
    "in_force_from",
    "repealed_on",
    "secondary",
    "inherited_via",
    "source_url",
    "note",
)


def table_records(table: ComparisonTable) -> list[dict[str, str]]:
    """One dict per cell, keys in :data:`COLUMNS` order, rows then jurisdictions."""
    records = []
    for row, state, cell in iter_cells(table):
        note = clean_text(cell.note)
        records.append(
            {
                "rule_key": clean_text(row.key),
                "rule_label": clean_text(row.label),
                "jurisdiction": clean_text(state),
                "status": cell_status(cell),
                "value": clean_text(cell.value),
                "citation": clean_text(cell.citation),
                "quote": clean_text(cell.quote),
                "in_force_from": cell.in_force_from.isoformat() if cell.in_force_from else "",
                "repealed_on": cell.repealed_on.isoformat() if cell.repealed_on else "",
                "secondary": "yes" if cell.secondary else "no",
                "inherited_via": inherited_chain(cell),
                "source_url": clean_text(cell.source_url),
                "note": note or (NO_PROVISION if cell.empty else ""),
            }
        )
    return records
