"""Compare eligibility rules across jurisdictions, as the law stood on a date: `seckb compare`.

A rule (jurisdiction x body x key) is a timeline of versions (corpus/rules/*.yaml). For the date
asked, a cell shows the version in force, or says why there is none: the State/UT did not exist,
the Act or the clause had not commenced, the clause was re-worded and its earlier wording is not
in the corpus, or the rule had been repealed or struck down. A Bill passed or assented is never
law: the rule in force carries a "change pending" mark instead. Cells with no rule at all go
through one separate step (:func:`_empty_cell`) that says what is held for the State; nothing is
ever guessed. Every cell carries its body; without ``--body`` a rule gets one row per body.

With ``--baseline IN`` the first column is the Legislative Assembly's law (Constitution, RPA
1950 ss.14, 16, 19, 20, RPA 1951) and Art. 243K for the SEC, and each State cell is marked same
as baseline, adopts baseline by reference, departs (how), or not comparable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import settings
from kb.cases import judgments_on, load_cases, long_date
from kb.errors import SeckbError
from kb.knowledge import KnowledgeBase
from kb.model import Cell, ComparisonTable, Judgment, PendingChange, Row
from kb.review import TextCells
from kb.store import tables as t
from kb.topics import Ontology, load_ontology
from kb.vocab import (
    PENDING_STAGES,
    BaselineStatus,
    Body,
    CellStatus,
    JudgmentEffect,
    LegislativeStage,
)

# Kept for callers of the old API; the words themselves live in kb.vocab.
NOT_IN_FORCE = CellStatus.NOT_IN_FORCE.value
NO_PROVISION = CellStatus.NOT_REVIEWED.value
CATALOGUED_ONLY = CellStatus.CATALOGUED.value
SAME_AS_BASELINE = BaselineStatus.SAME.value
DEPARTS = BaselineStatus.DEPARTS.value
CENTRAL = "IN"
TEXT, EXCERPT, CATALOGUED, NO_ACT = "text", "excerpt", "catalogued", "none"
INHERITS_KEY = "inherits_legislature_disqualifications"
DISQUALIFICATION_TOPIC = "candidate-disqualification"
# A Tenth-Schedule disqualification is one "for being a member", not "for the purposes of
# elections", so Arts. 243F/243V and the State clauses modelled on them do not import it
# (see the defection rule in corpus/rules/IN.yaml); the import clause itself, the State's power
# to add disqualifications, who decides them and dual membership are State law, not imported.
NOT_IMPORTED = {
    "defection",
    INHERITS_KEY,
    "state_added_disqualifications",
    "disqualification_decided_by",
    "dual_office",
}
# A State value that takes the Assembly's rule over by reference: conformity, not a departure.
ADOPTING_VALUES = {INHERITS_KEY: "yes", "elector_roll_source": "assembly-roll"}
# Which body's constitutional rule a departure from the Assembly baseline may rest on.
BODY_ARTICLES = {Body.PANCHAYAT.value: "Art. 243F(1)(b)", Body.MUNICIPAL.value: "Art. 243V(1)(b)"}
ROW_BODIES = (Body.PANCHAYAT.value, Body.MUNICIPAL.value, Body.CANTONMENT.value)
EMPTY_FOR_BASELINE = {
    CellStatus.NOT_REVIEWED,
    CellStatus.EXCERPT_ONLY,
    CellStatus.CATALOGUED,
    CellStatus.NO_ACT,
    CellStatus.DID_NOT_EXIST,
    CellStatus.EARLIER_WORDING_NOT_HELD,
}


@dataclass(frozen=True)
class CompareRequest:
    topics: Sequence[str] = ()
    rules: Sequence[str] = ()
    states: Sequence[str] = ()
    body: str | None = None
    as_of: dt.date | None = None
    diff: bool = False
    baseline: str | None = None  # "IN": show only where a state departs from the central rules


@dataclass
class _Facts:
    """What the database says about the States, Acts and rules a table needs."""

    rules: dict[tuple[str, str], list[t.Rule]]
    central: dict[str, list[t.Rule]]
    coverage: dict[tuple[str, str], str]
    created: dict[str, dt.date]
    names: dict[str, str]
    commenced: dict[str, dt.date]
    amended: set[int]  # provision ids whose text (or an ancestor's) carries an amendment marker
    marks_amendments: set[str]  # Acts whose text marks amendments at all (the Constitution JSON does not)
    cases: dict[str, Judgment]
    disqualification_keys: set[str]
    session: Session  # open while the table is made, for the empty-cell step's own look-ups
    text_cells: TextCells | None = None  # the rule finder's candidates and the reviewers' decisions


def compare_states(kb: KnowledgeBase, request: CompareRequest, ontology: Ontology | None = None) -> ComparisonTable:
    ontology = ontology or load_ontology(settings.corpus_dir())
    as_of = request.as_of or dt.date.today()
    keys = _rule_keys(ontology, request)
    _check_baseline(request)
    with kb.session() as session:
        states = _states(session, request, keys)
        disqualification = {
            key for key, rule in ontology.rules.items() if rule.topic in ontology.descendants(DISQUALIFICATION_TOPIC)
        }
        facts = _load_facts(session, keys, states, disqualification)
        facts.text_cells = TextCells(session, kb.generation.path.parent, states, keys, ontology)
        rows: list[Row] = []
        for key in keys:
            for body in _row_bodies(ontology, key, request.body, states, facts):
                rows.append(_row(ontology, facts, key, body, states, as_of, request.baseline))
    columns = ([request.baseline] if request.baseline else []) + states
    if request.baseline:
        rows = [row for row in rows if _departs(row)]
    elif request.diff:
        rows = [row for row in rows if _differs(row)]
    return ComparisonTable(
        title=_title(ontology, request),
        as_of=as_of,
        body=request.body,
        jurisdictions=tuple(columns),
        rows=tuple(rows),
        notes=_notes(request, as_of),
        baseline=request.baseline,
    )


def _check_baseline(request: CompareRequest) -> None:
    if not request.baseline:
        return
    if request.baseline.upper() != CENTRAL:
        raise SeckbError(
            f"--baseline {request.baseline}: the only baseline is IN (the Assembly's law)", field="--baseline"
        )
    if any(s.strip().upper() == CENTRAL for s in request.states):
        raise SeckbError("--baseline IN compares States with IN: leave IN out of --states", field="--states")


def _row(
    ontology: Ontology,
    facts: _Facts,
    key: str,
    body: str,
    states: list[str],
    as_of: dt.date,
    baseline: str | None,
) -> Row:
    importable = key in _importable_keys(ontology)
    cells = [_state_cell(facts, state, key, body, as_of, importable) for state in states]
    if baseline:
        base = _baseline_cell(facts, key, body, as_of)
        cells = [base, *(_against_baseline(cell, base, key, body, facts, as_of) for cell in cells)]
    label = ontology.rules[key].label
    return Row(key=key, label=label, cells=tuple(cells), body=body)


def _state_cell(facts: _Facts, state: str, key: str, body: str, as_of: dt.date, importable: bool) -> Cell:
    created = facts.created.get(state)
    if created and as_of < created:
        return Cell(
            value=None,
            status=CellStatus.DID_NOT_EXIST,
            body=body,
            note=f"{facts.names.get(state, state)} was created on {long_date(created)}.",
        )
    own = [r for r in facts.rules.get((state, key), []) if r.body in (body, "all")]
    if own:
        return _timeline_cell(facts, own, as_of, body)
    assembly = [r for r in facts.central.get(key, []) if r.body in ("legislature", "all")]
    if importable:
        links = [r for r in facts.rules.get((state, INHERITS_KEY), []) if r.body in (body, "all")]
        cell = _inherited_cell(facts, links, assembly, as_of, body)
        if cell is not None:
            return cell
    empty = _empty_cell(facts, state, key, body)
    if facts.text_cells is None or empty.status not in (CellStatus.NOT_REVIEWED, CellStatus.EXCERPT_ONLY):
        return empty

    def inherit(links: list[t.Rule]) -> Cell:
        return _inherited_cell(facts, links, assembly, as_of, body) or empty

    return facts.text_cells.fill(state, key, body, empty, inherit if importable else None)


def _empty_cell(facts: _Facts, state: str, key: str, body: str) -> Cell:
    """The cell for a rule nobody has recorded: it says what is held for the State, nothing more.

    This is the one place an otherwise-empty cell is made, so that the rule finder (issue 11)
    can offer its candidates and reviewed decisions here before the cell is given up as empty.
    """
    status = {
        TEXT: CellStatus.NOT_REVIEWED,
        EXCERPT: CellStatus.EXCERPT_ONLY,
        CATALOGUED: CellStatus.CATALOGUED,
    }.get(facts.coverage.get((state, body), NO_ACT), CellStatus.NO_ACT)
    return Cell(value=None, status=status, body=body)


# ---------------------------------------------------------------------------- timelines


def _act_of(citation: str | None) -> str | None:
    return citation.split(" ", 1)[0] if citation and " " in citation else None


def _start(facts: _Facts, rule: t.Rule) -> tuple[dt.date | None, bool]:
    """When a version began: its own date, else its Act's commencement if the text shows the
    wording was never amended (True), else unknown."""
    if rule.in_force_from:
        return rule.in_force_from, False
    act = _act_of(rule.citation) or ""
    commenced = facts.commenced.get(act)
    unamended = rule.provision_id is not None and rule.provision_id not in facts.amended
    if commenced and unamended and act in facts.marks_amendments:
        return commenced, True
    return None, False


def _commenced(facts: _Facts, rule: t.Rule) -> tuple[str | None, dt.date | None]:
    """The latest commencement among the Acts a version rests on: the one cited and the State
    Acts of its chain (a central rule applies through a State clause only once that is in force)."""
    known = [
        (facts.commenced[act], act)
        for act in (_act_of(c) for c in (rule.citation, *(rule.inherited_via or ())))
        if act in facts.commenced
    ]
    if not known:
        return None, None
    day, act = max(known)
    return act, day


def _in_force(facts: _Facts, rule: t.Rule, on: dt.date) -> bool:
    if rule.stage in PENDING_STAGES:
        return False
    start, _ = _start(facts, rule)
    if start and on < start:
        return False
    _, commenced = _commenced(facts, rule)
    if commenced and on < commenced:
        return False
    if start is None and rule.evidence_on and on < rule.evidence_on:
        return False  # known only since the date of its evidence
    return not (rule.repealed_on and on >= rule.repealed_on)


def _timeline_cell(facts: _Facts, versions: list[t.Rule], as_of: dt.date, body: str) -> Cell:
    """The cell for the versions of one rule; with two Acts for the body, the first in force leads."""
    by_act: dict[str, list[t.Rule]] = {}
    for rule in versions:
        # Versions from sources outside the corpus that cite no Act are one timeline.
        by_act.setdefault(_act_of(rule.citation) or "", []).append(rule)
    cells = [_resolve(facts, group, as_of, body) for group in by_act.values()]
    filled = [c for c in cells if not c.empty]
    lead = filled[0] if filled else cells[0]
    also = tuple(c.citation for c in (filled or cells) if c is not lead and c.citation and c.citation != lead.citation)
    return replace(lead, also=also) if also else lead


def _resolve(facts: _Facts, versions: list[t.Rule], as_of: dt.date, body: str) -> Cell:
    law = sorted(
        (r for r in versions if r.stage not in PENDING_STAGES),
        key=lambda r: (_start(facts, r)[0] or dt.date.min, r.id),
    )
    pending = [r for r in versions if r.stage in PENDING_STAGES and r.stage_date and r.stage_date <= as_of]
    current = [r for r in law if _in_force(facts, r, as_of)]
    if current:
        rule = current[-1]  # the latest version to have begun
        cell = _filled(facts, rule, as_of, body)
        later_pending = [
            p for p in pending if p.stage_date and (not cell.in_force_from or p.stage_date >= cell.in_force_from)
        ]
        if later_pending:
            change = max(later_pending, key=lambda p: p.stage_date or dt.date.min)
            cell = replace(
                cell,
                pending=PendingChange(
                    stage=change.stage,
                    on=change.stage_date,
                    value=change.value,
                    source_title=change.source_title,
                    source_url=change.source_url,
                ),
            )
        return cell
    if not law:
        return Cell(value=None, status=CellStatus.NOT_IN_FORCE, body=body, note="Only a pending change is recorded.")
    return _not_in_force(facts, law, as_of, body)


def _not_in_force(facts: _Facts, law: list[t.Rule], as_of: dt.date, body: str) -> Cell:
    """No version in force on the date: the Act or clause had not begun, the clause was re-worded,
    the rule is known only since a later date, or it had ended."""
    first = law[0]
    act, commenced = _commenced(facts, first)
    if commenced and as_of < commenced:
        return replace(
            _base_cell(first, body),
            status=CellStatus.NOT_YET_IN_FORCE,
            in_force_from=commenced,
            note=f"{act} commenced on {long_date(commenced)}.",
        )
    later = [r for r in law if (_start(facts, r)[0] or dt.date.min) > as_of]
    if later:
        nxt = later[0]
        start, _ = _start(facts, nxt)
        base = _base_cell(nxt, body)
        if nxt.earlier == "not held":
            return replace(
                base,
                status=CellStatus.EARLIER_WORDING_NOT_HELD,
                in_force_from=start,
                note=f"The wording held is in force from {long_date(start) if start else 'a later date'}; "
                f"the wording on {long_date(as_of)} is not in the corpus.",
            )
        return replace(base, status=CellStatus.NOT_YET_IN_FORCE, in_force_from=start)
    unknown = [
        r
        for r in law
        if _start(facts, r)[0] is None
        and r.evidence_on
        and as_of < r.evidence_on
        and not (r.repealed_on and as_of >= r.repealed_on)
    ]
    if unknown:
        return replace(
            _base_cell(unknown[0], body), status=CellStatus.NOT_KNOWN_ON_DATE, known_since=unknown[0].evidence_on
        )
    ended = max(law, key=lambda r: r.repealed_on or dt.date.min)
    cell = replace(_base_cell(ended, body), status=CellStatus.NOT_IN_FORCE, repealed_on=ended.repealed_on)
    return replace(cell, ended_by=_ended_by(facts, ended), judgments=_judgments(facts, ended, as_of), note=ended.note)


def _ended_by(facts: _Facts, rule: t.Rule) -> str:
    """What ended a version: a court's order when its judgment is dated the day it ended, else repeal."""
    if not rule.repealed_on:
        return ""
    case = facts.cases.get(rule.judgment or "")
    if case and case.decided_on == rule.repealed_on:
        if case.effect == JudgmentEffect.STRUCK_DOWN:
            return LegislativeStage.STRUCK_DOWN
        if case.effect == JudgmentEffect.STAYED:
            return LegislativeStage.STAYED
    return LegislativeStage.REPEALED


