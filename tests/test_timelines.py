"""Comparison tables a court would accept (issue 13), one test per class of wrong answer, on the
real rules of the corpus: the law as it stood on a date, earlier wordings, Bills that are not yet
law, judgments, secondary sources shown for what they are, a baseline that means conformity,
explicit bodies, and the new ontology keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from click.testing import CliRunner

from kb.compare import CompareRequest, compare_states
from kb.errors import SeckbError
from kb.model import Cell, ComparisonTable
from kb.render import render_table
from kb.render.cells import legend, view
from kb.vocab import BaselineStatus, CellStatus, SourceGrade

# Field and column names of the code; a reader of the tables must never meet them.
INTERNAL_NAMES = (
    "in_force_from",
    "repealed_on",
    "inherited_via",
    "source_url",
    "evidence_on",
    "stage_date",
    "in_force_by",
    "provision_id",
    "rule_key",
    "secondary:",
    "=None",
)


def _cells(table: ComparisonTable) -> dict[tuple[str, str, str | None], Cell]:
    return {
        (row.key, state, row.body): cell for row in table.rows for state, cell in zip(table.jurisdictions, row.cells)
    }


def _cell(kb, key: str, state: str, body: str, on: dt.date | None = None) -> Cell:
    table = compare_states(kb, CompareRequest(rules=[key], states=[state], body=body, as_of=on))
    return _cells(table)[(key, state, body)]


# ------------------------------------------------------------------ 1. unknown start, commencement, creation


def test_a_state_created_in_2014_has_no_rules_in_2010(open_kb):
    cell = _cell(open_kb, "two_child_norm", "TS", "panchayat", dt.date(2010, 1, 1))
    assert cell.empty and cell.status == CellStatus.DID_NOT_EXIST and "2 June 2014" in cell.note
    for state, day in (("JK", dt.date(2019, 10, 30)), ("LA", dt.date(2019, 10, 30)), ("DH", dt.date(2020, 1, 25))):
        assert _cell(open_kb, "two_child_norm", state, "panchayat", day).status == CellStatus.DID_NOT_EXIST
    for state, day in (("CG", dt.date(2000, 10, 31)), ("JH", dt.date(2000, 11, 14)), ("UK", dt.date(2000, 11, 8))):
        assert _cell(open_kb, "two_child_norm", state, "panchayat", day).status == CellStatus.DID_NOT_EXIST
    assert _cell(open_kb, "two_child_norm", "UK", "panchayat", dt.date(2000, 11, 9)).status != CellStatus.DID_NOT_EXIST


def test_no_two_child_norm_is_law_in_1990(open_kb):
    """Every two-child rule dates from 1994 or later: none may answer "yes" for 1 January 1990."""
    table = compare_states(open_kb, CompareRequest(rules=["two_child_norm"], as_of=dt.date(1990, 1, 1)))
    yes = [(state, row.body) for row in table.rows for state, c in zip(table.jurisdictions, row.cells) if c.value]
    assert yes == []
    mh = _cells(table)[("two_child_norm", "MH", "panchayat")]
    assert mh.status == CellStatus.NOT_YET_IN_FORCE and mh.in_force_from == dt.date(2000, 9, 13)
    hr = _cells(table)[("two_child_norm", "HR", "panchayat")]  # start unknown: known since Javed (2003)
    assert hr.status == CellStatus.NOT_KNOWN_ON_DATE and hr.known_since == dt.date(2003, 7, 30)


def test_art_326_age_was_21_before_the_61st_amendment(open_kb):
    old = _cell(open_kb, "elector_min_age", "IN", "panchayat", dt.date(1985, 1, 1))
    new = _cell(open_kb, "elector_min_age", "IN", "panchayat", dt.date(1989, 3, 28))
    assert (old.value, old.citation, old.status) == ("21", "IN-COI Art.326", CellStatus.SECONDARY)
    assert (new.value, new.citation) == ("18", "IN-COI Art.326")


def test_unknown_start_reads_in_force_at_least_since_its_evidence(open_kb):
    now = _cell(open_kb, "arrears_disqualification", "MH", "panchayat")
    assert now.value == "yes" and now.in_force_from is None and now.known_since == dt.date(2025, 4, 4)
    assert view(now).in_force == "in force at least since 4 April 2025"
    before = _cell(open_kb, "arrears_disqualification", "MH", "panchayat", dt.date(2020, 1, 1))
    assert before.empty and before.status == CellStatus.NOT_KNOWN_ON_DATE
    # before the Act commenced (MN: 23 April 1994) its rules are not in force
    mn = _cell(open_kb, "arrears_disqualification", "MN", "panchayat", dt.date(1990, 1, 1))
    assert mn.status == CellStatus.NOT_YET_IN_FORCE and "23 April 1994" in mn.note


# ------------------------------------------------------------------ 2. earlier wordings


def test_a_clause_reworded_in_2022_answers_2013_with_earlier_wording_not_held(open_kb):
    cell = _cell(open_kb, "candidate_min_age", "MH", "panchayat", dt.date(2013, 6, 1))
    assert cell.empty and cell.status == CellStatus.EARLIER_WORDING_NOT_HELD
    assert cell.citation == "MH-VPA-1959 s.13(2)" and cell.status != CellStatus.NOT_IN_FORCE


def _baseline(kb, key: str, body: str, on: dt.date | None = None) -> Cell:
    """The baseline column's cell for a rule, whether or not any State departs from it."""
    from kb import compare

    with kb.session() as session:
        facts = compare._load_facts(session, [key], [], set())
    return compare._baseline_cell(facts, key, body, on or dt.date.today())


