"""The provision trees of the real corpus, checked against what the documents contain.

Expected labels were read off the documents themselves (the MH VPA PDF text layer, the
Constitution JSON, the RPA 1950 India Code text), not from seckb's own output.
"""

from __future__ import annotations

from sqlalchemy import select

from kb.store import tables as t


def _paths(kb, act_id: str, prefix: str) -> list[str]:
    with kb.session() as session:
        rows = session.scalars(
            select(t.Provision.path).where(t.Provision.act_id == act_id).order_by(t.Provision.ord)
        ).all()
    return [p for p in rows if p == prefix or p.startswith(prefix + "(") or p.startswith(prefix + " ")]


def test_mh_vpa_s14_1_clauses(open_kb):
    paths = _paths(open_kb, "MH-VPA-1959", "14(1)")
    clauses = [p.split("(")[2].rstrip(")") for p in paths if p.count("(") == 2 and " " not in p]
    assert clauses == [
        "a",
        "a-1",
        "b",
        "c",
        "c-1",
        "d",
        "e",
        "f",
        "g",
        "h",
        "h-1",
        "i",
        "j",
        "j-1",
        "j-2",
        "j-3",
        "j-4",
        "j-5",
        "k",
    ]
    # Provisos sit on the clauses they qualify; sub-clauses on theirs.
    for path in [
        "14(1)(a-1) proviso 1",
        "14(1)(j-1) proviso 1",
        "14(1)(j-1) proviso 2",
        "14(1)(j-5) proviso 1",
        "14(1)(j-5) proviso 2",
        "14(1)(a)(i)",
        "14(1)(a)(ii)",
        "14(1)(j-5)(i)",
        "14(1)(j-5)(ii)",
    ]:
        assert path in paths
    explanations = sorted({p.split(" ", 1)[1].split("(")[0] for p in paths if "Explanation" in p})
    assert explanations == [
        "Explanation 1",
        "Explanation 1A",
        "Explanation 2",
        "Explanation 3",
        "Explanation 4",
        "Explanation 5",
    ]


def test_mh_vpa_s13_subsections(open_kb):
    paths = _paths(open_kb, "MH-VPA-1959", "13")
    assert [p for p in paths if p.count("(") == 1] == ["13(1)", "13(2)", "13(2A)", "13(3)"]


def test_constitution_243f(open_kb):
    assert _paths(open_kb, "IN-COI", "243F") == [
        "243F",
        "243F(1)",
        "243F(1)(a)",
        "243F(1)(a) proviso 1",
        "243F(1)(b)",
        "243F(2)",
    ]


def test_rpa_1950_s19_s20(open_kb):
    assert _paths(open_kb, "IN-RPA-1950", "19") == ["19", "19(a)", "19(b)"]
    subsections = [p for p in _paths(open_kb, "IN-RPA-1950", "20") if p.count("(") == 1]
    assert subsections == ["20(1)", "20(1A)", "20(1B)", "20(2)", "20(3)", "20(4)", "20(5)", "20(6)", "20(7)", "20(8)"]


def test_amendment_note_joined_to_footnote(open_kb):
    with open_kb.session() as session:
        row = session.scalar(select(t.Provision).where(t.Provision.ref == "MH-VPA-1959 s.14(1)(j-1)"))
        summaries = [n.summary for n in row.notes]
    assert any("Mah. 44 of 2000" in s and "inserted" in s for s in summaries), summaries


def test_no_marker_left_in_text(open_kb):
    with open_kb.session() as session:
        leftovers = session.scalars(
            select(t.Provision.ref).where(
                t.Provision.text.regexp_match(r"\^[0-9A-Za-z-]+\[") if False else t.Provision.text.like("%^%[%")
            )
        ).all()
    assert leftovers == []


def test_every_document_has_provenance(open_kb):
    with open_kb.session() as session:
        docs = session.scalars(select(t.SourceDocument)).all()
    assert len(docs) >= 20
    for doc in docs:
        assert len(doc.sha256) == 64 and doc.format and doc.path
        assert doc.source_url, doc.path
    pdfs = {d.path: d.text_as_on for d in docs if d.format == "pdf"}
    assert str(pdfs["maharashtra/village-panchayats-act-1959.pdf"]) == "2025-04-04"
    assert all(d.partial for d in docs if d.format == "excerpt-txt")


