"""The briefing pack as one self-contained HTML file: inline CSS, no scripts, no external assets,
a table of contents with anchors, and a print stylesheet for A4.

Every text from the knowledge base is escaped; a note's Markdown body is rendered with
``markdown`` and then sanitised with ``nh3`` against a short allow-list, so a note holding
``<script>`` or ``onerror=`` comes out inert.
"""

from __future__ import annotations

import re
from html import escape

import markdown as markdown_lib
import nh3

from kb.brief import Brief, BriefItem
from kb.notes import INLINE_CITATION_RE, NoteView
from kb.render.cells import clean_text, safe_url
from kb.render.html import STYLE, render_fragment
from kb.show import NodeView, ProvisionView

BRIEF_STYLE = """
main { max-width: 1120px; margin: 0 auto; line-height: 1.45; }
header.cover h1 { font-size: 1.8rem; margin-bottom: .3rem; }
nav.toc ol { padding-left: 1.4rem; }
nav.toc li { margin: .2rem 0; }
section.item { border-top: 2px solid #334; margin-top: 2rem; padding-top: .5rem; }
section.item > h2 { margin-top: .4rem; }
.tag { display: inline-block; font-size: .75em; padding: 0 .35rem; border-radius: 3px; background: #eef;
  margin-right: .2rem; }
.tag.sample { background: #ffe2b3; font-weight: 600; }
.seckb-compare caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.table-notes { font-size: .8em; color: #555; }
article.provision, article.note { margin: .8rem 0 1.2rem; }
article.provision h4, article.note h4 { margin: .2rem 0; }
article.provision blockquote { margin: .3rem 0; padding: .2rem .7rem; border-left: 3px solid #99a;
  background: #fafaff; }
blockquote p.node { margin: .15rem 0; }
p.d1 { margin-left: 1.2rem; } p.d2 { margin-left: 2.4rem; } p.d3 { margin-left: 3.6rem; }
p.d4, p.d5, p.d6 { margin-left: 4.8rem; }
p.lead { color: #444; font-size: .9em; margin: .2rem 0; }
.label { font-weight: 600; margin-right: .3rem; }
.provenance, .note-meta, .amendments { font-size: .8em; color: #444; }
.note-body { border-left: 3px solid #e0c080; padding-left: .7rem; }
.note-body table { border-collapse: collapse; }
.note-body th, .note-body td { border: 1px solid #ccc; padding: .2rem .4rem; }
cite.ref { font-style: normal; font-family: monospace; font-size: .9em; background: #f2f2f7; padding: 0 .2rem; }
.empty-item { color: #666; font-style: italic; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; font-size: 10pt; color: #000; }
  main { max-width: none; }
  section.item { break-before: page; page-break-before: always; border-top: none; margin-top: 0; }
  table.seckb-compare { font-size: 8pt; }
  table.seckb-compare thead { display: table-header-group; }
  table.seckb-compare thead th { position: static; }
  table.seckb-compare td, table.seckb-compare th { overflow-wrap: break-word; hyphens: auto; }
  table.seckb-compare tr, article.provision h4, .note-meta { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

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


def _text(value: str | None) -> str:
    return escape(clean_text(value), quote=True)


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


def render_brief_html(brief: Brief) -> str:
    agenda = brief.agenda
    meta = [part for part in (agenda.date.isoformat() if agenda.date else "", clean_text(agenda.venue)) if part]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(agenda.title)}</title>",
        f"<style>{STYLE}{BRIEF_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="cover">',
        f"<h1>{_text(agenda.title)}</h1>",
    ]
    if meta:
        out.append(f'<p class="seckb-meta">{escape(" · ".join(meta))}</p>')
    out.append(
        f'<p class="seckb-meta">Law as on {brief.as_of.isoformat()}. Prepared by seckb on '
        f"{brief.generated_at.isoformat(sep=' ')} from the knowledge base; every comparison cell cites its "
        'provision. Notes marked <span class="tag sample">SAMPLE</span> are examples written for the '
        "demo, not the position of any Commission.</p>"
    )
    out.append("</header>")
    out += _toc(brief)
    for number, item in enumerate(brief.items, 1):
        out += _item(number, item)
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _toc(brief: Brief) -> list[str]:
    out = ['<nav class="toc" aria-label="Contents">', "<h2>Contents</h2>", "<ol>"]
    for item in brief.items:
        a = anchor("item", item.item.id)
        extra = "" if item.item.compares else ' <span class="tag">questions and notes</span>'
        out.append(f'<li><a href="#{a}">{_text(item.item.title)}</a>{extra}</li>')
    out += ["</ol>", "</nav>"]
    return out


def _item(number: int, brief_item: BriefItem) -> list[str]:
    item = brief_item.item
    out = [f'<section class="item" id="{anchor("item", item.id)}">', f"<h2>{number}. {_text(item.title)}</h2>"]
    if item.scope:
        out.append(f'<p class="seckb-meta">{_text(item.scope)}</p>')
    if brief_item.table is not None:
        out.append("<h3>Comparison</h3>")
        out.append(render_fragment(brief_item.table))
        if brief_item.table.notes:
            out.append(
                '<ul class="table-notes">' + "".join(f"<li>{_text(n)}</li>" for n in brief_item.table.notes) + "</ul>"
            )
        out.append("<h3>Key provisions</h3>")
        if brief_item.provisions:
            out += [_provision(item.id, view) for view in brief_item.provisions]
        else:
            out.append('<p class="empty-item">No rule in this comparison cites a provision in the corpus.</p>')
        if brief_item.missing_citations:
            out.append(
                '<p class="provenance">Cited by a rule but not in the knowledge base: '
                + _text(", ".join(brief_item.missing_citations))
                + "</p>"
            )
    else:
        out.append(
            '<p class="empty-item">No eligibility rules are recorded for this item: it is for discussion, '
            "with the questions and notes below.</p>"
        )
    out.append("<h3>Discussion notes</h3>")
    if brief_item.notes:
        out += [_note(item.id, note) for note in brief_item.notes]
    else:
        out.append('<p class="empty-item">No notes filed for this item.</p>')
    out.append("<h3>Open questions</h3>")
    if item.questions:
        out.append("<ol>" + "".join(f"<li>{_text(q)}</li>" for q in item.questions) + "</ol>")
    else:
        out.append('<p class="empty-item">None listed.</p>')
    out.append("</section>")
    return out


def _label(node: NodeView) -> str:
    if not node.label or node.depth == 0:
        return ""
    text = node.label if node.label[0].isupper() or " " in node.label else f"({node.label})"
    return f'<span class="label">{_text(text)}</span>'


def _provision(item_id: str, view: ProvisionView) -> str:
    parts = [
        f'<article class="provision" id="{anchor(item_id, "p", view.ref)}">',
        f"<h4><cite>{_text(view.ref)}</cite> — {_text(view.act_title)}"
        + (f": {_text(view.heading)}" if view.heading else "")
        + "</h4>",
    ]
    for parent in view.parents:
        if parent.text:
            parts.append(f'<p class="lead">{_text(parent.ref)}: {_text(parent.text)}</p>')
    nodes = "".join(
        f'<p class="node d{min(n.depth, 6)}">{_label(n)}{_text(n.text)}</p>' for n in view.subtree if n.text
    )
    parts.append(f"<blockquote>{nodes}</blockquote>")
    if view.amendments:
        parts.append(
            '<p class="amendments">Amendments: '
            + "; ".join(_text(a.summary or a.action) for a in view.amendments)
            + "</p>"
        )
    parts.append(f'<p class="provenance">{_provenance(view)}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def _provenance(view: ProvisionView) -> str:
    p = view.provenance
    bits = [_text(part) for part in view.provenance_parts()]
    url = safe_url(p.anchor) or safe_url(p.source_url)
    if url:
        bits.append(f'<a href="{escape(url, quote=True)}" rel="noopener noreferrer">source</a>')
    return " · ".join(bits)


def _note(item_id: str, note: NoteView) -> str:
    by = ", ".join(part for part in (note.author, note.organisation) if part) or "unknown author"
    meta = [escape(by)]
    if note.date:
        meta.append(note.date.isoformat())
    if note.jurisdictions:
        meta.append(escape(", ".join(note.jurisdictions)))
    sample = '<span class="tag sample">SAMPLE</span> ' if note.sample else ""
    return "\n".join(
        [
            f'<article class="note" id="{anchor(item_id, "note", note.id)}">',
            f"<h4>{sample}{_text(note.title)}</h4>",
            f'<p class="note-meta">{" · ".join(meta)}</p>',
            f'<div class="note-body">{note_body_html(note.body)}</div>',
            "</article>",
        ]
    )
