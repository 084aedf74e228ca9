from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import markdown as markdown_lib
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter as _letter

from kb.model import Row
from kb.render import FORMATS, format_for_path, render_bytes, render_table
from kb.render.html import render_fragment
from kb.render.records import COLUMNS, flat, table_records
from kb.vocab import CellStatus
from tests.render_factories import FORMULA, HOSTILE, make_cell, make_table

NO_PROVISION = CellStatus.NOT_REVIEWED.value

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def table():
    return make_table()


def unsafe_markup(soup: BeautifulSoup) -> list[str]:
    """Script elements, on* handlers and javascript: links left in a parsed page."""
    found = [f"<{tag.name}>" for tag in soup.find_all(["script", "iframe", "object", "embed"])]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{tag.name}[{name}]")
            if name in ("href", "src") and str(value).strip().lower().startswith("javascript:"):
                found.append(f"{tag.name}[{name}={value}]")
    return found


def xlsx_sheet_rows(data: bytes, sheet: str) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(data))
    # Excel has no empty string: "" reads back as an empty (None) cell.
    rows = workbook[sheet].iter_rows(values_only=True)
    return [["" if v is None else v for v in row] for row in rows]


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_to_a_file(table, fmt, tmp_path):
    out = tmp_path / f"table.{fmt}"
    assert render_table(table, fmt, out) is None
    data = out.read_bytes()
    if fmt == "xlsx":
        # An xlsx is a zip whose entries carry the second they were written: compare the cells.
        assert data[:2] == b"PK"
        assert _xlsx_cells(render_bytes(table, fmt)) == _xlsx_cells(data)
    else:
        assert render_bytes(table, fmt) == data
        text = data.decode("utf-8")
        assert render_table(table, fmt) == text
        assert "MN" in text and "21 years" in text


def _xlsx_cells(data: bytes) -> dict[str, list[tuple]]:
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def test_unknown_format_names_the_valid_ones(table):
    with pytest.raises(ValueError) as err:
        render_table(table, "pdf")
    for fmt in FORMATS:
        assert fmt in str(err.value)


def test_binary_format_needs_a_path(table):
    with pytest.raises(ValueError, match="binary"):
        render_table(table, "xlsx")


def test_format_for_path():
    assert format_for_path("out/briefing.XLSX") == "xlsx"
    assert format_for_path("t.md") == "markdown"
    with pytest.raises(ValueError, match="xlsx"):
        format_for_path("t.docx")


def test_misaligned_row_is_refused_by_every_format(table):
    short = replace(table, rows=(Row("r", "R", (make_cell(),)),))
    for fmt in FORMATS:
        with pytest.raises(ValueError, match="1 cells for 3 jurisdictions"):
            render_bytes(short, fmt)


