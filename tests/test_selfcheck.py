"""The self-check of every parsed document (indexer/selfcheck.py), the PDF reader on the four
Maharashtra PDFs and the generated older-layout fixture, and `seckb add` refusing a bad parse."""

from __future__ import annotations

import difflib
import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from usercorpus_helpers import CORPUS, SOURCES, mini_corpus

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "pdf_layouts"))

import layouts

from indexer.readers import read_document
from indexer.selfcheck import check_document, check_in_catalogue, eligible_sections, number_key
from indexer.structure import parse_provisions
from kb.model import ParsedSection, Provision, RawDocument, RawSection

MH = SOURCES / "maharashtra"
MH_PDFS = {
    "MH-VPA-1959": MH / "village-panchayats-act-1959.pdf",
    "MH-MCA-1965": MH / "municipal-councils-nagar-panchayats-industrial-townships-act-1965.pdf",
    "MH-SECA-1994": MH / "state-election-commissioner-act-1994.pdf",
    "MH-MLAMDA-1986": MH / "local-authority-members-disqualification-act-1986.pdf",
}
needs_corpus = pytest.mark.skipif(not MH.is_dir(), reason="shared corpus not present")


@cache
def _reference():
    from kb.reference import load_reference
    from kb.rules import load_rules
    from kb.topics import load_ontology

    ref = load_reference(CORPUS, SOURCES, check_files=False)
    ontology = load_ontology(CORPUS)
    rules = load_rules(CORPUS / "rules", ontology, {j.code for j in ref.jurisdictions})
    return ref, ontology, rules


@cache
def _parsed(name: str):
    if name == "older":
        path = layouts.older_india_code(Path(__import__("tempfile").mkdtemp()) / "older.pdf")
    else:
        path = MH_PDFS[name]
    doc = read_document(path, "pdf")
    return doc, parse_provisions(doc)


def _check(name: str):
    doc, parsed = _parsed(name)
    ref, ontology, rules = _reference()
    if name == "older":
        eligible = eligible_sections("", doc.listed, ontology, ())
        return check_document(doc, parsed, eligible=eligible), eligible
    act = ref.act(name)
    return check_in_catalogue(doc, parsed, act, ontology, rules), eligible_sections(name, doc.listed, ontology, rules)


ALL = [pytest.param(n, marks=needs_corpus) for n in MH_PDFS] + ["older"]


# ----------------------------------------------------------------------------- the PDFs


@pytest.mark.parametrize("name", ALL)
def test_at_least_98_percent_of_the_listed_sections_each_with_its_own_heading(name):
    doc, _ = _parsed(name)
    report, _ = _check(name)
    assert report.listed_from == "contents pages" and report.listed >= 10
    assert report.share >= 0.98, report.sentence()
    assert report.passed
    by_number = {number_key(s.number): s for s in doc.sections}
    for number, listed_heading in doc.listed:
        section = by_number.get(number_key(number))
        if section is None:
            continue
        if listed_heading == "[Deleted]" or section.repealed:
            continue
        # Its own heading: the one the contents give it (small wording differences allowed).
        ratio = difflib.SequenceMatcher(None, section.heading.lower(), listed_heading.lower()).ratio()
        assert ratio > 0.6, (number, section.heading, listed_heading)
    headings = [s.heading for s in doc.sections if not s.repealed and s.heading != "[Deleted]"]
    assert len(set(headings)) >= 0.97 * len(headings)  # not one heading repeated over the Act


def _page_furniture(path: Path) -> tuple[set[str], list[str]]:
    """Running-header lines and footnote openings read straight from the text layer (not the reader)."""
    import pypdfium2 as pdfium

    firsts: list[str] = []
    footnotes: list[str] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            lines = [ln.strip() for ln in pdf[index].get_textpage().get_text_range().splitlines() if ln.strip()]
            if lines and index:
                firsts.append(re.sub(r"\d+", "", re.sub(r"\s+", " ", lines[0])).strip(" :[]"))
            for line in lines:
                note = re.match(
                    r"^\d{1,2}\s+((?:This|These|The|Clause|Section|Sub-section|Substituted|Inserted|Added|"
                    r"Maharashtra Ordinance)\b.{25,})$",
                    line,
                )
                if note and re.search(r"substituted|inserted|added|deleted|omitted|repealed|amended", line, re.I):
                    footnotes.append(note.group(1)[:40])
    finally:
        pdf.close()
    # A page's first line is a running header when the same line (page number aside) opens other pages.
    headers = {line for line in firsts if firsts.count(line) >= 2 and len(line) > 15}
    return headers, footnotes