def _base_cell(rule: t.Rule, body: str) -> Cell:
    """An empty cell that still names the provision it is about, and the source of a secondary one."""
    return Cell(
        value=None,
        citation=rule.citation,
        body=body,
        secondary=rule.secondary,
        source_title=rule.source_title if rule.secondary else None,
        source_url=rule.source_url,
        source_grade=rule.source_grade if rule.secondary else None,
    )


def _filled(facts: _Facts, rule: t.Rule, as_of: dt.date, body: str) -> Cell:
    start, from_commencement = _start(facts, rule)
    _, commenced = _commenced(facts, rule)
    if start and commenced and commenced > start:
        # A central rule applies through a State Act only from that Act's commencement.
        start, from_commencement = commenced, True
    judgments = _judgments(facts, rule, as_of)
    return Cell(
        value=rule.value,
        citation=rule.citation,
        # Only words checked against the statute text are a quote; a secondary rule is a summary.
        quote="" if rule.secondary else rule.quote,
        summary=rule.summary,
        in_force_from=start,
        start_from_commencement=from_commencement,
        known_since=None if start else rule.evidence_on,
        repealed_on=rule.repealed_on,
        ended_by=_ended_by(facts, rule),
        secondary=rule.secondary,
        source_title=rule.source_title if rule.secondary else None,
        source_url=rule.source_url,
        source_grade=rule.source_grade if rule.secondary else None,
        inherited_via=tuple(rule.inherited_via or ()),
        note=rule.note,
        status=_status(rule),
        body=body,
        judgments=judgments,
    )