def test_rpa_1950_earlier_versions_answer_from_their_footnotes(open_kb):
    qualifying = _baseline(open_kb, "elector_qualifying_date", "panchayat", dt.date(2020, 1, 1))
    assert qualifying.citation == "IN-RPA-1950 s.14(b)" and qualifying.value.startswith("1 January")
    assert qualifying.repealed_on == dt.date(2022, 8, 1)
    assert _cell(open_kb, "elector_qualifying_date", "MN", "panchayat", dt.date(2020, 1, 1)).value.endswith("1 January")
    age = _cell(open_kb, "elector_min_age", "MH", "panchayat", dt.date(1985, 1, 1))
    assert (age.value, age.citation, age.status) == ("21", "IN-RPA-1950 s.19(a)", CellStatus.INHERITED)
    assert _baseline(open_kb, "elector_min_age", "panchayat", dt.date(1985, 1, 1)).value == "21"


# ------------------------------------------------------------------ 3. legislative stages and judgments


def test_a_bill_passed_but_not_notified_leaves_the_old_rule_with_the_pending_mark(open_kb):
    after = _cell(open_kb, "two_child_norm", "RJ", "panchayat", dt.date(2026, 6, 1))
    assert after.value == "yes" and after.status == CellStatus.SECONDARY
    assert after.pending is not None and after.pending.on == dt.date(2026, 3, 9) and after.pending.value == "no"
    assert view(after).pending.startswith("change pending: Bill passed on 9 March 2026")
    before = _cell(open_kb, "two_child_norm", "RJ", "panchayat", dt.date(2026, 3, 8))
    assert before.pending is None
    education = _cell(open_kb, "education_qualification", "RJ", "panchayat", dt.date(2019, 6, 1))
    assert education.value.startswith("Class 10") and education.pending.on == dt.date(2019, 2, 11)