@pytest.mark.parametrize("name", ALL)
def test_no_running_header_page_number_or_footnote_in_any_provision(name, tmp_path):
    doc, parsed = _parsed(name)
    path = doc.path
    headers, footnotes = _page_furniture(path)
    # Only the header lines with the print's furniture ("1959 : III]", "[1961 : Act 5") are searched
    # for: a header that is just the Act's short title is words the Act itself uses.
    header_shapes = {h for h in headers if re.search(r"[\[\]]", h)}
    assert header_shapes, "the PDF should have running headers to look for"
    for section in parsed:
        for node in section.provision.walk():
            for text in (node.text, node.tail):
                flat = re.sub(r"\s+", " ", text)
                for line in text.splitlines():
                    assert not re.fullmatch(r"[-–\s]*\d{1,4}[-–\s]*", line), (node.path, line)
                for shape in header_shapes:
                    assert shape not in re.sub(r"\d+", "", flat), (node.path, shape)
                for note in footnotes:
                    assert note not in flat, (node.path, note)
                assert "\ufffe" not in text and "\u00ad" not in text


@pytest.mark.parametrize("name", ALL)
def test_no_dup_label_in_an_eligibility_section(name):
    report, eligible = _check(name)
    assert eligible, "eligibility sections are known for this Act"
    assert report.dup_in_eligibility == ()


def test_older_layout_front_matter_contents_and_sections():
    doc, _ = _parsed("older")
    assert doc.title == "The Government Press Panchayats Act, 1961"  # the title block, not the header
    assert str(doc.text_as_on) == "2018-03-01"  # "As modified up to the 1st March, 2018"
    assert ("4", "[Deleted]") in doc.listed and ("9", "[Deleted]") in doc.listed
    assert [s.number for s in doc.sections] == ["1", "2", "3", "4", "5", "6", "6A", "7", "8", "9", "10"]
    s = {x.number: x for x in doc.sections}
    assert s["3"].heading == "Persons qualified to vote."  # a two-letter word of the margin kept
    assert s["6"].heading == "Disqualifications for membership and continuance."  # even page: left margin
    assert s["2"].body.startswith("In this Act, unless the context otherwise requires,—")
    assert "twenty-one years" in s["5"].body  # U+FFFE at the line end read as the printed hyphen
    assert s["5"].footnote("p3-2") == 'Substituted for "fourth standard" by Act 3 of 2017, s. 2.'
    assert s["9"].repealed and s["9"].footnote("p5-1") == "Section 9 was deleted by Act 12 of 1975, s. 4."
    assert not any("+" in x.body or "GPP" in x.body for x in doc.sections)  # print marks


def test_soft_hyphens_and_fffe_are_mended():
    from indexer.readers.pdf import _join_text, _Line

    line = _Line(y=0, parts=["disqualifi\u00ad"])
    assert _join_text(line.text, "cation of a member") == "disqualification of a member"
    assert _Line(y=0, parts=["sub\ufffesection (2) of\u00ad section"]).text == "sub-section (2) of section"


@needs_corpus
def test_new_mh_act_sections_and_date():
    doc, _ = _parsed("MH-MLAMDA-1986")
    assert doc.title == "The Maharashtra Local Authority Members’ Disqualification Act, 1986"
    assert str(doc.text_as_on) == "2025-03-11"
    numbers = [s.number for s in doc.sections]
    assert numbers == ["1", "2", "3", "3A", "4", "5", "6", "7", "8", "9", "10", "11"]
    s3 = next(s for s in doc.sections if s.number == "3")
    assert s3.heading == "Disqualification on ground of defection."
    assert "shall be disqualified for being a councillor or a member" in s3.body
    assert next(s for s in doc.sections if s.number == "4").repealed


# ----------------------------------------------------------------------------- the check itself


def _section(number: str, labels: list[str] = ()) -> tuple[RawSection, ParsedSection]:
    children = tuple(Provision("subsection", lab, f"{number}({lab})", "text") for lab in labels)
    return RawSection(number, "Heading.", "text"), ParsedSection(
        Provision("section", number, number, "", children=children)
    )


def test_check_in_a_lawyers_words():
    listed = (*tuple((str(n), "Heading.") for n in range(1, 11)), ("12A", "Disqualifications."), ("15B", "Other."))
    pairs = [_section(str(n)) for n in range(1, 11)] + [_section("16", ["1", "1-dup2"])]
    doc = RawDocument(
        Path("x.pdf"),
        "pdf",
        "X",
        tuple(p[0] for p in pairs),
        "0" * 64,
        listed=listed,
        warnings=("page 7 has no text layer (scanned?)", "s.3: no footnote 2 on page 4 for its marker"),
    )
    report = check_document(doc, [p[1] for p in pairs], eligible={"12A"})
    assert report.sentence() == (
        "found 10 of the 12 sections listed in the contents; not found: 12A, 15B; missing eligibility sections: 12A"
    )
    assert (report.dup_labels, report.unplaced_pages, report.unjoined_footnotes) == (1, (7,), 1)
    assert report.unlisted == ("16",)
    assert not report.passed  # 83% and an eligibility section missing
    assert report.warning().startswith("self-check failed: found 10 of the 12")
    ok = check_document(doc, [p[1] for p in pairs], listed=listed[:10], listed_from="contents pages")
    assert ok.passed and ok.share == 1.0


