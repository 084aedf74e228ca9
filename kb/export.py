"""Export the Acts held in the knowledge base as Akoma Ntoso 3.0, and name provisions the AKN way.

``export_acts(kb, out_dir)`` writes one ``<act id>.xml`` per Act whose text is held, read from the
store (the database is the source of truth, not the source files). ``akn_ids(kb, citation)``
gives a provision's eId and its Act's work URI, so a citation can be exchanged in both forms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import settings
from kb.akn import work_uri_for
from kb.errors import SeckbError
from kb.fileio import write_bytes_atomic
from kb.knowledge import KnowledgeBase
from kb.model import AmendmentNote, Provision
from kb.resolve import ActIndex, resolve_citation
from kb.show import provision_akn_ids
from kb.store import tables as t

if TYPE_CHECKING:  # the renderer imports lxml; `seckb show` needs only the names
    from kb.render.akn import ActExport

__all__ = ["ExportReport", "ExportedAct", "akn_ids", "export_acts", "held_act_ids", "load_act", "provision_akn_ids"]


@dataclass(frozen=True)
class ExportedAct:
    act_id: str
    path: Path
    work_uri: str
    sections: int
    provisions: int


@dataclass(frozen=True)
class ExportReport:
    out_dir: Path
    acts: tuple[ExportedAct, ...]

    @property
    def provisions(self) -> int:
        return sum(act.provisions for act in self.acts)


def held_act_ids(session: Session) -> list[str]:
    """Acts with at least one provision, in catalogue order (jurisdiction, id)."""
    query = (
        select(t.Act.id)
        .where(select(t.Provision.id).where(t.Provision.act_id == t.Act.id).exists())
        .order_by(t.Act.jurisdiction_code, t.Act.id)
    )
    return list(session.scalars(query))


def export_acts(kb: KnowledgeBase, out_dir: Path, act_ids: Iterable[str] = ()) -> ExportReport:
    """Write ``<out_dir>/<act id>.xml`` for each named Act (every Act held when none is named).

    Every file is rendered before any is written, so a bad Act name leaves the folder unchanged.
    """
    from kb.render.akn import render_act

    out_dir = Path(out_dir)
    catalogue = _catalogue()
    with kb.session() as session:
        held = held_act_ids(session)
        wanted = [_held_id(session, name, held) for name in act_ids] or held
        rendered = []
        for act_id in dict.fromkeys(wanted):
            act = load_act(session, act_id, catalogue)
            rendered.append((act, render_act(act)))
    written = []
    for act, data in rendered:
        path = out_dir / f"{act.act_id}.xml"
        write_bytes_atomic(path, data)
        work = work_uri_for(act.jurisdiction, act.year, act.number, act.act_id)
        count = sum(1 for section in act.sections for _ in section.provision.walk())
        written.append(ExportedAct(act.act_id, path, work.work_uri(), len(act.sections), count))
    return ExportReport(out_dir, tuple(written))


def _held_id(session: Session, name: str, held: list[str]) -> str:
    act_id = ActIndex.from_session(session).find(name)
    if act_id is None:
        raise SeckbError(f"no Act called {name!r} in the knowledge base", field="--act")
    if act_id not in held:
        raise SeckbError(f"{act_id}: its text is not in the knowledge base (catalogued only)", field="--act")
    return act_id


def _catalogue() -> dict[str, tuple[date | None, str | None]]:
    """Act id -> (enacted_on, citation) from corpus/acts.yaml; empty when the catalogue cannot be read."""
    from kb.reference import load_reference

    try:
        reference = load_reference(settings.corpus_dir(), check_files=False)
    except SeckbError:
        return {}
    return {act.id: (act.enacted_on, act.citation) for act in reference.acts}


def load_act(
    session: Session, act_id: str, catalogue: dict[str, tuple[date | None, str | None]] | None = None
) -> ActExport:
    """The Act's provision trees, per-section facts and provenance, as the store holds them."""
    from kb.render.akn import ActExport, ExportSection, ExportSource

    act = session.get(t.Act, act_id)
    if act is None:
        raise SeckbError(f"no Act {act_id!r} in the knowledge base", field="--act")
    rows = list(session.scalars(select(t.Provision).where(t.Provision.act_id == act_id).order_by(t.Provision.ord)))
    if not rows:
        raise SeckbError(f"{act_id}: its text is not in the knowledge base", field="--act")
    notes: dict[int, list[AmendmentNote]] = defaultdict(list)
    note_rows = session.scalars(
        select(t.AmendmentNote)
        .join(t.Provision, t.Provision.id == t.AmendmentNote.provision_id)
        .where(t.Provision.act_id == act_id)
        .order_by(t.AmendmentNote.id)
    )
    for note in note_rows:
        notes[note.provision_id].append(
            AmendmentNote(note.marker, note.action, note.footnote, note.affected_text or "", note.summary or "")
        )
    children: dict[int | None, list[t.Provision]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)

    def tree(row: t.Provision) -> Provision:
        return Provision(
            kind=row.kind,
            label=row.label,
            path=row.path,
            text=row.text or "",
            heading=row.heading or "",
            children=tuple(tree(child) for child in children[row.id]),
            notes=tuple(notes[row.id]),
            tail=row.tail or "",
        )

    sections = tuple(
        ExportSection(tree(row), row.container or "", row.anchor, bool(row.repealed)) for row in children[None]
    )
    document = session.get(t.SourceDocument, rows[0].document_id)
    if document is None:  # the foreign key makes this impossible in a knowledge base seckb built
        raise SeckbError(f"{act_id}: its provisions name no source document", field="--act")
    jurisdiction = session.get(t.Jurisdiction, act.jurisdiction_code)
    enacted_on, citation = (catalogue or {}).get(act_id, (None, None))
    return ActExport(
        act_id=act.id,
        title=act.title,
        jurisdiction=act.jurisdiction_code,
        jurisdiction_name=jurisdiction.name if jurisdiction else act.jurisdiction_code,
        jurisdiction_type=jurisdiction.type if jurisdiction else "state",
        number=act.number,
        year=act.year,
        enacted_on=enacted_on,
        citation=citation,
        kind=children[None][0].kind,
        source=ExportSource(
            file=document.path,
            format=document.format,
            sha256=document.sha256,
            source_url=document.source_url,
            text_as_on=document.text_as_on,
            partial=bool(document.partial),
            title=document.title or "",
        ),
        sections=sections,
    )


def akn_ids(kb: KnowledgeBase, citation: str) -> tuple[str, str]:
    """(eId, work URI) for a citation as lawyers type it; CitationError when it does not resolve.

    ``akn_ids(kb, "MH VPA 1959 s.14(1)(j-1)")`` is ``("sec_14__subsec_1__para_j-1", "/akn/in-mh/act/1959/3")``.
    """
    with kb.session() as session:
        return provision_akn_ids(session, resolve_citation(session, citation))