def _provision(kb, act_id: str, path: str) -> t.Provision:
    with kb.session() as session:
        row = session.scalars(select(t.Provision).where(t.Provision.act_id == act_id, t.Provision.path == path)).one()
        session.expunge(row)
        return row


def test_closing_words_complete_the_sub_section_whose_list_they_end(open_kb):
    # RPA 1951 s.100(1): "if the High Court is of opinion— (a) ...; or (d) ... materially affected—
    # (i) ... (iv) ... under this Act, / the High Court shall declare the election ... to be void."
    # India Code's file puts an omission marker ("^8***") alone on a line in sub-section (2), which
    # once made every line of the section read as a wrapped line.
    assert _provision(open_kb, "IN-RPA-1951", "100(1)").tail == (
        "the High Court shall declare the election of the returned candidate to be void."
    )
    assert _provision(open_kb, "IN-RPA-1951", "100(1)(d)").tail == ""
    assert _provision(open_kb, "IN-RPA-1951", "100(1)(d)(iv)").text.endswith("rules or orders made under this Act,")
    assert _provision(open_kb, "IN-RPA-1951", "100(2)").tail.startswith("then the High Court may decide")
    assert _provision(open_kb, "DL-DMCA-1957", "17(1)").tail.startswith("the court shall declare the election")
    assert _provision(open_kb, "DL-DMCA-1957", "99(1)(j)").text.endswith("from any other source whatsoever,")


def test_words_that_go_on_describing_an_item_stay_with_it(open_kb):
    # RPA 1951 s.52(1): "(b) ... dies, / and in either case, a report of his death is received ...;
    # or / (c) ..., / the returning officer shall ... adjourn the poll".
    clause_b = _provision(open_kb, "IN-RPA-1951", "52(1)(b)")
    assert clause_b.text.endswith(
        "dies, and in either case, a report of his death is received at any time before the publication of the list of contesting candidates under section 38; or"
    )
    assert _provision(open_kb, "IN-RPA-1951", "52(1)").tail.startswith("the returning officer shall")
    # A wrapped line followed by the next item is the item's own: MH MCA s.21(2)(b) (PDF text layer).
    assert _provision(open_kb, "MH-MCA-1965", "21(2)(b)").text.endswith(
        "on which the election, or nomination is called in question; and"
    )
    assert _provision(open_kb, "MH-MCA-1965", "21(2)").tail == ""


def test_roman_numerals_that_group_clauses_hold_them(open_kb):
    # MH VPA s.38(2): "(i) the Sarpanch shall— (a) ...; (ii) the Upa-Sarpanch shall,— (a) ...".
    paths = _paths(open_kb, "MH-VPA-1959", "38(2)")
    assert "38(2)(ii)(a)" in paths and "38(2)(i)(m)" in paths
    assert not any(p.startswith("38(2)(a") for p in paths)
    assert _provision(open_kb, "MH-VPA-1959", "38(2)(ii)(a)").text.startswith("in the absence of the Sarpanch")
    # RPA 1951 s.75A Explanation: "(iv) "bank" referred to in clause (iii) means— (a) State Bank ...".
    assert _provision(open_kb, "IN-RPA-1951", "75A Explanation(iv)(a)").text.startswith("State Bank of India")


def test_a_heading_repeated_without_its_number_is_not_provision_text(open_kb):
    # India Code: "^1[Fresh poll in the case of destruction, etc., of ballot boxes.(1) If at any
    # election," and "Parties to the petition.—A petitioner shall join ...".
    assert _provision(open_kb, "IN-RPA-1951", "58").text == ""
    assert _provision(open_kb, "IN-RPA-1951", "58(1)").text == "If at any election,"
    assert _provision(open_kb, "IN-RPA-1951", "82").text.startswith("A petitioner shall join as respondents")
    assert _provision(open_kb, "DL-DMCA-1957", "42").text.startswith("Subject to the provisions of this Act")


