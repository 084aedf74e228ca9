"""The plain-text statute reader (statute-txt) and an added second rendering checked against the primary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from usercorpus_helpers import SOURCES, mini_corpus

from indexer.readers import detect_format, read_document
from indexer.structure import parse_provisions

FIXTURES = Path(__file__).parent / "fixtures" / "readers_text"


def test_sections_headings_clauses_and_footnotes():
    doc = read_document(FIXTURES / "statute-copied.txt")
    assert doc.format == "statute-txt"
    assert (doc.title, str(doc.text_as_on)) == ("The Goa Test Panchayat Raj Act, 1994", "2024-01-01")
    assert [(s.number, s.heading) for s in doc.sections] == [
        ("1", "Short title and commencement."),
        ("2", "Definitions."),
        ("14", ""),  # "14. (1) No person shall ...": no heading printed
        ("14A", "Disqualification on ground of arrears."),
        ("15", "Term of office"),
    ]
    s14 = doc.sections[2]
    assert "^1[(c) has more than two children:]" in s14.body
    assert s14.footnote("1") == "Ins. by Goa Act 5 of 2001, s. 2 (w.e.f. 1-4-2001)."
    assert "Ins. by" not in s14.body  # the footnote line is out of the text
    paths = [n.path for n in parse_provisions(doc)[2].provision.walk()]
    assert paths == ["14", "14(1)", "14(1)(a)", "14(1)(b)", "14(1)(c)", "14(1)(c) proviso 1", "14(2)"]


def test_articles_without_and_with_the_word():
    doc = read_document(FIXTURES / "articles-copied.txt")
    assert [(s.number, s.kind, s.heading) for s in doc.sections] == [
        ("243", "article", "Definitions"),
        ("243C", "article", "Composition of Panchayats."),
        ("243F", "article", "Disqualifications for membership"),
    ]
    f = parse_provisions(doc)[2].provision
    assert [n.path for n in f.walk()] == ["243F", "243F(1)", "243F(1)(a)", "243F(1)(a) proviso 1", "243F(1)(b)"]


def test_detected_when_no_other_format_fits(tmp_path):
    copy = tmp_path / "copied-from-web"  # no extension
    copy.write_text((FIXTURES / "articles-copied.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert detect_format(copy) == "statute-txt"
    assert detect_format(FIXTURES / "statute-copied.txt") == "statute-txt"
    prose = tmp_path / "notes"
    prose.write_text("Some notes about the law.\nNothing numbered here.\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown format"):
        detect_format(prose)


@pytest.fixture
def mini_kb(tmp_path, monkeypatch):
    from kb.build import BuildOptions, build_knowledge_base

    corpus = mini_corpus(tmp_path / "corpus")
    monkeypatch.setenv("SECKB_CORPUS", str(corpus))
    data = tmp_path / "data"
    build_knowledge_base(BuildOptions(sources_dir=SOURCES, data_dir=data))
    return data


@pytest.mark.skipif(not SOURCES.is_dir(), reason="shared corpus not present")
def test_second_rendering_is_an_alternate_with_its_agreement(mini_kb, tmp_path):
    from cli import cli

    data = mini_kb
    runner = CliRunner()
    first = tmp_path / "goa-act.txt"
    first.write_text((FIXTURES / "statute-copied.txt").read_text(encoding="utf-8"), encoding="utf-8")
    args = ["--state", "GA", "--title", "Goa Test Local Boards Act", "--year", "1994", "--as-on", "2024-01-01"]
    result = runner.invoke(cli, ["add", str(first), *args, "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    act_id = report["act_id"]
    assert (report["role"], report["format"], report["sections"]) == ("primary", "statute-txt", 5)

    # The same Act copied from another site: s.14A missing, clause (c) of s.14 not there.
    text = (FIXTURES / "statute-copied.txt").read_text(encoding="utf-8")
    text = text.replace("1[(c) has more than two children:]\n", "").replace(
        "14A. Disqualification on ground of arrears.—No person who has failed to pay any tax\n"
        "due to the panchayat shall be qualified to be elected.\n",
        "",
    )
    second = tmp_path / "goa-act-other-site.txt"
    second.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["add", str(second), "--state", "GA", "--act", act_id, "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "alternate text" in result.output
    assert "sections: 4 in both of 5 (primary) and 4 (alternate) — 80.0% agreement" in result.output
    assert "only in the primary: s.14A" in result.output

    result = runner.invoke(cli, ["check", act_id, "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "clause labels: the same in 3 of the 4 sections in both — 75.0% agreement" in result.output
    assert "labels differ in s.14: only statute-txt ['(1)(c)'" in result.output
    result = runner.invoke(cli, ["check", act_id, "--data", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    (agreement,) = json.loads(result.output)["agreements"]
    assert (agreement["sections_common"], agreement["section_agreement"], agreement["label_agreement"]) == (
        4,
        0.8,
        0.75,
    )
    assert agreement["only_primary"] == ["14A"]

    # The added Act is not in the shipped catalogue; --act takes its id all the same.
    result = runner.invoke(cli, ["search", "children", "--act", act_id, "--data", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)["hits"]
    assert hits and all(h["act"] == act_id for h in hits)


# Layouts a State's own copy may have; each once lost or moved statute text without a word.
_COPIED = """THE TESTLAND PANCHAYAT ACT, 2030