def _status(rule: t.Rule) -> CellStatus:
    """Secondary wins over inherited: a rule not checked against the text is the weaker claim."""
    if rule.secondary:
        return CellStatus.SECONDARY
    return CellStatus.INHERITED if rule.inherited_via else CellStatus.VERIFIED


def _judgments(facts: _Facts, rule: t.Rule, as_of: dt.date) -> tuple[Judgment, ...]:
    named = [facts.cases[rule.judgment]] if rule.judgment in facts.cases else []
    found = [*named, *judgments_on(facts.cases, rule.citation)]
    return tuple(dict.fromkeys(j for j in found if j.decided_on <= as_of))


def _inherited_cell(
    facts: _Facts, imports: list[t.Rule], central: list[t.Rule], as_of: dt.date, body: str
) -> Cell | None:
    """The central rule a State takes in through its 'disqualified for the Legislature' clause.

    Only a clause verified against the State's text counts (a secondary source is not enough
    to carry a chain of citations), and the result is in force only while both links are.
    """
    links = [r for r in imports if r.citation and not r.secondary and r.value.strip().lower() == "yes"]
    if not links or not central:
        return None
    link_cell = _resolve(facts, links, as_of, body)
    rule_cell = _resolve(facts, central, as_of, body)
    if link_cell.empty or rule_cell.empty:
        shown = link_cell if link_cell.empty else rule_cell
        return replace(shown, inherited_via=(link_cell.citation or "",) if link_cell.citation else ())
    starts = [d for d in (link_cell.in_force_from, rule_cell.in_force_from) if d]
    return replace(
        rule_cell,
        status=CellStatus.INHERITED,
        in_force_from=max(starts) if starts else None,
        start_from_commencement=False,
        known_since=None if starts else (link_cell.known_since or rule_cell.known_since),
        inherited_via=(link_cell.citation or "", *link_cell.inherited_via),
        note=f"Derived: {link_cell.citation} disqualifies anyone disqualified for elections to the State Legislature, "
        f"which brings in {rule_cell.citation}.",
        body=body,
    )