def test_a_series_of_provisos_stays_together(open_kb):
    # MH VPA s.35(3)(a): "Provided that ... :" / "Provided further that, ... the officer authorised
    # under this sub-section shall ... :] Provided also that, where the office of the Sarpanch ..."
    # ("this sub-section" in passing does not lift a further proviso; a bracket left before
    # "Provided" does not hide it).
    paths = _paths(open_kb, "MH-VPA-1959", "35(3)")
    assert [p for p in paths if "proviso" in p] == [f"35(3)(a) proviso {n}" for n in range(1, 6)]
    woman = _provision(open_kb, "MH-VPA-1959", "35(3)(a) proviso 3")
    assert woman.text.startswith("Provided also that, where the office of the Sarpanch being reserved for a woman")


def test_a_proviso_on_the_other_items_of_a_list_qualifies_the_whole_list(open_kb):
    # MN PRA s.101(1): after clause (j), "Provided that,— (a) the disqualification in clause (b)
    # shall cease ...; (d) ... under clause (h) ...": a proviso to sub-section (1), not to (j).
    paths = _paths(open_kb, "MN-PRA-1994", "101(1)")
    assert "101(1) proviso 1(d)(ii)" in paths
    assert not [p for p in paths if p.startswith("101(1)(j) proviso")]
    # Cantonments Act s.29(3): after clause (i), "Provided that a person shall not be deemed to have
    # any interest in such a contract or work as is referred to in clause (h) ..." qualifies (h).
    assert _provision(open_kb, "IN-CA-2006", "29(3) proviso 1(c)").text.startswith("any newspaper")
    # But MN PRA s.49(c)'s proviso on "a Pradhan who was a member under this clause" stays with (c).
    assert _provision(open_kb, "MN-PRA-1994", "49(c) proviso 1").text.startswith("Provided that when the total")
    # MH MCA s.44(1): "Provided that— (i) ... under clause (c) ...; (ii) for the purpose of clause (d) ...".
    assert _provision(open_kb, "MH-MCA-1965", "44(1) proviso 1(ii)").text.startswith("for the purpose of clause (d)")


def test_a_proviso_to_this_explanation_is_the_explanations(open_kb):
    # Art. 330: "Explanation.—In this article ... the expression "population" means ...: Provided that
    # the reference in this Explanation to the last preceding census ...".
    proviso = _provision(open_kb, "IN-COI", "330 Explanation proviso 1")
    assert proviso.text.startswith("Provided that the reference in this Explanation")
    assert "330 proviso 1" not in _paths(open_kb, "IN-COI", "330")


def test_a_list_inside_closing_words_is_read_in_order(open_kb):
    # RPA 1951 s.8(1): "(a) ... (n) the Prevention of Terrorism Act, 2002 (15 of 2002), / shall be
    # disqualified, where the convicted person is sentenced to— / (i) only fine ...; (ii) imprisonment ...".
    # The sentences are the sub-section's, not clause (n)'s, and there is no "s.8(1)(n)(i)".
    sub = _provision(open_kb, "IN-RPA-1951", "8(1)")
    assert sub.tail.startswith("shall be disqualified, where the convicted person is sentenced to")
    assert "(i) only fine, for a period of six years" in sub.tail and "(ii) imprisonment" in sub.tail
    assert _provision(open_kb, "IN-RPA-1951", "8(1)(n)").text == "the Prevention of Terrorism Act, 2002 (15 of 2002),"
    assert not [p for p in _paths(open_kb, "IN-RPA-1951", "8(1)") if p.startswith("8(1)(n)(")]


def test_a_list_numbered_afresh_inside_its_lead_in_is_its_own(open_kb):
    # Cantonments Act s.30(2): "The following shall be deemed to be corrupt practices ..., namely:--
    # (1) "bribery" ... (2) Undue influence ... (7) ...". Not a second s.30(1), nor s.30(3)-(7).
    paths = _paths(open_kb, "IN-CA-2006", "30")
    assert {"30(2)(1)", "30(2)(1)(A)(a)", "30(2)(2) proviso 1", "30(2)(6) proviso 2", "30(2)(7)"} <= set(paths)
    assert "30(3)" not in paths and not [p for p in paths if "dup" in p]
    assert _provision(open_kb, "IN-CA-2006", "30(2)(1)").text.startswith('"bribery" that is to say')
    # MH VPA s.30(1A)(a): "for sub-section (1), the following sub-section shall be substituted,
    # namely :— (1) Every panchayat shall be presided over by a Sarpanch".
    assert (
        _provision(open_kb, "MH-VPA-1959", "30(1A)(a)(1)").text
        == "Every panchayat shall be presided over by a Sarpanch"
    )
    # A quoted sub-section ends at its closing quote: MH MCA s.51A(7) is the Act's own again.
    mca = _paths(open_kb, "MH-MCA-1965", "51A")
    assert "51A(6A)(ii)(6)" in mca
    assert _provision(open_kb, "MH-MCA-1965", "51A(7)").text.startswith("If there is any vacancy in the office")


