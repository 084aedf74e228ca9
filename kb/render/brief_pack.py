"""Writing the briefing pack (HTML and Markdown) and the summary `seckb brief` prints.

The pack's content is built by :mod:`kb.brief`; this module only renders and writes it, so
kb/brief.py never imports a renderer (and kb/render/brief_*.py may import kb/brief.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb.brief import Brief
from kb.fileio import write_text_atomic
from kb.render.brief_html import render_brief_html
from kb.render.brief_markdown import render_brief_markdown


@dataclass(frozen=True)
class BriefFiles:
    html: Path
    markdown: Path
    items: int = 0
    comparisons: int = 0
    cells: int = 0  # filled cells (a value with its citation) across the comparisons
    provisions: int = 0
    notes: int = 0
    questions: int = 0


def write_brief(brief: Brief, out_dir: Path, stem: str = "briefing-pack") -> BriefFiles:
    """Write the pack as one self-contained HTML file and as Markdown; each file appears whole or not at all."""
    out_dir = Path(out_dir)
    # Render both before writing either, so a rendering error leaves no half-updated pair.
    html_text = render_brief_html(brief)
    markdown_text = render_brief_markdown(brief)
    files = BriefFiles(
        out_dir / f"{stem}.html",
        out_dir / f"{stem}.md",
        items=len(brief.items),
        comparisons=sum(1 for item in brief.items if item.table is not None),
        cells=sum(
            1
            for item in brief.items
            if item.table is not None
            for row in item.table.rows
            for cell in row.cells
            if not cell.empty
        ),
        provisions=sum(len(item.provisions) for item in brief.items),
        notes=len({note.id for item in brief.items for note in item.notes}),
        questions=sum(len(item.item.questions) for item in brief.items),
    )
    write_text_atomic(files.html, html_text)
    write_text_atomic(files.markdown, markdown_text)
    return files


def summary_text(files: BriefFiles) -> str:
    return "\n".join(
        [
            f"wrote {files.html}",
            f"wrote {files.markdown}",
            f"  {files.items} agenda items, {files.comparisons} comparisons with {files.cells} filled cells, "
            f"{files.provisions} key provisions quoted, {files.notes} notes, {files.questions} open questions",
        ]
    )
