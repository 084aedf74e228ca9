"""Text and JSON renderings of search results, provisions, the catalogue, stats and build reports."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from datetime import date, datetime
from typing import Any


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


def render_search(results, fmt: str) -> str:
    if fmt == "json":
        return to_json(
            {
                "query": results.query,
                "total": results.total,
                "suggestion": results.suggestion,
                "hits": results.hits,
                "facets": results.facets,
            }
        )
    lines = [f"{results.total} result(s) for {results.query!r}"]
    if results.suggestion:
        lines.append(f"Did you mean: {results.suggestion}")
    for rank, hit in enumerate(results.hits, 1):
        mark = " [cited]" if hit.pinned else ""
        heading = f" — {hit.heading}" if hit.heading else ""
        lines.append(f"{rank:>2}. {hit.ref}{heading}{mark}")
        lines.append(_wrap(hit.snippet))
    facets = results.facets or {}
    for name in ("jurisdiction", "act"):
        if facets.get(name):
            lines.append(f"{name}: " + ", ".join(f"{k} ({v})" for k, v in list(facets[name].items())[:12]))
    return "\n".join(lines)


def render_provision(view, fmt: str, width: int = 100) -> str:
    if fmt == "json":
        return to_json(view)
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
        label = f"[{node.label}] " if node.depth and node.label else ""
        lines.append(_wrap(f"{label}{node.text}", indent="  " + "  " * node.depth, width=width))
    if view.amendments:
        lines.append("\nAmendments:")
        for note in view.amendments:
            lines.append(_wrap(f"{note.ref}: {note.summary or note.action}", indent="  ", width=width))
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
    return "\n".join(lines)


def render_acts(rows, fmt: str) -> str:
    if fmt == "json":
        return to_json(rows)
    lines = []
    current = None
    for row in rows:
        if row.jurisdiction != current:
            current = row.jurisdiction
            lines.append(f"\n{current}")
        extra = f", {row.provisions} provisions, text as on {row.text_as_on}" if row.provisions else ""
        lines.append(f"  {row.id:<18} {row.coverage:<16} {row.body:<10} {row.title}{extra}")
    return "\n".join(lines).lstrip("\n")


def render_stats(data: dict, fmt: str) -> str:
    if fmt == "json":
        return to_json(data)
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


def render_build_report(report) -> str:
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


def render_topics(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return to_json(rows)
    lines = []
    for row in rows:
        per = ", ".join(f"{code} {n}" for code, n in row["by_jurisdiction"].items())
        lines.append(f"{row['id']:<36} {row['total']:>5}  {per}")
    return "\n".join(lines)
