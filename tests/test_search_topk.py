"""The fast top-k path finds what scoring every candidate finds, on the real corpus.

indexer/search_index.py ranks a window by probing documents one at a time and gives up on those
that cannot enter it (filters visited directly, MaxScore over the concepts, upper bounds per
candidate, phrases checked from positions). That must never change what is found: for every judged
query (bench/queries.yaml) the window — documents, order and scores — is compared with a plain
reference: every candidate a driver matches, each concept asked with Whoosh's own matchers
(skip_to, then score), sorted by score then document number.
"""

from __future__ import annotations

from typing import Any

import pytest

from indexer import search_index
from kb.evaluate import load_queries
from kb.query import SearchRequest, run_query


class _Recorder:
    """An engine that keeps the plans kb/query.py hands to the real searcher."""

    def __init__(self, searcher: search_index.Searcher) -> None:
        self.searcher = searcher
        self.plans: list[Any] = []

    def run(self, plan):
        self.plans.append(plan)
        return self.searcher.run(plan)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.searcher, name)


def _credit(m: Any) -> float:
    """How much of its concept a concept's match covers: a BestOf's best-credited item (through a boost)."""
    inner = getattr(m, "child", m)
    return float(inner.credit()) if isinstance(inner, search_index._QUERY_CLASSES["matcher"]) else 1.0


def _reference(searcher: search_index.Searcher, parsed: Any, allowed: set[int] | None, limit: int):
    """Every candidate scored in full, as the coverage matcher defines it (or Whoosh's collector for
    a query that is not a coverage query)."""
    top_searcher = searcher._searcher
    if not search_index._is_coverage(parsed):
        results = top_searcher.search(parsed, filter=allowed, limit=limit, terms=False)
        return [(float(hit.score), hit.docnum) for hit in results]
    scored = []
    for sub, offset in top_searcher.leaf_searchers():
        context = top_searcher.context(needs_current=True)
        matchers, weights, rare = parsed.concepts(sub, context)
        total = sum({id(m): w for m, w in zip(matchers, weights, strict=True)}.values()) or 1.0
        candidates = set()
        for m, is_driver in zip(matchers, rare, strict=True):
            if is_driver:
                candidates.update(m.all_ids())
        order = [c for c in range(len(matchers)) if rare[c]] + [c for c in range(len(matchers)) if not rare[c]]
        fresh = parsed.concepts(sub, context)[0]  # unconsumed matchers, one per concept
        for doc in sorted(candidates):
            if allowed is not None and doc + offset not in allowed:
                continue
            here = []
            for c in order:
                m = fresh[c]
                if m.is_active() and m.id() < doc:
                    m.skip_to(doc)
                if m.is_active() and m.id() == doc:
                    here.append((weights[c] * _credit(m), m.score()))
            covered = sum(w for w, _ in here) / total
            scored.append((sum(s for _, s in here) * covered**parsed.power, doc + offset))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return scored[:limit]


@pytest.fixture(scope="module")
def plans(built_kb):
    from kb.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(built_kb)
    recorder = _Recorder(kb.searcher())
    for q in load_queries():
        request = SearchRequest(text=q.query, limit=10, facets=False)
        run_query(recorder, request, q.query)
        # The judged query's own filters, and a State filter with few allowed documents.
        filters = {"jurisdiction": tuple(s.upper() for s in q.states)} if q.states else {"jurisdiction": ("MN",)}
        run_query(recorder, request, q.query, (), filters)
    yield kb.searcher(), recorder.plans
    kb.close()


def test_the_window_is_the_one_scoring_every_candidate_gives(plans):
    searcher, recorded = plans
    compared = coverage = 0
    for plan in recorded:
        parsed = searcher.compile(plan)
        if parsed is None:
            continue
        allowed = searcher._allowed(plan.filters)
        for limit in (30, 100):
            fast = searcher._top(parsed, allowed, limit)
            expected = _reference(searcher, parsed, allowed, limit)
            assert [d for _, d in fast] == [d for _, d in expected], plan.root
            assert [s for s, _ in fast] == [s for s, _ in expected], plan.root
            compared += 1
        coverage += search_index._is_coverage(parsed)
    assert compared > 300 and coverage > 100


def test_faceted_ranking_agrees_with_the_window(plans):
    """The faceted path (every match scored by the coverage matcher under Whoosh) puts the same
    documents first as the windowed path."""
    searcher, recorded = plans
    for plan in recorded[::7]:
        if plan.root is None:
            continue
        from dataclasses import replace

        faceted = searcher.run(replace(plan, facets=True, kind_weights={}, body_weights={}, limit=20))
        window = searcher.run(replace(plan, facets=False, kind_weights={}, body_weights={}, limit=20))
        assert [(f["ref"], s) for f, s in faceted.docs] == [(f["ref"], s) for f, s in window.docs], plan.root
