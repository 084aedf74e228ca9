"""`seckb coverage`: every State/UT, its true status per body, dates and rule provenance."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kb.coverage import coverage
from kb.knowledge import KnowledgeBase
from kb.render.coverage import render_coverage


@pytest.fixture(scope="module")
def cov(built_kb):
    with KnowledgeBase.open(built_kb) as handle:
        return coverage(handle)


def _row(cov, code):
    return next(r for r in cov.rows if r.code == code)


def test_all_36_states_and_uts_and_the_central_layer(cov):
    assert len(cov.states_and_uts) == 36
    assert [r.code for r in cov.rows if r.type == "central"] == ["IN"]
    summary = cov.summary()
    assert summary["total"] == 36
    assert sum(summary[s] for s in ("full", "partial", "catalogued", "none")) == 36


def test_status_is_what_the_knowledge_base_holds(cov):
    mh = _row(cov, "MH")
    assert {c: mh.cells[c].status for c in ("panchayat", "municipal", "sec")} == {
        "panchayat": "full",
        "municipal": "full",
        "sec": "full",
    }
    vpa = next(a for a in mh.cells["panchayat"].acts if a.act_id == "MH-VPA-1959")
    assert vpa.text_as_on.isoformat() == "2025-04-04"
    assert _row(cov, "KA").cells["panchayat"].status == "partial"  # only an excerpt
    assert _row(cov, "AP").status == "catalogued"
    assert _row(cov, "LA").status == "none"  # the catalogue lists no Act for Ladakh


def test_rule_counts_follow_the_secondary_flag(cov, built_kb):
    from sqlalchemy import func, select

    from kb.store import tables as t

    with KnowledgeBase.open(built_kb) as handle, handle.session() as session:
        secondary = session.scalar(select(func.count()).select_from(t.Rule).where(t.Rule.secondary))
        total = session.scalar(select(func.count()).select_from(t.Rule))
    assert cov.summary()["rules_secondary"] == secondary
    assert cov.summary()["rules_verified"] == total - secondary


def test_every_format_renders_every_jurisdiction(cov):
    data = json.loads(render_coverage(cov, "json"))
    assert len(data["jurisdictions"]) == 37
    rows = list(csv.DictReader(io.StringIO(render_coverage(cov, "csv"))))
    assert {r["code"] for r in rows} == {r.code for r in cov.rows}
    assert any(r["act_id"] == "MH-SECA-1994" and r["text_as_on"] == "2024-03-21" for r in rows)
    md = render_coverage(cov, "md")
    assert md.count("\n| ") == 38  # header + 37 rows
    assert "full text: MH-SECA-1994 (as on 2024-03-21)" in md
    assert "36 States/UTs:" in render_coverage(cov, "text")


def test_html_escapes_everything(cov):
    _row(cov, "MH").name = "<script>alert(1)</script> & Co"
    try:
        page = render_coverage(cov, "html")
    finally:
        _row(cov, "MH").name = "Maharashtra"
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
