"""What ``seckb check`` and ``seckb warnings`` print, as text or JSON: how an Act's renderings
agree (kb/agreement.py) and each document's build warnings by kind (kb/buildwarnings.py)."""

from __future__ import annotations

import json
from typing import Any

from kb.agreement import Agreement
from kb.buildwarnings import KINDS, DocumentWarnings

__all__ = ["agreement_lines", "check_json", "check_text", "warnings_json", "warnings_text"]

# `seckb check`'s data: {"act_id": str, "agreements": list[Agreement]}
Check = dict[str, Any]


def agreement_lines(agreement: Agreement, limit: int = 20) -> list[str]:
    """The figures in words, then each disagreement: what `seckb check` and the add report print."""
    a = agreement
    lines = [
        f"{a.alternate} against the primary {a.primary}:",
        f"  sections: {a.sections_common} in both of {a.sections_primary} (primary) and {a.sections_alternate} "
        f"(alternate) — {100 * a.section_agreement:.1f}% agreement",
        f"  clause labels: the same in {a.labels_common_sections} of the {a.sections_common} sections in both "
        f"— {100 * a.label_agreement:.1f}% agreement",
    ]
    if a.only_primary:
        lines.append("  only in the primary: " + _numbers(a.only_primary, limit))
    if a.only_alternate:
        lines.append("  only in the alternate: " + _numbers(a.only_alternate, limit))
    lines += [f"  labels differ in {m}" for m in a.label_mismatches[:limit]]
    if len(a.label_mismatches) > limit:
        lines.append(f"  … {len(a.label_mismatches) - limit} more sections whose labels differ")
    return lines


def _numbers(numbers: tuple[str, ...], limit: int) -> str:
    shown = ", ".join(f"s.{n}" for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def check_text(check: Check) -> str:
    act_id, agreements = check["act_id"], check["agreements"]
    if not agreements:
        return f"{act_id}: one rendering only (no alternate text to compare with the primary)"
    return "\n".join(f"{act_id}  " + "\n".join(agreement_lines(a)) for a in agreements)


def check_json(check: Check) -> str:
    rows = [
        {
            "primary": a.primary,
            "alternate": a.alternate,
            "sections_primary": a.sections_primary,
            "sections_alternate": a.sections_alternate,
            "sections_common": a.sections_common,
            "section_agreement": round(a.section_agreement, 4),
            "labels_common_sections": a.labels_common_sections,
            "label_agreement": round(a.label_agreement, 4),
            "only_primary": list(a.only_primary),
            "only_alternate": list(a.only_alternate),
            "label_mismatches": list(a.label_mismatches),
        }
        for a in check["agreements"]
    ]
    return json.dumps({"act_id": check["act_id"], "agreements": rows}, indent=2, ensure_ascii=False)


def warnings_text(docs: list[DocumentWarnings], limit: int = 20) -> str:
    lines: list[str] = []
    for doc in docs:
        total = sum(len(v) for v in doc.groups.values())
        state = ", partial" if doc.partial else ""
        lines.append(f"{doc.act_id}  {doc.path} ({doc.role}{state}): {total} warning(s)")
        for kind in KINDS:
            items = doc.groups.get(kind)
            if not items:
                continue
            label, means = KINDS[kind]
            lines.append(f"  {label} ({len(items)}) — {means}")
            lines += [f"    {text}" for text in items[:limit]]
            if len(items) > limit:
                lines.append(f"    … {len(items) - limit} more")
    if not docs:
        lines.append("no documents in the knowledge base match")
    return "\n".join(lines)


def warnings_json(docs: list[DocumentWarnings]) -> str:
    return json.dumps(
        [
            {
                "act_id": d.act_id,
                "document": d.path,
                "role": d.role,
                "partial": d.partial,
                "groups": {k: {"label": KINDS[k][0], "means": KINDS[k][1], "warnings": v} for k, v in d.groups.items()},
            }
            for d in docs
        ],
        indent=2,
        ensure_ascii=False,
    )