def test_judgments_are_data_shown_in_cells_and_in_show(open_kb, built_kb):
    # Art. 243F(1)(a) brings the Assembly's conviction rule into panchayat law, never the Cantonments Act's
    cell = _cell(open_kb, "conviction_disqualification", "IN", "panchayat")
    assert (cell.citation, cell.status) == ("IN-RPA-1951 s.8(3)", CellStatus.INHERITED)
    assert cell.inherited_via == ("IN-COI Art.243F(1)(a)",) and "lily-thomas-2013" in [j.id for j in cell.judgments]
    table = compare_states(
        open_kb, CompareRequest(rules=["conviction_disqualification"], states=["MH"], body="panchayat", baseline="IN")
    )
    base = table.rows[0].cells[0]
    lily = [j for j in base.judgments if j.id == "lily-thomas-2013"]
    assert lily and lily[0].effect == "struck down" and lily[0].decided_on == dt.date(2013, 7, 10)
    assert lily[0].court == "Supreme Court of India" and lily[0].citation == "(2013) 7 SCC 653"
    assert "IN-RPA-1951 s.8(4)" in lily[0].provisions
    assert "Lily Thomas v Union of India" in render_table(table, "text")
    earlier = compare_states(
        open_kb,
        CompareRequest(
            rules=["conviction_disqualification"],
            states=["MH"],
            body="panchayat",
            baseline="IN",
            as_of=dt.date(2010, 1, 1),
        ),
    )
    assert not earlier.rows[0].cells[0].judgments  # not yet decided in 2010
    hr = _cell(open_kb, "two_child_norm", "HR", "panchayat")
    assert [j.id for j in hr.judgments] == ["javed-2003"] and hr.judgments[0].effect == "upheld"

    from cli import cli

    result = CliRunner().invoke(cli, ["show", "--data", str(built_kb), "IN-RPA-1951 s.8(4)"])
    assert result.exit_code == 0, result.output
    assert "struck down IN-RPA-1951 s.8(4): Lily Thomas v Union of India, (2013) 7 SCC 653" in result.output


def test_a_court_stay_ends_the_rule_and_names_the_order(open_kb):
    before = _cell(open_kb, "compulsory_voting", "GJ", "municipal", dt.date(2015, 8, 20))
    assert before.value == "yes" and before.ended_by == "stayed by a court" and not before.judgments
    after = _cell(open_kb, "compulsory_voting", "GJ", "municipal", dt.date(2016, 1, 1))
    assert after.empty and after.status == CellStatus.NOT_IN_FORCE and after.ended_by == "stayed by a court"
    assert [j.id for j in after.judgments] == ["gujarat-hc-compulsory-voting-2015"]
    assert view(after).in_force == "stayed by a court on 21 August 2015"
    assert view(after).judgments[0].line.startswith("stayed: K. R. Koshti v State of Gujarat")


# ------------------------------------------------------------------ 4. secondary rules shown as what they are


def test_secondary_rules_are_summaries_with_their_full_graded_source_in_every_format(open_kb, tmp_path):
    from openpyxl import load_workbook

    table = compare_states(open_kb, CompareRequest(rules=["two_child_norm"], states=["AP", "HR"], body="panchayat"))
    ap = _cells(table)[("two_child_norm", "AP", "panchayat")]
    v = view(ap, "AP")
    assert ap.quote == "" and not v.text_is_statute and v.text == ap.summary
    assert v.source and v.source.grade == SourceGrade.NEWS and v.source.news_only
    url = v.source.url
    assert url.startswith("https://thefederal.com/")
    text, md = render_table(table, "text"), render_table(table, "markdown")
    assert f'"{ap.summary}' not in text and f"“{ap.summary}" not in md  # never in quotation marks
    assert "Summary (reviewer's words, not statute text)" in text
    assert "Source (news; news report only)" in text
    assert url in text.replace("\n", "") and url in md
    records = json.loads(render_table(table, "json"))["records"]
    ap_record = next(r for r in records if r["jurisdiction"] == "AP")
    assert ap_record["source_url"] == url and ap_record["source_grade"] == "news" and ap_record["secondary"] is True
    assert ap_record["text_is_statute"] is False
    rows = list(csv.DictReader(io.StringIO(render_table(table, "csv"))))
    assert next(r for r in rows if r["jurisdiction"] == "AP")["source_url"] == url
    render_table(table, "xlsx", tmp_path / "t.xlsx")
    grid = load_workbook(tmp_path / "t.xlsx")["Table"]
    assert url in grid["B2"].value
    hr = view(_cells(table)[("two_child_norm", "HR", "panchayat")])
    assert hr.source.grade == SourceGrade.JUDGMENT and not hr.source.news_only


