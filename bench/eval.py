"""Relevance: seckb against the SQLite FTS5 baseline on the judged set, side by side.

    .venv/bin/python bench/eval.py --data /tmp/kb-search [--queries bench/queries.yaml]

Prints a Markdown table (nDCG@10, recall@10, MRR overall and per query type) and writes
bench/results/eval.md and eval.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from fts5 import build_from_kb, fts5_search_fn  # noqa: E402

from kb.evaluate import (  # noqa: E402
    EvalReport,
    evaluate,
    load_queries,
    pooled_path_for,
    seckb_search_fn,
    split_queries,
    with_pooled,
)
from kb.knowledge import KnowledgeBase  # noqa: E402
from kb.render.evaluation import render_comparison, render_misses  # noqa: E402


def run_eval(
    data_dir: Path | None, queries_path: Path | None = None, half: str = "all", pooled: bool = False
) -> tuple[EvalReport, EvalReport]:
    """seckb and FTS5 on one half; with ``pooled``, judged with the file's pooled judgments added
    (bench/pooled.yaml, or pooled-tune.yaml for queries-tune.yaml)."""
    judged = load_queries(queries_path)
    queries = split_queries(with_pooled(judged, pooled_path_for(queries_path)) if pooled else judged)[half]
    with KnowledgeBase.open(data_dir) as kb:
        seckb = evaluate("seckb", seckb_search_fn(kb), queries)
        index = build_from_kb(kb)
        try:
            fts5 = evaluate("fts5", fts5_search_fn(index), queries)
        finally:
            index.close()
    return seckb, fts5


def report_markdown(seckb: EvalReport, fts5: EvalReport) -> str:
    diff = seckb.overall.ndcg - fts5.overall.ndcg
    citations = [s for s in seckb.scores if s.query.type == "citation"]
    first = sum(s.top_best for s in citations)
    return "\n".join(
        [
            f"## Relevance ({seckb.overall.count} judged queries, k={seckb.k})",
            "",
            render_comparison([seckb, fts5]),
            "",
            f"nDCG@10 seckb - FTS5 = {diff:+.3f}; citation queries with the cited provision first: "
            f"{first}/{len(citations)}",
            "",
            "Weakest seckb queries:",
            render_misses(seckb) or "(none below 1.0)",
            "",
            "Weakest FTS5 queries:",
            render_misses(fts5, 8) or "(none below 1.0)",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--queries", type=Path, default=None)
    parser.add_argument(
        "--half",
        choices=("dev", "test", "all"),
        default=None,
        help="tune on dev; report test (default dev; all for a tuning set, which has no halves)",
    )
    parser.add_argument(
        "--pooled",
        action="store_true",
        help="add the pooled judgments (bench/pooled.yaml; pooled-tune.yaml for the tuning set)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    half = args.half or ("all" if args.queries and args.queries.name.startswith("queries-") else "dev")
    seckb, fts5 = run_eval(args.data, args.queries, half, args.pooled)
    text = report_markdown(seckb, fts5)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "eval.md").write_text(text + "\n")
    (args.out / "eval.json").write_text(json.dumps({"seckb": seckb.as_dict(), "fts5": fts5.as_dict()}, indent=1))


if __name__ == "__main__":
    main()