# ---------------------------------------------------------------------------- baseline


def _baseline_cell(facts: _Facts, key: str, body: str, as_of: dt.date) -> Cell:
    """The Assembly's rule, else the rule for all elections, else the Constitution's own rule for
    the body (Part IX/IXA, or Art. 243K for the SEC)."""
    rules = facts.central.get(key, [])
    for scope in ("legislature", "all", body):
        chosen = [r for r in rules if r.body == scope]
        if chosen:
            cell = _timeline_cell(facts, chosen, as_of, body)
            return replace(cell, baseline_status=BaselineStatus.BASELINE)
    return Cell(
        value=None,
        status=CellStatus.NO_SUCH_PROVISION,
        body=body,
        baseline_status=BaselineStatus.BASELINE,
        note="The Assembly's law (Constitution, RPA 1950, RPA 1951) states no such rule.",
    )


def _against_baseline(cell: Cell, base: Cell, key: str, body: str, facts: _Facts, as_of: dt.date) -> Cell:
    """Mark a State cell same as, adopting, departing from, or not comparable with the baseline."""
    status = CellStatus(cell.status)
    if status in EMPTY_FOR_BASELINE:
        return replace(cell, baseline_status=BaselineStatus.NOT_COMPARABLE)
    if status == CellStatus.INHERITED:
        return replace(
            cell,
            baseline_status=BaselineStatus.ADOPTS,
            baseline_note=f"through {cell.inherited_via[0]}" if cell.inherited_via else "",
        )
    adopting = ADOPTING_VALUES.get(key)
    if adopting and not cell.empty and _norm(cell.value).startswith(adopting):
        return replace(cell, baseline_status=BaselineStatus.ADOPTS, baseline_note="takes over the Assembly's rule")
    if cell.empty and base.empty:
        return replace(cell, baseline_status=BaselineStatus.SAME)
    same_rule = bool(cell.citation) and cell.citation == base.citation
    same_value = not cell.empty and not base.empty and _norm(cell.value) == _norm(base.value)
    if same_rule or same_value:
        return replace(cell, baseline_status=BaselineStatus.SAME)
    return replace(
        cell, baseline_status=BaselineStatus.DEPARTS, baseline_note=_departure(cell, base, key, body, facts, as_of)
    )


