"""Relevance reports (`seckb eval`, bench/eval.py): Markdown tables of nDCG@10, recall@10 and MRR."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kb.evaluate import EvalReport


@dataclass(frozen=True)
class EvalResult:
    """What `seckb eval` shows: the report and how many of the weakest queries to list."""

    report: EvalReport
    misses: int = 10


def eval_json(result: EvalResult) -> str:
    return json.dumps(result.report.as_dict(), indent=1)


def eval_text(result: EvalResult) -> str:
    text = render_comparison([result.report])
    if result.misses:
        text += "\n\nWeakest queries:\n" + (render_misses(result.report, result.misses) or "(none below 1.0)")
    return text


def render_comparison(reports: Sequence[EvalReport]) -> str:
    """A Markdown table: overall and per query type, engines side by side."""
    names = [r.engine for r in reports]
    head = "| query type | n | " + " | ".join(f"{n} nDCG@10 | {n} R@10 | {n} MRR" for n in names) + " |"
    sep = "|---|---:|" + "---:|" * (3 * len(names))
    lines = [head, sep]
    types = list(reports[0].by_type)
    for label, pick in [
        ("**overall**", lambda r: r.overall),
        *[(t, (lambda t: lambda r: r.by_type[t])(t)) for t in types],  # noqa: B023 - bound by the outer lambda
    ]:
        cells = []
        for report in reports:
            s = pick(report)
            cells.append(f"{s.ndcg:.3f} | {s.recall:.3f} | {s.mrr:.3f}")
        lines.append(f"| {label} | {pick(reports[0]).count} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_misses(report: EvalReport, limit: int = 15) -> str:
    """The worst queries, for whoever tunes the analysis next."""
    worst = sorted(report.scores, key=lambda s: s.ndcg)[:limit]
    return "\n".join(
        f"- {s.query.id} ({s.query.type}) nDCG={s.ndcg:.2f} {s.query.query!r} -> "
        f"{', '.join(s.ranked[:3]) or '(nothing)'}"
        for s in worst
        if s.ndcg < 1
    )
