"""Comparison tables for the renderer tests: every kind of cell, and text that tries to escape."""

from __future__ import annotations

from datetime import date

from kb.model import Cell, ComparisonTable, Row
from kb.vocab import CellStatus

HOSTILE = '<script>alert(1)</script> " onerror="x & <img src=x onerror=alert(2)>'
FORMULA = '=HYPERLINK("http://evil","click")'


def make_cell(value: str | None = "21 years", **fields) -> Cell:
    """A cell whose status follows what it is (as kb.compare makes them)."""
    if "status" not in fields:
        if value is None:
            fields["status"] = CellStatus.NOT_REVIEWED
        elif fields.get("secondary"):
            fields["status"] = CellStatus.SECONDARY
        elif fields.get("inherited_via"):
            fields["status"] = CellStatus.INHERITED
    defaults = {
        "citation": "MH-VPA-1959 s.14(1)(a)",
        "quote": "has not attained the age of twenty-one years",
        "in_force_from": date(1959, 6, 1),
        "source_url": "https://www.indiacode.nic.in/handle/123456789/mh-vpa",
    }
    if value is None:
        defaults = {}
    return Cell(value=value, **{**defaults, **fields})


def make_table(**fields) -> ComparisonTable:
    """MH, MN, DL; rows hold plain, empty, secondary, inherited and hostile cells."""
    jurisdictions = ("MH", "MN", "DL")
    rows = (
        Row(
            "candidate-min-age",
            "Minimum age of a candidate",
            (
                make_cell("21 years"),
                make_cell(
                    "21 years", citation="MN-PRA-1994 s.22(a)", repealed_on=date(2020, 1, 1), quote="line one\nline two"
                ),
                make_cell(None),
            ),
        ),
        Row(
            "two-child-norm",
            "More than two children disqualifies",
            (
                make_cell(
                    "yes",
                    citation="MH-VPA-1959 s.14(1)(j-1)",
                    secondary=True,
                    source_url="https://example.org/summary?a=1&b=2",
                ),
                make_cell(None, note="Act silent; check rules"),
                make_cell("yes", citation="DL-MCA-1957 s.9", inherited_via=("RPA-1951 s.8", "DL-MCA-1957 s.9")),
            ),
        ),
        Row(
            "hostile-<b>",
            HOSTILE,
            (
                make_cell(
                    HOSTILE,
                    citation=HOSTILE,
                    quote=HOSTILE + "\x0c\x1b[31m",
                    note=HOSTILE,
                    source_url="javascript:alert(3)",
                    secondary=True,
                    inherited_via=(HOSTILE, "| pipe |"),
                ),
                make_cell(FORMULA, citation="+cmd", quote="@sum(1)", source_url=None, in_force_from=None),
                make_cell("a | b", citation="DL `x` *y* _z_ [l](http://x)"),
            ),
        ),
    )
    defaults = dict(
        title="Candidate eligibility & disqualification",
        as_of=date(2024, 4, 1),
        body="panchayat",
        jurisdictions=jurisdictions,
        rows=rows,
        notes=("Read with Art. 243F.", HOSTILE),
    )
    return ComparisonTable(**{**defaults, **fields})
