"""Reports of `seckb add`, `fetch` and `remove`, as text and JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from kb.userdocs import AddReport, RemoveReport


def _warning_groups(warnings: list[str]) -> dict[str, list[str]]:
    """The warnings a user acts on, by kind: what could not be placed, joined or numbered."""
    groups: dict[str, list[str]] = {"pages": [], "footnotes": [], "other": []}
    for text in warnings:
        if re.search(r"\bpages?\b", text) and not re.search(r"\bfootnote", text):
            groups["pages"].append(text)
        elif re.search(r"footnote|marker", text):
            groups["footnotes"].append(text)
        else:
            groups["other"].append(text)
    return groups


def add_dict(report: AddReport) -> dict[str, Any]:
    return {
        "act_id": report.act_id,
        "title": report.title,
        "new_act": report.new_act,
        "matched_by": report.matched_by,
        "stored_as": report.stored_as,
        "format": report.format,
        "role": report.role,
        "sections": report.sections,
        "provisions": report.provisions,
        "eligibility_provisions": report.eligibility_provisions,
        "numbering_gaps": report.numbering_gaps,
        "replaced": report.replaced,
        "warnings": _warning_groups(report.warnings),
        "build_seconds": round(report.build.seconds, 1) if report.build else None,
        "documents_parsed": sum(d.status == "parsed" for d in report.build.documents) if report.build else 0,
    }


def add_json(report: AddReport) -> str:
    return json.dumps(add_dict(report), indent=2, ensure_ascii=False)


def add_text(report: AddReport) -> str:
    data = add_dict(report)
    how = "new Act (not in the catalogue)" if report.new_act else f"catalogued Act, matched by {report.matched_by}"
    lines = [
        f"{report.act_id}  {report.title}",
        f"  {how}",
        f"  stored as {report.stored_as} ({report.format}, {report.role} text)",
    ]
    if report.role == "alternate":
        lines.append(
            "  the Act already has a full primary text: this rendering is kept to cross-check "
            "numbering (use --replace to make it the primary)"
        )
    lines.append(
        f"  parsed: {report.sections} sections, {report.provisions} provisions, "
        f"{report.eligibility_provisions} under the eligibility topics (candidate, elector)"
    )
    if report.replaced:
        lines.append("  replaced: " + ", ".join(report.replaced))
    groups = data["warnings"]
    labels = {"pages": "pages not placed", "footnotes": "footnotes not joined", "other": "other warnings"}
    for key, label in labels.items():
        for text in groups[key][:10]:
            lines.append(f"  warning ({label}): {text}")
        if len(groups[key]) > 10:
            lines.append(f"  … {len(groups[key]) - 10} more {label}")
    if report.numbering_gaps:
        lines.append(
            "  warning (numbering gaps): sections "
            + ", ".join(report.numbering_gaps[:20])
            + (" …" if len(report.numbering_gaps) > 20 else "")
            + " not found"
        )
    if report.build:
        lines.append(
            f"  knowledge base updated in {report.build.seconds:.1f} s "
            f"({data['documents_parsed']} document(s) parsed, the rest unchanged)"
        )
    return "\n".join(lines)


def remove_text(report: RemoveReport) -> str:
    lines = [f"removed {f}" for f in report.removed_files]
    lines += [f"{a}: the user's entry is gone from the overlay" for a in report.removed_acts]
    if report.build:
        lines.append(f"knowledge base updated in {report.build.seconds:.1f} s")
    return "\n".join(lines)


def remove_json(report: RemoveReport) -> str:
    return json.dumps(
        {
            "removed_files": report.removed_files,
            "removed_acts": report.removed_acts,
            "build_seconds": round(report.build.seconds, 1) if report.build else None,
        },
        indent=2,
        ensure_ascii=False,
    )
