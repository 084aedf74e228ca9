"""PDF reader (official Maharashtra consolidated Acts) and India Code HTML readers, on the real corpus."""

from __future__ import annotations

import ctypes
import os
import re
from datetime import date
from pathlib import Path

import pytest

from indexer.readers import read_document
from indexer.readers.indiacode_html import fragment_to_body
from kb.errors import ReaderError

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "maharashtra"
VPA = CORPUS / "village-panchayats-act-1959.pdf"
MCA = CORPUS / "municipal-councils-nagar-panchayats-industrial-townships-act-1965.pdf"
SEC_PDF = CORPUS / "state-election-commissioner-act-1994.pdf"
SEC_JSON = CORPUS / "state-election-commissioner-act-1994.indiacode-sections.json"
SEC_PAGE = CORPUS / "state-election-commissioner-act-1994.indiacode-actpage.html"
VPA_PAGE = CORPUS / "village-panchayats-act-1959.indiacode-actpage.html"

needs_corpus = pytest.mark.skipif(not VPA.is_file(), reason="shared corpus not beside the checkout")

# A clause label at a line start, after an optional amendment marker: "(1)", "^p24-3[(j-1)".
_LINE_LABEL_RE = re.compile(r"^(?:\^[\w-]+\[)?\(([0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)\)", re.MULTILINE)


def _labels(body: str) -> list[str]:
    return _LINE_LABEL_RE.findall(body)


@pytest.fixture(scope="module")
def vpa():
    return read_document(VPA)


@pytest.fixture(scope="module")
def mca():
    return read_document(MCA)


def _section(doc, number):
    found = [s for s in doc.sections if s.number == number]
    assert len(found) == 1, f"s.{number} found {len(found)} times"
    return found[0]


# ----------------------------------------------------------------------------- PDF, real files


@needs_corpus
def test_vpa_metadata(vpa):
    assert vpa.format == "pdf"
    assert vpa.title == "The Maharashtra Village Panchayats Act"
    assert vpa.text_as_on == date(2025, 4, 4)
    assert len(vpa.sha256) == 64


@needs_corpus
def test_vpa_election_sections_and_headings(vpa):
    expected = {
        "13": "Persons qualified to vote and be elected.",
        "14": "Disqualifications.",
        "14A": "Disqualification arising out of certain convictions and corrupt practices under this Act.",
        "14B": "Disqualification by State Election Commission.",
        "16": "Disability from continuing as member.",
    }
    for number, heading in expected.items():
        assert _section(vpa, number).heading == heading
    numbers = [s.number for s in vpa.sections]
    # Contents and list of amending Acts are skipped; schedules are not sections.
    assert numbers[0] == "1" and numbers[-1] == "188"
    assert {"10-1A", "30A-1A", "8AA", "54-1A"} <= set(numbers)
    assert len(numbers) == len(set(numbers))


@needs_corpus
def test_vpa_s14_clauses_without_headers_or_footnotes(vpa):
    s14 = _section(vpa, "14")
    labels = _labels(s14.body)
    for label in ["1", "a", "a-1", "b", "c", "c-1", "h", "h-1", "i", "j", "j-1", "j-2", "j-3", "j-4", "j-5", "k"]:
        assert label in labels, label
    assert "The Maharashtra Village Panchayats Act" not in s14.body
    assert "1959 : III]" not in s14.body
    assert "^p24-3[(j-1) has more than two children :" in s14.body
    assert s14.footnote("p24-3") == "Clause (J-1) was inserted by Mah. 44 of 2000, s. (2)(a)."
    # "convicted— (i) ... or (ii) ..." wraps at line starts: sub-clauses open lines too.
    assert re.search(r"^\(i\) of an offence under the Untouchability", s14.body, re.MULTILINE)


@needs_corpus
def test_vpa_s13_subsections(vpa):
    s13 = _section(vpa, "13")
    assert _labels(s13.body) == ["1", "2", "2A", "3"]
    assert s13.container == ("CHAPTER II - GRAM SABHAS, ESTABLISHMENT AND CONSTITUTION OF PANCHAYATS",)
    assert "minimum 7th standard of school education" in s13.body


