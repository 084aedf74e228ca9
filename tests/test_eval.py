"""Relevance metrics on tiny hand-computed examples, and the judged set as data."""

from __future__ import annotations

import math

import pytest

from kb.evaluate import QUERY_TYPES, dcg, evaluate, load_queries, ndcg_at_k, recall_at_k, reciprocal_rank, top_is_best


def test_dcg_uses_exponential_gain_and_log2_discount():
    # ranks 1..3 with grades 2, 0, 1: 3/log2(2) + 0 + 1/log2(4) = 3 + 0.5
    assert dcg([2, 0, 1]) == pytest.approx(3.5)


def test_ndcg_is_one_for_the_ideal_order_and_less_otherwise():
    grades = {"a": 2, "b": 1}
    assert ndcg_at_k(["a", "b", "x"], grades) == pytest.approx(1.0)
    # b first, a second: (1/1 + 3/log2 3) / (3/1 + 1/log2 3)
    expected = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at_k(["b", "a"], grades) == pytest.approx(expected)
    assert ndcg_at_k(["x", "y"], grades) == 0.0


def test_ndcg_counts_only_the_first_k():
    assert ndcg_at_k(["x", "a"], {"a": 2}, k=1) == 0.0


def test_recall_caps_the_denominator_at_k():
    grades = {"a": 1, "b": 2, "c": 1}
    assert recall_at_k(["a", "x", "c"], grades, k=10) == pytest.approx(2 / 3)
    assert recall_at_k(["a", "b"], grades, k=2) == pytest.approx(1.0)


def test_reciprocal_rank_of_the_first_relevant_hit():
    assert reciprocal_rank(["x", "y", "a"], {"a": 1}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"a": 1}) == 0.0


def test_top_is_best_wants_the_highest_grade_first():
    assert top_is_best(["a", "b"], {"a": 2, "b": 1})
    assert not top_is_best(["b", "a"], {"a": 2, "b": 1})


def test_evaluate_averages_per_type():
    from kb.evaluate import JudgedQuery

    queries = [
        JudgedQuery("q1", "phrase", "x", {"a": 2}),
        JudgedQuery("q2", "phrase", "y", {"b": 2}),
        JudgedQuery("q3", "citation", "z", {"c": 2}),
    ]
    ranked = {"x": ["a"], "y": ["z", "b"], "z": []}
    report = evaluate("toy", lambda q, k: ranked[q.query], queries)
    assert report.by_type["phrase"].mrr == pytest.approx((1 + 0.5) / 2)
    assert report.by_type["citation"].ndcg == 0.0
    assert report.overall.mrr == pytest.approx(1.5 / 3)


def test_judged_set_is_large_varied_and_well_formed():
    queries = load_queries()
    assert len(queries) >= 60
    assert {q.type for q in queries} == set(QUERY_TYPES)
    assert all(2 in q.relevant.values() for q in queries)


def test_judged_refs_exist_in_the_knowledge_base(open_kb):
    from sqlalchemy import select

    from kb.store import tables as t

    with open_kb.session() as session:
        refs = set(session.scalars(select(t.Provision.ref)))
    missing = [(q.id, ref) for q in load_queries() for ref in q.relevant if ref not in refs]
    assert not missing


def test_development_and_test_halves_are_fixed_disjoint_and_stable():
    from dataclasses import replace

    from kb.evaluate import split_queries

    queries = load_queries()
    halves = split_queries(queries)
    dev, test = {q.id for q in halves["dev"]}, {q.id for q in halves["test"]}
    assert dev and test and not dev & test and dev | test == {q.id for q in queries}
    assert {q.type for q in halves["test"]} == {q.type for q in queries}  # every type is reported
    # Adding a query never moves an old one across; another seed deals differently.
    extra = replace(queries[0], id="added-later")
    again = split_queries([*queries, extra])
    assert {q.id for q in again["dev"]} - {"added-later"} == dev
    assert {q.id for q in split_queries(queries, seed=15)["dev"]} != dev


def test_judged_set_has_the_issue_14_queries():
    queries = load_queries()
    written = [q for q in queries if q.id.startswith("n-")]
    assert len(written) >= 40
    assert sum(q.type == "paraphrase" for q in written) >= 20


def _pooled_refs(path) -> set[str]:
    """Every provision a pooled-judgments file grades, 0 included."""
    import yaml

    return {ref for grades in yaml.safe_load(path.read_text())["pooled"].values() for ref in grades}


def test_pooled_judgments_add_only_where_the_judged_set_is_silent(open_kb):
    from kb.evaluate import DEFAULT_POOLED, with_pooled

    queries = load_queries()
    pooled = {q.id: q for q in with_pooled(queries)}
    added = 0
    for q in queries:
        merged = pooled[q.id].relevant
        assert {ref: merged[ref] for ref in q.relevant} == dict(q.relevant)  # its own grades stand
        added += len(merged) - len(q.relevant)
        for ref in set(merged) - set(q.relevant):
            assert merged[ref] in (1, 2)
    assert added > 300
    # Every pooled provision is one the knowledge base holds.
    refs = _pooled_refs(DEFAULT_POOLED)
    known = {h for h in refs if open_kb.searcher().document(h) is not None}
    assert known == refs


def test_tuning_set_is_judged_on_held_provisions_and_kept_apart_from_the_halves(open_kb):
    """bench/queries-tune.yaml guides tuning only: its own file, none of its ids in queries.yaml,
    every judged and pooled provision one the knowledge base holds."""
    from kb.evaluate import DEFAULT_POOLED, TUNING_QUERIES, pooled_path_for, with_pooled

    tuning = load_queries(TUNING_QUERIES)
    assert len(tuning) >= 40 and all(q.id.startswith("tune-") for q in tuning)
    assert all(2 in q.relevant.values() for q in tuning)
    assert not {q.id for q in tuning} & {q.id for q in load_queries()}
    assert pooled_path_for(TUNING_QUERIES).name == "pooled-tune.yaml"
    assert pooled_path_for(None) == DEFAULT_POOLED
    pooled = with_pooled(tuning, pooled_path_for(TUNING_QUERIES))
    assert sum(len(p.relevant) - len(q.relevant) for p, q in zip(pooled, tuning)) > 50
    refs = {ref for q in tuning for ref in q.relevant}
    refs |= _pooled_refs(pooled_path_for(TUNING_QUERIES))
    searcher = open_kb.searcher()
    assert not [ref for ref in refs if searcher.document(ref) is None]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('pooled:\n  no-such-query: {"X s.1": 1}\n', "unknown query 'no-such-query'"),
        ('pooled:\n  cite-mh-j1: {"X s.1": 3}\n', "grades must be 0, 1 or 2"),
        ("- a\n", "expected a top-level 'pooled:' mapping"),
    ],
)
def test_pooled_judgments_are_checked_with_their_line(tmp_path, text, message):
    from kb.errors import ReferenceDataError
    from kb.evaluate import with_pooled

    path = tmp_path / "pooled.yaml"
    path.write_text(text)
    with pytest.raises(ReferenceDataError, match=message) as caught:
        with_pooled(load_queries(), path)
    assert str(path) in str(caught.value)
