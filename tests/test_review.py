"""The rule finder and the review overlay, on a knowledge base whose curated corpus has no rules.

The small corpus (tests/small_corpus.py) holds the real MH, MN and PESA texts but no
corpus/rules: every rule cell there comes from the finder or a review. Its answers are checked
against the real curated rules of corpus/rules/MN.yaml.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from kb.errors import ReferenceDataError
from kb.finder import _value, load_patterns, parse_date, words_to_int
from kb.topics import load_ontology
from kb.vocab import CellStatus
from tests.small_corpus import CORPUS, SmallKb

REVIEWER = "A. Reviewer"


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory) -> SmallKb:
    kb = SmallKb(tmp_path_factory.mktemp("reviewkb"))
    assert not list((kb.corpus / "rules").glob("*.yaml")), "the small corpus must hold no curated rules"
    done = kb.invoke(["build", "-q"])
    assert done.exit_code == 0, done.output
    return kb


def _curated_mn() -> dict[str, str]:
    """MN's verified panchayat rules that cite MN's own Act: rule key -> citation."""
    data = yaml.safe_load((CORPUS / "rules" / "MN.yaml").read_text())
    return {
        r["rule"]: r["citation"]
        for r in data["rules"]
        if r["body"] == "panchayat" and not r.get("secondary") and r["citation"].startswith("MN-")
    }


def _mn_cells(kb: SmallKb) -> dict[str, dict]:
    out = kb.answer(["compare", "--states", "MN", "--body", "panchayat", "--format", "json"])
    records = json.loads(out)
    records = records["records"]
    return {r["rule_key"]: r for r in records if r["jurisdiction"] == "MN"}


@pytest.fixture
def clean_overlay(small_kb):
    overlay = small_kb.data / "user-rules"
    for path in overlay.glob("*.yaml"):
        path.unlink()
    yield small_kb
    for path in overlay.glob("*.yaml"):
        path.unlink()


# --- typed values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, number",
    [("twenty-one", 21), ("21", 21), ("eighteen", 18), ("twenty five", 25), ("seventh", 7), ("VIII", 8), ("two", 2)],
)
def test_numbers_in_words_or_figures(words, number):
    assert words_to_int(words) == number


def test_not_a_number():
    assert words_to_int("several") is None


@pytest.mark.parametrize(
    "words, day",
    [
        ("12th September, 2001", dt.date(2001, 9, 12)),
        ("the 1st day of January, 1995", dt.date(1995, 1, 1)),
        ("12-9-2001", dt.date(2001, 9, 12)),
        ("September 12, 2001", dt.date(2001, 9, 12)),
    ],
)
def test_cut_off_dates(words, day):
    assert parse_date(words) == day


def test_value_template_drops_a_part_whose_group_did_not_match():
    assert _value("yes[ (born after {cut_off_date})]", {}, {}) == "yes"
    assert _value("yes[ (born after {cut_off_date})]", {"cut_off_date": dt.date(2001, 9, 12)}, {}) == (
        "yes (born after 2001-09-12)"
    )


def test_bad_pattern_names_file_and_line(tmp_path):
    (tmp_path / "topics.yaml").write_text((CORPUS / "topics.yaml").read_text())
    (tmp_path / "finder.yaml").write_text(
        "rules:\n  candidate_min_age:\n    patterns:\n      - id: broken\n        text: 'age of (twenty'\n"
    )
    with pytest.raises(ReferenceDataError) as err:
        load_patterns(tmp_path, load_ontology(tmp_path))
    assert "finder.yaml:4" in err.value.one_line() and "[text]" in err.value.one_line()


def test_shipped_patterns_load_and_name_known_keys():
    ontology = load_ontology(CORPUS)
    patterns = load_patterns(CORPUS, ontology)
    assert {p.key for p in patterns.patterns} <= set(ontology.rules)
    assert len({p.key for p in patterns.patterns}) >= 25


# --- the MN column refilled by the finder alone ----------------------------------------------


def test_finder_alone_refills_mn_panchayat_column(clean_overlay):
    kb = clean_overlay
    curated = _curated_mn()
    cells = _mn_cells(kb)
    same = [key for key, citation in curated.items() if cells[key]["citation"] == citation]
    assert len(same) >= 0.8 * len(curated), {k: (cells[k]["citation"], curated[k]) for k in curated}
    for key in same:
        assert cells[key]["status"] == CellStatus.FOUND.value
        assert cells[key]["status"] != CellStatus.VERIFIED.value
        assert cells[key]["value"] and cells[key]["text"] and cells[key]["text_is_statute"]
    assert cells["candidate_min_age"]["value"] == "21"
    assert cells["elector_roll_source"]["value"] == "assembly-roll"
    # MN's Act has no two-child clause and nobody has looked: the cell does not claim "no provision"
    assert cells["two_child_norm"]["status"] == CellStatus.NOT_REVIEWED.value
    text = kb.answer(["compare", "--states", "MN", "--body", "panchayat", "--rule", "candidate_min_age"])
    assert "MN-PRA-1994 s.101(1)(a)" in text and CellStatus.FOUND.value in text


def test_accept_makes_a_cell_reviewed_and_export_import_round_trips(clean_overlay):
    kb = clean_overlay
    before = (kb.corpus / "topics.yaml").read_bytes(), sorted(p.name for p in kb.corpus.rglob("*"))
    listed = kb.answer(["rules", "review", "--state", "MN", "--rule", "candidate_min_age"])
    assert "MN-PRA-1994 s.101(1)(a)" in listed and "if he has not attained the age of twenty-one years" in listed
    done = kb.answer(["rules", "accept", "--state", "MN", "--rule", "candidate_min_age", "--reviewer", REVIEWER])
    assert "accepted" in done
    cell = _mn_cells(kb)["candidate_min_age"]
    assert cell["status"] == CellStatus.REVIEWED.value and cell["citation"] == "MN-PRA-1994 s.101(1)(a)"
    assert f"reviewed by {REVIEWER} on {dt.date.today().isoformat()}" in cell["note"]
    for fmt in ("text", "md", "html", "csv"):
        out = kb.answer(
            ["compare", "--states", "MN", "--body", "panchayat", "--rule", "candidate_min_age", "--format", fmt]
        )
        assert REVIEWER in out, fmt

    kb.answer(["rules", "none-found", "--state", "MN", "--rule", "two_child_norm", "--reviewer", REVIEWER])
    assert _mn_cells(kb)["two_child_norm"]["status"] == CellStatus.NO_SUCH_PROVISION.value

    overlay = kb.data / "user-rules" / "MN.yaml"
    saved = yaml.safe_load(overlay.read_text())
    assert saved["jurisdiction"] == "MN"
    accepted = next(r for r in saved["rules"] if r["decision"] == "accepted")
    assert accepted["reviewed_by"] == REVIEWER and accepted["citation"] == "MN-PRA-1994 s.101(1)(a)"

    exported = kb.data.parent / "mn-reviewed.yaml"
    assert "exported 2" in kb.answer(["rules", "export", str(exported)])
    overlay.unlink()
    assert _mn_cells(kb)["candidate_min_age"]["status"] == CellStatus.FOUND.value
    assert "imported 2" in kb.answer(["rules", "import", str(exported)])
    assert yaml.safe_load(overlay.read_text()) == saved
    assert _mn_cells(kb)["candidate_min_age"]["status"] == CellStatus.REVIEWED.value
    assert "0 decision(s); 2 already here" in kb.answer(["rules", "import", str(exported)])
    # the shipped corpus is never written
    assert before == ((kb.corpus / "topics.yaml").read_bytes(), sorted(p.name for p in kb.corpus.rglob("*")))


def test_reject_removes_a_candidate(clean_overlay):
    kb = clean_overlay
    cells = _mn_cells(kb)
    wrong = cells["elector_min_age"]["citation"]
    assert wrong  # s.13(3): the Gram Panchayat list of electors, proposed for the minimum voting age
    kb.answer(["rules", "reject", "--state", "MN", "--rule", "elector_min_age", "--citation", wrong, "--reviewer", "x"])
    assert _mn_cells(kb)["elector_min_age"]["citation"] != wrong


def test_none_found_rejects_the_open_candidates(clean_overlay):
    kb = clean_overlay
    assert _mn_cells(kb)["elector_min_age"]["status"] == CellStatus.FOUND.value
    kb.answer(["rules", "none-found", "--state", "MN", "--rule", "elector_min_age", "--reviewer", "x"])
    cell = _mn_cells(kb)["elector_min_age"]
    assert (cell["status"], cell["value"], cell["citation"]) == (CellStatus.NO_SUCH_PROVISION.value, None, None)
    listed = kb.answer(["rules", "review", "--state", "MN", "--rule", "elector_min_age"])
    assert "decision: rejected" in listed
    # accepting a candidate later replaces the none-found decision
    kb.answer(["rules", "accept", "--state", "MN", "--rule", "candidate_min_age", "--reviewer", "x"])
    kb.answer(["rules", "none-found", "--state", "MN", "--rule", "candidate_min_age", "--reviewer", "x"])
    assert _mn_cells(kb)["candidate_min_age"]["status"] == CellStatus.NO_SUCH_PROVISION.value


def test_edit_checks_the_quote_against_the_text(clean_overlay):
    kb = clean_overlay
    bad = kb.invoke(
        ["rules", "edit", "--state", "MN", "--rule", "reserved_seats", "--citation", "MN-PRA-1994 s.19(1)",
         "--value", "SC, ST", "--quote", "words the Act never says", "--reviewer", "x"]
    )  # fmt: skip
    assert bad.exit_code != 0 and "quote is not in the text" in bad.output
    good = kb.invoke(
        ["rules", "edit", "--state", "MN", "--rule", "reserved_seats", "--citation", "MN-PRA-1994 s.19(1)",
         "--value", "SC and ST; one-third women", "--reviewer", "x"]
    )  # fmt: skip
    assert good.exit_code == 0, good.output
    cell = _mn_cells(kb)["reserved_seats"]
    assert (cell["status"], cell["value"]) == (CellStatus.REVIEWED.value, "SC and ST; one-third women")


def test_import_refuses_bad_yaml_with_file_and_line(clean_overlay, tmp_path):
    kb = clean_overlay
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "jurisdiction: MN\nrules:\n  - rule: candidate_min_age\n    body: panchayat\n    value: '21'\n"
        "    citation: MN-PRA-1994 s.101(1)(a)\n    decision: approved\n    reviewed_by: x\n    reviewed_on: 2026-01-01\n"
    )
    result = kb.invoke(["rules", "import", str(bad)])
    assert result.exit_code != 0 and "bad.yaml:3" in result.output and "decision" in result.output
    assert not list((kb.data / "user-rules").glob("*.yaml"))
    unresolved = tmp_path / "unresolved.yaml"
    unresolved.write_text(bad.read_text().replace("approved", "accepted").replace("s.101(1)(a)", "s.999"))
    result = kb.invoke(["rules", "import", str(unresolved)])
    assert result.exit_code != 0 and "not a provision" in result.output
    assert not list((kb.data / "user-rules").glob("*.yaml"))


# --- the status words in every output format -----------------------------------------------------


def _status_table():
    from kb.model import Cell, ComparisonTable, Row

    cells = (
        Cell("21", citation="MN-PRA-1994 s.101(1)(a)", quote="if he has not attained the age of twenty-one years",
             status=CellStatus.FOUND, note=f"{CellStatus.FOUND.value} (found by candidate_min_age.attained-the-age)"),
        Cell("21", citation="MH-VPA-1959 s.13(2)", quote="not less than twenty-one years of age",
             status=CellStatus.REVIEWED, reviewed_by=REVIEWER, reviewed_on=dt.date(2026, 1, 2),
             note=f"reviewed: reviewed by {REVIEWER} on 2026-01-02"),
        Cell(None, status=CellStatus.NOT_REVIEWED, note=CellStatus.NOT_REVIEWED.value),
        Cell(None, status=CellStatus.NO_SUCH_PROVISION, note=CellStatus.NO_SUCH_PROVISION.value),
    )  # fmt: skip
    return ComparisonTable(
        title="t", as_of=dt.date(2026, 1, 2), body="panchayat", jurisdictions=("MN", "MH", "DL", "KA"),
        rows=(Row("candidate_min_age", "Minimum age of candidate", cells),),
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "csv", "json", "xlsx"])
def test_status_words_in_every_format(fmt, tmp_path):
    from kb.render import render_table

    table = _status_table()
    if fmt == "xlsx":
        from openpyxl import load_workbook

        path = tmp_path / "t.xlsx"
        render_table(table, fmt, path)
        book = load_workbook(path)
        out = "\n".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    else:
        out = render_table(table, fmt)
    for status in (CellStatus.FOUND, CellStatus.NOT_REVIEWED, CellStatus.NO_SUCH_PROVISION):
        assert status.value in out, (fmt, status)
    assert REVIEWER in out
    assert "no provision in corpus" not in out  # the old words would say the Act states no such rule
    if fmt in ("csv", "json"):
        from kb.render.records import table_records

        assert [r["status"] for r in table_records(table)] == [
            "found in text, not reviewed",
            "reviewed",
            "Act held, not yet reviewed for this rule",
            "no such provision in the Act",
        ]


# --- the real knowledge base with MN's curated rules removed ---------------------------------------


def test_finder_refills_mn_column_of_the_real_kb_without_mn_rules(built_kb_copy, tmp_path, monkeypatch):
    """The brief's demonstration: every rule of corpus/ but MN's, rebuilt; MN's panchayat column
    then comes from the finder (own-Act cells and, through the found s.101(1)(b), inherited ones)."""
    import shutil

    from click.testing import CliRunner

    from cli import cli

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "rules" / "MN.yaml").unlink()
    monkeypatch.setenv("SECKB_CORPUS", str(corpus))
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "-q", "--data", str(built_kb_copy)])
    assert built.exit_code == 0, built.output
    out = runner.invoke(
        cli, ["compare", "--data", str(built_kb_copy), "--states", "MN", "--body", "panchayat", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    cells = {r["rule_key"]: r for r in json.loads(out.output)["records"]}
    curated = {
        r["rule"]: r["citation"]
        for r in yaml.safe_load((CORPUS / "rules" / "MN.yaml").read_text())["rules"]
        if r["body"] == "panchayat"
    }
    same = {key for key, citation in curated.items() if cells[key]["citation"] == citation}
    assert len(same) >= 0.8 * len(curated), sorted(set(curated) - same)
    assert {cells[key]["status"] for key in same} == {CellStatus.FOUND.value}
    # inherited through the found "disqualified ... for elections to the State Legislature" clause
    assert cells["unsound_mind"]["citation"] == "IN-COI Art.191(1)(b)"
    assert "MN-PRA-1994 s.101(1)(b)" in cells["unsound_mind"]["inherited_via"]
    assert CellStatus.VERIFIED.value not in {c["status"] for c in cells.values()}
    # the other States keep their curated, verified cells
    mh = runner.invoke(cli, ["compare", "--data", str(built_kb_copy), "--states", "MH", "--rule", "two_child_norm",
                             "--body", "panchayat", "--format", "json"])  # fmt: skip
    record = json.loads(mh.output)["records"][0]
    assert record["citation"] == "MH-VPA-1959 s.14(1)(j-1)" and record["status"] != CellStatus.FOUND.value
