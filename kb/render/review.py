"""The rule finder's candidates for review (``seckb rules review``) as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from kb.finder import Candidate

# (candidate, the overlay's decision on it or "")
Reviewed = Sequence[tuple[Candidate, str]]


def candidates_text(pairs: Reviewed) -> str:
    lines: list[str] = []
    for c, said in pairs:
        typed = ", ".join(f"{k}={v}" for k, v in c.typed_value)
        lines.append(f"{c.key} [{c.body}]  {c.citation}  value: {c.value}" + (f"  ({typed})" if typed else ""))
        lines.append(f'    "{c.quote}"')
        lines.append(f"    found by {c.found_by}; " + (f"decision: {said}" if said else "not reviewed"))
    return "\n".join(lines) if lines else "no candidates"


def candidates_json(pairs: Reviewed) -> str:
    rows = [
        {
            "jurisdiction": c.jurisdiction,
            "body": c.body,
            "rule": c.key,
            "act": c.act_id,
            "citation": c.citation,
            "value": c.value,
            "typed_value": {k: str(v) for k, v in c.typed_value},
            "quote": c.quote,
            "found_by": c.found_by,
            "decision": said or None,
        }
        for c, said in pairs
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)
