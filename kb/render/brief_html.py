"""The briefing pack as one self-contained HTML file: inline CSS, no scripts, no external assets,
a table of contents with anchors, and a print stylesheet for A4 (landscape for wide tables).

The file comes from the shared templates (``brief_file.html`` with the comparison, provision and
note partials), autoescaped, with the one stylesheet inlined. Every text from the knowledge base is escaped; a note's Markdown body is rendered with
``markdown`` and then sanitised with ``nh3`` against a short allow-list, so a note holding
``<script>`` or ``onerror=`` comes out inert.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup

from kb.brief import Brief
from kb.notes import INLINE_CITATION_RE, NoteView
from kb.render.cells import clean_text
from kb.render.templating import render_file

_NOTE_TAGS = {
    "p",
    "br",
    "hr",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "cite",
    "sup",
    "sub",
    "del",
}
_NOTE_ATTRIBUTES = {"a": {"href", "title"}, "cite": {"class"}, "th": {"align"}, "td": {"align"}}
_HEADING_RE = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def anchor(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") for part in parts)


def note_body_html(body: str) -> str:
    """A note's Markdown as sanitised HTML; headings demoted so they sit under the note's title."""
    html = markdown_lib.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    html = _HEADING_RE.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 4, 6)}", html)
    html = INLINE_CITATION_RE.sub(lambda m: f'<cite class="ref">{m.group(1)}</cite>', html)
    # nh3 runs last, so it also polices what the two substitutions above produced.
    return nh3.clean(
        html,
        tags=_NOTE_TAGS,
        attributes=_NOTE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def note_by(note: NoteView) -> str:
    return ", ".join(part for part in (note.author, note.organisation) if part) or "unknown author"


def note_markup(body: str) -> Markup:
    """The sanitised body, marked safe for the templates: nh3 has already policed it."""
    return Markup(note_body_html(body))


def render_brief_html(brief: Brief) -> str:
    agenda = brief.agenda
    meta = [part for part in (agenda.date.isoformat() if agenda.date else "", clean_text(agenda.venue)) if part]
    return render_file(
        "brief_file.html",
        brief=brief,
        agenda=agenda,
        meta=" · ".join(meta),
        anchor=anchor,
        note_html=note_markup,
        note_by=note_by,
    )