def test_headings_that_group_a_list_hold_its_items(open_kb):
    # DMC s.481(1): "... namely:-- / A. Bye-laws relating to taxation / (1) ... (9) ... / E. Bye-laws
    # relating to streets / (1) ...", and s.481(2) after the last group is the section's again.
    assert _provision(open_kb, "DL-DMCA-1957", "481(1)(A)").text == "Bye-laws relating to taxation"
    assert _provision(open_kb, "DL-DMCA-1957", "481(1)(E)(1)").text.startswith("the closure of streets")
    # Group L's first item is omitted ("* * *"): its "(2)" is still L's.
    assert _provision(open_kb, "DL-DMCA-1957", "481(1)(L)(2)").text.startswith("the circumstances and the manner")
    assert _provision(open_kb, "DL-DMCA-1957", "481(2)").text.startswith("Any bye-law which may be made")
    # MN PRA s.61(2): "1. AGRICULTURE AND AGRICULTURAL EXTENSION: / (i) ..."; the next heading is
    # no longer glued to the item before it.
    assert _provision(open_kb, "MN-PRA-1994", "61(2)(1)(vi)").text == "promotion of agricultural extension works."
    assert _provision(open_kb, "MN-PRA-1994", "61(2)(2)").text.startswith("IRRIGATION GROUND WATER")
    # NDMC s.388(1) G: a heading over a paragraph, not over numbered items.
    assert _provision(open_kb, "DL-NDMCA-1994", "388(1)(G)").text.startswith("Bye-laws relating to public safety")


def test_no_label_is_invented_for_a_repeated_number(open_kb):
    # Each "-dupN" label left stands for a number the source itself prints twice: MH MCA s.237 lists
    # "(vi) Cholera" where (iv) is meant, s.340(2)(e) repeats a run of lines on a page break, and
    # two amendments each inserted an "(i-a)" in MH VPA s.38(2)(i) (see the test below).
    # The rest came from the parser: "(1) ^1[(1) All streets" (DMC s.298), a table's column numbers
    # "(1) (2)" (MH MCA s.9(2)(a)), and the lists above.
    with open_kb.session() as session:
        refs = session.scalars(select(t.Provision.ref).where(t.Provision.ref.contains("dup"))).all()
    assert sorted(ref for ref in refs if "(i-adup2)" not in ref) == [
        "MH-MCA-1965 s.237(vi-dup2)",
        "MH-MCA-1965 s.340(2)(e)(xi-dup2)",
    ]
    assert _provision(open_kb, "DL-DMCA-1957", "298(1)").text.startswith("All streets within the jurisdiction")
    assert _provision(open_kb, "MH-MCA-1965", "9(2)(a)(i)").text.startswith("\u2018A\u2019 Class The minimum number")


def test_labels_inserted_after_a_roman_numeral_or_a_letter(open_kb):
    # MH VPA s.124(1): "(i) a tax on building ...; ^[(i-a) a betterment charges ...; (i-aa) the Local
    # Panchayat Tax ;]"; s.176(2)(ii-a) (rules on wards); MH MCA s.326(2)(b-i) (notice by
    # electronic media). They were glued to the text of the item before.
    assert _provision(open_kb, "MH-VPA-1959", "124(1)(i-aa)").text == "the Local Panchayat Tax ;"
    assert _provision(open_kb, "MH-VPA-1959", "124(1)(i)").text.endswith("within the limits of the village ;")
    assert _provision(open_kb, "MH-VPA-1959", "176(2)(ii-a)").text.startswith(
        "under clause (b) of sub-section (1) of section 10"
    )
    assert _provision(open_kb, "MH-MCA-1965", "326(2)(b-i)").text.startswith(
        "by any other mode, including electronic media"
    )
    # MH VPA s.38(2)(i) has two "(i-a)"; the second holds (a)-(c), and (j) is (i)'s again.
    assert _provision(open_kb, "MH-VPA-1959", "38(2)(i)(i-a)").text.startswith("a Sarpanch may issue")
    assert _provision(open_kb, "MH-VPA-1959", "38(2)(i)(i-adup2)(b)").text == "prepare the annual budget of panchayat ;"
    assert _provision(open_kb, "MH-VPA-1959", "38(2)(i)(j)").text.startswith("call meeting of Gram Sabha")


