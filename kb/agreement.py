"""Cross-rendering agreement: does the same Act, read from two sources, give the same structure?

Each source document stores an outline (section number -> paths of its sub-sections and
clauses). For every Act with an alternate rendering, the sections and labels of the two outlines
are compared; the figure and each disagreement are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from kb.knowledge import KnowledgeBase
from kb.refs import normalise_number
from kb.store import tables as t


@dataclass(frozen=True)
class Agreement:
    act_id: str
    primary: str
    alternate: str
    sections_primary: int
    sections_alternate: int
    sections_common: int
    labels_common_sections: int  # common sections whose clause labels agree exactly
    only_primary: tuple[str, ...] = ()
    only_alternate: tuple[str, ...] = ()
    label_mismatches: tuple[str, ...] = field(default_factory=tuple)

    @property
    def section_agreement(self) -> float:
        union = self.sections_primary + self.sections_alternate - self.sections_common
        return self.sections_common / union if union else 1.0

    @property
    def label_agreement(self) -> float:
        return self.labels_common_sections / self.sections_common if self.sections_common else 1.0


def compare_renderings(kb: KnowledgeBase, act_id: str | None = None) -> list[Agreement]:
    """Agreement of every alternate rendering with its Act's primary text (one Act's, given ``act_id``)."""
    query = select(t.SourceDocument).order_by(t.SourceDocument.act_id, t.SourceDocument.path)
    if act_id:
        query = query.where(t.SourceDocument.act_id == act_id)
    with kb.session() as session:
        docs = session.scalars(query).all()
    by_act: dict[str, dict[str, list[t.SourceDocument]]] = {}
    for doc in docs:
        by_act.setdefault(doc.act_id, {}).setdefault(doc.role, []).append(doc)
    out = []
    for act_id, roles in by_act.items():
        for primary in roles.get("primary", []):
            for alternate in roles.get("alternate", []):
                out.append(_agreement(act_id, primary, alternate))
    return out


def _labels(paths: list[str], number: str) -> list[str]:
    """Paths relative to the section, so '5-A(1)' and '5A(1)' compare equal."""
    return [p[len(number) :] for p in paths]


def _agreement(act_id: str, primary: t.SourceDocument, alternate: t.SourceDocument) -> Agreement:
    left = {normalise_number(k): (k, v) for k, v in (primary.outline or {}).items()}
    right = {normalise_number(k): (k, v) for k, v in (alternate.outline or {}).items()}
    common = sorted(set(left) & set(right))
    mismatches = []
    agree = 0
    for key in common:
        (ln, lp), (rn, rp) = left[key], right[key]
        if _labels(lp, ln) == _labels(rp, rn):
            agree += 1
        else:
            only_l = sorted(set(_labels(lp, ln)) - set(_labels(rp, rn)))
            only_r = sorted(set(_labels(rp, rn)) - set(_labels(lp, ln)))
            mismatches.append(f"s.{ln}: only {primary.format} {only_l[:4]}, only {alternate.format} {only_r[:4]}")
    return Agreement(
        act_id,
        primary.path,
        alternate.path,
        len(left),
        len(right),
        len(common),
        agree,
        tuple(left[k][0] for k in sorted(set(left) - set(right))),
        tuple(right[k][0] for k in sorted(set(right) - set(left))),
        tuple(mismatches),
    )
