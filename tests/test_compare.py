"""`seckb compare` and kb.compare.compare_states on the real corpus, on SQLite and PostgreSQL.

Cells are checked against the statute texts themselves: a filled cell's citation must resolve in
the knowledge base and its quote must occur in that provision's whole text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kb.compare import CATALOGUED_ONLY, CompareRequest, compare_states
from kb.model import Cell, ComparisonTable
from kb.render import render_bytes, render_table
from kb.render.records import COLUMNS, flat, table_records
from kb.resolve import resolve_citation
from kb.store import tables as t
from kb.vocab import BaselineStatus, CellStatus

DISQ = "candidate-disqualification"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _subtree_text(session, provision: t.Provision) -> str:
    """The provision's heading, text, descendants and tail, whitespace-normalised."""
    parts = [provision.heading, provision.text]
    children = session.scalars(
        select(t.Provision).where(t.Provision.parent_id == provision.id).order_by(t.Provision.ord)
    )
    parts += [_subtree_text(session, child) for child in children]
    parts.append(provision.tail)
    return _norm(" ".join(p for p in parts if p))


def _cells(table: ComparisonTable) -> dict[tuple[str, str], Cell]:
    return {(row.key, state): cell for row in table.rows for state, cell in zip(table.jurisdictions, row.cells)}


def _compare(kb, **kw) -> ComparisonTable:
    return compare_states(kb, CompareRequest(**kw))


@pytest.mark.parametrize("body", ["panchayat", "municipal"])
def test_every_verified_cell_cites_a_provision_containing_its_quote(open_kb, body):
    table = _compare(open_kb, topics=[DISQ], states=["MH", "MN", "DL"], body=body)
    assert table.jurisdictions == ("MH", "MN", "DL")
    filled = [(key, state, cell) for (key, state), cell in _cells(table).items() if not cell.empty]
    assert len(filled) >= 15
    with open_kb.session() as session:
        for key, state, cell in filled:
            if cell.secondary:
                continue
            provision = resolve_citation(session, cell.citation)
            assert provision.ref == cell.citation, (key, state)
            assert _norm(cell.quote) in _subtree_text(session, provision), (key, state, cell.citation)
            for link in cell.inherited_via:
                resolve_citation(session, link)  # every link of the chain resolves too


def test_the_acts_own_rules_are_listed(open_kb):
    cells = _cells(_compare(open_kb, topics=[DISQ], states=["MH", "MN", "DL"], body="panchayat"))
    assert cells[("two_child_norm", "MH")].citation == "MH-VPA-1959 s.14(1)(j-1)"
    assert cells[("arrears_disqualification", "MN")].citation == "MN-PRA-1994 s.101(1)(j)"
    municipal = _cells(_compare(open_kb, topics=[DISQ], states=["MH", "DL"], body="municipal"))
    assert municipal[("two_child_norm", "MH")].citation == "MH-MCA-1965 s.16(1)(k)"
    assert municipal[("contract_with_body", "DL")].citation == "DL-DMCA-1957 s.9(1)(i)"


def test_empty_cells_say_why_and_never_guess(open_kb):
    cells = _cells(_compare(open_kb, topics=[DISQ], states=["MH", "MN", "DL"], body="panchayat"))
    # MN's panchayat Act is held, and nobody has recorded a two-child rule for it: not "no provision"
    mn = cells[("two_child_norm", "MN")]
    assert mn.empty and mn.status == CellStatus.NOT_REVIEWED and mn.body == "panchayat"
    # Delhi's panchayat Act is catalogued, its text is not in the corpus
    for key in ("two_child_norm", "unsound_mind", "conviction_disqualification"):
        cell = cells[(key, "DL")]
        assert cell.empty and cell.citation is None and cell.status == CellStatus.CATALOGUED
    municipal = _cells(_compare(open_kb, topics=[DISQ], states=["MN", "DL", "KA"], body="municipal"))
    assert municipal[("two_child_norm", "DL")].status == CellStatus.NOT_REVIEWED  # DMC Act is in the corpus
    assert municipal[("two_child_norm", "MN")].status == CATALOGUED_ONLY
    panchayat_ka = _cells(_compare(open_kb, rules=["two_child_norm"], states=["KA"], body="panchayat"))
    assert panchayat_ka[("two_child_norm", "KA")].status == CellStatus.EXCERPT_ONLY  # only ss.11-12 are held