def test_a_list_whose_labels_the_source_lost_stays_whole(open_kb):
    # Kerala KPRA s.34 as the web page gives it: "1. A person shall be disqualified ... if he - / 1. is
    # so disqualified ... / 2. (i) has been sentenced ... (ii) has been found guilty ...". In the Act
    # "(ii)" is s.34(1)(b)(ii); the parser once made it "s.34(ii)", a citation that does not exist.
    assert _paths(open_kb, "KL-KPRA-1994", "34") == ["34"]
    assert _paths(open_kb, "KL-KPRA-1994", "35") == ["35"]
    s34 = _provision(open_kb, "KL-KPRA-1994", "34")
    assert "2. (i) has been sentenced by a court or Tribunal" in s34.text and "(ii) has been found guilty" in s34.text
    # The footnote number before "(on the date of filing of nomination)" is not part of the age.
    s29 = _provision(open_kb, "KL-KPRA-1994", "29")
    assert "his twenty-first year of age (on the date of filing of nomination);" in s29.text


def test_an_item_after_and_or_or_on_the_line_before_is_its_own(open_kb):
    # COI Art.170(3) third proviso: "(i) ... on the basis of the 1971 census; and (ii) the division of
    # such State into territorial constituencies ..." came as one line; RER r.27(1): "... (iii) paid
    # in such other manner ...; and (c) presented to the chief electoral officer within ... fifteen
    # days ...: Provided that the chief electoral officer may condone the delay ...".
    assert _provision(open_kb, "IN-COI", "170(3) proviso 3(i)").text.endswith("on the basis of the 1971 census; and")
    assert _provision(open_kb, "IN-COI", "170(3) proviso 3(ii)").text.startswith("the division of such State")
    assert _provision(open_kb, "IN-RER-1960", "27(1)(c)").text.startswith("presented to the chief electoral officer")
    assert _provision(open_kb, "IN-RER-1960", "27(1)(c) proviso 1").text.startswith(
        "Provided that the chief electoral officer may condone"
    )
    assert "27(1)(b)(iii) proviso 1" not in _paths(open_kb, "IN-RER-1960", "27")


def test_an_explanation_behind_a_stray_quote_is_an_explanation(open_kb):
    # Cantonments Act s.28(1) (qualification of electors) prints '"Explanation.--When any place is
    # declared a cantonment ...'; the quote kept the Explanation inside the sub-section's text.
    paths = _paths(open_kb, "IN-CA-2006", "28")
    assert "28(1) Explanation" in paths
    assert _provision(open_kb, "IN-CA-2006", "28(1) Explanation").text.startswith(
        "When any place is declared a cantonment"
    )
    assert "Explanation" not in _provision(open_kb, "IN-CA-2006", "28(1)").text


def test_a_section_that_calls_its_numbered_units_clauses(open_kb):
    # RPA 1951 s.123 speaks of "clause (7)" and "clause (8)" of itself: "For the purposes of this
    # clause the term "gratification" ..." after (1)(B)(b) is the Explanation to clause (1), bribery.
    assert _provision(open_kb, "IN-RPA-1951", "123(1) Explanation").text.startswith(
        "For the purposes of this clause the term"
    )
    # The Explanation after clause (8), whose items say "In this section ..." and "For the purposes
    # of clause (7) ...", is the section's.
    assert _provision(open_kb, "IN-RPA-1951", "123 Explanation(1)").text.startswith("In this section the expression")
    assert _provision(open_kb, "IN-RPA-1951", "123 Explanation(4)").text.startswith("For the purposes of clause (8)")
    assert not [p for p in _paths(open_kb, "IN-RPA-1951", "123") if p.startswith(("123(8) Expl", "123(1)(B)(b) Expl"))]


