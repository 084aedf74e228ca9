"""The same knowledge base on PostgreSQL: a build into a server gives what the SQLite build gives.

Needs SECKB_TEST_PG_URL (.ci/run starts a server and sets it); without it these tests skip.
"""

from __future__ import annotations

import re

import pytest
from conftest import pg_scratch_schema, scratch_url
from small_corpus import SmallKb
from sqlalchemy import func, select, text

from kb.knowledge import KnowledgeBase
from kb.store import tables as t
from tests.factories import note_markdown

CITATIONS = [
    "MH-VPA-1959 s.14(1)(j-1)",
    "MH VPA 1959 s.14(1)(j-1), first proviso",
    "Art. 243F(1)(a)",
    "243-K",
    "RPA 1950 s 19",
    "DL-DMCA-1957 s.9",
    "MN-PRA-1994 s.22",
    "IN-COI Art.239AA(1)",
]


@pytest.fixture(scope="module")
def both(built_kb, pg_built_kb):
    sqlite_kb = KnowledgeBase.open(built_kb)
    pg_kb = KnowledgeBase.open(*pg_built_kb)
    yield sqlite_kb, pg_kb
    sqlite_kb.close()
    pg_kb.close()


@pytest.mark.postgres
@pytest.mark.parametrize("table", sorted(t.Base.metadata.tables))
def test_row_counts_equal_per_table(both, table):
    counts = []
    for kb in both:
        with kb.session() as session:
            counts.append(session.scalar(select(func.count()).select_from(t.Base.metadata.tables[table])))
    assert counts[0] == counts[1], f"{table}: SQLite {counts[0]}, PostgreSQL {counts[1]}"


@pytest.mark.postgres
def test_the_database_really_is_postgresql(both):
    assert both[1].engine.dialect.name == "postgresql"
    with both[1].session() as session:
        assert session.scalar(text("SELECT count(*) FROM alembic_version")) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("citation", CITATIONS)
def test_citations_resolve_identically(both, citation):
    from kb.resolve import resolve_citation

    answers = []
    for kb in both:
        with kb.session() as session:
            row = resolve_citation(session, citation)
            answers.append(
                (
                    row.ref,
                    row.kind,
                    row.path,
                    row.text,
                    row.heading,
                    sorted(row.topics or []),
                    [(n.marker, n.action, n.summary) for n in row.notes],
                )
            )
    assert answers[0] == answers[1]


@pytest.mark.postgres
def test_search_and_show_answer_identically(both):
    from kb.query import SearchRequest, search
    from kb.show import show_provision

    request = SearchRequest(text="more than two children", states=["MH"], limit=10)
    hits = [[h.ref for h in search(kb, request).hits] for kb in both]
    assert hits[0] == hits[1] and hits[0]
    views = [show_provision(kb, "MH-VPA-1959 s.14(1)") for kb in both]
    assert views[0].subtree == views[1].subtree
    assert views[0].amendments == views[1].amendments


def test_compare_html_on_the_real_knowledge_base_is_inert(open_kb):
    """Every statute quote in the big comparison reaches HTML escaped, on either backend."""
    from kb.compare import CompareRequest, compare_states
    from kb.render import render_table

    table = compare_states(open_kb, CompareRequest())
    page = render_table(table, "html")
    assert sum(1 for row in table.rows for cell in row.cells if cell.quote) > 10
    assert "<script" not in page.lower()
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)
    assert not [tag for tag in tags if re.search(r"\son\w+\s*=", tag, re.IGNORECASE)]


NOTE = note_markdown("Two children on a server")


@pytest.fixture
def pg_scratch_url():
    """A PostgreSQL URL whose tables live in a schema of their own (the session's build keeps public)."""
    with pg_scratch_schema("kb") as name:
        yield scratch_url(name)


@pytest.mark.postgres
def test_build_notes_import_and_rebuild_on_postgresql(tmp_path, pg_scratch_url):
    """The writer path on a server: build, import a note, rebuild keeps it, show lists it."""
    kb = SmallKb(tmp_path)
    kb.env["SECKB_DB"] = pg_scratch_url
    assert kb.invoke(["build", "-q"]).exit_code == 0
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "two-children.md").write_text(NOTE)
    imported = kb.invoke(["notes", "import", str(notes)])
    assert imported.exit_code == 0, imported.output
    rebuilt = kb.invoke(["build", "-q", "--full"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Two children on a server" in kb.answer(["notes", "list"])
    assert "Two children on a server" in kb.answer(["show", "MH-VPA-1959 s.14(1)(j-1)"])
    with KnowledgeBase.open(kb.data, pg_scratch_url) as opened:
        assert opened.engine.dialect.name == "postgresql"
        with opened.session() as session:
            assert session.scalar(select(func.count()).select_from(t.Note)) == 1
