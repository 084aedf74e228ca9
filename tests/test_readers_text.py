"""Readers for India Code Markdown, Indian Kanoon XML, Constitution JSON and text excerpts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.readers import READERS, detect_format, read_document, sha256_file
from indexer.readers._text import join_wrapped, normalise_markers, split_heading, strip_markers
from indexer.readers.indiankanoon_xml import fix_split_number
from kb.errors import ReaderError

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers_text"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")


def _by_number(doc):
    return {s.number: s for s in doc.sections}


# --- helpers -------------------------------------------------------------------------------


def test_normalise_markers_canonical_forms():
    assert normalise_markers("^4* * * *") == "^4***"
    assert normalise_markers("a ^8* * * * * b") == "a ^8*** b"
    assert normalise_markers("1[by law] and 4[***] x", plain=True) == "^1[by law] and ^4*** x"
    # A year or a number inside a word is not a marker.
    assert normalise_markers("Act, 1950[x] s2[y]", plain=True) == "Act, 1950[x] s2[y]"
    assert normalise_markers("Court ^2\n[(1) Subject") == "Court ^2[(1) Subject"


def test_join_wrapped_keeps_clauses_and_cross_references():
    text = "(a) first clause that\nwraps here;\n(b) second under clause\n(c) of section 5;\nProvided that x"
    assert join_wrapped(text) == [
        "(a) first clause that wraps here;",
        "(b) second under clause (c) of section 5;",
        "Provided that x",
    ]
    assert join_wrapped("w.e.f. 1-4-\n2005") == ["w.e.f. 1-4-2005"]


def test_split_heading_variants():
    assert split_heading("Definitions.—In this Act") == ("Definitions.", "In this Act")
    assert split_heading("Quorum.-") == ("Quorum.", "")
    assert split_heading("Agenda. The Gram Panchayat shall") == ("Agenda.", "The Gram Panchayat shall")
    assert split_heading("Definitions. In this Act, unless the context otherwise requires,--") == (
        "Definitions.",
        "In this Act, unless the context otherwise requires,--",
    )


# --- fixtures: the same invented Act in two formats -----------------------------------------


def test_fixture_md_and_xml_agree():
    md = read_document(FIXTURES / "example-panchayat-act-2001.indiacode.md")
    xml = read_document(FIXTURES / "example-panchayat-act-2001.indiankanoon.xml")
    assert md.format == "indiacode-md" and xml.format == "indiankanoon-xml"
    assert md.title == xml.title == "The Example Panchayat Act, 2001"
    assert [s.number for s in md.sections] == [s.number for s in xml.sections] == ["1", "2", "3"]
    assert [s.heading for s in md.sections] == [s.heading for s in xml.sections]
    for a, b in zip(md.sections, xml.sections):
        assert strip_markers(a.body) == strip_markers(b.body), a.number
        assert a.body.count("\n") == b.body.count("\n"), a.number
    # The markers themselves survive in canonical form in both.
    for doc in (md, xml):
        s2, s3 = doc.sections[1], doc.sections[2]
        assert s2.body.startswith("^1[(1) Every person")
        assert "^2[eighteen years]" in s2.body
        assert "^3***" in s3.body
        assert s2.body.splitlines()[-1].startswith("Provided that")


def test_fixture_md_details():
    doc = read_document(FIXTURES / "example-panchayat-act-2001.indiacode.md")
    s2 = _by_number(doc)["2"]
    assert s2.footnotes == (
        ("1", "Subs. by Act 5 of 2005, s. 2, for section 2 (w.e.f. 1-4-2005)."),
        ("2", 'Subs. by Act 7 of 2010, s. 3, for "twenty-one years".'),
    )
    assert s2.anchor == "https://www.indiacode.nic.in/handle/123456789/9999#section-2"
    assert doc.source_url == "https://www.indiacode.nic.in/handle/123456789/9999"
    assert doc.sha256 == sha256_file(FIXTURES / "example-panchayat-act-2001.indiacode.md")
    assert doc.text_as_on is None and not doc.partial
    assert "clause (a) of section 3." in s2.body  # a wrapped cross-reference is not a new clause


def test_fixture_xml_details():
    doc = read_document(FIXTURES / "example-panchayat-act-2001.indiankanoon.xml")
    s = _by_number(doc)
    assert s["1"].anchor == "https://indiankanoon.org/doc/111/"
    assert s["3"].anchor is None
    assert s["1"].container == ("CHAPTER I PRELIMINARY",)
    assert all(x.footnotes == () and x.kind == "section" for x in doc.sections)


def test_fixture_excerpt():
    doc = read_document(FIXTURES / "example.excerpt.txt")
    assert doc.partial and doc.format == "excerpt-txt"
    assert doc.title == "The Example Municipality Act, 1999"
    assert doc.source_url == "https://example.org/act.html"
    s = _by_number(doc)
    assert list(s) == ["6", "7-A"]
    assert s["6"].heading == "Qualification of councillors"
    assert s["7-A"].body.splitlines() == [
        "^2[A person shall be disqualified if he-",
        "(a) is a salaried servant;",
        "(b) holds an of",
    ]
    assert any("7-A" in w and "cut off" in w for w in doc.warnings)
    assert any("ends inside clause (b)" in w for w in doc.warnings)


def test_fix_split_number():
    assert fix_split_number("243Z", "A Elections to the Municipalities", "243Z") == (
        "243ZA",
        "Elections to the Municipalities",
    )
    assert fix_split_number("243Z", "Audit of accounts of Municipalities", "243Y") == (
        "243Z",
        "Audit of accounts of Municipalities",
    )
    assert fix_split_number("243A", "Gram Sabha", "243") == ("243A", "Gram Sabha")
    # Joining must continue the sequence: not after a later article.
    assert fix_split_number("243Z", "A Elections", "243ZB") == ("243Z", "A Elections")


# --- errors ----------------------------------------------------------------------------------


def test_malformed_and_garbage_files(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<act><title>X</title><foo>no articles <bar></act>", encoding="utf-8")
    with pytest.raises(ReaderError) as info:
        read_document(broken)
    assert "broken.xml" in str(info.value)

    garbage = tmp_path / "garbage.md"
    garbage.write_bytes(b"\x00\x01 just noise, no sections\n")
    with pytest.raises(ReaderError) as info:
        read_document(garbage)
    assert "garbage.md" in str(info.value)

    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ReaderError):
        read_document(empty, fmt="constitution-json")

    bad_excerpt = tmp_path / "x.excerpt.txt"
    bad_excerpt.write_text("SOURCE: https://x.org\nACT: Y Act\n\nno headings here\n", encoding="utf-8")
    with pytest.raises(ReaderError):
        read_document(bad_excerpt)


# --- real corpus -----------------------------------------------------------------------------


@needs_corpus
def test_rpa_1950_md_and_xml_agree_on_section_numbers():
    md = read_document(CORPUS / "central" / "representation-of-the-people-act-1950.indiacode.md")
    xml = read_document(CORPUS / "central" / "representation-of-the-people-act-1950.indiankanoon.xml")
    md_numbers = {s.number for s in md.sections}
    xml_numbers = {s.number for s in xml.sections}
    assert len(md.sections) == 56
    assert md_numbers == xml_numbers
    for number in ("19", "20"):
        assert _by_number(md)[number].body and _by_number(xml)[number].body
    s19 = _by_number(md)["19"]
    assert s19.body.startswith("^1[Subject to the foregoing provisions of this Part")
    assert "^2[eighteen years]" in s19.body
    s3 = _by_number(md)["3"]
    assert s3.body.startswith("^1[The allocation of seats")  # repeated "3. Allocation ..." stripped
    assert _by_number(xml)["3"].body.startswith("^1[The allocation of seats")
    assert _by_number(md)["3A"].repealed and _by_number(md)["5"].repealed
    assert not _by_number(md)["19"].repealed
    assert _by_number(md)["2"].footnote("1").startswith('The brackets and figure "(1)" omitted by Act 103 of 1956')
    assert "^4***" in _by_number(md)["2"].body


@needs_corpus
def test_repeated_headings_stripped_everywhere_in_md():
    for path in sorted(CORPUS.glob("*/*.indiacode.md")):
        for s in read_document(path).sections:
            first = re.sub(r"^(\^\d+\[)+", "", s.body.split("\n")[0])
            assert not re.match(re.escape(s.number) + r"\s*\.\s", first), (path.name, s.number)
            # Nor its residue: RPA 1951 s.126A began "@b^126A." in India Code's file.
            assert not re.match(r"@[a-z]|\^?" + re.escape(s.number[1:]) + r"\s*\.\s", first), (path.name, s.number)


@needs_corpus
def test_a_whole_section_marker_whose_bracket_is_lost_is_the_sections_note():
    """India Code prints an inserted section inside its marker, number included; RPA 1951 s.126A
    lost the closing "]" and carried formatting residue ("@b^126A", "Explanation@/ib@.")."""
    from indexer.structure.parser import parse_section

    path = CORPUS / "central" / "representation-of-the-people-act-1951.indiacode.md"
    doc = read_document(path)
    section = _by_number(doc)["126A"]
    assert "@" not in section.body
    assert "section 126A: the marker around the whole section is not closed; closed at its end" in doc.warnings
    parsed = parse_section(section)
    assert parsed.warnings == ()
    assert [n.summary for n in parsed.provision.notes] == [
        "Section 126A was inserted by Act 41 of 2009, s. 7 (w.e.f. 1-2-2010)"
    ]
    assert parsed.provision.text == ""
    assert [c.label for c in parsed.provision.children] == ["1", "2", "3", "Explanation"]
    assert [c.label for c in parsed.provision.children[3].children] == ["a", "b", "c", "d"]
    assert not parsed.provision.children[0].notes
    # Where two markers are left open the lost "]" could be either's: nothing is closed, the parser warns.
    dmc = read_document(CORPUS / "delhi" / "delhi-municipal-corporation-act-1957.indiacode.md")
    assert not any(w.startswith("section 490:") for w in dmc.warnings)
    assert "unmatched '[' of amendment marker ^1" in parse_section(_by_number(dmc)["490"]).warnings


@needs_corpus
def test_cantonments_parts_merged():
    doc = read_document(CORPUS / "central" / "cantonments-act-2006.indiacode.md")
    numbers = [s.number for s in doc.sections]
    for n in ("27", "28", "29"):
        assert numbers.count(n) == 1
    assert numbers[0] == "1" and "60" in numbers and numbers.index("59") + 1 == numbers.index("60")
    assert len(numbers) == len(set(numbers)) == 360
    assert not doc.partial
    assert "Part 2 of 5" not in "\n".join(s.body for s in doc.sections)


@needs_corpus
def test_manipur_md_and_xml():
    md = read_document(CORPUS / "manipur" / "panchayati-raj-act-1994.indiacode.md")
    xml = read_document(CORPUS / "manipur" / "panchayati-raj-act-1994.indiankanoon.xml")
    for doc in (md, xml):
        s = _by_number(doc)
        assert s["100"].body and s["101"].body
    assert {s.number for s in md.sections} == {s.number for s in xml.sections}
    # s.61(2)'s list of matters comes as <article>s numbered 1..22; they stay inside s.61.
    assert "AGRICULTURE AND AGRICULTURAL EXTENSION" in _by_number(xml)["61"].body


@needs_corpus
def test_ndmc_s6_and_dmc_duplicates():
    ndmc = read_document(CORPUS / "delhi" / "new-delhi-municipal-council-act-1994.indiacode.md")
    s6 = _by_number(ndmc)["6"]
    assert s6.heading.startswith("Disqualification") and s6.body.startswith("(1)")
    ndmc_xml = read_document(CORPUS / "delhi" / "new-delhi-municipal-council-act-1994.indiankanoon.xml")
    assert _by_number(ndmc_xml)["2"].heading == "Definitions."
    dmc = read_document(CORPUS / "delhi" / "delhi-municipal-corporation-act-1957.indiacode.md")
    assert [s.number for s in dmc.sections].count("271") == 1
    assert any("271" in w for w in dmc.warnings)


@needs_corpus
def test_rer_1960_rules():
    doc = read_document(CORPUS / "central" / "registration-of-electors-rules-1960.indiankanoon.xml")
    assert doc.title == "The Registration of Electors Rules, 1960"
    assert len(doc.sections) == 36 and all(s.kind == "rule" for s in doc.sections)
    r1 = _by_number(doc)["1"]
    assert r1.heading == "Short title and commencement."
    assert r1.body.splitlines()[0] == "(1) These Rules may be called the Registration of Electors Rules, 1960."
    # Headings are shown as the Rules' words: an amendment marker's footnote number is not one of them.
    rules = _by_number(doc)
    assert rules["25"].heading == "Revision of rolls."
    assert rules["27"].heading == "Appeals from * * * under rule 26."
    assert not [s.heading for s in doc.sections if re.search(r"\d\[|\^", s.heading)]


@needs_corpus
def test_constitution_xml_243za_and_kind():
    doc = read_document(CORPUS / "central" / "constitution-of-india.indiankanoon.xml")
    s = _by_number(doc)
    assert all(x.kind == "article" for x in doc.sections)
    assert s["243ZA"].heading == "Elections to the Municipalities"
    assert s["243Z"].heading == "Audit of accounts of Municipalities"
    assert {"243ZB", "243ZC", "243ZD", "243ZE", "243ZF"} <= set(s)
    assert s["243A"].heading == "Gram Sabha"
    assert s["243ZA"].anchor and s["243ZA"].anchor.startswith("https://indiankanoon.org/doc/")


@needs_corpus
def test_constitution_json():
    doc = read_document(CORPUS / "central" / "constitution-of-india.civictech.json")
    s = _by_number(doc)
    assert len(doc.sections) == 465 and s["Preamble"].heading == "Preamble"
    lines = s["243F"].body.splitlines()
    assert lines[1].startswith("(a) if he is so disqualified") and lines[1].endswith("concerned:")
    assert lines[2].startswith("Provided that no person shall be disqualified")
    assert "\xa0" not in "".join(x.body for x in doc.sections)
    assert all(line.strip() for x in doc.sections for line in x.body.splitlines())
    # (e) and (f) of Art. 243 run together in the source; they are split.
    assert any(line.startswith("(f) “population”") for line in s["243"].body.splitlines())
    assert doc.source_url and all(x.kind == "article" for x in doc.sections)
    # "not more than 4 [five hundred and thirty members]": a marker, not the number 4 in the text.
    assert "not more than ^4[five hundred and thirty members]" in s["81"].body
    assert "after the year ^1[2026]" in s["55"].body
    assert not any(re.search(r"(?<![\w.,(^])\d{1,2} \[", x.body) for x in doc.sections)


EXPECTED_EXCERPTS = {
    "karnataka__karnataka-panchayat-raj-act-1993__s11-12.excerpt.txt": ["11", "12"],
    "kerala__kerala-panchayat-raj-act-1994__s29-34-35.excerpt.txt": ["29", "34", "35"],
    "kerala__kerala-municipality-act-1994__s85-86.excerpt.txt": ["85", "86"],
    "uttar-pradesh__up-panchayat-raj-act-1947__s5A.excerpt.txt": ["5-A"],
    "tamil-nadu__tn-panchayats-seventh-amendment-act-2008__s2-4.excerpt.txt": ["1", "2", "3", "4"],
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED_EXCERPTS))
def test_excerpts(name):
    doc = read_document(CORPUS / "excerpts" / name)
    assert [s.number for s in doc.sections] == EXPECTED_EXCERPTS[name]
    assert doc.partial and doc.source_url.startswith("http")
    assert doc.warnings[0].startswith("partial excerpt: PARTIAL EXCERPT")
    assert all(s.heading and s.body for s in doc.sections)
    assert all("excerpt ends here" not in s.body for s in doc.sections)


@needs_corpus
def test_excerpt_details():
    up = read_document(CORPUS / "excerpts" / "uttar-pradesh__up-panchayat-raj-act-1947__s5A.excerpt.txt")
    s = up.sections[0]
    assert s.heading == "Disqualification of membership" and s.body.startswith("^1[A personal shall be")
    kar = read_document(CORPUS / "excerpts" / "karnataka__karnataka-panchayat-raj-act-1993__s11-12.excerpt.txt")
    assert kar.sections[0].heading == "Qualification For membership"
    assert kar.sections[1].body.splitlines()[-1].startswith("(f) If he has been removed")
    # The Kerala page printed its lists as "1.", "2.": the Act's labels are lost; Karnataka's are not.
    kl = {
        x.number: x
        for x in read_document(
            CORPUS / "excerpts" / "kerala__kerala-panchayat-raj-act-1994__s29-34-35.excerpt.txt"
        ).sections
    }
    assert kl["34"].labels_lost and kl["35"].labels_lost and not any(x.labels_lost for x in kar.sections)
    # "his twenty-first year of age 25(on the date of filing of nomination)" with footnote 25: a marker.
    assert "twenty-first year of age ^25[(on the date of filing of nomination)]" in kl["29"].body
    ker = read_document(CORPUS / "excerpts" / "kerala__kerala-municipality-act-1994__s85-86.excerpt.txt")
    assert any("Section 8'" in w for w in ker.warnings)  # the blog's "Section 8-" is s.85
    assert "(f) he makes and subscribes" in _by_number(ker)["85"].body
    kpr = read_document(CORPUS / "excerpts" / "kerala__kerala-panchayat-raj-act-1994__s29-34-35.excerpt.txt")
    assert _by_number(kpr)["29"].footnotes == (("25", "Added by Act 7 of 1995"), ("*", "Inserted by Act 9 of 2003"))


@needs_corpus
def test_detect_format_on_every_corpus_file():
    expected_suffix = {
        ".indiacode.md": "indiacode-md",
        ".indiankanoon.xml": "indiankanoon-xml",
        ".civictech.json": "constitution-json",
        ".excerpt.txt": "excerpt-txt",
        ".pdf": "pdf",
        ".indiacode-sections.json": "indiacode-sections-json",
        ".indiacode-actpage.html": "indiacode-html",
    }
    seen = 0
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.name == "README.md" or path.parent.name == "catalog":
            continue
        fmt = detect_format(path)
        assert fmt in READERS, path
        for suffix, want in expected_suffix.items():
            if path.name.endswith(suffix):
                assert fmt == want, path
        seen += 1
    # Every file is a catalogued source, or the act page's table-of-contents companion: a new
    # document in the shared corpus fails here until corpus/acts.yaml lists it.
    from kb.reference import load_reference

    catalogue = load_reference(Path(__file__).resolve().parents[1] / "corpus", CORPUS, check_files=False)
    catalogued = {source.file for _, source in catalogue.sources()}
    assert seen == len(catalogued | {"maharashtra/village-panchayats-act-1959.indiacode-toc.json"})
    # Not statute documents: detect_format has no format of its own for them.
    assert (
        detect_format(CORPUS / "maharashtra" / "village-panchayats-act-1959.indiacode-toc.json")
        == "indiacode-sections-json"
    )
    with pytest.raises(ReaderError):
        detect_format(CORPUS / "catalog" / "indiacode-local-body-acts-2025.json")