def test_a_list_whose_first_items_are_omitted_starts_with_roman_numerals(open_kb):
    # MH VPA s.176(2): "(i) * * * / (ii) under sub-section (1) of section 7 ... (iii) ... (iv) under
    # section 11 ...". "(ii)" first was read as a doubled letter, and (iv)-(xxxix) became items of (iii).
    paths = _paths(open_kb, "MH-VPA-1959", "176")
    assert _provision(open_kb, "MH-VPA-1959", "176(2)(iv)").text.startswith("under section 11, prescribing")
    assert _provision(open_kb, "MH-VPA-1959", "176(2)(xliii)").text.startswith("under section 166")
    assert not [p for p in paths if p.startswith("176(2)(iii)(")]


def test_a_sub_section_after_an_unnumbered_opening_is_the_sections(open_kb):
    # NDMC s.33: "The Council shall appoint ...: Provided that ... / (2) The appointment ..." (the
    # source lost the "(1)"); RPA 1951 s.95 "[(1) No witness shall be excused ...": an amendment's
    # bracket before the label. Both (2)s had been cited as items of the proviso.
    assert _provision(open_kb, "DL-NDMCA-1994", "33(2)").text.startswith("The appointment of the Secretary")
    assert _provision(open_kb, "IN-RPA-1951", "95(1)").text.startswith("No witness shall be excused")
    assert _provision(open_kb, "IN-RPA-1951", "95(2)").text.startswith("When a certificate of indemnity")
    assert _provision(open_kb, "MH-MCA-1965", "52(2)").text.startswith("Notwithstanding anything contained")
    assert not [p for p in _paths(open_kb, "DL-NDMCA-1994", "33") if "proviso 1(" in p]
    # NDMC s.372: "(ii) for the purposes of all matters other than-- / (1) matters referred to in
    # section 42 of that Code, and / (2) arrest of a person ...": (ii)'s own list, not sub-sections.
    assert _provision(open_kb, "DL-NDMCA-1994", "372(b)(ii)(2)").text.startswith("arrest of a person")
    assert not [p for p in _paths(open_kb, "DL-NDMCA-1994", "372") if p.startswith("372(1)")]


def test_a_list_goes_on_after_an_explanation_on_the_whole_article(open_kb):
    # Art. 370(1): "(b) ... (ii) ...; Explanation.—For the purposes of this article ... / (c) the
    # provisions of article 1 ...": (c) and (d) are clause (1)'s, not the Explanation's.
    assert _provision(open_kb, "IN-COI", "370(1)(c)").text.startswith("the provisions of article 1")
    assert _provision(open_kb, "IN-COI", "370 Explanation").text.startswith("For the purposes of this article")
    assert not [p for p in _paths(open_kb, "IN-COI", "370") if p.startswith("370 Explanation(")]


def test_a_label_that_lost_its_bracket_or_follows_a_tripled_letter(open_kb):
    # Art. 51A: "(b) to cherish ...; / c) to uphold and protect the sovereignty ..."; RPA 1950
    # s.28(2): "(hhh) ... / (i) any other matter required to be prescribed by this Act."
    assert _provision(open_kb, "IN-COI", "51A(c)").text.startswith("to uphold and protect the sovereignty")
    assert _provision(open_kb, "IN-COI", "51A(b)").text.endswith("our national struggle for freedom;")
    assert _provision(open_kb, "IN-RPA-1950", "28(2)(i)").text.startswith("any other matter required")
    # A label glued to its words once the amendment marker is gone ("(c)^5[coercing or intimidating",
    # RPA 1951 s.135A, booth capturing; "(x)^p84-2[under entry 44", MH VPA s.176(2)) or printed with
    # a doubled bracket ("^7[(jj)) the maintenance ... of the hospitals", DMC s.42).
    assert _provision(open_kb, "IN-RPA-1951", "135A(1) Explanation(c)").text.startswith("coercing or intimidating")
    assert _provision(open_kb, "MH-VPA-1959", "176(2)(x)").text.startswith("under entry 44 of Schedule I")
    assert _provision(open_kb, "MH-VPA-1959", "176(2)(xliii-a)").text.startswith("under section 168A")
    assert _provision(open_kb, "DL-DMCA-1957", "42(jj)").text.startswith("the maintenance including the expansion")
    assert _provision(open_kb, "DL-DMCA-1957", "42(j)").text.endswith("necessary for public medical relief;")
    # Clauses inserted after a tripled letter: RPA 1950 s.28(2)(hhha), rules on intimating Aadhaar.
    assert _provision(open_kb, "IN-RPA-1950", "28(2)(hhha)").text.startswith("the authority and the form and manner")
    assert _provision(open_kb, "IN-RPA-1950", "28(2)(hhhb)").text.startswith("the sufficient cause")
    # An inserted definition numbered "(18-A1)" after "(18)" (MH MCA s.2, "importer").
    # The PDF's font gives ―importer‖ for the printed “importer”: read as printed.
    assert _provision(open_kb, "MH-MCA-1965", "2(18-A1)").text.startswith("\u201cimporter\u201d means")