def test_text_formats_do_not_import_openpyxl():
    code = (
        "import sys\n"
        "from kb.render import render_table\n"
        "from tests.render_factories import make_table\n"
        "for f in ('text', 'markdown', 'html', 'csv', 'json'):\n"
        "    render_table(make_table(), f)\n"
        "print('openpyxl' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- records, csv, json, xlsx agree ----------------------------------------------------------


def test_records_status_and_fields(table):
    records = {(r["rule_key"], r["jurisdiction"]): r for r in table_records(table)}
    assert len(records) == 9
    plain = records["candidate-min-age", "MH"]
    assert plain["status"] == "verified" and plain["body"] == "panchayat" and plain["as_of"] == "2024-04-01"
    assert plain["in_force_from"] == "1959-06-01" and plain["secondary"] is False
    assert plain["text_is_statute"] is True and plain["in_force"] == "in force from 1 June 1959"
    empty = records["candidate-min-age", "DL"]
    assert (empty["status"], empty["value"], empty["note"]) == (NO_PROVISION, None, None)
    assert empty["citation"] is None and empty["inherited_via"] == []
    assert records["two-child-norm", "MN"]["note"] == "Act silent; check rules"
    secondary = records["two-child-norm", "MH"]
    assert secondary["status"] == "secondary (not verified against text)" and secondary["secondary"] is True
    assert secondary["text_is_statute"] is False  # a secondary rule's words are never a quotation
    inherited = records["two-child-norm", "DL"]
    assert inherited["status"] == "inherited"
    assert inherited["inherited_via"] == ["RPA-1951 s.8", "DL-MCA-1957 s.9"]
    assert records["candidate-min-age", "MN"]["repealed_on"] == "2020-01-01"
    hostile = records["hostile-<b>", "MH"]
    assert hostile["value"] == HOSTILE
    assert hostile["source_url"] == "javascript:alert(3)"  # the address is data, shown in full
    statute = records["hostile-<b>", "MN"]
    assert statute["text"] == "@sum(1)" and statute["text_is_statute"] is True


def test_csv_json_and_xlsx_cells_agree_cell_by_cell(table):
    csv_rows = list(csv.reader(io.StringIO(render_table(table, "csv"), newline="")))
    document = json.loads(render_table(table, "json"))
    xlsx_rows = xlsx_sheet_rows(render_bytes(table, "xlsx"), "Cells")

    assert csv_rows[0] == list(COLUMNS) == document["columns"] == xlsx_rows[0]
    json_rows = [[flat(c, record[c]) for c in COLUMNS] for record in document["records"]]
    assert len(csv_rows) - 1 == len(json_rows) == len(xlsx_rows) - 1 == 9
    for csv_row, json_row, xlsx_row in zip(csv_rows[1:], json_rows, xlsx_rows[1:]):
        # CSV defuses formulas with a leading ' (csv_safe); xlsx stores them as text cells instead.
        assert [c[1:] if c.startswith("'") and c[1:2] in "=+-@" else c for c in csv_row] == json_row == xlsx_row


def test_json_header(table):
    header = json.loads(render_table(table, "json"))["header"]
    assert header == {
        "title": table.title,
        "as_of": "2024-04-01",
        "body": "panchayat",
        "baseline": None,
        "jurisdictions": ["MH", "MN", "DL"],
        "notes": list(table.notes),
    }


def test_csv_keeps_multiline_quote_in_one_field(table):
    rows = list(csv.DictReader(io.StringIO(render_table(table, "csv"), newline="")))
    mn = next(r for r in rows if r["rule_key"] == "candidate-min-age" and r["jurisdiction"] == "MN")
    assert mn["text"] == "line one\nline two"


# --- xlsx ------------------------------------------------------------------------------------


def test_xlsx_sheets_header_and_frozen_panes(table):
    workbook = load_workbook(io.BytesIO(render_bytes(table, "xlsx")))
    assert workbook.sheetnames[:2] == ["Table", "Cells"]
    grid, cells = workbook["Table"], workbook["Cells"]
    assert grid.freeze_panes == "B2" and cells.freeze_panes == "A2"
    assert [c.value for c in grid[1]] == ["Rule", "MH", "MN", "DL"]
    assert grid["A1"].font.bold and grid["B2"].alignment.wrap_text
    assert grid["A2"].value == "Minimum age of a candidate"  # the factory's rows carry no body
    assert grid["B2"].value == (
        '21 years\nverified\nMH-VPA-1959 s.14(1)(a)\nText: "has not attained the age of twenty-one years"\n'
        "in force from 1 June 1959"
    )
    assert grid["D2"].value == f"({NO_PROVISION})"
    assert "Source (ungraded): https://example.org/summary?a=1&b=2" in grid["B3"].value
    assert "Summary (reviewer's words, not statute text)" not in grid["B3"].value  # the factory has no summary
    assert "inherited via RPA-1951 s.8 > DL-MCA-1957 s.9" in grid["D3"].value
    text_column = COLUMNS.index("text") + 1
    assert grid.column_dimensions["B"].width == 40 and cells.column_dimensions[_letter(text_column)].width == 60


def test_xlsx_stores_formula_like_text_as_text(table):
    grid = load_workbook(io.BytesIO(render_bytes(table, "xlsx")))["Table"]
    assert grid["C4"].data_type == "s"
    assert grid["C4"].value.startswith(FORMULA + "\nverified\n+cmd")


# --- html ------------------------------------------------------------------------------------


def test_html_is_inert_and_escapes_hostile_text(table):
    page = render_table(table, "html")
    soup = BeautifulSoup(page, "lxml")
    assert unsafe_markup(soup) == []
    assert "<script>" not in page and 'onerror="x' not in page
    assert HOSTILE in soup.get_text()  # shown as text, not dropped
    assert soup.find("link") is None and soup.find("style") is not None  # self-contained


def test_html_cells_show_authority_and_marks(table):
    soup = BeautifulSoup(render_table(table, "html"), "lxml")
    rows = soup.select("tbody tr")
    mh, mn, dl = rows[0].find_all("td")
    assert mh.find("cite").get_text() == "MH-VPA-1959 s.14(1)(a)"
    assert "twenty-one" in mh.find("blockquote").get_text()
    assert "in force from 1 June 1959" in mh.get_text()
    assert "repealed on 1 January 2020" in mn.get_text()
    assert "empty" in dl["class"] and dl.select_one(".status").get_text() == table.rows[0].cells[2].status

    secondary, empty_with_note, inherited = rows[1].find_all("td")
    assert secondary.select_one(".status").get_text() == CellStatus.SECONDARY.value
    mark = secondary.select_one(".mark.secondary")
    assert mark.find("a")["href"] == "https://example.org/summary?a=1&b=2"
    assert "Act silent; check rules" in empty_with_note.select_one(".note").get_text()
    assert inherited.select_one(".mark.inherited").get_text() == ("inherited via RPA-1951 s.8 > DL-MCA-1957 s.9")

    hostile = rows[2].find_all("td")[0]
    assert hostile.find("a") is None  # javascript: source is shown, not linked
    assert "javascript:alert(3)" in hostile.select_one(".mark.secondary").get_text()


def test_html_fragment_is_just_the_table(table):
    fragment = render_fragment(table)
    soup = BeautifulSoup(fragment, "lxml")
    assert fragment.startswith("<table") and fragment.endswith("</table>")
    assert soup.find("html").find("body").find_all(recursive=False) == [soup.find("table")]
    assert [th.get_text() for th in soup.select("thead th")] == ["Rule", "MH", "MN", "DL"]
    assert unsafe_markup(soup) == []


# --- markdown --------------------------------------------------------------------------------


def split_pipe_row(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|")
    return re.split(r"(?<!\\)\|", line[1:-1])


def test_markdown_has_a_column_per_jurisdiction(table):
    lines = [line for line in render_table(table, "markdown").splitlines() if line.startswith("|")]
    assert [c.strip() for c in split_pipe_row(lines[0])] == ["Rule", "MH", "MN", "DL"]
    assert len(lines) == 2 + len(table.rows)
    for line in lines:
        assert len(split_pipe_row(line)) == 1 + len(table.jurisdictions), line


def test_markdown_renders_to_inert_html_with_the_same_table(table):
    html = markdown_lib.markdown(render_table(table, "markdown"), extensions=["tables"])
    soup = BeautifulSoup(html, "lxml")
    assert unsafe_markup(soup) == []
    assert [th.get_text() for th in soup.select("thead th")] == ["Rule", "MH", "MN", "DL"]
    body_rows = soup.select("tbody tr")
    assert [len(r.find_all("td")) for r in body_rows] == [4, 4, 4]
    assert body_rows[0].find_all("td")[3].get_text() == f"({NO_PROVISION})"
    assert HOSTILE in body_rows[2].find_all("td")[1].get_text()
    assert "a | b" in body_rows[2].find_all("td")[3].get_text()


# --- text ------------------------------------------------------------------------------------


def test_text_reads_down_one_block_per_rule(table):
    text = render_table(table, "text")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)  # no ESC / form feed
    block = text.split("\n\n")[1].splitlines()
    assert block[0] == "Minimum age of a candidate  [candidate-min-age]"
    assert block[1] == "  MH  21 years"
    assert f"  DL  ({NO_PROVISION})" in block
    assert "secondary (not verified against text)" in text
    assert "Source (ungraded): https://example.org/summary?a=1&b=2" in text
    assert "inherited via RPA-1951 s.8 > DL-MCA-1957 s.9" in text
    assert max(len(line) for line in text.splitlines()) <= 100
