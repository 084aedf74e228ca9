"""The conference briefing pack: for each agenda item, the comparison, the key provisions' text,
the experts' notes and the open questions — the library behind `seckb brief`.

An agenda is YAML::

    title: National Conference of State Election Commissions
    date: 2025-03-01
    venue: New Delhi
    items:
      - id: candidate-disqualifications
        title: Candidate disqualifications
        rules: [two_child_norm, education_qualification]   # and/or topics: [...]
        states: [MH, MN, DL]
        body: panchayat                                     # optional
        questions: ["Should ...?"]

An item with neither topics nor rules (say, on EVMs) has no comparison: it shows its questions and
the notes filed under it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from kb import settings
from kb.compare import CompareRequest, compare_states
from kb.errors import CitationError, ReferenceDataError
from kb.knowledge import KnowledgeBase
from kb.model import ComparisonTable
from kb.notes import NoteView, list_notes
from kb.resolve import resolve_citation
from kb.show import ProvisionView, provision_view
from kb.store import tables as t
from kb.topics import Ontology, load_ontology
from kb.vocab import COMPARE_BODIES
from kb.yamlio import check_keys, line_of, load_yaml

BODIES = tuple(body.value for body in COMPARE_BODIES)
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class AgendaItem:
    id: str
    title: str
    topics: tuple[str, ...]
    rules: tuple[str, ...]
    states: tuple[str, ...]
    body: str | None
    questions: tuple[str, ...]
    line: int | None = None

    @property
    def compares(self) -> bool:
        return bool(self.topics or self.rules)

    @property
    def scope(self) -> str:
        """ "States/UTs: MH, MN · body: panchayat" (plain text; renderers escape it)."""
        parts = []
        if self.states:
            parts.append("States/UTs: " + ", ".join(self.states))
        if self.body:
            parts.append(f"body: {self.body}")
        return " · ".join(parts)


@dataclass(frozen=True)
class Agenda:
    title: str
    date: dt.date | None
    venue: str
    items: tuple[AgendaItem, ...]
    path: Path


@dataclass(frozen=True)
class BriefItem:
    item: AgendaItem
    table: ComparisonTable | None
    provisions: tuple[ProvisionView, ...]
    missing_citations: tuple[str, ...]  # cited by a rule but not in the knowledge base
    notes: tuple[NoteView, ...]


@dataclass(frozen=True)
class Brief:
    agenda: Agenda
    as_of: dt.date
    generated_at: dt.datetime
    items: tuple[BriefItem, ...]


# --- agenda ----------------------------------------------------------------------------------


def load_agenda(path: Path, ontology: Ontology | None = None) -> Agenda:
    """Read and check an agenda file; every problem is a one-line error naming file, line and field."""
    path = Path(path)
    ontology = ontology or load_ontology(settings.corpus_dir())
    data = load_yaml(path)
    check_keys(data, {"title", "date", "venue", "items"}, {"title", "items"}, path, "agenda")
    if not isinstance(data["items"], list) or not data["items"]:
        raise ReferenceDataError("items must be a non-empty list", path=path, line=line_of(data), field="items")
    items: list[AgendaItem] = []
    seen: set[str] = set()
    for entry in data["items"]:
        check_keys(
            entry,
            {"id", "title", "topics", "rules", "states", "body", "questions"},
            {"id", "title"},
            path,
            "agenda item",
        )
        line = line_of(entry)
        item_id = str(entry["id"])
        if not _ID_RE.match(item_id):
            raise ReferenceDataError(
                f"item id {item_id!r} may hold only letters, digits, '-' and '_'", path=path, line=line, field="id"
            )
        if item_id in seen:
            raise ReferenceDataError(f"duplicate item id {item_id!r}", path=path, line=line, field="id")
        seen.add(item_id)
        topics = _text_list(entry, "topics", path)
        rules = _text_list(entry, "rules", path)
        for topic in topics:
            if topic not in ontology.topics:
                raise ReferenceDataError(
                    f"unknown topic {topic!r} in item {item_id!r}; see corpus/topics.yaml",
                    path=path,
                    line=line,
                    field="topics",
                )
        for rule in rules:
            if rule not in ontology.rules:
                raise ReferenceDataError(
                    f"unknown rule {rule!r} in item {item_id!r}; see corpus/topics.yaml",
                    path=path,
                    line=line,
                    field="rules",
                )
        body = entry.get("body")
        if body is not None and body not in BODIES:
            raise ReferenceDataError(
                f"body {body!r} in item {item_id!r}; use one of {', '.join(BODIES)}", path=path, line=line, field="body"
            )
        items.append(
            AgendaItem(
                item_id,
                " ".join(str(entry["title"]).split()),
                topics,
                rules,
                tuple(s.upper() for s in _text_list(entry, "states", path)),
                body,
                _text_list(entry, "questions", path),
                line,
            )
        )
    return Agenda(
        title=" ".join(str(data["title"]).split()),
        date=_agenda_date(data, path),
        venue=str(data.get("venue") or ""),
        items=tuple(items),
        path=path,
    )


def _text_list(entry: dict, name: str, path: Path) -> tuple[str, ...]:
    value = entry.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")] if name != "questions" else [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ReferenceDataError(f"{name} must be a list of text items", path=path, line=line_of(entry), field=name)
    return tuple(" ".join(str(v).split()) for v in value if str(v).strip())


def _agenda_date(data: dict, path: Path) -> dt.date | None:
    value = data.get("date")
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ReferenceDataError(
            f"date {value!r} is not YYYY-MM-DD", path=path, line=line_of(data), field="date"
        ) from None


# --- building --------------------------------------------------------------------------------


def build_brief(
    kb: KnowledgeBase, agenda: Agenda, as_of: dt.date | None = None, ontology: Ontology | None = None
) -> Brief:
    ontology = ontology or load_ontology(settings.corpus_dir())
    as_of = as_of or dt.date.today()
    _check_states(kb, agenda)
    all_notes = list_notes(kb)
    agenda_ids = {item.id for item in agenda.items}
    items = []
    for item in agenda.items:
        table = None
        if item.compares:
            table = compare_states(
                kb,
                CompareRequest(topics=item.topics, rules=item.rules, states=item.states, body=item.body, as_of=as_of),
                ontology,
            )
        provisions, missing = _key_provisions(kb, table) if table else ((), ())
        notes = tuple(n for n in all_notes if _note_belongs(n, item, agenda_ids, ontology))
        items.append(BriefItem(item, table, provisions, missing, notes))
    return Brief(agenda, as_of, dt.datetime.now().replace(microsecond=0), tuple(items))


def _check_states(kb: KnowledgeBase, agenda: Agenda) -> None:
    # compare_states would refuse an unknown code too, but could not name the agenda's line.
    with kb.session() as session:
        known = set(session.scalars(select(t.Jurisdiction.code)))
    for item in agenda.items:
        for state in item.states:
            if state not in known:
                raise ReferenceDataError(
                    f"unknown jurisdiction {state!r} in item {item.id!r}",
                    path=agenda.path,
                    line=item.line,
                    field="states",
                )


def _key_provisions(kb: KnowledgeBase, table: ComparisonTable) -> tuple[tuple[ProvisionView, ...], tuple[str, ...]]:
    """The provisions the table's filled cells rest on, in table order, each once."""
    citations = dict.fromkeys(
        cell.citation for row in table.rows for cell in row.cells if cell.citation and not cell.empty
    )
    views: list[ProvisionView] = []
    missing: list[str] = []
    with kb.session() as session:
        for citation in citations:
            try:
                views.append(provision_view(session, resolve_citation(session, citation)))
            except CitationError:
                # A secondary rule may cite an Act whose text is not in the corpus.
                missing.append(citation)
    return tuple(views), tuple(missing)


