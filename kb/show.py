"""One provision with everything a lawyer needs to cite it: parents, children, amendments, provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.knowledge import KnowledgeBase
from kb.resolve import resolve_citation
from kb.store import tables as t


@dataclass(frozen=True)
class NodeView:
    ref: str
    kind: str
    label: str
    text: str
    depth: int


@dataclass(frozen=True)
class AmendmentView:
    ref: str
    action: str
    summary: str
    footnote: str | None


@dataclass(frozen=True)
class Provenance:
    file: str
    format: str
    sha256: str
    text_as_on: date | None
    source_url: str | None
    anchor: str | None
    partial: bool


@dataclass(frozen=True)
class ProvisionView:
    ref: str
    act_id: str
    act_title: str
    jurisdiction: str
    heading: str
    kind: str
    text: str
    parents: tuple[NodeView, ...]
    subtree: tuple[NodeView, ...]  # this node and every descendant, in order, with depth
    amendments: tuple[AmendmentView, ...]
    provenance: Provenance
    topics: tuple[str, ...]
    notes: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (note id, title)
    repealed: bool = False

    def quote(self) -> str:
        return "\n".join(n.text for n in self.subtree if n.text)

    def provenance_parts(self) -> list[str]:
        """Plain-text pieces of a provenance line: "Text as on 2025-04-04", "from <file>", ..."""
        p = self.provenance
        as_on = f" {p.text_as_on.isoformat()}" if p.text_as_on else ": not stated in the source"
        parts = [f"Text as on{as_on}", f"from {p.file}"]
        if p.partial:
            parts.append("partial excerpt")
        if self.repealed:
            parts.append("repealed / omitted")
        return parts


def show_provision(kb: KnowledgeBase, citation: str) -> ProvisionView:
    with kb.session() as session:
        row = resolve_citation(session, citation)
        return provision_view(session, row)


def provision_view(session: Session, row: t.Provision) -> ProvisionView:
    act = session.get_one(t.Act, row.act_id)
    document = session.get_one(t.SourceDocument, row.document_id)
    parents: list[NodeView] = []
    parent_id = row.parent_id
    section = row
    while parent_id is not None:
        parent = session.get_one(t.Provision, parent_id)
        parents.insert(0, NodeView(parent.ref, parent.kind, parent.label, parent.text, parent.depth))
        section = parent
        parent_id = parent.parent_id
    subtree: list[NodeView] = []
    amendments: list[AmendmentView] = []
    _walk_subtree(session, row, 0, subtree, amendments)
    # Notes citing this provision or any sub-provision shown with it: each note appears under
    # every provision it cites, and a section's page gathers the notes on its clauses.
    cited = [row.ref, *(node.ref for node in subtree)]
    notes = session.execute(
        select(t.Note.id, t.Note.title)
        .join(t.NoteCitation)
        .where(t.NoteCitation.ref.in_(cited))
        .distinct()
        .order_by(t.Note.id)
    ).all()
    return ProvisionView(
        ref=row.ref,
        act_id=act.id,
        act_title=act.title,
        jurisdiction=act.jurisdiction_code,
        heading=section.heading,
        kind=row.kind,
        text=row.text,
        parents=tuple(parents),
        subtree=tuple(subtree),
        amendments=tuple(amendments),
        provenance=Provenance(
            document.path,
            document.format,
            document.sha256,
            document.text_as_on,
            document.source_url,
            section.anchor,
            document.partial,
        ),
        topics=tuple(row.topics or ()),
        notes=tuple((n.id, n.title) for n in notes),
        repealed=row.repealed,
    )


def _walk_subtree(
    session: Session, row: t.Provision, depth: int, nodes: list[NodeView], amendments: list[AmendmentView]
) -> None:
    """This node and its descendants in order (with depth), and their amendment notes, in one pass."""
    nodes.append(NodeView(row.ref, row.kind, row.label, row.text, depth))
    for note in row.notes:
        summary, footnote = note.summary, note.footnote
        if footnote and _IBID_RE.search(footnote):
            instrument = _previous_instrument(session, note)
            if instrument:
                summary = _IBID_RE.sub(instrument, summary)
                footnote = _IBID_RE.sub(instrument, footnote)
        amendments.append(AmendmentView(row.ref, note.action, summary, footnote))
    children = session.scalars(select(t.Provision).where(t.Provision.parent_id == row.id).order_by(t.Provision.ord))
    for child in children:
        _walk_subtree(session, child, depth + 1, nodes, amendments)
    if row.tail:
        nodes.append(NodeView(row.ref, row.kind, "", row.tail, depth))


# "ibid." in an India Code footnote means the instrument named in the footnote before it.
_IBID_RE = re.compile(r"\bibid\b\.?", re.IGNORECASE)
_INSTRUMENT_RE = re.compile(
    r"""
    \bAct\s+\d+\s+of\s+\d{4}                       # Act 29 of 1975
    | \b[A-Z][a-z]{1,5}\.\s+[IVXLC\d]+\s+of\s+\d{4}  # Mah. 54 of 2018, Mah. XLIV of 1995
    | \bthe\s+[A-Z][^,;]*?\b(?:Order|Act|Ordinance),?\s+\d{4}  # the Adaptation of Laws (No. 2) Order, 1956
    """,
    re.VERBOSE,
)


def _previous_instrument(session: Session, note: t.AmendmentNote) -> str | None:
    """The instrument the footnote before ``note`` (in the same document) names, following ibid. back."""
    document_id = session.scalar(select(t.Provision.document_id).where(t.Provision.id == note.provision_id))
    earlier = session.scalars(
        select(t.AmendmentNote.footnote)
        .join(t.Provision, t.AmendmentNote.provision_id == t.Provision.id)
        .where(t.Provision.document_id == document_id, t.AmendmentNote.id < note.id)
        .order_by(t.AmendmentNote.id.desc())
        .limit(20)
    )
    for footnote in earlier:
        if not footnote:
            continue
        match = _INSTRUMENT_RE.search(footnote)
        if match:
            return match.group(0)
        if not _IBID_RE.search(footnote):
            return None  # the footnote before names no instrument we can read: leave ibid. as written
    return None
