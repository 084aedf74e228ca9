"""One provision with everything a lawyer needs to cite it: parents, children, amendments, provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb import settings
from kb.akn import eid_for, work_uri_for
from kb.cases import judgments_on, load_cases
from kb.errors import SeckbError
from kb.knowledge import KnowledgeBase
from kb.model import Judgment
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
    akn_eid: str = ""  # Akoma Ntoso eId, "sec_14__subsec_1__para_j-1"
    akn_work: str = ""  # the Act's FRBR work URI, "/akn/in-mh/act/1959/3"
    judgments: tuple[Judgment, ...] = ()  # corpus/cases.yaml decisions on this provision or one inside it

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
        view = provision_view(session, row)
    return replace(view, judgments=judgments_on(load_cases(settings.corpus_dir()), view.ref))


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
    akn_eid, akn_work = provision_akn_ids(session, row)
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
        akn_eid=akn_eid,
        akn_work=akn_work,
    )


def _walk_subtree(
    session: Session, row: t.Provision, depth: int, nodes: list[NodeView], amendments: list[AmendmentView]
) -> None:
    """This node and its descendants in order (with depth), and their amendment notes.

    One query per level of the tree (with the amendment notes loaded alongside), not one per
    node: a long section has dozens of clauses, and a page shows them all.
    """
    children_of: dict[int, list[t.Provision]] = {}
    level = [row.id]
    while level:
        found: list[t.Provision] = []
        for start in range(0, len(level), 500):
            found += session.scalars(
                select(t.Provision)
                .where(t.Provision.parent_id.in_(level[start : start + 500]))
                .options(selectinload(t.Provision.notes))
                .order_by(t.Provision.ord)
            ).all()
        for child in found:
            children_of.setdefault(child.parent_id, []).append(child)  # type: ignore[arg-type]
        level = [child.id for child in found]
    _emit_subtree(session, row, depth, children_of, nodes, amendments)


def _emit_subtree(
    session: Session,
    row: t.Provision,
    depth: int,
    children_of: dict[int, list[t.Provision]],
    nodes: list[NodeView],
    amendments: list[AmendmentView],
) -> None:
    nodes.append(NodeView(row.ref, row.kind, row.label, row.text, depth))
    for note in row.notes:
        summary, footnote = note.summary, note.footnote
        if footnote and _IBID_RE.search(footnote):
            instrument = _previous_instrument(session, note)
            if instrument:
                summary = _IBID_RE.sub(instrument, summary)
                footnote = _IBID_RE.sub(instrument, footnote)
        amendments.append(AmendmentView(row.ref, note.action, summary, footnote))
    for child in sorted(children_of.get(row.id, []), key=lambda c: c.ord):
        _emit_subtree(session, child, depth + 1, children_of, nodes, amendments)
    if row.tail:
        nodes.append(NodeView(row.ref, row.kind, "", row.tail, depth))


@dataclass(frozen=True)
class Neighbours:
    """The provisions before and after one, at the same level of the same Act (for paging through)."""

    previous: str | None
    next: str | None


def neighbours(kb: KnowledgeBase, ref: str) -> Neighbours:
    with kb.session() as session:
        row = session.scalar(select(t.Provision).where(t.Provision.ref == ref))
        if row is None:
            return Neighbours(None, None)
        siblings = select(t.Provision.ref).where(
            t.Provision.act_id == row.act_id,
            t.Provision.parent_id.is_(None) if row.parent_id is None else t.Provision.parent_id == row.parent_id,
        )
        before = session.scalar(siblings.where(t.Provision.ord < row.ord).order_by(t.Provision.ord.desc()).limit(1))
        after = session.scalar(siblings.where(t.Provision.ord > row.ord).order_by(t.Provision.ord).limit(1))
        return Neighbours(before, after)


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


def provision_akn_ids(session: Session, row: t.Provision) -> tuple[str, str]:
    """(eId, work URI) of a stored provision: ("sec_14__subsec_1__para_j-1", "/akn/in-mh/act/1959/3")."""
    steps: list[tuple[str, str]] = []
    node: t.Provision | None = row
    while node is not None:
        steps.insert(0, (node.kind, node.label))
        node = session.get(t.Provision, node.parent_id) if node.parent_id is not None else None
    act = session.get(t.Act, row.act_id)
    if act is None:
        raise SeckbError(f"{row.ref}: its Act {row.act_id!r} is not in the knowledge base")
    work = work_uri_for(act.jurisdiction_code, act.year, act.number, act.id)
    return eid_for(steps), work.work_uri()