def test_a_heading_repeated_behind_an_amendment_bracket_is_not_text(open_kb):
    # RPA 1950 "[7A. Total number of seats in the Legislative Assembly of Sikkim ...--(1)
    # Notwithstanding ...": the heading is not the section's words, and (1) is its first sub-section.
    assert _provision(open_kb, "IN-RPA-1950", "7A(1)").text.startswith(
        "Notwithstanding anything contained in section 7"
    )
    assert _provision(open_kb, "IN-RPA-1951", "33B").text.startswith(
        "Notwithstanding anything contained in any judgment"
    )
    assert _provision(open_kb, "DL-DMCA-1957", "114E").text.startswith("Save as otherwise provided in this Act")


def test_a_label_after_a_headings_dashes_is_split(open_kb):
    # India Code's RPA 1951 s.33A opens "33. Presentation of nomination paper ... for a valid
    # nomination.--(1) A candidate shall ... furnish the information as to whether-- (i) he is accused
    # ...": the disclosure of criminal antecedents is s.33A(1)(i), not "s.33A(i)". So is s.99(1)(a)(ii)
    # (naming those guilty of corrupt practices), after "Other orders to be made by ]the High Court].--".
    assert _provision(open_kb, "IN-RPA-1951", "33A(1)").text.startswith("A candidate shall, apart from any information")
    assert _provision(open_kb, "IN-RPA-1951", "33A(1)(i)").text.startswith("he is accused of any offence")
    assert _provision(open_kb, "IN-RPA-1951", "99(1)(a)(ii)").text.startswith("the names of all persons")
    assert not [p for p in _paths(open_kb, "IN-RPA-1951", "33A") if p.startswith("33A(i")]


def test_provisos_after_an_omitted_clause_and_a_numbered_inserted_roman(open_kb):
    # MH MCA s.105(1): "(d) a tax on cinemas ...; (e) * * *: Provided that, the maximum and minimum
    # rates ...": clause (e) was deleted in 2017, so its provisos are sub-section (1)'s, not (d)'s.
    assert _provision(open_kb, "MH-MCA-1965", "105(1) proviso 1").text.startswith(
        "Provided that, the maximum and minimum rates"
    )
    assert _provision(open_kb, "MH-MCA-1965", "105(1)(e)").text == ""
    assert not [p for p in _paths(open_kb, "MH-MCA-1965", "105") if p.startswith("105(1)(d) ")]
    # MH VPA s.176(2)(xii-1a), the rules on building permission under s.52, had been glued into (xii).
    assert _provision(open_kb, "MH-VPA-1959", "176(2)(xii-1a)").text.startswith("under sub-sections (1) and (1A)")
    assert _provision(open_kb, "MH-VPA-1959", "176(2)(xii)").text.endswith("public road or street ;")
    # Art. 300(2): "...; and (" then "b) any legal proceedings": the bracket is (b)'s.
    assert _provision(open_kb, "IN-COI", "300(2)(a)").text.endswith("in those proceedings; and")
    # Art. 359(1B)(b) "... containing such a recital.(" before "(2) An order ...": a stray bracket.
    assert _provision(open_kb, "IN-COI", "359(1B)(b)").text.endswith("containing such a recital.")
    # RPA 1950 s.8A repeats its heading with "Pradesh" where the heading has "Pardesh".
    assert _provision(open_kb, "IN-RPA-1950", "8A").text == ""
    assert _provision(open_kb, "IN-RPA-1950", "8A(1)").text.startswith("If the President is satisfied")
