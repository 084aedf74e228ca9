"""Search on the real knowledge base: citations, phrases, synonyms, spelling, facets, operators."""

from __future__ import annotations

import json

import pytest

from kb.evaluate import load_queries
from kb.query import SearchRequest, find_citations, search
from kb.searchtypes import Unresolved
from kb.vocab import CitationMiss


def refs(kb, text, **kw) -> list[str]:
    return [h.ref for h in search(kb, SearchRequest(text=text, **kw)).hits]


def test_two_children_in_maharashtra_ranks_the_village_panchayat_clause_top_3(open_kb):
    assert "MH-VPA-1959 s.14(1)(j-1)" in refs(open_kb, "more than two children", states=["MH"])[:3]


def test_ordinarily_resident_finds_rpa_1950_section_20(open_kb):
    top = refs(open_kb, "ordinarily resident")[:5]
    assert any(ref == "IN-RPA-1950 s.20" or ref.startswith("IN-RPA-1950 s.20(") for ref in top)


@pytest.mark.parametrize("query", [q for q in load_queries() if q.type == "citation"], ids=lambda q: q.id)
def test_each_judged_citation_returns_its_provision_first(open_kb, query):
    best = [ref for ref, grade in query.relevant.items() if grade == 2]
    hits = search(open_kb, SearchRequest(text=query.query, states=query.states, acts=query.acts)).hits
    assert hits and hits[0].ref in best and hits[0].pinned


def test_citation_inside_a_longer_query_is_pinned_and_the_words_still_search(open_kb):
    hits = search(open_kb, SearchRequest(text="what does Art 243-O bar courts from")).hits
    assert hits[0].ref == "IN-COI Art.243O" and hits[0].pinned


def test_a_citation_to_no_held_provision_is_said_and_its_words_are_not_searched(open_kb):
    # Searched as words, "Art." found "art galleries" (DMC s.43(b)).
    results = search(open_kb, SearchRequest(text="Art. 243ZZ"))
    assert results.hits == () and results.total == 0
    [miss] = results.unresolved
    assert (miss.cited, miss.reason) == ("Art. 243ZZ", CitationMiss.NO_SUCH_PROVISION)
    assert miss.nearest and all(ref.startswith("IN-COI Art.243Z") for ref in miss.nearest), miss.nearest


def test_the_words_beside_a_citation_to_no_held_provision_still_search(open_kb):
    results = search(open_kb, SearchRequest(text="s.14(1)(j-9) more than two children"))
    assert [(m.cited, m.reason) for m in results.unresolved] == [("s.14(1)(j-9)", CitationMiss.NO_SUCH_PROVISION)]
    # The nearest: the sub-section the clause would sit in, then its clauses labelled most like it.
    assert results.unresolved[0].nearest == (
        "MH-VPA-1959 s.14(1)",
        "MH-VPA-1959 s.14(1)(j)",
        "MH-VPA-1959 s.14(1)(j-5)",
    )
    assert "MH-VPA-1959 s.14(1)(j-1)" in [h.ref for h in results.hits]
    assert not any(h.pinned for h in results.hits)


def test_a_citation_held_only_outside_the_filters_is_said(open_kb):
    results = search(open_kb, SearchRequest(text="s.14(1)(j-1)", states=("DL",)))
    assert results.hits == ()
    assert results.unresolved == (
        Unresolved("s.14(1)(j-1)", CitationMiss.OUTSIDE_FILTERS, ("MH-VPA-1959 s.14(1)(j-1)",)),
    )
    held = search(open_kb, SearchRequest(text="s.14(1)(j-1)", states=("MH",)))
    assert held.unresolved == () and held.hits[0].ref == "MH-VPA-1959 s.14(1)(j-1)"
    # The Constitution's Part IX is panchayat law: a municipal search does not hold Art. 243F.
    other_body = search(open_kb, SearchRequest(text="Art. 243F", bodies=("municipal",)))
    assert other_body.hits == ()
    assert other_body.unresolved == (Unresolved("Art. 243F", CitationMiss.OUTSIDE_FILTERS, ("IN-COI Art.243F",)),)
    assert search(open_kb, SearchRequest(text="Art. 243F", bodies=("panchayat",))).hits[0].ref == "IN-COI Art.243F"


def test_an_unheld_citation_is_said_in_the_terminal_and_json(open_kb):
    from kb.render.search_view import search_json, search_text

    results = search(open_kb, SearchRequest(text="Art. 243ZZ"))
    assert (
        search_text(results)
        .plain.splitlines()[1]
        .startswith("No provision 'Art. 243ZZ' is held; nearest held: IN-COI Art.243Z")
    )
    assert json.loads(search_json(results))["unresolved"][0]["reason"] == "no such provision"