def item_topics(item: AgendaItem, ontology: Ontology) -> set[str]:
    """The topics an item covers: its topics with their sub-topics, and its rules' topics."""
    out: set[str] = set()
    for topic in item.topics:
        out |= ontology.descendants(topic)
    out.update(ontology.rules[rule].topic for rule in item.rules)
    return out


def _note_belongs(note: NoteView, item: AgendaItem, agenda_ids: set[str], ontology: Ontology) -> bool:
    """Filed under the item, or about one of its topics (or a sub-topic) for one of its States.

    A note filed under another item of this agenda stays there, so it is not printed twice.
    """
    if note.agenda_item == item.id:
        return True
    if note.agenda_item in agenda_ids:
        return False
    covered = item_topics(item, ontology)
    about = {topic for topic in note.topics if topic in ontology.topics}
    about |= {ancestor for topic in about for ancestor in ontology.ancestors(topic)}
    if not covered & about:
        return False
    return not item.states or not note.jurisdictions or bool(set(item.states) & set(note.jurisdictions))


# --- the whole pack ------------------------------------------------------------------------------


def make_brief(kb: KnowledgeBase, agenda_path: Path, as_of: dt.date | None = None) -> Brief:
    """Load the agenda and build the pack (kb/render/brief_pack.py writes it)."""
    ontology = load_ontology(settings.corpus_dir())
    agenda = load_agenda(agenda_path, ontology)
    return build_brief(kb, agenda, as_of, ontology)
