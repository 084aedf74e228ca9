"""The knowledge base's tables (SQLAlchemy 2.0 typed models).

The database is the source of truth; the Whoosh index is rebuilt from it. Every table works on
SQLite and PostgreSQL alike: only portable types (JSON, Date, Text) are used.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about a build: schema version, build id, when it was built."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Jurisdiction(Base):
    __tablename__ = "jurisdictions"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))  # state | ut | central
    created_on: Mapped[date | None] = mapped_column(Date)  # formed after 1950 (Telangana 2014-06-02)
    acts: Mapped[list[Act]] = relationship(back_populates="jurisdiction")


class Act(Base):
    __tablename__ = "acts"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # citation id, e.g. MH-VPA-1959
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    title: Mapped[str] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(String(16))
    indiacode_url: Mapped[str | None] = mapped_column(Text)
    commenced_on: Mapped[date | None] = mapped_column(Date)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    user_added: Mapped[bool] = mapped_column(Boolean, default=False)
    jurisdiction: Mapped[Jurisdiction] = relationship(back_populates="acts")
    documents: Mapped[list[SourceDocument]] = relationship(back_populates="act", cascade="all, delete-orphan")


class SourceDocument(Base):
    """One source file that was read, with its provenance."""

    __tablename__ = "source_documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    act_id: Mapped[str] = mapped_column(ForeignKey("acts.id"), index=True)
    path: Mapped[str] = mapped_column(Text)  # as named in the catalogue, relative to its sources folder
    format: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))  # primary | alternate | metadata
    sha256: Mapped[str] = mapped_column(String(64))
    parser_version: Mapped[str] = mapped_column(String(32))
    text_as_on: Mapped[date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    partial: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(Text, default="")
    section_count: Mapped[int] = mapped_column(Integer, default=0)
    provision_count: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Section number -> sorted clause labels, kept for cross-checking alternate renderings.
    outline: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    act: Mapped[Act] = relationship(back_populates="documents")
    __table_args__ = (UniqueConstraint("act_id", "path", name="uq_document_act_path"),)


class Provision(Base):
    """A node of a provision tree: section, sub-section, clause, proviso, Explanation."""

    __tablename__ = "provisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    act_id: Mapped[str] = mapped_column(ForeignKey("acts.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("source_documents.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("provisions.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(200), unique=True)  # canonical citation
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(160))
    number_key: Mapped[str] = mapped_column(String(40), index=True)  # loose top-level number: "5A" for "5-A"
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    tail: Mapped[str] = mapped_column(Text, default="")
    container: Mapped[str] = mapped_column(Text, default="")  # Part / Chapter heading
    anchor: Mapped[str | None] = mapped_column(Text)
    ord: Mapped[int] = mapped_column(Integer)  # document order within the Act
    depth: Mapped[int] = mapped_column(Integer)
    repealed: Mapped[bool] = mapped_column(Boolean, default=False)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[list[AmendmentNote]] = relationship(
        back_populates="provision", cascade="all, delete-orphan", order_by="AmendmentNote.id"
    )
    __table_args__ = (Index("ix_provision_act_path", "act_id", "path"),)


class AmendmentNote(Base):
    __tablename__ = "amendment_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provisions.id", ondelete="CASCADE"), index=True)
    marker: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(16))
    footnote: Mapped[str | None] = mapped_column(Text)
    affected_text: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    provision: Mapped[Provision] = relationship(back_populates="notes")


class Topic(Base):
    __tablename__ = "topics"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")


class Rule(Base):
    """A structured eligibility rule for one jurisdiction and body, resting on a provision."""

    __tablename__ = "rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    rule_key: Mapped[str] = mapped_column(String(64), index=True)
    body: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    citation: Mapped[str | None] = mapped_column(String(200))
    provision_id: Mapped[int | None] = mapped_column(ForeignKey("provisions.id", ondelete="SET NULL"))
    quote: Mapped[str] = mapped_column(Text, default="")
    in_force_from: Mapped[date | None] = mapped_column(Date)
    repealed_on: Mapped[date | None] = mapped_column(Date)
    secondary: Mapped[bool] = mapped_column(Boolean, default=False)
    source_title: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    inherited_via: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    data_file: Mapped[str] = mapped_column(Text, default="")
    # The rule's timeline fields (kb/rules.py): stage reached, court decision, what stood before.
    stage: Mapped[str] = mapped_column(String(32), default="notified/commenced", server_default="notified/commenced")
    stage_date: Mapped[date | None] = mapped_column(Date)
    judgment: Mapped[str | None] = mapped_column(String(120))
    earlier: Mapped[str | None] = mapped_column(String(16))
    source_grade: Mapped[str | None] = mapped_column(String(32))
    evidence_on: Mapped[date | None] = mapped_column(Date)  # text-as-on date of the text (or source) relied on


class Note(Base):
    """An expert's discussion note (Markdown with front matter)."""

    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[date | None] = mapped_column(Date)
    agenda_item: Mapped[str] = mapped_column(Text, default="")
    jurisdictions: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    citations: Mapped[list[NoteCitation]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="NoteCitation.id"
    )


class NoteCitation(Base):
    __tablename__ = "note_citations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(200), index=True)
    line: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[Note] = relationship(back_populates="citations")
