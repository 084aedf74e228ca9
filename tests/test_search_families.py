"""Word families: a plain word also searches the forms of its word the stemmer keeps apart.

corpus/word_families.yaml lists pairs of stem endings ("vacanc"/"vacant", "member"/"membership");
a plain query's word also searches the other form at a lower weight, when the texts hold it and,
for derivations, when the two terms stand together in the texts more often than by chance (so
"commencement" never searches "comment"). Explicit syntax (AND, NOT, "phrases", fields) is never
expanded.
"""

from __future__ import annotations

import pytest

from kb.query import SearchRequest, _word_families, run_query, search, word_family
from kb.searchtypes import AllOf, AnyOf, Maybe, Node, OneOf, Phrase, Without, Word
from kb.synonyms import load_word_families
from tests.factories import refusal
from tests.test_search_topk import _Recorder


@pytest.fixture(scope="module")
def engine(built_kb):
    from kb.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(built_kb)
    yield kb.searcher()
    kb.close()


def _words(node: Node | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, Word):
        return {node.text.lower()}
    if isinstance(node, Phrase):
        return {w.lower() for w in node.words}
    if isinstance(node, AllOf | AnyOf | OneOf):
        return {w for item in node.items for w in _words(item)}
    if isinstance(node, Without):
        return _words(node.include) | _words(node.exclude)
    assert isinstance(node, Maybe)
    return _words(node.required) | _words(node.optional)


def _plan_words(engine, text: str) -> set[str]:
    recorder = _Recorder(engine)
    run_query(recorder, SearchRequest(text=text, limit=10, facets=False), text)
    return {w for plan in recorder.plans for w in _words(plan.root)}


@pytest.mark.parametrize(
    "word, family_term",
    [("vacancy", "vacant"), ("absent", "absenc"), ("members", "membership"), ("suspension", "suspend")],
)
def test_a_word_searches_the_forms_of_its_word_the_stemmer_keeps_apart(engine, word, family_term):
    family = word_family(engine, word, _word_families())
    assert family_term in {t for w in family for t in engine.terms(w)}
    # Never the word's own term again.
    assert set(engine.terms(word)).isdisjoint(t for w in family for t in engine.terms(w))


@pytest.mark.parametrize("word", ["commencement", "offence", "intended", "election", "elector", "town"])
def test_words_that_only_look_alike_are_not_a_family(engine, word):
    """The stems commenc/comment, offenc/offens and intend/intens end as a pair does, but never
    stand together in the texts; "elect" must not pull "elector" or "electricity"."""
    assert word_family(engine, word, _word_families()) == []


def test_a_plain_query_searches_the_family_and_explicit_syntax_never_does(engine):
    # "membership" has no synonym entry: "members" comes from the family alone.
    assert "members" in _plan_words(engine, "membership of panchayat")
    for explicit in ("membership AND panchayat", '"membership"', "heading:membership", "membership NOT sarpanch"):
        assert "members" not in _plan_words(engine, explicit), explicit


def test_the_family_recalls_more_and_the_word_as_typed_still_ranks_first(open_kb, monkeypatch):
    import kb.query

    request = SearchRequest(text="membership", limit=20, facets=False)
    with_family = search(open_kb, request)
    monkeypatch.setattr(kb.query, "FAMILY_WEIGHT", 0.0)
    without = search(open_kb, request)
    assert with_family.total > without.total
    engine = open_kb.searcher()
    assert "membership" in engine.terms(f"{with_family.hits[0].heading} {with_family.hits[0].text}")


@pytest.mark.parametrize(
    "text, says",
    [
        ("derivations:\n  - [nc]\n", "word_families.yaml:2"),
        ("derivations:\n  - [nc, nc]\n", "word_families.yaml:2"),
        ("derivations:\n  - [nc, NT]\n", "word_families.yaml:2"),
        ("endings: []\n", "unknown key 'endings'"),
        ("spellings: is\n", "'spellings' must be a list"),
    ],
)
def test_a_bad_word_family_entry_is_refused_in_one_line(tmp_path, text, says):
    (tmp_path / "word_families.yaml").write_text(text)
    line = refusal(lambda: load_word_families(tmp_path))
    assert "word_families.yaml" in line and says in line


def test_the_shipped_word_families_load(sources_dir):
    from kb import settings

    families = load_word_families(settings.corpus_dir())
    assert families["derivations"] and families["spellings"]
    assert ("nc", "nt") in families["derivations"]