1. Short title.—This Act may be called the Testland Panchayat Act, 2030, and replaces the Old Act,
1999. The Government may by notification exclude any area.
2. Definitions.—In this Act, "voter" means a person whose name is in the list of voters.
3. Qualification.—Every voter may stand.
31. Disqualification.—(1) No person shall be a member who has more than two children.
1[(2) A person convicted of an offence shall be disqualified.]
5. This Act shall not apply to cantonments.
6. Clause (b) of section 2 shall be read with the rules.
7. Term of office.—Five years.
1. Ins. by Testland Act 3 of 2031, s. 2.

THE SCHEDULE
1. Gram panchayat of Village No. 1.
2. Gram panchayat of Village No. 2.
"""


def test_a_wrapped_year_or_a_misread_number_does_not_take_in_the_sections_after_it(tmp_path):
    path = tmp_path / "testland.txt"
    path.write_text(_COPIED, encoding="utf-8")
    doc = read_document(path)
    # "1999." at the start of a wrapped line is the year of the Act named on the line before, and
    # "31." where 4 was meant falls back to 5: the longest run of rising numbers is the sections.
    assert [s.number for s in doc.sections] == ["1", "2", "3", "5", "6", "7"]
    assert doc.sections[0].body.endswith("the Old Act, 1999. The Government may by notification exclude any area.")
    assert "31. Disqualification" in doc.sections[2].body
    # A section printed as a sentence with no heading keeps its words as text, not as a footnote.
    assert (doc.sections[3].heading, doc.sections[3].body) == ("", "This Act shall not apply to cantonments.")
    assert doc.sections[4].body.startswith("Clause (b) of section 2")
    # The footnote goes to the section whose text carries its marker, not to the last one.
    assert doc.sections[2].footnote("1") == "Ins. by Testland Act 3 of 2031, s. 2."
    assert doc.sections[5].footnotes == ()
    # The schedule's numbered items are not sections; the warning says where reading stopped.
    assert any("'THE SCHEDULE', after s.7) is not read" in w for w in doc.warnings)
    assert "Gram panchayat" not in " ".join(s.body for s in doc.sections)


def test_a_section_number_printed_twice_is_refused_with_its_lines(tmp_path):
    from kb.errors import ReaderError

    path = tmp_path / "twice.txt"
    path.write_text(
        "1. Short title.—This Act may be called the Twice Act.\n"
        "3. Qualification.—Every voter may stand.\n"
        "3. Disqualification.—A person with more than two children shall not stand.\n",
        encoding="utf-8",
    )
    with pytest.raises(ReaderError) as info:
        read_document(path)
    line = info.value.one_line()
    assert "twice.txt:3" in line and "section 3 is printed twice (lines 2 and 3)" in line


def test_a_windows_ansi_copy_is_refused_naming_its_line_and_the_fix(tmp_path):
    from kb.errors import ReaderError

    path = tmp_path / "ansi.txt"
    path.write_bytes(
        "1. Short title.—This Act.\n".encode() + "2. Definitions.—In this Act.\n".encode("cp1252", "replace")
    )
    with pytest.raises(ReaderError) as info:
        read_document(path)
    assert info.value.one_line() == (
        f"{path}:2: not UTF-8 text (byte 43 is 0x97): save the file as UTF-8 and add it again"
    )


def test_chapter_headings_group_the_sections_after_them_and_are_no_clauses_words(tmp_path):
    path = tmp_path / "chapters.txt"
    path.write_text(
        "CHAPTER I\nPRELIMINARY\n"
        "1. Short title.—This Act may be called the Chapters Act.\n"
        '2. Definitions.—In this Act,—\n(a) "voter" means a person in the list of voters.\n\n'
        "CHAPTER II\nELECTIONS\n"
        "3. Qualification.—Every voter may stand.\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert [(s.number, s.container) for s in doc.sections] == [
        ("1", ("CHAPTER I - PRELIMINARY",)),
        ("2", ("CHAPTER I - PRELIMINARY",)),
        ("3", ("CHAPTER II - ELECTIONS",)),
    ]
    assert doc.sections[1].body.endswith('"voter" means a person in the list of voters.')
