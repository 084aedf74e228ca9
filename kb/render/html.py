"""HTML: a self-contained page (inline CSS, no scripts, no external assets) for the table.

:func:`render` gives the whole page; :func:`render_fragment` gives only the ``<table>`` so the
briefing pack can embed it, with :data:`STYLE` for its look. Every text from the table passes
through :func:`html.escape` (quotes included), and a source URL becomes a link only when it
is http(s) — escaping alone would let a ``javascript:`` URL through.
"""

from __future__ import annotations

from html import escape

from kb.model import Cell, ComparisonTable
from kb.render.cells import (
    NO_PROVISION,
    SECONDARY_MARK,
    check_alignment,
    clean_text,
    empty_note,
    in_force_phrase,
    inherited_chain,
    safe_url,
)

BINARY = False

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
.seckb-meta { color: #555; }
table.seckb-compare { border-collapse: collapse; width: 100%; }
table.seckb-compare th, table.seckb-compare td {
  border: 1px solid #bbb; padding: .4rem .5rem; vertical-align: top; text-align: left; }
table.seckb-compare thead th { background: #eef; position: sticky; top: 0; }
table.seckb-compare th .key { display: block; font-weight: normal; color: #666; font-size: .8em; }
.seckb-compare .value { font-weight: 600; }
.seckb-compare cite { display: block; font-style: normal; font-family: monospace;
  font-size: .85em; }
.seckb-compare blockquote { margin: .3rem 0; padding-left: .5rem; border-left: 3px solid #ccd;
  white-space: pre-line; font-size: .9em; }
.seckb-compare .dates, .seckb-compare .note { font-size: .8em; color: #444; }
.seckb-compare .mark { display: inline-block; font-size: .8em; padding: 0 .3rem;
  border-radius: 3px; margin-top: .2rem; }
.seckb-compare .secondary { background: #fff1c2; }
.seckb-compare .inherited { background: #e3f0ff; }
.seckb-compare td.empty { color: #888; font-style: italic; background: #f6f6f6; }
"""


def _text(value: str | None) -> str:
    return escape(clean_text(value), quote=True)


def render_cell(cell: Cell) -> str:
    """One ``<td>``: value, citation, quote, dates and the secondary / inherited marks."""
    if cell.empty:
        note = f'<div class="note">{_text(empty_note(cell))}</div>' if empty_note(cell) else ""
        return f'<td class="empty">{escape(NO_PROVISION)}{note}</td>'
    parts = [f'<div class="value">{_text(cell.value)}</div>']
    if cell.citation:
        parts.append(f"<cite>{_text(cell.citation)}</cite>")
    if cell.quote:
        parts.append(f"<blockquote>{_text(cell.quote)}</blockquote>")
    dates = in_force_phrase(cell)
    if dates:
        parts.append(f'<div class="dates">{escape(dates)}</div>')
    source = _source(cell)
    if cell.secondary:
        # The mark carries its source so a reader can check the claim we could not.
        link = f" — {source}" if source else ""
        parts.append(f'<div class="mark secondary">{escape(SECONDARY_MARK)}{link}</div>')
    elif source:
        parts.append(f'<div class="note">{source}</div>')
    if cell.inherited_via:
        chain = escape(inherited_chain(cell))
        parts.append(f'<div class="mark inherited">inherited via {chain}</div>')
    if cell.note:
        parts.append(f'<div class="note">{_text(cell.note)}</div>')
    classes = [name for name, on in (("secondary", cell.secondary), ("inherited", bool(cell.inherited_via))) if on]
    opening = f'<td class="{" ".join(classes)}">' if classes else "<td>"
    return opening + "".join(parts) + "</td>"


def _source(cell: Cell) -> str:
    """A link for an http(s) source, the bare (escaped) text for anything else, or ""."""
    url = safe_url(cell.source_url)
    if url:
        return f'<a href="{escape(url, quote=True)}" rel="noopener noreferrer">source</a>'
    if cell.source_url:
        return f"source: {_text(cell.source_url)}"
    return ""


def render_fragment(table: ComparisonTable) -> str:
    """Just the ``<table class="seckb-compare">``: rules down, jurisdictions across."""
    check_alignment(table)
    head = "".join(f'<th scope="col">{_text(j)}</th>' for j in table.jurisdictions)
    lines = [
        '<table class="seckb-compare">',
        f"<caption>{_text(table.title)}</caption>",
        f'<thead><tr><th scope="col">Rule</th>{head}</tr></thead>',
        "<tbody>",
    ]
    for row in table.rows:
        label = f'<th scope="row">{_text(row.label)}<span class="key">{_text(row.key)}</span></th>'
        lines.append("<tr>" + label + "".join(render_cell(c) for c in row.cells) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def render(table: ComparisonTable) -> str:
    """A complete UTF-8 HTML page with the table, its date, body and notes."""
    meta = f"As of {table.as_of.isoformat()}"
    if table.body:
        meta += f" · body: {clean_text(table.body)}"
    notes = ""
    if table.notes:
        items = "".join(f"<li>{_text(n)}</li>" for n in table.notes)
        notes = f"<h2>Notes</h2>\n<ul>{items}</ul>"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_text(table.title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{_text(table.title)}</h1>",
            f'<p class="seckb-meta">{escape(meta)}</p>',
            render_fragment(table),
            notes,
            "</body>",
            "</html>",
            "",
        ]
    )