def test_an_operator_before_a_phrase_and_curly_quotes_search_the_phrase(open_kb):
    straight = refs(open_kb, '"two children" disqualified', limit=50)
    assert straight and refs(open_kb, "\u201ctwo children\u201d disqualified", limit=50) == straight
    both = refs(open_kb, 'disqualified AND "more than two children"', limit=50)
    assert "MH-VPA-1959 s.14(1)(j-1)" in both and "MH-MCA-1965 s.16(1)(k)" in both


def test_a_statutes_colon_is_searched_as_words(open_kb):
    results = search(open_kb, SearchRequest(text="Explanation: for the purposes of this clause", limit=50))
    assert results.total and any("explanation" in h.ref.lower() for h in results.hits)


def test_a_cited_provision_that_also_matches_the_words_is_counted_once(open_kb):
    results = search(open_kb, SearchRequest(text="s.14(1)(j-1) children", limit=500))
    assert results.total == len(results.hits)
    assert len({h.ref for h in results.hits}) == len(results.hits)


@pytest.mark.parametrize(
    "query, first",
    [
        ("14(1)(j-1)", "MH-VPA-1959 s.14(1)(j-1)"),
        ("two children 16(1)(k)", "MH-MCA-1965 s.16(1)(k)"),
        ("243F(1)", "IN-COI Art.243F(1)"),
        ("MH VPA 14(1)", "MH-VPA-1959 s.14(1)"),
        ("Art. 243ZA(1)", "IN-COI Art.243ZA(1)"),
        ("Art. 243 F", "IN-COI Art.243F"),
        ("article 243 O", "IN-COI Art.243O"),
        ("MH VPA s.14(1)", "MH-VPA-1959 s.14(1)"),
    ],
)
def test_a_provision_number_without_its_kind_or_the_acts_year_is_cited(open_kb, query, first):
    hits = search(open_kb, SearchRequest(text=query)).hits
    assert hits[0].ref == first and hits[0].pinned, [h.ref for h in hits[:3]]
    if query.startswith("MH VPA"):  # the Act was named: no other Act's s.14(1) is pinned
        assert all(h.ref.startswith("MH-VPA-1959") for h in hits if h.pinned)


def test_the_kind_word_chooses_among_provisions_of_one_number(open_kb):
    def pinned(text):
        return [h.ref for h in search(open_kb, SearchRequest(text=text, limit=50)).hits if h.pinned]

    assert pinned("rule 14")[0] == "IN-RER-1960 r.14"
    sections = pinned("section 14")
    assert "MH-VPA-1959 s.14" in sections and not any(" Art." in r or " r." in r for r in sections)
    # A kind no provision of that number has is read as a slip: the number decides.
    assert pinned("section 243F")[0] == "IN-COI Art.243F"


def test_a_bare_number_no_act_holds_is_said(open_kb):
    results = search(open_kb, SearchRequest(text="14(1)(j-9)"))
    assert [(m.cited, m.reason) for m in results.unresolved] == [("14(1)(j-9)", CitationMiss.NO_SUCH_PROVISION)]
    assert results.unresolved[0].nearest[0] == "MH-VPA-1959 s.14(1)"


def test_an_acts_name_without_its_year_names_every_act_of_that_name(open_kb):
    from kb.errors import CitationError
    from kb.resolve import ActIndex, resolve_citation

    with open_kb.session() as session:
        acts = ActIndex.from_session(session)
        assert acts.find("MH VPA") == "MH-VPA-1959" and acts.named("RPA") == ("IN-RPA-1950", "IN-RPA-1951")
        assert acts.find("RPA") is None
        with pytest.raises(CitationError, match="give the Act's year") as info:
            resolve_citation(session, "RPA s.8A", acts=acts)
        assert set(info.value.candidates) == {"IN-RPA-1950 s.8A", "IN-RPA-1951 s.8A"}
        assert resolve_citation(session, "RPA 1950 s.19", acts=acts).ref == "IN-RPA-1950 s.19"
    # Search pins the provision in those Acts only, and does not search "RPA" as a word.
    pinned = [h.ref for h in search(open_kb, SearchRequest(text="RPA s.8A")).hits if h.pinned]
    assert pinned and all(ref.startswith(("IN-RPA-1950 s.8A", "IN-RPA-1951 s.8A")) for ref in pinned)
    assert {"IN-RPA-1950 s.8A", "IN-RPA-1951 s.8A"} <= set(pinned)