def test_no_user_facing_text_contains_a_field_name(open_kb):
    table = compare_states(open_kb, CompareRequest(baseline="IN", states=["MH", "MN", "DL", "RJ", "AP", "HR", "TS"]))
    wide = compare_states(open_kb, CompareRequest(states=["MH", "MN", "DL", "RJ", "AP", "HR", "TS", "KA", "IN"]))
    for t_ in (table, wide):
        for fmt in ("text", "markdown"):
            out = render_table(t_, fmt)
            found = [name for name in INTERNAL_NAMES if name in out]
            assert not found, (fmt, found)
        for record in json.loads(render_table(t_, "json"))["records"]:
            words = " ".join(str(record[c] or "") for c in ("note", "text", "in_force", "pending", "baseline_note"))
            assert not [name for name in INTERNAL_NAMES if name in words], record


# ------------------------------------------------------------------ 5. a baseline that means conformity


def test_in_baseline_is_the_assembly_law_and_cites_rpa_1950(open_kb):
    cells = {
        key: _baseline(open_kb, key, "panchayat")
        for key in (
            "elector_qualifying_date",
            "elector_registration_disqualification",
            "elector_min_age",
            "elector_ordinary_residence",
            "elector_roll_source",
            "candidate_min_age",
        )
    }
    assert cells["elector_qualifying_date"].citation == "IN-RPA-1950 s.14(b)"
    assert cells["elector_registration_disqualification"].citation == "IN-RPA-1950 s.16(1)"
    assert cells["elector_min_age"].citation == "IN-RPA-1950 s.19(a)"
    assert cells["elector_ordinary_residence"].citation == "IN-RPA-1950 s.19(b)"
    assert "IN-RPA-1950 s.20" in cells["elector_ordinary_residence"].note
    assert cells["elector_roll_source"].citation == "IN-RPA-1950 s.15"
    assert cells["candidate_min_age"].citation == "IN-COI Art.173(b)"  # the Assembly's 25, not Part IX's 21
    assert not any(c.citation.startswith("IN-CA-2006") for c in cells.values())  # never the Cantonments Act
    assert _baseline(open_kb, "sec_appointment", "sec").citation == "IN-COI Art.243K(1)"
    assert _baseline(open_kb, "sec_removal", "sec").citation == "IN-COI Art.243K(2)"
    assert all(c.baseline_status == BaselineStatus.BASELINE for c in cells.values())


def test_adopting_the_assembly_law_is_conformity_not_departure(open_kb):
    table = compare_states(
        open_kb,
        CompareRequest(
            rules=[
                "inherits_legislature_disqualifications",
                "elector_roll_source",
                "elector_min_age",
                "sec_appointment",
            ],
            states=["MH", "KA"],
            body="panchayat",
            baseline="IN",
        ),
    )
    rows = {row.key: row for row in table.rows}
    assert "elector_min_age" not in rows and "inherits_legislature_disqualifications" not in rows
    from kb import compare as c

    with open_kb.session() as session:
        keys = ["inherits_legislature_disqualifications", "elector_roll_source", "elector_min_age", "sec_appointment"]
        facts = c._load_facts(session, keys, ["MH", "KA"], set())
        today = dt.date.today()
        for key in keys:
            body = "sec" if key == "sec_appointment" else "panchayat"
            base = c._baseline_cell(facts, key, body, today)
            mh = c._against_baseline(c._state_cell(facts, "MH", key, body, today, False), base, key, body, facts, today)
            if key == "sec_appointment":
                assert base.citation == "IN-COI Art.243K(1)"
            else:
                assert mh.baseline_status == BaselineStatus.ADOPTS, key
            ka = c._against_baseline(c._state_cell(facts, "KA", key, body, today, False), base, key, body, facts, today)
            if ka.empty:
                assert ka.baseline_status == BaselineStatus.NOT_COMPARABLE  # excerpt only: nothing to compare


def test_baseline_in_with_states_in_is_refused_in_one_line(open_kb, built_kb):
    with pytest.raises(SeckbError, match="leave IN out of --states"):
        compare_states(open_kb, CompareRequest(states=["IN", "MH"], baseline="IN"))
    from cli import cli

    result = CliRunner().invoke(cli, ["compare", "--data", str(built_kb), "--baseline", "IN", "--states", "IN"])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1 and "leave IN out of --states" in result.output


