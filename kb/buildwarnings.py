"""The warnings stored with each document at build and at ``seckb add``, grouped and explained:
the library behind ``seckb warnings``.

Readers and the parser write one line per thing they could not place; the self-check
(indexer/selfcheck.py) adds one line per document. Here the lines are sorted into kinds a lawyer
can act on, each with a sentence saying what it means for the text in the knowledge base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from kb.knowledge import KnowledgeBase
from kb.store import tables as t
from kb.vocab import CHECK_FAILED, CHECK_PREFIX

__all__ = ["KINDS", "DocumentWarnings", "collect_warnings", "kind_of"]

# kind -> (label, what it means); matched in this order by kind_of.
KINDS: dict[str, tuple[str, str]] = {
    "check-failed": (
        "self-check failed",
        "fewer than 95% of the sections the Act lists were found, or an eligibility section is missing: "
        "the text is held as partial and must not be cited as complete",
    ),
    "check": (
        "self-check",
        "how many of the sections the Act lists (contents pages or India Code's table of contents) were found",
    ),
    "pages": (
        "pages not placed",
        "a page (or part of one) whose text is not in any section: scanned pages, margin notes beside no "
        "section number, small print that continues no footnote",
    ),
    "footnotes": (
        "footnotes not joined",
        "an amendment marker whose footnote was not found, or a footnote no marker points to: the "
        "amendment history of that provision is incomplete",
    ),
    "not-read": (
        "text not read",
        "schedules, forms and appended matter after the last section, or lines in another script; "
        "they are not sections and are left out on purpose",
    ),
    "structure": (
        "structure",
        "the parser could not place a clause label in sequence (a label may be misnumbered, or text of "
        "another provision may have run in): check the provision against the source",
    ),
    "partial": ("partial text", "the document is an excerpt: only the sections it holds are in the knowledge base"),
    "other": ("other", "anything else the readers reported"),
}
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("check-failed", re.compile("^" + re.escape(CHECK_FAILED))),
    ("check", re.compile("^" + re.escape(CHECK_PREFIX))),
    ("not-read", re.compile(r"is not read|Devanagari|left out of the English")),
    ("footnotes", re.compile(r"footnote|marker", re.IGNORECASE)),
    ("pages", re.compile(r"\bpage \d+\b.*(?:no text layer|left out|kept as text)")),
    ("partial", re.compile(r"^partial excerpt")),
    ("structure", re.compile(r"label|out of sequence|not in sequence|placed|clause|sub-section", re.IGNORECASE)),
]


def kind_of(warning: str) -> str:
    for kind, pattern in _PATTERNS:
        if pattern.search(warning):
            return kind
    return "other"


@dataclass
class DocumentWarnings:
    act_id: str
    path: str
    role: str
    partial: bool
    groups: dict[str, list[str]] = field(default_factory=dict)


def collect_warnings(kb: KnowledgeBase, act: str | None = None) -> list[DocumentWarnings]:
    """Every stored document's warnings by kind; ``act`` limits them to one Act id."""
    with kb.session() as session:
        query = select(t.SourceDocument).order_by(t.SourceDocument.act_id, t.SourceDocument.path)
        if act:
            query = query.where(t.SourceDocument.act_id == act)
        rows = session.scalars(query).all()
        out = []
        for row in rows:
            doc = DocumentWarnings(row.act_id, row.path, row.role, bool(row.partial))
            for text in row.warnings or []:
                doc.groups.setdefault(kind_of(text), []).append(text)
            out.append(doc)
    return out
