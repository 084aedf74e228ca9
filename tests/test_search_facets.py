"""Faceted search on the real corpus: the counts and totals the engine computes from its cached
per-document values agree with Whoosh's own grouping of every match, and a server keeps one
searcher (and those cached values) across requests."""

from __future__ import annotations

import warnings

import pytest

from kb.knowledge import KnowledgeBase
from kb.query import SearchRequest, search
from kb.searchtypes import FACET_FIELDS, QueryPlan, Word

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _as_set(allowed):
    return None if allowed is None else set(allowed.tolist())


def whoosh_groups(engine, plan: QueryPlan) -> tuple[int, dict[str, dict[str, int]]]:
    """Reference: Whoosh's FieldFacet grouping of every match (what the engine used to run per query)."""
    from whoosh import sorting

    groupedby = {
        name: sorting.FieldFacet(name, allow_overlap=name in ("jurisdiction", "topics")) for name in FACET_FIELDS
    }
    results = engine._searcher.search(
        engine.compile(plan), filter=_as_set(engine._allowed(plan.filters)), limit=None, groupedby=groupedby
    )
    counts = {}
    for name in FACET_FIELDS:
        groups = results.groups(name)
        counts[name] = {str(k): len(v) for k, v in groups.items() if k not in (None, "")}
    return len(results), counts


@pytest.mark.parametrize(
    ("word", "filters"),
    [
        ("election", {}),
        ("panchayat", {"jurisdiction": ("MH", "KL")}),
        ("disqualified", {"act": ("MH-VPA-1959",)}),
    ],
)
def test_facet_counts_match_whoosh_grouping(built_kb, word, filters):
    with KnowledgeBase.open(built_kb) as kb:
        engine = kb.searcher()
        plan = QueryPlan(root=Word(word), filters=filters, limit=10, facets=True)
        ranked = engine.run(plan)
        total, expected = whoosh_groups(engine, plan)
    assert total > 10
    assert ranked.total == total
    assert ranked.facets == expected
    for counts in ranked.facets.values():
        assert list(counts.values()) == sorted(counts.values(), reverse=True)
    if filters:
        (name, values), *_ = filters.items()
        assert set(ranked.facets["jurisdiction" if name == "jurisdiction" else "act"]) <= set(values)


def test_kind_weights_rerank_every_match(built_kb):
    """With facets the kind weights re-rank all matches, so the top hit is the best re-weighed
    score over the whole match set (checked against stored fields of every match)."""
    with KnowledgeBase.open(built_kb) as kb:
        engine = kb.searcher()
        weights = {"proviso": 0.2, "explanation": 0.2}
        plan = QueryPlan(root=Word("candidate"), limit=5, facets=True, kind_weights=weights)
        ranked = engine.run(plan)
        every = engine.run(QueryPlan(root=Word("candidate"), limit=100_000, facets=True))
    reweighed = sorted(
        ((stored["ref"], score * weights.get(stored.get("kind", ""), 1.0)) for stored, score in every.docs),
        key=lambda pair: -pair[1],
    )
    assert [stored["ref"] for stored, _ in ranked.docs] == [ref for ref, _ in reweighed[:5]]
    assert ranked.total == every.total == len(every.docs)


def test_server_reuses_one_searcher_across_requests(built_kb):
    from kb.web import create_app

    app = create_app(built_kb)
    with TestClient(app) as client:
        holder = app.state.holder
        assert client.get("/search?q=election").status_code == 200
        first = holder.get().searcher()
        for query in ("returning officer", "two children", "election&page=2"):
            assert client.get(f"/search?q={query}").status_code == 200
        assert holder.get().searcher() is first
        # The per-document values facets are counted from are built once and kept.
        assert set(first._values) >= set(FACET_FIELDS)


def test_search_facets_sum_to_the_total(built_kb):
    with KnowledgeBase.open(built_kb) as kb:
        results = search(kb, SearchRequest(text="reservation of seats for women", limit=20))
    assert results.total > 20
    assert sum(results.facets["doc_type"].values()) == results.total


def test_next_page_from_a_kept_ranking_equals_a_fresh_search(built_kb):
    request = SearchRequest(text="term of office", states=("MH",), limit=20)
    with KnowledgeBase.open(built_kb) as kb:
        search(kb, request)
        kept = search(kb, SearchRequest(text="term of office", states=("MH",), limit=40))
        assert len(kb.searcher()._rankings) == 1
    with KnowledgeBase.open(built_kb) as kb:
        fresh = search(kb, SearchRequest(text="term of office", states=("MH",), limit=40))
    assert kept.total > 20
    assert kept == fresh
