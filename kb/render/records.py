"""The flat shape of a comparison table — one record per (rule, body, jurisdiction) cell.

Defined once here and written by the json, csv and xlsx ("Cells" sheet) renderers, so the
three files agree cell by cell. Records are typed: ``null`` for nothing, real booleans, lists
for lists (json); csv and xlsx write them as text with :func:`flat` (null → "", true/false,
list items joined by " > " for the chain of citations and " | " otherwise).

=================  =================================================================================
column             meaning
=================  =================================================================================
rule_key           the rule's key, e.g. ``candidate_min_age``
rule_label         the rule's readable label
body               the body the cell is about: panchayat | municipal | sec | cantonment
jurisdiction       the State/UT code as in ``table.jurisdictions`` (the baseline column is ``IN``)
as_of              ISO date the table answers for (the law as it stood on that date)
status             the cell's word from kb.vocab.CellStatus: verified · reviewed · found in text, not
                   reviewed · secondary (not verified against text) · inherited · no such provision
                   in the Act · Act held, not yet reviewed for this rule · excerpt only (provision not
                   in the excerpt) · Act not in corpus (catalogued) · no Act catalogued for this body ·
                   not in force · not yet in force · earlier wording not in corpus · State/UT did not
                   exist · not known for that date
baseline_status    with --baseline: baseline · same as baseline · adopts baseline by reference ·
                   departs · not comparable; else null
baseline_note      how the cell departs (or what it adopts); null when nothing to say
value              the rule's value on ``as_of``; null when no rule was in force (status says why)
citation           canonical provision reference, e.g. ``MH-VPA-1959 s.14(1)(j-1)``; null if none
text               the statute's words (text_is_statute true) or the reviewer's summary (false)
text_is_statute    true only for words checked against the statute text
in_force           the in-force phrase, e.g. "in force at least since 4 April 2025"
in_force_from      ISO date the version began (or the Act's commencement), or null
repealed_on        ISO date the version ended (repealed, struck down), or null
known_since        ISO date of the evidence when the start is unknown, or null
pending            "change pending: Bill passed on …", or null
secondary          true when the rule rests on a source outside the corpus
source_title       the secondary source's title, or null
source_url         the secondary source's full address, or null
source_grade       gazette or SEC site · judgment · legislative research · news; null if not secondary
inherited_via      list of citations through which a central rule applies ([] if none)
judgments          list of "effect: case, citation, court, date" lines for judgments on the provision
also               list of other provisions stating the rule for the same body
note               the curator's note, or null
=================  =================================================================================
"""

from __future__ import annotations

from typing import Any

from kb.model import ComparisonTable
from kb.render.cells import INHERIT_SEPARATOR, clean_text, iter_cells, view

COLUMNS: tuple[str, ...] = (
    "rule_key",
    "rule_label",
    "body",
    "jurisdiction",
    "as_of",
    "status",
    "baseline_status",
    "baseline_note",
    "value",
    "citation",
    "text",
    "text_is_statute",
    "in_force",
    "in_force_from",
    "repealed_on",
    "known_since",
    "pending",
    "secondary",
    "source_title",
    "source_url",
    "source_grade",
    "inherited_via",
    "judgments",
    "also",
    "note",
)
LIST_COLUMNS = ("inherited_via", "judgments", "also")
BOOL_COLUMNS = ("text_is_statute", "secondary")


def table_records(table: ComparisonTable) -> list[dict[str, Any]]:
    """One dict per cell, keys in :data:`COLUMNS` order, rows then jurisdictions."""
    records = []
    for row, state, cell in iter_cells(table):
        v = view(cell, state)
        records.append(
            {
                "rule_key": clean_text(row.key),
                "rule_label": clean_text(row.label),
                "body": cell.body or row.body or table.body,
                "jurisdiction": clean_text(state),
                "as_of": table.as_of.isoformat(),
                "status": v.status,
                "baseline_status": v.baseline_status,
                "baseline_note": v.baseline_note or None,
                "value": v.value,
                "citation": v.citation,
                "text": v.text or None,
                "text_is_statute": v.text_is_statute,
                "in_force": v.in_force or None,
                "in_force_from": _iso(cell.in_force_from),
                "repealed_on": _iso(cell.repealed_on),
                "known_since": _iso(cell.known_since),
                "pending": v.pending or None,
                "secondary": cell.secondary,
                "source_title": v.source.title if v.source else None,
                "source_url": v.source.url if v.source else None,
                "source_grade": v.source.grade if v.source else None,
                "inherited_via": list(v.inherited_via),
                "judgments": [j.line for j in v.judgments],
                "also": list(v.also),
                "note": v.note or None,
            }
        )
    return records


def flat(column: str, value: Any) -> str:
    """A record value as text, for csv and the spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return (INHERIT_SEPARATOR if column == "inherited_via" else " | ").join(value)
    return str(value)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None