def test_citation_forms_found_in_text(open_kb):
    from kb.resolve import ActIndex

    with open_kb.session() as session:
        acts = ActIndex.from_session(session)
    found = find_citations("section 14 (1) (j-1) of the Maharashtra Village Panchayats Act", acts)
    assert [c.text for c in found] == ["MH-VPA-1959 section 14 (1) (j-1)"]
    assert [c.text for c in find_citations("RPA 1950 s 20 ordinarily resident", acts)] == ["IN-RPA-1950 s 20"]
    assert find_citations("more than two children", acts) == []


def test_synonyms_expand_two_child_norm(open_kb):
    assert "MH-VPA-1959 s.14(1)(j-1)" in refs(open_kb, "two-child norm")[:5]


def test_regional_names_for_the_village_panchayat_meet(open_kb):
    grama = refs(open_kb, "Grama Panchayat disqualification", states=["MH"])
    assert any(ref.startswith("MH-VPA-1959 s.14") for ref in grama[:5])


def test_misspelling_gets_a_suggestion_and_a_retry(open_kb):
    results = search(open_kb, SearchRequest(text="disqualifcation of councillor", states=["MH"]))
    assert results.suggestion == "disqualification of councillor"
    assert results.not_found == ("disqualifcation",)
    assert results.hits


def test_a_short_word_no_text_has_is_not_turned_into_another_word(open_kb):
    """Two edits make other words of short ones: "usury" is not "user", "haat" not "had". One edit
    still corrects a short typo."""
    for typed in ("usury", "weekly haat market"):
        assert search(open_kb, SearchRequest(text=typed)).suggestion is None, typed
    # Not replaced, but said: no text has the word.
    assert search(open_kb, SearchRequest(text="usury")).not_found == ("usury",)
    assert search(open_kb, SearchRequest(text="usury")).total == 0
    assert search(open_kb, SearchRequest(text="weekly market")).not_found == ()
    fixed = search(open_kb, SearchRequest(text="toilt"))
    assert fixed.suggestion == "toilet" and fixed.not_found == ("toilt",)


def test_a_word_no_text_has_is_said_in_the_terminal(open_kb):
    from kb.render.search_view import search_text

    first = search_text(search(open_kb, SearchRequest(text="usury disqualification", limit=1))).plain.splitlines()[0]
    assert first.endswith("result(s) for 'usury disqualification' (no text has 'usury')")
    assert "no text has" not in search_text(search(open_kb, SearchRequest(text="toilet", limit=1))).plain


def test_corrected_results_say_what_was_searched_instead(open_kb):
    from kb.render.search_view import search_json, search_text

    results = search(open_kb, SearchRequest(text="ordinarly resident", limit=2))
    header = search_text(results).plain.splitlines()[0]
    assert header == (
        f"{results.total} result(s) for 'ordinarily resident' "
        "(searched instead of 'ordinarly resident': no text has 'ordinarly')"
    )
    import json

    data = json.loads(search_json(results))
    assert data["suggestion"] == "ordinarily resident" and data["not_found"] == ["ordinarly"]
    plain = search(open_kb, SearchRequest(text="ordinarily resident", limit=2))
    assert search_text(plain).plain.splitlines()[0] == f"{plain.total} result(s) for 'ordinarily resident'"


def test_misspelling_with_no_hits_is_retried_with_the_correction(open_kb):
    results = search(open_kb, SearchRequest(text="ordinarly resident"))
    assert results.suggestion and "resident" in results.suggestion
    assert results.hits


def test_a_hit_with_no_words_of_its_own_shows_its_sub_provisions_words_with_their_labels(open_kb):
    """Art. 68's words are all in its clauses (1) and (2): its hit quotes them, labelled, instead of
    showing nothing; its own text stays empty, and a hit with words of its own shows those."""
    cited = search(open_kb, SearchRequest(text="Art. 68", limit=2)).hits
    assert [h.ref for h in cited] == ["IN-COI Art.68", "IN-COI Art.68(1)"]
    article, clause = cited
    assert article.text == "" and article.snippet_below
    assert article.snippet.startswith("(1) An election to fill a vacancy caused by the expiration of the term")
    assert " (2) An election to fill a vacancy in the office of" in article.snippet
    assert not clause.snippet_below and clause.snippet == clause.text
    # Searched words are highlighted where they stand in the quoted words.
    found = search(open_kb, SearchRequest(text="vacancy Vice-President expiration", states=("IN",), limit=20)).hits
    hit = next(h for h in found if h.ref == "IN-COI Art.68")
    assert hit.snippet_below and hit.matches
    assert {hit.snippet[m.start : m.end].lower() for m in hit.matches} >= {"vacancy", "expiration"}


