"""Text and JSON renderings of search results, provisions, the catalogue, stats and build reports.

Each function renders one view in one format; :mod:`kb.render.registry` lists them.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import textwrap
from datetime import date, datetime
from io import StringIO
from typing import Any

from rich.console import Console
from rich.table import Table

from kb.cases import describe
from kb.refs import lawyer_label


def to_json(value: Any) -> str:
    return json.dumps(_plain(value), indent=2, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value == float("inf"):
        return None
    if hasattr(value, "__fspath__"):
        return str(value)
    return value


def _wrap(text: str, indent: str = "    ", width: int = 100) -> str:
    return "\n".join(
        textwrap.fill(line, width=width, initial_indent=indent, subsequent_indent=indent)
        for line in text.splitlines()
        if line.strip()
    )


def provision_text(view: Any) -> str:
    p = view.provenance
    lines = [f"{view.ref}", f"{view.act_title} ({view.jurisdiction})"]
    if view.heading:
        lines.append(f"Section heading: {view.heading}")
    if view.repealed:
        lines.append("Status: repealed / omitted")
    for parent in view.parents:
        lead = f": {parent.text[:160]}" if parent.text else ""
        lines.append(f"  within {parent.ref}{lead}")
    lines.append("")
    for node in view.subtree:
        label = f"{lawyer_label(node.kind, node.label)} " if node.depth and node.label else ""
        lines.append(_wrap(f"{label}{node.text}", indent="  " + "  " * node.depth))
    if view.amendments:
        lines.append("\nAmendments:")
        for note in view.amendments:
            lines.append(_wrap(f"{note.ref}: {note.summary or note.action}", indent="  "))
    if view.judgments:
        lines.append("\nJudgments (holdings in our words, from the source named):")
        for case in view.judgments:
            lines.append(_wrap(f"{case.effect} {', '.join(case.provisions)}: {describe(case)}", indent="  "))
            lines.append(_wrap(f"held: {case.holding}", indent="    "))
            lines.append(_wrap(f"source ({case.source_grade}): {case.source_title} — {case.source_url}", indent="    "))
    if view.topics:
        lines.append(f"\nTopics: {', '.join(view.topics)}")
    if view.notes:
        lines.append("\nNotes citing this provision:")
        lines.extend(f"  {note_id}: {title}" for note_id, title in view.notes)
    lines.append("\nProvenance:")
    lines.append(f"  file: {p.file} ({p.format}{', partial excerpt' if p.partial else ''})")
    lines.append(f"  text as on: {p.text_as_on or 'not stated in the source'}")
    lines.append(f"  source: {p.anchor or p.source_url or 'not recorded'}")
    lines.append(f"  sha256: {p.sha256}")
    if getattr(view, "akn_eid", ""):
        lines.append("\nAkoma Ntoso:")
        lines.append(f"  work: {view.akn_work}")
        lines.append(f"  eId: {view.akn_eid}")
    return "\n".join(lines)


def acts_text(rows: list[Any]) -> str:
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    for name in ("State/UT", "Act id", "coverage", "body", "title", "text held"):
        table.add_column(name, overflow="fold")
    for row in rows:
        held = f"{row.provisions} provisions, as on {row.text_as_on or 'date not stated'}" if row.provisions else ""
        table.add_row(row.jurisdiction, row.id, row.coverage, row.body, row.title, held)
    return rich_text(table)


def stats_text(data: dict) -> str:
    totals = data["totals"]
    lines = [f"Knowledge base generation {data['generation']} (built {data['build'].get('built_at', '?')})"]
    lines += [f"  {key.replace('_', ' ')}: {value}" for key, value in totals.items()]
    lines.append("\n  code  acts  with text  provisions  rules")
    for row in data["jurisdictions"]:
        if row["acts"] or row["rules"]:
            lines.append(
                f"  {row['code']:<5} {row['acts']:>4} {row['acts_with_text']:>10} {row['provisions']:>11}"
                f" {row['rules']:>6}"
            )
    return "\n".join(lines)


def build_text(report: Any) -> str:
    lines = [
        f"Built {report.data_dir} in {report.seconds:.1f} s (index: {report.index_mode}, "
        f"{report.index_docs} documents written; rules: {report.rules}, of which {report.rules_secondary} "
        "secondary)"
    ]
    lines.append("  code  acts  docs  parsed  sections  provisions  warnings")
    for code, row in sorted(report.by_jurisdiction().items()):
        lines.append(
            f"  {code:<5} {row['acts']:>4} {row['documents']:>5} {row['parsed']:>7} {row['sections']:>9}"
            f" {row['provisions']:>11} {row['warnings']:>9}"
        )
    partial = [d.path for d in report.documents if d.partial]
    if partial:
        lines.append(f"  partial excerpts: {len(partial)} ({', '.join(p.split('/')[-1] for p in partial)})")
    return "\n".join(lines)


def topics_text(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        per = ", ".join(f"{code} {n}" for code, n in row["by_jurisdiction"].items())
        lines.append(f"{row['id']:<36} {row['total']:>5}  {per}")
    return "\n".join(lines)


def rich_text(renderable: Any, width: int | None = None) -> str:
    """A rich table as plain text at the terminal's width; cells wrap rather than truncate."""
    width = width or max(shutil.get_terminal_size((120, 24)).columns, 80)
    buffer = StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False).print(renderable)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())
