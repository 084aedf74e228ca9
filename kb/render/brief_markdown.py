"""The briefing pack as Markdown: the same content as the HTML pack, for editing and e-mail.

Texts from the knowledge base are escaped with :func:`kb.render.markdown.escape_markdown`. A
note's own Markdown is kept, but raw HTML is turned into text and link schemes other than
http(s)/mailto are dropped, so the file stays inert when a Markdown processor renders it.
"""

from __future__ import annotations

import re

from kb.brief import Brief, BriefItem
from kb.model import ComparisonTable
from kb.notes import INLINE_CITATION_RE, NoteView
from kb.render.brief_html import anchor
from kb.render.cells import check_alignment, safe_url
from kb.render.markdown import escape_markdown, render_cell
from kb.show import ProvisionView

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^(#{1,6})(?=\s)")
# "](javascript:…" and "[ref]: data:…": any scheme but http(s)/mailto loses its link target.
_UNSAFE_LINK_RE = re.compile(r"(\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)\s*(?!https?:|mailto:)[A-Za-z][\w+.-]*:", re.MULTILINE)


def note_body_markdown(body: str) -> str:
    """A note's Markdown made safe to embed: headings demoted, raw HTML and unsafe links neutralised."""
    out: list[str] = []
    in_fence = False
    for line in body.splitlines():
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if not in_fence:
            line = _HEADING_RE.sub(lambda m: "#" * min(len(m.group(1)) + 4, 6), line)
            line = INLINE_CITATION_RE.sub(lambda m: f"`{m.group(1).replace('`', '')}`", line)
            line = line.replace("<", "&lt;")
            line = _UNSAFE_LINK_RE.sub(lambda m: m.group(1) + "#", line)
        out.append(line)
    if in_fence:
        out.append("```")  # an unclosed fence would swallow the rest of the pack
    return "\n".join(out)


def render_brief_markdown(brief: Brief) -> str:
    agenda = brief.agenda
    lines = [f"# {escape_markdown(agenda.title)}", ""]
    meta = [part for part in (agenda.date.isoformat() if agenda.date else "", escape_markdown(agenda.venue)) if part]
    if meta:
        lines += [" · ".join(meta), ""]
    lines += [
        f"Law as on {brief.as_of.isoformat()}. Prepared by seckb on {brief.generated_at.isoformat(sep=' ')} "
        "from the knowledge base; every comparison cell cites its provision. Notes marked **SAMPLE** are "
        "examples written for the demo, not the position of any Commission.",
        "",
        "## Contents",
        "",
    ]
    for number, item in enumerate(brief.items, 1):
        lines.append(f"{number}. [{escape_markdown(item.item.title)}](#{anchor('item', item.item.id)})")
    for number, item in enumerate(brief.items, 1):
        lines += ["", *_item(number, item)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _item(number: int, brief_item: BriefItem) -> list[str]:
    item = brief_item.item
    # An explicit anchor: heading ids differ between Markdown processors.
    lines = [f'<a id="{anchor("item", item.id)}"></a>', "", f"## {number}. {escape_markdown(item.title)}", ""]
    if item.scope:
        lines += [escape_markdown(item.scope), ""]
    if brief_item.table is not None:
        lines += ["### Comparison", "", *_table(brief_item.table), "", "### Key provisions", ""]
        if brief_item.provisions:
            for view in brief_item.provisions:
                lines += _provision(view)
        else:
            lines += ["_No rule in this comparison cites a provision in the corpus._", ""]
        if brief_item.missing_citations:
            lines += [
                "Cited by a rule but not in the knowledge base: "
                + escape_markdown(", ".join(brief_item.missing_citations)),
                "",
            ]
    else:
        lines += [
            "_No eligibility rules are recorded for this item: it is for discussion, with the questions "
            "and notes below._",
            "",
        ]
    lines += ["### Discussion notes", ""]
    if brief_item.notes:
        for note in brief_item.notes:
            lines += _note(note)
    else:
        lines += ["_No notes filed for this item._", ""]
    lines += ["### Open questions", ""]
    if item.questions:
        lines += [f"{i}. {escape_markdown(q)}" for i, q in enumerate(item.questions, 1)]
    else:
        lines.append("_None listed._")
    return lines


def _table(table: ComparisonTable) -> list[str]:
    check_alignment(table)
    header = ["Rule", *(escape_markdown(j) for j in table.jurisdictions)]
    lines = [f"**{escape_markdown(table.title)}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in table.rows:
        label = f"{escape_markdown(row.label)}<br>({escape_markdown(row.key)})"
        lines.append("| " + " | ".join([label, *(render_cell(c) for c in row.cells)]) + " |")
    if table.notes:
        lines += [""] + [f"- _{escape_markdown(n)}_" for n in table.notes]
    return lines


def _provision(view: ProvisionView) -> list[str]:
    title = f"#### {escape_markdown(view.ref)} — {escape_markdown(view.act_title)}"
    if view.heading:
        title += f": {escape_markdown(view.heading)}"
    lines = [title, ""]
    for parent in view.parents:
        if parent.text:
            lines += [f"_{escape_markdown(parent.ref)}: {escape_markdown(parent.text)}_", ""]
    for node in view.subtree:
        if not node.text:
            continue
        label = ""
        if node.depth and node.label:
            label = node.label if node.label[0].isupper() or " " in node.label else f"({node.label})"
            label = f"**{escape_markdown(label)}** "
        indent = "&emsp;" * min(node.depth, 6)
        lines += [f"> {indent}{label}{escape_markdown(node.text)}", ">"]
    if lines[-1] == ">":
        lines.pop()
    lines.append("")
    if view.amendments:
        lines += ["Amendments: " + "; ".join(escape_markdown(a.summary or a.action) for a in view.amendments), ""]
    p = view.provenance
    bits = [escape_markdown(part) for part in view.provenance_parts()]
    line = "_" + " · ".join(bits) + "_"
    url = safe_url(p.anchor) or safe_url(p.source_url)
    if url and not re.search(r"[\s<>]", url):  # an autolink cannot hold spaces or angle brackets
        line += f" · <{url}>"
    lines += [line, ""]
    return lines


def _note(note: NoteView) -> list[str]:
    by = ", ".join(part for part in (note.author, note.organisation) if part) or "unknown author"
    meta = [escape_markdown(by)]
    if note.date:
        meta.append(note.date.isoformat())
    if note.jurisdictions:
        meta.append(", ".join(note.jurisdictions))
    sample = "**SAMPLE** " if note.sample else ""
    return [
        f"#### {sample}{escape_markdown(note.title)}",
        "",
        f"_{' · '.join(meta)}_",
        "",
        note_body_markdown(note.body),
        "",
    ]
