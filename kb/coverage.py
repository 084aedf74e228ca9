"""What the knowledge base holds for each State/UT and the central layer: the library behind
``seckb coverage``.

For every jurisdiction and body the answer is the best of its Acts: ``full`` (a complete text is
parsed), ``partial`` (only an excerpt), ``catalogued`` (the Act is known, its text is not in the
knowledge base) or ``none`` (the catalogue lists no Act of that body). Nothing is inferred: a
status comes from the stored documents, a date from what the document (or catalogue) states,
and rule counts from the Rule table's ``secondary`` flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from kb.knowledge import KnowledgeBase
from kb.reference import USER_PREFIX
from kb.store import tables as t
from kb.vocab import Body

__all__ = ["COLUMNS", "STATUSES", "ActCoverage", "Coverage", "CoverageCell", "CoverageRow", "coverage"]

# "other": cantonment, central texts, the rest.
COLUMNS = tuple(body.value for body in (Body.PANCHAYAT, Body.MUNICIPAL, Body.SEC, Body.OTHER))
STATUSES = ("full", "partial", "catalogued", "none")  # best first
STATUS_LABELS = {
    "full": "full text",
    "partial": "partial excerpt",
    "catalogued": "catalogued only",
    "none": "no Act catalogued",
}


@dataclass(frozen=True)
class ActCoverage:
    act_id: str
    title: str
    status: str  # full | partial | catalogued
    text_as_on: date | None = None
    user_added: bool = False  # its text came from `seckb add` / `seckb fetch`
    document: str | None = None


@dataclass
class CoverageCell:
    column: str
    acts: list[ActCoverage] = field(default_factory=list)

    @property
    def status(self) -> str:
        return min((a.status for a in self.acts), key=STATUSES.index, default="none")


@dataclass
class CoverageRow:
    code: str
    name: str
    type: str  # state | ut | central
    cells: dict[str, CoverageCell]
    rules_verified: int = 0
    rules_secondary: int = 0

    @property
    def status(self) -> str:
        return min((c.status for c in self.cells.values()), key=STATUSES.index, default="none")


@dataclass
class Coverage:
    rows: list[CoverageRow]

    @property
    def states_and_uts(self) -> list[CoverageRow]:
        return [r for r in self.rows if r.type != "central"]

    def summary(self) -> dict[str, int]:
        """How many States/UTs have at best each status (the central layer is counted apart)."""
        counts = {status: 0 for status in STATUSES}
        for row in self.states_and_uts:
            counts[row.status] += 1
        counts["total"] = len(self.states_and_uts)
        counts["rules_verified"] = sum(r.rules_verified for r in self.rows)
        counts["rules_secondary"] = sum(r.rules_secondary for r in self.rows)
        return counts


def coverage(kb: KnowledgeBase) -> Coverage:
    with kb.session() as session:
        jurisdictions = session.scalars(select(t.Jurisdiction)).all()
        acts = session.scalars(select(t.Act).order_by(t.Act.year, t.Act.id)).all()
        primaries = {
            d.act_id: d for d in session.scalars(select(t.SourceDocument).where(t.SourceDocument.role == "primary"))
        }
        rules = session.execute(select(t.Rule.jurisdiction_code, t.Rule.secondary)).all()
    rows = {j.code: CoverageRow(j.code, j.name, j.type, {c: CoverageCell(c) for c in COLUMNS}) for j in jurisdictions}
    for act in acts:
        column = act.body if act.body in COLUMNS else "other"
        rows[act.jurisdiction_code].cells[column].acts.append(_act_coverage(act, primaries.get(act.id)))
    for code, secondary in rules:
        if code in rows:
            if secondary:
                rows[code].rules_secondary += 1
            else:
                rows[code].rules_verified += 1
    order = {"central": 0, "state": 1, "ut": 2}
    return Coverage(sorted(rows.values(), key=lambda r: (order.get(r.type, 3), r.name)))


def _act_coverage(act: t.Act, primary: t.SourceDocument | None) -> ActCoverage:
    if primary is None:
        return ActCoverage(act.id, act.title, "catalogued", user_added=bool(act.user_added))
    return ActCoverage(
        act.id,
        act.title,
        "partial" if primary.partial else "full",
        primary.text_as_on,
        user_added=bool(act.user_added) or primary.path.startswith(USER_PREFIX),
        document=primary.path,
    )