@needs_corpus
def test_a_chapter_title_on_several_lines_is_not_section_text(vpa, mca):
    # "CHAPTERXII" (no space) over "PROVISIONS FOR ... INTO A Panchayat AND FOR / AMALGAMATION AND
    # DIVISION OF Panchayats": the title's words were the end of s.155, and Chapter III-A's second
    # line "SCHEDULED AREAS" the end of s.54's Explanation.
    assert _section(vpa, "155").body.endswith("may revise or modify the order as it shall deem just.")
    assert _section(vpa, "156").container == (
        "CHAPTER XII - PROVISIONS FOR CONVERSION OF A MUNICIPALITY INTO A PANCHAYAT AND FOR "
        "AMALGAMATION AND DIVISION OF PANCHAYATS",
    )
    assert not _section(vpa, "54").body.rstrip("]").endswith("SCHEDULED AREAS")
    assert _section(vpa, "54-1A").container[0].endswith("PANCHAYAT IN SCHEDULED AREAS")
    # "CHAPTER IXA [***]" (an omitted chapter, its number without a hyphen) ended MH MCA s.148.
    assert _section(mca, "148").body.endswith("The rates of such higher fees shall also be determined by the by-laws.")
    assert "CHAPTER IXA is omitted in the source (The Chapter IXA and sections 148A to 148O were deleted" in " ".join(
        mca.warnings
    )


@needs_corpus
def test_no_running_headers_footnotes_or_raw_markers_in_any_body(vpa, mca):
    for doc in (vpa, mca):
        for section in doc.sections:
            for line in section.body.splitlines():
                assert not re.match(
                    r"^\d{1,2} (Section|This|These|Clause|Sub-section|Maharashtra Ordinance)\b", line
                ), (section.number, line)
                assert not re.search(r"\d{4} : (Mah\. )?[XLVI]+\]", line), (section.number, line)
                assert "\x01" not in line and "\x02" not in line
            assert not re.search(r"\[\s*\*", section.body), section.number


@needs_corpus
def test_markers_are_canonical_and_keys_unique_per_section(vpa, mca):
    for doc in (vpa, mca):
        for section in doc.sections:
            keys = [key for key, _ in section.footnotes]
            assert len(keys) == len(set(keys)), section.number
            for key in re.findall(r"\^([\w-]+)(?:\[|\*\*\*)", section.body):
                assert re.fullmatch(r"p\d+-\d+", key)
                assert section.footnote(key), (section.number, key)
    s1 = _section(vpa, "1")
    assert s1.body == "This Act may be called ^p13-2[the Maharashtra Village Panchayats Act]."
    assert s1.footnote("p13-2").startswith("This short title was substituted for")
    s3 = _section(vpa, "3")
    assert s3.body.splitlines()[1] == "^p13-5***"
    assert s3.footnote("p13-5") == "This clause was deleted by Mah. 21 of 1994, s. 2(1)."
    # s.3 runs over three pages whose footnotes all restart at 1.
    assert {"p13-10", "p14-10", "p15-10"} <= {k for k, _ in s3.footnotes}


@needs_corpus
def test_plain_footnote_reference_is_dropped_from_text_but_kept(vpa):
    s2 = _section(vpa, "2")
    assert "on such date as the State Government" in s2.body
    assert s2.footnote("p13-4").endswith("dated 23rd May 1959.")


@needs_corpus
def test_deleted_sections_are_repealed(vpa):
    for number in ("6", "8A", "17", "30A-1B", "41", "134A"):
        assert _section(vpa, number).repealed, number
    assert _section(vpa, "6").body == "^p16-6***"
    assert not _section(vpa, "14").repealed


@needs_corpus
def test_mca_group_headings_printed_in_the_plural_the_contents_gives_in_the_singular(mca):
    """ "(6) Powers of requisitioning ..." is listed as "(6) Power ..."; read as text it became
    sub-section (6) of s.34 (and "(3) Election and publication ..." a sub-section of s.9A)."""
    assert _section(mca, "34").body.splitlines()[-1].startswith("No Court shall")
    assert "Election and publication" not in _section(mca, "9A").body
    assert _section(mca, "35").container[-1] == "(6) Powers of requisitioning for election purposes."
    assert _section(mca, "113").container[-1] == "(2) Assessment and liability to tax on buildings and lands."


def test_mca_s16_and_dates(mca):
    assert mca.text_as_on == date(2025, 4, 4)
    assert mca.title.startswith("The Maharashtra Municipal Councils, Nagar Panchayats")
    s16 = _section(mca, "16")
    assert s16.heading == "Disqualification for becoming councillor."
    labels = _labels(s16.body)
    for label in ["1", "a1", "a", "aa", "ab", "ac", "k", "l", "m", "1A", "1B", "1C", "1D", "2", "2A", "3", "4"]:
        assert label in labels, label
    assert _section(mca, "350").repealed