def test_facets_count_by_jurisdiction_and_act(open_kb):
    results = search(open_kb, SearchRequest(text="more than two children"))
    assert results.facets["jurisdiction"].get("MH", 0) >= 2
    assert set(results.facets["act"]) >= {"MH-VPA-1959", "MH-MCA-1965"}
    assert sum(results.facets["act"].values()) == results.total


def test_phrase_query_needs_the_words_together(open_kb):
    phrase = refs(open_kb, '"more than two children"', limit=50)
    assert phrase and all(r.startswith(("MH-VPA-1959", "MH-MCA-1965")) for r in phrase)


def test_not_excludes_documents(open_kb):
    with_ = refs(open_kb, "more than two children", limit=50)
    without = refs(open_kb, "more than two children NOT commencement", limit=50)
    assert "MH-VPA-1959 s.14(1)(j-1) proviso 1" in with_
    assert "MH-VPA-1959 s.14(1)(j-1) proviso 1" not in without
    assert "MH-VPA-1959 s.14(1)(j-1)" in without


def test_stemming_keeps_legal_terms_apart_and_families_together():
    from indexer.search_index import analyzer

    def terms(text):
        return [t.text for t in analyzer()(text)]

    assert terms("disqualified disqualification") == ["disqualif", "disqualif"]
    assert terms("officer office") == ["officer", "offic"]
    assert terms("panchayat sarpanch j-1 Upa-Sarpanch") == ["panchayat", "sarpanch", "j-1", "upa", "sarpanch"]
    # Porter makes "president" of "preside", "corporator" of "corporation" and "publication" of "public".
    assert terms("President presiding Corporator Corporation") == ["president", "presid", "corporator", "corpor"]
    assert terms("publication published public") == ["publish", "publish", "public"]
    # A defection (changing party) is not a defect in a nomination paper.
    assert terms("defection defections defect defective") == ["defection", "defection", "defect", "defect"]


def test_president_does_not_find_a_provision_about_presiding(open_kb):
    hits = refs(open_kb, "heading:president", limit=200)
    assert "IN-COI Art.61" in hits  # "Procedure for impeachment of the President."
    assert "IN-COI Art.96" not in hits  # "... not to preside while a resolution for his removal ..."


def test_abbreviations_officials_type_find_their_long_form(open_kb):
    assert refs(open_kb, "SEC appointment")[0].startswith("MH-SECA-1994 s.")


@pytest.mark.parametrize("abbreviation", ["sec", "sc", "st", "ro", "aro", "blo", "ceo", "deo", "mp"])
def test_an_abbreviation_of_the_thesaurus_is_no_word_of_the_acts(open_kb, abbreviation):
    # corpus/synonyms.yaml expands these both ways; were one a word of the texts, it would find it.
    assert refs(open_kb, f"text:{abbreviation} OR heading:{abbreviation}", limit=5) == []


# Query syntax that would make the engine guess is refused in one line, naming what is wrong.
@pytest.mark.parametrize(
    "query, says",
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"more than two', "unbalanced quote"),
        ("two (children", "unbalanced parentheses"),
        ("children) two", "unbalanced parentheses"),
        ("NOT", "no words"),
        ("AND OR", "no words"),
        ("children NOT", "needs a word after it"),
        ("nosuchfield:foo", "unknown field 'nosuchfield'"),
        ("children AND", "needs a word after it"),
        ('"two children" OR', "needs a word after it"),
        ("topics:nope", "unknown topic 'nope'"),
        ("disqual* children", "wildcards ('disqual*')"),
        ("topics:" + "x" * 300, "unknown topic 'xxx"),
        ("\u201cmore than two", "unbalanced quote"),
    ],
)
def test_bad_query_syntax_is_refused(query, says):
    from kb.errors import QueryError
    from kb.query import check_query, normalise_query

    with pytest.raises(QueryError) as info:
        check_query(normalise_query(query))
    line = info.value.one_line()
    assert says in line and "\n" not in line and len(line) < 300


@pytest.mark.parametrize(
    "query",
    [
        "heading:disqualification",
        "two AND children",
        '"ordinarily resident"',
        "s.14(1)(j-1)",
        "children NOT councillor",
        '"proviso: two" children',
        "topics:two-child-norm",
        # A phrase is the word an operator needs.
        'disqualified AND "more than two children"',
        'member NOT "two children"',
        'NOT "two children"',
        # A colon then a space is the statutes' punctuation, not a field.
        "Explanation: for the purposes",
    ],
)
def test_good_query_syntax_passes(query):
    from kb.query import check_query

    check_query(query)