def test_as_of_follows_commencement_dates(open_kb):
    before = _cells(
        _compare(open_kb, rules=["toilet_requirement"], states=["MH"], body="panchayat", as_of=dt.date(2010, 1, 1))
    )[("toilet_requirement", "MH")]
    after = _cells(_compare(open_kb, rules=["toilet_requirement"], states=["MH"], body="panchayat"))
    assert before.empty and before.status == CellStatus.NOT_YET_IN_FORCE
    assert before.in_force_from == dt.date(2011, 1, 10) and before.citation == "MH-VPA-1959 s.14(1)(j-5)"
    assert after[("toilet_requirement", "MH")].value == "yes"
    # the qualifying date of the adopted Assembly roll: 1 January until 31 July 2022, four dates after
    old = _cells(
        _compare(
            open_kb, rules=["elector_qualifying_date"], states=["MH"], body="panchayat", as_of=dt.date(2022, 7, 31)
        )
    )[("elector_qualifying_date", "MH")]
    new = _cells(
        _compare(open_kb, rules=["elector_qualifying_date"], states=["MH"], body="panchayat", as_of=dt.date(2022, 8, 1))
    )[("elector_qualifying_date", "MH")]
    assert old.value.endswith("1 January") and old.repealed_on == dt.date(2022, 8, 1)
    assert new.citation == old.citation == "IN-RPA-1950 s.14(b)" and new.in_force_from == dt.date(2022, 8, 1)
    assert "1 January" not in new.value


def test_repealed_secondary_rule_is_not_in_force_after_repeal(open_kb):
    def ts(on: dt.date) -> Cell:
        return _cells(_compare(open_kb, rules=["two_child_norm"], states=["TS"], body="panchayat", as_of=on))[
            ("two_child_norm", "TS")
        ]

    repealed = ts(dt.date(2026, 6, 1))
    assert repealed.empty and repealed.status == CellStatus.NOT_IN_FORCE
    assert repealed.secondary and repealed.repealed_on == dt.date(2026, 1, 3)


def test_inherited_rules_carry_the_chain_of_citations_for_mh(open_kb):
    cells = _cells(_compare(open_kb, topics=[DISQ], states=["MH"], body="municipal"))
    link = cells[("inherits_legislature_disqualifications", "MH")]
    assert link.citation == "MH-MCA-1965 s.16(1)(a1)(i)" and link.inherited_via == ("IN-COI Art.243V(1)(a)",)
    corrupt = cells[("corrupt_practice", "MH")]
    assert corrupt.citation == "IN-RPA-1951 s.8A(1)"
    assert corrupt.inherited_via == ("MH-MCA-1965 s.16(1)(a1)", "IN-COI Art.243V(1)(a)")
    panchayat = _cells(
        _compare(open_kb, rules=["inherits_legislature_disqualifications"], states=["MH"], body="panchayat")
    )[("inherits_legislature_disqualifications", "MH")]
    assert panchayat.citation == "MH-VPA-1959 s.14(1)(a-1)"
    with open_kb.session() as session:
        text = _subtree_text(session, resolve_citation(session, panchayat.citation))
    assert "for the purposes of elections to the Legislature of the Maharashtra State" in text


def test_gaps_are_filled_from_the_import_clause_and_marked_derived(open_kb):
    # The DMC Act has no expense-account clause; s.9(1)(d) imports RPA 1951 s.10A.
    cells = _cells(_compare(open_kb, topics=[DISQ], states=["DL"], body="municipal"))
    cell = cells[("election_expenses", "DL")]
    assert cell.citation == "IN-RPA-1951 s.10A"
    assert cell.inherited_via == ("DL-DMCA-1957 s.9(1)(d)", "IN-COI Art.243V(1)(a)")
    assert cell.note.startswith("Derived") and cell.status == CellStatus.INHERITED
    # defection is a disqualification 'for being a member', which the import clause does not bring in
    assert cells[("defection", "DL")].empty
    # before the import clause came into force (1-10-1993) the derived rule is not in force
    early = _cells(
        _compare(open_kb, rules=["election_expenses"], states=["DL"], body="municipal", as_of=dt.date(1990, 1, 1))
    )[("election_expenses", "DL")]
    assert early.empty and early.status in (CellStatus.NOT_YET_IN_FORCE, CellStatus.EARLIER_WORDING_NOT_HELD)


