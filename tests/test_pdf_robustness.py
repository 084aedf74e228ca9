"""The PDF reader on layouts it was not written for: PDFs generated here imitate each difficulty."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "pdf_layouts"))

import layouts

from indexer.readers import read_document
from indexer.readers.excerpt_txt import read as read_excerpt
from kb.errors import ReaderError


def _read(builder, tmp_path: Path, *args):
    return read_document(builder(tmp_path / f"{builder.__name__}.pdf", *args), "pdf")


@pytest.mark.parametrize("side", ["left", "right"])
def test_marginal_headings_become_section_headings(tmp_path, side):
    doc = _read(layouts.marginal_headings, tmp_path, side)
    assert doc.title == "The Government Press Local Bodies Act, 1961"
    assert [(s.number, s.heading) for s in doc.sections] == [
        ("1", "Short title and extent."),
        ("2", "Definitions."),
        ("3", "Qualifications and disqualifications."),
    ]
    # The margin text is not spliced into the section text.
    assert doc.sections[0].body.startswith("(1) This Act may be called")
    assert "Short title" not in doc.sections[0].body and "cations" not in doc.sections[2].body
    assert doc.sections[2].body.splitlines()[1].startswith("(2) A person shall be disqualified")


def test_two_column_contents_are_not_sections(tmp_path):
    doc = _read(layouts.two_column_contents, tmp_path)
    assert [s.number for s in doc.sections] == [str(n) for n in range(1, 9)]
    assert doc.sections[0].body == "This Act may be called the Government Press Local Bodies Act, 1961."
    assert doc.sections[4].heading == "Term of office."
    assert all("Resignation." not in s.body for s in doc.sections)


def test_footnote_running_across_pages_is_joined(tmp_path):
    doc = _read(layouts.footnote_across_pages, tmp_path)
    s2 = doc.sections[1]
    assert "^p1-1[of an offence involving moral turpitude]" in s2.body
    assert s2.footnote("p1-1").endswith("section 2, which came into force on the 1st day of April 1971.")
    # ... and the run-on is not body text of the section printed above it on page 2.
    assert [s.number for s in doc.sections] == ["1", "2", "3", "4"]
    assert doc.sections[3].body == "A member may resign by writing under his hand."


def test_scanned_page_is_reported_not_silently_empty(tmp_path):
    doc = _read(layouts.scanned_page_in_the_middle, tmp_path)
    assert "page 2 has no text layer (scanned?)" in doc.warnings
    assert [s.number for s in doc.sections] == ["1", "5"]


def test_wholly_scanned_pdf_is_an_error(tmp_path):
    with pytest.raises(ReaderError, match="no text layer"):
        _read(layouts.wholly_scanned, tmp_path)


def test_devanagari_lines_are_kept_out_of_the_english_text():
    # No font with Devanagari glyphs is installed, so a generated PDF cannot carry Hindi text:
    # the line filter is tested on assembled lines directly.
    from indexer.readers.pdf import _drop_devanagari_lines, _Line

    lines = [
        _Line(y=700, parts=["5. Disqualifications.— A person shall be disqualified"]),
        _Line(y=686, parts=["५. निरर्हताएं.— कोई व्यक्ति निरर्हित होगा"]),
        _Line(y=672, parts=["if he is a member of the Gram Sabha (ग्राम सभा) in arrears."]),
    ]
    warnings: list[str] = []
    kept = _drop_devanagari_lines(lines, 3, warnings)
    assert [ln.text[:3] for ln in kept] == ["5. ", "if "]
    assert "(ग्राम सभा)" in kept[1].text  # a Hindi term inside English stays
    assert warnings == ["page 3: 1 line(s) in Devanagari (Hindi text) left out of the English text"]


def test_devanagari_digits_do_not_open_sections():
    from indexer.readers.pdf import _SECTION_RE

    assert _SECTION_RE.match("५. निरर्हताएं.— कोई व्यक्ति") is None
    assert _SECTION_RE.match("5. Disqualifications.— A person").group("num") == "5"


def test_hindi_mixed_plain_text_is_read(tmp_path):
    text = (Path(__file__).parent / "fixtures" / "pdf_layouts" / "hindi-mixed.excerpt.txt").read_text(encoding="utf-8")
    path = tmp_path / "hindi-mixed.excerpt.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_excerpt(path)
    assert [s.number for s in doc.sections] == ["11", "12"]
    assert "ग्राम पंचायत" in doc.sections[0].body
