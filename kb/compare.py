"""Compare eligibility rules across jurisdictions, as of a date: the library behind `seckb compare`.

Every filled cell rests on a stored rule that cites a provision; where no rule exists the cell is
empty and says why (no provision in the corpus, or the jurisdiction's Act is not in the corpus),
never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import settings
from kb.errors import SeckbError
from kb.knowledge import KnowledgeBase
from kb.model import Cell, ComparisonTable, Row
from kb.review import TextCells
from kb.store import tables as t
from kb.topics import Ontology, load_ontology

NOT_IN_FORCE = "not in force"
NO_PROVISION = "no provision in corpus"
CATALOGUED_ONLY = "Act not in corpus (catalogued only)"
NO_ACT_NOTE = "no provision in corpus (no Act for this body catalogued)"
SAME_AS_BASELINE = "same as baseline"
DEPARTS = "departs from baseline"
CENTRAL = "IN"
TEXT, CATALOGUED, NO_ACT = "text", "catalogued", "none"
INHERITS_KEY = "inherits_legislature_disqualifications"
DISQUALIFICATION_TOPIC = "candidate-disqualification"
# A Tenth-Schedule disqualification is one "for being a member", not "for the purposes of
# elections", so Arts. 243F/243V and the State clauses modelled on them do not import it
# (see the defection rule in corpus/rules/IN.yaml); the import clause itself is not imported.
NOT_IMPORTED = {"defection", INHERITS_KEY}


@dataclass(frozen=True)
class CompareRequest:
    topics: Sequence[str] = ()
    rules: Sequence[str] = ()
    states: Sequence[str] = ()
    body: str | None = None
    as_of: dt.date | None = None
    diff: bool = False
    baseline: str | None = None  # "IN": show only where a state departs from the central rules


def compare_states(kb: KnowledgeBase, request: CompareRequest, ontology: Ontology | None = None) -> ComparisonTable:
    ontology = ontology or load_ontology(settings.corpus_dir())
    as_of = request.as_of or dt.date.today()
    keys = _rule_keys(ontology, request)
    importable = _importable_keys(ontology)
    with kb.session() as session:
        states = _states(session, request, keys)
        rules = _rules(session, [*keys, INHERITS_KEY], states, request.body)
        central = _central_rules(session, keys)
        coverage = _coverage(session, request.body)
        # Rules found in the held Acts' text, and the reviewers' decisions on them (kb/review.py).
        text_cells = TextCells(session, kb.generation.path.parent, states, keys, request.body, ontology)
        rows: list[Row] = []
        for key in keys:
            baseline_cell = _cell(central.get(key, []), as_of, TEXT) if request.baseline else None
            cells = []
            for state in states:
                own = rules.get((state, key), [])
                if own or key not in importable:
                    cell = _cell(own, as_of, coverage.get(state, NO_ACT))
                else:
                    cell = _inherited_cell(
                        rules.get((state, INHERITS_KEY), []), central.get(key, []), as_of, coverage.get(state, NO_ACT)
                    )
                if cell.empty:
                    cell = text_cells.fill(
                        state, key, cell, _inheritance(key, importable, central, as_of, coverage, state)
                    )
                if baseline_cell is not None:
                    cell = _against_baseline(cell, baseline_cell)
                cells.append(cell)
            if baseline_cell is not None:
                cells.insert(0, baseline_cell)
            rows.append(Row(key=key, label=ontology.rules[key].label, cells=tuple(cells)))
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
    )


def _notes(request: CompareRequest, as_of: dt.date) -> tuple[str, ...]:
    notes = [
        f"As of {as_of.isoformat()}: rules not yet in force or already repealed on that date are shown as "
        f"'{NOT_IN_FORCE}'.",
        f"Empty cells: '{NO_PROVISION}' means the State's Act is in the corpus and states no such rule; "
        f"'{CATALOGUED_ONLY}' means the Act is catalogued but its text is not in the corpus.",
        "Inherited: a central rule that applies because the State Act disqualifies anyone disqualified for "
        "elections to the State Legislature; the chain of citations is given. 'Derived' inherited cells are "
        "computed from that clause, not recorded for the State.",
    ]
    if request.baseline:
        notes.append(
            f"Baseline {request.baseline}: the central rules for the Legislative Assembly (RPA 1950 for "
            "the roll; Constitution and RPA 1951 for candidates). Only rows where a State departs are "
            "shown; a cell citing the same central provision or with the same value is 'same as baseline'."
        )
    if request.diff and not request.baseline:
        notes.append("--diff: only rows whose values differ between the States are shown.")
    return tuple(notes)


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


def _states(session: Session, request: CompareRequest, keys: list[str]) -> list[str]:
    known = set(session.scalars(select(t.Jurisdiction.code)))
    if request.states:
        states = [s.strip().upper() for s in request.states if s.strip()]
        unknown = [s for s in states if s not in known]
        if unknown:
            raise SeckbError(
                f"unknown jurisdiction {unknown[0]!r}; known: {', '.join(sorted(known))}", field="--states"
            )
        return states
    if len(keys) == 1:
        # One rule: list every State/UT, so the gaps are visible too.
        return sorted(known - {"IN"})
    with_rules = set(session.scalars(select(t.Rule.jurisdiction_code).where(t.Rule.rule_key.in_(keys))))
    return sorted(with_rules - {"IN", request.baseline})


def _rules(
    session: Session, keys: list[str], states: list[str], body: str | None
) -> dict[tuple[str, str], list[t.Rule]]:
    """Each State's own rules for the body (or any body); the Assembly baseline is not a State's rule."""
    query = (
        select(t.Rule)
        .where(t.Rule.rule_key.in_(keys), t.Rule.jurisdiction_code.in_(states), t.Rule.body != "legislature")
        .order_by(t.Rule.id)
    )
    if body:
        query = query.where(t.Rule.body.in_([body, "all"]))
    out: dict[tuple[str, str], list[t.Rule]] = {}
    for rule in session.scalars(query):
        out.setdefault((rule.jurisdiction_code, rule.rule_key), []).append(rule)
    return out


def _central_rules(session: Session, keys: list[str]) -> dict[str, list[t.Rule]]:
    """The central rules for the Legislative Assembly: IN rules with body legislature, then all.

    Legislature first because the baseline is the Assembly: for the voting age RPA 1950 s.19(a)
    (body legislature) is the rule an Assembly roll applies, Art.326 (body all) the general one.
    The IN panchayat/municipal rules (e.g. the 21-year proviso of Art.243F) are not the baseline.
    """
    query = (
        select(t.Rule)
        .where(t.Rule.jurisdiction_code == CENTRAL, t.Rule.rule_key.in_(keys), t.Rule.body.in_(["legislature", "all"]))
        .order_by(t.Rule.body.desc(), t.Rule.id)
    )  # "legislature" sorts after "all"; desc puts it first
    out: dict[str, list[t.Rule]] = {}
    for rule in session.scalars(query):
        out.setdefault(rule.rule_key, []).append(rule)
    return out


def _importable_keys(ontology: Ontology) -> set[str]:
    """Rule keys a State imports by disqualifying anyone disqualified for the State Legislature."""
    wanted = ontology.descendants(DISQUALIFICATION_TOPIC)
    return {key for key, rule in ontology.rules.items() if rule.topic in wanted} - NOT_IMPORTED


def _coverage(session: Session, body: str | None) -> dict[str, str]:
    """Per jurisdiction: TEXT when an Act for the body is in the corpus, CATALOGUED when its Acts
    are only catalogued. SEC provisions sit in panchayat and municipal Acts, so for the sec body
    (or no body) any Act counts."""
    query = select(t.Act.jurisdiction_code, t.Act.id)
    if body and body != "sec":
        query = query.where(t.Act.body.in_([body, "all"]))
    acts = session.execute(query).all()
    with_text = set(session.scalars(select(t.SourceDocument.act_id).where(t.SourceDocument.role == "primary")))
    out: dict[str, str] = {}
    for code, act_id in acts:
        if act_id in with_text:
            out[code] = TEXT
        else:
            out.setdefault(code, CATALOGUED)
    return out


def _empty(coverage: str) -> Cell:
    return Cell(value=None, note={TEXT: NO_PROVISION, CATALOGUED: CATALOGUED_ONLY}.get(coverage, NO_ACT_NOTE))


def _cell(rules: list[t.Rule], as_of: dt.date, coverage: str) -> Cell:
    if not rules:
        return _empty(coverage)
    in_force = [r for r in rules if _in_force(r.in_force_from, r.repealed_on, as_of)]
    chosen = in_force[0] if in_force else rules[0]
    others = [r.citation for r in (in_force or rules)[1:] if r.citation and r.citation != chosen.citation]
    note = chosen.note
    if others:
        note = (note + " " if note else "") + "Also: " + "; ".join(others)
    value = chosen.value if in_force else NOT_IN_FORCE
    return Cell(
        value=value,
        citation=chosen.citation,
        quote=chosen.quote or chosen.summary,
        in_force_from=chosen.in_force_from,
        repealed_on=chosen.repealed_on,
        secondary=chosen.secondary,
        source_url=chosen.source_url,
        inherited_via=tuple(chosen.inherited_via or ()),
        note=note,
    )


def _inherited_cell(imports: list[t.Rule], central: list[t.Rule], as_of: dt.date, coverage: str) -> Cell:
    """The central rule a State takes in through its 'disqualified for the Legislature' clause.

    Only a clause verified against the State's text counts (a secondary source is not enough
    to carry a chain of citations), and the result is in force only while both links are.
    """
    links = [r for r in imports if r.citation and not r.secondary and r.value.strip().lower() == "yes"]
    if not links or not central:
        return _empty(coverage)
    link = next((r for r in links if _in_force(r.in_force_from, r.repealed_on, as_of)), links[0])
    rule = next((r for r in central if _in_force(r.in_force_from, r.repealed_on, as_of)), central[0])
    starts = [d for d in (link.in_force_from, rule.in_force_from) if d]
    ends = [d for d in (link.repealed_on, rule.repealed_on) if d]
    in_force_from, repealed_on = (max(starts) if starts else None), (min(ends) if ends else None)
    value = rule.value if _in_force(in_force_from, repealed_on, as_of) else NOT_IN_FORCE
    return Cell(
        value=value,
        citation=rule.citation,
        quote=rule.quote or rule.summary,
        in_force_from=in_force_from,
        repealed_on=repealed_on,
        secondary=rule.secondary,
        source_url=rule.source_url,
        inherited_via=(link.citation, *(link.inherited_via or ())),
        note=f"Derived: {link.citation} disqualifies anyone disqualified for elections to the State "
        f"Legislature, which brings in {rule.citation}.",
    )


def _inheritance(
    key: str,
    importable: set[str],
    central: dict[str, list[t.Rule]],
    as_of: dt.date,
    coverage: dict[str, str],
    state: str,
) -> Callable[[list[t.Rule]], Cell] | None:
    """For a rule a State imports: turns its (found or reviewed) link clause into the central rule's cell."""
    if key not in importable:
        return None
    return lambda links: _inherited_cell(links, central.get(key, []), as_of, coverage.get(state, NO_ACT))


def _in_force(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    if start and on < start:
        return False
    return not (end and on >= end)


def _against_baseline(cell: Cell, baseline: Cell) -> Cell:
    """Mark a cell 'same as baseline' or say how it departs from the central rule."""
    if cell.empty and (baseline.empty or cell.note != NO_PROVISION):
        # Without the State's text (catalogued only) nothing is known, so nothing departs.
        return cell
    same_rule = bool(cell.citation) and cell.citation == baseline.citation
    same_value = not cell.empty and not baseline.empty and _norm(cell.value) == _norm(baseline.value)
    if same_rule or same_value:
        return replace(cell, note=_join(SAME_AS_BASELINE, cell.note))
    central = f"baseline {baseline.value} ({baseline.citation})" if not baseline.empty else "no central rule"
    return replace(cell, note=_join(f"{DEPARTS}: {central}", cell.note))


def _join(first: str, rest: str) -> str:
    return f"{first}. {rest}".strip() if rest else first


def _norm(value: str | None) -> str:
    return " ".join((value or "").lower().split())


def _departs(row: Row) -> bool:
    return any(cell.note.startswith(DEPARTS) for cell in row.cells[1:])


def _differs(row: Row) -> bool:
    return len({_norm(c.value) for c in row.cells}) > 1


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
