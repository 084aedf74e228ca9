"""A full build's work shared with worker processes: the index written in two parts, sources read
and topics matched ahead. Each must give what one process gives, in the same order, and a failure
anywhere must leave nothing committed and say what failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import search_index
from kb.errors import ReaderError, SeckbError
from kb.parallel import ordered
from kb.searchtypes import QueryPlan
from tests.test_search_segments import PLANS, _docs

DOCS = _docs("A", 150, 1) + _docs("B", 150, 2) + _docs("C", 101, 3)


def _stored_refs(folder: Path) -> list[str]:
    from whoosh import index

    ix = index.open_dir(str(folder))
    with ix.reader() as reader:
        return [fields["ref"] for _, fields in sorted(reader.iter_docs())]


def test_an_index_written_in_two_parts_ranks_as_one_written_in_one(tmp_path):
    from whoosh import index

    one, two = tmp_path / "one", tmp_path / "two"
    assert search_index.create_index(one, DOCS, parts=1) == len(DOCS)
    assert search_index.create_index(two, DOCS, parts=2) == len(DOCS)
    assert [s.doc_count() for s in index.open_dir(str(two))._segments()] == [200, 201]
    # Document numbers follow the order given, as in one process: ties rank the same way.
    assert _stored_refs(one) == _stored_refs(two) == [doc.ref for doc in DOCS]
    with search_index.Searcher(one) as first, search_index.Searcher(two) as second:
        for root in PLANS:
            for filters in ({}, {"jurisdiction": ("MH",)}):
                plan = QueryPlan(root=root, filters=filters, field_boosts={"heading": 3.0, "text": 1.0}, limit=400)
                a, b = first.run(plan), second.run(plan)
                assert a.total == b.total > 0
                assert [s["ref"] for s, _ in a.docs] == [s["ref"] for s, _ in b.docs]
                assert [x for _, x in a.docs] == pytest.approx([x for _, x in b.docs], rel=1e-12)


def _failing_fields(bad_ref: str):
    real = search_index._fields

    def fields(doc):
        if doc.ref == bad_ref:
            raise ValueError(f"cannot index {doc.ref}")
        return real(doc)

    return fields


@pytest.mark.parametrize("bad_ref", ["A s.3", "C s.7"], ids=["in the child", "in this process"])
def test_a_failure_in_either_part_commits_nothing_and_releases_the_lock(tmp_path, monkeypatch, bad_ref):
    from whoosh import index

    # The child is forked, so it runs the patched function too.
    monkeypatch.setattr(search_index, "_fields", _failing_fields(bad_ref))
    with pytest.raises((SeckbError, ValueError), match=f"cannot index {bad_ref}"):
        search_index.create_index(tmp_path, DOCS, parts=2)
    assert not search_index.index_usable(tmp_path)
    ix = index.open_dir(str(tmp_path))
    assert ix.doc_count() == 0
    ix.writer().cancel()  # the write lock was released


def _square_or_fail(n: int) -> int:
    if n == 3:
        raise ReaderError("page 3 has no text layer", path=Path("act.pdf"), line=3)
    return n * n


def test_ordered_gives_results_in_call_order_whatever_order_they_start_in():
    calls = [(n,) for n in range(6)]
    assert list(ordered(_square_or_fail, calls[:3], start_order=[2, 0, 1])) == [0, 1, 4]
    assert list(ordered(_square_or_fail, [(5,)])) == [25]


def test_a_worker_failure_is_raised_as_one_process_raises_it():
    results = ordered(_square_or_fail, [(n,) for n in range(6)], start_order=[5, 4, 3, 2, 1, 0])
    assert [next(results) for _ in range(3)] == [0, 1, 4]
    with pytest.raises(ReaderError) as failed:
        next(results)
    assert failed.value.path == "act.pdf" and failed.value.line == 3 and "page 3 has no text layer" in str(failed.value)


def test_one_part_streams_the_documents_instead_of_holding_them_all(tmp_path, monkeypatch):
    """At x20 scale the list of documents weighed more than the index writer: one part indexes each
    document as it comes."""
    indexed: list[str] = []
    real = search_index._fields

    def fields(doc):
        indexed.append(doc.ref)
        return real(doc)

    monkeypatch.setattr(search_index, "_fields", fields)
    seen_before: list[int] = []

    def docs():
        for doc in DOCS:
            seen_before.append(len(indexed))
            yield doc

    assert search_index.create_index(tmp_path / "one", docs(), parts=1) == len(DOCS)
    assert seen_before == list(range(len(DOCS)))