def test_eligibility_sections_from_rules_and_headings():
    _, ontology, rules = _reference()
    listed = [
        ("12", "List of voters."),
        ("13", "Persons qualified to vote and be elected."),
        ("14", "Disqualifications."),
    ]
    listed += [("50", "Village fund."), ("3", "Definitions.")]
    found = eligible_sections("XX-TEST-2000", listed, ontology, rules)
    assert {"13", "14"} <= found and "50" not in found and "3" not in found
    # A section a curated rule cites counts even when its heading says nothing of eligibility.
    assert "12" in eligible_sections("MH-VPA-1959", [("12", "List of voters.")], ontology, rules)


# ----------------------------------------------------------------------------- seckb add


@pytest.fixture
def mini_kb(tmp_path, monkeypatch):
    from kb.build import BuildOptions, build_knowledge_base

    corpus = mini_corpus(tmp_path / "corpus")
    monkeypatch.setenv("SECKB_CORPUS", str(corpus))
    data = tmp_path / "data"
    build_knowledge_base(BuildOptions(sources_dir=SOURCES, data_dir=data))
    return data


def _state(data: Path) -> tuple[str, list[str]]:
    overlay = data / "user-corpus"
    files = sorted(str(p.relative_to(overlay)) for p in overlay.rglob("*") if p.is_file() and p.name != ".lock")
    return (data / "current").resolve().name, files


@needs_corpus
def test_add_refuses_a_failed_parse_in_one_line_and_changes_nothing(mini_kb, tmp_path):
    from cli import cli

    data = mini_kb
    pdf = layouts.truncated_download(tmp_path / "download" / "truncated.pdf")
    before = _state(data)
    args = ["add", str(pdf), "--state", "GA", "--title", "Goa Test Panchayats Act", "--year", "1961"]
    result = CliRunner().invoke(cli, [*args, "--data", str(data)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "truncated.pdf" in lines[0] and "found 5 of the 20 sections listed in the contents" in lines[0]
    assert "(25.0%" in lines[0] and "not found: 6, 7, 8" in lines[0]
    assert _state(data) == before  # nothing changed: same knowledge base, nothing copied

    result = CliRunner().invoke(cli, [*args, "--data", str(data), "--accept-partial", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["self_check"]["passed"] is False and report["self_check"]["found"] == 5
    # wide enough that rich lays the table out one line per row
    result = CliRunner().invoke(cli, ["coverage", "--data", str(data)], env={"COLUMNS": "400"})
    row = next(line for line in result.output.splitlines() if "GA-" in line and "Goa Test" in line)
    assert "partial" in row and "full text" not in row and "failed its self-check" in row
    result = CliRunner().invoke(cli, ["warnings", "--data", str(data), "--act", report["act_id"]])
    assert "self-check failed (1)" in result.output and "found 5 of the 20" in result.output
    as_json = CliRunner().invoke(cli, ["warnings", "--data", str(data), "--act", report["act_id"], "--format", "json"])
    (doc,) = json.loads(as_json.output)
    assert "found 5 of the 20" in doc["groups"]["check-failed"]["warnings"][0]
    old_flag = CliRunner().invoke(cli, ["warnings", "--data", str(data), "--act", report["act_id"], "--json"])
    assert old_flag.output == as_json.output  # --json: the hidden alias of --format json


def test_capital_letters_group_clauses():
    # RPA 1951 s.123(1) and MCA 1965 s.22(1): "(1) Bribery ...— (A) any gift ... inducing— (a) ... (b) ...
    # (B) the receipt ... (a) ... (b) ...": (a) and (b) belong to (A) and to (B), not twice to (1).
    raw = RawSection(
        "22",
        "Corrupt practices.",
        "(1) Bribery, that is to say,—\n(A) any gift with the object of inducing—\n(a) a person to stand; or\n"
        "(b) a voter to vote; or as a reward to—\n(i) a person for having stood; or\n(ii) a voter for having voted;\n"
        "(B) the receipt of any gratification—\n(a) by a person for standing; or\n(b) by any person for voting.\n"
        "(2) Undue influence.",
    )
    doc = RawDocument(Path("x.txt"), "statute-txt", "X", (raw,), "0" * 64)
    paths = [n.path for n in parse_provisions(doc)[0].provision.walk()]
    assert paths == [
        "22",
        "22(1)",
        "22(1)(A)",
        "22(1)(A)(a)",
        "22(1)(A)(b)",
        "22(1)(A)(b)(i)",
        "22(1)(A)(b)(ii)",
        "22(1)(B)",
        "22(1)(B)(a)",
        "22(1)(B)(b)",
        "22(2)",
    ]