# ------------------------------------------------------------------ 6. bodies explicit


def test_without_body_each_rule_has_a_row_per_body_and_records_are_typed(open_kb):
    table = compare_states(open_kb, CompareRequest(rules=["two_child_norm", "sec_appointment"], states=["MH", "DL"]))
    bodies = [(row.key, row.body) for row in table.rows]
    assert ("two_child_norm", "panchayat") in bodies and ("two_child_norm", "municipal") in bodies
    assert ("sec_appointment", "sec") in bodies
    for row in table.rows:
        assert all(cell.body == row.body for cell in row.cells)
    mh = _cells(table)
    assert mh[("two_child_norm", "MH", "panchayat")].citation == "MH-VPA-1959 s.14(1)(j-1)"
    assert mh[("two_child_norm", "MH", "municipal")].citation == "MH-MCA-1965 s.16(1)(k)"
    records = json.loads(render_table(table, "json"))["records"]
    assert {r["body"] for r in records} == {"panchayat", "municipal", "sec"}
    assert {r["as_of"] for r in records} == {table.as_of.isoformat()}
    assert all(isinstance(r["secondary"], bool) and isinstance(r["inherited_via"], list) for r in records)
    empty = next(r for r in records if r["value"] is None)
    assert empty["citation"] is None or isinstance(empty["citation"], str)
    rows = list(csv.DictReader(io.StringIO(render_table(table, "csv"))))
    assert {r["secondary"] for r in rows} <= {"true", "false"} and rows[0]["body"]
    assert "every body (a row per body)" in render_table(table, "text")


# ------------------------------------------------------------------ 7. ontology keys and one vocabulary


@pytest.mark.parametrize(
    ("key", "state", "body", "citation"),
    [
        ("state_added_disqualifications", "IN", "panchayat", "IN-COI Art.243F(1)(b)"),
        ("state_added_disqualifications", "IN", "municipal", "IN-COI Art.243V(1)(b)"),
        ("state_added_disqualifications", "MH", "panchayat", "MH-VPA-1959 s.14(1)"),
        ("state_added_disqualifications", "MN", "panchayat", "MN-PRA-1994 s.101(1)"),
        ("disqualification_decided_by", "IN", "panchayat", "IN-COI Art.243F(2)"),
        ("disqualification_decided_by", "MH", "panchayat", "MH-VPA-1959 s.16(2)"),
        ("disqualification_decided_by", "MH", "municipal", "MH-MCA-1965 s.44(3)"),
        ("disqualification_decided_by", "MN", "panchayat", "MN-PRA-1994 s.101(2)"),
        ("disqualification_decided_by", "DL", "municipal", "DL-DMCA-1957 s.33(3)"),
        ("dual_office", "MN", "panchayat", "MN-PRA-1994 s.101(3)"),
        ("member_continuing_residence", "MN", "panchayat", "MN-PRA-1994 s.4(2)"),
        ("member_continuing_residence", "KL", "panchayat", "KL-KPRA-1994 s.35"),
    ],
)
def test_new_ontology_keys_have_verified_rules(open_kb, key, state, body, citation):
    cell = _cell(open_kb, key, state, body)
    assert cell.citation == citation and cell.status == CellStatus.VERIFIED and cell.quote


def test_every_status_word_is_in_every_legend(open_kb, tmp_path):
    from openpyxl import load_workbook

    table = compare_states(open_kb, CompareRequest(rules=["two_child_norm"], states=["MH", "KA"], baseline="IN"))
    words = [word for word, _ in legend(table)]
    assert all(status.value in words for status in CellStatus)
    text, md = render_table(table, "text"), render_table(table, "markdown")
    legend_json = json.loads(render_table(table, "json"))["legend"]
    render_table(table, "xlsx", tmp_path / "t.xlsx")
    about = [row[0] for row in load_workbook(tmp_path / "t.xlsx")["About"].iter_rows(values_only=True)]
    for status in CellStatus:
        assert f"{status.value}: {status.explanation}" in re.sub(r"\s+", " ", text)
        assert status.value in md
        assert status.value in [entry["word"] for entry in legend_json]
        assert status.value in about
