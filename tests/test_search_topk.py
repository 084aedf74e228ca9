"""The array scorer finds what Whoosh's own matchers find, on the real corpus.

indexer/search_index.py scores a query by reading whole posting lists into arrays (BM25F per term,
sums for OR and AND, positions for phrases, BestOf and Coverage for seckb's concepts). That must
never change what is found: for every judged query (bench/queries.yaml), with its own State filter
and with a narrow one, every matching document and its score is compared with Whoosh's search of
the same compiled query (its matchers, its phrase spans, its filter), and the ranking with Whoosh's
order (score, then document number).
"""

from __future__ import annotations

from dataclasses import replace
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


def _reference(searcher: search_index.Searcher, parsed: Any, allowed: Any) -> dict[int, float]:
    """Whoosh's own search of the compiled query: every match and its score."""
    only = None if allowed is None else set(allowed.tolist())
    results = searcher._searcher.search(parsed, filter=only, limit=None, terms=False)
    return {hit.docnum: float(hit.score) for hit in results}


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


def _has_coverage(parsed) -> bool:
    # A plain query's coverage node sits under the descriptions' part (kb/query.py _with_described).
    return search_index._is_coverage(parsed) or any(_has_coverage(child) for child in parsed.children())


def test_every_match_and_score_is_the_one_whoosh_gives(plans):
    searcher, recorded = plans
    compared = coverage = phrases = 0
    for plan in recorded:
        parsed = searcher.compile(plan)
        if parsed is None:
            continue
        allowed = searcher._allowed(plan.filters)
        ids, scores = searcher._scores(parsed)
        found = {int(d): float(s) for d, s in zip(ids.tolist(), scores.tolist(), strict=True)}
        if allowed is not None:
            kept = set(allowed.tolist())
            found = {d: s for d, s in found.items() if d in kept}
        expected = _reference(searcher, parsed, allowed)
        assert found.keys() == expected.keys(), plan.root
        for doc, score in expected.items():
            assert found[doc] == pytest.approx(score, rel=1e-12), (plan.root, doc)
        # The order: by score (equal within rounding), then document number, as Whoosh orders ties.
        top = searcher._rank(parsed, allowed, replace(plan, kind_weights={}, body_weights={}, facets=False), 100)[0]
        wanted = sorted(expected.items(), key=lambda pair: (-round(pair[1], 9), pair[0]))[:100]
        assert [d for _, d in top] == [d for d, _ in wanted], plan.root
        compared += 1
        coverage += _has_coverage(parsed)
        phrases += " PHRASE" in repr(parsed) or "Phrase(" in repr(parsed)
    assert compared > 150 and coverage > 100 and phrases > 20


def test_faceted_ranking_agrees_with_the_plain_one(plans):
    """Asking for facets (and the exact total) does not change the ranking."""
    searcher, recorded = plans
    for plan in recorded[::7]:
        if plan.root is None:
            continue
        faceted = searcher.run(replace(plan, facets=True, kind_weights={}, body_weights={}, limit=20))
        window = searcher.run(replace(plan, facets=False, kind_weights={}, body_weights={}, limit=20))
        assert [(f["ref"], s) for f, s in faceted.docs] == [(f["ref"], s) for f, s in window.docs], plan.root