def _departure(cell: Cell, base: Cell, key: str, body: str, facts: _Facts, as_of: dt.date) -> str:
    if cell.empty:
        return f"no rule in force on {long_date(as_of)}; the baseline's rule is {base.value} ({base.citation})"
    if base.empty:
        article = BODY_ARTICLES.get(body) if key in facts.disqualification_keys else None
        power = f", a disqualification made by State law as {article} allows" if article else ""
        return f"the Assembly's law has no such rule; the State adds one{power}"
    text = f"{cell.value} against the baseline's {base.value} ({base.citation})"
    own = [r for r in facts.central.get(key, []) if r.body == body and r.citation and r.citation != base.citation]
    if own:
        text += f"; for {body} bodies the Constitution says: {own[0].value} ({own[0].citation})"
    return text


# ---------------------------------------------------------------------------- loading


def _load_facts(session: Session, keys: list[str], states: list[str], disqualification_keys: set[str]) -> _Facts:
    rules = _rules(session, [*keys, INHERITS_KEY], states)
    central = _central_rules(session, keys)
    provision_ids = {r.provision_id for group in [*rules.values(), *central.values()] for r in group if r.provision_id}
    juris = session.execute(select(t.Jurisdiction.code, t.Jurisdiction.name, t.Jurisdiction.created_on)).all()
    return _Facts(
        rules=rules,
        central=central,
        coverage=_coverage(session),
        created={code: created for code, _, created in juris if created},
        names={code: name for code, name, _ in juris},
        commenced={
            act_id: day
            for act_id, day in session.execute(select(t.Act.id, t.Act.commenced_on)).all()
            if day is not None
        },
        amended=_amended(session, provision_ids),
        marks_amendments=set(
            session.scalars(
                select(t.Provision.act_id)
                .join(t.AmendmentNote, t.AmendmentNote.provision_id == t.Provision.id)
                .distinct()
            )
        ),
        cases=load_cases(settings.corpus_dir()),
        disqualification_keys=disqualification_keys,
        session=session,
    )


