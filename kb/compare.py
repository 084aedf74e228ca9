"""Compare eligibility rules across jurisdictions, as of a date: the library behind `seckb compare`.

Every filled cell rests on a stored rule that cites a provision; where no rule exists the cell is
empty and says why (no provision in the corpus, or the jurisdiction's Act is not in the corpus),
never a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import settings
from kb.errors import SeckbError
from kb.knowledge import KnowledgeBase
from kb.model import Cell, ComparisonTable, Row
from kb.store import tables as t
from kb.topics import Ontology, load_ontology

NOT_IN_FORCE = "not in force"


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
    with kb.session() as session:
        states = _states(session, request, keys)
        rules = _rules(session, keys, states + ([request.baseline] if request.baseline else []), request.body)
        with_text = _jurisdictions_with_text(session, request.body)
        rows: list[Row] = []
        for key in keys:
            label = ontology.rules[key].label
            baseline_cell = (_cell(rules.get((request.baseline, key), []), as_of, True)
                             if request.baseline else None)
            cells = []
            for state in states:
                cell = _cell(rules.get((state, key), []), as_of, state in with_text)
                if baseline_cell is not None:
                    cell = _against_baseline(cell, baseline_cell)
                cells.append(cell)
            if request.baseline:
                cells.insert(0, baseline_cell)
            rows.append(Row(key=key, label=label, cells=tuple(cells)))
    columns = ([request.baseline] if request.baseline else []) + states
    if request.diff or request.baseline:
        rows = [row for row in rows if _differs(row, skip_first=bool(request.baseline))]
    title = _title(ontology, request)
    notes = [f"As of {as_of.isoformat()}: rules not yet in force or already repealed on that date are shown as "
             f"'{NOT_IN_FORCE}'.",
             "Empty cells: no provision in the corpus states this rule (or the Act is not in the corpus)."]
    if request.baseline:
        notes.append(f"Baseline {request.baseline}: the central rules for the Legislative Assembly; a state cell is "
                     "shown only where it departs from the baseline ('same as baseline' otherwise).")
    return ComparisonTable(title=title, as_of=as_of, body=request.body, jurisdictions=tuple(columns),
                           rows=tuple(rows), notes=tuple(notes))


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
            raise SeckbError(f"unknown jurisdiction {unknown[0]!r}; known: {', '.join(sorted(known))}",
                             field="--states")
        return states
    if len(keys) == 1:
        # One rule: list every State/UT, so the gaps are visible too.
        return sorted(known - {"IN"})
    with_rules = set(session.scalars(select(t.Rule.jurisdiction_code).where(t.Rule.rule_key.in_(keys))))
    return sorted(with_rules - {"IN", request.baseline})


def _rules(session: Session, keys: list[str], states: list[str], body: str | None) -> dict[tuple[str, str], list[t.Rule]]:
    query = select(t.Rule).where(t.Rule.rule_key.in_(keys), t.Rule.jurisdiction_code.in_(states)).order_by(t.Rule.id)
    if body:
        query = query.where(t.Rule.body.in_([body, "all", "legislature"]))
    out: dict[tuple[str, str], list[t.Rule]] = {}
    for rule in session.scalars(query):
        if rule.body == "legislature" and rule.jurisdiction_code != "IN":
            continue
        out.setdefault((rule.jurisdiction_code, rule.rule_key), []).append(rule)
    return out


def _jurisdictions_with_text(session: Session, body: str | None) -> set[str]:
    query = select(t.Act.jurisdiction_code).join(t.SourceDocument).where(t.SourceDocument.role == "primary")
    if body:
        query = query.where(t.Act.body == body)
    return set(session.scalars(query))


def _cell(rules: list[t.Rule], as_of: dt.date, has_text: bool) -> Cell:
    if not rules:
        return Cell(value=None, note="no provision in corpus" if has_text else
                    "Act not in corpus (catalogued only); no provision in corpus")
    in_force = [r for r in rules if _in_force(r, as_of)]
    chosen = in_force[0] if in_force else rules[0]
    others = [r.citation for r in (in_force or rules)[1:] if r.citation]
    note = chosen.note
    if others:
        note = (note + " " if note else "") + "Also: " + "; ".join(others)
    value = chosen.value if in_force else NOT_IN_FORCE
    return Cell(value=value, citation=chosen.citation, quote=chosen.quote or chosen.summary,
                in_force_from=chosen.in_force_from, repealed_on=chosen.repealed_on, secondary=chosen.secondary,
                source_url=chosen.source_url, inherited_via=tuple(chosen.inherited_via or ()), note=note)


def _in_force(rule: t.Rule, on: dt.date) -> bool:
    if rule.in_force_from and on < rule.in_force_from:
        return False
    return not (rule.repealed_on and on >= rule.repealed_on)


def _against_baseline(cell: Cell, baseline: Cell) -> Cell:
    if cell.value is not None and baseline.value is not None and _norm(cell.value) == _norm(baseline.value):
        return replace(cell, note=("same as baseline. " + cell.note).strip())
    return cell


def _norm(value: str | None) -> str:
    return " ".join((value or "").lower().split())


def _differs(row: Row, skip_first: bool) -> bool:
    cells = row.cells[1:] if skip_first else row.cells
    if skip_first:
        return any(not c.note.startswith("same as baseline") for c in cells)
    return len({_norm(c.value) for c in cells}) > 1


def _title(ontology: Ontology, request: CompareRequest) -> str:
    what = ", ".join([ontology.topics[t_].label for t_ in request.topics] +
                     [ontology.rules[r].label for r in request.rules]) or "All eligibility rules"
    body = f" — {request.body} bodies" if request.body else ""
    base = f" against the {request.baseline} baseline" if request.baseline else ""
    return f"{what}{body}{base}"
