"""The briefing pack as Markdown: the same content as the HTML pack, for editing and e-mail.

Texts from the knowledge base are escaped with :func:`kb.render.markdown.escape_markdown`. A
note is written from the same nh3-sanitised HTML as the HTML pack (never its raw Markdown), so
the file stays inert when any CommonMark processor (pandoc, markdown-it) renders it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from kb.brief import Brief, BriefItem
from kb.model import ComparisonTable
from kb.notes import NoteView
from kb.render.brief_html import anchor, note_body_html
from kb.render.cells import check_alignment, clean_text, safe_url
from kb.render.markdown import escape_markdown, render_cell
from kb.show import ProvisionView

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "tr"}
_CELLS = {"th", "td"}


def note_body_markdown(body: str) -> str:
    """A note as Markdown made from the same nh3-sanitised HTML as the HTML pack.

    The note's own Markdown is never copied: the sanitised tree is written out again, every text
    escaped (so no raw HTML, link, fence or reference definition can start inside it), links kept
    only for http(s)/mailto, and code blocks fenced with more backticks than the code holds, so
    one note cannot open a block that swallows the rest of the pack.
    """
    builder = _MarkdownBuilder()
    builder.feed(note_body_html(body))
    builder.close()
    return builder.markdown()


class _MarkdownBuilder(HTMLParser):
    """Writes the allow-listed HTML of :func:`note_body_html` as CommonMark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.inline: list[str] = []  # the current block's inline Markdown
        self.stack: list[str] = []
        self.lists: list[list[Any]] = []  # [tag, item number]
        self.quote = 0
        self.pre: list[str] | None = None
        self.code: list[str] | None = None
        self.href: str | None = None
        self.link_text: list[str] | None = None
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.heading = 0
        self.list_id = 0  # tight list items join their own list's block only

    # --- structure
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        if tag == "pre":
            self._flush()
            self.pre = []
        elif (tag == "code" or tag == "cite") and self.pre is None:
            self.code = []  # a citation reads as code: its brackets must not be escaped
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 0])
            self.list_id += 1
        elif tag == "li":
            self._flush()
            if self.lists:
                self.lists[-1][1] += 1
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "table":
            self._flush()
            self.rows = []
        elif tag == "tr":
            self._flush()
            self.row = []
        elif tag in _CELLS:
            self.inline = []
        elif tag in _BLOCKS:
            self._flush()
            self.heading = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else 0
        elif tag == "a":
            self.href = _safe_link(dict(attrs).get("href"))
            self.link_text = []
        elif tag in ("em", "i"):
            self._emit("*")
        elif tag in ("strong", "b"):
            self._emit("**")
        elif tag == "br":
            self._emit("\\\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag == "pre" and self.pre is not None:
            code = "".join(self.pre).rstrip("\n")
            self.pre = None
            fence = "`" * max(3, _longest_run(code, "`") + 1)
            self._add_block("\n".join([fence, *code.split("\n"), fence]))
        elif tag in ("code", "cite") and self.code is not None:
            text = " ".join("".join(self.code).split())
            self.code = None
            if text:
                ticks = "`" * (_longest_run(text, "`") + 1)
                pad = " " if text.startswith("`") or text.endswith("`") else ""
                self._emit(f"{ticks}{pad}{text}{pad}{ticks}")
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            self.list_id += 1
        elif tag == "blockquote":
            self._flush()
            self.quote = max(0, self.quote - 1)
        elif tag in _CELLS and self.row is not None:
            self.row.append("".join(self.inline).strip().replace("\n", " "))
            self.inline = []
        elif tag == "tr":
            if self.row is not None:
                self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self._table()
        elif tag in _BLOCKS:
            self._flush()
        elif tag == "a" and self.link_text is not None:
            text = "".join(self.link_text).strip()
            self.link_text = None
            if self.href and text:
                self._emit(f"[{text}](<{self.href}>)")
            else:
                self._emit(text)
            self.href = None
        elif tag in ("em", "i"):
            self._emit("*")
        elif tag in ("strong", "b"):
            self._emit("**")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._emit("\\\n")

    def handle_data(self, data: str) -> None:
        if self.pre is not None:
            self.pre.append(clean_text(data))
        elif self.code is not None:
            self.code.append(clean_text(data))
        elif self.stack and self.stack[-1] in ("ul", "ol", "table", "thead", "tbody", "tr", "blockquote"):
            if data.strip():  # not just the whitespace between block tags
                self._emit(_escape_inline(data))
        else:
            self._emit(_escape_inline(data))

    # --- output
    def _emit(self, text: str) -> None:
        if self.link_text is not None:
            self.link_text.append(text)
        else:
            self.inline.append(text)

    def _flush(self) -> None:
        text = "".join(self.inline).strip()
        self.inline = []
        heading, self.heading = self.heading, 0
        if not text:
            return
        if heading:
            text = "#" * heading + " " + text.replace("\\\n", " ")
        elif self.lists:
            depth = len(self.lists) - 1
            kind, number = self.lists[-1]
            marker = f"{number}." if kind == "ol" else "-"
            text = "  " * depth * 2 + f"{marker} " + text.replace("\n", " ")
        self._add_block(text, tight=bool(self.lists))

    def _add_block(self, text: str, tight: bool = False) -> None:
        if self.quote:
            text = "\n".join(("> " * self.quote + line).rstrip() for line in text.split("\n"))
        mark = f"\x00{self.list_id}"
        if tight and self.blocks and self.blocks[-1].endswith(mark):
            self.blocks[-1] = self.blocks[-1][: -len(mark)] + "\n" + text + mark
        else:
            self.blocks.append(text + (mark if tight else ""))

    def _table(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        self._add_block("\n".join(lines))

    def markdown(self) -> str:
        self._flush()
        return "\n\n".join(block.split("\x00")[0] for block in self.blocks)


def _escape_inline(text: str) -> str:
    """Escaped like any knowledge-base text, but keeping the spaces that separate inline runs."""
    flat = " ".join(clean_text(text).split("\n"))
    lead = " " if flat[:1].isspace() else ""
    trail = " " if flat[-1:].isspace() and flat.strip() else ""
    return lead + escape_markdown(flat).replace("<br>", " ") + trail


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)


def _safe_link(url: str | None) -> str | None:
    """An http(s)/mailto URL that fits in ``<…>`` as a link destination, or None."""
    if not url:
        return None
    url = clean_text(url).strip()
    if re.search(r"[\s<>\\]", url):
        url = url.replace(" ", "%20")
        if re.search(r"[\s<>\\]", url):
            return None
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in ("http", "https", "mailto") else None


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