def _amended(session: Session, provision_ids: set[int]) -> set[int]:
    """Of ``provision_ids``, those whose own text or an enclosing provision's carries an amendment."""
    marked = set(session.scalars(select(t.AmendmentNote.provision_id).distinct()))
    parents = {
        pid: parent
        for pid, parent in session.execute(
            select(t.Provision.id, t.Provision.parent_id).where(t.Provision.parent_id.is_not(None))
        )
    }
    out = set()
    for pid in provision_ids:
        node: int | None = pid
        while node is not None:
            if node in marked:
                out.add(pid)
                break
            node = parents.get(node)
    return out


def _rule_keys(ontology: Ontology, request: CompareRequest) -> list[str]:
    keys: list[str] = []
    for key in request.rules:
        ontology.rule(key)
        keys.append(key)
    for topic_id in request.topics:
        ontology.topic(topic_id)
        wanted = ontology.descendants(topic_id)
        keys.extend(rule.key for rule in ontology.rules.values() if rule.topic in wanted)
    if not request.rules and not request.topics:
        keys = list(ontology.rules)
    return list(dict.fromkeys(keys))


def _row_bodies(ontology: Ontology, key: str, body: str | None, states: list[str], facts: _Facts) -> list[str]:
    """The bodies a rule gets a row for: the SEC for its own rules; else the one asked, else each
    body a State has a rule for."""
    if ontology.rules[key].role == "authority":
        return [Body.SEC.value]  # the State Election Commission is one body whatever --body names
    if body:
        return [body]
    found = {r.body for state in states for r in facts.rules.get((state, key), [])}
    bodies = [b for b in ROW_BODIES if b in found]
    return bodies or [Body.PANCHAYAT.value, Body.MUNICIPAL.value]


def _states(session: Session, request: CompareRequest, keys: list[str]) -> list[str]:
    known = set(session.scalars(select(t.Jurisdiction.code)))
    if request.states:
        states = [s.strip().upper() for s in request.states if s.strip()]
        unknown = [s for s in states if s not in known]
        if unknown:
            raise SeckbError(
                f"unknown jurisdiction {unknown[0]!r}; known: {', '.join(sorted(known))}", field="--states"
            )
        return list(dict.fromkeys(states))
    if len(keys) == 1:
        # One rule: list every State/UT, so the gaps are visible too.
        return sorted(known - {"IN"})
    with_rules = set(session.scalars(select(t.Rule.jurisdiction_code).where(t.Rule.rule_key.in_(keys))))
    # A State whose Act text is held (a `seckb add` too) has a column before anyone curates its rules:
    # its cells are the finder's proposals and the reviewers' decisions.
    held = set(
        session.scalars(
            select(t.Act.jurisdiction_code)
            .join(t.SourceDocument, t.SourceDocument.act_id == t.Act.id)
            .where(t.SourceDocument.role == "primary")
        )
    )
    return sorted((with_rules | held) - {"IN", request.baseline})