def test_one_rule_lists_every_state_and_ut(open_kb):
    table = _compare(open_kb, rules=["two_child_norm"])
    assert len(table.jurisdictions) == 36 and "IN" not in table.jurisdictions
    cells = _cells(table)
    assert cells[("two_child_norm", "MH")].citation.startswith("MH-")
    secondary = [s for s in table.jurisdictions if cells[("two_child_norm", s)].secondary]
    assert secondary
    text = render_table(table, "text")
    listed = re.findall(r"^  ([A-Z]{2})  ", text, flags=re.M)
    assert [row.body for row in table.rows] == ["panchayat", "municipal"]  # no --body: a row per body
    assert listed == list(table.jurisdictions) * len(table.rows)
    shown = [c for row in table.rows for c in row.cells if c.status == CellStatus.SECONDARY]
    body = text.split("\nLegend:")[0]
    assert len(re.findall(r"^\s+secondary \(not verified against text\)$", body, flags=re.M)) == len(shown)
    ap = cells[("two_child_norm", "AP")]  # a Bill to abolish it passed in 2024: not law yet
    assert ap.value == "yes" and ap.pending is not None and ap.pending.on == dt.date(2024, 11, 18)


def test_plain_compare_lists_every_state_whose_act_is_held(open_kb):
    with open_kb.session() as session:
        held = set(
            session.scalars(
                select(t.Act.jurisdiction_code)
                .join(t.SourceDocument, t.SourceDocument.act_id == t.Act.id)
                .where(t.SourceDocument.role == "primary")
            )
        )
        curated = set(session.scalars(select(t.Rule.jurisdiction_code)))
    assert "CH" in held and "CH" not in curated  # Chandigarh's Act is held; nobody has curated its rules
    table = _compare(open_kb, topics=[DISQ], body="municipal")
    assert held - {"IN"} <= set(table.jurisdictions) and "IN" not in table.jurisdictions
    ch = [cell for (key, state), cell in _cells(table).items() if state == "CH"]
    assert ch and all(cell.status != CellStatus.NO_ACT for cell in ch)


def test_baseline_shows_only_departures_against_the_assembly_rules(open_kb):
    table = _compare(open_kb, states=["MH", "MN"], body="panchayat", baseline="IN")
    assert table.jurisdictions[0] == "IN"
    rows = {row.key: row for row in table.rows}
    # the baseline is the Assembly rule, not the 21-year proviso for panchayats
    age = rows["candidate_min_age"].cells
    assert (age[0].value, age[0].citation) == ("25", "IN-COI Art.173(b)")
    assert age[1].value == "21" and age[1].baseline_status == BaselineStatus.DEPARTS
    assert "IN-COI Art.243F(1)(a)" in age[1].baseline_note  # the Constitution's own rule for panchayats
    # MH and MN both inherit the Assembly voting age: not a departure, so no row
    assert "elector_min_age" not in rows and "elector_ordinary_residence" not in rows
    for row in table.rows:
        assert any(cell.baseline_status == BaselineStatus.DEPARTS for cell in row.cells[1:]), row.key
    full = _cells(_compare(open_kb, states=["MH", "MN"], body="panchayat"))
    for key in rows:  # baseline cells do not change the states' own answers
        for i, state in enumerate(("MH", "MN"), start=1):
            assert rows[key].cells[i].value == full[(key, state)].value


def test_diff_keeps_only_rows_where_states_differ(open_kb):
    request = dict(topics=[DISQ], states=["MH", "MN"], body="panchayat")
    full = _compare(open_kb, **request)
    diff = _compare(open_kb, diff=True, **request)
    differing = {row.key for row in full.rows if len({_norm(c.value or "") for c in row.cells}) > 1}
    assert {row.key for row in diff.rows} == differing
    assert 0 < len(diff.rows) < len(full.rows)


def test_renderings_of_the_real_table_agree(open_kb, tmp_path):
    from bs4 import BeautifulSoup
    from openpyxl import load_workbook

    table = _compare(open_kb, topics=[DISQ], states=["MH", "MN", "DL"], body="panchayat")
    records = table_records(table)
    assert len(records) == len(table.rows) * 3
    flat_records = [{c: flat(c, v) for c, v in r.items()} for r in records]
    rows = list(csv.DictReader(io.StringIO(render_table(table, "csv"))))
    assert rows == flat_records
    assert json.loads(render_table(table, "json"))["records"] == records
    render_table(table, "xlsx", tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx", read_only=True)
    sheet = book["Cells"]
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == COLUMNS
    assert [dict(zip(COLUMNS, row)) for row in values[1:]] == flat_records
    soup = BeautifulSoup(render_bytes(table, "html"), "lxml")
    assert not soup.find_all("script")
    assert not [(tag.name, a) for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    assert "MH-VPA-1959 s.14(1)(j-1)" in soup.get_text()


def test_cli_compare_text(built_kb):
    from cli import cli

    result = CliRunner().invoke(
        cli, ["compare", "--data", str(built_kb), "--topic", DISQ, "--states", "MH,MN,DL", "--body", "panchayat"]
    )
    assert result.exit_code == 0, result.output
    assert "MH-VPA-1959 s.14(1)(j-5)" in result.output and CATALOGUED_ONLY in result.output