def test_unknown_state_filter_is_refused(built_kb):
    from click.testing import CliRunner

    from cli import cli

    result = CliRunner().invoke(cli, ["search", "--data", str(built_kb), "children", "--state", "XX"])
    assert result.exit_code == 1 and "unknown jurisdiction 'XX'" in result.output


def test_a_state_the_database_knows_but_no_held_act_covers_matches_nothing(open_kb):
    from sqlalchemy import select

    from kb.store import tables as t

    with open_kb.session() as session:
        codes = sorted(session.scalars(select(t.Jurisdiction.code)))
    indexed = set(search(open_kb, SearchRequest(text="election")).facets["jurisdiction"])
    unheld = [code for code in codes if code not in indexed]
    assert unheld, "every jurisdiction has an Act held: pick another check"
    result = search(open_kb, SearchRequest(text="election", states=(unheld[0],)))
    assert result.total == 0 and not result.hits


_IMPORTS_AFTER_SEARCH = """
import sys
import cli
try:
    cli.cli.main(sys.argv[1:], standalone_mode=False)
finally:
    print("SQLALCHEMY" if "sqlalchemy" in sys.modules else "NO-SQLALCHEMY")
"""


@pytest.mark.parametrize(
    ("query", "opens_database"),
    [("more than two children", False), ("s.14(1)(j-1) children", True)],
)
def test_a_plain_filtered_search_does_not_import_the_database_layer(built_kb, query, opens_database):
    """A cold `seckb search` spends most of its time importing: the filters the index holds are
    checked there, so only a citation (or a filter the index lacks) loads SQLAlchemy."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    argv = ["search", "--data", str(built_kb), query, "--state", "MH", "--act", "MH-VPA-1959", "--limit", "2"]
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_AFTER_SEARCH, *argv], capture_output=True, text=True, cwd=root, check=True
    )
    assert "MH-VPA-1959 s.14(1)(j-1)" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == ("SQLALCHEMY" if opens_database else "NO-SQLALCHEMY")


def test_a_lead_in_hit_goes_on_into_its_list(open_kb):
    """MH LAMDA 1986 s.7(1)(d) ends "the question shall be referred—": to whom is in its (i) and (ii)."""
    hits = search(open_kb, SearchRequest(text="disqualification of members", states=("MH",), limit=10)).hits
    hit = next(h for h in hits if h.ref == "MH-MLAMDA-1986 s.7(1)(d)")
    assert hit.text.endswith("the question shall be referred—") and hit.snippet_below
    assert "the question shall be referred— (i) in the case of a councillor of a Municipal Corporation" in hit.snippet


def test_quoted_sub_provisions_keep_document_order_labels_and_closing_words():
    from types import SimpleNamespace as Row

    from kb.build import quoted_text

    def row(id: int, kind: str, label: str, text: str, tail: str = "") -> Row:
        return Row(id=id, kind=kind, label=label, text=text, tail=tail)

    section = row(1, "section", "14", "")
    lead_in = row(2, "subsection", "1", "No person shall be a member who—", tail="shall be disqualified.")
    with_proviso = row(7, "subsection", "3", "A member may resign:")
    children = {
        1: [lead_in, row(5, "subsection", "2", "")],
        2: [
            row(3, "clause", "j-1", "has more than two children;"),
            row(4, "proviso", "proviso 1", "Provided that a child ..."),
        ],
        5: [row(6, "explanation", "explanation 1", "In this section, ...")],
        7: [row(8, "proviso", "proviso 1", "Provided that ...")],
    }
    # No words of its own: its sub-provisions', labelled, in the Act's order, closing words in place.
    assert quoted_text(section, children) == (
        "(1) No person shall be a member who— (j-1) has more than two children; proviso 1 Provided that a child ... "
        "shall be disqualified. (2) Explanation 1 In this section, ..."
    )
    # A lead-in goes on into its list, and its closing words come after the list.
    assert quoted_text(lead_in, children) == (
        "No person shall be a member who— (j-1) has more than two children; proviso 1 Provided that a child ... "
        "shall be disqualified."
    )
    # About ``size`` characters of sub-provisions: a long section's quote stops after the piece that passes it.
    assert quoted_text(section, children, size=10) == "(1) No person shall be a member who—"
    # Words that stand alone (before a proviso, or with nothing under them) are the snippet themselves.
    assert quoted_text(with_proviso, children) == ""
    assert quoted_text(row(3, "clause", "j-1", "has more than two children;"), children) == ""
