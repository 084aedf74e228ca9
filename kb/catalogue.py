"""The catalogue as stored: Acts with their coverage, and knowledge-base counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from kb.knowledge import KnowledgeBase
from kb.store import tables as t


@dataclass(frozen=True)
class ActRow:
    id: str
    jurisdiction: str
    title: str
    year: int | None
    body: str
    coverage: str  # full text | partial excerpt | catalogued only
    provisions: int
    text_as_on: date | None
    indiacode_url: str | None


def list_acts(kb: KnowledgeBase, states: Sequence[str] = (), with_text: bool = False) -> list[ActRow]:
    with kb.session() as session:
        counts = dict(session.execute(select(t.Provision.act_id, func.count()).group_by(t.Provision.act_id)).all())
        documents: dict[str, t.SourceDocument] = {
            primary.act_id: primary
            for primary in session.scalars(select(t.SourceDocument).where(t.SourceDocument.role == "primary"))
        }
        query = select(t.Act).order_by(t.Act.jurisdiction_code, t.Act.year, t.Act.id)
        if states:
            query = query.where(t.Act.jurisdiction_code.in_([s.upper() for s in states]))
        rows = []
        for act in session.scalars(query):
            doc = documents.get(act.id)
            coverage = "catalogued only" if doc is None else ("partial excerpt" if doc.partial else "full text")
            if with_text and doc is None:
                continue
            rows.append(
                ActRow(
                    act.id,
                    act.jurisdiction_code,
                    act.title,
                    act.year,
                    act.body,
                    coverage,
                    counts.get(act.id, 0),
                    doc.text_as_on if doc else None,
                    act.indiacode_url,
                )
            )
        return rows


def knowledge_stats(kb: KnowledgeBase) -> dict[str, object]:
    with kb.session() as session:
        per_state = []
        for code, name in session.execute(
            select(t.Jurisdiction.code, t.Jurisdiction.name).order_by(t.Jurisdiction.code)
        ):
            acts = session.scalar(select(func.count()).select_from(t.Act).where(t.Act.jurisdiction_code == code))
            with_text = session.scalar(
                select(func.count(func.distinct(t.SourceDocument.act_id)))
                .join(t.Act)
                .where(t.Act.jurisdiction_code == code, t.SourceDocument.role == "primary")
            )
            provisions = session.scalar(
                select(func.count()).select_from(t.Provision).join(t.Act).where(t.Act.jurisdiction_code == code)
            )
            rules = session.scalar(select(func.count()).select_from(t.Rule).where(t.Rule.jurisdiction_code == code))
            per_state.append(
                {
                    "code": code,
                    "name": name,
                    "acts": acts,
                    "acts_with_text": with_text,
                    "provisions": provisions,
                    "rules": rules,
                }
            )
        meta = dict(session.execute(select(t.Meta.key, t.Meta.value)).all())
        totals = {
            "jurisdictions": session.scalar(select(func.count()).select_from(t.Jurisdiction)),
            "acts": session.scalar(select(func.count()).select_from(t.Act)),
            "documents": session.scalar(select(func.count()).select_from(t.SourceDocument)),
            "sections": session.scalar(select(func.count()).select_from(t.Provision).where(t.Provision.depth == 0)),
            "provisions": session.scalar(select(func.count()).select_from(t.Provision)),
            "amendment_notes": session.scalar(select(func.count()).select_from(t.AmendmentNote)),
            "rules": session.scalar(select(func.count()).select_from(t.Rule)),
            "rules_secondary": session.scalar(select(func.count()).select_from(t.Rule).where(t.Rule.secondary)),
            "notes": session.scalar(select(func.count()).select_from(t.Note)),
        }
    totals["index_documents"] = kb.searcher().doc_count()
    return {"totals": totals, "jurisdictions": per_state, "build": meta, "generation": kb.generation.path.name}


def topic_counts(kb: KnowledgeBase) -> list[dict[str, object]]:
    """Each topic with the number of provisions tagged with it, per jurisdiction."""
    with kb.session() as session:
        topics = session.scalars(select(t.Topic).order_by(t.Topic.id)).all()
        counts: dict[str, dict[str, int]] = {topic.id: {} for topic in topics}
        for code, tags in session.execute(select(t.Act.jurisdiction_code, t.Provision.topics).join(t.Act)):
            for tag in tags or ():
                if tag in counts:
                    counts[tag][code] = counts[tag].get(code, 0) + 1
        return [
            {
                "id": topic.id,
                "label": topic.label,
                "parent": topic.parent_id,
                "total": sum(counts[topic.id].values()),
                "by_jurisdiction": dict(sorted(counts[topic.id].items())),
            }
            for topic in topics
        ]
