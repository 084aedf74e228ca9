"""HTML: a self-contained page (inline stylesheet, no scripts, no external assets) for the table.

:func:`render` gives the whole page; :func:`render_fragment` gives only the ``<table>`` so other
pages (the briefing pack, the web compare page) can embed it. Both come from the shared Jinja2
templates (``kb/render/templates``: ``compare_file.html``, ``_compare_table.html``, ``_cell.html``)
with autoescape on; a source URL becomes a link only when it is http(s) (``cells.safe_url``),
because escaping alone would let a ``javascript:`` URL through.
"""

from __future__ import annotations

from kb.model import ComparisonTable
from kb.render.cells import check_alignment
from kb.render.templating import render_file, render_template, stylesheet

BINARY = False

# Kept for callers that embed the table in their own page: the one stylesheet of every seckb page.
STYLE = stylesheet()


def render_fragment(table: ComparisonTable, *, link_citations: bool = False) -> str:
    """Just the ``<table class="seckb-compare">``: rules down, jurisdictions across."""
    check_alignment(table)
    return render_template("_compare_table.html", table=table, link_citations=link_citations).strip()


def render(table: ComparisonTable) -> str:
    """A complete UTF-8 HTML page with the table, its date, body and notes."""
    check_alignment(table)
    return render_file("compare_file.html", table=table)
