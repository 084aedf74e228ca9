"""Initial schema: catalogue, provisions, amendments, topics, rules, notes.

Written out table by table (not create_all) so that later migrations have a fixed starting
point; tests/test_migrations.py checks it against kb/store/tables.py with compare_metadata.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "jurisdictions",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("agenda_item", sa.Text(), nullable=False),
        sa.Column("jurisdictions", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "acts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(length=16), nullable=False),
        sa.Column("indiacode_url", sa.Text(), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("user_added", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["jurisdiction_code"], ["jurisdictions.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_acts_jurisdiction_code", "acts", ["jurisdiction_code"], unique=False)
    op.create_table(
        "note_citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.String(length=120), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_note_citations_note_id", "note_citations", ["note_id"], unique=False)
    op.create_index("ix_note_citations_ref", "note_citations", ["ref"], unique=False)
    op.create_table(
        "source_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.String(length=40), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("parser_version", sa.String(length=32), nullable=False),
        sa.Column("text_as_on", sa.Date(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("section_count", sa.Integer(), nullable=False),
        sa.Column("provision_count", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("outline", sa.JSON(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["act_id"], ["acts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("act_id", "path", name="uq_document_act_path"),
    )
    op.create_index("ix_source_documents_act_id", "source_documents", ["act_id"], unique=False)
    op.create_table(
        "provisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("path", sa.String(length=160), nullable=False),
        sa.Column("number_key", sa.String(length=40), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tail", sa.Text(), nullable=False),
        sa.Column("container", sa.Text(), nullable=False),
        sa.Column("anchor", sa.Text(), nullable=True),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("repealed", sa.Boolean(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["act_id"], ["acts.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["source_documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
    )
    op.create_index("ix_provision_act_path", "provisions", ["act_id", "path"], unique=False)
    op.create_index("ix_provisions_act_id", "provisions", ["act_id"], unique=False)
    op.create_index("ix_provisions_document_id", "provisions", ["document_id"], unique=False)
    op.create_index("ix_provisions_number_key", "provisions", ["number_key"], unique=False)
    op.create_index("ix_provisions_parent_id", "provisions", ["parent_id"], unique=False)
    op.create_table(
        "amendment_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("marker", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("footnote", sa.Text(), nullable=True),
        sa.Column("affected_text", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_amendment_notes_provision_id", "amendment_notes", ["provision_id"], unique=False)
    op.create_table(
        "rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=8), nullable=False),
        sa.Column("rule_key", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("citation", sa.String(length=200), nullable=True),
        sa.Column("provision_id", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("in_force_from", sa.Date(), nullable=True),
        sa.Column("repealed_on", sa.Date(), nullable=True),
        sa.Column("secondary", sa.Boolean(), nullable=False),
        sa.Column("source_title", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("inherited_via", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("data_file", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["jurisdiction_code"], ["jurisdictions.code"]),
        sa.ForeignKeyConstraint(["provision_id"], ["provisions.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rules_jurisdiction_code", "rules", ["jurisdiction_code"], unique=False)
    op.create_index("ix_rules_rule_key", "rules", ["rule_key"], unique=False)


def downgrade() -> None:
    # Children before parents, so foreign keys never dangle.
    for table in ("rules", "amendment_notes", "provisions", "source_documents", "note_citations", "acts",
                  "topics", "notes", "meta", "jurisdictions"):
        op.drop_table(table)
