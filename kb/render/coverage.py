"""Renderers for ``seckb coverage``: text, Markdown, HTML (every value escaped), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from kb.coverage import COLUMNS, STATUS_LABELS, STATUSES, ActCoverage, Coverage, CoverageCell, CoverageRow

__all__ = ["FORMATS", "coverage_context", "coverage_dict", "render_coverage"]

FORMATS = ("text", "md", "html", "csv", "json")
_COLUMN_LABELS = {"panchayat": "Panchayat", "municipal": "Municipal", "sec": "SEC Act", "other": "Other"}


def render_coverage(cov: Coverage, fmt: str = "text") -> str:
    renderers = {
        "text": _text,
        "md": _markdown,
        "markdown": _markdown,
        "html": _html,
        "csv": _csv,
        "json": lambda c: json.dumps(coverage_dict(c), indent=2, ensure_ascii=False),
    }
    if fmt not in renderers:
        raise ValueError(f"unknown coverage format {fmt!r}; one of: {', '.join(FORMATS)}")
    return renderers[fmt](cov)


def coverage_dict(cov: Coverage) -> dict[str, Any]:
    return {
        "summary": cov.summary(),
        "jurisdictions": [
            {
                "code": row.code,
                "name": row.name,
                "type": row.type,
                "status": row.status,
                "rules": {"verified": row.rules_verified, "secondary": row.rules_secondary},
                "bodies": {
                    c: {"status": cell.status, "acts": [_act_dict(a) for a in cell.acts]}
                    for c, cell in row.cells.items()
                },
            }
            for row in cov.rows
        ],
    }


def _act_dict(act: ActCoverage) -> dict[str, Any]:
    return {
        "id": act.act_id,
        "title": act.title,
        "status": act.status,
        "text_as_on": act.text_as_on.isoformat() if act.text_as_on else None,
        "user_added": act.user_added,
        "document": act.document,
    }


# ----------------------------------------------------------------------------- cell wording


def _texts(cell: CoverageCell) -> list[ActCoverage]:
    return [a for a in cell.acts if a.status != "catalogued"]


def _act_words(act: ActCoverage) -> str:
    as_on = f"as on {act.text_as_on.isoformat()}" if act.text_as_on else "date not stated"
    mark = ", user-added" if act.user_added else ""
    return f"{act.act_id} ({as_on}{mark})"


def _cell_words(cell: CoverageCell) -> str:
    """'full text: MH-VPA-1959 (as on 2025-04-04)', or 'catalogued only (3 Acts)'."""
    if cell.status == "none":
        return "—"
    texts = _texts(cell)
    if not texts:
        return f"{STATUS_LABELS['catalogued']} ({len(cell.acts)} Act{'s' if len(cell.acts) != 1 else ''})"
    parts = []
    for status in ("full", "partial"):
        acts = [a for a in texts if a.status == status]
        if acts:
            parts.append(f"{STATUS_LABELS[status]}: " + ", ".join(_act_words(a) for a in acts))
    rest = len(cell.acts) - len(texts)
    if rest:
        parts.append(f"+{rest} catalogued only")
    return "; ".join(parts)


def _rules_words(row: CoverageRow) -> str:
    return f"{row.rules_verified} verified / {row.rules_secondary} secondary"


def _summary_line(cov: Coverage) -> str:
    s = cov.summary()
    return (
        f"{s['total']} States/UTs: {s['full']} with full text, {s['partial']} with partial excerpts only, "
        f"{s['catalogued']} catalogued only, {s['none']} with no Act catalogued. Eligibility rules: "
        f"{s['rules_verified']} verified against text, {s['rules_secondary']} from secondary sources."
    )


# ----------------------------------------------------------------------------- formats


def _text(cov: Coverage) -> str:
    """Two rich tables at the terminal's width; long names wrap, never truncate."""
    from rich.table import Table

    from kb.render.views import rich_text

    short = {"full": "full", "partial": "partial", "catalogued": "catalogued", "none": "-"}
    grid = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("", "State/UT", *(_COLUMN_LABELS[c] for c in COLUMNS), "rules verified/secondary"):
        grid.add_column(name, overflow="fold")
    for row in cov.rows:
        grid.add_row(
            row.code,
            row.name,
            *(short[row.cells[c].status] for c in COLUMNS),
            f"{row.rules_verified}/{row.rules_secondary}",
        )
    held = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("", "body", "status", "text as on", "title"):
        held.add_column(name, overflow="fold")
    for row in cov.rows:
        for column in COLUMNS:
            for act in _texts(row.cells[column]):
                held.add_row(row.code, _COLUMN_LABELS[column], STATUS_LABELS[act.status], _act_words(act), act.title)
    return "\n".join(
        ["Coverage of the knowledge base", _summary_line(cov), "", rich_text(grid), "", "Texts held:", rich_text(held)]
    )


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown(cov: Coverage) -> str:
    lines = [
        "# Coverage of the knowledge base",
        "",
        _md_escape(_summary_line(cov)),
        "",
        "| Code | State/UT | " + " | ".join(_COLUMN_LABELS[c] for c in COLUMNS) + " | Rules |",
        "|---|---|" + "---|" * len(COLUMNS) + "---|",
    ]
    for row in cov.rows:
        cells = " | ".join(_md_escape(_cell_words(row.cells[c])) for c in COLUMNS)
        lines.append(f"| {row.code} | {_md_escape(row.name)} | {cells} | {_rules_words(row)} |")
    return "\n".join(lines)


def _html(cov: Coverage) -> str:
    """The shared templates (``coverage_file.html``), stylesheet inlined; every value escaped."""
    from kb.render.templating import render_file

    return render_file("coverage_file.html", **coverage_context(cov))


def coverage_context(cov: Coverage) -> dict[str, Any]:
    """What the coverage templates need: the data and the words this module phrases them in."""
    return {
        "cov": cov,
        "columns": COLUMNS,
        "column_labels": _COLUMN_LABELS,
        "statuses": STATUSES,
        "status_labels": STATUS_LABELS,
        "cell_words": _cell_words,
        "rules_words": _rules_words,
        "summary_line": _summary_line(cov),
    }


def _csv(cov: Coverage) -> str:
    """One line per jurisdiction, body and Act (a body with no Act gets one line with no Act)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "code",
            "name",
            "type",
            "body",
            "body_status",
            "act_id",
            "act_status",
            "text_as_on",
            "user_added",
            "rules_verified",
            "rules_secondary",
        ]
    )
    for row in cov.rows:
        for column in COLUMNS:
            cell = row.cells[column]
            acts: list[ActCoverage | None] = [*cell.acts] or [None]
            for act in acts:
                writer.writerow(
                    [
                        row.code,
                        row.name,
                        row.type,
                        column,
                        cell.status,
                        act.act_id if act else "",
                        act.status if act else "",
                        act.text_as_on.isoformat() if act and act.text_as_on else "",
                        str(act.user_added).lower() if act else "",
                        row.rules_verified,
                        row.rules_secondary,
                    ]
                )
    return buffer.getvalue()