def test_quotation_marks_a_font_shifts_are_read_as_printed(vpa, mca):
    # The MCA's font gives ―child‖ and ‗A‘ Class for the printed “child” and ‘A’ Class.
    s16 = _section(mca, "16").body
    assert "\u201cchild\u201d does not include an adopted child" in s16
    assert "\u2018A\u2019 Class" in _section(mca, "4").body
    assert "candidate\u2019s name" in "".join(s.body for s in mca.sections)
    assert not any(mark in s.body for s in mca.sections for mark in "\u2015\u2016\u2017")
    assert any("quotation marks" in w for w in mca.warnings)
    # The VPA prints real quotation marks: nothing is changed there.
    assert not any("quotation marks" in w for w in vpa.warnings)
    assert any("\u201c" in s.body for s in vpa.sections)


@needs_corpus
def test_sec_act_pdf():
    doc = read_document(SEC_PDF)
    assert doc.text_as_on == date(2024, 3, 21)
    assert doc.title == "The State Election Commissioner (Qualifications and Appointment) Act, 1994"
    assert [s.number for s in doc.sections] == [str(n) for n in range(1, 11)]
    s4 = _section(doc, "4")
    assert s4.heading == "Salary."
    assert s4.body.startswith("^p5-2[There shall be paid")
    assert "31st day of May 2000" in s4.body


# ----------------------------------------------------------------------------- PDF, bad files


@needs_corpus
def test_truncated_pdf_is_a_reader_error(tmp_path):
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(VPA.read_bytes()[: 20 * 1024])
    with pytest.raises(ReaderError) as info:
        read_document(bad)
    assert str(bad) in info.value.one_line()