def _rules(session: Session, keys: list[str], states: list[str]) -> dict[tuple[str, str], list[t.Rule]]:
    """Each State's own rule versions; the Assembly baseline is not a State's rule."""
    query = (
        select(t.Rule)
        .where(t.Rule.rule_key.in_(keys), t.Rule.jurisdiction_code.in_(states), t.Rule.body != "legislature")
        .order_by(t.Rule.id)
    )
    out: dict[tuple[str, str], list[t.Rule]] = {}
    for rule in session.scalars(query):
        session.expunge(rule)
        out.setdefault((rule.jurisdiction_code, rule.rule_key), []).append(rule)
    return out


def _central_rules(session: Session, keys: list[str]) -> dict[str, list[t.Rule]]:
    """The central rules: IN rules for the Assembly, for all elections, for each body and the SEC."""
    query = select(t.Rule).where(t.Rule.jurisdiction_code == CENTRAL, t.Rule.rule_key.in_(keys)).order_by(t.Rule.id)
    out: dict[str, list[t.Rule]] = {}
    for rule in session.scalars(query):
        session.expunge(rule)
        out.setdefault(rule.rule_key, []).append(rule)
    return out


def _importable_keys(ontology: Ontology) -> set[str]:
    """Rule keys a State imports by disqualifying anyone disqualified for the State Legislature."""
    wanted = ontology.descendants(DISQUALIFICATION_TOPIC)
    return {key for key, rule in ontology.rules.items() if rule.topic in wanted} - NOT_IMPORTED


def _coverage(session: Session) -> dict[tuple[str, str], str]:
    """Per (jurisdiction, body): TEXT when a whole Act for the body is held, EXCERPT when only an
    excerpt is, CATALOGUED when its Acts are only catalogued. SEC provisions sit in panchayat,
    municipal and SEC Acts, so for the sec body any Act counts."""
    acts = session.execute(select(t.Act.jurisdiction_code, t.Act.id, t.Act.body)).all()
    docs = {
        act_id: partial
        for act_id, partial in session.execute(
            select(t.SourceDocument.act_id, t.SourceDocument.partial).where(t.SourceDocument.role == "primary")
        )
    }
    rank = {TEXT: 3, EXCERPT: 2, CATALOGUED: 1}
    out: dict[tuple[str, str], str] = {}
    for code, act_id, act_body in acts:
        held = CATALOGUED if act_id not in docs else (EXCERPT if docs[act_id] else TEXT)
        bodies = {*ROW_BODIES, Body.SEC.value} if act_body in ("all", Body.CENTRAL.value) else {act_body}
        if act_body in (Body.PANCHAYAT, Body.MUNICIPAL, Body.SEC):
            bodies.add(Body.SEC.value)
        for body in bodies:
            if rank[held] > rank.get(out.get((code, body), ""), 0):
                out[(code, body)] = held
    return out


def _norm(value: str | None) -> str:
    return " ".join((value or "").lower().split())


def _departs(row: Row) -> bool:
    return any(cell.baseline_status == BaselineStatus.DEPARTS for cell in row.cells[1:])


def _differs(row: Row) -> bool:
    return len({_norm(c.value) for c in row.cells}) > 1


def _notes(request: CompareRequest, as_of: dt.date) -> tuple[str, ...]:
    notes = [
        f"The law as it stood on {as_of.isoformat()}: a rule not yet in force, re-worded, repealed or struck "
        "down on that date is shown with the word for it, never with its later value. A Bill passed or assented "
        "is not law: the rule in force is shown with the change pending.",
    ]
    if not request.body:
        notes.append("No --body given: each rule has a row per body (panchayat, municipal, ...).")
    if request.baseline:
        notes.append(
            f"Baseline {request.baseline}: the Legislative Assembly's law (Constitution, RPA 1950 ss.14, 16, 19, 20, "
            "RPA 1951) and Art. 243K for the State Election Commission. Only rows where a State departs are shown."
        )
    if request.diff and not request.baseline:
        notes.append("--diff: only rows whose values differ between the States are shown.")
    return tuple(notes)


def _title(ontology: Ontology, request: CompareRequest) -> str:
    what = (
        ", ".join(
            [ontology.topics[t_].label for t_ in request.topics] + [ontology.rules[r].label for r in request.rules]
        )
        or "All eligibility rules"
    )
    body = f" — {request.body} bodies" if request.body else ""
    base = f" against the {request.baseline} baseline" if request.baseline else ""
    return f"{what}{body}{base}"
