"""Hostile queries: bounded, refused in one line, fast (issue 16, defects 7 and 8, the query part).

Ranges, huge words and floods of words are refused before the engine sees them; an error never
echoes a long query whole; an adversarial fuzz of query shapes finishes.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import QueryError
from kb.query import MAX_QUERY_CHARS, MAX_QUERY_WORDS, SearchRequest, check_query, search


@pytest.mark.parametrize(
    "query, says",
    [
        ("a[a TO]ANDNOT", "ranges"),
        ("1e309[a TO]", "ranges"),
        ("heading:{a TO z}", "ranges"),
        ("[* TO *]", "ranges"),
        ("x" * 100_000, "query too long"),
        (" ".join(["word"] * 14_000), "query too long"),
        (" ".join(["w"] * (MAX_QUERY_WORDS + 1)), "words, at most"),
        ("(" * 20 + "a" + ")" * 20, "nested deeper"),
    ],
)
def test_hostile_shapes_are_refused_fast_in_one_short_line(query, says):
    started = time.perf_counter()
    with pytest.raises(QueryError) as info:
        check_query(query)
    line = info.value.one_line()
    assert says in line and "\n" not in line
    assert len(line) < 300  # the query is cut, never echoed whole
    assert time.perf_counter() - started < 0.5


def test_the_limits_leave_room_for_real_queries():
    check_query("section 14 (1) (j-1) of the Maharashtra Village Panchayats Act disqualified children")
    check_query(" ".join(["word"] * MAX_QUERY_WORDS))
    check_query("a" * MAX_QUERY_CHARS)


def test_hostile_queries_through_the_whole_search_return_fast(real_kb_for_limits):
    for query in ["x" * 100_000, " ".join(["children"] * 14_000), "a[a TO]ANDNOT", "1e309[a TO]"]:
        started = time.perf_counter()
        with pytest.raises(QueryError):
            search(real_kb_for_limits, SearchRequest(text=query))
        assert time.perf_counter() - started < 1.0


@pytest.fixture(scope="module")
def real_kb_for_limits(built_kb):
    from kb.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(built_kb)
    yield kb
    kb.close()


_OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "(", ")", '"', "*", "?", "~2", "^3", "[", "]", "{", "}", "TO"]
_FIELDS = ["heading:", "topics:", "text:", "act:", "nosuch:", "1e309", "s.99999999999999999999()", "Art. 243F"]
_WORDS = ["s.14(1)(j-1)", "two-child-norm", "\x1b]52;c;eA==\x07", "\u202e", "children", "member", "the", "x" * 300]
_SYNTAX = st.sampled_from([*_OPERATORS, *_FIELDS, *_WORDS])


def test_adversarial_query_fuzz_finishes(real_kb_for_limits):
    seen = {"refused": 0, "answered": 0}
    started = time.perf_counter()

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(_SYNTAX, st.sampled_from([" ", "", "  "])), max_size=40))
    def check(parts):
        text = "".join(a + b for a, b in parts)
        one = time.perf_counter()
        try:
            results = search(real_kb_for_limits, SearchRequest(text=text, limit=5, facets=False))
        except QueryError as exc:
            assert "\n" not in exc.one_line() and len(exc.one_line()) < 300
            seen["refused"] += 1
        else:
            assert len(results.hits) <= 5
            seen["answered"] += 1
        assert time.perf_counter() - one < 5.0, text[:80]

    check()
    assert seen["refused"] and seen["answered"]
    assert time.perf_counter() - started < 300