def test_random_bytes_pdf_is_a_reader_error(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(os.urandom(4096).replace(b"%PDF", b"xxxx"))
    for fmt in (None, "pdf"):
        with pytest.raises(ReaderError) as info:
            read_document(bad, fmt=fmt)
        assert str(bad) in info.value.one_line()


def test_pdf_without_text_layer(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.new_page(595, 842)
    blank = tmp_path / "scan.pdf"
    pdf.save(str(blank))
    with pytest.raises(ReaderError, match="no text layer"):
        read_document(blank)


def _write_text_pdf(path: Path, pages: list[list[tuple[str, float, float, float]]]) -> None:
    """A PDF whose pages carry (text, size, x, baseline) runs in Helvetica, like the official layout."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument.new()
    for runs in pages:
        page = pdf.new_page(595, 842)
        for text, size, x, y in runs:
            obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
            buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(path))


def test_synthetic_pdf_headers_superscripts_and_per_page_footnotes(tmp_path):
    path = tmp_path / "tiny.pdf"
    header = "1999 : I] The Tiny Act"
    _write_text_pdf(
        path,
        [
            [
                (f"{header} 1", 11, 72, 797),
                ("THE TINY ACT", 11, 72, 774),
                ("[Text as on 2nd May 2020]", 11, 72, 755),
                ("ACT No. I of 1999", 11, 72, 700),
                ("1. Short title.— This Act may be called", 11, 72, 680),
                ("1", 7, 280, 684),
                ("[the Tiny Act].", 11, 285, 680),
                ("2. Rules.— (1) The Government may make rules.", 11, 72, 660),
                ("2", 7, 310, 664),
                ("(2) A rule shall be laid", 11, 72, 647),
                ("1", 6, 72, 100),
                ("Substituted by Mah. 1 of 2000.", 9, 78, 97),
                ("2", 6, 72, 88),
                ("See the Gazette.", 9, 78, 85),
            ],
            [
                (f"2 {header}", 11, 72, 797),
                ("1", 7, 72, 778),
                ("[* * *]", 11, 78, 774),
                ("(3) Omitted matter ends here.", 11, 72, 761),
                ("1", 6, 72, 100),
                ("Sub-section (2A) was deleted by Mah. 2 of 2001.", 9, 78, 97),
            ],
        ],
    )
    doc = read_document(path)
    assert doc.title == "The Tiny Act"
    assert doc.text_as_on == date(2020, 5, 2)
    s1, s2 = doc.sections
    assert s1.body == "This Act may be called ^p1-1[the Tiny Act]."
    assert s1.footnotes == (("p1-1", "Substituted by Mah. 1 of 2000."),)
    assert s2.body.splitlines() == [
        "(1) The Government may make rules.",
        "(2) A rule shall be laid",
        "^p2-1***",
        "(3) Omitted matter ends here.",
    ]
    assert dict(s2.footnotes) == {"p1-2": "See the Gazette.", "p2-1": "Sub-section (2A) was deleted by Mah. 2 of 2001."}
    assert "Tiny Act 1" not in doc.text and "1999 : I]" not in doc.text


# ----------------------------------------------------------------------------- India Code HTML


@needs_corpus
def test_sections_json():
    doc = read_document(SEC_JSON)
    assert doc.format == "indiacode-sections-json"
    assert not doc.partial and not doc.warnings
    assert doc.title == "State Election Commissioner (Qualifications and Appointment) Act, 1994"
    assert [s.number for s in doc.sections] == [str(n) for n in range(1, 11)]
    s4 = _section(doc, "4")
    assert s4.heading == "Salary."
    assert s4.body.startswith("^1[There shall be paid to the State Election Commissioner,-\n(a) during")
    assert "4. Salary" not in s4.body
    assert s4.footnotes == (("1", "This section was substituted by Mah. 37 of 2000, s. 2."),)
    assert "31st day of May 2000" in s4.body
    assert s4.anchor.startswith("https://www.indiacode.nic.in/show-data?") and "sectionId=85259" in s4.anchor
    assert _labels(_section(doc, "2").body) == ["1", "2"]


def test_fragment_markers_and_footnotes():
    body, notes, warnings = fragment_to_body(
        "<span></span>(<i>1</i>) Words <sup>2</sup>[* * *] and <sup>3</sup>[new words] on such date<sup>4</sup> "
        'ends.</br><hr class="hr1"/>\r\n<span></span>Provided that, more.</br>',
        "</br><hr/>2. Omitted by Mah. 1 of 2000.</br><hr/>3. Ins. by Mah. 2 of 2001.</br><hr/>4. 1st June 1959.</br>",
        "5",
        "Rules.",
    )
    assert body == "(1) Words ^2*** and ^3[new words] on such date ends.\nProvided that, more."
    assert dict(notes) == {"2": "Omitted by Mah. 1 of 2000.", "3": "Ins. by Mah. 2 of 2001.", "4": "1st June 1959."}
    assert warnings == []
    _, _, warnings = fragment_to_body("<sup>7</sup>[x]", "", "1", "")
    assert warnings == ["no footnote 7 for its marker"]


@needs_corpus
def test_act_pages_give_table_of_contents_only():
    doc = read_document(SEC_PAGE)
    assert doc.format == "indiacode-html" and doc.partial
    assert doc.source_url == "http://hdl.handle.net/123456789/16733"
    assert [s.number for s in doc.sections] == [str(n) for n in range(1, 11)]
    assert all(s.body == "" for s in doc.sections)
    assert any("table of contents only" in w for w in doc.warnings)
    vpa_page = read_document(VPA_PAGE)
    assert _section(vpa_page, "14A").heading.startswith("Disqualification arising out of certain convictions")
    assert _section(vpa_page, "8A").repealed
    assert "sectionId=" in _section(vpa_page, "13").anchor
    assert any("63 to 123" in w for w in vpa_page.warnings)


@needs_corpus
def test_sec_act_pdf_and_india_code_agree():
    """Same Act, two publishers: section numbers and line-start clause labels must agree."""
    pdf = {s.number: s for s in read_document(SEC_PDF).sections}
    web = {s.number: s for s in read_document(SEC_JSON).sections}
    assert list(pdf) == list(web)
    agree = [n for n in pdf if _labels(pdf[n].body) == _labels(web[n].body)]
    fraction = len(agree) / len(pdf)
    print(f"\nSEC Act: {len(agree)}/{len(pdf)} sections agree on clause labels ({fraction:.0%})")
    assert fraction == 1.0, [n for n in pdf if n not in agree]
    for number in pdf:
        assert pdf[number].heading.rstrip(".") == web[number].heading.rstrip("."), number
        # Marker keys differ by design (p5-2 vs 1); the number of markers must not.
        assert len(re.findall(r"\^[\w-]+\[", pdf[number].body)) == len(re.findall(r"\^[\w-]+\[", web[number].body))
