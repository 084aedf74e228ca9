"""How people describe provisions (corpus/descriptions/): searched by plain word queries at a low
weight, never taken for the Act's words (explicit syntax, highlighting, snippets, show), and every
shipped description names a provision the real corpus holds."""

from __future__ import annotations

import pytest

from kb.descriptions import read_descriptions, stale_refs
from kb.errors import ReferenceDataError
from kb.query import SearchRequest, search
from tests.factories import refusal


def test_every_shipped_description_names_a_provision_of_the_real_corpus(built_kb):
    from kb.knowledge import KnowledgeBase

    described = read_descriptions()
    assert len(described) > 1000
    with KnowledgeBase.open(built_kb) as kb, kb.session() as session:
        assert stale_refs(session) == []


def test_a_word_only_our_description_uses_finds_the_provision_and_is_never_shown_as_its_text(open_kb):
    # The Representation of the People Act 1951 says "uncontested" (s.53's heading) and declares
    # the candidates elected when they are as many as the seats (s.53(2)); people say "unopposed".
    result = search(open_kb, SearchRequest(text="candidate elected unopposed", limit=10))
    assert {hit.ref for hit in result.hits[:2]} == {"IN-RPA-1951 s.53", "IN-RPA-1951 s.53(2)"}
    for hit in result.hits:
        shown = f"{hit.heading} {hit.text} {hit.snippet}".lower()
        assert "unopposed" not in shown
        # Highlighted words are words of the snippet the query matched, never ours.
        assert all(hit.snippet[span.start : span.end].lower() != "unopposed" for span in hit.matches)


@pytest.mark.parametrize("text", ['"elected unopposed"', "unopposed AND candidate", "heading:unopposed"])
def test_explicit_syntax_searches_the_acts_words_only(open_kb, text):
    assert search(open_kb, SearchRequest(text=text, limit=50)).total == 0


def test_a_concept_only_our_description_holds_counts_toward_the_querys_coverage(open_kb, monkeypatch):
    """The clauses that disqualify a member holding a share in a newspaper that carries the local
    body's advertisements say "newspaper" and "advertisement", not "member ... local body ...
    disqualified" (those are in the lead-in, the heading or our descriptions). Counting the
    descriptions' concepts puts those clauses, from several Acts, first."""
    import kb.query

    text = "member owns a newspaper that carries local body advertisements, is he disqualified"
    hits = search(open_kb, SearchRequest(text=text, limit=5)).hits
    assert len({hit.ref.split(" ", 1)[0] for hit in hits[:3]}) == 3
    assert all("newspaper" in hit.text.lower() for hit in hits[:3])
    assert all("(" in hit.ref for hit in hits[:5])  # the clauses themselves
    monkeypatch.setattr(kb.query, "DESCRIBED_CONCEPT_WEIGHT", 0.0)
    without = search(open_kb, SearchRequest(text=text, limit=5)).hits
    # Without them a whole section that merely holds every word (Kerala KPRA s.35, kept whole as
    # its source lost the clause labels) comes among the first five; with the descriptions not
    # searched at all, first.
    assert any("(" not in hit.ref for hit in without[:5])
    monkeypatch.setitem(kb.query.FIELD_BOOSTS, "described", 0.0)
    assert "(" not in search(open_kb, SearchRequest(text=text, limit=5)).hits[0].ref


def test_a_word_only_descriptions_use_is_not_corrected_as_a_typo(open_kb):
    # Only our descriptions say "shopkeeper": of the small-sales exception to the bar on councillors
    # who contract with the body (MH MCA s.16(3)(e), DMC s.9(2)(c)(iv)). The Acts and the thesaurus lack it.
    result = search(open_kb, SearchRequest(text="shopkeeper", limit=5))
    assert result.suggestion is None and result.not_found == ()
    assert {hit.ref for hit in result.hits[:2]} == {SHOPKEEPER_MH, SHOPKEEPER_DL}


def test_without_descriptions_the_same_query_does_not_find_the_provision(open_kb, monkeypatch):
    import kb.query

    monkeypatch.setitem(kb.query.FIELD_BOOSTS, "described", 0.0)
    refs = [hit.ref for hit in search(open_kb, SearchRequest(text="shopkeeper", limit=10)).hits]
    assert SHOPKEEPER_MH not in refs and SHOPKEEPER_DL not in refs


SHOPKEEPER_MH, SHOPKEEPER_DL = "MH-MCA-1965 s.16(3)(e)", "DL-DMCA-1957 s.9(2)(c)(iv)"


@pytest.mark.parametrize(
    "text, says",
    [
        ('"X s.1": description\n', "expected a list of descriptions"),
        ('"X s.1": []\n', "expected a list of descriptions"),
        ('"X s.1":\n  - ' + " ".join(["word"] * 21) + "\n", "1 to 20 words"),
        ('"X s.1":\n  - a\n  - b\n  - c\n  - d\n  - e\n  - f\n', "at most 5"),
        ("- a list\n", "expected a mapping"),
    ],
)
def test_a_malformed_description_file_is_refused_in_one_line_naming_it(tmp_path, text, says):
    folder = tmp_path / "descriptions"
    folder.mkdir()
    (folder / "X.yaml").write_text(text)
    line = refusal(lambda: read_descriptions(tmp_path))
    assert "X.yaml" in line and says in line


def test_a_provision_described_in_two_files_is_refused(tmp_path):
    folder = tmp_path / "descriptions"
    folder.mkdir()
    (folder / "A.yaml").write_text('"X s.1":\n  - one way\n')
    (folder / "B.yaml").write_text('"X s.1":\n  - another way\n')
    with pytest.raises(ReferenceDataError, match=r"described twice \(also in A.yaml\)"):
        read_descriptions(tmp_path)


def test_a_changed_description_file_rewrites_the_index_and_an_unchanged_one_does_not(tmp_path):
    from kb.build import BuildOptions, build_knowledge_base
    from kb.knowledge import KnowledgeBase
    from tests.small_corpus import make_small_corpus

    corpus, sources = make_small_corpus(tmp_path, ("MH-VPA-1959",))
    options = BuildOptions(sources_dir=sources, data_dir=tmp_path / "data", corpus_dir=corpus)
    build_knowledge_base(options)
    (corpus / "descriptions").mkdir()
    (corpus / "descriptions" / "MH.yaml").write_text('"MH-VPA-1959 s.14(1)(j-1)":\n  - the zyxwv rule\n')
    assert build_knowledge_base(options).index_mode == "full"
    assert build_knowledge_base(options).index_mode == "unchanged"
    with KnowledgeBase.open(tmp_path / "data") as kb:
        assert [hit.ref for hit in search(kb, SearchRequest(text="zyxwv", limit=3)).hits] == [
            "MH-VPA-1959 s.14(1)(j-1)"
        ]
